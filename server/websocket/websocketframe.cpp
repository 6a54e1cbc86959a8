#include "server/websocket/websocketframe.h"

#include <QtCore/QtEndian>

#include <cstring>

using namespace Qt::StringLiterals;

namespace Tertulia::WebSocket {

std::variant<FrameHeader, NeedMoreBytes, FrameError> parseFrameHeader(QByteArrayView bytes)
{
    if (bytes.size() < 2)
        return NeedMoreBytes{};
    const auto *data = reinterpret_cast<const uchar *>(bytes.data());
    FrameHeader header;
    header.fin = (data[0] & 0x80) != 0;
    header.rsv = quint8((data[0] >> 4) & 0x7);
    header.opcode = quint8(data[0] & 0x0F);
    header.masked = (data[1] & 0x80) != 0;
    const quint8 length7 = data[1] & 0x7F;
    qsizetype offset = 2;
    if (length7 == 126) {
        if (bytes.size() < offset + 2)
            return NeedMoreBytes{};
        header.payloadLength = qFromBigEndian<quint16>(data + offset);
        offset += 2;
    } else if (length7 == 127) {
        if (bytes.size() < offset + 8)
            return NeedMoreBytes{};
        header.payloadLength = qFromBigEndian<quint64>(data + offset);
        offset += 8;
        if (header.payloadLength >> 63)
            return FrameError{CloseStatus::ProtocolError, u"the frame length has its most significant bit set"_s};
    } else {
        header.payloadLength = length7;
    }
    // Non-minimal length encodings (a 16-bit length under 126, ...) are accepted: RFC 6455 asks senders for
    // the minimal form but nothing is ambiguous about the others, and Node ws and Qt accept them too.
    if (header.masked) {
        if (bytes.size() < offset + 4)
            return NeedMoreBytes{};
        std::memcpy(header.mask.data(), data + offset, 4);
        offset += 4;
    }
    header.headerLength = int(offset);
    return header;
}

std::optional<FrameError> validateClientFrame(const FrameHeader &header)
{
    if (header.rsv != 0)
        return FrameError{CloseStatus::ProtocolError, u"reserved bits set without a negotiated extension"_s};
    if (!isKnownOpcode(header.opcode))
        return FrameError{CloseStatus::ProtocolError, QStringLiteral("reserved opcode %1").arg(int(header.opcode))};
    if (!header.masked)
        return FrameError{CloseStatus::ProtocolError, u"client frames must be masked"_s};
    if (isControl(header.opcode)) {
        if (!header.fin)
            return FrameError{CloseStatus::ProtocolError, u"a control frame must not be fragmented"_s};
        if (header.payloadLength > quint64(kMaxControlPayload))
            return FrameError{CloseStatus::ProtocolError, u"a control frame carries at most 125 bytes"_s};
    }
    return std::nullopt;
}

void appendFrameHeader(QByteArray &out, Opcode opcode, quint64 length, bool fin)
{
    uchar header[10];
    header[0] = uchar((fin ? 0x80 : 0x00) | quint8(opcode));
    qsizetype size = 2;
    if (length < 126) {
        header[1] = uchar(length);
    } else if (length <= 0xFFFF) {
        header[1] = 126;
        qToBigEndian<quint16>(quint16(length), header + 2);
        size = 4;
    } else {
        header[1] = 127;
        qToBigEndian<quint64>(length, header + 2);
        size = 10;
    }
    out.append(reinterpret_cast<const char *>(header), size);
}

QByteArray serverFrame(Opcode opcode, QByteArrayView payload, bool fin)
{
    QByteArray frame;
    frame.reserve(payload.size() + 10);
    appendFrameHeader(frame, opcode, quint64(payload.size()), fin);
    frame.append(payload);
    return frame;
}

QByteArray closeFrame(quint16 code, QByteArrayView reasonUtf8)
{
    if (code == CloseStatus::NoStatus)
        return serverFrame(Opcode::Close, {});
    const QByteArrayView reason = truncateUtf8(reasonUtf8, kMaxCloseReason);
    QByteArray payload(2 + reason.size(), Qt::Uninitialized);
    qToBigEndian<quint16>(code, payload.data());
    if (!reason.isEmpty())
        std::memcpy(payload.data() + 2, reason.data(), size_t(reason.size()));
    return serverFrame(Opcode::Close, payload);
}

void unmask(const char *in, char *out, qsizetype length, const std::array<quint8, 4> &mask, qsizetype keyOffset)
{
    qsizetype i = 0;
    // Eight bytes at a time with the key repeated (rotated to the starting offset); the tail bytewise.
    quint8 rotated[4];
    for (int k = 0; k < 4; ++k)
        rotated[k] = mask[std::size_t((keyOffset + k) & 3)];
    quint32 key32;
    std::memcpy(&key32, rotated, 4);
    const quint64 key64 = (quint64(key32) << 32) | key32;
    for (; i + 8 <= length; i += 8) {
        quint64 word;
        std::memcpy(&word, in + i, 8);
        word ^= key64;
        std::memcpy(out + i, &word, 8);
    }
    for (; i < length; ++i)
        out[i] = char(quint8(in[i]) ^ rotated[i & 3]);
}

QByteArrayView truncateUtf8(QByteArrayView text, qsizetype maxBytes)
{
    if (text.size() <= maxBytes)
        return text;
    qsizetype end = maxBytes;
    // Back off to the start of the character that would be cut (continuation bytes are 10xxxxxx).
    while (end > 0 && (quint8(text[end]) & 0xC0) == 0x80)
        --end;
    return text.first(end);
}

} // namespace Tertulia::WebSocket
