// The chat over Socket.IO in-process: a real ChatServer on 127.0.0.1:0, raw Socket.IO frames over a
// real QWebSocket, and native-protocol clients in the same rooms.
#include "server/auth/jwt.h"
#include "server/session/monotonicclock.h"
#include "server/store/postgresstore.h"
#include "support/printers.h"
#include "support/rawhttpexchange.h"
#include "support/sioclient.h"
#include "support/testserver.h"
#include "support/wsclient.h"
#include "support/wspeer.h"

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

#include <optional>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using Testing::RawHttpExchange;
using Testing::WsPeer;
using Test::TestServer;
using Test::WsClient;

namespace {
using L1 = QLatin1StringView;

using Testing::arrayOf;
using Testing::compact;
using Testing::objectOf;
using Testing::SioClient;

QJsonObject dataOf(const QJsonObject &ack) { return ack.value(L1("data")).toObject(); }
QString errorCodeOf(const QJsonObject &ack) { return ack.value(L1("error")).toObject().value(L1("code")).toString(); }
} // namespace

class TestSocketIoGateway : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    QJsonObject auth(const QString &user) { return QJsonObject{{L1("token"), m_server->login(user).accessToken}}; }
    /// With the PostgreSQL store the server runs the cluster bus, so recovery offsets are global positions.
    static bool usesPositions() { return qgetenv("TERTULIA_TEST_STORE") == "postgres"; }

    /// A Socket.IO client of `user`, connected and in `room` (created if needed).
    std::unique_ptr<SioClient> member(const QString &user, const QString &room)
    {
        auto client = std::make_unique<SioClient>(m_server->httpUrl());
        if (!client->connect(auth(user)).startsWith(u"40{"))
            return nullptr;
        if (client->request(u"join"_s, {{L1("room"), room}}).value(L1("type")).toString() != u"ok")
            client->request(u"create_room"_s, {{L1("name"), room}});
        return client;
    }

    /// A valid access token for `user` that expired a while ago, signed with the server's own secret.
    QString expiredToken(const QString &user)
    {
        QFile file(m_server->dataDir() + u"/secret.key"_s);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QByteArray secret = QByteArray::fromHex(file.readAll().trimmed());
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const Jwt::Claims claims{user, u"expired-jti"_s, u"expired-login"_s, u"access"_s, now - 3600, now - 600};
        return QString::fromLatin1(Jwt::sign(Jwt::makeClaims(claims, u"tertulia"_s, u"tertulia"_s), secret));
    }

