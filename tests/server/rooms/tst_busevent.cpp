// BusEvent as a cluster bus carries it between nodes: every kind of fact survives its JSON form, and anything
// else (another program's notice, a truncated one, a message body) is refused rather than guessed at. Then the
// wake-up for committed messages (MessagesNotice), with the trace contexts of traced messages: they survive
// the notice, a big batch is split, and a hostile or broken context is left out without losing the wake-up.
#include "server/cluster/messagesnotice.h"
#include "server/rooms/busevent.h"
#include "support/printers.h"

#include <QtCore/QJsonObject>
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
        // Server administrators (issue 13): about a user, no room; kind 16.
        QTest::newRow("made an administrator") << BusEvent::adminChanged(u"ana"_s, true, u"root"_s);
        QTest::newRow("administrator no more") << BusEvent::adminChanged(u"Ana"_s, false, u"root"_s);
        // The admin API across nodes (issue 13): requests and answers, kinds 17 to 20.
        QTest::newRow("connections asked") << BusEvent::connectionsAsked(u"n1-0af7651916cd43dd8448eb211c80319c"_s);
        QTest::newRow("connections listed") << BusEvent::connectionsListed(u"n1-1"_s, u"n1"_s, true);
        QTest::newRow("connections not stored") << BusEvent::connectionsListed(u"n1-1"_s, u"n1"_s, false);
        QTest::newRow("disconnect asked")
            << BusEvent::disconnectAsked(u"n1-2"_s, u"n-2"_s, 18446744073709551615ull, u"flooding ☕"_s, u"root"_s);
        QTest::newRow("disconnected") << BusEvent::disconnectDone(
            u"n1-2"_s, u"n1"_s, QJsonObject{{u"id"_s, u"12"_s}, {u"user"_s, u"ana"_s}, {u"node"_s, u"n-2"_s}});
        QTest::newRow("nothing to disconnect") << BusEvent::disconnectDone(u"n1-2"_s, u"n1"_s, std::nullopt);
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
        QCOMPARE(back->request, event.request);
        QCOMPARE(back->node, event.node);
        QCOMPARE(back->detail, event.detail);
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
        QTest::newRow("admin changed without flag") << QByteArray(R"({"k":16,"u":"a","b":"root"})");
        QTest::newRow("admin changed without by") << QByteArray(R"({"k":16,"u":"a","a":true})");
        QTest::newRow("admin changed flag not a boolean") << QByteArray(R"({"k":16,"u":"a","a":1,"b":"root"})");
        QTest::newRow("connections asked without request") << QByteArray(R"({"k":17})");
        QTest::newRow("connections asked, empty request") << QByteArray(R"({"k":17,"q":""})");
        QTest::newRow("connections listed without node") << QByteArray(R"({"k":18,"q":"r","a":true})");
        QTest::newRow("connections listed without flag") << QByteArray(R"({"k":18,"q":"r","n":"n1"})");
        QTest::newRow("request too long") << (QByteArray(R"({"k":17,"q":")") + QByteArray(129, 'x') + "\"}");
        QTest::newRow("node too long") << (QByteArray(R"({"k":18,"q":"r","a":true,"n":")") + QByteArray(65, 'n') + "\"}");
        QTest::newRow("disconnect asked, id a number") << QByteArray(R"({"k":19,"q":"r","n":"n2","se":12,"re":"x","b":"root"})");
        QTest::newRow("disconnect asked, id not one") << QByteArray(R"({"k":19,"q":"r","n":"n2","se":"1x","re":"x","b":"root"})");
        QTest::newRow("disconnect asked without by") << QByteArray(R"({"k":19,"q":"r","n":"n2","se":"12","re":"x"})");
        QTest::newRow("disconnected without the connection") << QByteArray(R"({"k":20,"q":"r","n":"n1","a":true})");
        QTest::newRow("disconnected, connection not an object") << QByteArray(R"({"k":20,"q":"r","n":"n1","a":true,"d":[1]})");
        QTest::newRow("kind beyond the last") << QByteArray(R"({"k":21,"u":"a"})");
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

    /*! The administrator fact's number and shape are fixed (docs/scaling.md): nodes of different versions agree. */
    void adminKindNumber()
    {
        QCOMPARE(int(BusEvent::Kind::AdminChanged), 16);
        QCOMPARE(BusEvent::adminChanged(u"ana"_s, true, u"root"_s).toJson(), QByteArray(R"({"a":true,"b":"root","k":16,"u":"ana"})"));
    }

    /*! The admin API's request kinds across nodes are fixed (docs/scaling.md): 17 to 20, in this shape. */
    void adminRequestKindNumbers()
    {
        QCOMPARE(int(BusEvent::Kind::ConnectionsAsked), 17);
        QCOMPARE(int(BusEvent::Kind::ConnectionsListed), 18);
        QCOMPARE(int(BusEvent::Kind::DisconnectAsked), 19);
        QCOMPARE(int(BusEvent::Kind::DisconnectDone), 20);
        QCOMPARE(BusEvent::connectionsAsked(u"n1-1"_s).toJson(), QByteArray(R"({"k":17,"q":"n1-1"})"));
        QCOMPARE(BusEvent::disconnectAsked(u"n1-2"_s, u"n2"_s, 12, u"x"_s, u"root"_s).toJson(),
                 QByteArray(R"({"b":"root","k":19,"n":"n2","q":"n1-2","re":"x","se":"12"})"));
    }

    void refused()
    {
        QFETCH(QByteArray, json);
        QVERIFY(!BusEvent::fromJson(json));
    }

    /*! An untraced batch's notice is what it always was; traced messages' contexts ride along and come back
     *  as they were sent (trace id, the sending node's span, flags), in position order. */
    void messagesNoticeRoundTrip()
    {
        QCOMPARE(MessagesNotice::encode(u"n1"_s, 5, 9, {}), QList<QByteArray>{"m|n1|5|9"});
        const auto plain = MessagesNotice::parse("m|n1|5|9");
        QVERIFY(plain);
        QCOMPARE(plain->node, u"n1"_s);
        QCOMPARE(plain->first, 5);
        QCOMPARE(plain->last, 9);
        QVERIFY(plain->traced.isEmpty());

        const auto a = Trace::TraceContext::parse(u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        const auto b = Trace::TraceContext::parse(u"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        QVERIFY(a && b);
        const QList<QByteArray> notices = MessagesNotice::encode(
            u"n-2"_s, 41, 45,
            {{45, *b}, {42, *a}, {46, *a} /* outside the batch */, {43, Trace::TraceContext{}} /* not valid */});
        QCOMPARE(notices, QList<QByteArray>{"m|n-2|41|45|42:00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01,"
                                            "45:00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"});
        const auto back = MessagesNotice::parse(notices.first());
        QVERIFY(back);
        QCOMPARE(back->node, u"n-2"_s);
        QCOMPARE(back->first, 41);
        QCOMPARE(back->last, 45);
        QCOMPARE(back->traced, (QList<MessagesNotice::Traced>{{42, *a}, {45, *b}}));
        // A field a later version may add after the contexts changes nothing.
        QCOMPARE(MessagesNotice::parse(notices.first() + "|later")->traced, back->traced);
    }

    /*! A batch with more traced messages than one notice takes gets several notices that cover its positions
     *  together, in order, each small enough for NOTIFY; every context arrives. */
    void messagesNoticeSplit()
    {
        QList<MessagesNotice::Traced> traced;
        for (qint64 position = 1000; position < 1000 + 150; ++position) {
            const QByteArray id = QByteArray::number(position, 16);
            traced.append({position, {QByteArray::fromHex(id.rightJustified(32, '0')),
                                      QByteArray::fromHex(id.rightJustified(16, 'a')), Trace::TraceContext::kSampled}});
        }
        const QList<QByteArray> notices = MessagesNotice::encode(u"n16-abcdefghijkl"_s, 990, 1200, traced);
        QCOMPARE(notices.size(), 3);
        qint64 next = 990;
        QList<MessagesNotice::Traced> heard;
        for (const QByteArray &notice : notices) {
            QVERIFY2(notice.size() < 8000, notice.constData());
            const auto parsed = MessagesNotice::parse(notice);
            QVERIFY(parsed);
            QCOMPARE(parsed->first, next);
            QVERIFY(parsed->last >= parsed->first);
            QVERIFY(parsed->traced.size() <= MessagesNotice::kMaxTraced);
            heard += parsed->traced;
            next = parsed->last + 1;
        }
        QCOMPARE(next, 1201);
        QCOMPARE(heard, traced);
    }

    void messagesNoticeHostile_data()
    {
        QTest::addColumn<QByteArray>("notice");
        QTest::addColumn<bool>("wakeUp");
        QTest::addColumn<QList<qint64>>("traced");
        const QByteArray valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        const QByteArray head = "m|n1|1|5|";
        QTest::newRow("a fact") << QByteArray(R"(f|n1|{"k":1})") << false << QList<qint64>{};
        QTest::newRow("no last") << QByteArray("m|n1|1") << false << QList<qint64>{};
        QTest::newRow("positions not numbers") << QByteArray("m|n1|x|2") << false << QList<qint64>{};
        QTest::newRow("negative position") << QByteArray("m|n1|-1|2") << false << QList<qint64>{};
        QTest::newRow("signed position") << QByteArray("m|n1|1|+2") << false << QList<qint64>{};
        QTest::newRow("position too long") << QByteArray("m|n1|1|1234567890123456789") << false << QList<qint64>{};
        QTest::newRow("empty traced part") << QByteArray("m|n1|1|5|") << true << QList<qint64>{};
        QTest::newRow("junk") << head + "junk" << true << QList<qint64>{};
        QTest::newRow("no position") << head + ':' + valid << true << QList<qint64>{};
        QTest::newRow("negative entry") << head + "-3:" + valid << true << QList<qint64>{};
        QTest::newRow("outside the batch") << head + "6:" + valid + ",0:" + valid << true << QList<qint64>{};
        QTest::newRow("not a context") << head + "3:junk" << true << QList<qint64>{};
        QTest::newRow("all-zero trace id")
            << head + "3:00-00000000000000000000000000000000-00f067aa0ba902b7-01" << true << QList<qint64>{};
        QTest::newRow("uppercase") << head + "3:00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01" << true
                                   << QList<qint64>{};
        QTest::newRow("version ff") << head + "3:ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" << true
                                    << QList<qint64>{};
        QTest::newRow("trailing bytes") << head + "3:" + valid + ":x" << true << QList<qint64>{};
        QTest::newRow("bytes that are not text") << head + "3:" + QByteArray("\0\xff\xfe", 3) + valid.mid(3) << true
                                                 << QList<qint64>{};
        QTest::newRow("good among bad") << head + "2:junk,3:" + valid + ",,4" << true << QList<qint64>{3};
        QTest::newRow("a position twice") << head + "3:" + valid + ",3:" + valid << true << QList<qint64>{3};
        QByteArray many = head;
        for (int i = 0; i <= MessagesNotice::kMaxTraced; ++i)
            many += (i ? "," : "") + QByteArray("3:") + valid;
        QTest::newRow("too many entries") << many << true << QList<qint64>{};
        QTest::newRow("too long") << head + "3:" + valid + ',' + QByteArray(8000, 'x') << true << QList<qint64>{};
    }
    /*! What another node (or anything else on the channel) says about traces is never trusted: a notice that
     *  is not a message notice is not one, and a traced part that is broken, hostile or too big is left out
     *  entry by entry (or whole) while the notice still wakes the node up to read the log. */
    void messagesNoticeHostile()
    {
        QFETCH(QByteArray, notice);
        QFETCH(bool, wakeUp);
        QFETCH(QList<qint64>, traced);
        const auto parsed = MessagesNotice::parse(notice);
        QCOMPARE(parsed.has_value(), wakeUp);
        if (!parsed)
            return;
        QList<qint64> positions;
        for (const MessagesNotice::Traced &t : parsed->traced)
            positions.append(t.position);
        QCOMPARE(positions, traced);
    }
};

QTEST_APPLESS_MAIN(TestBusEvent)
#include "tst_busevent.moc"
