#include "server/socketio/engineiopacket.h"

using namespace Qt::StringLiterals;

namespace Tertulia::EngineIo {

QString describe(DecodeError error)
{
    switch (error) {
    case DecodeError::Empty: return u"empty packet"_s;
    case DecodeError::UnknownType: return u"unknown packet type"_s;
    case DecodeError::BadBase64: return u"invalid base64 in a binary packet"_s;
    }
    return u"parser error"_s;
}

QChar typeDigit(PacketType type) { return QChar(u'0' + char16_t(type)); }

QString encodeText(const Packet &packet)
{
    if (packet.isBinary)
        return u'b' + QString::fromLatin1(packet.binary.toBase64());
    return typeDigit(packet.type) + packet.text;
}

std::variant<Packet, DecodeError> decodeText(QStringView text)
{
    if (text.isEmpty())
        return DecodeError::Empty;
    const QChar first = text.front();
    if (first == u'b') {
        auto decoded = QByteArray::fromBase64Encoding(text.sliced(1).toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded)
            return DecodeError::BadBase64;
        return Packet::binaryMessage(*decoded);
    }
    if (first < u'0' || first > u'6')
        return DecodeError::UnknownType;
    return Packet::of(PacketType(first.unicode() - u'0'), text.sliced(1).toString());
}

QByteArray encodePayload(const QList<Packet> &packets)
{
    QString joined;
    for (qsizetype i = 0; i < packets.size(); ++i) {
        if (i > 0)
            joined += kRecordSeparator;
        joined += encodeText(packets[i]);
    }
    return joined.toUtf8();
}

std::variant<QList<Packet>, DecodeError> decodePayload(QByteArrayView body)
{
    const QString text = QString::fromUtf8(body);
    QList<Packet> packets;
    for (QStringView part : QStringView(text).split(kRecordSeparator)) {
        auto decoded = decodeText(part);
        if (auto *error = std::get_if<DecodeError>(&decoded))
            return *error;
        packets.append(std::get<Packet>(std::move(decoded)));
    }
    return packets;
}

} // namespace Tertulia::EngineIo
