// Links to a chat: the forms the Server field, the share card, the QR code and tertulia:// links use,
// with the certificate's fingerprint read exactly (hex as browsers show it, or base64url as links carry
// it), and every malformed fingerprint refused rather than ignored.
#include "app/net/serverlink.h"

#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

namespace {
// 32 bytes 0x00, 0x01, … 0x1f.
QByteArray sampleBytes()
{
    QByteArray bytes;
    for (int i = 0; i < 32; ++i)
        bytes.append(char(i));
    return bytes;
}
const CertificateFingerprint kSample = CertificateFingerprint::fromBytes(sampleBytes());
const QString kHex = u"00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F"_s;
const QString kBase64 = u"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"_s;
} // namespace

class TestServerLink : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! The fingerprint's forms: hex with colons (browsers), spaces or nothing, any case, a "sha256:"
     *  prefix, and base64url; everything of another length or alphabet is refused. */
    void fingerprintForms_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::newRow("hex with colons") << kHex << true;
        QTest::newRow("lower case") << kHex.toLower() << true;
        QTest::newRow("spaces (Chrome's viewer)") << QString(kHex).replace(u':', u' ') << true;
        QTest::newRow("bare hex") << QString(kHex).remove(u':') << true;
        QTest::newRow("sha256 prefix") << u"SHA256: "_s + kHex << true;
        QTest::newRow("base64url") << kBase64 << true;
        QTest::newRow("base64url with prefix") << u"sha256:"_s + kBase64 << true;
        QTest::newRow("one byte short") << kHex.left(kHex.size() - 3) << false;
        QTest::newRow("one byte long") << kHex + u":20"_s << false;
        QTest::newRow("not hex") << QString(kHex).replace(u'A', u'G') << false;
        QTest::newRow("standard base64 alphabet") << u"+"_s + kBase64.mid(1) << false;
        QTest::newRow("base64 of 31 bytes") << kBase64.left(42) << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("sha1 length") << QString(kHex).left(59) << false;
    }
    void fingerprintForms()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const auto parsed = CertificateFingerprint::parse(text);
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(*parsed, kSample);
    }

    /*! Written forms: hex as the dialogs show it, base64url as links carry it. */
    void fingerprintWritten()
    {
        QCOMPARE(kSample.toHex(), kHex);
        QCOMPARE(kSample.toBase64Url(), kBase64);
        QCOMPARE(kSample.shortHex(), u"00:01:02:03"_s);
        QCOMPARE(kSample.toHexLines(16).count(u'\n'), 1);
        QVERIFY(CertificateFingerprint::fromBytes(QByteArray(31, 'x')).isNull());
    }

    /*! Every link form: plain addresses stay as they were; a #sha256= fragment or a tertulia:// link
     *  gives a fingerprint and makes the address secure; tertulia:// carries a room. */
    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("id");
        QTest::addColumn<bool>("hasFingerprint");
        QTest::addColumn<QString>("room");
        QTest::newRow("host:port") << u"192.168.1.20:7420"_s << u"192.168.1.20:7420"_s << false << QString();
        QTest::newRow("https url") << u"https://192.168.1.20:7420/"_s << u"https://192.168.1.20:7420"_s << false << QString();
        QTest::newRow("share card link") << u"https://192.168.1.20:7420/#sha256="_s + kBase64
                                         << u"https://192.168.1.20:7420"_s << true << QString();
        QTest::newRow("hex in fragment") << u"https://192.168.1.20:7420/#sha256="_s + kHex
                                         << u"https://192.168.1.20:7420"_s << true << QString();
        QTest::newRow("address with fragment is secure") << u"192.168.1.20:7420#sha256="_s + kBase64
                                                         << u"https://192.168.1.20:7420"_s << true << QString();
        QTest::newRow("http link with fingerprint is secure") << u"http://[fd00::7]:7420/#sha256="_s + kBase64
                                                              << u"https://[fd00::7]:7420"_s << true << QString();
        QTest::newRow("app link") << u"tertulia://192.168.1.20:7420/general?sha256="_s + kBase64
                                  << u"https://192.168.1.20:7420"_s << true << u"general"_s;
        QTest::newRow("app link, default port, no room") << u"tertulia://chat.example.org"_s
                                                         << u"https://chat.example.org:7420"_s << false << QString();
        QTest::newRow("app link, room with accents") << u"tertulia://10.0.0.5:9000/m%C3%BAsica"_s
                                                     << u"https://10.0.0.5:9000"_s << false << u"música"_s;
        QTest::newRow("app link, unknown keys ignored") << u"tertulia://10.0.0.5:9000/?v=2&sha256="_s + kBase64
                                                        << u"https://10.0.0.5:9000"_s << true << QString();
    }
    void parses()
    {
        QFETCH(QString, text);
        QFETCH(QString, id);
        QFETCH(bool, hasFingerprint);
        QFETCH(QString, room);
        const auto link = ServerLink::parse(text);
        QVERIFY(link.has_value());
        QCOMPARE(link->address.id(), id);
        QCOMPARE(link->fingerprint.has_value(), hasFingerprint);
        if (hasFingerprint)
            QCOMPARE(*link->fingerprint, kSample);
        QCOMPARE(link->room, room);
    }

    /*! A link that names a fingerprint badly is refused as a whole: it must never be read as a link that
     *  names none (which would fall back to trust on first use). */
    void refuses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("short fingerprint") << u"https://192.168.1.20:7420/#sha256=AAEC"_s;
        QTest::newRow("other fragment") << u"https://192.168.1.20:7420/#room=general"_s;
        QTest::newRow("empty fragment value") << u"https://192.168.1.20:7420/#sha256="_s;
        QTest::newRow("app link, bad fingerprint") << u"tertulia://192.168.1.20:7420/?sha256=xyz"_s;
        QTest::newRow("app link, bad room") << u"tertulia://192.168.1.20:7420/no%20spaces"_s;
        QTest::newRow("app link, user info") << u"tertulia://ana@192.168.1.20:7420/"_s;
        QTest::newRow("app link, bad port") << u"tertulia://192.168.1.20:99999/"_s;
        QTest::newRow("not an address") << u"ftp://192.168.1.20/"_s;
    }
    void refuses()
    {
        QFETCH(QString, text);
        QVERIFY(!ServerLink::parse(text).has_value());
    }

    /*! What the share card and QR code write reads back to the same link, in both forms. */
    void roundTrip()
    {
        ServerLink link;
        link.address = ServerAddress(u"192.168.1.20"_s, 7420, true);
        link.fingerprint = kSample;
        QCOMPARE(link.webUrl().toString(), u"https://192.168.1.20:7420/#sha256="_s + kBase64);
        QCOMPARE(ServerLink::parse(link.webUrl().toString()), link);
        link.room = u"general"_s;
        QCOMPARE(link.appUrl().toString(), u"tertulia://192.168.1.20:7420/general?sha256="_s + kBase64);
        QCOMPARE(ServerLink::parse(link.appUrl().toString()), link);
    }
};

QTEST_APPLESS_MAIN(TestServerLink)
#include "tst_serverlink.moc"