private Q_SLOTS:
    void init() { m_server = std::make_unique<TestServer>(); }
    void cleanup() { m_server.reset(); }

    /*! CONNECT with auth.token: the reply carries sid and pid, then `hello`; the session counts as any other. */
    void connectWithToken()
    {
        SioClient client(m_server->httpUrl());
        const QString reply = client.connect(auth(u"alice"_s));
        QVERIFY2(reply.startsWith(u"40{"), qPrintable(reply));
        const QJsonObject handshake = objectOf(QStringView(reply).sliced(2));
        QCOMPARE(handshake.keys(), (QStringList{u"pid"_s, u"sid"_s}));
        QVERIFY(client.waitForEvents(u"hello"_s, 1));
        const QJsonObject hello = client.events(u"hello"_s).first().at(1).toObject();
        QCOMPARE(hello.value(L1("user")).toString(), u"alice"_s);
        QCOMPARE(hello.value(L1("server")).toObject().value(L1("name")).toString(), u"Test server"_s);
        QCOMPARE(m_server->server().openSessions(), 1);
        QCOMPARE(m_server->server().onlineUsers(), 1);
        client.peer().socket().close();
        QTRY_COMPARE(m_server->server().openSessions(), 0);
        QCOMPARE(m_server->server().onlineUsers(), 0);
    }

    /*! Every refusal is a CONNECT_ERROR with a message and a code the client can act on. */
    void connectRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("code");
        QTest::newRow("no token") << u"missing"_s << u"not_authenticated"_s;
        QTest::newRow("malformed token") << u"malformed"_s << u"auth_failed"_s;
        QTest::newRow("expired token") << u"expired"_s << u"token_expired"_s;
        QTest::newRow("revoked token") << u"revoked"_s << u"auth_failed"_s;
        QTest::newRow("refresh token") << u"refresh"_s << u"auth_failed"_s;
        // Signed by the server, still not to be honoured.
        QTest::newRow("not valid before a later time") << u"nbf"_s << u"auth_failed"_s;
        QTest::newRow("user that does not exist") << u"ghost"_s << u"auth_failed"_s;
        QTest::newRow("login that was never made") << u"no-login"_s << u"auth_failed"_s;
        QTest::newRow("another user's login") << u"borrowed"_s << u"auth_failed"_s;
    }
    void connectRefused()
    {
        QFETCH(QString, kind);
        QFETCH(QString, code);
        QJsonObject payload;
        if (kind == u"malformed") {
            payload.insert(L1("token"), u"not.a.token"_s);
        } else if (kind == u"expired") {
            m_server->login(u"erin"_s);
            payload.insert(L1("token"), expiredToken(u"erin"_s));
        } else if (kind == u"revoked") {
            const TokenPair pair = m_server->login(u"rita"_s);
            QCOMPARE(m_server->http().postJson(u"/api/v1/logout"_s, {}, pair.accessToken.toLatin1()).status, 200);
            payload.insert(L1("token"), pair.accessToken);
        } else if (kind == u"refresh") {
            payload.insert(L1("token"), m_server->login(u"rhea"_s).refreshToken);
        } else if (kind == u"nbf" || kind == u"ghost" || kind == u"no-login" || kind == u"borrowed") {
            const QString nadiaLogin = TestServer::loginOf(m_server->login(u"nadia"_s).accessToken);
            const QString otherLogin = TestServer::loginOf(m_server->login(u"otto"_s).accessToken);
            QJsonObject claims = TestServer::accessClaims(u"nadia"_s, nadiaLogin);
            if (kind == u"nbf")
                claims.insert(L1("nbf"), QDateTime::currentSecsSinceEpoch() + 300);
            else if (kind == u"ghost")
                claims = TestServer::accessClaims(u"ghost"_s, nadiaLogin);
            else if (kind == u"no-login")
                claims = TestServer::accessClaims(u"nadia"_s, u"never-made"_s);
            else
                claims = TestServer::accessClaims(u"nadia"_s, otherLogin);
            payload.insert(L1("token"), m_server->signToken(claims));
        }
        SioClient client(m_server->httpUrl());
        const QString reply = client.connect(payload);
        QVERIFY2(reply.startsWith(u"44{"), qPrintable(reply));
        const QJsonObject error = objectOf(QStringView(reply).sliced(2));
        QVERIFY(!error.value(L1("message")).toString().isEmpty());
        QCOMPARE(error.value(L1("data")).toObject().value(L1("code")).toString(), code);
        QTRY_COMPARE(m_server->server().openSessions(), 0);
        // The connection stays: a CONNECT with a good token works on it.
        client.peer().send(u"40"_s + compact(auth(u"zoe"_s)));
        QVERIFY(client.peer().next().startsWith(u"40{"));
    }

    /*! Requests are events named like native requests; the ack carries the native reply shape. */
    void requestsAndAcks()
    {
        SioClient client(m_server->httpUrl());
        QVERIFY(client.connect(auth(u"alice"_s)).startsWith(u"40{"));
        QJsonObject ack = client.request(u"create_room"_s, {{L1("name"), u"plans"_s}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(dataOf(ack).value(L1("room")).toObject().value(L1("name")).toString(), u"plans"_s);
        QVERIFY(!ack.contains(L1("id")));

        ack = client.request(u"send"_s, {{L1("room"), u"plans"_s}, {L1("text"), u"¡hola!"_s}, {L1("client_msg_id"), u"c1"_s}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 1);
        QCOMPARE(dataOf(ack).value(L1("duplicate")).toBool(), false);
        // A retry with the same client message id is not stored twice.
        ack = client.request(u"send"_s, {{L1("room"), u"plans"_s}, {L1("text"), u"¡hola!"_s}, {L1("client_msg_id"), u"c1"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 1);
        QCOMPARE(dataOf(ack).value(L1("duplicate")).toBool(), true);

        ack = client.request(u"history"_s, {{L1("room"), u"plans"_s}});
        const QJsonArray messages = dataOf(ack).value(L1("messages")).toArray();
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.first().toObject().value(L1("text")).toString(), u"¡hola!"_s);
        ack = client.request(u"list_rooms"_s, {});
        QCOMPARE(dataOf(ack).value(L1("rooms")).toArray().size(), 1);

        ack = client.request(u"join"_s, {{L1("room"), u"nowhere"_s}});
        QCOMPARE(ack.value(L1("type")).toString(), u"error"_s);
        QCOMPARE(errorCodeOf(ack), u"not_found"_s);
        QVERIFY(!ack.value(L1("error")).toObject().value(L1("message")).toString().isEmpty());
        ack = client.request(u"fly"_s, {});
        QCOMPARE(errorCodeOf(ack), u"unknown_type"_s);
        ack = client.request(u"send"_s, {{L1("room"), 5}});
        QCOMPARE(errorCodeOf(ack), u"bad_request"_s);

        // The first argument must be the data object; binary is not part of the chat API.
        client.peer().send(u"4290[\"join\",\"plans\"]"_s);
        QTRY_VERIFY(client.peer().texts.contains(u"4390[{\"error\":{\"code\":\"bad_request\",\"message\":\"the first argument must be the request's data object\"},\"type\":\"error\"}]"_s));
        client.peer().send(u"451-91[\"join\",{\"_placeholder\":true,\"num\":0}]"_s);
        client.peer().socket().sendBinaryMessage("x");
        QTRY_VERIFY(std::any_of(client.peer().texts.cbegin(), client.peer().texts.cend(),
                                [](const QString &t) { return t.startsWith(u"4391[{\"error\":{\"code\":\"bad_request\""); }));
        // Emitted without an ack callback: an error arrives as an `error` event, success says nothing.
        client.peer().send(u"42[\"join\",{\"room\":\"nowhere\"}]"_s);
        QVERIFY(client.waitForEvents(u"error"_s, 1));
        QCOMPARE(client.events(u"error"_s).first().at(1).toObject().value(L1("code")).toString(), u"not_found"_s);
    }

    /*! A lone surrogate escape in an event's data is refused as on the native protocol: nothing is stored,
        so what a Socket.IO client receives live always equals what history returns. */
    void loneSurrogatesRefused()
    {
        SioClient client(m_server->httpUrl());
        QVERIFY(client.connect({{L1("token"), m_server->login(u"ana"_s).accessToken}}).startsWith(u"40"_s));
        QCOMPARE(client.request(u"create_room"_s, {{L1("name"), u"plans"_s}}).value(L1("type")).toString(), u"ok"_s);
        client.peer().send(uR"(4277["send",{"room":"plans","text":"a\ud800b","client_msg_id":"c1"}])"_s);
        QTRY_VERIFY(std::any_of(client.peer().texts.cbegin(), client.peer().texts.cend(),
                                [](const QString &t) { return t.startsWith(u"4377[{\"error\":{\"code\":\"bad_request\""); }));
        client.peer().send(uR"(4278["send",{"room":"plans","text":"a\ud83d\ude00b","client_msg_id":"c2"}])"_s);
        QTRY_VERIFY(std::any_of(client.peer().texts.cbegin(), client.peer().texts.cend(),
                                [](const QString &t) { return t.startsWith(u"4378[{\"data\""); }));
        const QJsonArray messages = dataOf(client.request(u"history"_s, {{L1("room"), u"plans"_s}}))
                                        .value(L1("messages")).toArray();
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.first().toObject().value(L1("text")).toString(), u"a😀b"_s);
        QCOMPARE(messages.first().toObject().value(L1("client_msg_id")).toString(), u"c2"_s);
    }

    /*! A Socket.IO client and a desktop (native) client in one room see each other's messages, in the
        same order, with the same sequence numbers. */
    void mixedRoom()
    {
        auto guest = member(u"guest"_s, u"lobby"_s);
        QVERIFY(guest);
        WsClient desktop;
        QVERIFY(desktop.openAndAuth(m_server->url(), m_server->login(u"desk"_s).accessToken));
        QVERIFY(desktop.request(Request::join({}, u"lobby"_s)).isOk());
        QVERIFY(guest->waitForEvents(u"member_joined"_s, 1));
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(guest->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), QStringLiteral("g%1").arg(i)},
                                                 {L1("client_msg_id"), QStringLiteral("g%1").arg(i)}})
                         .value(L1("type")).toString(), u"ok"_s);
            QVERIFY(desktop.request(Request::send({}, {u"lobby"_s, QStringLiteral("d%1").arg(i), QStringLiteral("d%1").arg(i)})).isOk());
        }
        QVERIFY(guest->waitForEvents(u"message"_s, 10));
        QTRY_COMPARE(desktop.messages(u"lobby"_s).size(), 10);
        const QList<qint64> expected{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        QCOMPARE(guest->seqs(u"lobby"_s), expected);
        QList<qint64> desktopSeqs;
        QStringList desktopTexts, guestTexts;
        for (const ChatMessage &message : desktop.messages(u"lobby"_s)) {
            desktopSeqs.append(message.seq);
            desktopTexts.append(message.text);
        }
        for (const QJsonArray &args : guest->events(u"message"_s))
            guestTexts.append(args.at(1).toObject().value(L1("text")).toString());
        QCOMPARE(desktopSeqs, expected);
        QCOMPARE(guestTexts, desktopTexts);
        // Each message event carries the connection's recovery offset, 1, 2, 3, ...
        const QList<QJsonArray> events = guest->events(u"message"_s);
        for (qsizetype i = 0; i < events.size(); ++i)
            QCOMPARE(events[i].at(2).toString(), QString::number(i + 1));
        // Typing and presence reach the guest as events too.
        QVERIFY(desktop.request(Request::typing({}, {u"lobby"_s, true})).isOk());
        QVERIFY(guest->waitForEvents(u"typing"_s, 1));
        QCOMPARE(guest->events(u"typing"_s).first().at(1).toObject().value(L1("user")).toString(), u"desk"_s);
    }

    /*! A Socket.IO connection that drops (no namespace disconnect) keeps its user present for the
        presence grace, as the native fast path does: back in time, nobody hears "offline"; not back, the
        others hear it once the grace is over. Leaving with "41" is announced at once. The grace is 30 s,
        ended by a skip of the server's clock: nothing in real time can end it here. */
    void droppedConnectionGrace()
    {
        using namespace std::chrono_literals;
        m_server->server().setPresenceGrace(30s);
        auto bob = member(u"bob"_s, u"lobby"_s);
        auto alice = member(u"alice"_s, u"lobby"_s);
        auto carol = member(u"carol"_s, u"lobby"_s);
        auto dave = member(u"dave"_s, u"lobby"_s);
        QVERIFY(bob && alice && carol && dave);
        // Everything announced so far reaches bob before this message.
        QCOMPARE(dave->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"before"_s},
                                            {L1("client_msg_id"), u"d1"_s}})
                     .value(L1("type")).toString(), u"ok"_s);
        QVERIFY(bob->waitForEvents(u"message"_s, 1));
        const auto presenceOf = [&bob](const QString &user) {
            QStringList statuses;
            for (const QJsonArray &args : bob->events(u"presence"_s)) {
                if (args.at(1).toObject().value(L1("user")).toString() == user)
                    statuses.append(args.at(1).toObject().value(L1("status")).toString());
            }
            return statuses;
        };
        // The lobby's members as bob is told now: "user status" each (the ack comes after earlier events).
        const auto members = [&bob] {
            QStringList list;
            const QJsonObject ack = bob->request(u"members"_s, {{L1("room"), u"lobby"_s}});
            for (const QJsonValue &member : dataOf(ack).value(L1("members")).toArray())
                list.append(member.toObject().value(L1("user")).toString() + u' '
                            + member.toObject().value(L1("status")).toString());
            return list;
        };
        const QStringList aliceBefore = presenceOf(u"alice"_s);
        const QStringList carolBefore = presenceOf(u"carol"_s);
        const int sessionsBefore = m_server->server().openSessions();

        QElapsedTimer sinceDrop;
        sinceDrop.start();
        dave->peer().send(u"41"_s); // leaves the namespace: announced at once
        alice->peer().socket().abort();
        carol->peer().socket().abort();
        auto aliceAgain = std::make_unique<SioClient>(m_server->httpUrl());
        QVERIFY(aliceAgain->connect(auth(u"alice"_s)).startsWith(u"40{"));
        QTRY_COMPARE(presenceOf(u"dave"_s).value(presenceOf(u"dave"_s).size() - 1), u"offline"_s);
        QVERIFY2(sinceDrop.elapsed() < 1500, "a namespace disconnect waited for the grace");
        // The drops have reached the server (alice's, carol's and dave's sessions closed; alice is back) and
        // within the grace neither dropped user was announced: both still count as online.
        QTRY_COMPARE(m_server->server().openSessions(), sessionsBefore - 2);
        QCOMPARE(members(), (QStringList{u"alice online"_s, u"bob online"_s, u"carol online"_s,
                                         u"dave offline"_s}));
        QCOMPARE(presenceOf(u"carol"_s), carolBefore);

        m_server->server().clock().skip(30'000); // the grace is over, the idle timeout (60 s) is not
        QTRY_COMPARE(presenceOf(u"carol"_s).value(presenceOf(u"carol"_s).size() - 1), u"offline"_s);
        QCOMPARE(presenceOf(u"carol"_s).size(), carolBefore.size() + 1);
        // Alice's grace ended too: back in time, she was never announced.
        QCOMPARE(members(), (QStringList{u"alice online"_s, u"bob online"_s, u"carol offline"_s,
                                         u"dave offline"_s}));
        QCOMPARE(presenceOf(u"alice"_s), aliceBefore);
    }

    /*! Connection state recovery: reconnecting with pid and offset replays what was missed (including a
        message lost in flight), once each, in order; the reply restores sid and pid. */
    void recovery()
    {
        auto guest = member(u"guest"_s, u"lobby"_s);
        QVERIFY(guest);
        WsClient desktop;
        QVERIFY(desktop.openAndAuth(m_server->url(), m_server->login(u"desk"_s).accessToken));
        QVERIFY(desktop.request(Request::join({}, u"lobby"_s)).isOk());
        for (int i = 1; i <= 2; ++i)
            QVERIFY(desktop.request(Request::send({}, {u"lobby"_s, QString::number(i), QStringLiteral("m%1").arg(i)})).isOk());
        QVERIFY(guest->waitForEvents(u"message"_s, 2));
        const QJsonObject first = objectOf(QStringView(guest->peer().texts.at(1)).sliced(2));
        guest->peer().socket().abort();
        QTRY_COMPARE(m_server->server().openSessions(), 1);
        for (int i = 3; i <= 5; ++i)
            QVERIFY(desktop.request(Request::send({}, {u"lobby"_s, QString::number(i), QStringLiteral("m%1").arg(i)})).isOk());

        // The client saw the first message's offset only: message 2 was lost with the connection.
        const QString firstOffset = guest->events(u"message"_s).first().at(2).toString();
        if (!usesPositions())
            QCOMPARE(firstOffset, u"1"_s); // offsets of this connection's own log
        QJsonObject resume = auth(u"guest"_s);
        resume.insert(L1("pid"), first.value(L1("pid")));
        resume.insert(L1("offset"), firstOffset);
        SioClient again(m_server->httpUrl());
        const QString reply = again.connect(resume);
        QVERIFY2(reply.startsWith(u"40{"), qPrintable(reply));
        const QJsonObject restored = objectOf(QStringView(reply).sliced(2));
        QCOMPARE(restored.value(L1("pid")), first.value(L1("pid")));
        QCOMPARE(restored.value(L1("sid")), first.value(L1("sid")));
        QVERIFY(again.waitForEvents(u"message"_s, 4));
        QCOMPARE(again.seqs(u"lobby"_s), (QList<qint64>{2, 3, 4, 5}));
        if (usesPositions()) {
            // Several nodes: replayed messages carry no offset but the last, which covers the whole replay.
            QVERIFY(!again.events(u"message"_s).first().at(2).isString());
            QVERIFY(again.events(u"message"_s).at(3).at(2).isString());
        } else {
            // Offsets continue where the old connection stopped.
            QCOMPARE(again.events(u"message"_s).first().at(2).toString(), u"3"_s);
        }
        // Live traffic goes on, once.
        QVERIFY(desktop.request(Request::send({}, {u"lobby"_s, u"6"_s, u"m6"_s})).isOk());
        QVERIFY(again.waitForEvents(u"message"_s, 5));
        QCOMPARE(again.seqs(u"lobby"_s), (QList<qint64>{2, 3, 4, 5, 6}));
        // Even a recovering connection is greeted first: hello, then the replay.
        QVERIFY2(again.peer().texts.at(2).startsWith(u"42[\"hello\""), qPrintable(again.peer().texts.at(2)));
    }

    /*! Several nodes: a recovery whose reads the database holds up (where the client stands at its offset,
        then the replay) does not hold up the server. Another connection locks the messages table against
        readers while a client recovers; a native client is answered meanwhile and the recovering one gets
        nothing yet; once the lock goes, the recovery completes as ever. With those reads on the event loop
        the server would stall until the lock went. */
    void recoveryReadsOffTheLoop()
    {
        if (!usesPositions())
            QSKIP("needs a lock another connection can hold against readers: PostgreSQL only");
        auto guest = member(u"guest"_s, u"lobby"_s);
        QVERIFY(guest);
        WsClient desktop;
        QVERIFY(desktop.openAndAuth(m_server->url(), m_server->login(u"desk"_s).accessToken));
        QVERIFY(desktop.request(Request::join({}, u"lobby"_s)).isOk());
        QVERIFY(desktop.request(Request::send({}, {u"lobby"_s, u"1"_s, u"m1"_s})).isOk());
        QVERIFY(guest->waitForEvents(u"message"_s, 1));
        const QJsonObject first = objectOf(QStringView(guest->peer().texts.at(1)).sliced(2));
        const QString offset = guest->events(u"message"_s).first().at(2).toString();
        guest->peer().socket().abort();
        QTRY_COMPARE(m_server->server().openSessions(), 1);
        for (int i = 2; i <= 3; ++i)
            QVERIFY(desktop.request(Request::send({}, {u"lobby"_s, QString::number(i), QStringLiteral("m%1").arg(i)})).isOk());

        const QString locker = u"gateway-locker"_s;
        {
            QString error;
            const auto address = PostgresAddress::fromUrl(m_server->databaseUrl(), &error);
            QVERIFY2(address, qPrintable(error));
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, locker);
            address->applyTo(db);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QSqlQuery lock(db);
            // Should the server read on its loop, the waits below fail, and then this lets go.
            QVERIFY(lock.exec(u"SET idle_in_transaction_session_timeout = '30s'"_s));
            QVERIFY(db.transaction());
            QVERIFY2(lock.exec(u"LOCK TABLE messages IN ACCESS EXCLUSIVE MODE"_s), qPrintable(lock.lastError().text()));
        }
        QJsonObject resume = auth(u"guest"_s);
        resume.insert(L1("pid"), first.value(L1("pid")));
        resume.insert(L1("offset"), offset);
        SioClient again(m_server->httpUrl());
        QVERIFY(again.peer().waitConnected());
        QVERIFY(again.peer().next().startsWith(u'0'));
        again.peer().send(u"40"_s + compact(resume));
        const auto accepted = [&] {
            return std::any_of(again.peer().texts.cbegin(), again.peer().texts.cend(),
                               [](const QString &text) { return text.startsWith(u"40{"); });
        };
        // Served meanwhile: a request answered, a typing notice delivered to another member.
        QVERIFY(desktop.request(Request::members({}, u"lobby"_s)).isOk());
        WsClient other;
        QVERIFY(other.openAndAuth(m_server->url(), m_server->login(u"other"_s).accessToken));
        QVERIFY(other.request(Request::join({}, u"lobby"_s)).isOk());
        other.post(Request::typing(other.nextId(), {u"lobby"_s, true}));
        QVERIFY(desktop.waitForEvent(EventType::Typing, {}, 5000));
        QVERIFY(!accepted());
        {
            QSqlDatabase db = QSqlDatabase::database(locker, false);
            QVERIFY(db.commit());
            db.close();
        }
        QSqlDatabase::removeDatabase(locker);

        QTRY_VERIFY(accepted());
        const auto reply = std::find_if(again.peer().texts.cbegin(), again.peer().texts.cend(),
                                        [](const QString &text) { return text.startsWith(u"40{"); });
        QCOMPARE(objectOf(QStringView(*reply).sliced(2)).value(L1("pid")), first.value(L1("pid")));
        QVERIFY(again.waitForEvents(u"message"_s, 2));
        QCOMPARE(again.seqs(u"lobby"_s), (QList<qint64>{2, 3}));
    }

    /*! `edit` and `delete` with acks, as on the native protocol; the entries reach the room's Socket.IO clients
        as `message` events (kind, target) and come back with connection state recovery. */
    void editAndDelete()
    {
        auto guest = member(u"guest"_s, u"lobby"_s);
        auto other = member(u"other"_s, u"lobby"_s);
        QVERIFY(guest && other);
        QJsonObject ack = guest->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"helo"_s}, {L1("client_msg_id"), u"g1"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 1);
        ack = guest->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"oops"_s}, {L1("client_msg_id"), u"g2"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 2);
        QVERIFY(other->waitForEvents(u"message"_s, 2));

        ack = other->request(u"edit"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), 1}, {L1("text"), u"mine"_s}, {L1("client_msg_id"), u"o1"_s}});
        QCOMPARE(errorCodeOf(ack), u"forbidden"_s);
        ack = guest->request(u"edit"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), u"1"_s}, {L1("text"), u"x"_s}, {L1("client_msg_id"), u"g-bad"_s}});
        QCOMPARE(errorCodeOf(ack), u"bad_request"_s);
        ack = guest->request(u"edit"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), 1}, {L1("text"), u"hello"_s}, {L1("client_msg_id"), u"g1-e"_s}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 3);
        QVERIFY(other->waitForEvents(u"message"_s, 3));
        const QJsonObject edited = other->events(u"message"_s).at(2).at(1).toObject();
        QCOMPARE(edited.value(L1("kind")).toString(), u"edit"_s);
        QCOMPARE(edited.value(L1("target")).toInteger(), 1);
        QCOMPARE(edited.value(L1("text")).toString(), u"hello"_s);

        // `other` drops; the deletion happens while it is away and comes back with recovery.
        const QString offset = other->events(u"message"_s).at(2).at(2).toString();
        const QJsonObject first = objectOf(QStringView(other->peer().texts.at(1)).sliced(2));
        other->peer().socket().abort();
        ack = guest->request(u"delete"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), 2}, {L1("client_msg_id"), u"g2-d"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 4);
        QJsonObject resume = auth(u"other"_s);
        resume.insert(L1("pid"), first.value(L1("pid")));
        resume.insert(L1("offset"), offset);
        SioClient again(m_server->httpUrl());
        QVERIFY(again.connect(resume).startsWith(u"40{"));
        QVERIFY(again.waitForEvents(u"message"_s, 1));
        const QJsonObject deleted = again.events(u"message"_s).first().at(1).toObject();
        QCOMPARE(deleted.value(L1("seq")).toInteger(), 4);
        QCOMPARE(deleted.value(L1("kind")).toString(), u"delete"_s);
        QCOMPARE(deleted.value(L1("target")).toInteger(), 2);

        // History shows the targets as they are now.
        ack = again.request(u"history"_s, {{L1("room"), u"lobby"_s}});
        const QJsonArray messages = dataOf(ack).value(L1("messages")).toArray();
        QCOMPARE(messages.size(), 4);
        QCOMPARE(messages.at(0).toObject().value(L1("text")).toString(), u"hello"_s);
        QCOMPARE(messages.at(0).toObject().value(L1("edit_seq")).toInteger(), 3);
        QVERIFY(messages.at(1).toObject().value(L1("deleted")).toBool());
        QCOMPARE(messages.at(1).toObject().value(L1("text")).toString(), QString());
    }

    /*! Replies over Socket.IO: `reply_to` on send, checked (not_found, bad_request as acks), in the live event,
        in connection state recovery and in history. */
    void replies()
    {
        auto guest = member(u"guest"_s, u"lobby"_s);
        auto other = member(u"other"_s, u"lobby"_s);
        QVERIFY(guest && other);
        QJsonObject ack = guest->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"¿quién viene?"_s}, {L1("client_msg_id"), u"g1"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 1);
        QVERIFY(other->waitForEvents(u"message"_s, 1));

        ack = other->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"yo"_s}, {L1("client_msg_id"), u"o1"_s}, {L1("reply_to"), 1}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 2);
        QVERIFY(guest->waitForEvents(u"message"_s, 2));
        const QJsonObject reply = guest->events(u"message"_s).at(1).at(1).toObject();
        QCOMPARE(reply.value(L1("reply_to")).toInteger(), 1);
        QCOMPARE(reply.value(L1("text")).toString(), u"yo"_s);

        ack = other->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"?"_s}, {L1("client_msg_id"), u"o2"_s}, {L1("reply_to"), 7}});
        QCOMPARE(errorCodeOf(ack), u"not_found"_s);
        ack = other->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"?"_s}, {L1("client_msg_id"), u"o3"_s}, {L1("reply_to"), u"1"_s}});
        QCOMPARE(errorCodeOf(ack), u"bad_request"_s);

        // `guest` drops; a reply to it made meanwhile comes back with recovery.
        const QString offset = guest->events(u"message"_s).at(1).at(2).toString();
        const QJsonObject first = objectOf(QStringView(guest->peer().texts.at(1)).sliced(2));
        guest->peer().socket().abort();
        ack = other->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"¿y tú?"_s}, {L1("client_msg_id"), u"o4"_s}, {L1("reply_to"), 1}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 3);
        QJsonObject resume = auth(u"guest"_s);
        resume.insert(L1("pid"), first.value(L1("pid")));
        resume.insert(L1("offset"), offset);
        SioClient again(m_server->httpUrl());
        QVERIFY(again.connect(resume).startsWith(u"40{"));
        QVERIFY(again.waitForEvents(u"message"_s, 1));
        const QJsonObject recovered = again.events(u"message"_s).first().at(1).toObject();
        QCOMPARE(recovered.value(L1("seq")).toInteger(), 3);
        QCOMPARE(recovered.value(L1("reply_to")).toInteger(), 1);

        ack = again.request(u"history"_s, {{L1("room"), u"lobby"_s}});
        const QJsonArray messages = dataOf(ack).value(L1("messages")).toArray();
        QCOMPARE(messages.size(), 3);
        QVERIFY(!messages.at(0).toObject().contains(L1("reply_to")));
        QCOMPARE(messages.at(1).toObject().value(L1("reply_to")).toInteger(), 1);
        QCOMPARE(messages.at(2).toObject().value(L1("reply_to")).toInteger(), 1);
    }

    /*! Written times over Socket.IO (issue 12, defect 11): `written_at` on send, kept when well before the server
        received it, in the live event, in connection state recovery and in history; not a time: bad_request. */
    void writtenAt()
    {
        auto guest = member(u"guest"_s, u"lobby"_s);
        auto other = member(u"other"_s, u"lobby"_s);
        QVERIFY(guest && other);
        const qint64 written = QDateTime::currentMSecsSinceEpoch() - 10 * 60 * 1000;
        QJsonObject ack = other->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"sin cobertura"_s},
                                                    {L1("client_msg_id"), u"o1"_s}, {L1("written_at"), written}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 1);
        QVERIFY(dataOf(ack).value(L1("ts")).toInteger() > written);
        QVERIFY(guest->waitForEvents(u"message"_s, 1));
        const QJsonObject live = guest->events(u"message"_s).at(0).at(1).toObject();
        QCOMPARE(live.value(L1("written_at")).toInteger(), written);
        // Sent as it was written: nothing extra.
        ack = other->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"ya"_s}, {L1("client_msg_id"), u"o2"_s},
                                         {L1("written_at"), QDateTime::currentMSecsSinceEpoch()}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 2);
        QVERIFY(guest->waitForEvents(u"message"_s, 2));
        QVERIFY(!guest->events(u"message"_s).at(1).at(1).toObject().contains(L1("written_at")));
        ack = other->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"?"_s}, {L1("client_msg_id"), u"o3"_s},
                                         {L1("written_at"), u"ayer"_s}});
        QCOMPARE(errorCodeOf(ack), u"bad_request"_s);
        QVERIFY(ack.value(L1("error")).toObject().value(L1("message")).toString().contains(u"written_at"_s));

        // `guest` drops; what `other` wrote offline meanwhile comes back with recovery, written time and all.
        const QString offset = guest->events(u"message"_s).at(1).at(2).toString();
        const QJsonObject first = objectOf(QStringView(guest->peer().texts.at(1)).sliced(2));
        guest->peer().socket().abort();
        ack = other->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"desde el metro"_s},
                                         {L1("client_msg_id"), u"o4"_s}, {L1("written_at"), written + 1000}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 3);
        QJsonObject resume = auth(u"guest"_s);
        resume.insert(L1("pid"), first.value(L1("pid")));
        resume.insert(L1("offset"), offset);
        SioClient again(m_server->httpUrl());
        QVERIFY(again.connect(resume).startsWith(u"40{"));
        QVERIFY(again.waitForEvents(u"message"_s, 1));
        const QJsonObject recovered = again.events(u"message"_s).first().at(1).toObject();
        QCOMPARE(recovered.value(L1("seq")).toInteger(), 3);
        QCOMPARE(recovered.value(L1("written_at")).toInteger(), written + 1000);

        ack = again.request(u"history"_s, {{L1("room"), u"lobby"_s}});
        const QJsonArray messages = dataOf(ack).value(L1("messages")).toArray();
        QCOMPARE(messages.size(), 3);
        QCOMPARE(messages.at(0).toObject().value(L1("written_at")).toInteger(), written);
        QVERIFY(!messages.at(1).toObject().contains(L1("written_at")));
        QCOMPARE(messages.at(2).toObject().value(L1("written_at")).toInteger(), written + 1000);
    }

    /*! Reactions over Socket.IO: `react` with an ack, the entry as a `message` event, errors as acks, and the
        message's reactions in history. */
    void reactions()
    {
        auto guest = member(u"guest"_s, u"lobby"_s);
        auto other = member(u"other"_s, u"lobby"_s);
        QVERIFY(guest && other);
        QJsonObject ack = guest->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"¡gol!"_s}, {L1("client_msg_id"), u"g1"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 1);
        QVERIFY(other->waitForEvents(u"message"_s, 1));
        ack = other->request(u"react"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), 1}, {L1("reaction"), u"⚽"_s}, {L1("client_msg_id"), u"o1"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 2);
        QVERIFY(guest->waitForEvents(u"message"_s, 2));
        const QJsonObject entry = guest->events(u"message"_s).at(1).at(1).toObject();
        QCOMPARE(entry.value(L1("kind")).toString(), u"react"_s);
        QCOMPARE(entry.value(L1("target")).toInteger(), 1);
        QCOMPARE(entry.value(L1("text")).toString(), u"⚽"_s);
        ack = other->request(u"react"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), 1}, {L1("reaction"), u"goal"_s}, {L1("client_msg_id"), u"o2"_s}});
        QCOMPARE(errorCodeOf(ack), u"bad_request"_s);
        ack = other->request(u"react"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), 9}, {L1("reaction"), u"⚽"_s}, {L1("client_msg_id"), u"o3"_s}});
        QCOMPARE(errorCodeOf(ack), u"not_found"_s);

        ack = guest->request(u"history"_s, {{L1("room"), u"lobby"_s}});
        const QJsonObject first = dataOf(ack).value(L1("messages")).toArray().at(0).toObject();
        const QJsonArray reactions = first.value(L1("reactions")).toArray();
        QCOMPARE(reactions.size(), 1);
        QCOMPARE(reactions.at(0).toObject().value(L1("reaction")).toString(), u"⚽"_s);
        QCOMPARE(reactions.at(0).toObject().value(L1("users")).toArray(), QJsonArray{u"other"_s});
        QCOMPARE(first.value(L1("reaction_seq")).toInteger(), 2);
    }

    /*! Search over Socket.IO (issue 12): the same request and answer as on the native protocol, in an ack; a
        private room one is not in stays out of it; a bad query is a bad_request. */
    void search()
    {
        auto guest = member(u"guest"_s, u"lobby"_s);
        auto other = member(u"other"_s, u"lobby"_s);
        QVERIFY(guest && other);
        QCOMPARE(other->request(u"create_room"_s, {{L1("name"), u"hideout"_s}, {L1("private"), true}}).value(L1("type")).toString(), u"ok"_s);
        QJsonObject ack = guest->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"¡Qué golazo!"_s}, {L1("client_msg_id"), u"g1"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 1);
        ack = other->request(u"send"_s, {{L1("room"), u"hideout"_s}, {L1("text"), u"otro golazo"_s}, {L1("client_msg_id"), u"o1"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 1);

        ack = guest->request(u"search"_s, {{L1("query"), u"GOLAZO"_s}});
        QJsonArray results = dataOf(ack).value(L1("results")).toArray();
        QCOMPARE(results.size(), 1);
        const QJsonObject hit = results.at(0).toObject();
        QCOMPARE(hit.value(L1("message")).toObject().value(L1("room")).toString(), u"lobby"_s);
        QCOMPARE(hit.value(L1("message")).toObject().value(L1("text")).toString(), u"¡Qué golazo!"_s);
        QCOMPARE(hit.value(L1("snippet")).toString(), u"¡Qué golazo!"_s);
        QCOMPARE(hit.value(L1("highlights")).toArray(), (QJsonArray{QJsonArray{5, 6}}));
        QVERIFY(!dataOf(ack).contains(L1("next")));
        // The other one is in both rooms: newest first.
        ack = other->request(u"search"_s, {{L1("query"), u"golazo"_s}});
        results = dataOf(ack).value(L1("results")).toArray();
        QCOMPARE(results.size(), 2);
        QCOMPARE(results.at(0).toObject().value(L1("message")).toObject().value(L1("room")).toString(), u"hideout"_s);
        ack = guest->request(u"search"_s, {{L1("query"), u"golazo"_s}, {L1("room"), u"hideout"_s}});
        QCOMPARE(errorCodeOf(ack), u"not_found"_s);
        ack = guest->request(u"search"_s, {{L1("query"), u"¡!"_s}});
        QCOMPARE(errorCodeOf(ack), u"bad_request"_s);
        ack = guest->request(u"search"_s, {{L1("query"), u"golazo"_s}, {L1("limit"), 51}});
        QCOMPARE(errorCodeOf(ack), u"bad_request"_s);
    }

    /*! Read markers over Socket.IO (issue 12): `mark_read` acks the stored value, the user's other session
        hears `read_marker`, the other member nothing, and `list_rooms` carries `read_seq`. */
    void readMarkers()
    {
        auto guest = member(u"guest"_s, u"lobby"_s);
        auto guest2 = member(u"guest"_s, u"lobby"_s);
        auto other = member(u"other"_s, u"lobby"_s);
        QVERIFY(guest && guest2 && other);
        for (int i = 1; i <= 3; ++i)
            other->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"m"_s}, {L1("client_msg_id"), u"o%1"_s.arg(i)}});
        QVERIFY(guest->waitForEvents(u"message"_s, 3));
        QJsonObject ack = guest->request(u"mark_read"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), 2}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 2);
        QVERIFY(guest2->waitForEvents(u"read_marker"_s, 1));
        const QJsonObject marker = guest2->events(u"read_marker"_s).first().at(1).toObject();
        QCOMPARE(marker.value(L1("room")).toString(), u"lobby"_s);
        QCOMPARE(marker.value(L1("seq")).toInteger(), 2);
        ack = guest2->request(u"mark_read"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), 1}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 2); // never backwards
        ack = guest2->request(u"mark_read"_s, {{L1("room"), u"lobby"_s}, {L1("seq"), u"x"_s}});
        QCOMPARE(errorCodeOf(ack), u"bad_request"_s);
        ack = guest->request(u"list_rooms"_s, {});
        QCOMPARE(dataOf(ack).value(L1("rooms")).toArray().at(0).toObject().value(L1("read_seq")).toInteger(), 2);
        // Acks and pings order the checks: nothing more came to anyone.
        other->request(u"ping"_s, {});
        guest->request(u"ping"_s, {});
        QVERIFY(other->events(u"read_marker"_s).isEmpty());
        QVERIFY(guest->events(u"read_marker"_s).isEmpty());
        QCOMPARE(guest2->events(u"read_marker"_s).size(), 1);
    }

    /*! Moderation over Socket.IO (issue 13), with acks as on the native protocol: the owner names a moderator,
        who bans a member; the banned Socket.IO client hears `moderated` and `member_left` at once, gets nothing
        more of the room (neither live nor by connection state recovery), and every way back in is refused;
        a refused action is refused with its code. */
    void moderation()
    {
        auto owner = member(u"owner"_s, u"lobby"_s);
        auto mod = member(u"mod"_s, u"lobby"_s);
        auto guest = member(u"guest"_s, u"lobby"_s);
        QVERIFY(owner && mod && guest);
        QJsonObject ack = guest->request(u"ban"_s, {{L1("room"), u"lobby"_s}, {L1("user"), u"mod"_s}});
        QCOMPARE(errorCodeOf(ack), u"forbidden"_s);
        ack = owner->request(u"set_role"_s, {{L1("room"), u"lobby"_s}, {L1("user"), u"mod"_s}, {L1("role"), u"moderator"_s}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QVERIFY(guest->waitForEvents(u"role_changed"_s, 1));
        QCOMPARE(guest->events(u"role_changed"_s).first().at(1).toObject().value(L1("role")).toString(), u"moderator"_s);
        ack = mod->request(u"mute"_s, {{L1("room"), u"lobby"_s}, {L1("user"), u"owner"_s}});
        QCOMPARE(errorCodeOf(ack), u"forbidden"_s);

        ack = guest->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"before"_s}, {L1("client_msg_id"), u"g1"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 1);
        QVERIFY(guest->waitForEvents(u"message"_s, 1));
        const QString offset = guest->events(u"message"_s).first().at(2).toString();
        const QJsonObject first = objectOf(QStringView(guest->peer().texts.at(1)).sliced(2));

        ack = mod->request(u"ban"_s, {{L1("room"), u"lobby"_s}, {L1("user"), u"guest"_s}, {L1("reason"), u"spam"_s}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(dataOf(ack).value(L1("until")).toInteger(), 0);
        QVERIFY(guest->waitForEvents(u"moderated"_s, 1));
        const QJsonObject told = guest->events(u"moderated"_s).first().at(1).toObject();
        QCOMPARE(told.value(L1("action")).toString(), u"banned"_s);
        QCOMPARE(told.value(L1("by")).toString(), u"mod"_s);
        QCOMPARE(told.value(L1("reason")).toString(), u"spam"_s);
        QVERIFY(guest->waitForEvents(u"member_left"_s, 1));
        QCOMPARE(guest->events(u"member_left"_s).first().at(1).toObject().value(L1("by")).toString(), u"mod"_s);
        // The moderators list it; a mute is heard by the room at once.
        ack = owner->request(u"list_sanctions"_s, {{L1("room"), u"lobby"_s}});
        const QJsonArray sanctions = dataOf(ack).value(L1("sanctions")).toArray();
        QCOMPARE(sanctions.size(), 1);
        QCOMPARE(sanctions.at(0).toObject().value(L1("user")).toString(), u"guest"_s);
        QCOMPARE(sanctions.at(0).toObject().value(L1("kind")).toString(), u"ban"_s);
        QCOMPARE(sanctions.at(0).toObject().value(L1("reason")).toString(), u"spam"_s);
        QCOMPARE(errorCodeOf(guest->request(u"list_sanctions"_s, {{L1("room"), u"lobby"_s}})), u"forbidden"_s);
        ack = owner->request(u"mute"_s, {{L1("room"), u"lobby"_s}, {L1("user"), u"mod"_s}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QVERIFY(owner->waitForEvents(u"member_muted"_s, 1));
        const QJsonObject muted = owner->events(u"member_muted"_s).first().at(1).toObject();
        QCOMPARE(muted.value(L1("user")).toString(), u"mod"_s);
        QCOMPARE(muted.value(L1("muted")).toBool(), true);
        QVERIFY(owner->request(u"unmute"_s, {{L1("room"), u"lobby"_s}, {L1("user"), u"mod"_s}}).value(L1("type")) == u"ok"_s);

        // The room goes on; the guest hears none of it, and cannot get back in.
        ack = owner->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"secret"_s}, {L1("client_msg_id"), u"o1"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 2);
        QVERIFY(mod->waitForEvents(u"message"_s, 2));
        QCOMPARE(guest->request(u"ping"_s, {}).value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(guest->events(u"message"_s).size(), 1);
        QCOMPARE(errorCodeOf(guest->request(u"join"_s, {{L1("room"), u"lobby"_s}})), u"forbidden"_s);
        QCOMPARE(errorCodeOf(guest->request(u"history"_s, {{L1("room"), u"lobby"_s}})), u"forbidden"_s);
        QCOMPARE(errorCodeOf(guest->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"x"_s},
                                                       {L1("client_msg_id"), u"g2"_s}})),
                 u"forbidden"_s);

        // Recovery from before the ban replays nothing of the room either.
        guest->peer().socket().abort();
        ack = owner->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"more"_s}, {L1("client_msg_id"), u"o2"_s}});
        QCOMPARE(dataOf(ack).value(L1("seq")).toInteger(), 3);
        QJsonObject resume = auth(u"guest"_s);
        resume.insert(L1("pid"), first.value(L1("pid")));
        resume.insert(L1("offset"), offset);
        SioClient again(m_server->httpUrl());
        QVERIFY(again.connect(resume).startsWith(u"40{"));
        QCOMPARE(again.request(u"ping"_s, {}).value(L1("type")).toString(), u"ok"_s);
        QVERIFY(again.events(u"message"_s).isEmpty());
    }

    /*! `hello` is the first event of every connection: members of one room who connect one after the other
        hear their own and each other's presence only after it. */
    void helloComesFirst()
    {
        using namespace std::chrono_literals;
        m_server->server().setPresenceGrace(0ms); // every reconnect is announced
        constexpr int kUsers = 6;
        for (int i = 0; i < kUsers; ++i)
            QVERIFY(member(QStringLiteral("member%1").arg(i), u"commons"_s)); // members, then gone
        QTRY_COMPARE(m_server->server().onlineUsers(), 0);
        std::vector<std::unique_ptr<SioClient>> clients;
        for (int i = 0; i < kUsers; ++i) {
            auto &client = clients.emplace_back(std::make_unique<SioClient>(m_server->httpUrl()));
            QVERIFY(client->connect(auth(QStringLiteral("member%1").arg(i))).startsWith(u"40{"));
            QVERIFY(client->waitForEvents(u"hello"_s, 1));
        }
        for (int i = 0; i < kUsers; ++i) {
            const QStringList &texts = clients[i]->peer().texts;
            // texts: the Engine.IO open, the CONNECT answer, then events.
            QVERIFY2(texts.size() >= 3 && texts.at(1).startsWith(u"40{"), qPrintable(texts.join(u" | "_s)));
            QVERIFY2(texts.at(2).startsWith(u"42[\"hello\""), qPrintable(QStringLiteral("member%1: %2").arg(i).arg(texts.at(2))));
        }
        QVERIFY(clients.front()->waitForEvents(u"presence"_s, kUsers - 1)); // the others did arrive, after it
    }

    /*! Recovery that cannot be trusted is refused: a new pid, nothing replayed (the client resyncs). */
    void recoveryRefused_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("unknown pid") << u"unknown"_s;
        QTest::newRow("another user's pid") << u"other"_s;
        QTest::newRow("offset never issued") << u"future"_s;
        QTest::newRow("offset not a number") << u"garbage"_s;
    }
    void recoveryRefused()
    {
        QFETCH(QString, kind);
        auto guest = member(u"guest"_s, u"lobby"_s);
        QVERIFY(guest);
        QVERIFY(guest->request(u"send"_s, {{L1("room"), u"lobby"_s}, {L1("text"), u"x"_s}, {L1("client_msg_id"), u"x"_s}})
                    .value(L1("type")).toString() == u"ok");
        QVERIFY(guest->waitForEvents(u"message"_s, 1));
        const QString pid = objectOf(QStringView(guest->peer().texts.at(1)).sliced(2)).value(L1("pid")).toString();
        guest->peer().socket().abort();
        QTRY_COMPARE(m_server->server().openSessions(), 0);

        QJsonObject resume = auth(kind == u"other" ? u"mallory"_s : u"guest"_s);
        resume.insert(L1("pid"), kind == u"unknown" ? u"no-such-pid"_s : pid);
        const QString offset = guest->events(u"message"_s).first().last().toString();
        resume.insert(L1("offset"), kind == u"future" ? u"99"_s : kind == u"garbage" ? u"x1"_s : offset);
        SioClient again(m_server->httpUrl());
        const QString reply = again.connect(resume);
        QVERIFY2(reply.startsWith(u"40{"), qPrintable(reply));
        QVERIFY(objectOf(QStringView(reply).sliced(2)).value(L1("pid")).toString() != pid);
        QVERIFY(again.waitForEvents(u"hello"_s, 1));
        QVERIFY(again.events(u"message"_s).isEmpty());
    }

    /*! Browser origins: the allow-list and the server's own origin (its guest page) pass, others get 403. */
    void origins()
    {
        SioClient evil(m_server->httpUrl(), u"http://evil.example"_s);
        QVERIFY(evil.peer().waitClosed());
        QCOMPARE(m_server->server().openSessions(), 0);
        const QUrl base = m_server->httpUrl();
        SioClient own(base, QStringLiteral("http://%1:%2").arg(base.host()).arg(base.port()));
        QVERIFY(own.connect(auth(u"alice"_s)).startsWith(u"40{"));
        const Test::HttpResult metrics = m_server->http().get(u"/metrics"_s);
        QVERIFY(metrics.body.contains("tertulia_connections_refused_total{reason=\"origin\"} 1"));
    }

    /*! Server-side closes: a revoked login ends the namespace (no automatic reconnect) after a
        `closing` event that says why; a shutdown closes the connection (the client reconnects). */
    void closes()
    {
        const TokenPair pair = m_server->login(u"alice"_s);
        SioClient client(m_server->httpUrl());
        QVERIFY(client.connect({{L1("token"), pair.accessToken}}).startsWith(u"40{"));
        QVERIFY(client.waitForEvents(u"hello"_s, 1));
        QCOMPARE(m_server->http().postJson(u"/api/v1/logout"_s, {}, pair.accessToken.toLatin1()).status, 200);
        QVERIFY(client.waitForEvents(u"closing"_s, 1));
        const QJsonObject closing = client.events(u"closing"_s).first().at(1).toObject();
        QCOMPARE(closing.value(L1("code")).toInt(), int(CloseCode::LoggedOut));
        QCOMPARE(closing.value(L1("reconnect")).toBool(), false);
        QTRY_VERIFY(client.peer().texts.contains(u"41"_s));
        QTRY_COMPARE(m_server->server().openSessions(), 0);

        SioClient other(m_server->httpUrl());
        QVERIFY(other.connect(auth(u"bob"_s)).startsWith(u"40{"));
        QVERIFY(other.waitForEvents(u"hello"_s, 1));
        m_server->server().stop();
        QVERIFY(other.peer().waitClosed());
        QCOMPARE(other.events(u"closing"_s).first().at(1).toObject().value(L1("code")).toInt(), int(CloseCode::GoingAway));
        QCOMPARE(other.events(u"closing"_s).first().at(1).toObject().value(L1("reconnect")).toBool(), true);
    }

    /*! The native limit on new sessions per user applies to CONNECT too: past the burst, a CONNECT_ERROR
        with code rate_limited; another user still connects. */
    void connectsPerUserLimited()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.userConnectBurst = 2;
        config.limits.userConnectPerSecond = 0.01;
        m_server = std::make_unique<TestServer>(config);
        const QJsonObject alice = auth(u"alice"_s);
        for (int i = 0; i < 2; ++i) {
            SioClient client(m_server->httpUrl());
            QVERIFY(client.connect(alice).startsWith(u"40{"));
        }
        SioClient refused(m_server->httpUrl());
        const QString reply = refused.connect(alice);
        QVERIFY2(reply.startsWith(u"44{"), qPrintable(reply));
        QCOMPARE(objectOf(QStringView(reply).sliced(2)).value(L1("data")).toObject().value(L1("code")).toString(),
                 u"rate_limited"_s);
        SioClient bob(m_server->httpUrl());
        QVERIFY(bob.connect(auth(u"bob"_s)).startsWith(u"40{"));
    }

    void shutdownAnswersPendingPoll_data()
    {
        QTest::addColumn<QByteArray>("connection");
        QTest::newRow("keep-alive") << QByteArray("keep-alive");
        QTest::newRow("close") << QByteArray("close"); // Node's client without an agent; the answer then closes
    }
    /*! A shutdown answers a long-polling client's pending GET with what WebSocket clients get: the `closing`
        event (1001, reconnect), alone (a close packet beside it would make the official client drop it). Before,
        the GET was dropped without a response, so polling clients never learned why. */
    void shutdownAnswersPendingPoll()
    {
        QFETCH(QByteArray, connection);
        const quint16 port = m_server->server().port();
        const QByteArray base = "/socket.io/?EIO=4&transport=polling";
        RawHttpExchange handshake(port, "GET", base);
        QVERIFY(handshake.waitForFinished());
        const QString sid = objectOf(QString::fromUtf8(handshake.body().sliced(1))).value(L1("sid")).toString();
        QVERIFY(!sid.isEmpty());
        const QByteArray session = base + "&sid=" + sid.toLatin1();
        RawHttpExchange connect(port, "POST", session, "40" + compact(auth(u"alice"_s)).toUtf8(),
                                {{"Content-Type", "text/plain;charset=UTF-8"}});
        QVERIFY(connect.waitForFinished());
        QCOMPARE(connect.status(), 200);
        QByteArray received;
        for (int i = 0; i < 5 && !received.contains("42[\"hello\""); ++i) {
            RawHttpExchange poll(port, "GET", session);
            QVERIFY(poll.waitForFinished(10000));
            received += poll.body() + '\x1e';
        }
        QVERIFY2(received.contains("42[\"hello\""), received.constData());

        RawHttpExchange pending(port, "GET", session, {}, {{"Connection", connection}});
        QVERIFY(!pending.waitForFinished(200)); // a long poll: nothing to send yet
        m_server->server().stop();
        QVERIFY(pending.waitForFinished(5000));
        QCOMPARE(pending.status(), 200);
        const QByteArray body = pending.body();
        QVERIFY2(body.startsWith("42[\"closing\",") && !body.contains('\x1e'), body.constData());
        const QJsonObject closing = arrayOf(QString::fromUtf8(body.sliced(2))).at(1).toObject();
        QCOMPARE(closing.value(L1("code")).toInt(), int(CloseCode::GoingAway));
        QCOMPARE(closing.value(L1("reconnect")).toBool(), true);
    }

    /*! The native rate limits apply: over the burst, requests get rate_limited. */
    void rateLimited()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.rateBurst = 3;
        config.limits.ratePerSecond = 0.5;
        m_server = std::make_unique<TestServer>(config);
        SioClient client(m_server->httpUrl());
        QVERIFY(client.connect(auth(u"alice"_s)).startsWith(u"40{"));
        QStringList types;
        for (int i = 0; i < 5; ++i)
            types.append(client.request(u"ping"_s, {}).value(L1("type")).toString());
        QCOMPARE(types, (QStringList{u"ok"_s, u"ok"_s, u"ok"_s, u"error"_s, u"error"_s}));
        QCOMPARE(errorCodeOf(client.request(u"ping"_s, {})), u"rate_limited"_s);
    }

    /*! Malformed Socket.IO frames close the connection (and its session) instead of being answered. */
    void malformedCloses()
    {
        SioClient client(m_server->httpUrl());
        QVERIFY(client.connect(auth(u"alice"_s)).startsWith(u"40{"));
        QCOMPARE(m_server->server().openSessions(), 1);
        client.peer().send(u"42{}"_s);
        QVERIFY(client.peer().waitClosed());
        QTRY_COMPARE(m_server->server().openSessions(), 0);
    }

    /*! Direct conversations over Socket.IO (issue 12): `open_direct` from either side acks the same room, the
        other person hears `direct_opened` and then its messages, a third user cannot join or read it, and
        `list_rooms` marks it after a reconnect. */
    void directConversations()
    {
        auto guest = std::make_unique<SioClient>(m_server->httpUrl());
        auto other = std::make_unique<SioClient>(m_server->httpUrl());
        SioClient third(m_server->httpUrl());
        QVERIFY(guest->connect(auth(u"guest"_s)).startsWith(u"40{"));
        QVERIFY(other->connect(auth(u"other"_s)).startsWith(u"40{"));
        QVERIFY(third.connect(auth(u"third"_s)).startsWith(u"40{"));
        QJsonObject ack = guest->request(u"open_direct"_s, {{L1("user"), u"other"_s}});
        const QJsonObject room = dataOf(ack).value(L1("room")).toObject();
        QCOMPARE(room.value(L1("name")).toString(), u"@guest+other"_s);
        QCOMPARE(room.value(L1("kind")).toString(), u"direct"_s);
        QCOMPARE(room.value(L1("peer")).toString(), u"other"_s);
        QVERIFY(other->waitForEvents(u"direct_opened"_s, 1));
        const QJsonObject opened = other->events(u"direct_opened"_s).first().at(1).toObject();
        QCOMPARE(opened.value(L1("room")).toObject().value(L1("peer")).toString(), u"guest"_s);
        QCOMPARE(opened.value(L1("by")).toString(), u"guest"_s);
        ack = other->request(u"open_direct"_s, {{L1("user"), u"GUEST"_s}});
        QCOMPARE(dataOf(ack).value(L1("room")).toObject().value(L1("name")).toString(), u"@guest+other"_s);

        guest->request(u"send"_s, {{L1("room"), u"@guest+other"_s}, {L1("text"), u"psst"_s}, {L1("client_msg_id"), u"g1"_s}});
        QVERIFY(other->waitForEvents(u"message"_s, 1));
        QCOMPARE(other->events(u"message"_s).first().at(1).toObject().value(L1("text")).toString(), u"psst"_s);
        QCOMPARE(errorCodeOf(third.request(u"join"_s, {{L1("room"), u"@guest+other"_s}})), u"not_found"_s);
        QCOMPARE(errorCodeOf(third.request(u"history"_s, {{L1("room"), u"@guest+other"_s}})), u"not_found"_s);
        QCOMPARE(errorCodeOf(third.request(u"open_direct"_s, {{L1("user"), u"third"_s}})), u"bad_request"_s);

        other.reset();
        other = std::make_unique<SioClient>(m_server->httpUrl());
        QVERIFY(other->connect(auth(u"other"_s)).startsWith(u"40{"));
        ack = other->request(u"list_rooms"_s, {});
        const QJsonArray rooms = dataOf(ack).value(L1("rooms")).toArray();
        QCOMPARE(rooms.size(), 1);
        QCOMPARE(rooms.at(0).toObject().value(L1("kind")).toString(), u"direct"_s);
        QCOMPARE(rooms.at(0).toObject().value(L1("peer")).toString(), u"guest"_s);
        QCOMPARE(rooms.at(0).toObject().value(L1("last_seq")).toInteger(), 1);
        QVERIFY(dataOf(third.request(u"list_rooms"_s, {})).value(L1("rooms")).toArray().isEmpty());
    }

    /*! Room settings over Socket.IO (issue 13), with acks as on the native protocol: a member cannot set the
        topic, the owner can and every member hears `room_updated`; an archived room refuses sends with
        `archived`; a deleted room's members hear `room_deleted` at once and get nothing more of it. */
    void roomSettings()
    {
        auto owner = member(u"owner"_s, u"plaza"_s);
        auto guest = member(u"guest"_s, u"plaza"_s);
        QVERIFY(owner && guest);
        QJsonObject ack = guest->request(u"update_room"_s, {{L1("room"), u"plaza"_s}, {L1("topic"), u"mine"_s}});
        QCOMPARE(errorCodeOf(ack), u"forbidden"_s);
        ack = owner->request(u"update_room"_s, {{L1("room"), u"plaza"_s}, {L1("topic"), u"Be kind"_s},
                                               {L1("title"), u"The plaza"_s}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(dataOf(ack).value(L1("room")).toObject().value(L1("topic")).toString(), u"Be kind"_s);
        QVERIFY(guest->waitForEvents(u"room_updated"_s, 1));
        const QJsonObject updated = guest->events(u"room_updated"_s).first().at(1).toObject();
        QCOMPARE(updated.value(L1("by")).toString(), u"owner"_s);
        QCOMPARE(updated.value(L1("room")).toObject().value(L1("title")).toString(), u"The plaza"_s);
        QVERIFY(updated.value(L1("room")).toObject().value(L1("joined")).toBool());
        ack = guest->request(u"list_rooms"_s, {});
        QCOMPARE(dataOf(ack).value(L1("rooms")).toArray().at(0).toObject().value(L1("topic")).toString(), u"Be kind"_s);

        ack = owner->request(u"update_room"_s, {{L1("room"), u"plaza"_s}, {L1("archived"), true}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        ack = guest->request(u"send"_s, {{L1("room"), u"plaza"_s}, {L1("text"), u"hi"_s}, {L1("client_msg_id"), u"g1"_s}});
        QCOMPARE(errorCodeOf(ack), u"archived"_s);

        ack = guest->request(u"delete_room"_s, {{L1("room"), u"plaza"_s}, {L1("keep_history"), false}});
        QCOMPARE(errorCodeOf(ack), u"forbidden"_s);
        ack = owner->request(u"delete_room"_s, {{L1("room"), u"plaza"_s}, {L1("keep_history"), false}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QVERIFY(guest->waitForEvents(u"room_deleted"_s, 1));
        const QJsonObject deleted = guest->events(u"room_deleted"_s).first().at(1).toObject();
        QCOMPARE(deleted.value(L1("room")).toString(), u"plaza"_s);
        QCOMPARE(deleted.value(L1("by")).toString(), u"owner"_s);
        QVERIFY(!deleted.value(L1("history_kept")).toBool());
        QVERIFY(dataOf(guest->request(u"list_rooms"_s, {})).value(L1("rooms")).toArray().isEmpty());
        QCOMPARE(errorCodeOf(guest->request(u"history"_s, {{L1("room"), u"plaza"_s}})), u"not_found"_s);
    }

    /*! Display names over Socket.IO (issue 12): set_profile validates as on the native protocol (bad_request),
        a member hears `profile_updated`, the member list carries `display_name`, and after a reconnect the
        `hello` names the user again. */
    void profiles()
    {
        auto ana = member(u"ana"_s, u"plaza"_s);
        auto bea = member(u"bea"_s, u"plaza"_s);
        QVERIFY(ana && bea);
        QJsonObject ack = ana->request(u"set_profile"_s, {{L1("display_name"), u"Ana\nMaría"_s}});
        QCOMPARE(errorCodeOf(ack), u"bad_request"_s);
        ack = ana->request(u"set_profile"_s, {{L1("display_name"), u" Ana María "_s}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(dataOf(ack).value(L1("display_name")).toString(), u"Ana María"_s);
        QVERIFY(bea->waitForEvents(u"profile_updated"_s, 1));
        const QJsonObject heard = bea->events(u"profile_updated"_s).first().at(1).toObject();
        QCOMPARE(heard.value(L1("user")).toString(), u"ana"_s);
        QCOMPARE(heard.value(L1("display_name")).toString(), u"Ana María"_s);
        const QJsonArray members = dataOf(bea->request(u"members"_s, {{L1("room"), u"plaza"_s}})).value(L1("members")).toArray();
        bool named = false;
        for (const QJsonValue &m : members)
            named = named || m.toObject().value(L1("display_name")).toString() == u"Ana María"_s;
        QVERIFY(named);
        SioClient again(m_server->httpUrl());
        const QString connected = again.connect(auth(u"ana"_s));
        QVERIFY(connected.startsWith(u"40{"));
        QVERIFY(again.waitForEvents(u"hello"_s, 1));
        QCOMPARE(again.events(u"hello"_s).first().at(1).toObject().value(L1("display_name")).toString(), u"Ana María"_s);
    }
};

QTEST_GUILESS_MAIN(TestSocketIoGateway)
#include "tst_socketiogateway.moc"
