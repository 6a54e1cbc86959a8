#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <variant>

/// Engine.IO protocol v4 packets as value types and pure functions: no socket, no QObject.
///
///     text packet     <type digit><text>          "4hello", "2", "3probe", "0{...}"
///     binary message  raw bytes (WebSocket binary frame) or "b" + base64 (inside a polling payload)
///     payload         packets joined by "\x1e" (HTTP long-polling bodies)
///
/// See https://github.com/socketio/engine.io-protocol (v4).
namespace Tertulia::EngineIo {

/// Only the wire digits of the protocol; the order is the wire order.
enum class PacketType { Open, Close, Ping, Pong, Message, Upgrade, Noop };

struct Packet
{
    PacketType type = PacketType::Message;
    QString text;            ///< text of any packet but a binary message ("probe" for a probe ping)
    QByteArray binary;       ///< bytes of a binary message
    bool isBinary = false;

    static Packet message(const QString &text) { return Packet{PacketType::Message, text, {}, false}; }
    static Packet binaryMessage(const QByteArray &bytes) { return Packet{PacketType::Message, {}, bytes, true}; }
    static Packet of(PacketType type, const QString &text = {}) { return Packet{type, text, {}, false}; }

    /// Bytes this packet occupies in a queue (for the unsent-bytes bound).
    qsizetype weight() const { return isBinary ? binary.size() : text.size() * 2; }

    friend bool operator==(const Packet &, const Packet &) = default;
};

enum class DecodeError {
    Empty,         ///< "" is not a packet
    UnknownType,   ///< the first character is not 0-6 or "b"
    BadBase64,     ///< "b" followed by something that is not base64
};

QString describe(DecodeError error);
QChar typeDigit(PacketType type);

/// One packet as text: a WebSocket text frame or one element of a polling payload. Binary messages
/// become "b" + base64 (only polling payloads carry them that way; WebSocket sends them as binary frames).
QString encodeText(const Packet &packet);

/// A WebSocket text frame or one payload element. Never throws.
std::variant<Packet, DecodeError> decodeText(QStringView text);

/// A polling response body: the packets joined by the record separator "\x1e", UTF-8.
QByteArray encodePayload(const QList<Packet> &packets);

/// A polling request body (UTF-8). The first malformed packet fails the whole payload, as in the
/// reference server (the session then closes).
std::variant<QList<Packet>, DecodeError> decodePayload(QByteArrayView body);

inline constexpr char16_t kRecordSeparator = u'\x1e';

} // namespace Tertulia::EngineIo
