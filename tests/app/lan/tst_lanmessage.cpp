// The discovery datagram: what we send parses back to the same thing, and anything else that reaches
// the port (other programs, garbage, attacks) is refused without a crash.
#include "app/lan/lanmessage.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QRandomGenerator>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Tertulia::LanMessage)

namespace {
QByteArray json(const QJsonObject &object) { return QJsonDocument(object).toJson(QJsonDocument::Compact); }

QJsonObject validAnnounce()
{
    return QJsonObject{{"proto"_L1, "tertulia-lan"_L1}, {"v"_L1, 1},         {"type"_L1, "announce"_L1},
                       {"id"_L1, "AAECAwQFBgcICQoLDA0ODw"_L1}, {"name"_L1, "Ana's chat"_L1}, {"port"_L1, 7420},
                       {"version"_L1, "0.1.0"_L1}, {"users"_L1, 3},   {"web"_L1, true},
                       {"interval"_L1, 2000}};
}

const QString kFingerprint = u"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"_s; // bytes 0..31

QJsonObject validSecureAnnounce()
{
    QJsonObject object = validAnnounce();
    object.insert("sha256"_L1, kFingerprint);
    return object;
}

QJsonObject with(QJsonObject object, const QString &key, const QJsonValue &value)
{
    if (value.isUndefined())
        object.remove(key);
    else
        object.insert(key, value);
    return object;
}
} // namespace

class TestLanMessage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Announcements and byes survive encode → parse unchanged. */
    void roundTrip_data();
    void roundTrip();
    /*! A datagram written by hand (as another implementation would) reads as expected. */
    void readsTheDocumentedFormat();
    /*! Everything that is not a valid datagram of version 1 is refused. */
    void refusesHostileDatagrams_data();
    void refusesHostileDatagrams();
    /*! Names lose control, formatting and bidi-override characters and are cut to 64 code points. */
    void cleansText_data();
    void cleansText();
    /*! The largest announcement we can produce still fits the size cap. */
    void worstCaseFitsTheCap();
    /*! 20 000 seeded random mutations of a valid datagram: no crash, and what parses re-encodes. */
    void mutationsNeverCrash();
    /*! The certificate fingerprint is an optional field: read exactly (43 characters of base64url) or the
     *  datagram is refused; a datagram without it (an older host) has none. */
    void fingerprintField_data();
    void fingerprintField();
    /*! Readers of version 1 keep working: the datagram is still "v":1 and, apart from the new "sha256"
     *  key, byte for byte what a host without it sends (the documented example); readers of version 1
     *  ignore keys they do not know, as the documented format says and readsTheDocumentedFormat checks. */
    void versionOneReadersStillWork();
};

void TestLanMessage::roundTrip_data()
{
    QTest::addColumn<LanMessage>("message");
    LanAnnouncement announcement{u"Ana's chat"_s, 7420, u"0.1.0"_s, 3, true, QByteArray("0123456789abcdef")};
    QTest::newRow("announce") << LanMessage::announce(announcement, 2000);
    announcement.serverName = u"Tertulia de la cocina ☕ 台所"_s;
    announcement.users = 0;
    announcement.webPage = false;
    announcement.port = 65535;
    announcement.instanceId = QByteArray(32, '\xff');
    QTest::newRow("unicode name, biggest id and port") << LanMessage::announce(announcement, 100);
    announcement.serverName.clear();
    announcement.version.clear();
    announcement.instanceId = QByteArray(1, '\0');
    QTest::newRow("empty name and version, one-byte id") << LanMessage::announce(announcement, 60000);
    announcement.fingerprint = CertificateFingerprint::fromBytes(QByteArray(32, '\x5a'));
    QTest::newRow("with a certificate fingerprint") << LanMessage::announce(announcement, 2000);
    QTest::newRow("bye") << LanMessage::bye(QByteArray("0123456789abcdef"));
}

void TestLanMessage::roundTrip()
{
    QFETCH(LanMessage, message);
    const QByteArray datagram = message.encode();
    QVERIFY(datagram.size() <= LanMessage::kMaxDatagramBytes);
    const auto parsed = LanMessage::parse(datagram);
    QVERIFY2(parsed, datagram.constData());
    if (message.kind == LanMessage::Kind::Bye)
        QCOMPARE(parsed->announcement.instanceId, message.announcement.instanceId);
    else
        QVERIFY(*parsed == message);
    QCOMPARE(parsed->kind, message.kind);
}

