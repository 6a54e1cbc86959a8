// The admin API's views: their JSON, and the id and reason checks (server/api/adminviews.h).
#include "server/api/adminviews.h"

#include <QtCore/QJsonDocument>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace Tertulia;
using namespace Tertulia::Admin;
using L1 = QLatin1StringView;

class TestAdminViews : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Every field of a connection, under its documented name; no user and no RTT yet are null. */
    void connectionJson()
    {
        ConnectionView view{12, u"alice"_s, u"ready"_s, u"10.0.0.7"_s, u"socket.io"_s, u"polling"_s,
                            1'700'000'000'123, 42, 4096, 3};
        const QJsonObject json = view.toJson();
        QCOMPARE(json.value(L1("id")).toString(), u"12"_s);
        QCOMPARE(json.value(L1("user")).toString(), u"alice"_s);
        QCOMPARE(json.value(L1("state")).toString(), u"ready"_s);
        QCOMPARE(json.value(L1("address")).toString(), u"10.0.0.7"_s);
        QCOMPARE(json.value(L1("protocol")).toString(), u"socket.io"_s);
        QCOMPARE(json.value(L1("transport")).toString(), u"polling"_s);
        QCOMPARE(json.value(L1("connected_at")).toInteger(), 1'700'000'000'123);
        QCOMPARE(json.value(L1("rtt_ms")).toInteger(), 42);
        QCOMPARE(json.value(L1("queued_bytes")).toInteger(), 4096);
        QCOMPARE(json.value(L1("rooms")).toInt(), 3);
        QCOMPARE(json.size(), 10);

        const QJsonObject fresh = ConnectionView{7, {}, u"awaiting_auth"_s, u"::1"_s, u"native"_s, u"fastpath"_s,
                                                 5, std::nullopt, 0, 0}
                                      .toJson();
        QVERIFY(fresh.value(L1("user")).isNull());
        QVERIFY(fresh.value(L1("rtt_ms")).isNull());
        QCOMPARE(fresh.value(L1("id")).toString(), u"7"_s);

        // With its node (the API always says): `node`, and `key`, unique in a cluster.
        view.node = u"n-2"_s;
        const QJsonObject placed = view.toJson();
        QCOMPARE(placed.size(), 12);
        QCOMPARE(placed.value(L1("node")).toString(), u"n-2"_s);
        QCOMPARE(placed.value(L1("key")).toString(), u"n-2:12"_s);
    }

    void roomAndUserJson()
    {
        const QJsonObject room = RoomView{u"General"_s, true, u"bob"_s, 1000, 5, 2, 3, 77}.toJson();
        QCOMPARE(QJsonDocument(room).toJson(QJsonDocument::Compact),
                 QByteArray(R"({"archived":false,"connections":3,"created_at":1000,"creator":"bob","kind":"room",)"
                            R"("last_seq":77,"members":5,"messages_last_minute":0,"messages_per_second":0,)"
                            R"("name":"General","online_members":2,"private":true,"title":"","topic":""})"));
        RoomView busy{u"plaza"_s, false, u"ana"_s, 1000, 5, 2, 3, 77};
        busy.title = u"La plaza"_s;
        busy.topic = u"fiestas"_s;
        busy.archived = true;
        busy.messagesLastMinute = 90;
        const QJsonObject busyJson = busy.toJson();
        QCOMPARE(busyJson.value(L1("title")).toString(), u"La plaza"_s);
        QCOMPARE(busyJson.value(L1("topic")).toString(), u"fiestas"_s);
        QCOMPARE(busyJson.value(L1("archived")).toBool(), true);
        QCOMPARE(busyJson.value(L1("messages_last_minute")).toInteger(), 90);
        QCOMPARE(busyJson.value(L1("messages_per_second")).toDouble(), 1.5);
        // A member: muted_until only when muted (0: until lifted).
        QCOMPARE(QJsonDocument(MemberView{u"ana"_s, u"owner"_s, true}.toJson()).toJson(QJsonDocument::Compact),
                 QByteArray(R"({"muted":false,"online":true,"role":"owner","user":"ana"})"));
        QCOMPARE(QJsonDocument(MemberView{u"bea"_s, u"member"_s, false, 0}.toJson()).toJson(QJsonDocument::Compact),
                 QByteArray(R"({"muted":true,"muted_until":0,"online":false,"role":"member","user":"bea"})"));
        const QJsonObject user = UserView{u"Root"_s, true, 2000, true, 2, 4}.toJson();
        QCOMPARE(QJsonDocument(user).toJson(QJsonDocument::Compact),
                 QByteArray(R"({"admin":true,"connections":2,"created_at":2000,"disabled":false,"logins":4,"name":"Root","online":true})"));
        QVERIFY((UserView{u"Eve"_s, false, 1, false, 0, 0, true}.toJson().value(L1("disabled")).toBool()));
        const QJsonObject list = listJson(L1("users"), QList<UserView>{UserView{u"a"_s}, UserView{u"b"_s}});
        QCOMPARE(list.value(L1("count")).toInt(), 2);
        QCOMPARE(list.value(L1("users")).toArray().at(1).toObject().value(L1("name")).toString(), u"b"_s);
    }

    void wallTime()
    {
        // Connected 1.5 s ago on the monotonic clock: 1.5 s before the wall clock's now.
        QCOMPARE(wallTimeOf(10'000, 11'500, 1'700'000'000'000), 1'699'999'998'500);
    }

    void connectionRefs()
    {
        QCOMPARE(parseConnectionRef(u"12"), (std::optional<ConnectionRef>(ConnectionRef{QString(), 12})));
        QCOMPARE(parseConnectionRef(u"n-2:12"), (std::optional<ConnectionRef>(ConnectionRef{u"n-2"_s, 12})));
        for (const QString &bad : {u""_s, u":"_s, u"n1:"_s, u":7"_s, u"n1:0"_s, u"n1:-1"_s, u"n 1:1"_s, u"n1:1:1"_s,
                                   u"ñ:1"_s, u"n/1:1"_s, QString(65, u'n') + u":1"_s})
            QVERIFY2(!parseConnectionRef(bad), qPrintable(bad));
        QVERIFY(parseConnectionRef(QString(64, u'n') + u":1"_s));
    }

    void connectionIds_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected");   // -1: refused
        QTest::newRow("one") << u"1"_s << qint64(1);
        QTest::newRow("big") << u"123456789"_s << qint64(123456789);
        QTest::newRow("zero") << u"0"_s << qint64(-1);
        QTest::newRow("empty") << QString() << qint64(-1);
        QTest::newRow("negative") << u"-1"_s << qint64(-1);
        QTest::newRow("plus") << u"+1"_s << qint64(-1);
        QTest::newRow("space") << u" 1"_s << qint64(-1);
        QTest::newRow("hex") << u"0x10"_s << qint64(-1);
        QTest::newRow("letters") << u"abc"_s << qint64(-1);
        QTest::newRow("arabic-indic digits") << u"\u0661\u0662"_s << qint64(-1);
        QTest::newRow("past 64 bits") << u"99999999999999999999"_s << qint64(-1);
        QTest::newRow("too long") << QString(21, u'1') << qint64(-1);
    }
    void connectionIds()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        const std::optional<quint64> id = parseConnectionId(text);
        if (expected < 0)
            QVERIFY(!id);
        else
            QCOMPARE(id, std::optional<quint64>(quint64(expected)));
    }

    void reasons()
    {
        QString error;
        QCOMPARE(checkedReason(u"spam, again"_s, &error), std::optional<QString>(u"spam, again"_s));
        QCOMPARE(checkedReason(QString(120, u'x'), &error)->size(), 120);
        QVERIFY(!checkedReason(QString(121, u'x'), &error));
        QVERIFY(error.contains(u"120"_s));
        // Bytes of UTF-8 count, not characters: 61 two-byte letters are 122 bytes.
        QVERIFY(!checkedReason(QString(61, u'ñ'), &error));
        QVERIFY(checkedReason(QString(60, u'ñ'), &error));
        QVERIFY(!checkedReason(u"line\nbreak"_s, &error));
        QVERIFY(!checkedReason(u"bidi\u202Eoverride"_s, &error));
    }
};

QTEST_GUILESS_MAIN(TestAdminViews)
#include "tst_adminviews.moc"
