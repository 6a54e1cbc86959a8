#pragma once

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <optional>
#include <variant>

/// Socket.IO protocol v5 packets as value types and pure functions (the text part; binary attachments
/// travel as separate Engine.IO binary messages, see Decoder).
///
///     <type>[<attachments>-][<namespace>,][<ack id>][<JSON payload>]
///     0{"token":"x"}            CONNECT to "/" with an auth payload
///     40/admin,{"sid":"..."}     (inside an Engine.IO message) CONNECT reply on "/admin"
///     2["join",{"room":"r"}]     EVENT          212["send",{...}]   EVENT with ack id 12
///     312[{"type":"ok"}]         ACK 12         451-["up",{"_placeholder":true,"num":0}]  BINARY_EVENT
///
/// See https://github.com/socketio/socket.io-protocol (v5).
namespace Tertulia::SocketIo {

/// The wire digits, in wire order.
enum class PacketType { Connect, Disconnect, Event, Ack, ConnectError, BinaryEvent, BinaryAck };

struct Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    std::optional<qint64> id;                        ///< ack id
    QJsonValue data = QJsonValue(QJsonValue::Undefined); ///< Undefined: no payload
    int attachments = 0;                             ///< binary types: how many binary messages follow

    bool isBinary() const { return type == PacketType::BinaryEvent || type == PacketType::BinaryAck; }
    bool isEvent() const { return type == PacketType::Event || type == PacketType::BinaryEvent; }
    bool isAck() const { return type == PacketType::Ack || type == PacketType::BinaryAck; }

    friend bool operator==(const Packet &, const Packet &) = default;
};

enum class DecodeError {
    Empty,              ///< "" is not a packet
    UnknownType,        ///< first character not 0-6
    BadAttachments,     ///< binary packet without a valid "<n>-" count
    TooManyAttachments, ///< more attachments than the decoder allows
    BadAckId,           ///< an ack id that does not fit a 64-bit integer
    BadJson,            ///< the payload is not JSON
    InvalidPayload,     ///< JSON of the wrong shape for the packet type (or a reserved event name)
    UnexpectedText,     ///< a text packet while attachments of a binary packet were expected
    UnexpectedBinary,   ///< a binary message without a binary packet announcing it
    BadPlaceholder,     ///< a placeholder pointing to an attachment that does not exist
};

QString describe(DecodeError error);

/// Event names the protocol reserves (a client may not send them; a server must not emit them).
bool isReservedEventName(QStringView name);

/// Encodes the text part of a packet. For binary types, `attachments` must be set by the caller.
QString encode(const Packet &packet);

/// Decodes the text part of a packet and checks the payload's shape for its type.
std::variant<Packet, DecodeError> decode(QStringView text, int maxAttachments = 10);

/// The JSON of any value, compact ("Undefined" gives an empty array).
QByteArray toJsonText(const QJsonValue &value);
/// Parses any JSON value (objects, arrays, strings, numbers, literals). Nothing on error.
std::optional<QJsonValue> parseJsonValue(QStringView text);

/// {"_placeholder":true,"num":n}: where binary attachment n goes in a payload.
QJsonObject placeholder(int num);
/// Whether `value` is a placeholder, and which attachment it names.
std::optional<int> placeholderIndex(const QJsonValue &value);
/// Checks that every placeholder in `data` names one of `count` attachments.
bool placeholdersValid(const QJsonValue &data, int count);

} // namespace Tertulia::SocketIo