void TestLanMessage::readsTheDocumentedFormat()
{
    const QByteArray datagram = R"({"proto":"tertulia-lan","v":1,"type":"announce","id":"AAECAwQFBgcICQoLDA0ODw",)"
                                R"("name":"Ana's chat","port":7420,"version":"0.1.0","users":3,"web":true,)"
                                R"("interval":2000,"future":"ignored"})";
    const auto parsed = LanMessage::parse(datagram);
    QVERIFY(parsed);
    QCOMPARE(parsed->kind, LanMessage::Kind::Announce);
    QCOMPARE(parsed->announcement.instanceId, QByteArray::fromHex("000102030405060708090a0b0c0d0e0f"));
    QCOMPARE(parsed->announcement.serverName, u"Ana's chat"_s);
    QCOMPARE(parsed->announcement.port, quint16(7420));
    QCOMPARE(parsed->announcement.version, u"0.1.0"_s);
    QCOMPARE(parsed->announcement.users, 3);
    QCOMPARE(parsed->announcement.webPage, true);
    QCOMPARE(parsed->intervalMs, 2000);

    const auto bye = LanMessage::parse(R"({"proto":"tertulia-lan","v":1,"type":"bye","id":"AAECAwQFBgcICQoLDA0ODw"})");
    QVERIFY(bye);
    QCOMPARE(bye->kind, LanMessage::Kind::Bye);

    // Optional fields may be left out; out-of-range intervals are clamped, not refused.
    const auto minimal = LanMessage::parse(
        json(with(with(with(with(with(validAnnounce(), u"name"_s, {}), u"users"_s, {}), u"web"_s, {}),
                       u"version"_s, {}),
                  u"interval"_s, 1)));
    QVERIFY(minimal);
    QCOMPARE(minimal->announcement.users, 0);
    QCOMPARE(minimal->intervalMs, LanMessage::kMinIntervalMs);
}

void TestLanMessage::refusesHostileDatagrams_data()
{
    QTest::addColumn<QByteArray>("datagram");
    const QJsonObject good = validAnnounce();
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("hello tertulia");
    QTest::newRow("binary") << QByteArray::fromHex("00ff10fe7b22");
    QTest::newRow("json array") << QByteArray("[1,2,3]");
    QTest::newRow("json string") << QByteArray("\"tertulia-lan\"");
    QTest::newRow("truncated") << json(good).left(40);
    QTest::newRow("over the size cap") << json(with(good, u"pad"_s, QString(2000, u'x')));
    QTest::newRow("deep nesting") << QByteArray(500, '[') + QByteArray(500, ']');
    QTest::newRow("other program") << json(with(good, u"proto"_s, u"ssdp"_s));
    QTest::newRow("no proto") << json(with(good, u"proto"_s, {}));
    QTest::newRow("version 2") << json(with(good, u"v"_s, 2));
    QTest::newRow("version as string") << json(with(good, u"v"_s, u"1"_s));
    QTest::newRow("version 1.5") << json(with(good, u"v"_s, 1.5));
    QTest::newRow("unknown type") << json(with(good, u"type"_s, u"hello"_s));
    QTest::newRow("type not a string") << json(with(good, u"type"_s, 1));
    QTest::newRow("no id") << json(with(good, u"id"_s, {}));
    QTest::newRow("empty id") << json(with(good, u"id"_s, u""_s));
    QTest::newRow("id not base64url") << json(with(good, u"id"_s, u"abc/+=="_s));
    QTest::newRow("id too long") << json(with(good, u"id"_s, QString(44, u'A')));
    QTest::newRow("id a number") << json(with(good, u"id"_s, 12345));
    QTest::newRow("no port") << json(with(good, u"port"_s, {}));
    QTest::newRow("port 0") << json(with(good, u"port"_s, 0));
    QTest::newRow("port 65536") << json(with(good, u"port"_s, 65536));
    QTest::newRow("port negative") << json(with(good, u"port"_s, -1));
    QTest::newRow("port a string") << json(with(good, u"port"_s, u"7420"_s));
    QTest::newRow("port fractional") << json(with(good, u"port"_s, 7420.5));
    QTest::newRow("port huge") << QByteArray(R"({"proto":"tertulia-lan","v":1,"type":"announce","id":"AAEC","port":1e309})");
    QTest::newRow("users negative") << json(with(good, u"users"_s, -3));
    QTest::newRow("users absurd") << json(with(good, u"users"_s, 1e12));
    QTest::newRow("users a string") << json(with(good, u"users"_s, u"3"_s));
    QTest::newRow("name not a string") << json(with(good, u"name"_s, QJsonObject{{"a"_L1, 1}}));
    QTest::newRow("name too long") << json(with(good, u"name"_s, QString(300, u'n')));
    QTest::newRow("web not a bool") << json(with(good, u"web"_s, u"yes"_s));
    QTest::newRow("interval negative") << json(with(good, u"interval"_s, -100));
    QTest::newRow("interval a string") << json(with(good, u"interval"_s, u"2000"_s));
}

