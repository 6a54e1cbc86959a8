// Roles and moderation (issue 13) end to end on the native protocol: a real in-process server, real
// QWebSocket clients, the admin API's audit log over real HTTP. Every rule is tried both ways: what is
// allowed works and reaches the sessions concerned at once, and what is refused is refused with a clear error
// and changes nothing. Runs on SQLite, and on PostgreSQL as tst_moderation_postgres.
#include "support/printers.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;
using L1 = QLatin1StringView;

class TestModeration : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    static Reply moderate(WsClient &client, RequestType type, const QString &room, const QString &user,
                          std::optional<Role> role = {}, std::optional<qint64> duration = {}, const QString &reason = {})
    {
        return client.request(Request::moderation(type, {}, ModerationParams{room, user, role, duration, reason}));
    }

    static QMap<QString, Member> membersOf(WsClient &client, const QString &room)
    {
        QMap<QString, Member> members;
        const Reply reply = client.request(Request::members({}, room));
        for (const Member &m : payloadOf<MembersResult>(reply.data).members)
            members.insert(m.user, m);
        return members;
    }

    static qint64 send(WsClient &client, const QString &room, const QString &text, const QString &clientId)
    {
        const Reply reply = client.request(Request::send({}, {room, text, clientId}));
        return reply.isOk() ? payloadOf<SendResult>(reply.data).seq : -1;
    }

    /// A room "general" owned by alice, with bob and carol as members.
    void makeRoom(WsClient &alice, WsClient &bob, WsClient &carol, bool isPrivate = false)
    {
        QVERIFY(alice.request(Request::createRoom({}, {u"general"_s, isPrivate})).isOk());
        if (isPrivate) {
            QVERIFY(alice.request(Request::invite({}, {u"general"_s, u"bob"_s})).isOk());
            QVERIFY(alice.request(Request::invite({}, {u"general"_s, u"carol"_s})).isOk());
        }
        QVERIFY(bob.request(Request::join({}, u"general"_s)).isOk());
        QVERIFY(carol.request(Request::join({}, u"general"_s)).isOk());
    }

    /// Every request a session answers after everything sent to it before: events published before the
    /// ping are in the client's list once its reply is.
    static void drain(WsClient &client) { QVERIFY(client.request(Request::ping({})).isOk()); }

