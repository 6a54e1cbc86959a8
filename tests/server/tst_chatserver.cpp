// The native WebSocket protocol end to end: a real in-process server and real QWebSocket clients.
#include "support/printers.h"
#include "support/rawwebsocket.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include "server/session/monotonicclock.h"

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtNetwork/QNetworkRequest>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;

namespace {

QList<qint64> seqsOf(const QList<ChatMessage> &messages)
{
    QList<qint64> seqs;
    for (const ChatMessage &m : messages)
        seqs.append(m.seq);
    return seqs;
}
} // namespace

class TestChatServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    /// Signs the user in and opens an authenticated session.
    std::unique_ptr<WsClient> connectAs(const QString &user, TestServer *server = nullptr)
    {
        return (server ? *server : *m_server).connectAs(user);
    }

    static Reply call(WsClient &client, const Request &request) { return client.request(request); }

    static qint64 send(WsClient &client, const QString &room, const QString &text, const QString &clientId)
    {
        const Reply reply = client.request(Request::send({}, {room, text, clientId}));
        if (!reply.isOk()) {
            qWarning() << "send failed:" << describe(*reply.error);
            return -1;
        }
        return payloadOf<SendResult>(reply.data).seq;
    }

private Q_SLOTS:
    void init() { m_server = std::make_unique<TestServer>(); }
    void cleanup() { m_server.reset(); }

    /*! `auth` as the first frame: ok with who we are and which server this is; the subprotocol is agreed. */
    void authFirstFrame()
    {
        const TokenPair pair = m_server->login(u"alice"_s);
        WsClient client;
        QVERIFY(client.open(m_server->url()));
        QCOMPARE(client.socket().subprotocol(), u"tertulia.v1"_s);
        const Reply reply = client.request(Request::auth(u"a1"_s, pair.accessToken));
        QVERIFY(reply.isOk());
        const HelloInfo hello = payloadOf<HelloInfo>(reply.data);
        QCOMPARE(hello.user, u"alice"_s);
        QCOMPARE(hello.server.name, u"Test server"_s);
        QCOMPARE(hello.server.maxTextBytes, 16384);
        QVERIFY(hello.expiresIn > 800 && hello.expiresIn <= 900);
    }

    /*! The Authorization header authenticates at once and the server pushes `hello`. */
    void authHeader()
    {
        const TokenPair pair = m_server->login(u"alice"_s);
        WsClient client;
        QVERIFY(client.open(m_server->url(), {pair.accessToken, {}, {u"tertulia.v1"_s}}));
        const auto hello = client.waitForEvent(EventType::Hello);
        QVERIFY(hello);
        QCOMPARE(payloadOf<HelloInfo>(hello->data).user, u"alice"_s);
        QVERIFY(client.request(Request::listRooms({})).isOk());
    }

    void badTokens()
    {
        WsClient first;
        QVERIFY(first.open(m_server->url()));
        const Reply reply = first.request(Request::auth(u"1"_s, u"not-a-token"_s));
        QCOMPARE(reply.error->code, ErrorCode::AuthFailed);
        QVERIFY(first.waitForDisconnected());
        QCOMPARE(first.closeCode(), int(CloseCode::AuthFailed));

        WsClient header;
        header.open(m_server->url(), {u"eyJhbGciOiJub25lIn0.e30."_s, {}, {u"tertulia.v1"_s}}); // may close at once
        QVERIFY(header.waitForDisconnected());
        QCOMPARE(header.closeCode(), int(CloseCode::AuthFailed));
        QVERIFY(!header.closeReason().isEmpty());
    }

    void signedButNotHonoured_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("inHeader");
        QTest::addColumn<bool>("honoured");
        for (const bool header : {false, true}) {
            const char *where = header ? "header" : "auth frame";
            // The control: a token made the same way, with nothing wrong, is honoured (so the others can fail).
            QTest::addRow("%s: well-formed", where) << u"good"_s << header << true;
            QTest::addRow("%s: not valid before a later time", where) << u"nbf"_s << header << false;
            QTest::addRow("%s: user that does not exist", where) << u"ghost"_s << header << false;
            QTest::addRow("%s: login that was never made", where) << u"no-login"_s << header << false;
            QTest::addRow("%s: another user's login", where) << u"borrowed"_s << header << false;
        }
    }
    /*! Tokens with the server's own signature that it must not honour: nbf still ahead, a user that does not
        exist, a login that was never made or is another user's. Refused like a revoked token (4002). */
    void signedButNotHonoured()
    {
        QFETCH(QString, kind);
        QFETCH(bool, inHeader);
        QFETCH(bool, honoured);
        const QString aliceLogin = TestServer::loginOf(m_server->login(u"alice"_s).accessToken);
        const QString bobLogin = TestServer::loginOf(m_server->login(u"bob"_s).accessToken);
        QVERIFY(!aliceLogin.isEmpty());
        QJsonObject claims = TestServer::accessClaims(u"alice"_s, aliceLogin);
        if (kind == u"nbf")
            claims.insert(u"nbf"_s, QDateTime::currentSecsSinceEpoch() + 300);
        else if (kind == u"ghost")
            claims = TestServer::accessClaims(u"ghost"_s, aliceLogin);
        else if (kind == u"no-login")
            claims = TestServer::accessClaims(u"alice"_s, u"never-made"_s);
        else if (kind == u"borrowed")
            claims = TestServer::accessClaims(u"alice"_s, bobLogin);
        const QString token = m_server->signToken(claims);

        WsClient client;
        if (inHeader) {
            client.open(m_server->url(), {token, {}, {u"tertulia.v1"_s}}); // a refusal may close at once
            if (honoured) {
                QVERIFY(client.waitForEvent(EventType::Hello));
                return;
            }
        } else {
            QVERIFY(client.open(m_server->url()));
            const Reply reply = client.request(Request::auth({}, token));
            QCOMPARE(reply.isOk(), honoured);
            if (honoured)
                return;
            QCOMPARE(reply.error->code, ErrorCode::AuthFailed);
        }
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(client.closeCode(), int(CloseCode::AuthFailed));
        QCOMPARE(m_server->server().onlineUsers(), 0);
    }

    void helloComesFirst_data()
    {
        QTest::addColumn<bool>("inHeader");
        QTest::newRow("token in the upgrade request") << true;
        QTest::newRow("token in the first auth frame") << false;
    }
    /*! Nothing precedes `hello` (with the token in the first `auth` frame: the `ok` that carries hello), even
        when the members of one room connect back to back, each announcing itself to the others. */
    void helloComesFirst()
    {
        using namespace std::chrono_literals;
        QFETCH(bool, inHeader);
        constexpr int kUsers = 24;
        m_server->server().setPresenceGrace(0ms); // every reconnect is announced
        {
            auto founder = connectAs(u"member0"_s);
            QVERIFY(call(*founder, Request::createRoom({}, {u"commons"_s, false})).isOk());
            for (int i = 1; i < kUsers; ++i)
                QVERIFY(call(*connectAs(QStringLiteral("member%1").arg(i)), Request::join({}, u"commons"_s)).isOk());
        }
        QTRY_COMPARE(m_server->server().onlineUsers(), 0);
        QStringList tokens;
        for (int i = 0; i < kUsers; ++i)
            tokens << m_server->login(QStringLiteral("member%1").arg(i)).accessToken;

        std::vector<std::unique_ptr<QWebSocket>> sockets;
        QList<QStringList> frames(kUsers);
        for (int i = 0; i < kUsers; ++i) {
            auto &socket = sockets.emplace_back(std::make_unique<QWebSocket>());
            connect(socket.get(), &QWebSocket::textMessageReceived, this, [&frames, i](const QString &text) { frames[i] << text; });
            QNetworkRequest request(m_server->url());
            if (inHeader) {
                request.setRawHeader("Authorization", "Bearer " + tokens[i].toLatin1());
            } else {
                connect(socket.get(), &QWebSocket::connected, this, [socket = socket.get(), token = tokens[i]] {
                    socket->sendTextMessage(QString::fromUtf8(encode(Request::auth(u"first"_s, token))));
                });
            }
            QWebSocketHandshakeOptions handshake;
            handshake.setSubprotocols({u"tertulia.v1"_s});
            socket->open(request, handshake);
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_server->server().onlineUsers(), kUsers, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(frames.cbegin(), frames.cend(), [](const QStringList &f) { return !f.isEmpty(); }),
                                 20000);
        QStringList late;
        for (int i = 0; i < kUsers; ++i) {
            const auto first = decodeServerFrame(frames[i].first().toUtf8());
            const auto *hello = std::get_if<Event>(&first);
            const auto *ok = std::get_if<Reply>(&first);
            const bool greeted = inHeader ? hello && hello->type == EventType::Hello
                                          : ok && ok->id == u"first" && ok->isOk();
            if (!greeted)
                late << QStringLiteral("member%1: %2").arg(i).arg(frames[i].first().left(80));
        }
        QVERIFY2(late.isEmpty(), qPrintable(late.join(u"; "_s)));
    }

    /*! Nothing but auth is served before authenticating. */
    void nothingBeforeAuth()
    {
        WsClient client;
        QVERIFY(client.open(m_server->url()));
        for (const Request &request : {Request::listRooms(u"1"_s), Request::join(u"2"_s, u"general"_s),
                                       Request::ping(u"3"_s)}) {
            const Reply reply = client.request(request);
            QCOMPARE(reply.error->code, ErrorCode::NotAuthenticated);
        }
        QVERIFY(client.request(Request::auth({}, m_server->login(u"alice"_s).accessToken)).isOk());
        QVERIFY(client.request(Request::listRooms({})).isOk());
    }

    /*! Without a successful auth in time, the server closes with 4001. */
    void authDeadline()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.authTimeoutMs = 300;
        TestServer quick(config);
        WsClient client;
        QVERIFY(client.open(quick.url()));
        QVERIFY(client.waitForDisconnected(5000));
        QCOMPARE(client.closeCode(), int(CloseCode::AuthTimeout));
    }

    /*! The upgrade must ask for tertulia.v1. */
    void subprotocolRequired()
    {
        WsClient client;
        QVERIFY(!client.open(m_server->url(), {{}, {}, {}}));
        RawWebSocket raw;
        QCOMPARE(raw.open(m_server->server().port(), "/ws"), 101);
    }

    /*! Create, list, join, members, leave, with the events each member sees. */
    void roomLifecycle()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(alice && bob);
        const Reply created = call(*alice, Request::createRoom({}, {u"general"_s, false}));
        QVERIFY(created.isOk());
        const RoomInfo room = payloadOf<RoomResult>(created.data).room;
        QCOMPARE(room.name, u"general"_s);
        QCOMPARE(room.creator, u"alice"_s);
        QVERIFY(room.joined);
        QCOMPARE(room.memberCount, 1);
        const auto announced = bob->waitForEvent(EventType::RoomCreated);
        QVERIFY(announced);
        QVERIFY(!payloadOf<RoomResult>(announced->data).room.joined);
        const auto own = alice->waitForEvent(EventType::RoomCreated);
        QVERIFY(own);
        QVERIFY(payloadOf<RoomResult>(own->data).room.joined);

        QCOMPARE(call(*bob, Request::createRoom({}, {u"GENERAL"_s, false})).error->code, ErrorCode::Conflict);
        QCOMPARE(call(*bob, Request::createRoom({}, {u"two words"_s, false})).error->code, ErrorCode::BadRequest);

        RoomListResult list = payloadOf<RoomListResult>(call(*bob, Request::listRooms({})).data);
        QCOMPARE(list.rooms.size(), 1);
        QVERIFY(!list.rooms.first().joined);

        const Reply joined = call(*bob, Request::join({}, u"General"_s));
        QVERIFY(joined.isOk());
        QCOMPARE(payloadOf<RoomResult>(joined.data).room.memberCount, 2);
        const auto event = alice->waitForEvent(EventType::MemberJoined);
        QVERIFY(event);
        QCOMPARE(payloadOf<MembershipEvent>(event->data), (MembershipEvent{u"general"_s, u"bob"_s}));
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk()); // joining twice is fine

        const MembersResult members = payloadOf<MembersResult>(call(*alice, Request::members({}, u"general"_s)).data);
        // The creator owns the room (issue 13); a member who joined is a member.
        QCOMPARE(members.members, (QList<Member>{{u"alice"_s, PresenceStatus::Online, Role::Owner},
                                                 {u"bob"_s, PresenceStatus::Online}}));

        QVERIFY(call(*bob, Request::leave({}, u"general"_s)).isOk());
        QVERIFY(alice->waitForEvent(EventType::MemberLeft));
        QCOMPARE(call(*bob, Request::leave({}, u"general"_s)).error->code, ErrorCode::BadRequest);
        QCOMPARE(call(*bob, Request::join({}, u"nowhere"_s)).error->code, ErrorCode::NotFound);
    }

    /*! Notifications (joins, presence) may be held back a moment, but never past a later event: a member
        hears "bob joined", "bob is away" and bob's message in that order; the joiner hears its own join. */
    void notificationsKeepTheirPlace()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        const QStringList ids{bob->nextId(), bob->nextId(), bob->nextId()};
        bob->post(Request::join(ids[0], u"general"_s));
        bob->post(Request::presence(ids[1], PresenceStatus::Away));
        bob->post(Request::send(ids[2], {u"general"_s, u"hola"_s, u"c1"_s}));
        QTRY_COMPARE(alice->messages().size(), 1);
        QList<EventType> heard;
        for (const Event &event : alice->events()) {
            if (event.type == EventType::MemberJoined || event.type == EventType::Presence
                || event.type == EventType::Message)
                heard << event.type;
        }
        QCOMPARE(heard, (QList<EventType>{EventType::MemberJoined, EventType::Presence, EventType::Message}));
        auto answered = [&bob](const QString &id) {
            return std::any_of(bob->replies().cbegin(), bob->replies().cend(),
                               [&id](const Reply &reply) { return reply.id == id && reply.isOk(); });
        };
        for (const QString &id : ids)
            QTRY_VERIFY(answered(id));
        QVERIFY(std::any_of(bob->events().cbegin(), bob->events().cend(),
                            [](const Event &event) { return event.type == EventType::MemberJoined; }));
    }

    /*! Messages reach every member in seq order, the ack carries the seq, and a retry is not stored twice. */
    void sendAndDeliver()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());

        for (int i = 1; i <= 5; ++i) {
            WsClient &from = i % 2 ? *alice : *bob;
            QCOMPARE(send(from, u"general"_s, u"hola %1 ¿qué tal? 👋"_s.arg(i), u"c%1"_s.arg(i)), qint64(i));
        }
        QTRY_COMPARE(alice->messages().size(), 5);
        QTRY_COMPARE(bob->messages().size(), 5);
        QCOMPARE(seqsOf(alice->messages()), (QList<qint64>{1, 2, 3, 4, 5}));
        QCOMPARE(alice->messages(), bob->messages());
        const ChatMessage third = alice->messages().at(2);
        QCOMPARE(third.sender, u"alice"_s);
        QCOMPARE(third.text, u"hola 3 ¿qué tal? 👋"_s);
        QCOMPARE(third.clientMsgId, u"c3"_s);
        QVERIFY(third.timestamp > 1700000000000);

        // Retry of c3: same seq, flagged duplicate, no new delivery.
        const Reply retry = call(*alice, Request::send({}, {u"general"_s, u"hola 3 ¿qué tal? 👋"_s, u"c3"_s}));
        QVERIFY(retry.isOk());
        QCOMPARE(payloadOf<SendResult>(retry.data).seq, 3);
        QVERIFY(payloadOf<SendResult>(retry.data).duplicate);
        QCOMPARE(send(*alice, u"general"_s, u"after"_s, u"c6"_s), 6);
        QTRY_COMPARE(bob->messages().size(), 6);
        QCOMPARE(seqsOf(bob->messages()), (QList<qint64>{1, 2, 3, 4, 5, 6}));
    }

    void sendRefused()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QCOMPARE(call(*bob, Request::send({}, {u"general"_s, u"hi"_s, u"x"_s})).error->code, ErrorCode::Forbidden);
        QCOMPARE(call(*bob, Request::send({}, {u"nowhere"_s, u"hi"_s, u"x"_s})).error->code, ErrorCode::NotFound);
        const QString tooLong(16385, u'a');
        QCOMPARE(call(*alice, Request::send({}, {u"general"_s, tooLong, u"x"_s})).error->code, ErrorCode::TooLarge);
        // The limit is in UTF-8 bytes: 5462 three-byte characters are 16386 bytes.
        QCOMPARE(call(*alice, Request::send({}, {u"general"_s, QString(5462, QChar(0x20AC)), u"x"_s})).error->code,
                 ErrorCode::TooLarge);
        QCOMPARE(send(*alice, u"general"_s, QString(16384, u'a'), u"max"_s), 1);
        QCOMPARE(call(*alice, Request::send({}, {u"general"_s, QString(), u"y"_s})).error->code, ErrorCode::BadRequest);
    }

    /*! Edit and delete one's own message: each is the room's next entry, delivered to everyone like a message;
        the target shows its current state in history; only its sender may; a retry changes nothing. */
    void editAndDelete()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        auto carol = connectAs(u"carol"_s); // never joins
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        QCOMPARE(send(*alice, u"general"_s, u"helo"_s, u"a1"_s), 1);
        QCOMPARE(send(*bob, u"general"_s, u"bob's"_s, u"b1"_s), 2);

        const Reply edited = call(*alice, Request::edit({}, {u"general"_s, 1, u"hello ✍️"_s, u"a-edit"_s}));
        QVERIFY(edited.isOk());
        QCOMPARE(payloadOf<SendResult>(edited.data).seq, 3);
        QTRY_COMPARE(bob->messages().size(), 3);
        const ChatMessage editEntry = bob->messages().last();
        QCOMPARE(editEntry.kind, MessageKind::Edit);
        QCOMPARE(editEntry.target, 1);
        QCOMPARE(editEntry.text, u"hello ✍️"_s);
        QCOMPARE(editEntry.sender, u"alice"_s);

        // Retried: the same entry, nothing new delivered or stored.
        const Reply retried = call(*alice, Request::edit({}, {u"general"_s, 1, u"hello ✍️"_s, u"a-edit"_s}));
        QVERIFY(payloadOf<SendResult>(retried.data).duplicate);
        QCOMPARE(payloadOf<SendResult>(retried.data).seq, 3);

        // Refusals: someone else's message, a non-member, a missing message, an entry that is no message,
        // text over the limit, an empty text.
        QCOMPARE(call(*bob, Request::edit({}, {u"general"_s, 1, u"mine now"_s, u"b-x"_s})).error->code, ErrorCode::Forbidden);
        QCOMPARE(call(*bob, Request::deleteMessage({}, {u"general"_s, 1, u"b-y"_s})).error->code, ErrorCode::Forbidden);
        QCOMPARE(call(*carol, Request::edit({}, {u"general"_s, 1, u"x"_s, u"c-x"_s})).error->code, ErrorCode::Forbidden);
        QCOMPARE(call(*carol, Request::deleteMessage({}, {u"general"_s, 2, u"c-y"_s})).error->code, ErrorCode::Forbidden);
        QCOMPARE(call(*alice, Request::edit({}, {u"general"_s, 99, u"x"_s, u"a-x"_s})).error->code, ErrorCode::NotFound);
        QCOMPARE(call(*alice, Request::edit({}, {u"nowhere"_s, 1, u"x"_s, u"a-x"_s})).error->code, ErrorCode::NotFound);
        QCOMPARE(call(*alice, Request::deleteMessage({}, {u"general"_s, 3, u"a-x"_s})).error->code, ErrorCode::BadRequest);
        QCOMPARE(call(*alice, Request::edit({}, {u"general"_s, 1, QString(16385, u'a'), u"a-x"_s})).error->code,
                 ErrorCode::TooLarge);
        QCOMPARE(call(*alice, Request::edit({}, {u"general"_s, 1, QString(), u"a-x"_s})).error->code, ErrorCode::BadRequest);
        QCOMPARE(bob->messages().size(), 3); // none of them reached anyone

        const Reply deleted = call(*bob, Request::deleteMessage({}, {u"general"_s, 2, u"b-del"_s}));
        QVERIFY(deleted.isOk());
        QCOMPARE(payloadOf<SendResult>(deleted.data).seq, 4);
        QTRY_COMPARE(alice->messages().size(), 4);
        QCOMPARE(alice->messages().last().kind, MessageKind::Delete);
        QCOMPARE(alice->messages().last().target, 2);
        QVERIFY(alice->messages().last().text.isEmpty());
        // A tombstone cannot be edited or deleted again.
        QCOMPARE(call(*bob, Request::edit({}, {u"general"_s, 2, u"back"_s, u"b-z"_s})).error->code, ErrorCode::NotFound);
        QCOMPARE(call(*bob, Request::deleteMessage({}, {u"general"_s, 2, u"b-w"_s})).error->code, ErrorCode::NotFound);
        // A retried delete still gets its answer.
        QVERIFY(payloadOf<SendResult>(call(*bob, Request::deleteMessage({}, {u"general"_s, 2, u"b-del"_s})).data).duplicate);

        // History: every entry in seq order, the targets as they are now.
        const HistoryPage page = payloadOf<HistoryPage>(call(*carol, Request::history({}, {u"general"_s, {}, {}, 50})).data);
        QCOMPARE(seqsOf(page.messages), (QList<qint64>{1, 2, 3, 4}));
        QCOMPARE(page.messages[0].text, u"hello ✍️"_s);
        QCOMPARE(page.messages[0].editSeq, 3);
        QCOMPARE(page.messages[0].editedAt, editEntry.timestamp);
        QVERIFY(!page.messages[0].deleted);
        QVERIFY(page.messages[1].deleted);
        QVERIFY(page.messages[1].text.isEmpty());
        QCOMPARE(page.messages[1].sender, u"bob"_s); // the tombstone keeps who and when
        QCOMPARE(page.messages[1].timestamp, bob->messages().at(1).timestamp);
        QCOMPARE(page.messages[2].kind, MessageKind::Edit);
        QCOMPARE(page.messages[3].kind, MessageKind::Delete);
        // The edit of a deleted message loses its text too.
        QCOMPARE(send(*alice, u"general"_s, u"typo"_s, u"a2"_s), 5);
        QVERIFY(call(*alice, Request::edit({}, {u"general"_s, 5, u"secret"_s, u"a2-e"_s})).isOk());
        QVERIFY(call(*alice, Request::deleteMessage({}, {u"general"_s, 5, u"a2-d"_s})).isOk());
        const HistoryPage after = payloadOf<HistoryPage>(call(*carol, Request::history({}, {u"general"_s, {}, 4, 50})).data);
        QCOMPARE(seqsOf(after.messages), (QList<qint64>{5, 6, 7}));
        for (const ChatMessage &m : after.messages)
            QVERIFY2(m.text.isEmpty(), qPrintable(describe(m)));
    }

    /*! Replies: `reply_to` names a message of the same room, checked by the server (a clear error otherwise),
        delivered live, and carried by history and resume; nobody replies in a room they cannot use. */
    void replies()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        auto carol = connectAs(u"carol"_s); // never joins
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*alice, Request::createRoom({}, {u"secret"_s, true})).isOk());
        QVERIFY(call(*alice, Request::createRoom({}, {u"other"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        QVERIFY(call(*bob, Request::join({}, u"other"_s)).isOk());
        QCOMPARE(send(*alice, u"general"_s, u"¿café a las 5?"_s, u"a1"_s), 1);
        QCOMPARE(send(*alice, u"secret"_s, u"hush"_s, u"s1"_s), 1);

        const Reply replied = call(*bob, Request::send({}, {u"general"_s, u"¡sí! ☕"_s, u"b1"_s, 1}));
        QVERIFY(replied.isOk());
        QCOMPARE(payloadOf<SendResult>(replied.data).seq, 2);
        QTRY_COMPARE(alice->messages().size(), 3); // general 1, secret 1, the reply
        const ChatMessage live = alice->messages().last();
        QCOMPARE(live.seq, 2);
        QCOMPARE(live.replyTo, 1);
        QCOMPARE(live.sender, u"bob"_s);

        auto refusal = [](const Reply &reply) { return reply.error.value_or(Error{}); };
        const Error missing = refusal(call(*bob, Request::send({}, {u"general"_s, u"?"_s, u"b2"_s, 99})));
        QCOMPARE(missing.code, ErrorCode::NotFound);
        QVERIFY2(missing.message.contains(u"reply"_s), qPrintable(missing.message));
        // Seq 1 of another room is not general's, and "other" has no message 1 at all.
        QCOMPARE(refusal(call(*bob, Request::send({}, {u"other"_s, u"?"_s, u"b3"_s, 1}))).code, ErrorCode::NotFound);
        QCOMPARE(refusal(call(*carol, Request::send({}, {u"general"_s, u"?"_s, u"c1"_s, 1}))).code, ErrorCode::Forbidden);
        QCOMPARE(refusal(call(*bob, Request::send({}, {u"secret"_s, u"?"_s, u"b4"_s, 1}))).code, ErrorCode::NotFound);
        QVERIFY(call(*alice, Request::edit({}, {u"general"_s, 1, u"¿café a las 6?"_s, u"a1-e"_s})).isOk()); // seq 3
        QCOMPARE(refusal(call(*bob, Request::send({}, {u"general"_s, u"?"_s, u"b5"_s, 3}))).code, ErrorCode::BadRequest);
        alice->sendRaw(uR"({"type":"send","id":"z","data":{"room":"general","text":"?","client_msg_id":"a2","reply_to":0}})"_s);
        QTRY_VERIFY(std::any_of(alice->replies().cbegin(), alice->replies().cend(), [](const Reply &r) { return r.id == u"z"; }));
        QCOMPARE(std::find_if(alice->replies().cbegin(), alice->replies().cend(), [](const Reply &r) { return r.id == u"z"; })
                     ->error->code,
                 ErrorCode::BadRequest);
        // A retry of the reply is the same reply.
        const Reply retry = call(*bob, Request::send({}, {u"general"_s, u"¡sí! ☕"_s, u"b1"_s, 1}));
        QVERIFY(payloadOf<SendResult>(retry.data).duplicate);
        QCOMPARE(payloadOf<SendResult>(retry.data).seq, 2);

        // Bob, away while alice answers him, gets the reply by resume; history has both replies.
        QTRY_COMPARE(bob->messages().size(), 3);
        bob.reset();
        QCOMPARE(send(*alice, u"general"_s, u"vale"_s, u"a3"_s), 4);
        const Reply answered = call(*alice, Request::send({}, {u"general"_s, u"nos vemos"_s, u"a4"_s, 2}));
        QCOMPARE(payloadOf<SendResult>(answered.data).seq, 5);
        bob = connectAs(u"bob"_s);
        ResumeParams params;
        params.rooms.insert(u"general"_s, 3);
        QVERIFY(call(*bob, Request::resume({}, params)).isOk());
        QCOMPARE(seqsOf(bob->messages()), (QList<qint64>{4, 5}));
        QCOMPARE(bob->messages().at(0).replyTo, 0);
        QCOMPARE(bob->messages().at(1).replyTo, 2);
        const HistoryPage page = payloadOf<HistoryPage>(call(*carol, Request::history({}, {u"general"_s, {}, {}, 50})).data);
        QCOMPARE(seqsOf(page.messages), (QList<qint64>{1, 2, 3, 4, 5}));
        QCOMPARE(page.messages[1].replyTo, 1);
        QCOMPARE(page.messages[4].replyTo, 2);
        QCOMPARE(page.messages[3].replyTo, 0);
    }

    /*! Written times (issue 12, defect 11): a send's `written_at` well before the server received it stays with
        the message (its `ts` is still the commit time) live, in history, by resume, in search and after a restart;
        one within a minute, far ahead of the server's clock or over 7 days old is dropped, never refused; one that
        is not a time is bad_request; a retry keeps what was stored. */
    void writtenAt()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        constexpr qint64 minute = 60 * 1000;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const auto sendWritten = [&](const QString &text, const QString &clientId, qint64 writtenAt) {
            SendParams params{u"general"_s, text, clientId};
            params.writtenAt = writtenAt;
            return call(*alice, Request::send({}, params));
        };

        // Written offline 13 minutes ago: everyone sees when it was written, and its place is the server's.
        const Reply late = sendWritten(u"escrito sin red"_s, u"w1"_s, now - 13 * minute);
        QVERIFY(late.isOk());
        QVERIFY(payloadOf<SendResult>(late.data).timestamp >= now);
        QTRY_COMPARE(bob->messages().size(), 1);
        QCOMPARE(bob->messages().at(0).writtenAt, now - 13 * minute);
        QVERIFY(bob->messages().at(0).timestamp >= now);
        // Sent as written, a clock a little or far ahead, a claim older than 7 days: nothing extra, all stored.
        QVERIFY(sendWritten(u"al momento"_s, u"w2"_s, now - 10 * 1000).isOk());
        QVERIFY(sendWritten(u"reloj adelantado"_s, u"w3"_s, now + 30 * 1000).isOk());
        QVERIFY(sendWritten(u"reloj en el futuro"_s, u"w4"_s, now + 24 * 60 * minute).isOk());
        QVERIFY(sendWritten(u"hace un mes"_s, u"w5"_s, now - 30 * 24 * 60 * minute).isOk());
        QVERIFY(call(*alice, Request::send({}, {u"general"_s, u"sin decir"_s, u"w6"_s})).isOk());
        QTRY_COMPARE(bob->messages().size(), 6);
        for (qsizetype i = 1; i < 6; ++i)
            QVERIFY2(bob->messages().at(i).writtenAt == 0, qPrintable(describe(bob->messages().at(i))));
        // What is not a time is refused, saying what it should be.
        alice->sendRaw(uR"({"type":"send","id":"bad","data":{"room":"general","text":"?","client_msg_id":"w7","written_at":"ayer"}})"_s);
        QTRY_VERIFY(std::any_of(alice->replies().cbegin(), alice->replies().cend(), [](const Reply &r) { return r.id == u"bad"; }));
        const Reply bad = *std::find_if(alice->replies().cbegin(), alice->replies().cend(), [](const Reply &r) { return r.id == u"bad"; });
        QCOMPARE(bad.error->code, ErrorCode::BadRequest);
        QVERIFY2(bad.error->message.contains(u"written_at"_s) && bad.error->message.contains(u"milliseconds"_s),
                 qPrintable(bad.error->message));
        // A retry is the message stored, whatever it says now.
        const Reply retry = sendWritten(u"escrito sin red"_s, u"w1"_s, now - 20 * minute);
        QVERIFY(payloadOf<SendResult>(retry.data).duplicate);
        QCOMPARE(payloadOf<SendResult>(retry.data).seq, 1);

        // Bob away: what alice wrote offline meanwhile comes by resume with its written time.
        bob.reset();
        QVERIFY(sendWritten(u"otra vez sin red"_s, u"w8"_s, now - 5 * minute).isOk());
        bob = connectAs(u"bob"_s);
        ResumeParams params;
        params.rooms.insert(u"general"_s, 6);
        QVERIFY(call(*bob, Request::resume({}, params)).isOk());
        QCOMPARE(seqsOf(bob->messages()), QList<qint64>{7});
        QCOMPARE(bob->messages().at(0).writtenAt, now - 5 * minute);

        const auto checkHistory = [&](WsClient &reader) {
            const HistoryPage page = payloadOf<HistoryPage>(call(reader, Request::history({}, {u"general"_s, {}, {}, 50})).data);
            QCOMPARE(seqsOf(page.messages), (QList<qint64>{1, 2, 3, 4, 5, 6, 7}));
            QList<qint64> written;
            for (const ChatMessage &m : page.messages)
                written.append(m.writtenAt);
            QCOMPARE(written, (QList<qint64>{now - 13 * minute, 0, 0, 0, 0, 0, now - 5 * minute}));
        };
        checkHistory(*bob);
        const SearchResults found = payloadOf<SearchResults>(call(*bob, Request::search({}, {u"red"_s, {}, {}, 20})).data);
        QCOMPARE(found.results.size(), 2);
        for (const SearchHit &hit : found.results)
            QCOMPARE(hit.message.writtenAt, hit.message.seq == 1 ? now - 13 * minute : now - 5 * minute);

        alice.reset();
        bob.reset();
        QVERIFY(m_server->restart());
        bob = connectAs(u"bob"_s);
        checkHistory(*bob);
    }

    /*! Reactions: members react to anyone's message (react entries delivered live), take them back, and see
        them per message in history and by resume; nobody reacts in a room they are not in. */
    void reactions()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        auto carol = connectAs(u"carol"_s); // never joins
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*alice, Request::createRoom({}, {u"secret"_s, true})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        QCOMPARE(send(*alice, u"general"_s, u"¡hola!"_s, u"a1"_s), 1);
        QCOMPARE(send(*alice, u"secret"_s, u"hush"_s, u"s1"_s), 1);
        QTRY_COMPARE(bob->messages().size(), 1);

        const Reply reacted = call(*bob, Request::react({}, {u"general"_s, 1, u"👍"_s, u"b-r1"_s}));
        QVERIFY(reacted.isOk());
        QCOMPARE(payloadOf<SendResult>(reacted.data).seq, 2);
        QTRY_COMPARE(alice->messages().size(), 3); // general 1, secret 1, the reaction
        const ChatMessage live = alice->messages().last();
        QCOMPARE(live.kind, MessageKind::React);
        QCOMPARE(live.target, 1);
        QCOMPARE(live.text, u"👍"_s);
        QCOMPARE(live.sender, u"bob"_s);
        QVERIFY(call(*alice, Request::react({}, {u"general"_s, 1, u"👍"_s, u"a-r1"_s})).isOk());

        auto code = [](const Reply &reply) { return reply.error.value_or(Error{}).code; };
        QCOMPARE(code(call(*carol, Request::react({}, {u"general"_s, 1, u"👍"_s, u"c-r"_s}))), ErrorCode::Forbidden);
        QCOMPARE(code(call(*bob, Request::react({}, {u"secret"_s, 1, u"👍"_s, u"b-s"_s}))), ErrorCode::NotFound);
        QCOMPARE(code(call(*bob, Request::react({}, {u"general"_s, 42, u"👍"_s, u"b-x"_s}))), ErrorCode::NotFound);
        QCOMPARE(code(call(*bob, Request::react({}, {u"general"_s, 2, u"👍"_s, u"b-y"_s}))), ErrorCode::BadRequest);
        QCOMPARE(code(call(*bob, Request::react({}, {u"general"_s, 1, u"ok"_s, u"b-z"_s}))), ErrorCode::BadRequest);

        // Bob away: alice takes hers back and adds another; bob's resume brings both entries.
        QTRY_COMPARE(bob->messages().size(), 3);
        bob.reset();
        QVERIFY(call(*alice, Request::react({}, {u"general"_s, 1, u"👍"_s, u"a-u1"_s, true})).isOk()); // seq 4
        QVERIFY(call(*alice, Request::react({}, {u"general"_s, 1, u"🎉"_s, u"a-r2"_s})).isOk());    // seq 5
        bob = connectAs(u"bob"_s);
        ResumeParams params;
        params.rooms.insert(u"general"_s, 3);
        QVERIFY(call(*bob, Request::resume({}, params)).isOk());
        QCOMPARE(seqsOf(bob->messages()), (QList<qint64>{4, 5}));
        QCOMPARE(bob->messages().at(0).kind, MessageKind::Unreact);
        QCOMPARE(bob->messages().at(1).kind, MessageKind::React);

        // History: the message with its reactions now, whatever order entries and pages come in.
        const HistoryPage page = payloadOf<HistoryPage>(call(*bob, Request::history({}, {u"general"_s, {}, {}, 50})).data);
        QCOMPARE(seqsOf(page.messages), (QList<qint64>{1, 2, 3, 4, 5}));
        QCOMPARE(page.messages[0].reactions, (QList<Reaction>{{u"👍"_s, {u"bob"_s}}, {u"🎉"_s, {u"alice"_s}}}));
        QCOMPARE(page.messages[0].reactionSeq, 5);
        ChatMessage held{u"general"_s, 1, u"alice"_s, u"¡hola!"_s, u"a1"_s, 0};
        for (const ChatMessage &entry : page.messages)
            held.apply(entry);
        QCOMPARE(held.reactions, page.messages[0].reactions);
    }

    /*! Search (issue 12) end to end: only readable rooms (a private room one is not in stays invisible, a ban
        hides a room), messages by their text now (edited, deleted), accents aside, newest first, pages that
        follow each other, and clear refusals. */
    void search()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        auto carol = connectAs(u"carol"_s); // in no room
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*alice, Request::createRoom({}, {u"secret"_s, true})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        QCOMPARE(send(*alice, u"general"_s, u"Un café con leche, por favor"_s, u"a1"_s), 1);
        QCOMPARE(send(*alice, u"secret"_s, u"el café secreto"_s, u"s1"_s), 1);
        QCOMPARE(send(*bob, u"general"_s, u"la cafetería cierra"_s, u"b1"_s), 2);
        QVERIFY(call(*bob, Request::edit({}, {u"general"_s, 2, u"la tienda cierra"_s, u"b-e"_s})).isOk()); // 3
        QCOMPARE(send(*alice, u"general"_s, u"otro cafe"_s, u"a2"_s), 4);
        QVERIFY(call(*alice, Request::deleteMessage({}, {u"general"_s, 4, u"a-d"_s})).isOk()); // 5

        const auto results = [](const Reply &reply) {
            if (!reply.isOk()) {
                qWarning() << "search failed:" << describe(*reply.error);
                return SearchResults{};
            }
            return payloadOf<SearchResults>(reply.data);
        };
        const auto where = [](const SearchResults &found) {
            QStringList at;
            for (const SearchHit &hit : found.results)
                at.append(u"%1/%2"_s.arg(hit.message.room).arg(hit.message.seq));
            return at;
        };
        const auto code = [](const Reply &reply) { return reply.error.value_or(Error{}).code; };

        // Bob: general only (not the private room), the edited message by its new text, the deleted never.
        SearchResults found = results(call(*bob, Request::search({}, {u"CAFE"_s, {}, {}, 20})));
        QCOMPARE(where(found), QStringList{u"general/1"_s});
        QVERIFY(found.next.isEmpty());
        const SearchHit &hit = found.results.first();
        QCOMPARE(hit.message.text, u"Un café con leche, por favor"_s);
        QCOMPARE(hit.message.sender, u"alice"_s);
        QVERIFY(hit.message.timestamp > 0);
        QCOMPARE(hit.highlights.size(), 1);
        QCOMPARE(hit.snippet.mid(hit.highlights.first().start, hit.highlights.first().length), u"café"_s);
        QCOMPARE(where(results(call(*bob, Request::search({}, {u"tienda"_s, {}, {}, 20})))), QStringList{u"general/2"_s});
        QVERIFY(results(call(*bob, Request::search({}, {u"cafetería"_s, {}, {}, 20}))).results.isEmpty());
        QCOMPARE(code(call(*bob, Request::search({}, {u"cafe"_s, u"secret"_s, {}, 20}))), ErrorCode::NotFound);
        // Alice is in both rooms: newest first.
        QCOMPARE(where(results(call(*alice, Request::search({}, {u"café"_s, {}, {}, 20})))),
                 (QStringList{u"secret/1"_s, u"general/1"_s}));
        QCOMPARE(where(results(call(*alice, Request::search({}, {u"cafe"_s, u"secret"_s, {}, 20})))),
                 QStringList{u"secret/1"_s});
        // Carol: a public room can be searched by name, as its history can be read; no rooms of her own.
        QCOMPARE(where(results(call(*carol, Request::search({}, {u"leche"_s, u"general"_s, {}, 20})))),
                 QStringList{u"general/1"_s});
        QVERIFY(results(call(*carol, Request::search({}, {u"leche"_s, {}, {}, 20}))).results.isEmpty());

        // Pages follow each other without a repeat.
        for (int i = 0; i < 4; ++i)
            QCOMPARE(send(*alice, u"general"_s, u"café número %1"_s.arg(i), u"p%1"_s.arg(i)), 6 + i);
        QStringList paged;
        QString before;
        int pages = 0;
        do {
            const SearchResults page = results(call(*alice, Request::search({}, {u"cafe"_s, u"general"_s, before, 2})));
            QVERIFY(!page.results.isEmpty());
            paged += where(page);
            before = page.next;
            QVERIFY(++pages <= 3);
        } while (!before.isEmpty());
        QCOMPARE(paged, (QStringList{u"general/9"_s, u"general/8"_s, u"general/7"_s, u"general/6"_s, u"general/1"_s}));

        // Refusals: no words, a forged cursor, an unknown room.
        const Reply noWords = call(*bob, Request::search({}, {u"¿?!"_s, {}, {}, 20}));
        QCOMPARE(code(noWords), ErrorCode::BadRequest);
        QVERIFY(noWords.error->message.contains(u"words"_s));
        QCOMPARE(code(call(*bob, Request::search({}, {u"cafe"_s, {}, u"x.y.z"_s, 20}))), ErrorCode::BadRequest);
        QCOMPARE(code(call(*bob, Request::search({}, {u"cafe"_s, u"nowhere"_s, {}, 20}))), ErrorCode::NotFound);

        // Banned: nothing of the room, by name or among one's rooms.
        QVERIFY(call(*alice, Request::moderation(RequestType::Ban, {}, {u"general"_s, u"bob"_s, {}, {}, {}})).isOk());
        QVERIFY(results(call(*bob, Request::search({}, {u"cafe"_s, {}, {}, 20}))).results.isEmpty());
        QCOMPARE(code(call(*bob, Request::search({}, {u"cafe"_s, u"general"_s, {}, 20}))), ErrorCode::Forbidden);
    }

    /*! A user may have two searches waiting for the store at once (ServerLimits::searchesInFlightPerUser); a
        third sent in the same breath is refused rate_limited, and once the first ones answered, searching works
        again (what a search held is given back, whatever became of it). The three frames reach the server in
        one read, so none can have answered before the third is counted. */
    void searchesInFlightAreCapped()
    {
        auto alice = connectAs(u"alice"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QCOMPARE(send(*alice, u"general"_s, u"un café"_s, u"a1"_s), 1);
        // A refused search (a bad cursor) gives back what it held.
        QCOMPARE(call(*alice, Request::search({}, {u"cafe"_s, {}, u"nonsense"_s, 20})).error.value_or(Error{}).code,
                 ErrorCode::BadRequest);

        const qsizetype before = alice->replies().size();
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            ids << alice->nextId();
            alice->post(Request::search(ids.last(), {u"cafe"_s, {}, {}, 20}));
        }
        QTRY_COMPARE(alice->replies().size(), before + 3);
        QMap<QString, Reply> byId;
        for (const Reply &reply : alice->replies().mid(before))
            byId.insert(reply.id, reply);
        QVERIFY(byId.value(ids.at(0)).isOk());
        QVERIFY(byId.value(ids.at(1)).isOk());
        QCOMPARE(byId.value(ids.at(2)).error.value_or(Error{}).code, ErrorCode::RateLimited);

        const Reply again = call(*alice, Request::search({}, {u"cafe"_s, u"general"_s, {}, 20}));
        QVERIFY(again.isOk());
        QCOMPARE(payloadOf<SearchResults>(again.data).results.size(), 1);
    }

    /*! Read markers (issue 12): a session of alice marks a room read; her other session hears read_marker, bob
        (in the room too) hears nothing; the marker never goes back, is clamped to the room's last seq, needs
        membership, and comes back in list_rooms (read_seq) to a session that connects later. */
    void readMarkers()
    {
        auto alice = connectAs(u"alice"_s);
        auto alice2 = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        auto carol = connectAs(u"carol"_s); // never joins
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(send(*bob, u"general"_s, QStringLiteral("m%1").arg(i), QStringLiteral("b%1").arg(i)), i);

        const Reply marked = call(*alice, Request::markRead({}, {u"General"_s, 3}));
        QVERIFY(marked.isOk());
        QCOMPARE(payloadOf<ReadMarker>(marked.data), (ReadMarker{u"general"_s, 3}));
        const auto heard = alice2->waitForEvent(EventType::ReadMarker);
        QVERIFY(heard);
        QCOMPARE(payloadOf<ReadMarker>(heard->data), (ReadMarker{u"general"_s, 3}));

        // Backwards: the stored value comes back and nobody is told.
        QCOMPARE(payloadOf<ReadMarker>(call(*alice2, Request::markRead({}, {u"general"_s, 2})).data).seq, 3);
        // Beyond the room's last seq: clamped.
        QCOMPARE(payloadOf<ReadMarker>(call(*alice2, Request::markRead({}, {u"general"_s, 99})).data).seq, 5);
        const auto second = alice->waitForEvent(EventType::ReadMarker);
        QVERIFY(second);
        QCOMPARE(payloadOf<ReadMarker>(second->data).seq, 5);
        // alice heard only the one alice2 moved, alice2 only the one alice moved; a ping orders the check.
        QVERIFY(call(*alice, Request::ping({})).isOk());
        QVERIFY(call(*alice2, Request::ping({})).isOk());
        const auto count = [](const WsClient &client) {
            return std::count_if(client.events().cbegin(), client.events().cend(),
                                 [](const Event &e) { return e.type == EventType::ReadMarker; });
        };
        QCOMPARE(count(*alice), 1);
        QCOMPARE(count(*alice2), 1);
        // Private: bob, in the same room, hears of none of it; his own marker is his.
        QVERIFY(call(*bob, Request::ping({})).isOk());
        QCOMPARE(count(*bob), 0);

        auto code = [](const Reply &reply) { return reply.error.value_or(Error{}).code; };
        QCOMPARE(code(call(*carol, Request::markRead({}, {u"general"_s, 1}))), ErrorCode::Forbidden);
        QCOMPARE(code(call(*carol, Request::markRead({}, {u"nowhere"_s, 1}))), ErrorCode::NotFound);
        QCOMPARE(code(call(*carol, Request::markRead({}, {u"general"_s, -1}))), ErrorCode::BadRequest);

        // A session that connects later learns the marker where it learns its rooms.
        auto alice3 = connectAs(u"alice"_s);
        const auto rooms = payloadOf<RoomListResult>(call(*alice3, Request::listRooms({})).data).rooms;
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms.first().readSeq, 5);
        const auto bobs = payloadOf<RoomListResult>(call(*bob, Request::listRooms({})).data).rooms;
        QCOMPARE(bobs.first().readSeq, 0);
        QVERIFY(call(*bob, Request::markRead({}, {u"general"_s, 4})).isOk());
        QCOMPARE(payloadOf<RoomListResult>(call(*bob, Request::listRooms({})).data).rooms.first().readSeq, 4);
        QCOMPARE(payloadOf<RoomListResult>(call(*alice3, Request::listRooms({})).data).rooms.first().readSeq, 5);
    }

    /*! A client offline while a message was edited and another deleted sees both after resume, and in history. */
    void editsReachTheOffline()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        send(*alice, u"general"_s, u"first"_s, u"a1"_s);
        send(*alice, u"general"_s, u"second"_s, u"a2"_s);
        QTRY_COMPARE(bob->messages().size(), 2);
        bob.reset(); // bob drops
        QVERIFY(call(*alice, Request::edit({}, {u"general"_s, 1, u"first, edited"_s, u"e1"_s})).isOk());
        QVERIFY(call(*alice, Request::deleteMessage({}, {u"general"_s, 2, u"d2"_s})).isOk());

        bob = connectAs(u"bob"_s);
        ResumeParams params;
        params.rooms.insert(u"general"_s, 2);
        const Reply reply = call(*bob, Request::resume({}, params));
        QVERIFY(payloadOf<ResumeResult>(reply.data).rooms.value(u"general"_s).recovered);
        QCOMPARE(seqsOf(bob->messages()), (QList<qint64>{3, 4}));
        QCOMPARE(bob->messages().at(0).kind, MessageKind::Edit);
        QCOMPARE(bob->messages().at(0).target, 1);
        QCOMPARE(bob->messages().at(0).text, u"first, edited"_s);
        QCOMPARE(bob->messages().at(1).kind, MessageKind::Delete);
        QCOMPARE(bob->messages().at(1).target, 2);
        // Applied to what bob held, they give what history says now.
        ChatMessage first{u"general"_s, 1, u"alice"_s, u"first"_s, u"a1"_s, 0};
        ChatMessage second{u"general"_s, 2, u"alice"_s, u"second"_s, u"a2"_s, 0};
        for (const ChatMessage &change : bob->messages()) {
            first.apply(change);
            second.apply(change);
        }
        const HistoryPage page = payloadOf<HistoryPage>(call(*bob, Request::history({}, {u"general"_s, {}, {}, 50})).data);
        QCOMPARE(page.messages.size(), 4);
        QCOMPARE(page.messages[0].text, first.text);
        QCOMPARE(page.messages[0].editSeq, first.editSeq);
        QCOMPARE(page.messages[0].editedAt, first.editedAt);
        QVERIFY(page.messages[1].deleted && second.deleted);
        QCOMPARE(page.messages[1].text, second.text);
    }

    /*! Text with a lone surrogate escape is refused before it is stored: what history returns is always what
        was delivered live (it was once acked, broadcast as sent and stored as something else). */
    void loneSurrogatesRefused()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        const QStringList texts{uR"(a\ud800b)"_s, uR"(\udc00)"_s, uR"(x\udfff\ud800y)"_s, uR"(end\ud83d)"_s};
        for (qsizetype i = 0; i < texts.size(); ++i) {
            const QString id = u"bad%1"_s.arg(i);
            alice->sendRaw(uR"({"type":"send","id":"%1","data":{"room":"general","text":"%2","client_msg_id":"%1"}})"_s
                               .arg(id, texts.at(i)));
            QTRY_VERIFY(std::any_of(alice->replies().cbegin(), alice->replies().cend(),
                                    [&](const Reply &r) { return r.id == id; }));
            const Reply reply = *std::find_if(alice->replies().cbegin(), alice->replies().cend(),
                                              [&](const Reply &r) { return r.id == id; });
            QVERIFY2(!reply.isOk(), qPrintable(texts.at(i)));
            QCOMPARE(reply.error->code, ErrorCode::BadRequest);
            QVERIFY2(reply.error->message.contains(u"text"_s), qPrintable(reply.error->message));
        }
        // A proper pair, escaped, is fine and reads back the same live and from history.
        alice->sendRaw(uR"({"type":"send","id":"ok","data":{"room":"general","text":"a\ud83d\ude00b","client_msg_id":"ok"}})"_s);
        QTRY_COMPARE(bob->messages().size(), 1);
        QCOMPARE(bob->messages().first().text, u"a😀b"_s);
        const HistoryPage page = payloadOf<HistoryPage>(call(*bob, Request::history({}, {u"general"_s, {}, {}, 10})).data);
        QCOMPARE(page.messages.size(), 1);
        QCOMPARE(page.messages.first(), bob->messages().first());
        QVERIFY(alice->isConnected());
    }

    /*! Only members read or post in a private room; non-members cannot even see it; the creator invites. */
    void privateRooms()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        auto carol = connectAs(u"carol"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"secret"_s, true})).isOk());
        QCOMPARE(send(*alice, u"secret"_s, u"for members only"_s, u"s1"_s), 1);
        QVERIFY(!bob->waitForEvent(EventType::RoomCreated, {}, 300)); // private rooms are not announced

        auto refusedEverything = [&](WsClient &outsider) {
            QVERIFY(payloadOf<RoomListResult>(call(outsider, Request::listRooms({})).data).rooms.isEmpty());
            QCOMPARE(call(outsider, Request::join({}, u"secret"_s)).error->code, ErrorCode::NotFound);
            QCOMPARE(call(outsider, Request::history({}, {u"secret"_s, {}, {}, 50})).error->code, ErrorCode::NotFound);
            QCOMPARE(call(outsider, Request::send({}, {u"secret"_s, u"x"_s, u"x"_s})).error->code, ErrorCode::NotFound);
            QCOMPARE(call(outsider, Request::members({}, u"secret"_s)).error->code, ErrorCode::NotFound);
            QCOMPARE(call(outsider, Request::typing({}, {u"secret"_s, true})).error->code, ErrorCode::NotFound);
            ResumeParams resume;
            resume.rooms.insert(u"secret"_s, 0);
            const ResumeResult state = payloadOf<ResumeResult>(call(outsider, Request::resume({}, resume)).data);
            QVERIFY(!state.rooms.value(u"secret"_s).error.isEmpty());
            QVERIFY(outsider.messages().isEmpty());
        };
        refusedEverything(*bob);
        refusedEverything(*carol);

        QCOMPARE(call(*bob, Request::invite({}, {u"secret"_s, u"carol"_s})).error->code, ErrorCode::NotFound);
        QCOMPARE(call(*alice, Request::invite({}, {u"secret"_s, u"nobody"_s})).error->code, ErrorCode::NotFound);
        QVERIFY(call(*alice, Request::invite({}, {u"secret"_s, u"bob"_s})).isOk());
        const auto invited = bob->waitForEvent(EventType::Invited);
        QVERIFY(invited);
        QCOMPARE(payloadOf<RoomResult>(invited->data).by, u"alice"_s);
        QCOMPARE(payloadOf<RoomListResult>(call(*bob, Request::listRooms({})).data).rooms.size(), 1);
        QVERIFY(call(*bob, Request::join({}, u"secret"_s)).isOk());
        const HistoryPage page = payloadOf<HistoryPage>(call(*bob, Request::history({}, {u"secret"_s, {}, {}, 50})).data);
        QCOMPARE(page.messages.size(), 1);
        QCOMPARE(send(*bob, u"secret"_s, u"thanks"_s, u"b1"_s), 2);
        QTRY_COMPARE(alice->messages(u"secret"_s).size(), 2);
        // A member who is not the creator cannot invite; the outsider still sees nothing.
        QCOMPARE(call(*bob, Request::invite({}, {u"secret"_s, u"carol"_s})).error->code, ErrorCode::Forbidden);
        refusedEverything(*carol);
        QCOMPARE(call(*alice, Request::invite({}, {u"nope"_s, u"bob"_s})).error->code, ErrorCode::NotFound);
    }

    /*! Leaving a private room uses the invitation up: coming back takes a new one (the creator, the only one
        who can invite, may always come back). */
    void privateRoomInvitationIsUsedUp()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"Plans"_s, true})).isOk());
        QVERIFY(call(*alice, Request::invite({}, {u"Plans"_s, u"bob"_s})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"Plans"_s)).isOk());
        QVERIFY(call(*bob, Request::leave({}, u"Plans"_s)).isOk());

        QCOMPARE(call(*bob, Request::join({}, u"Plans"_s)).error->code, ErrorCode::NotFound);
        QVERIFY(payloadOf<RoomListResult>(call(*bob, Request::listRooms({})).data).rooms.isEmpty());
        QVERIFY(call(*alice, Request::invite({}, {u"Plans"_s, u"bob"_s})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"Plans"_s)).isOk());

        QVERIFY(call(*alice, Request::leave({}, u"Plans"_s)).isOk());
        QVERIFY(call(*alice, Request::join({}, u"Plans"_s)).isOk());
        // Still so after a restart (the invitation is gone from the store, not only from memory).
        QVERIFY(call(*bob, Request::leave({}, u"Plans"_s)).isOk());
        bob.reset();
        alice.reset();
        QVERIFY(m_server->restart());
        bob = connectAs(u"bob"_s);
        QCOMPARE(call(*bob, Request::join({}, u"Plans"_s)).error->code, ErrorCode::NotFound);
    }

    /*! create_room on a taken name: the same `conflict` whether the room is private or public, naming only
        the spelling asked for, never the stored one. */
    void takenNamesTellNothing()
    {
        auto alice = connectAs(u"alice"_s);
        auto carol = connectAs(u"carol"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"Plans"_s, true})).isOk());
        QVERIFY(call(*alice, Request::createRoom({}, {u"Lobby"_s, false})).isOk());
        const Reply overPrivate = call(*carol, Request::createRoom({}, {u"pLANS"_s, false}));
        const Reply overPublic = call(*carol, Request::createRoom({}, {u"lOBBY"_s, true}));
        QCOMPARE(overPrivate.error->code, ErrorCode::Conflict);
        QCOMPARE(overPublic.error->code, ErrorCode::Conflict);
        QVERIFY2(!overPrivate.error->message.contains(u"Plans"_s), qPrintable(overPrivate.error->message));
        QCOMPARE(QString(overPrivate.error->message).replace(u"pLANS"_s, u"*"_s),
                 QString(overPublic.error->message).replace(u"lOBBY"_s, u"*"_s));
        QCOMPARE(call(*carol, Request::join({}, u"plans"_s)).error->code, ErrorCode::NotFound);
    }

    /*! History pages go backwards and forwards in ascending order and say when there is more. */
    void history()
    {
        auto alice = connectAs(u"alice"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"log"_s, false})).isOk());
        for (int i = 1; i <= 120; ++i)
            alice->post(Request::send(u"s%1"_s.arg(i), {u"log"_s, u"m%1"_s.arg(i), u"id%1"_s.arg(i)}));
        QTRY_COMPARE_WITH_TIMEOUT(alice->messages().size(), 120, 20000);

        HistoryPage latest = payloadOf<HistoryPage>(call(*alice, Request::history({}, {u"log"_s, {}, {}, 50})).data);
        QCOMPARE(latest.messages.size(), 50);
        QCOMPARE(latest.messages.first().seq, 71);
        QCOMPARE(latest.messages.last().seq, 120);
        QVERIFY(latest.hasMore);
        HistoryPage older = payloadOf<HistoryPage>(call(*alice, Request::history({}, {u"log"_s, 71, {}, 100})).data);
        QCOMPARE(older.messages.size(), 70);
        QCOMPARE(older.messages.first().seq, 1);
        QVERIFY(!older.hasMore);
        HistoryPage newer = payloadOf<HistoryPage>(call(*alice, Request::history({}, {u"log"_s, {}, 115, 50})).data);
        QCOMPARE(seqsOf(newer.messages), (QList<qint64>{116, 117, 118, 119, 120}));
        QVERIFY(!newer.hasMore);
        // A public room is readable without joining.
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*bob, Request::history({}, {u"log"_s, {}, {}, 10})).isOk());
    }

    /*! Sessions that close while their history pages are read off the loop get nothing and break nothing:
        the server answers the next client as before. */
    void historyOfClosedSessions()
    {
        auto alice = connectAs(u"alice"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"log"_s, false})).isOk());
        for (int i = 1; i <= 5; ++i)
            send(*alice, u"log"_s, u"m%1"_s.arg(i), u"id%1"_s.arg(i));
        for (int i = 0; i < 10; ++i) {
            auto bob = connectAs(u"bob"_s);
            bob->post(Request::history(u"h%1"_s.arg(i), {u"log"_s, {}, {}, 200}));
            bob.reset();
        }
        HistoryPage page = payloadOf<HistoryPage>(call(*alice, Request::history({}, {u"log"_s, {}, {}, 10})).data);
        QCOMPARE(seqsOf(page.messages), (QList<qint64>{1, 2, 3, 4, 5}));
    }

    /*! Reconnect and resume: the missed messages come first, then `recovered: true`. */
    void resumeWithoutGap()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        for (int i = 1; i <= 3; ++i)
            send(*alice, u"general"_s, u"before %1"_s.arg(i), u"b%1"_s.arg(i));
        QTRY_COMPARE(bob->messages().size(), 3);
        bob.reset(); // bob drops
        for (int i = 4; i <= 6; ++i)
            send(*alice, u"general"_s, u"while away %1"_s.arg(i), u"w%1"_s.arg(i));

        bob = connectAs(u"bob"_s);
        ResumeParams params;
        params.rooms.insert(u"general"_s, 3);
        const Reply reply = call(*bob, Request::resume({}, params));
        QVERIFY(reply.isOk());
        // The replay arrived before the reply (frames on one socket keep their order).
        QCOMPARE(seqsOf(bob->messages()), (QList<qint64>{4, 5, 6}));
        const ResumeRoomState state = payloadOf<ResumeResult>(reply.data).rooms.value(u"general"_s);
        QVERIFY(state.recovered);
        QCOMPARE(state.lastSeq, 6);
        QCOMPARE(state.replayedTo, 6);
        // Live delivery continues after the resume.
        send(*alice, u"general"_s, u"live"_s, u"l7"_s);
        QTRY_COMPARE(seqsOf(bob->messages()), (QList<qint64>{4, 5, 6, 7}));
        // Nothing missed: nothing replayed, still recovered.
        params.rooms[u"general"_s] = 7;
        QVERIFY(payloadOf<ResumeResult>(call(*bob, Request::resume({}, params)).data).rooms.value(u"general"_s).recovered);
        QCOMPARE(bob->messages().size(), 4);
    }

    /*! When too much was missed, the replay stops, says so, and history fills the gap exactly. */
    void resumeWithGap()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.historyReplayLimit = 5;
        TestServer server(config);
        auto alice = connectAs(u"alice"_s, &server);
        QVERIFY(call(*alice, Request::createRoom({}, {u"busy"_s, false})).isOk());
        auto bob = connectAs(u"bob"_s, &server);
        QVERIFY(call(*bob, Request::join({}, u"busy"_s)).isOk());
        bob.reset();
        for (int i = 1; i <= 12; ++i)
            send(*alice, u"busy"_s, u"m%1"_s.arg(i), u"k%1"_s.arg(i));

        bob = connectAs(u"bob"_s, &server);
        ResumeParams params;
        params.rooms.insert(u"busy"_s, 0);
        params.rooms.insert(u"ghost"_s, 3);
        const ResumeResult result = payloadOf<ResumeResult>(call(*bob, Request::resume({}, params)).data);
        const ResumeRoomState state = result.rooms.value(u"busy"_s);
        QVERIFY(!state.recovered);
        QCOMPARE(state.lastSeq, 12);
        QCOMPARE(state.replayedTo, 5);
        QCOMPARE(seqsOf(bob->messages()), (QList<qint64>{1, 2, 3, 4, 5}));
        QVERIFY(!result.rooms.value(u"ghost"_s).error.isEmpty());
        const HistoryPage rest = payloadOf<HistoryPage>(
            call(*bob, Request::history({}, {u"busy"_s, {}, state.replayedTo, 200})).data);
        QCOMPARE(seqsOf(rest.messages), (QList<qint64>{6, 7, 8, 9, 10, 11, 12}));
    }

    /*! Typing goes to the others, at most once a second, and stops explicitly or after 6 s. */
    void typing()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        QVERIFY(call(*alice, Request::typing({}, {u"general"_s, true})).isOk());
        const auto started = bob->waitForEvent(EventType::Typing);
        QVERIFY(started);
        QCOMPARE(payloadOf<TypingEvent>(started->data), (TypingEvent{u"general"_s, u"alice"_s, true}));
        QVERIFY(call(*alice, Request::typing({}, {u"general"_s, true})).isOk()); // within a second: not forwarded
        QVERIFY(call(*alice, Request::typing({}, {u"general"_s, false})).isOk());
        const auto stopped = bob->waitForEvent(EventType::Typing);
        QVERIFY(stopped);
        QVERIFY(!payloadOf<TypingEvent>(stopped->data).active);
        const auto typingEvents = [](const WsClient &c) {
            return std::count_if(c.events().cbegin(), c.events().cend(),
                                 [](const Event &e) { return e.type == EventType::Typing; });
        };
        QCOMPARE(typingEvents(*bob), 2);
        QCOMPARE(typingEvents(*alice), 0); // never echoed to the typist

        QVERIFY(call(*bob, Request::typing({}, {u"general"_s, true})).isOk());
        QVERIFY(alice->waitForEvent(EventType::Typing));
        const auto expired = alice->waitForEvent(EventType::Typing, {}, 9000);
        QVERIFY(expired);
        QVERIFY(!payloadOf<TypingEvent>(expired->data).active);
    }

    /*! Presence: away and back, offline when the last session goes, visible in members. */
    void presence()
    {
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        auto isStatus = [](PresenceStatus status) {
            return [status](const Event &e) { return payloadOf<PresenceEvent>(e.data).status == status; };
        };
        QVERIFY(call(*alice, Request::presence({}, PresenceStatus::Away)).isOk());
        QVERIFY(bob->waitForEvent(EventType::Presence, isStatus(PresenceStatus::Away)));
        QCOMPARE(payloadOf<MembersResult>(call(*bob, Request::members({}, u"general"_s)).data).members.first().status,
                 PresenceStatus::Away);
        // A second session of alice that is online makes her online.
        auto aliceAgain = connectAs(u"alice"_s);
        QVERIFY(bob->waitForEvent(EventType::Presence, isStatus(PresenceStatus::Online)));
        aliceAgain.reset();
        QVERIFY(bob->waitForEvent(EventType::Presence, isStatus(PresenceStatus::Away)));
        alice.reset();
        const auto offline = bob->waitForEvent(EventType::Presence, isStatus(PresenceStatus::Offline));
        QVERIFY(offline);
        QCOMPARE(payloadOf<PresenceEvent>(offline->data).user, u"alice"_s);
        QCOMPARE(payloadOf<MembersResult>(call(*bob, Request::members({}, u"general"_s)).data).members.first().status,
                 PresenceStatus::Offline);
        QCOMPARE(call(*bob, Request::presence({}, PresenceStatus::Offline)).error->code, ErrorCode::BadRequest);
    }

    /*! A connection that drops without a closing handshake keeps its user present for the grace: back in
        time, the others hear neither "offline" nor "online"; not back, they hear "offline" once it is over.
        The grace is 30 s, ended by a skip of the server's clock: nothing in real time can end it here. */
    void droppedConnectionGrace()
    {
        using namespace std::chrono_literals;
        if (!m_server->server().config().fastPathActive())
            QSKIP("only the fast path tells a dropped connection from a closed one (QWebSocket does not)");
        m_server->server().setPresenceGrace(30s);
        auto alice = connectAs(u"alice"_s);
        auto bob = connectAs(u"bob"_s);
        auto carol = connectAs(u"carol"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(call(*bob, Request::join({}, u"general"_s)).isOk());
        QVERIFY(call(*carol, Request::join({}, u"general"_s)).isOk());
        // Everything announced so far reaches bob before this message.
        QVERIFY(send(*carol, u"general"_s, u"before"_s, u"c1"_s) > 0);
        QTRY_COMPARE(bob->messages().size(), 1);
        const qsizetype mark = bob->events().size();
        const auto presenceSinceMark = [&bob, mark] {
            QStringList users;
            for (const Event &event : bob->events().mid(mark)) {
                if (event.type == EventType::Presence)
                    users.append(payloadOf<PresenceEvent>(event.data).user);
            }
            return users;
        };
        const auto membersOfGeneral = [this, &bob] {
            return payloadOf<MembersResult>(call(*bob, Request::members({}, u"general"_s)).data).members;
        };

        const int sessionsBefore = m_server->server().openSessions();
        alice->socket().abort();
        carol->socket().abort();
        auto aliceAgain = connectAs(u"alice"_s);
        QVERIFY(aliceAgain);
        // Both drops have reached the server (their sessions closed, their presence deferred), alice is back.
        QTRY_COMPARE(m_server->server().openSessions(), sessionsBefore - 1);
        // Within the grace nobody was announced: both still count as online (the reply comes after anything
        // announced before it).
        QCOMPARE(membersOfGeneral(), (QList<Member>{{u"alice"_s, PresenceStatus::Online, Role::Owner},
                                                    {u"bob"_s, PresenceStatus::Online},
                                                    {u"carol"_s, PresenceStatus::Online}}));
        QCOMPARE(presenceSinceMark(), QStringList());

        m_server->server().clock().skip(30'000); // the grace is over, the idle timeout (60 s) is not
        const auto carolOffline = bob->waitForEvent(EventType::Presence, [](const Event &event) {
            return payloadOf<PresenceEvent>(event.data).user == u"carol"_s;
        });
        QVERIFY2(carolOffline, "the grace's end was not announced after the clock skipped past it");
        QCOMPARE(payloadOf<PresenceEvent>(carolOffline->data).status, PresenceStatus::Offline);
        // Alice's grace ended too (she dropped first): back in time, she was never announced.
        QCOMPARE(membersOfGeneral(), (QList<Member>{{u"alice"_s, PresenceStatus::Online, Role::Owner},
                                                    {u"bob"_s, PresenceStatus::Online},
                                                    {u"carol"_s, PresenceStatus::Offline}}));
        QCOMPARE(presenceSinceMark(), QStringList{u"carol"_s});
    }

    /*! An expired access token closes the open socket with 4003 and a reason. */
    void accessTokenExpiry()
    {
        ServerConfig config = TestServer::testConfig();
        config.accessTokenTtlSeconds = 1;
        TestServer server(config);
        const TokenPair pair = server.login(u"alice"_s);
        WsClient client;
        QVERIFY(client.openAndAuth(server.url(), pair.accessToken));
        QVERIFY(client.waitForDisconnected(5000));
        QCOMPARE(client.closeCode(), int(CloseCode::TokenExpired));
        QVERIFY(client.closeReason().contains(u"expired"_s));
        // Authenticating with the expired token now fails with token_expired.
        WsClient late;
        QVERIFY(late.open(server.url()));
        QCOMPARE(late.request(Request::auth({}, pair.accessToken)).error->code, ErrorCode::TokenExpired);
    }

    /*! In-band refresh extends the session past the first token's life; the old refresh token is dead. */
    void inBandRefresh()
    {
        // Token times are whole seconds, so a token of lifetime T may end anywhere in (T-1, T] after it was
        // issued. With T = 3 every wait below keeps a margin of at least half a second either way.
        ServerConfig config = TestServer::testConfig();
        config.accessTokenTtlSeconds = 3;
        TestServer server(config);
        const TokenPair first = server.login(u"alice"_s);
        WsClient client;
        QVERIFY(client.openAndAuth(server.url(), first.accessToken));
        QElapsedTimer sinceFirstRefresh;
        sinceFirstRefresh.start();
        const Reply refreshed = client.request(Request::refresh({}, first.refreshToken));
        QVERIFY(refreshed.isOk());
        const TokenPair second = payloadOf<TokenPair>(refreshed.data);
        QVERIFY(second.refreshToken != first.refreshToken);
        QCOMPARE(second.expiresIn, 3);
        // The second token lasts more than 2 s from here: no close within 1.5 s.
        QVERIFY(!client.waitForDisconnected(1500));
        const Reply again = client.request(Request::refresh({}, second.refreshToken));
        QVERIFY(again.isOk());
        // Wait until both earlier tokens are certainly over (3 s after the first refresh, plus margin); the
        // third one lasts more than 2 s from its refresh, which was at most about 1.6 s ago.
        // A loop: the wait's coarse timer may end it a little early.
        while (sinceFirstRefresh.elapsed() < 3100)
            QVERIFY(!client.waitForDisconnected(int(std::max<qint64>(1, 3100 - sinceFirstRefresh.elapsed()))));
        QVERIFY(client.request(Request::ping({})).isOk());
        // Reusing the first refresh token revokes the login: the socket closes with 4004.
        const Reply reuse = client.request(Request::refresh({}, first.refreshToken));
        QCOMPARE(reuse.error->code, ErrorCode::AuthFailed);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(client.closeCode(), int(CloseCode::LoggedOut));
    }

    /*! Re-authentication on an open socket must be the same user. */
    void reauthSameUserOnly()
    {
        auto alice = connectAs(u"alice"_s);
        const TokenPair bobToken = m_server->login(u"bob"_s);
        QCOMPARE(call(*alice, Request::auth({}, bobToken.accessToken)).error->code, ErrorCode::Forbidden);
        QVERIFY(call(*alice, Request::auth({}, m_server->login(u"alice"_s).accessToken)).isOk());
        QVERIFY(alice->isConnected());
    }

    /*! Malformed frames get error replies and the server stays up; too many close the socket. */
    void malformedFrames()
    {
        auto alice = connectAs(u"alice"_s);
        const qsizetype before = alice->replies().size();
        alice->sendRaw(u"{not json"_s);
        alice->sendRaw(u"[1,2,3]"_s);
        alice->sendRaw(uR"({"type":"teleport","id":"t1"})"_s);
        alice->sendRaw(uR"({"type":"join","id":"j1","data":{"room":42}})"_s);
        alice->sendBinary(QByteArray("\x00\x01\x02", 3));
        QTRY_COMPARE(alice->replies().size(), before + 5);
        const QList<Reply> replies = alice->replies().mid(before);
        QCOMPARE(replies[0].error->code, ErrorCode::BadRequest);
        QVERIFY(replies[0].id.isEmpty());
        QCOMPARE(replies[2].error->code, ErrorCode::UnknownType);
        QCOMPARE(replies[2].id, u"t1"_s);
        QCOMPARE(replies[3].error->code, ErrorCode::BadRequest);
        QCOMPARE(replies[3].id, u"j1"_s);
        QVERIFY(replies[3].error->message.contains(u"room"_s));
        QVERIFY(alice->request(Request::ping({})).isOk());

        for (int i = 0; i < 25; ++i)
            alice->sendRaw(u"garbage"_s);
        QVERIFY(alice->waitForDisconnected());
        QCOMPARE(alice->closeCode(), int(CloseCode::ProtocolViolation));
        // Others are unaffected.
        auto bob = connectAs(u"bob"_s);
        QVERIFY(bob->request(Request::ping({})).isOk());
    }

    void ping()
    {
        auto alice = connectAs(u"alice"_s);
        const Reply reply = call(*alice, Request::ping({}));
        QVERIFY(reply.isOk());
        QVERIFY(reply.data.value(u"ts").toInteger() > 1700000000000);
    }

    /*! Every session of a user sees the user's rooms' events; a server restart keeps rooms and messages. */
    void restartKeepsEverything()
    {
        auto alice = connectAs(u"alice"_s);
        QVERIFY(call(*alice, Request::createRoom({}, {u"general"_s, false})).isOk());
        QCOMPARE(send(*alice, u"general"_s, u"one"_s, u"r1"_s), 1);
        alice.reset();
        QVERIFY(m_server->restart());
        alice = connectAs(u"alice"_s);
        QCOMPARE(send(*alice, u"general"_s, u"two"_s, u"r2"_s), 2);
        QCOMPARE(payloadOf<HistoryPage>(call(*alice, Request::history({}, {u"general"_s, {}, {}, 10})).data).messages.size(), 2);
        const RoomListResult list = payloadOf<RoomListResult>(call(*alice, Request::listRooms({})).data);
        QVERIFY(list.rooms.first().joined);
        QCOMPARE(list.rooms.first().lastSeq, 2);
        // The retry of a message acked before the restart is still recognised.
        const Reply retry = call(*alice, Request::send({}, {u"general"_s, u"one"_s, u"r1"_s}));
        QVERIFY(payloadOf<SendResult>(retry.data).duplicate);
        QCOMPARE(payloadOf<SendResult>(retry.data).seq, 1);
    }

    /*! Direct conversations (issue 12): opened from either side it is one room of exactly two people; the other
        hears `direct_opened` live and finds it in list_rooms after reconnecting; a third user can neither see,
        join, read, search nor be invited into it; leave and moderation are refused. */
    void directConversations()
    {
        auto alice = connectAs(u"Alice"_s);
        auto bob = connectAs(u"bob"_s);
        auto carol = connectAs(u"carol"_s);
        const auto code = [](const Reply &reply) { return reply.error.value_or(Error{}).code; };

        const Reply opened = call(*alice, Request::openDirect({}, {u"BOB"_s}));
        QVERIFY2(opened.isOk(), qPrintable(describe(opened.error.value_or(Error{}))));
        const RoomInfo room = payloadOf<RoomResult>(opened.data).room;
        QCOMPARE(room.name, u"@alice+bob"_s);
        QVERIFY(room.direct && room.isPrivate && room.joined);
        QCOMPARE(room.peer, u"bob"_s);
        QCOMPARE(room.memberCount, 2);
        // bob hears of it at once, the conversation as he sees it.
        const auto heard = bob->waitForEvent(EventType::DirectOpened);
        QVERIFY(heard);
        const RoomResult told = payloadOf<RoomResult>(heard->data);
        QCOMPARE(told.room.name, room.name);
        QCOMPARE(told.room.peer, u"Alice"_s);
        QCOMPARE(told.by, u"Alice"_s);
        // Opened again, from either side: the same room.
        QCOMPARE(payloadOf<RoomResult>(call(*bob, Request::openDirect({}, {u"alice"_s})).data).room.name, room.name);
        QCOMPARE(payloadOf<RoomResult>(call(*alice, Request::openDirect({}, {u"bob"_s})).data).room.name, room.name);

        // Everything else works on it like on any room: messages, history, read markers, search.
        QCOMPARE(send(*alice, room.name, u"hola bob, ¿qué tal?"_s, u"d1"_s), 1);
        const auto message = bob->waitForEvent(EventType::Message);
        QVERIFY(message);
        QCOMPARE(payloadOf<ChatMessage>(message->data).room, room.name);
        QCOMPARE(send(*bob, room.name, u"bien"_s, u"d2"_s), 2);
        QCOMPARE(payloadOf<HistoryPage>(call(*bob, Request::history({}, {room.name, {}, {}, 10})).data).messages.size(), 2);
        QVERIFY(call(*bob, Request::markRead({}, {room.name, 2})).isOk());
        QCOMPARE(payloadOf<SearchResults>(call(*bob, Request::search({}, {u"hola"_s, {}, {}, 10})).data).results.size(), 1);

        // carol: not listed, cannot join, read, send, search or be invited; create_room cannot take the address.
        const auto listed = [&](WsClient &client) {
            QStringList names;
            for (const RoomInfo &info : payloadOf<RoomListResult>(call(client, Request::listRooms({})).data).rooms)
                names << info.name;
            return names;
        };
        QVERIFY(!listed(*carol).contains(room.name));
        QCOMPARE(code(call(*carol, Request::join({}, room.name))), ErrorCode::NotFound);
        QCOMPARE(code(call(*carol, Request::history({}, {room.name, {}, {}, 10}))), ErrorCode::NotFound);
        QCOMPARE(code(call(*carol, Request::send({}, {room.name, u"hi"_s, u"c1"_s}))), ErrorCode::NotFound);
        QCOMPARE(code(call(*carol, Request::members({}, room.name))), ErrorCode::NotFound);
        QVERIFY(payloadOf<SearchResults>(call(*carol, Request::search({}, {u"hola"_s, {}, {}, 10})).data).results.isEmpty());
        QCOMPARE(code(call(*carol, Request::search({}, {u"hola"_s, room.name, {}, 10}))), ErrorCode::NotFound);
        QCOMPARE(code(call(*carol, Request::createRoom({}, {room.name, true}))), ErrorCode::BadRequest);
        QCOMPARE(code(call(*alice, Request::invite({}, {room.name, u"carol"_s}))), ErrorCode::BadRequest);
        QCOMPARE(code(call(*alice, Request::leave({}, room.name))), ErrorCode::BadRequest);
        QCOMPARE(code(call(*alice, Request::moderation(RequestType::Mute, {}, {room.name, u"bob"_s, {}, {}, {}}))),
                 ErrorCode::BadRequest);
        QCOMPARE(code(call(*carol, Request::moderation(RequestType::Ban, {}, {room.name, u"bob"_s, {}, {}, {}}))),
                 ErrorCode::NotFound);
        // Nor with oneself, nor with nobody.
        QCOMPARE(code(call(*alice, Request::openDirect({}, {u"alice"_s}))), ErrorCode::BadRequest);
        QCOMPARE(code(call(*alice, Request::openDirect({}, {u"nobody"_s}))), ErrorCode::NotFound);
        QCOMPARE(code(call(*alice, Request::openDirect({}, {u"not a name"_s}))), ErrorCode::BadRequest);
        QCOMPARE(payloadOf<MembersResult>(call(*alice, Request::members({}, room.name)).data).members.size(), 2);

        // bob, reconnecting, finds it in his list, marked as direct, with his read marker; carol's list is as it was.
        bob.reset();
        bob = connectAs(u"bob"_s);
        const QList<RoomInfo> rooms = payloadOf<RoomListResult>(call(*bob, Request::listRooms({})).data).rooms;
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms.first().name, room.name);
        QVERIFY(rooms.first().direct);
        QCOMPARE(rooms.first().peer, u"Alice"_s);
        QCOMPARE(rooms.first().readSeq, 2);
        QCOMPARE(rooms.first().lastSeq, 2);
        // What he missed comes back by resume, as in any room.
        ResumeParams missed;
        missed.rooms.insert(room.name, 1);
        QVERIFY(call(*bob, Request::resume({}, missed)).isOk());
        QCOMPARE(bob->messages(room.name).size(), 1);
        QCOMPARE(bob->messages(room.name).first().text, u"bien"_s);
        // And after a restart (loaded from the store): the same, with no owner to moderate it.
        alice.reset();
        bob.reset();
        carol.reset();
        QVERIFY(m_server->restart());
        alice = connectAs(u"alice"_s);
        QCOMPARE(payloadOf<RoomResult>(call(*alice, Request::openDirect({}, {u"bob"_s})).data).room.peer, u"bob"_s);
        QCOMPARE(code(call(*alice, Request::moderation(RequestType::RemoveMember, {}, {room.name, u"bob"_s, {}, {}, {}}))),
                 ErrorCode::BadRequest);
        QCOMPARE(send(*alice, room.name, u"still here"_s, u"d3"_s), 3);

        // bob deletes his account: alice keeps the conversation and its history; no new one with that name.
        bob = connectAs(u"bob"_s);
        QVERIFY(call(*bob, Request::deleteAccount({}, u"password123"_s)).isOk());
        const QList<RoomInfo> left = payloadOf<RoomListResult>(call(*alice, Request::listRooms({})).data).rooms;
        QCOMPARE(left.size(), 1);
        QVERIFY(left.first().direct);
        QCOMPARE(left.first().peer, u"bob"_s);
        QCOMPARE(left.first().memberCount, 1);
        QCOMPARE(payloadOf<HistoryPage>(call(*alice, Request::history({}, {room.name, {}, {}, 10})).data).messages.size(), 3);
        QCOMPARE(code(call(*alice, Request::openDirect({}, {u"bob"_s}))), ErrorCode::NotFound);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestChatServer)
#include "tst_chatserver.moc"
