// QR codes for the share card: the right size for what they hold, the three finder patterns and the
// timing lines where a reader looks for them, and, when zbarimg (Debian zbar-tools) is installed, a
// rendered PNG that an independent decoder reads back to the exact bytes.
#include "app/hosting/qrcode.h"

#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QImage>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

namespace {
/// The UI's job, done here the simple way: black modules on white, 4 modules of quiet zone.
QImage render(const QrMatrix &matrix, int scale = 6)
{
    constexpr int kQuiet = 4;
    const int side = (matrix.size + 2 * kQuiet) * scale;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(255);
    for (int y = 0; y < matrix.size; ++y) {
        for (int x = 0; x < matrix.size; ++x) {
            if (!matrix.at(x, y))
                continue;
            for (int dy = 0; dy < scale; ++dy) {
                uchar *line = image.scanLine((y + kQuiet) * scale + dy);
                std::fill_n(line + (x + kQuiet) * scale, scale, uchar(0));
            }
        }
    }
    return image;
}

/// The 7×7 finder pattern (dark ring, light ring, dark 3×3) with its light separator.
bool hasFinderAt(const QrMatrix &m, int left, int top)
{
    for (int y = -1; y <= 7; ++y) {
        for (int x = -1; x <= 7; ++x) {
            const int px = left + x, py = top + y;
            if (px < 0 || py < 0 || px >= m.size || py >= m.size)
                continue;
            const int ring = std::max(std::abs(x - 3), std::abs(y - 3));
            const bool dark = ring == 3 || ring <= 1;
            if (ring == 4) { // separator
                if (m.at(px, py))
                    return false;
            } else if (m.at(px, py) != dark) {
                return false;
            }
        }
    }
    return true;
}
} // namespace

class TestQrCode : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void structure_data();
    /*! Size follows the version that fits (level M, 8-bit); finders in three corners; timing lines. */
    void structure();
    /*! Empty input and more than a QR code holds give nullopt. */
    void refusesWhatCannotBeEncoded();
    void decodesWithZbar_data();
    /*! Rendered to PNG and read by zbarimg, the code gives back the exact text. */
    void decodesWithZbar();
};

void TestQrCode::structure_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("version");
    // Level M, 8-bit capacities: v1 14 bytes, v2 26, v3 42, v4 62, v5 84, v6 106, v10 213.
    QTest::newRow("14 bytes: version 1") << QByteArray("http://a.b:1/x") << 1;
    QTest::newRow("share URL, 25 bytes: version 2") << QByteArray("http://192.168.1.23:7420/") << 2;
    QTest::newRow("IPv6 URL, 36 bytes: version 3") << QByteArray("http://[2a01:db8:1::5]:7420/?x=12345") << 3;
    QTest::newRow("100 bytes: version 6") << QByteArray(100, 'x') << 6;
    QTest::newRow("213 bytes: version 10") << QByteArray(213, 'y') << 10;
    QTest::newRow("214 bytes: version 11") << QByteArray(214, 'y') << 11;
}

void TestQrCode::structure()
{
    QFETCH(QByteArray, text);
    QFETCH(int, version);
    const auto matrix = encodeQr(text);
    QVERIFY(matrix);
    QCOMPARE(matrix->version, version);
    QCOMPARE(matrix->size, 17 + 4 * version);
    QCOMPARE(matrix->modules.size(), matrix->size * matrix->size);
    const int far = matrix->size - 7;
    QVERIFY(hasFinderAt(*matrix, 0, 0));
    QVERIFY(hasFinderAt(*matrix, far, 0));
    QVERIFY(hasFinderAt(*matrix, 0, far));
    QVERIFY(!hasFinderAt(*matrix, far, far)); // the fourth corner holds data, not a finder
    for (int i = 8; i < matrix->size - 8; ++i) {
        QCOMPARE(matrix->at(i, 6), i % 2 == 0);
        QCOMPARE(matrix->at(6, i), i % 2 == 0);
    }
    QVERIFY(matrix->at(8, matrix->size - 8)); // the dark module every symbol has
    QVERIFY(!matrix->at(-1, 0));
    QVERIFY(!matrix->at(0, matrix->size));
}

void TestQrCode::refusesWhatCannotBeEncoded()
{
    QVERIFY(!encodeQr(QByteArray()));
    QVERIFY(!encodeQr(QByteArray(3000, 'z')));
    QVERIFY(encodeQr(QByteArray(2331, 'z'))); // the most 8-bit bytes version 40-M holds
    QVERIFY(!encodeQr(QByteArray(2332, 'z')));
}

void TestQrCode::decodesWithZbar_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("share URL") << QByteArray("http://192.168.1.23:7420/");
    QTest::newRow("IPv6 share URL") << QByteArray("http://[fd12:3456::3]:7420/");
    QTest::newRow("mixed case kept") << QByteArray("http://Host.Example:7420/Chat?Room=General");
    QTest::newRow("UTF-8") << u"Tertulia de la cocina ☕ ñandú"_s.toUtf8();
    QTest::newRow("long") << QByteArray("http://10.0.0.5:7420/").repeated(20);
}

void TestQrCode::decodesWithZbar()
{
    const QString zbarimg = QStandardPaths::findExecutable(u"zbarimg"_s);
    if (zbarimg.isEmpty())
        QSKIP("zbarimg is not installed (Debian: zbar-tools): QR codes not decoded independently");
    QFETCH(QByteArray, text);
    const auto matrix = encodeQr(text);
    QVERIFY(matrix);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString png = dir.filePath(u"code.png"_s);
    QVERIFY(render(*matrix).save(png));

    QProcess zbar;
    zbar.start(zbarimg, {u"--raw"_s, u"--quiet"_s, u"-Sbinary"_s, png});
    QVERIFY(zbar.waitForFinished(30000));
    QCOMPARE(zbar.exitCode(), 0);
    QByteArray decoded = zbar.readAllStandardOutput();
    QCOMPARE(decoded, text);
}

QTEST_GUILESS_MAIN(TestQrCode)
#include "tst_qrcode.moc"