private Q_SLOTS:
    void init() { m_server = std::make_unique<TestServer>(); }
    void cleanup() { m_server.reset(); }

    /*! The creator owns the room; the owner names and unnames moderators and hands the room over; everyone in
        the room hears role_changed and the member list shows the roles; a moderator or a member cannot name
        anyone, nor can anyone make a second owner. */
    void rolesAndOwnership()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        makeRoom(*alice, *bob, *carol);
        QCOMPARE(membersOf(*carol, u"general"_s).value(u"alice"_s).role, Role::Owner);
        QCOMPARE(membersOf(*carol, u"general"_s).value(u"bob"_s).role, Role::Member);

        // A member names nobody.
        const Reply byMember = moderate(*bob, RequestType::SetRole, u"general"_s, u"carol"_s, Role::Moderator);
        QCOMPARE(errorCodeOf(byMember), ErrorCode::Forbidden);
        QVERIFY(byMember.error->message.contains(u"owner"_s));

        QVERIFY(moderate(*alice, RequestType::SetRole, u"general"_s, u"bob"_s, Role::Moderator).isOk());
        const auto heard = carol->waitForEvent(EventType::RoleChanged);
        QVERIFY(heard);
        QCOMPARE(payloadOf<RoleEvent>(heard->data), (RoleEvent{u"general"_s, u"bob"_s, Role::Moderator, u"alice"_s}));
        QVERIFY(bob->waitForEvent(EventType::RoleChanged));
        QCOMPARE(membersOf(*carol, u"general"_s).value(u"bob"_s).role, Role::Moderator);

        // Owners only: a moderator names nobody either; nobody makes a second owner; not a member; no such
        // user; not oneself; a role that does not exist.
        QCOMPARE(errorCodeOf(moderate(*bob, RequestType::SetRole, u"general"_s, u"carol"_s, Role::Moderator)), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(moderate(*bob, RequestType::TransferOwnership, u"general"_s, u"carol"_s)), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(moderate(*alice, RequestType::SetRole, u"general"_s, u"carol"_s, Role::Owner)), ErrorCode::BadRequest);
        QCOMPARE(errorCodeOf(moderate(*alice, RequestType::SetRole, u"general"_s, u"carol"_s)), ErrorCode::BadRequest);
        m_server->login(u"dave"_s);
        QCOMPARE(errorCodeOf(moderate(*alice, RequestType::SetRole, u"general"_s, u"dave"_s, Role::Moderator)), ErrorCode::BadRequest);
        QCOMPARE(errorCodeOf(moderate(*alice, RequestType::SetRole, u"general"_s, u"nobody"_s, Role::Moderator)), ErrorCode::NotFound);
        QCOMPARE(errorCodeOf(moderate(*alice, RequestType::SetRole, u"general"_s, u"ALICE"_s, Role::Member)), ErrorCode::BadRequest);
        QCOMPARE(errorCodeOf(moderate(*alice, RequestType::SetRole, u"nowhere"_s, u"bob"_s, Role::Member)), ErrorCode::NotFound);
        const Reply badRole = alice->request(Request{RequestType::SetRole, u"x"_s,
                                                     QJsonObject{{L1("room"), u"general"_s}, {L1("user"), u"bob"_s},
                                                                 {L1("role"), u"king"_s}},
                                                     {}});
        QCOMPARE(errorCodeOf(badRole), ErrorCode::BadRequest);
        QCOMPARE(membersOf(*alice, u"general"_s).value(u"carol"_s).role, Role::Member); // nothing changed

        // The hand-over: carol owns it, alice moderates; alice can no longer act on carol.
        QVERIFY(moderate(*alice, RequestType::TransferOwnership, u"general"_s, u"carol"_s).isOk());
        const auto roles = membersOf(*bob, u"general"_s);
        QCOMPARE(roles.value(u"carol"_s).role, Role::Owner);
        QCOMPARE(roles.value(u"alice"_s).role, Role::Moderator);
        QCOMPARE(roles.value(u"bob"_s).role, Role::Moderator);
        QVERIFY(bob->waitForEvent(EventType::RoleChanged, [](const Event &e) {
            return payloadOf<RoleEvent>(e.data).user == u"carol"_s && payloadOf<RoleEvent>(e.data).role == Role::Owner;
        }));
        const Reply onOwner = moderate(*alice, RequestType::Mute, u"general"_s, u"carol"_s);
        QCOMPARE(errorCodeOf(onOwner), ErrorCode::Forbidden);
        QVERIFY(onOwner.error->message.contains(u"owner"_s));
        // Unnamed: bob is a member again.
        QVERIFY(moderate(*carol, RequestType::SetRole, u"general"_s, u"bob"_s, Role::Member).isOk());
        QCOMPARE(membersOf(*bob, u"general"_s).value(u"bob"_s).role, Role::Member);

        // Roles outlive a restart.
        alice.reset();
        bob.reset();
        carol.reset();
        QVERIFY(m_server->restart());
        auto again = m_server->connectAs(u"alice"_s);
        const auto after = membersOf(*again, u"general"_s);
        QCOMPARE(after.value(u"carol"_s).role, Role::Owner);
        QCOMPARE(after.value(u"alice"_s).role, Role::Moderator);
        QCOMPARE(after.value(u"bob"_s).role, Role::Member);
    }

    /*! remove_member: the removed user's sessions (all of them) hear `moderated` with who and why, and
        member_left with `by`; they get nothing more of the room; a public room can be joined again. A
        moderator cannot remove a moderator or the owner; a member removes nobody. */
    void removeMember()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        auto carolToo = m_server->connectAs(u"carol"_s);
        auto dave = m_server->connectAs(u"dave"_s);
        makeRoom(*alice, *bob, *carol);
        QVERIFY(dave->request(Request::join({}, u"general"_s)).isOk());
        QVERIFY(moderate(*alice, RequestType::SetRole, u"general"_s, u"bob"_s, Role::Moderator).isOk());
        QVERIFY(moderate(*alice, RequestType::SetRole, u"general"_s, u"dave"_s, Role::Moderator).isOk());

        QCOMPARE(errorCodeOf(moderate(*carol, RequestType::RemoveMember, u"general"_s, u"bob"_s)), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(moderate(*bob, RequestType::RemoveMember, u"general"_s, u"dave"_s)), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(moderate(*bob, RequestType::RemoveMember, u"general"_s, u"alice"_s)), ErrorCode::Forbidden);
        QCOMPARE(membersOf(*alice, u"general"_s).size(), 4);

        QVERIFY(moderate(*bob, RequestType::RemoveMember, u"general"_s, u"carol"_s, {}, {}, u"off topic"_s).isOk());
        for (WsClient *session : {carol.get(), carolToo.get()}) {
            const auto told = session->waitForEvent(EventType::Moderated);
            QVERIFY(told);
            QCOMPARE(payloadOf<ModerationEvent>(told->data),
                     (ModerationEvent{u"general"_s, ModerationAction::Removed, u"bob"_s, 0, u"off topic"_s}));
            const auto left = session->waitForEvent(EventType::MemberLeft);
            QVERIFY(left);
            QCOMPARE(payloadOf<MembershipEvent>(left->data), (MembershipEvent{u"general"_s, u"carol"_s, u"bob"_s}));
        }
        QVERIFY(alice->waitForEvent(EventType::MemberLeft, [](const Event &e) {
            return payloadOf<MembershipEvent>(e.data).by == u"bob"_s;
        }));
        QVERIFY(!membersOf(*alice, u"general"_s).contains(u"carol"_s));
        QCOMPARE(errorCodeOf(moderate(*bob, RequestType::RemoveMember, u"general"_s, u"carol"_s)), ErrorCode::BadRequest);

        // Nothing more of the room reaches carol's sessions.
        QCOMPARE(send(*alice, u"general"_s, u"after"_s, u"a1"_s), 1);
        QVERIFY(dave->waitForEvent(EventType::Message));
        drain(*carol);
        drain(*carolToo);
        QVERIFY(carol->messages(u"general"_s).isEmpty());
        QVERIFY(carolToo->messages(u"general"_s).isEmpty());
        QCOMPARE(errorCodeOf(carol->request(Request::send({}, {u"general"_s, u"hi"_s, u"c1"_s}))), ErrorCode::Forbidden);
        // Removed is not banned: a public room takes them back.
        QVERIFY(carol->request(Request::join({}, u"general"_s)).isOk());
    }

    /*! ban: the banned user's open sessions leave the room at once and hear why; from then on nothing of the
        room reaches them (no messages, typing, member lists, history, room list, resume), they cannot join,
        read or send; unban lets them join again. */
    void banLeaksNothing()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        auto carolToo = m_server->connectAs(u"carol"_s);
        makeRoom(*alice, *bob, *carol);
        QCOMPARE(send(*bob, u"general"_s, u"before"_s, u"b1"_s), 1);
        QTRY_COMPARE(carol->messages(u"general"_s).size(), 1);
        QCOMPARE(errorCodeOf(moderate(*bob, RequestType::Ban, u"general"_s, u"carol"_s)), ErrorCode::Forbidden);

        const Reply banned = moderate(*alice, RequestType::Ban, u"general"_s, u"carol"_s, {}, {}, u"spam"_s);
        QVERIFY(banned.isOk());
        QCOMPARE(banned.data.value(L1("until")).toInteger(), 0);
        for (WsClient *session : {carol.get(), carolToo.get()}) {
            const auto told = session->waitForEvent(EventType::Moderated);
            QVERIFY(told);
            QCOMPARE(payloadOf<ModerationEvent>(told->data),
                     (ModerationEvent{u"general"_s, ModerationAction::Banned, u"alice"_s, 0, u"spam"_s}));
            QVERIFY(session->waitForEvent(EventType::MemberLeft));
        }
        QVERIFY(bob->waitForEvent(EventType::MemberLeft, [](const Event &e) {
            return payloadOf<MembershipEvent>(e.data).user == u"carol"_s;
        }));

        // The room goes on without her.
        const qsizetype eventsBefore = carol->events().size();
        QCOMPARE(send(*bob, u"general"_s, u"after"_s, u"b2"_s), 2);
        QVERIFY(bob->request(Request::typing({}, {u"general"_s, true})).isOk());
        QVERIFY(alice->waitForEvent(EventType::Typing));
        QVERIFY(moderate(*alice, RequestType::SetRole, u"general"_s, u"bob"_s, Role::Moderator).isOk());
        QVERIFY(alice->waitForEvent(EventType::RoleChanged));
        drain(*carol);
        QCOMPARE(carol->events().size(), eventsBefore); // no message, typing, role change: nothing
        QCOMPARE(carol->messages(u"general"_s).size(), 1);

        // Every way in is shut, with a clear error.
        const Reply join = carol->request(Request::join({}, u"general"_s));
        QCOMPARE(errorCodeOf(join), ErrorCode::Forbidden);
        QVERIFY(join.error->message.contains(u"banned"_s));
        QCOMPARE(errorCodeOf(carol->request(Request::history({}, {u"general"_s, {}, {}, 50}))), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(carol->request(Request::members({}, u"general"_s))), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(carol->request(Request::send({}, {u"general"_s, u"let me in"_s, u"c1"_s}))), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(carol->request(Request::typing({}, {u"general"_s, true}))), ErrorCode::Forbidden);
        const Reply listed = carol->request(Request::listRooms({}));
        QVERIFY(payloadOf<RoomListResult>(listed.data).rooms.isEmpty());
        const Reply resumed = carol->request(Request::resume({}, ResumeParams{{{u"general"_s, 0}}}));
        QVERIFY(resumed.isOk());
        const ResumeResult resume = payloadOf<ResumeResult>(resumed.data);
        QVERIFY(!resume.rooms.value(u"general"_s).error.isEmpty());
        // A new session of hers is not subscribed either.
        auto carolLater = m_server->connectAs(u"carol"_s);
        QCOMPARE(send(*bob, u"general"_s, u"later"_s, u"b3"_s), 3);
        drain(*carolLater);
        QVERIFY(carolLater->messages().isEmpty());
        drain(*carol);
        QCOMPARE(carol->messages(u"general"_s).size(), 1);

        // Any moderator lifts a ban; a member cannot.
        QCOMPARE(errorCodeOf(moderate(*carol, RequestType::Unban, u"general"_s, u"carol"_s)), ErrorCode::Forbidden);
        QVERIFY(moderate(*bob, RequestType::Unban, u"general"_s, u"carol"_s).isOk());
        const auto unbanned = carol->waitForEvent(EventType::Moderated);
        QVERIFY(unbanned);
        QCOMPARE(payloadOf<ModerationEvent>(unbanned->data).action, ModerationAction::Unbanned);
        QCOMPARE(errorCodeOf(moderate(*bob, RequestType::Unban, u"general"_s, u"carol"_s)), ErrorCode::BadRequest);
        QVERIFY(carol->request(Request::join({}, u"general"_s)).isOk());
        QCOMPARE(send(*bob, u"general"_s, u"welcome back"_s, u"b4"_s), 4); // role changes are no entries
    }

    /*! A ban with an expiry ends by itself; a ban outlives a restart. */
    void banExpiresAndPersists()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        makeRoom(*alice, *bob, *carol);
        QVERIFY(moderate(*alice, RequestType::Ban, u"general"_s, u"bob"_s).isOk());
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const Reply timed = moderate(*alice, RequestType::Ban, u"general"_s, u"carol"_s, {}, 1);
        QVERIFY(timed.isOk());
        const qint64 until = timed.data.value(L1("until")).toInteger();
        QVERIFY(until >= before + 1000 && until <= QDateTime::currentMSecsSinceEpoch() + 1000);
        const auto told = carol->waitForEvent(EventType::Moderated);
        QVERIFY(told);
        QCOMPARE(payloadOf<ModerationEvent>(told->data).until, until);
        QCOMPARE(errorCodeOf(carol->request(Request::join({}, u"general"_s))), ErrorCode::Forbidden);
        QTRY_VERIFY_WITH_TIMEOUT(carol->request(Request::join({}, u"general"_s)).isOk(), 10000);
        QVERIFY(QDateTime::currentMSecsSinceEpoch() >= until);

        alice.reset();
        bob.reset();
        carol.reset();
        QVERIFY(m_server->restart());
        auto bobAgain = m_server->connectAs(u"bob"_s);
        QCOMPARE(errorCodeOf(bobAgain->request(Request::join({}, u"general"_s))), ErrorCode::Forbidden);
        auto carolAgain = m_server->connectAs(u"carol"_s);
        QVERIFY(membersOf(*carolAgain, u"general"_s).contains(u"carol"_s));
    }

    /*! mute: the user stays in the room and reads it, but cannot send or edit (a clear error) until unmuted;
        the member list shows it; a moderator cannot mute the owner. */
    void mute()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        makeRoom(*alice, *bob, *carol);
        QCOMPARE(send(*carol, u"general"_s, u"first"_s, u"c1"_s), 1);
        QVERIFY(moderate(*alice, RequestType::SetRole, u"general"_s, u"bob"_s, Role::Moderator).isOk());
        QCOMPARE(errorCodeOf(moderate(*bob, RequestType::Mute, u"general"_s, u"alice"_s)), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(moderate(*carol, RequestType::Mute, u"general"_s, u"alice"_s)), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(moderate(*carol, RequestType::Unmute, u"general"_s, u"bob"_s)), ErrorCode::Forbidden);

        QVERIFY(moderate(*bob, RequestType::Mute, u"general"_s, u"carol"_s, {}, 3600, u"calm down"_s).isOk());
        const auto told = carol->waitForEvent(EventType::Moderated);
        QVERIFY(told);
        QCOMPARE(payloadOf<ModerationEvent>(told->data).action, ModerationAction::Muted);
        QCOMPARE(payloadOf<ModerationEvent>(told->data).reason, u"calm down"_s);
        QVERIFY(payloadOf<ModerationEvent>(told->data).until > QDateTime::currentMSecsSinceEpoch());

        const Reply refused = carol->request(Request::send({}, {u"general"_s, u"still here"_s, u"c2"_s}));
        QCOMPARE(errorCodeOf(refused), ErrorCode::Forbidden);
        QVERIFY(refused.error->message.contains(u"muted"_s));
        QCOMPARE(errorCodeOf(carol->request(Request::edit({}, {u"general"_s, 1, u"edited"_s, u"c3"_s}))), ErrorCode::Forbidden);
        QVERIFY(membersOf(*alice, u"general"_s).value(u"carol"_s).muted);
        QVERIFY(!membersOf(*alice, u"general"_s).value(u"bob"_s).muted);
        // Still in the room: reads it live.
        QCOMPARE(send(*alice, u"general"_s, u"you can read this"_s, u"a1"_s), 2);
        QTRY_COMPARE(carol->messages(u"general"_s).size(), 2);

        QVERIFY(moderate(*bob, RequestType::Unmute, u"general"_s, u"carol"_s).isOk());
        QCOMPARE(payloadOf<ModerationEvent>(carol->waitForEvent(EventType::Moderated)->data).action, ModerationAction::Unmuted);
        QCOMPARE(send(*carol, u"general"_s, u"thanks"_s, u"c4"_s), 3);
        QCOMPARE(errorCodeOf(moderate(*bob, RequestType::Unmute, u"general"_s, u"carol"_s)), ErrorCode::BadRequest);
    }

    /*! The room's members hear of a mute and an unmute at once (`member_muted`), not at their next member
        list; the muted user hears `moderated` as well. */
    void muteIsLive()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        makeRoom(*alice, *bob, *carol);
        QVERIFY(moderate(*alice, RequestType::Mute, u"general"_s, u"carol"_s, {}, 60, u"calm"_s).isOk());
        for (WsClient *member : {bob.get(), carol.get(), alice.get()}) {
            const auto muted = member->waitForEvent(EventType::MemberMuted);
            QVERIFY(muted);
            const MuteEvent event = payloadOf<MuteEvent>(muted->data);
            QCOMPARE(event.room, u"general"_s);
            QCOMPARE(event.user, u"carol"_s);
            QVERIFY(event.muted);
            QCOMPARE(event.by, u"alice"_s);
            QVERIFY(event.until > QDateTime::currentMSecsSinceEpoch());
        }
        QVERIFY(moderate(*alice, RequestType::Unmute, u"general"_s, u"carol"_s).isOk());
        const auto unmuted = bob->waitForEvent(EventType::MemberMuted);
        QVERIFY(unmuted);
        QVERIFY(!payloadOf<MuteEvent>(unmuted->data).muted);
        // A ban is no mute: the room hears member_left, not member_muted.
        const auto mutesHeard = [&bob] {
            return std::count_if(bob->events().cbegin(), bob->events().cend(),
                                 [](const Event &e) { return e.type == EventType::MemberMuted; });
        };
        QCOMPARE(mutesHeard(), 2);
        QVERIFY(moderate(*alice, RequestType::Ban, u"general"_s, u"carol"_s).isOk());
        QVERIFY(bob->waitForEvent(EventType::MemberLeft));
        drain(*bob);
        QCOMPARE(mutesHeard(), 2);
    }

    /*! list_sanctions: the room's bans and mutes that hold now (who, by whom, why, until), for its owner and
        moderators; a member is refused (forbidden), a private room's outsider learns nothing (not_found);
        lifted and expired ones are not listed. */
    void listSanctions()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        auto dave = m_server->connectAs(u"dave"_s);
        makeRoom(*alice, *bob, *carol);
        QVERIFY(dave->request(Request::join({}, u"general"_s)).isOk());
        const Reply empty = alice->request(Request::listSanctions({}, u"general"_s));
        QVERIFY(empty.isOk());
        QVERIFY(payloadOf<SanctionsResult>(empty.data).sanctions.isEmpty());
        QVERIFY(moderate(*alice, RequestType::Mute, u"general"_s, u"carol"_s, {}, {}, u"loud"_s).isOk());
        QVERIFY(moderate(*alice, RequestType::Ban, u"general"_s, u"dave"_s, {}, 3600, u"spam"_s).isOk());
        QVERIFY(moderate(*alice, RequestType::Mute, u"general"_s, u"bob"_s).isOk());
        QVERIFY(moderate(*alice, RequestType::Unmute, u"general"_s, u"bob"_s).isOk());

        const Reply listed = alice->request(Request::listSanctions({}, u"general"_s));
        QVERIFY(listed.isOk());
        const SanctionsResult result = payloadOf<SanctionsResult>(listed.data);
        QCOMPARE(result.room, u"general"_s);
        QCOMPARE(result.sanctions.size(), 2);
        QCOMPARE(result.sanctions.at(0).user, u"dave"_s);
        QVERIFY(result.sanctions.at(0).ban);
        QCOMPARE(result.sanctions.at(0).by, u"alice"_s);
        QCOMPARE(result.sanctions.at(0).reason, u"spam"_s);
        QVERIFY(result.sanctions.at(0).until > QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(result.sanctions.at(1).user, u"carol"_s);
        QVERIFY(!result.sanctions.at(1).ban);
        QCOMPARE(result.sanctions.at(1).until, 0);
        QCOMPARE(result.sanctions.at(1).reason, u"loud"_s);

        QCOMPARE(errorCodeOf(bob->request(Request::listSanctions({}, u"general"_s))), ErrorCode::Forbidden);
        QCOMPARE(errorCodeOf(alice->request(Request::listSanctions({}, u"nowhere"_s))), ErrorCode::NotFound);
        QVERIFY(moderate(*alice, RequestType::SetRole, u"general"_s, u"bob"_s, Role::Moderator).isOk());
        QCOMPARE(payloadOf<SanctionsResult>(bob->request(Request::listSanctions({}, u"general"_s)).data).sanctions.size(), 2);
        QVERIFY(alice->request(Request::createRoom({}, {u"hidden"_s, true})).isOk());
        QCOMPARE(errorCodeOf(bob->request(Request::listSanctions({}, u"hidden"_s))), ErrorCode::NotFound);
    }

    /*! A moderator deletes anyone's message (but the owner's and other moderators'); the tombstone says who,
        live and in history; a member still deletes only their own; a server administrator deletes anyone's. */
    void moderatorDeletes()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        makeRoom(*alice, *bob, *carol);
        QCOMPARE(send(*carol, u"general"_s, u"spam"_s, u"c1"_s), 1);
        QCOMPARE(send(*alice, u"general"_s, u"owner's"_s, u"a1"_s), 2);
        QCOMPARE(send(*bob, u"general"_s, u"bob's"_s, u"b1"_s), 3);
        QCOMPARE(errorCodeOf(carol->request(Request::deleteMessage({}, {u"general"_s, 3, u"c-d"_s}))), ErrorCode::Forbidden);
        QVERIFY(moderate(*alice, RequestType::SetRole, u"general"_s, u"bob"_s, Role::Moderator).isOk());

        QVERIFY(bob->request(Request::deleteMessage({}, {u"general"_s, 1, u"b-d"_s})).isOk());
        QTRY_VERIFY(!carol->messages(u"general"_s).isEmpty() && carol->messages(u"general"_s).last().seq == 4);
        const ChatMessage entry = carol->messages(u"general"_s).last();
        QCOMPARE(entry.kind, MessageKind::Delete);
        QCOMPARE(entry.sender, u"bob"_s);
        ChatMessage target = carol->messages(u"general"_s).first();
        QVERIFY(target.apply(entry));
        QCOMPARE(target.deletedBy, u"bob"_s);
        const Reply owners = bob->request(Request::deleteMessage({}, {u"general"_s, 2, u"b-o"_s}));
        QCOMPARE(errorCodeOf(owners), ErrorCode::Forbidden);

        auto root = m_server->connectAdmin();
        QVERIFY(root);
        QVERIFY(root->request(Request::join({}, u"general"_s)).isOk());
        QVERIFY(root->request(Request::deleteMessage({}, {u"general"_s, 2, u"r-d"_s})).isOk());

        const HistoryPage page = payloadOf<HistoryPage>(carol->request(Request::history({}, {u"general"_s, {}, {}, 50})).data);
        QCOMPARE(page.messages.size(), 5);
        QVERIFY(page.messages.at(0).deleted);
        QCOMPARE(page.messages.at(0).deletedBy, u"bob"_s);
        QCOMPARE(page.messages.at(1).deletedBy, u"root"_s);
        QVERIFY(!page.messages.at(2).deleted);
    }

    /*! A server administrator outranks every room role: acts in rooms they are not in (a private one too)
        and on owners; a private room stays invisible to a member of nothing; every action is in the audit
        log (GET /api/v1/admin/audit), newest first, with who, what, whom, where, when and why. */
    void administratorAndAudit()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        auto carol = m_server->connectAs(u"carol"_s);
        makeRoom(*alice, *bob, *carol, true);
        auto dave = m_server->connectAs(u"dave"_s);
        QCOMPARE(errorCodeOf(moderate(*dave, RequestType::Ban, u"general"_s, u"carol"_s)), ErrorCode::NotFound);

        QByteArray token;
        auto root = m_server->connectAdmin(&token);
        QVERIFY(root);
        const qint64 start = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(moderate(*root, RequestType::Mute, u"general"_s, u"alice"_s, {}, {}, u"owner or not"_s).isOk());
        QVERIFY(moderate(*root, RequestType::TransferOwnership, u"general"_s, u"bob"_s).isOk());
        QCOMPARE(membersOf(*bob, u"general"_s).value(u"alice"_s).role, Role::Moderator);
        QVERIFY(moderate(*bob, RequestType::Ban, u"general"_s, u"carol"_s, {}, 60, u"rude"_s).isOk());
        // A refused action is not recorded.
        QCOMPARE(errorCodeOf(moderate(*alice, RequestType::Unmute, u"general"_s, u"alice"_s)), ErrorCode::BadRequest);

        // The admin API's own actions are in the same log.
        const HttpResult promoted = m_server->http().send("POST", u"/api/v1/admin/users/dave/admin"_s,
                                                          QJsonObject{{L1("admin"), true}}, token);
        QCOMPARE(promoted.status, 200);
        const HttpResult audit = m_server->http().send("GET", u"/api/v1/admin/audit?limit=3"_s, {}, token);
        QCOMPARE(audit.status, 200);
        const QJsonArray lines = audit.json.value(L1("audit")).toArray();
        QCOMPARE(lines.size(), 3);
        QVERIFY(audit.json.value(L1("more")).toBool());
        const QJsonObject newest = lines.at(0).toObject();
        QCOMPARE(newest.value(L1("action")).toString(), u"set_admin"_s);
        QCOMPARE(newest.value(L1("actor")).toString(), u"root"_s);
        QCOMPARE(newest.value(L1("target")).toString(), u"dave"_s);
        QVERIFY(newest.value(L1("detail")).toString().contains(u"admin=true"_s));
        const QJsonObject ban = lines.at(1).toObject();
        QCOMPARE(ban.value(L1("action")).toString(), u"ban"_s);
        QCOMPARE(ban.value(L1("actor")).toString(), u"bob"_s);
        QCOMPARE(ban.value(L1("target")).toString(), u"carol"_s);
        QCOMPARE(ban.value(L1("room")).toString(), u"general"_s);
        QCOMPARE(ban.value(L1("reason")).toString(), u"rude"_s);
        QVERIFY(ban.value(L1("detail")).toString().startsWith(u"until="_s));
        QVERIFY(ban.value(L1("at")).toInteger() >= start);
        QCOMPARE(lines.at(2).toObject().value(L1("action")).toString(), u"transfer_ownership"_s);
        // The next page, from where this one stopped.
        const qint64 next = audit.json.value(L1("next_before")).toInteger();
        const HttpResult older = m_server->http().send("GET", u"/api/v1/admin/audit?before=%1"_s.arg(next), {}, token);
        QCOMPARE(older.status, 200);
        const QJsonArray rest = older.json.value(L1("audit")).toArray();
        QCOMPARE(rest.size(), 1);
        QCOMPARE(rest.at(0).toObject().value(L1("action")).toString(), u"mute"_s);
        QCOMPARE(rest.at(0).toObject().value(L1("target")).toString(), u"alice"_s);
        QCOMPARE(rest.at(0).toObject().value(L1("reason")).toString(), u"owner or not"_s);
        QVERIFY(!older.json.value(L1("more")).toBool());
        // Bad pages, and members, are refused.
        QCOMPARE(m_server->http().send("GET", u"/api/v1/admin/audit?limit=0"_s, {}, token).status, 400);
        QCOMPARE(m_server->http().send("GET", u"/api/v1/admin/audit?before=x"_s, {}, token).status, 400);
        const QByteArray member = m_server->login(u"erin"_s).accessToken.toLatin1();
        QCOMPARE(m_server->http().send("GET", u"/api/v1/admin/audit"_s, {}, member).status, 403);
    }

    /*! Malformed moderation requests get bad_request, and a reason over its limit too_large. */
    void malformed()
    {
        auto alice = m_server->connectAs(u"alice"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"general"_s, false})).isOk());
        const auto raw = [&](RequestType type, const QJsonObject &data) {
            return errorCodeOf(alice->request(Request{type, alice->nextId(), data, {}}));
        };
        QCOMPARE(raw(RequestType::Ban, {{L1("room"), u"general"_s}}), ErrorCode::BadRequest);
        QCOMPARE(raw(RequestType::Ban, {{L1("room"), u"general"_s}, {L1("user"), 5}}), ErrorCode::BadRequest);
        QCOMPARE(raw(RequestType::Ban, {{L1("room"), u"general"_s}, {L1("user"), u"bob"_s}, {L1("duration"), 0}}),
                 ErrorCode::BadRequest);
        QCOMPARE(raw(RequestType::Mute, {{L1("room"), u"general"_s}, {L1("user"), u"bob"_s}, {L1("duration"), 1.5}}),
                 ErrorCode::BadRequest);
        QCOMPARE(raw(RequestType::Mute, {{L1("room"), u"general"_s}, {L1("user"), u"bob"_s},
                                         {L1("reason"), QString(kMaxReasonLength + 1, u'x')}}),
                 ErrorCode::TooLarge);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestModeration)
#include "tst_moderation.moc"
