#include "server/socketio/socketiopacket.h"

#include <QtCore/QJsonDocument>

#include <array>

using namespace Qt::StringLiterals;

namespace Tertulia::SocketIo {

QString describe(DecodeError error)
{
    switch (error) {
    case DecodeError::Empty: return u"empty packet"_s;
    case DecodeError::UnknownType: return u"unknown packet type"_s;
    case DecodeError::BadAttachments: return u"illegal attachments"_s;
    case DecodeError::TooManyAttachments: return u"too many attachments"_s;
    case DecodeError::BadAckId: return u"invalid ack id"_s;
    case DecodeError::BadJson: return u"invalid JSON payload"_s;
    case DecodeError::InvalidPayload: return u"invalid payload"_s;
    case DecodeError::UnexpectedText: return u"got plaintext data when reconstructing a packet"_s;
    case DecodeError::UnexpectedBinary: return u"got binary data when not reconstructing a packet"_s;
    case DecodeError::BadPlaceholder: return u"illegal attachments"_s;
    }
    return u"invalid packet"_s;
}

bool isReservedEventName(QStringView name)
{
    static const std::array<QStringView, 6> reserved{u"connect", u"connect_error", u"disconnect",
                                                     u"disconnecting", u"newListener", u"removeListener"};
    return std::find(reserved.begin(), reserved.end(), name) != reserved.end();
}

QByteArray toJsonText(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    if (value.isUndefined())
        return "[]";
    // QJsonDocument holds only objects and arrays: write the scalar inside an array and unwrap it.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.sliced(1, wrapped.size() - 2);
}

std::optional<QJsonValue> parseJsonValue(QStringView text)
{
    // Wrapping in brackets lets QJsonDocument parse scalars too; a payload like "1,2" then parses as two
    // elements and is refused.
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || !document.isArray() || document.array().size() != 1)
        return std::nullopt;
    return document.array().first();
}

QString encode(const Packet &packet)
{
    QString out;
    out += QChar(u'0' + char16_t(packet.type));
    if (packet.isBinary())
        out += QString::number(packet.attachments) + u'-';
    if (!packet.nsp.isEmpty() && packet.nsp != u"/")
        out += packet.nsp + u',';
    if (packet.id)
        out += QString::number(*packet.id);
    if (!packet.data.isUndefined())
        out += QString::fromUtf8(toJsonText(packet.data));
    return out;
}

namespace {
bool isDigit(QChar c) { return c >= u'0' && c <= u'9'; }

bool payloadValid(PacketType type, const QJsonValue &payload)
{
    switch (type) {
    case PacketType::Connect:
        return payload.isObject();
    case PacketType::Disconnect:
        return false; // DISCONNECT carries no payload
    case PacketType::ConnectError:
        return payload.isString() || payload.isObject();
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        if (!payload.isArray() || payload.toArray().isEmpty())
            return false;
        const QJsonValue name = payload.toArray().first();
        return name.isDouble() || (name.isString() && !isReservedEventName(name.toString()));
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        return payload.isArray();
    }
    return false;
}
} // namespace

std::variant<Packet, DecodeError> decode(QStringView text, int maxAttachments)
{
    if (text.isEmpty())
        return DecodeError::Empty;
    if (!isDigit(text.front()) || text.front() > u'6')
        return DecodeError::UnknownType;
    Packet packet;
    packet.type = PacketType(text.front().unicode() - u'0');
    qsizetype i = 1;

    if (packet.isBinary()) {
        const qsizetype start = i;
        while (i < text.size() && isDigit(text[i]) && i - start < 9)
            ++i;
        if (i == start || i >= text.size() || text[i] != u'-')
            return DecodeError::BadAttachments;
        const int count = text.sliced(start, i - start).toInt();
        if (count < 1)
            return DecodeError::BadAttachments;
        if (count > maxAttachments)
            return DecodeError::TooManyAttachments;
        packet.attachments = count;
        ++i; // the '-'
    }

    if (i < text.size() && text[i] == u'/') {
        const qsizetype comma = text.indexOf(u',', i);
        const qsizetype end = comma < 0 ? text.size() : comma;
        packet.nsp = text.sliced(i, end - i).toString();
        i = comma < 0 ? end : comma + 1;
    }

    if (i < text.size() && isDigit(text[i])) {
        const qsizetype start = i;
        while (i < text.size() && isDigit(text[i]))
            ++i;
        bool ok = false;
        const qint64 id = text.sliced(start, i - start).toLongLong(&ok);
        if (!ok || i - start > 18)
            return DecodeError::BadAckId;
        packet.id = id;
    }

    if (i < text.size()) {
        const auto payload = parseJsonValue(text.sliced(i));
        if (!payload)
            return DecodeError::BadJson;
        if (!payloadValid(packet.type, *payload))
            return DecodeError::InvalidPayload;
        packet.data = *payload;
    } else if (packet.type != PacketType::Connect && packet.type != PacketType::Disconnect) {
        // Events, acks and errors without a payload carry nothing a receiver could use.
        return DecodeError::InvalidPayload;
    }
    return packet;
}

QJsonObject placeholder(int num)
{
    return QJsonObject{{QStringLiteral("_placeholder"), true}, {QStringLiteral("num"), num}};
}

std::optional<int> placeholderIndex(const QJsonValue &value)
{
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject object = value.toObject();
    if (object.value(QLatin1StringView("_placeholder")) != QJsonValue(true))
        return std::nullopt;
    const QJsonValue num = object.value(QLatin1StringView("num"));
    if (!num.isDouble() || num.toDouble() != double(num.toInt(-1)))
        return -1; // a placeholder with a broken index
    return num.toInt();
}

bool placeholdersValid(const QJsonValue &data, int count)
{
    if (const auto index = placeholderIndex(data))
        return *index >= 0 && *index < count;
    if (data.isArray()) {
        const QJsonArray array = data.toArray();
        return std::all_of(array.begin(), array.end(), [count](const QJsonValue &v) { return placeholdersValid(v, count); });
    }
    if (data.isObject()) {
        const QJsonObject object = data.toObject();
        return std::all_of(object.begin(), object.end(), [count](const QJsonValue &v) { return placeholdersValid(v, count); });
    }
    return true;
}

} // namespace Tertulia::SocketIo
