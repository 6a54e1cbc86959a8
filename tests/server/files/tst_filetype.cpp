// What an upload is (server/files/filetype): the four image headers read right, every truncation of them and
// hostile sizes read as "not an image" (never past the end: run under ASan too), and the declared type checks.
#include "server/files/filetype.h"

#include <QtCore/QtEndian>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace Tertulia::Files;

Q_DECLARE_METATYPE(Tertulia::Files::Kind)

namespace {
QByteArray be32(quint32 v)
{
    QByteArray b(4, Qt::Uninitialized);
    qToBigEndian(v, b.data());
    return b;
}
QByteArray le16(quint16 v)
{
    QByteArray b(2, Qt::Uninitialized);
    qToLittleEndian(v, b.data());
    return b;
}
QByteArray le32(quint32 v)
{
    QByteArray b(4, Qt::Uninitialized);
    qToLittleEndian(v, b.data());
    return b;
}

QByteArray png(quint32 w, quint32 h)
{
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + be32(13) + "IHDR" + be32(w) + be32(h) + QByteArray("\x08\x06\0\0\0", 5)
        + be32(0);
}
QByteArray gif(quint16 w, quint16 h) { return "GIF89a" + le16(w) + le16(h) + QByteArray("\xf7\0\0", 3); }
/// SOI, an APP0 segment, then a baseline frame header (SOF0): length, precision, height, width.
QByteArray jpeg(quint16 w, quint16 h)
{
    QByteArray b("\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 20);
    b += QByteArray("\xff\xc0\0\x11\x08", 5);
    b += char(h >> 8);
    b += char(h & 0xff);
    b += char(w >> 8);
    b += char(w & 0xff);
    b += QByteArray("\x03\x01\x22\0\x02\x11\x01\x03\x11\x01", 10);
    return b;
}
QByteArray riff(const QByteArray &chunk, const QByteArray &payload)
{
    return "RIFF" + le32(quint32(4 + 8 + payload.size())) + "WEBP" + chunk + le32(quint32(payload.size())) + payload;
}
QByteArray webpLossy(quint16 w, quint16 h)
{
    return riff("VP8 ", QByteArray("\x30\x01\0\x9d\x01\x2a", 6) + le16(w) + le16(h) + QByteArray(8, '\0'));
}
QByteArray webpLossless(quint32 w, quint32 h)
{
    return riff("VP8L", QByteArray("\x2f", 1) + le32((w - 1) | ((h - 1) << 14)) + QByteArray(8, '\0'));
}
QByteArray webpExtended(quint32 w, quint32 h)
{
    const quint32 wm = w - 1, hm = h - 1;
    QByteArray p(4, '\0');
    p += char(wm & 0xff);
    p += char((wm >> 8) & 0xff);
    p += char((wm >> 16) & 0xff);
    p += char(hm & 0xff);
    p += char((hm >> 8) & 0xff);
    p += char((hm >> 16) & 0xff);
    return riff("VP8X", p);
}
} // namespace

class TestFileType : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sniff_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<Kind>("kind");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::newRow("png") << png(640, 480) << Kind::Png << 640 << 480;
        QTest::newRow("gif") << gif(1, 65535) << Kind::Gif << 1 << 65535;
        QTest::newRow("jpeg") << jpeg(1024, 768) << Kind::Jpeg << 1024 << 768;
        QTest::newRow("jpeg progressive") << QByteArray(jpeg(300, 200)).replace("\xff\xc0", "\xff\xc2") << Kind::Jpeg << 300 << 200;
        QTest::newRow("webp lossy") << webpLossy(320, 240) << Kind::WebP << 320 << 240;
        QTest::newRow("webp lossless") << webpLossless(1, 16384) << Kind::WebP << 1 << 16384;
        QTest::newRow("webp extended") << webpExtended(4000, 3000) << Kind::WebP << 4000 << 3000;
        // Rainy days: not images, or images whose size cannot be trusted.
        QTest::newRow("empty") << QByteArray() << Kind::Other << 0 << 0;
        QTest::newRow("text") << QByteArray("hello, world") << Kind::Other << 0 << 0;
        QTest::newRow("html") << QByteArray("<html><script>alert(1)</script>") << Kind::Other << 0 << 0;
        QTest::newRow("png zero width") << png(0, 10) << Kind::Other << 0 << 0;
        QTest::newRow("png huge") << png(0x7fffffff, 10) << Kind::Other << 0 << 0;
        QTest::newRow("png without ihdr") << QByteArray(png(1, 1)).replace("IHDR", "IDAT") << Kind::Other << 0 << 0;
        QTest::newRow("gif zero") << gif(0, 0) << Kind::Other << 0 << 0;
        QTest::newRow("jpeg scan before frame") << QByteArray("\xff\xd8\xff\xda\0\x02", 6) << Kind::Other << 0 << 0;
        QTest::newRow("jpeg zero length") << QByteArray("\xff\xd8\xff\xe0\0\0\xff\xc0", 8) << Kind::Other << 0 << 0;
        QTest::newRow("jpeg garbage") << QByteArray("\xff\xd8\xff\x00\x01\x02\x03\x04", 8) << Kind::Other << 0 << 0;
        QTest::newRow("jpeg length past end") << QByteArray("\xff\xd8\xff\xe0\xff\xff", 6) << Kind::Other << 0 << 0;
        QTest::newRow("webp extended too large") << webpExtended(70000, 2) << Kind::Other << 0 << 0;
        QTest::newRow("webp unknown chunk") << riff("ALPH", QByteArray(20, '\0')) << Kind::Other << 0 << 0;
        QTest::newRow("webp lossy bad start code") << riff("VP8 ", QByteArray(20, '\0')) << Kind::Other << 0 << 0;
    }
    /*! The kind and size of each header; hostile ones are Other. */
    void sniff()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(Kind, kind);
        QFETCH(int, width);
        QFETCH(int, height);
        const Sniffed sniffed = Tertulia::Files::sniff(bytes);
        QCOMPARE(sniffed.kind, kind);
        QCOMPARE(sniffed.width, width);
        QCOMPARE(sniffed.height, height);
    }

    /*! Every truncation of every good header is read without a read past the end (each prefix copied to a
        buffer of exactly its size, so ASan sees an overrun), and never as an image of another size. */
    void truncated()
    {
        for (const QByteArray &whole : {png(640, 480), gif(2, 3), jpeg(1024, 768), webpLossy(320, 240),
                                        webpLossless(5, 6), webpExtended(7, 8)}) {
            const Sniffed full = Tertulia::Files::sniff(whole);
            QVERIFY(full.isImage());
            for (qsizetype n = 0; n < whole.size(); ++n) {
                const std::unique_ptr<char[]> exact(new char[size_t(std::max<qsizetype>(n, 1))]);
                memcpy(exact.get(), whole.constData(), size_t(n));
                const Sniffed part = Tertulia::Files::sniff(QByteArrayView(exact.get(), n));
                QVERIFY(!part.isImage() || (part.width == full.width && part.height == full.height));
            }
        }
    }

    /*! The declared Content-Type must be the image's own; anything else any type but an image's. */
    void declaredType()
    {
        QVERIFY(declaredTypeAgrees("image/png", Kind::Png));
        QVERIFY(declaredTypeAgrees("Image/PNG; charset=binary", Kind::Png));
        QVERIFY(declaredTypeAgrees("image/jpg", Kind::Jpeg));
        QVERIFY(!declaredTypeAgrees("image/jpeg", Kind::Png));
        QVERIFY(!declaredTypeAgrees("application/octet-stream", Kind::Gif));
        QVERIFY(declaredTypeAgrees("application/pdf", Kind::Other));
        QVERIFY(declaredTypeAgrees("text/html", Kind::Other));
        QVERIFY(!declaredTypeAgrees("image/webp", Kind::Other));
        QCOMPARE(mediaType(Kind::WebP), u"image/webp"_s);
        QCOMPARE(mediaType(Kind::Other), u"application/octet-stream"_s);
    }
};

QTEST_APPLESS_MAIN(TestFileType)
#include "tst_filetype.moc"
