// Room settings (issue 13) end to end on the native protocol: a real in-process server, real QWebSocket
// clients, the admin API's audit log over real HTTP. Every rule is tried both ways: what is allowed works and
// reaches every session concerned at once (and list_rooms after a restart), what is refused is refused with a
// clear error and changes nothing. Runs on SQLite, and on PostgreSQL as tst_roomsettings_postgres.
#include "support/printers.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QJsonArray>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;
using L1 = QLatin1StringView;

class TestRoomSettings : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    static Reply update(WsClient &client, const UpdateRoomParams &params) { return client.request(Request::updateRoom({}, params)); }
    static UpdateRoomParams topic(const QString &text) { return {u"general"_s, {}, text, {}, {}, {}}; }
    static UpdateRoomParams title(const QString &text) { return {u"general"_s, text, {}, {}, {}, {}}; }
    static UpdateRoomParams privacy(bool isPrivate) { return {u"general"_s, {}, {}, isPrivate, {}, {}}; }
    static UpdateRoomParams archive(bool archived, const QString &reason = {})
    {
        return {u"general"_s, {}, {}, {}, archived, reason};
    }

    static std::optional<RoomInfo> listed(WsClient &client, const QString &room)
    {
        const Reply reply = client.request(Request::listRooms({}));
        for (const RoomInfo &info : payloadOf<RoomListResult>(reply.data).rooms) {
            if (info.name == room)
                return info;
        }
        return std::nullopt;
    }

    static qint64 send(WsClient &client, const QString &text, const QString &clientId)
    {
        const Reply reply = client.request(Request::send({}, {u"general"_s, text, clientId}));
        return reply.isOk() ? payloadOf<SendResult>(reply.data).seq : -1;
    }

    /// A public room "general" owned by alice, with bob (a moderator) and carol (a member).
    void makeRoom(WsClient &alice, WsClient &bob, WsClient &carol)
    {
        QVERIFY(alice.request(Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(bob.request(Request::join({}, u"general"_s)).isOk());
        QVERIFY(carol.request(Request::join({}, u"general"_s)).isOk());
        QVERIFY(alice.request(Request::moderation(RequestType::SetRole, {},
                                                  {u"general"_s, u"bob"_s, Role::Moderator, {}, {}}))
                    .isOk());
    }

    static void drain(WsClient &client) { QVERIFY(client.request(Request::ping({})).isOk()); }

    /// The newest lines of the audit log (admin API).
    QJsonArray audit(const QByteArray &token, int limit)
    {
        const HttpResult result = m_server->http().send("GET", u"/api/v1/admin/audit?limit=%1"_s.arg(limit), {}, token);
        return result.status == 200 ? result.json.value(L1("audit")).toArray() : QJsonArray();
    }

private Q_SLOTS:
    void init() { m_server = std::make_unique<TestServer>(); }
    void cleanup() { m_server.reset(); }

    /*! The topic is the moderators' and the owner's; the title (a rename) the owner's. Every member's
        sessions, and signed-in people outside a public room, hear room_updated at once; list_rooms has the
        settings, after a restart too. The room's address never changes: a renamed room is sent to, read
        and joined by its old name. */
    void topicAndTitle()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        auto carolToo = m_server->connectAs(u"carol"_s);
        auto dave = m_server->connectAs(u"dave"_s); // signed in, not in the room
        makeRoom(*alice, *bob, *carol);

        // A member sets nothing; a moderator no title.
        const Reply byMember = update(*carol, topic(u"mine"_s));
        QCOMPARE(errorCodeOf(byMember), ErrorCode::Forbidden);
        QVERIFY(byMember.error->message.contains(u"moderators"_s));
        const Reply titleByModerator = update(*bob, title(u"Town square"_s));
        QCOMPARE(errorCodeOf(titleByModerator), ErrorCode::Forbidden);
        QVERIFY(titleByModerator.error->message.contains(u"owner"_s));
        QCOMPARE(errorCodeOf(update(*dave, topic(u"outsider"_s))), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(update(*alice, {u"nowhere"_s, {}, u"x"_s, {}, {}, {}})), ErrorCode::NotFound);
        QVERIFY(listed(*carol, u"general"_s)->topic.isEmpty()); // nothing changed

        // The moderator sets the topic: everyone hears it at once.
        const Reply set = update(*bob, topic(u"  Anything goes, kindly  "_s));
        QVERIFY(set.isOk());
        QCOMPARE(payloadOf<RoomResult>(set.data).room.topic, u"Anything goes, kindly"_s); // trimmed
        for (WsClient *session : {alice.get(), carol.get(), carolToo.get(), dave.get()}) {
            const auto heard = session->waitForEvent(EventType::RoomUpdated);
            QVERIFY(heard);
            const RoomResult result = payloadOf<RoomResult>(heard->data);
            QCOMPARE(result.by, u"bob"_s);
            QCOMPARE(result.room.topic, u"Anything goes, kindly"_s);
            QCOMPARE(result.room.joined, session != dave.get());
        }

        // The owner renames it: a title, the address stays.
        QVERIFY(update(*alice, title(u"Town square"_s)).isOk());
        const auto renamed = carol->waitForEvent(EventType::RoomUpdated, [](const Event &e) {
            return payloadOf<RoomResult>(e.data).room.title == u"Town square"_s;
        });
        QVERIFY(renamed);
        QCOMPARE(payloadOf<RoomResult>(renamed->data).room.name, u"general"_s);
        QCOMPARE(payloadOf<RoomResult>(renamed->data).room.topic, u"Anything goes, kindly"_s);
        QCOMPARE(send(*carol, u"still here"_s, u"c1"_s), 1);
        QVERIFY(dave->request(Request::join({}, u"general"_s)).isOk());

        // The same again changes nothing and tells nobody (the ping first: dave's member_joined may be held).
        drain(*carol);
        const qsizetype before = carol->events().size();
        QVERIFY(update(*alice, title(u"Town square"_s)).isOk());
        drain(*carol);
        QCOMPARE(carol->events().size(), before);

        // Settings outlive a restart; "" clears.
        alice.reset();
        bob.reset();
        carol.reset();
        carolToo.reset();
        dave.reset();
        QVERIFY(m_server->restart());
        auto again = m_server->connectAs(u"carol"_s);
        const auto info = listed(*again, u"general"_s);
        QVERIFY(info);
        QCOMPARE(info->title, u"Town square"_s);
        QCOMPARE(info->topic, u"Anything goes, kindly"_s);
        QCOMPARE(info->displayName(), u"Town square"_s);
        auto owner = m_server->connectAs(u"alice"_s);
        QVERIFY(update(*owner, {u"general"_s, u""_s, u""_s, {}, {}, {}}).isOk());
        QVERIFY(listed(*again, u"general"_s)->title.isEmpty());
        QVERIFY(listed(*again, u"general"_s)->topic.isEmpty());
    }

    /*! An archived room is read-only: sends, edits, reactions and deletions are refused with `archived`
        (for its owner too); history, search and leaving still work; unarchiving restores writing. Archiving
        is the owner's, and the audit log has who, what, when and why. */
    void archive()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        makeRoom(*alice, *bob, *carol);
        QCOMPARE(send(*carol, u"the first words"_s, u"c1"_s), 1);
        QCOMPARE(errorCodeOf(update(*bob, archive(true))), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(update(*carol, archive(true))), ErrorCode::Forbidden);

        QVERIFY(update(*alice, archive(true, u"season over"_s)).isOk());
        const auto heard = carol->waitForEvent(EventType::RoomUpdated);
        QVERIFY(heard);
        QVERIFY(payloadOf<RoomResult>(heard->data).room.archived);
        QVERIFY(listed(*carol, u"general"_s)->archived);

        const Reply refused = carol->request(Request::send({}, {u"general"_s, u"hello?"_s, u"c2"_s}));
        QCOMPARE(errorCodeOf(refused), ErrorCode::Archived);
        QVERIFY(refused.error->message.contains(u"archived"_s));
        QCOMPARE(errorCodeOf(alice->request(Request::send({}, {u"general"_s, u"mine?"_s, u"a1"_s}))), ErrorCode::Archived);
        QCOMPARE(errorCodeOf(carol->request(Request::edit({}, {u"general"_s, 1, u"changed"_s, u"c3"_s}))), ErrorCode::Archived);
        QCOMPARE(errorCodeOf(carol->request(Request::react({}, {u"general"_s, 1, u"👍"_s, u"c4"_s, false}))), ErrorCode::Archived);
        QCOMPARE(errorCodeOf(carol->request(Request::deleteMessage({}, {u"general"_s, 1, u"c5"_s}))), ErrorCode::Archived);
        QCOMPARE(errorCodeOf(bob->request(Request::deleteMessage({}, {u"general"_s, 1, u"b1"_s}))), ErrorCode::Archived);

        // Reading goes on.
        const Reply history = carol->request(Request::history({}, {u"general"_s, {}, {}, 50}));
        QVERIFY(history.isOk());
        const HistoryPage page = payloadOf<HistoryPage>(history.data);
        QCOMPARE(page.messages.size(), 1);
        QCOMPARE(page.messages.first().text, u"the first words"_s);
        const Reply found = carol->request(Request::search({}, SearchParams{u"first"_s, {}, {}, 20}));
        QVERIFY2(found.isOk(), qPrintable(found.error ? describe(*found.error) : QString()));
        QCOMPARE(payloadOf<SearchResults>(found.data).results.size(), 1);

        QVERIFY(update(*alice, archive(false)).isOk());
        QVERIFY(!listed(*carol, u"general"_s)->archived);
        QCOMPARE(send(*carol, u"back again"_s, u"c6"_s), 2);

        // The audit log: who, what, when, why (an administrator reads it).
        QByteArray token;
        auto root = m_server->connectAdmin(&token);
        QVERIFY(root);
        const QJsonArray lines = audit(token, 2);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).toObject().value(L1("action")).toString(), u"unarchive_room"_s);
        const QJsonObject archived = lines.at(1).toObject();
        QCOMPARE(archived.value(L1("action")).toString(), u"archive_room"_s);
        QCOMPARE(archived.value(L1("actor")).toString(), u"alice"_s);
        QCOMPARE(archived.value(L1("room")).toString(), u"general"_s);
        QCOMPARE(archived.value(L1("reason")).toString(), u"season over"_s);
        QVERIFY(archived.value(L1("at")).toInteger() > 0);
    }

    /*! Public to private and back (the owner's): people outside the room hear it leave their list and come
        back; a private room is neither listed nor joinable for them, and they cannot probe it. */
    void privacy()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        auto dave = m_server->connectAs(u"dave"_s);
        makeRoom(*alice, *bob, *carol);
        QVERIFY(listed(*dave, u"general"_s));
        QCOMPARE(errorCodeOf(update(*bob, privacy(true))), ErrorCode::Forbidden);

        QVERIFY(update(*alice, privacy(true)).isOk());
        const auto told = dave->waitForEvent(EventType::RoomUpdated);
        QVERIFY(told);
        QVERIFY(payloadOf<RoomResult>(told->data).room.isPrivate);
        QVERIFY(!payloadOf<RoomResult>(told->data).room.joined);
        QVERIFY(carol->waitForEvent(EventType::RoomUpdated));
        QVERIFY(!listed(*dave, u"general"_s));
        QVERIFY(listed(*carol, u"general"_s)->isPrivate);
        QCOMPARE(errorCodeOf(dave->request(Request::join({}, u"general"_s))), ErrorCode::NotFound);
        // Private now: a change of its topic reaches its members only.
        const auto updatesOf = [](const WsClient &client) {
            return std::count_if(client.events().cbegin(), client.events().cend(),
                                 [](const Event &e) { return e.type == EventType::RoomUpdated; });
        };
        drain(*dave);
        const auto daveHeard = updatesOf(*dave);
        QVERIFY(update(*bob, topic(u"members only"_s)).isOk());
        QVERIFY(carol->waitForEvent(EventType::RoomUpdated, [](const Event &e) {
            return payloadOf<RoomResult>(e.data).room.topic == u"members only"_s;
        }));
        drain(*dave);
        QCOMPARE(updatesOf(*dave), daveHeard);
        QCOMPARE(errorCodeOf(update(*dave, topic(u"probe"_s))), ErrorCode::NotFound);

        QVERIFY(update(*alice, privacy(false)).isOk());
        QVERIFY(dave->waitForEvent(EventType::RoomUpdated));
        QVERIFY(listed(*dave, u"general"_s));
        QVERIFY(dave->request(Request::join({}, u"general"_s)).isOk());
    }

    /*! delete_room: only the owner (or an administrator); every member's sessions hear room_deleted at once and
        leave the room (nothing more of it reaches them; sends and reads answer not_found); it leaves every
        list; its name stays taken; the audit log says whether the history was kept. */
    void deleteRoom()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        auto carolToo = m_server->connectAs(u"carol"_s);
        auto dave = m_server->connectAs(u"dave"_s);
        makeRoom(*alice, *bob, *carol);
        QCOMPARE(send(*carol, u"soon gone"_s, u"c1"_s), 1);
        QCOMPARE(errorCodeOf(bob->request(Request::deleteRoom({}, {u"general"_s, false, {}}))), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(carol->request(Request::deleteRoom({}, {u"general"_s, false, {}}))), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(dave->request(Request::deleteRoom({}, {u"general"_s, true, {}}))), ErrorCode::Forbidden);
        QVERIFY(listed(*dave, u"general"_s));

        QVERIFY(alice->request(Request::deleteRoom({}, {u"general"_s, true, u"moved elsewhere"_s})).isOk());
        for (WsClient *session : {alice.get(), bob.get(), carol.get(), carolToo.get(), dave.get()}) {
            const auto told = session->waitForEvent(EventType::RoomDeleted);
            QVERIFY(told);
            QCOMPARE(payloadOf<RoomDeletedEvent>(told->data),
                     (RoomDeletedEvent{u"general"_s, u"alice"_s, true, u"moved elsewhere"_s}));
        }
        // Gone: not listed, not readable, not writable, and nothing of it reaches a former member.
        for (WsClient *session : {alice.get(), carol.get(), dave.get()})
            QVERIFY(!listed(*session, u"general"_s));
        QCOMPARE(errorCodeOf(carol->request(Request::send({}, {u"general"_s, u"hello?"_s, u"c2"_s}))), ErrorCode::NotFound);
        QCOMPARE(errorCodeOf(carol->request(Request::history({}, {u"general"_s, {}, {}, 50}))), ErrorCode::NotFound);
        QCOMPARE(errorCodeOf(carol->request(Request::join({}, u"general"_s))), ErrorCode::NotFound);
        QCOMPARE(errorCodeOf(alice->request(Request::deleteRoom({}, {u"general"_s, true, {}}))), ErrorCode::NotFound);
        const Reply resumed = carol->request(Request::resume({}, ResumeParams{{{u"general"_s, 0}}}));
        QVERIFY(resumed.isOk());
        QVERIFY(!payloadOf<ResumeResult>(resumed.data).rooms.value(u"general"_s).error.isEmpty());
        // Its name stays taken (links and drafts to it never reach another room).
        QCOMPARE(errorCodeOf(dave->request(Request::createRoom({}, {u"general"_s, false}))), ErrorCode::Conflict);

        // An administrator deletes any room; the audit log has both deletions.
        QVERIFY(dave->request(Request::createRoom({}, {u"daves"_s, false})).isOk());
        QVERIFY(carol->request(Request::join({}, u"daves"_s)).isOk());
        QByteArray token;
        auto root = m_server->connectAdmin(&token);
        QVERIFY(root);
        QVERIFY(root->request(Request::deleteRoom({}, {u"daves"_s, false, u"spam room"_s})).isOk());
        const auto told = carol->waitForEvent(EventType::RoomDeleted, [](const Event &e) {
            return payloadOf<RoomDeletedEvent>(e.data).room == u"daves"_s;
        });
        QVERIFY(told);
        QVERIFY(!payloadOf<RoomDeletedEvent>(told->data).historyKept);
        const QJsonArray lines = audit(token, 2);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).toObject().value(L1("action")).toString(), u"delete_room"_s);
        QCOMPARE(lines.at(0).toObject().value(L1("actor")).toString(), u"root"_s);
        QCOMPARE(lines.at(0).toObject().value(L1("room")).toString(), u"daves"_s);
        QCOMPARE(lines.at(0).toObject().value(L1("detail")).toString(), u"history=deleted"_s);
        QCOMPARE(lines.at(1).toObject().value(L1("actor")).toString(), u"alice"_s);
        QCOMPARE(lines.at(1).toObject().value(L1("detail")).toString(), u"history=kept"_s);
        QCOMPARE(lines.at(1).toObject().value(L1("reason")).toString(), u"moved elsewhere"_s);

        // And after a restart it is still gone.
        alice.reset();
        bob.reset();
        carol.reset();
        carolToo.reset();
        dave.reset();
        root.reset();
        QVERIFY(m_server->restart());
        auto again = m_server->connectAs(u"carol"_s);
        QVERIFY(!listed(*again, u"general"_s));
        QVERIFY(!listed(*again, u"daves"_s));
    }

    /*! Malformed requests: bad_request (nothing to change, control characters, no keep_history, wrong
        types) and too_large (a topic over 300 characters). */
    void malformed()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());
        const auto raw = [&](RequestType type, const QJsonObject &data) {
            return errorCodeOf(alice->request(Request{type, alice->nextId(), data, {}}));
        };
        QCOMPARE(raw(RequestType::UpdateRoom, {{L1("room"), u"general"_s}}), ErrorCode::BadRequest);
        QCOMPARE(raw(RequestType::UpdateRoom, {{L1("room"), u"general"_s}, {L1("topic"), u"two\nlines"_s}}),
                 ErrorCode::BadRequest);
        QCOMPARE(raw(RequestType::UpdateRoom, {{L1("room"), u"general"_s}, {L1("archived"), u"yes"_s}}),
                 ErrorCode::BadRequest);
        QCOMPARE(raw(RequestType::UpdateRoom, {{L1("room"), u"general"_s}, {L1("topic"), QString(kMaxTopicLength + 1, u'x')}}),
                 ErrorCode::TooLarge);
        QCOMPARE(raw(RequestType::UpdateRoom, {{L1("room"), u"general"_s}, {L1("topic"), QString(kMaxTopicLength, u'x')}}),
                 std::nullopt);
        QCOMPARE(raw(RequestType::DeleteRoom, {{L1("room"), u"general"_s}}), ErrorCode::BadRequest);
        QCOMPARE(raw(RequestType::DeleteRoom, {{L1("room"), u"general"_s}, {L1("keep_history"), 1}}), ErrorCode::BadRequest);
        QVERIFY(listed(*alice, u"general"_s)); // still there
    }
};

TERTULIA_SERVER_TEST_MAIN(TestRoomSettings)
#include "tst_roomsettings.moc"