void TestLanMessage::refusesHostileDatagrams()
{
    QFETCH(QByteArray, datagram);
    QVERIFY2(!LanMessage::parse(datagram), datagram.left(200).constData());
}

void TestLanMessage::cleansText_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"Ana's chat"_s << u"Ana's chat"_s;
    QTest::newRow("control characters") << u"Ana\u0000\u0007\u001b[31m chat"_s << u"Ana[31m chat"_s;
    QTest::newRow("bidi override") << u"\u202eTAHC\u202c chat"_s << u"TAHC chat"_s;
    QTest::newRow("zero-width and BOM") << u"A\u200bn\ufeffa"_s << u"Ana"_s;
    QTest::newRow("newlines and tabs become one space") << u"  Ana\n\n\tchat  "_s << u"Ana chat"_s;
    QTest::newRow("lone surrogate") << (u"Ana"_s + QChar(0xd800) + u" chat"_s) << u"Ana chat"_s;
    QTest::newRow("emoji kept") << u"Café 😀"_s << u"Café 😀"_s;
    QTest::newRow("cut to 64 code points") << QString(100, u'é') << QString(64, u'é');
    QString emoji;
    for (int i = 0; i < 70; ++i)
        emoji += u"😀"_s;
    QString expected;
    for (int i = 0; i < 64; ++i)
        expected += u"😀"_s;
    QTest::newRow("cut counts code points, never splits a pair") << emoji << expected;
}

void TestLanMessage::cleansText()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(LanMessage::cleanText(input, LanMessage::kMaxNameLength), expected);
    // The same cleaning applies on the way in, whatever the sender did.
    const auto parsed = LanMessage::parse(json(with(validAnnounce(), u"name"_s, input.left(200))));
    QVERIFY(parsed);
    QCOMPARE(parsed->announcement.serverName, LanMessage::cleanText(input.left(200), LanMessage::kMaxNameLength));
}

void TestLanMessage::worstCaseFitsTheCap()
{
    QString name;
    for (int i = 0; i < 200; ++i)
        name += u"😀"_s; // 4 UTF-8 bytes each
    LanAnnouncement announcement{name, 65535, QString(100, u'€'), 999999999, true, QByteArray(100, 'x'),
                                 CertificateFingerprint::fromBytes(QByteArray(32, '\xff'))};
    const QByteArray datagram = LanMessage::announce(announcement, 999999).encode();
    QVERIFY2(datagram.size() <= LanMessage::kMaxDatagramBytes, QByteArray::number(datagram.size()).constData());
    qInfo("largest announcement: %lld bytes", qint64(datagram.size()));
    const auto parsed = LanMessage::parse(datagram);
    QVERIFY(parsed);
    QCOMPARE(parsed->announcement.users, LanMessage::kMaxUsers);
    QCOMPARE(parsed->announcement.instanceId.size(), LanMessage::kMaxInstanceIdBytes);
    QCOMPARE(parsed->intervalMs, LanMessage::kMaxIntervalMs);
}

