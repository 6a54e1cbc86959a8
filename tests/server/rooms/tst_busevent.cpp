// BusEvent as a cluster bus carries it between nodes: every kind of fact survives its JSON form, and anything
// else (another program's notice, a truncated one, a message body) is refused rather than guessed at.
#include "server/rooms/busevent.h"
#include "support/printers.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;

Q_DECLARE_METATYPE(Tertulia::BusEvent::Kind)

class TestBusEvent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<BusEvent>("event");
        const RoomRecord room{42, u"Café"_s, true, u"ana"_s, 0, 1700000000000};
        QTest::newRow("joined") << BusEvent::memberJoined(room, u"bob"_s);
        QTest::newRow("left") << BusEvent::memberLeft(room, u"Bob"_s);
        QTest::newRow("room created") << BusEvent::roomCreated(room);
        QTest::newRow("invited") << BusEvent::invited(room, u"eve"_s, u"ana"_s);
        QTest::newRow("presence away") << BusEvent::presence(u"ana"_s, Protocol::PresenceStatus::Away);
        QTest::newRow("presence offline") << BusEvent::presence(u"ana"_s, Protocol::PresenceStatus::Offline);
        QTest::newRow("typing") << BusEvent::typing(room, u"ñandú"_s, true);
        QTest::newRow("login revoked") << BusEvent::loginRevoked(u"L-123"_s);
        QTest::newRow("presence request") << BusEvent::presenceRequest();
        // Roles and moderation (issue 13).
        QTest::newRow("removed") << BusEvent::memberRemoved(room, u"eve"_s, u"ana"_s, u"off topic ✋"_s);
        QTest::newRow("role changed") << BusEvent::roleChanged(room, u"bob"_s, Protocol::Role::Moderator, u"ana"_s);
        QTest::newRow("new owner") << BusEvent::roleChanged(room, u"bob"_s, Protocol::Role::Owner, u"ana"_s);
        QTest::newRow("banned") << BusEvent::sanctioned(
            room, SanctionRecord{42, u"eve"_s, SanctionKind::Ban, 1795660000000, u"ana"_s, u"spam"_s, 1}, true);
        QTest::newRow("unmuted") << BusEvent::sanctioned(
            room, SanctionRecord{42, u"eve"_s, SanctionKind::Mute, 0, u"bob"_s, QString(), 1}, false);
        // Read markers (issue 12): the session id is a quint64, beyond a JSON number's exact range.
        QTest::newRow("read marker") << BusEvent::readMarker(room, u"ana"_s, 9007199254740000, 18446744073709551615ull);
        // Direct conversations (issue 12): the other person travels as `by`.
        QTest::newRow("direct opened") << BusEvent::directOpened(RoomRecord{43, u"@ana+bob"_s, true, u"ana"_s, 0, 5},
                                                                  u"ana"_s, u"Bob"_s);
        // Room settings (issue 13): the room's settings travel with it.
        RoomRecord settled = room;
        settled.title = u"La Plaza ☕"_s;
        settled.topic = u"Be kind"_s;
        settled.archived = true;
        QTest::newRow("room updated") << BusEvent::roomUpdated(settled, u"ana"_s);
        QTest::newRow("room updated, cleared") << BusEvent::roomUpdated(room, u"bob"_s);
        QTest::newRow("room deleted, kept") << BusEvent::roomDeleted(room, u"ana"_s, true, u"moved"_s);
        QTest::newRow("room deleted") << BusEvent::roomDeleted(settled, u"ana"_s, false, {});
        QTest::newRow("created with settings") << BusEvent::roomCreated(settled);
        // Profiles (issue 12): about a user, no room; kind 15, written explicitly.
        QTest::newRow("profile updated") << BusEvent::profileUpdated(u"ana"_s, u"Ana María ☕"_s);
        QTest::newRow("profile cleared") << BusEvent::profileUpdated(u"ana"_s, QString());
        QTest::newRow("profile renamed, with a picture") << BusEvent::profileUpdated(u"ana"_s, u"Ana"_s, u"ungWv48Bz-pBQUDe"_s);
        QTest::newRow("avatar set") << BusEvent::avatarUpdated(u"ana"_s, u"ungWv48Bz-pBQUDe"_s, u"Ana"_s);
        QTest::newRow("avatar removed") << BusEvent::avatarUpdated(u"ana"_s, QString(), QString());
        QTest::newRow("account deleted") << BusEvent::profileCleared(u"ana"_s);
    }
    void roundTrip()
    {
        QFETCH(BusEvent, event);
        const auto back = BusEvent::fromJson(event.toJson());
        QVERIFY2(back, event.toJson().constData());
        QCOMPARE(back->kind, event.kind);
        QCOMPARE(back->user, event.user);
        QCOMPARE(back->by, event.by);
        QCOMPARE(back->status, event.status);
        QCOMPARE(back->active, event.active);
        QCOMPARE(back->login, event.login);
        QCOMPARE(back->room.id, event.room.id);
        QCOMPARE(back->room.name, event.room.name);
        QCOMPARE(back->room.isPrivate, event.room.isPrivate);
        QCOMPARE(back->room.creator, event.room.creator);
        QCOMPARE(back->room.createdAt, event.room.createdAt);
        QCOMPARE(back->room.title, event.room.title);
        QCOMPARE(back->room.topic, event.room.topic);
        QCOMPARE(back->room.archived, event.room.archived);
        QCOMPARE(back->reason, event.reason);
        QCOMPARE(back->role, event.role);
        QCOMPARE(back->sanction, event.sanction);
        QCOMPARE(back->until, event.until);
        QCOMPARE(back->seq, event.seq);
        QCOMPARE(back->session, event.session);
        QCOMPARE(back->displayName, event.displayName);
        QCOMPARE(back->avatar, event.avatar);
        QCOMPARE(back->profileParts, event.profileParts);
        QVERIFY(event.toJson().size() < 8000); // a NOTIFY payload
    }

    void refused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("not json") << QByteArray("m|n1|1|2");
        QTest::newRow("array") << QByteArray("[1]");
        QTest::newRow("unknown kind") << QByteArray(R"({"k":99,"u":"a"})");
        QTest::newRow("negative kind") << QByteArray(R"({"k":-1,"u":"a"})");
        QTest::newRow("role unknown") << QByteArray(R"({"k":9,"u":"a","b":"x","ro":"king","r":{"id":1,"name":"r","private":false,"creator":"a","created":1}})");
        QTest::newRow("sanction unknown") << QByteArray(R"({"k":10,"u":"a","b":"x","sk":7,"un":0,"a":true,"r":{"id":1,"name":"r","private":false,"creator":"a","created":1}})");
        QTest::newRow("a message") << QByteArray(R"({"k":0,"u":"a","r":{"id":1,"name":"r","private":false,"creator":"a","created":1}})");
        QTest::newRow("room missing") << QByteArray(R"({"k":1,"u":"a"})");
        QTest::newRow("room id zero") << QByteArray(R"({"k":1,"u":"a","r":{"id":0,"name":"r","private":false,"creator":"a","created":1}})");
        QTest::newRow("presence bogus") << QByteArray(R"({"k":5,"u":"a","s":"busy"})");
        QTest::newRow("typing without active") << QByteArray(R"({"k":6,"u":"a","r":{"id":1,"name":"r","private":false,"creator":"a","created":1}})");
        QTest::newRow("login revoked without id") << QByteArray(R"({"k":7})");
        QTest::newRow("read marker no session") << QByteArray(R"({"k":11,"u":"a","sq":3,"r":{"id":1,"name":"r","private":false,"creator":"a","created":1}})");
        QTest::newRow("read marker bad session") << QByteArray(R"({"k":11,"u":"a","sq":3,"se":"x1","r":{"id":1,"name":"r","private":false,"creator":"a","created":1}})");
        QTest::newRow("room deleted without kept") << QByteArray(R"({"k":14,"u":"a","b":"a","r":{"id":1,"name":"r","private":false,"creator":"a","created":1}})");
        QTest::newRow("room updated without by") << QByteArray(R"({"k":13,"u":"a","r":{"id":1,"name":"r","private":false,"creator":"a","created":1}})");
        QTest::newRow("topic too long") << QByteArray(R"({"k":13,"u":"a","b":"a","r":{"id":1,"name":"r","private":false,"creator":"a","created":1,"to":")"
                                                      + QByteArray(301, 'x') + R"("}})");
        QTest::newRow("profile name not text") << QByteArray(R"({"k":15,"u":"a","dn":7})");
        QTest::newRow("profile name too long") << (QByteArray("{\"k\":15,\"u\":\"a\",\"dn\":\"") + QByteArray(300, 'x') + "\"}");
        QTest::newRow("profile avatar not a version") << QByteArray(R"({"k":15,"u":"a","av":"../x","pp":2})");
        QTest::newRow("profile avatar too long") << (QByteArray("{\"k\":15,\"u\":\"a\",\"pp\":2,\"av\":\"") + QByteArray(33, 'x') + "\"}");
        QTest::newRow("profile parts unknown") << QByteArray(R"({"k":15,"u":"a","pp":4})");
        QTest::newRow("profile parts none") << QByteArray(R"({"k":15,"u":"a","pp":0})");
        QTest::newRow("read marker no seq") << QByteArray(R"({"k":11,"u":"a","se":"1","r":{"id":1,"name":"r","private":false,"creator":"a","created":1}})");
    }
    /*! The profile fact's number is fixed (docs/scaling.md): nodes of different versions agree on it. */
    void profileKindNumber()
    {
        QCOMPARE(int(BusEvent::Kind::ProfileUpdated), 15);
        QVERIFY(BusEvent::profileUpdated(u"ana"_s, u"Ana"_s).toJson().startsWith("{\"dn\":\"Ana\",\"k\":15"));
        // A rename still looks as nodes before avatar pictures wrote it (`dn` the name, no parts); an avatar
        // fact says what it changes, and carries the display name as it is for those older nodes.
        QCOMPARE(BusEvent::profileUpdated(u"ana"_s, u"Ana"_s, u"v1"_s).toJson(), QByteArray(R"({"av":"v1","dn":"Ana","k":15,"u":"ana"})"));
        QCOMPARE(BusEvent::avatarUpdated(u"ana"_s, u"v1"_s, u"Ana"_s).toJson(),
                 QByteArray(R"({"av":"v1","dn":"Ana","k":15,"pp":2,"u":"ana"})"));
        QCOMPARE(BusEvent::profileCleared(u"ana"_s).toJson(), QByteArray(R"({"k":15,"pp":3,"u":"ana"})"));
        const auto older = BusEvent::fromJson(R"({"dn":"Ana","k":15,"u":"ana"})");
        QVERIFY(older);
        QCOMPARE(older->profileParts, int(BusEvent::ProfileDisplayName));
    }

    void refused()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!BusEvent::fromJson(json));
    }
};

QTEST_APPLESS_MAIN(TestBusEvent)
#include "tst_busevent.moc"
