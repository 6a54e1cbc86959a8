#pragma once

// Client-side frames for the WebSocket tests (the codec, the connections, the server's paths), written
// independently of the server's encoder (which never masks), with knobs to break every rule a server must
// enforce.
#include <QtCore/QByteArray>
#include <QtCore/QtEndian>

#include <array>

namespace Tertulia::Test {

struct ClientFrame
{
    quint8 opcode = 0x1;
    QByteArray payload;
    bool fin = true;
    quint8 rsv = 0;
    bool masked = true;
    std::array<quint8, 4> key{0x37, 0xfa, 0x21, 0x3d};
    int lengthBytes = 0;              ///< 0: the minimal form; 2 or 8 force a 16- or 64-bit length
    quint64 announcedLength = 0;      ///< when not 0, the length field says this instead of the payload size

    QByteArray bytes() const
    {
        QByteArray out;
        out.append(char((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0F)));
        const quint64 length = announcedLength ? announcedLength : quint64(payload.size());
        const quint8 maskBit = masked ? 0x80 : 0;
        const int form = lengthBytes ? lengthBytes : (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8);
        if (form == 0) {
            out.append(char(maskBit | length));
        } else if (form == 2) {
            out.append(char(maskBit | 126));
            uchar be[2];
            qToBigEndian<quint16>(quint16(length), be);
            out.append(reinterpret_cast<const char *>(be), 2);
        } else {
            out.append(char(maskBit | 127));
            uchar be[8];
            qToBigEndian<quint64>(length, be);
            out.append(reinterpret_cast<const char *>(be), 8);
        }
        if (masked) {
            out.append(reinterpret_cast<const char *>(key.data()), 4);
            for (qsizetype i = 0; i < payload.size(); ++i)
                out.append(char(quint8(payload[i]) ^ key[std::size_t(i % 4)]));
        } else {
            out.append(payload);
        }
        return out;
    }
};

inline QByteArray textFrame(const QByteArray &payload, bool fin = true) { return ClientFrame{0x1, payload, fin}.bytes(); }
inline QByteArray binaryFrame(const QByteArray &payload, bool fin = true) { return ClientFrame{0x2, payload, fin}.bytes(); }
inline QByteArray continuationFrame(const QByteArray &payload, bool fin) { return ClientFrame{0x0, payload, fin}.bytes(); }
inline QByteArray pingFrame(const QByteArray &payload) { return ClientFrame{0x9, payload}.bytes(); }
inline QByteArray pongFrame(const QByteArray &payload) { return ClientFrame{0xA, payload}.bytes(); }
inline QByteArray closePayload(quint16 code, const QByteArray &reason = {})
{
    uchar be[2];
    qToBigEndian<quint16>(code, be);
    return QByteArray(reinterpret_cast<const char *>(be), 2) + reason;
}
inline QByteArray clientClose(quint16 code, const QByteArray &reason = {})
{
    return ClientFrame{0x8, closePayload(code, reason)}.bytes();
}

} // namespace Tertulia::Test