void TestLanMessage::mutationsNeverCrash()
{
    QRandomGenerator random(20240611);
    const QByteArray base = json(validSecureAnnounce());
    int parsedCount = 0;
    for (int round = 0; round < 20000; ++round) {
        QByteArray datagram = base;
        const int edits = 1 + int(random.bounded(8));
        for (int e = 0; e < edits; ++e) {
            const qsizetype at = random.bounded(datagram.size() + 1);
            switch (random.bounded(4)) {
            case 0: // flip a byte
                if (at < datagram.size())
                    datagram[at] = char(random.bounded(256));
                break;
            case 1: // delete a run
                datagram.remove(at, random.bounded(6));
                break;
            case 2: // insert a structural character
                datagram.insert(at, "{}[]\",:0-e\\"[random.bounded(11)]);
                break;
            default: // duplicate a run
                datagram.insert(at, datagram.mid(random.bounded(datagram.size()), random.bounded(20)));
                break;
            }
        }
        if (const auto parsed = LanMessage::parse(datagram)) {
            ++parsedCount;
            const auto again = LanMessage::parse(parsed->encode());
            QVERIFY2(again, datagram.constData());
            if (parsed->kind == LanMessage::Kind::Announce)
                QVERIFY2(*again == *parsed, datagram.constData());
        }
    }
    qInfo("%d of 20000 mutations still parsed", parsedCount);
}

void TestLanMessage::fingerprintField_data()
{
    QTest::addColumn<QByteArray>("datagram");
    QTest::addColumn<bool>("valid");
    QTest::newRow("base64url") << json(validSecureAnnounce()) << true;
    QTest::newRow("absent (older host)") << json(validAnnounce()) << true;
    QTest::newRow("one character short") << json(with(validAnnounce(), u"sha256"_s, kFingerprint.left(42))) << false;
    QTest::newRow("one character long") << json(with(validAnnounce(), u"sha256"_s, kFingerprint + u'A')) << false;
    QTest::newRow("hex instead") << json(with(validAnnounce(), u"sha256"_s, QString(64, u'a'))) << false;
    QTest::newRow("standard base64") << json(with(validAnnounce(), u"sha256"_s, u"+"_s + kFingerprint.mid(1))) << false;
    QTest::newRow("empty") << json(with(validAnnounce(), u"sha256"_s, u""_s)) << false;
    QTest::newRow("a number") << json(with(validAnnounce(), u"sha256"_s, 42)) << false;
    // JSON null reads as "not there", as for every optional field (leaving it out says the same).
    QTest::newRow("null") << json(with(validAnnounce(), u"sha256"_s, QJsonValue::Null)) << true;
}

void TestLanMessage::fingerprintField()
{
    QFETCH(QByteArray, datagram);
    QFETCH(bool, valid);
    const auto parsed = LanMessage::parse(datagram);
    QCOMPARE(parsed.has_value(), valid);
    if (!valid)
        return;
    if (datagram.contains("sha256\":\"")) {
        QByteArray bytes;
        for (int i = 0; i < 32; ++i)
            bytes.append(char(i));
        QCOMPARE(parsed->announcement.fingerprint, CertificateFingerprint::fromBytes(bytes));
    } else {
        QVERIFY(parsed->announcement.fingerprint.isNull());
    }
}

void TestLanMessage::versionOneReadersStillWork()
{
    // docs/lan-discovery.md's example, as hosts wrote it before the fingerprint existed.
    const QByteArray versionOne = R"({"id":"q7Lq2lX1S3W3cmP5v0eJ8w","interval":2000,"name":"Ana's chat","port":7420,)"
                                  R"("proto":"tertulia-lan","type":"announce","users":3,"v":1,"version":"0.1.0","web":false})";
    LanAnnouncement announcement{u"Ana's chat"_s, 7420, u"0.1.0"_s, 3, false,
                                 QByteArray::fromBase64("q7Lq2lX1S3W3cmP5v0eJ8w", QByteArray::Base64UrlEncoding)};
    QCOMPARE(LanMessage::announce(announcement, 2000).encode(), versionOne);

    announcement.fingerprint = *CertificateFingerprint::parse(kFingerprint);
    const QByteArray now = LanMessage::announce(announcement, 2000).encode();
    QJsonObject withoutField = QJsonDocument::fromJson(now).object();
    QCOMPARE(withoutField.take("sha256"_L1).toString(), kFingerprint);
    QCOMPARE(json(withoutField), versionOne);
    QCOMPARE(QJsonDocument::fromJson(now).object().value("v"_L1).toInt(), 1);
    QVERIFY(now.size() <= 600);

    // And a version-1 host is still understood by this reader: no fingerprint, an http:// address.
    const auto old = LanMessage::parse(versionOne);
    QVERIFY(old);
    QVERIFY(old->announcement.fingerprint.isNull());
}

QTEST_APPLESS_MAIN(TestLanMessage)
#include "tst_lanmessage.moc"
