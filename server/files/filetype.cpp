#include "server/files/filetype.h"

#include <QtCore/QtEndian>

using namespace Qt::StringLiterals;

namespace Tertulia::Files {

namespace {
constexpr int kMaxSide = 65535;

quint16 be16(QByteArrayView b, qsizetype at) { return qFromBigEndian<quint16>(b.data() + at); }
quint32 be32(QByteArrayView b, qsizetype at) { return qFromBigEndian<quint32>(b.data() + at); }
quint16 le16(QByteArrayView b, qsizetype at) { return qFromLittleEndian<quint16>(b.data() + at); }
quint32 le24(QByteArrayView b, qsizetype at)
{
    return quint32(quint8(b[at])) | quint32(quint8(b[at + 1])) << 8 | quint32(quint8(b[at + 2])) << 16;
}
quint32 le32(QByteArrayView b, qsizetype at) { return qFromLittleEndian<quint32>(b.data() + at); }

Sniffed sized(Kind kind, qint64 width, qint64 height)
{
    if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide)
        return {};
    return Sniffed{kind, int(width), int(height)};
}

Sniffed png(QByteArrayView b)
{
    // Signature (8), then the first chunk must be IHDR: length (4) "IHDR" (4) width (4) height (4).
    if (b.size() < 24 || b.sliced(12, 4) != "IHDR")
        return {};
    return sized(Kind::Png, be32(b, 16), be32(b, 20));
}

Sniffed gif(QByteArrayView b)
{
    // "GIF87a"/"GIF89a", then the logical screen's width and height, little-endian.
    if (b.size() < 10)
        return {};
    return sized(Kind::Gif, le16(b, 6), le16(b, 8));
}

Sniffed jpeg(QByteArrayView b)
{
    // Walk the segments after SOI until a start of frame (SOF0-SOF15 but DHT C4, JPG C8, DAC CC).
    qsizetype at = 2;
    while (at + 4 <= b.size()) {
        if (quint8(b[at]) != 0xFF)
            return {};
        const quint8 marker = quint8(b[at + 1]);
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { // no length
            at += 2;
            continue;
        }
        if (marker == 0xD9 || marker == 0xDA) // end of image, start of scan: no frame header before
            return {};
        const quint16 length = be16(b, at + 2);
        if (length < 2)
            return {};
        const bool frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            // length (2), precision (1), height (2), width (2)
            if (length < 7 || at + 9 > b.size())
                return {};
            return sized(Kind::Jpeg, be16(b, at + 7), be16(b, at + 5));
        }
        at += 2 + length;
    }
    return {};
}

Sniffed webp(QByteArrayView b)
{
    // "RIFF" size "WEBP", then the first chunk: "VP8 " (lossy), "VP8L" (lossless) or "VP8X" (extended).
    if (b.size() < 30)
        return {};
    const QByteArrayView chunk = b.sliced(12, 4);
    if (chunk == "VP8 ") {
        // Frame tag (3) then the start code 9d 01 2a, then 14-bit width and height.
        if (quint8(b[23]) != 0x9D || quint8(b[24]) != 0x01 || quint8(b[25]) != 0x2A)
            return {};
        return sized(Kind::WebP, le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
    }
    if (chunk == "VP8L") {
        // Signature 0x2f, then 14 bits width - 1 and 14 bits height - 1.
        if (quint8(b[20]) != 0x2F)
            return {};
        const quint32 bits = le32(b, 21);
        return sized(Kind::WebP, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
    }
    if (chunk == "VP8X") {
        // Flags (4), then 24-bit canvas width - 1 and height - 1 (up to 2^24: larger than kMaxSide is refused).
        return sized(Kind::WebP, qint64(le24(b, 24)) + 1, qint64(le24(b, 27)) + 1);
    }
    return {};
}
} // namespace

QString mediaType(Kind kind)
{
    switch (kind) {
    case Kind::Png: return u"image/png"_s;
    case Kind::Jpeg: return u"image/jpeg"_s;
    case Kind::Gif: return u"image/gif"_s;
    case Kind::WebP: return u"image/webp"_s;
    case Kind::Other: break;
    }
    return u"application/octet-stream"_s;
}

Sniffed sniff(QByteArrayView b)
{
    if (b.startsWith("\x89PNG\r\n\x1a\n"))
        return png(b);
    if (b.startsWith("GIF87a") || b.startsWith("GIF89a"))
        return gif(b);
    if (b.size() >= 3 && quint8(b[0]) == 0xFF && quint8(b[1]) == 0xD8 && quint8(b[2]) == 0xFF)
        return jpeg(b);
    if (b.size() >= 12 && b.startsWith("RIFF") && b.sliced(8, 4) == "WEBP")
        return webp(b);
    return {};
}

bool declaredTypeAgrees(QByteArrayView declaredContentType, Kind kind)
{
    // The media type without parameters ("image/png; charset=..." is still image/png), any case.
    QByteArray declared = declaredContentType.toByteArray();
    if (const qsizetype semicolon = declared.indexOf(';'); semicolon >= 0)
        declared.truncate(semicolon);
    declared = declared.trimmed().toLower();
    if (declared == "image/jpg") // a common misspelling of image/jpeg
        declared = "image/jpeg";
    if (kind != Kind::Other)
        return declared == mediaType(kind).toLatin1();
    for (Kind image : {Kind::Png, Kind::Jpeg, Kind::Gif, Kind::WebP}) {
        if (declared == mediaType(image).toLatin1())
            return false;
    }
    return true;
}

} // namespace Tertulia::Files
