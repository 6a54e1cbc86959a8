// The admin HTTP API (/api/v1/admin/) on a real in-process server with real clients: native WebSocket (the
// portable path, or the fast path with TERTULIA_FAST_PATH=1), Socket.IO over WebSocket and over long-polling.
#include "support/printers.h"
#include "support/sioclient.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <array>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;
using Testing::SioClient;
using L1 = QLatin1StringView;

class TestAdminApi : public QObject
{
    Q_OBJECT

    /// The hosting user's way in: an administrator (ChatServer::hostLogin).
    QByteArray adminToken()
    {
        const auto pair = m_server->server().hostLogin(u"root"_s);
        if (!std::holds_alternative<Protocol::TokenPair>(pair))
            return {};
        return std::get<Protocol::TokenPair>(pair).accessToken.toLatin1();
    }

    HttpResult admin(const QByteArray &method, const QString &path, const QByteArray &token,
                     const std::optional<QJsonObject> &body = {})
    {
        return m_server->http().send(method, u"/api/v1/admin/"_s + path, body, token);
    }

    /// The connections list's entry of a user (the first one), or an empty object.
    static QJsonObject connectionOf(const HttpResult &list, const QString &user)
    {
        for (const QJsonValue &value : list.json.value(L1("connections")).toArray()) {
            if (value.toObject().value(L1("user")).toString() == user)
                return value.toObject();
        }
        return {};
    }


    /// alice's public room #club, which bob and carl joined: three real clients, each null when that failed.
    std::array<std::unique_ptr<WsClient>, 3> club()
    {
        std::array<std::unique_ptr<WsClient>, 3> people{m_server->connectAs(u"alice"_s), m_server->connectAs(u"bob"_s),
                                                        m_server->connectAs(u"carl"_s)};
        const bool joined = people[0] && people[1] && people[2]
                            && people[0]->request(Protocol::Request::createRoom({}, {u"club"_s, false})).isOk()
                            && people[1]->request(Protocol::Request::join({}, u"club"_s)).isOk()
                            && people[2]->request(Protocol::Request::join({}, u"club"_s)).isOk();
        if (!joined)
            people = {};
        return people;
    }

    static void checkError(const HttpResult &result, int status, const QString &code)
    {
        QCOMPARE(result.status, status);
        QCOMPARE(result.errorCode(), code);
        QVERIFY(!result.json.value(L1("error")).toObject().value(L1("message")).toString().isEmpty());
        QVERIFY(result.header("content-type").startsWith("application/json"));
    }

private Q_SLOTS:
    void init() { m_server = std::make_unique<TestServer>(); }
    void cleanup() { m_server.reset(); }

    /*! Who may ask: no token or a bad one 401, a member 403, an administrator 200; after the auth check,
     *  unknown paths 404 and other methods 405, all in the API's one JSON error shape. */
    void authorisation()
    {
        const QByteArray member = m_server->login(u"alice"_s).accessToken.toLatin1();
        const QByteArray root = adminToken();
        QVERIFY(!root.isEmpty());

        const HttpResult anonymous = admin("GET", u"connections"_s, {});
        checkError(anonymous, 401, u"auth_failed"_s);
        QCOMPARE(anonymous.header("www-authenticate"), QByteArray("Bearer"));
        checkError(admin("GET", u"connections"_s, "not-a-token"), 401, u"auth_failed"_s);
        // A token the server signed for a login that does not exist.
        const QString forged = m_server->signToken(TestServer::accessClaims(u"root"_s, u"no-such-login"_s));
        checkError(admin("GET", u"users"_s, forged.toLatin1()), 401, u"auth_failed"_s);
        // Not an administrator: refused, whatever the path (it does not learn which exist).
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"user=alice from .* refused: not an administrator"_s));
        checkError(admin("GET", u"connections"_s, member), 403, u"forbidden"_s);
        checkError(admin("GET", u"no-such-thing"_s, member), 403, u"forbidden"_s);
        checkError(admin("POST", u"users/alice/sign-out-everywhere"_s, member), 403, u"forbidden"_s);
        // A line break in the path does not reach the log as one: the line shows the target as sent.
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"refused: not an administrator: GET /api/v1/admin/x%0Ay$"_s));
        checkError(admin("GET", u"x%0Ay"_s, member), 403, u"forbidden"_s);

        QCOMPARE(admin("GET", u"connections"_s, root).status, 200);
        checkError(admin("GET", u"no-such-thing"_s, root), 404, u"not_found"_s);
        checkError(admin("GET", u"connections/"_s, root), 404, u"not_found"_s);
        const HttpResult wrongMethod = admin("DELETE", u"connections"_s, root);
        checkError(wrongMethod, 405, u"bad_request"_s);
        QCOMPARE(wrongMethod.header("allow"), QByteArray("GET"));
        checkError(admin("GET", u"users/alice/sign-out-everywhere"_s, root), 405, u"bad_request"_s);
        // The bare prefix without its slash is no admin path either.
        checkError(m_server->http().send("GET", u"/api/v1/admin"_s, {}, root), 404, u"not_found"_s);

        // The member's rejected token attempts did not count as authentication failures; the bad ones did.
        const QByteArray metrics = m_server->http().get(u"/metrics"_s).body;
        QVERIFY2(metrics.contains("\ntertulia_auth_failures_total 2\n"), metrics.constData());
    }

    /*! Every live connection of the node, with its protocol and transport: native, Socket.IO over WebSocket,
     *  Socket.IO over long-polling, and one that has not authenticated yet. */
    void connectionsOfEveryKind()
    {
        const QByteArray root = adminToken();
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        auto alice = m_server->connectAs(u"alice"_s);
        QVERIFY(alice);
        SioClient bob(m_server->httpUrl());
        QVERIFY(bob.connect(QJsonObject{{L1("token"), m_server->login(u"bob"_s).accessToken}}).startsWith(u"40{"));
        // Carol on Engine.IO long-polling: the handshake, then CONNECT in a POST.
        auto &http = m_server->http();
        const HttpResult open = http.get(u"/socket.io/?EIO=4&transport=polling"_s);
        QCOMPARE(open.status, 200);
        QVERIFY2(open.body.startsWith('0'), open.body.constData());
        const QString sid = QJsonDocument::fromJson(open.body.mid(1)).object().value(L1("sid")).toString();
        QVERIFY(!sid.isEmpty());
        const QByteArray connect = "40" + QJsonDocument(QJsonObject{{L1("token"), m_server->login(u"carol"_s).accessToken}})
                                              .toJson(QJsonDocument::Compact);
        QCOMPARE(http.post(u"/socket.io/?EIO=4&transport=polling&sid="_s + sid, connect, "text/plain;charset=UTF-8").status,
                 200);
        const HttpResult polled = http.get(u"/socket.io/?EIO=4&transport=polling&sid="_s + sid);
        QVERIFY2(polled.body.startsWith("40{"), polled.body.constData());
        // And a native connection that has not signed in.
        WsClient stranger;
        QVERIFY(stranger.open(m_server->url()));

        HttpResult list;
        QTRY_VERIFY_WITH_TIMEOUT((list = admin("GET", u"connections"_s, root)).json.value(L1("count")).toInt() == 4,
                                 10000);
        QCOMPARE(list.status, 200);
        const bool fastPath = qEnvironmentVariable("TERTULIA_FAST_PATH") == u"1";
        const QJsonObject native = connectionOf(list, u"alice"_s);
        QCOMPARE(native.value(L1("protocol")).toString(), u"native"_s);
        QCOMPARE(native.value(L1("transport")).toString(), fastPath ? u"fastpath"_s : u"websocket"_s);
        QCOMPARE(native.value(L1("state")).toString(), u"ready"_s);
        QCOMPARE(native.value(L1("address")).toString(), u"127.0.0.1"_s);
        const qint64 connectedAt = native.value(L1("connected_at")).toInteger();
        QVERIFY2(connectedAt >= before - 1000 && connectedAt <= QDateTime::currentMSecsSinceEpoch() + 1000,
                 qPrintable(QString::number(connectedAt - before)));
        QVERIFY(native.value(L1("queued_bytes")).toInteger() >= 0);
        QVERIFY(native.contains(L1("rtt_ms")));
        const QJsonObject sio = connectionOf(list, u"bob"_s);
        QCOMPARE(sio.value(L1("protocol")).toString(), u"socket.io"_s);
        QCOMPARE(sio.value(L1("transport")).toString(), u"websocket"_s);
        const QJsonObject polling = connectionOf(list, u"carol"_s);
        QCOMPARE(polling.value(L1("protocol")).toString(), u"socket.io"_s);
        QCOMPARE(polling.value(L1("transport")).toString(), u"polling"_s);
        // Ids are distinct; the stranger is listed without a user.
        QSet<QString> ids;
        int anonymous = 0;
        for (const QJsonValue &value : list.json.value(L1("connections")).toArray()) {
            ids.insert(value.toObject().value(L1("id")).toString());
            if (value.toObject().value(L1("user")).isNull()) {
                ++anonymous;
                QCOMPARE(value.toObject().value(L1("state")).toString(), u"awaiting_auth"_s);
            }
        }
        QCOMPARE(ids.size(), 4);
        QCOMPARE(anonymous, 1);
        // One node: every entry names it, with its key ("<node>:<id>"), and the node list is that node alone.
        const QJsonArray nodes = list.json.value(L1("nodes")).toArray();
        QCOMPARE(nodes.size(), 1);
        const QString node = nodes.at(0).toObject().value(L1("node")).toString();
        QVERIFY(!node.isEmpty());
        QCOMPARE(nodes.at(0).toObject().value(L1("answered")).toBool(), true);
        QCOMPARE(nodes.at(0).toObject().value(L1("connections")).toInt(), 4);
        for (const QJsonValue &value : list.json.value(L1("connections")).toArray()) {
            QCOMPARE(value.toObject().value(L1("node")).toString(), node);
            QCOMPARE(value.toObject().value(L1("key")).toString(), node + u':' + value.toObject().value(L1("id")).toString());
        }
    }

    /*! The native client's RTT appears once the server's ping was answered (QWebSocket answers pings). */
    void roundTripTime()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.pingIntervalMs = 50;
        m_server = std::make_unique<TestServer>(config);
        const QByteArray root = adminToken();
        auto alice = m_server->connectAs(u"alice"_s);
        QVERIFY(alice);
        QTRY_VERIFY_WITH_TIMEOUT(
            connectionOf(admin("GET", u"connections"_s, root), u"alice"_s).value(L1("rtt_ms")).isDouble(), 10000);
        QVERIFY(connectionOf(admin("GET", u"connections"_s, root), u"alice"_s).value(L1("rtt_ms")).toInteger() >= 0);
    }

    /*! Disconnect closes exactly that connection, with 4005 and the administrator's reason; it is logged. */
    void disconnectNative()
    {
        const QByteArray root = adminToken();
        const QString aliceToken = m_server->login(u"alice"_s).accessToken;
        auto target = m_server->connectWith(aliceToken);
        auto other = m_server->connectWith(aliceToken);
        QVERIFY(target && other);
        const HttpResult list = admin("GET", u"connections"_s, root);
        const QJsonArray all = list.json.value(L1("connections")).toArray();
        QCOMPARE(all.size(), 2);
        const QString id = all.at(0).toObject().value(L1("id")).toString();
        const QString otherId = all.at(1).toObject().value(L1("id")).toString();
        // Sessions are listed in id order, and opened in the order the clients connected.
        QVERIFY(id.toULongLong() < otherId.toULongLong());

        QSignalSpy disconnected(&target->socket(), &QWebSocket::disconnected);
        QTest::ignoreMessage(QtInfoMsg,
                             QRegularExpression(u"admin=root from=127\\.0\\.0\\.1 at=\\d{4}-\\d\\d-\\d\\dT.*Z "
                                                "action=disconnect conn=%1 user=alice .*reason=spam"_s.arg(id)));
        const HttpResult done = admin("POST", u"connections/%1/disconnect"_s.arg(id), root,
                                      QJsonObject{{L1("reason"), u"spam"_s}});
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json.value(L1("disconnected")).toObject().value(L1("id")).toString(), id);
        // In the persistent audit log too: who, what, whom, why, and which connection from where.
        const QJsonObject line = admin("GET", u"audit"_s, root).json.value(L1("audit")).toArray().at(0).toObject();
        QCOMPARE(line.value(L1("action")).toString(), u"disconnect"_s);
        QCOMPARE(line.value(L1("actor")).toString(), u"root"_s);
        QCOMPARE(line.value(L1("target")).toString(), u"alice"_s);
        QCOMPARE(line.value(L1("reason")).toString(), u"spam"_s);
        QVERIFY(line.value(L1("detail")).toString().contains(u"connection="_s + id));
        // (The HTTP client's wait may already have seen it happen.)
        QVERIFY(disconnected.count() > 0 || disconnected.wait(10000));
        QCOMPARE(target->closeCode(), int(Protocol::CloseCode::Kicked));
        QCOMPARE(target->closeReason(), u"spam"_s);
        // The other connection of the same user stays, and only it is listed now.
        QVERIFY(other->isConnected());
        QTRY_COMPARE_WITH_TIMEOUT(admin("GET", u"connections"_s, root).json.value(L1("count")).toInt(), 1, 10000);
        QVERIFY(other->request(Protocol::Request::listRooms({})).isOk());
        // It is gone: a second disconnect finds nothing.
        checkError(admin("POST", u"connections/%1/disconnect"_s.arg(id), root), 404, u"not_found"_s);
    }

    /*! A Socket.IO connection is closed too, with the default reason when none is given: the client hears
     *  `closing` (code 4005, no reconnect), then the namespace's DISCONNECT, which the official client does not
     *  retry (docs/socketio.md). */
    void disconnectSocketIo()
    {
        const QByteArray root = adminToken();
        SioClient bob(m_server->httpUrl());
        QVERIFY(bob.connect(QJsonObject{{L1("token"), m_server->login(u"bob"_s).accessToken}}).startsWith(u"40{"));
        const QString id = connectionOf(admin("GET", u"connections"_s, root), u"bob"_s).value(L1("id")).toString();
        QVERIFY(!id.isEmpty());
        QCOMPARE(admin("POST", u"connections/%1/disconnect"_s.arg(id), root).status, 200);
        QVERIFY(bob.waitForEvents(u"closing"_s, 1));
        const QJsonObject closing = bob.events(u"closing"_s).at(0).at(1).toObject();
        QCOMPARE(closing.value(L1("code")).toInt(), int(Protocol::CloseCode::Kicked));
        QCOMPARE(closing.value(L1("reason")).toString(), u"disconnected by an administrator"_s);
        QCOMPARE(closing.value(L1("reconnect")).toBool(), false);
        QTRY_VERIFY_WITH_TIMEOUT(bob.peer().texts.contains(u"41"_s), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(admin("GET", u"connections"_s, root).json.value(L1("count")).toInt(), 0, 10000);
    }

    /*! Every login of the user ends: refresh tokens refused, access tokens refused, sockets closed (4004) on
     *  every protocol; other users are untouched. */
    void signOutEverywhere()
    {
        const QByteArray root = adminToken();
        const Protocol::TokenPair laptop = m_server->login(u"alice"_s);
        const Protocol::TokenPair phone = m_server->login(u"alice"_s);
        const Protocol::TokenPair bobs = m_server->login(u"bob"_s);
        auto onLaptop = m_server->connectWith(laptop.accessToken);
        auto bob = m_server->connectWith(bobs.accessToken);
        QVERIFY(onLaptop && bob);
        SioClient onPhone(m_server->httpUrl());
        QVERIFY(onPhone.connect(QJsonObject{{L1("token"), phone.accessToken}}).startsWith(u"40{"));

        const HttpResult users = admin("GET", u"users"_s, root);
        QCOMPARE(users.status, 200);
        QJsonObject aliceRow;
        for (const QJsonValue &value : users.json.value(L1("users")).toArray()) {
            if (value.toObject().value(L1("name")).toString() == u"alice")
                aliceRow = value.toObject();
        }
        QCOMPARE(aliceRow.value(L1("logins")).toInt(), 2);
        QCOMPARE(aliceRow.value(L1("connections")).toInt(), 2);
        QCOMPARE(aliceRow.value(L1("online")).toBool(), true);

        QSignalSpy laptopClosed(&onLaptop->socket(), &QWebSocket::disconnected);
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"admin=root .* action=sign-out-everywhere user=alice "
                                                           "logins_revoked=2 connections_here=2"_s));
        const HttpResult done = admin("POST", u"users/ALICE/sign-out-everywhere"_s, root);
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json.value(L1("user")).toString(), u"alice"_s);
        QCOMPARE(done.json.value(L1("logins_revoked")).toInt(), 2);
        const QJsonObject line = admin("GET", u"audit"_s, root).json.value(L1("audit")).toArray().at(0).toObject();
        QCOMPARE(line.value(L1("action")).toString(), u"sign_out_everywhere"_s);
        QCOMPARE(line.value(L1("target")).toString(), u"alice"_s);
        QVERIFY(line.value(L1("detail")).toString().contains(u"logins_revoked=2"_s));
        QVERIFY(laptopClosed.count() > 0 || laptopClosed.wait(10000));
        QCOMPARE(onLaptop->closeCode(), int(Protocol::CloseCode::LoggedOut));
        // Socket.IO: told, then the namespace is left (a terminal close: docs/socketio.md).
        QVERIFY(onPhone.waitForEvents(u"closing"_s, 1));
        QCOMPARE(onPhone.events(u"closing"_s).at(0).at(1).toObject().value(L1("code")).toInt(),
                 int(Protocol::CloseCode::LoggedOut));
        QTRY_VERIFY_WITH_TIMEOUT(onPhone.peer().texts.contains(u"41"_s), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(admin("GET", u"connections"_s, root).json.value(L1("count")).toInt(), 1, 10000);

        auto &http = m_server->http();
        checkError(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), laptop.refreshToken}}), 401,
                   u"auth_failed"_s);
        checkError(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), phone.refreshToken}}), 401,
                   u"auth_failed"_s);
        checkError(http.send("GET", u"/api/v1/account/devices"_s, {}, laptop.accessToken.toLatin1()), 401,
                   u"auth_failed"_s);
        WsClient again;
        QVERIFY(!again.openAndAuth(m_server->url(), phone.accessToken));
        // Bob goes on.
        QVERIFY(bob->isConnected());
        QVERIFY(bob->request(Protocol::Request::listRooms({})).isOk());
        QVERIFY(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), bobs.refreshToken}}).status == 200);
        // Alice can sign in again.
        QVERIFY(m_server->connectAs(u"alice"_s));
    }

    /*! Rooms: members, who of them is online here, connections, last seq; users: the admin flag. */
    void roomsAndUsers()
    {
        const QByteArray root = adminToken();
        auto alice = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        QVERIFY(alice && bob);
        QVERIFY(alice->request(Protocol::Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(bob->request(Protocol::Request::join({}, u"general"_s)).isOk());
        QVERIFY(alice->request(Protocol::Request::send({}, {u"general"_s, u"hola"_s, u"m1"_s})).isOk());
        QVERIFY(alice->request(Protocol::Request::send({}, {u"general"_s, u"qué tal"_s, u"m2"_s})).isOk());
        Protocol::UpdateRoomParams settings{u"general"_s, u"General chat"_s, u"anything goes"_s, {}, {}, {}};
        QVERIFY(alice->request(Protocol::Request::updateRoom({}, settings)).isOk());
        QVERIFY(alice->request(Protocol::Request::openDirect({}, {u"bob"_s})).isOk());
        bob.reset(); // bob leaves: still a member, no longer online
        QTRY_COMPARE_WITH_TIMEOUT(m_server->server().openSessions(), 1, 10000);

        const HttpResult rooms = admin("GET", u"rooms"_s, root);
        QCOMPARE(rooms.status, 200);
        QJsonObject general;
        for (const QJsonValue &value : rooms.json.value(L1("rooms")).toArray()) {
            if (value.toObject().value(L1("name")).toString() == u"general")
                general = value.toObject();
        }
        QCOMPARE(general.value(L1("members")).toInt(), 2);
        QCOMPARE(general.value(L1("online_members")).toInt(), 1);
        QCOMPARE(general.value(L1("connections")).toInt(), 1);
        QCOMPARE(general.value(L1("last_seq")).toInteger(), 2);
        QCOMPARE(general.value(L1("creator")).toString(), u"alice"_s);
        QCOMPARE(general.value(L1("private")).toBool(), false);
        // Its settings and its messages over the last minute (counted where they are routed).
        QCOMPARE(general.value(L1("kind")).toString(), u"room"_s);
        QCOMPARE(general.value(L1("title")).toString(), u"General chat"_s);
        QCOMPARE(general.value(L1("topic")).toString(), u"anything goes"_s);
        QCOMPARE(general.value(L1("archived")).toBool(), false);
        QCOMPARE(general.value(L1("messages_last_minute")).toInteger(), 2);
        QCOMPARE(general.value(L1("messages_per_second")).toDouble(), 2.0 / 60.0);
        // Who talks to whom is not listed: the direct conversation of alice and bob is only counted.
        QCOMPARE(rooms.json.value(L1("count")).toInt(), 1);
        QCOMPARE(rooms.json.value(L1("direct_conversations")).toInt(), 1);
        QVERIFY2(!rooms.body.contains("alice+bob") && !rooms.body.contains("@"), rooms.body.constData());

        const HttpResult users = admin("GET", u"users"_s, root);
        QHash<QString, QJsonObject> byName;
        for (const QJsonValue &value : users.json.value(L1("users")).toArray())
            byName.insert(value.toObject().value(L1("name")).toString(), value.toObject());
        QCOMPARE(byName.value(u"root"_s).value(L1("admin")).toBool(), true);
        QCOMPARE(byName.value(u"alice"_s).value(L1("admin")).toBool(), false);
        QCOMPARE(byName.value(u"alice"_s).value(L1("online")).toBool(), true);
        QCOMPARE(byName.value(u"bob"_s).value(L1("online")).toBool(), false);
        QCOMPARE(byName.value(u"bob"_s).value(L1("logins")).toInt(), 1);
        QCOMPARE(users.json.value(L1("more")).toBool(), false);
        // Pages, in name order.
        const HttpResult first = admin("GET", u"users?limit=1"_s, root);
        QCOMPARE(first.json.value(L1("count")).toInt(), 1);
        QCOMPARE(first.json.value(L1("more")).toBool(), true);
        const QString name = first.json.value(L1("users")).toArray().at(0).toObject().value(L1("name")).toString();
        QCOMPARE(name, u"alice"_s);
        QCOMPARE(first.json.value(L1("next_after")).toString(), u"alice"_s);
        const HttpResult rest = admin("GET", u"users?after=alice"_s, root);
        QCOMPARE(rest.json.value(L1("count")).toInt(), int(byName.size()) - 1);
    }

    /*! GET users lists every account, a page at a time: also one that never signed in, joined or connected,
        and a disabled one; a deleted one is not listed. The pages, followed by their cursor, cover each once. */
    void everyAccountListed()
    {
        const QByteArray root = adminToken();
        auto &http = m_server->http();
        for (const QString &name : {u"zoe"_s, u"yann"_s, u"xavi"_s, u"walt"_s, u"vera"_s})
            QCOMPARE(http.postJson(u"/api/v1/register"_s, {{L1("username"), name}, {L1("password"), u"password123"_s}}).status, 201);
        QCOMPARE(admin("POST", u"users/yann/disable"_s, root, QJsonObject{{L1("disabled"), true}}).status, 200);
        const QString walt = m_server->login(u"walt"_s).accessToken;
        QCOMPARE(http.send("POST", u"/api/v1/account/delete"_s, QJsonObject{{L1("password"), u"password123"_s}},
                           walt.toLatin1()).status, 200);
        QStringList seen;
        QString after;
        bool disabledSeen = false;
        for (int page = 0; page < 10; ++page) {
            const HttpResult result = admin("GET", u"users?limit=2&after="_s + after, root);
            QCOMPARE(result.status, 200);
            for (const QJsonValue &row : result.json.value(L1("users")).toArray()) {
                seen.append(row.toObject().value(L1("name")).toString());
                disabledSeen |= seen.last() == u"yann" && row.toObject().value(L1("disabled")).toBool();
            }
            if (!result.json.value(L1("more")).toBool())
                break;
            after = result.json.value(L1("next_after")).toString();
            QCOMPARE(after, seen.last());
        }
        QCOMPARE(seen, (QStringList{u"root"_s, u"vera"_s, u"xavi"_s, u"yann"_s, u"zoe"_s}));
        QVERIFY(disabledSeen);
    }

    /*! Moderation through the admin API (the chat protocols' rules and effects): an administrator bans a member
        (with a reason and a duration: the sessions hear `moderated` and leave the room, joins are refused),
        mutes one (sends refused), lifts both, and removes a member; each is in the audit log under the
        administrator's name. Refused ones are refused with the API's JSON error: a member 403, an unknown room
        404, lifting what is not there 400, a bad duration 400. */
    void moderateRooms()
    {
        using namespace Protocol;
        const QByteArray root = adminToken();
        const QByteArray member = m_server->login(u"dan"_s).accessToken.toLatin1();
        auto [alice, bob, carl] = club();
        QVERIFY(alice && bob && carl);

        checkError(admin("POST", u"rooms/club/bans/bob"_s, member, QJsonObject{}), 403, u"forbidden"_s);
        checkError(admin("POST", u"rooms/nowhere/bans/bob"_s, root, QJsonObject{}), 404, u"not_found"_s);
        checkError(admin("POST", u"rooms/club/bans/nobody"_s, root, QJsonObject{}), 404, u"not_found"_s);
        checkError(admin("POST", u"rooms/club/bans/bob"_s, root, QJsonObject{{L1("duration"), -5}}), 400, u"bad_request"_s);
        checkError(admin("DELETE", u"rooms/club/bans/bob"_s, root), 400, u"bad_request"_s); // not banned
        checkError(admin("GET", u"rooms/club/bans/bob"_s, root), 405, u"bad_request"_s);

        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        const HttpResult banned =
            admin("POST", u"rooms/club/bans/bob"_s, root, QJsonObject{{L1("reason"), u"spam"_s}, {L1("duration"), 3600}});
        QCOMPARE(banned.status, 200);
        QCOMPARE(banned.json.value(L1("action")).toString(), u"ban"_s);
        QVERIFY(banned.json.value(L1("until")).toInteger() >= before + 3600 * 1000);
        const auto told = bob->waitForEvent(EventType::Moderated);
        QVERIFY(told);
        QCOMPARE(payloadOf<ModerationEvent>(told->data).action, ModerationAction::Banned);
        QCOMPARE(payloadOf<ModerationEvent>(told->data).by, u"root"_s);
        QCOMPARE(payloadOf<ModerationEvent>(told->data).reason, u"spam"_s);
        QVERIFY(alice->waitForEvent(EventType::MemberLeft, [](const Event &e) {
            return payloadOf<MembershipEvent>(e.data).user == u"bob"_s;
        }));
        QCOMPARE(bob->request(Request::join({}, u"club"_s)).error->code, ErrorCode::Forbidden);
        const HttpResult sanctions = admin("GET", u"rooms/club/sanctions"_s, root);
        QCOMPARE(sanctions.status, 200);
        const SanctionsResult held = payloadOf<SanctionsResult>(sanctions.json);
        QCOMPARE(held.sanctions.size(), 1);
        QCOMPARE(held.sanctions.at(0).user, u"bob"_s);
        QVERIFY(held.sanctions.at(0).ban);
        QCOMPARE(held.sanctions.at(0).by, u"root"_s);
        QCOMPARE(held.sanctions.at(0).reason, u"spam"_s);
        QCOMPARE(held.sanctions.at(0).until, banned.json.value(L1("until")).toInteger());
        checkError(admin("GET", u"rooms/club/sanctions"_s, member), 403, u"forbidden"_s);
        checkError(admin("GET", u"rooms/nowhere/sanctions"_s, root), 404, u"not_found"_s);

        QCOMPARE(admin("POST", u"rooms/club/mutes/carl"_s, root).status, 200); // no body: no reason, no end
        QVERIFY(carl->waitForEvent(EventType::Moderated));
        QCOMPARE(carl->request(Request::send({}, {u"club"_s, u"hello?"_s, u"c1"_s})).error->code, ErrorCode::Forbidden);
        QCOMPARE(admin("DELETE", u"rooms/club/mutes/carl"_s, root).status, 200);
        QVERIFY(carl->request(Request::send({}, {u"club"_s, u"hello!"_s, u"c2"_s})).isOk());

        QCOMPARE(admin("DELETE", u"rooms/club/bans/bob"_s, root).status, 200);
        QVERIFY(bob->request(Request::join({}, u"club"_s)).isOk());
        const HttpResult removed =
            admin("POST", u"rooms/club/members/bob/remove"_s, root, QJsonObject{{L1("reason"), u"enough"_s}});
        QCOMPARE(removed.status, 200);
        const auto out = bob->waitForEvent(EventType::Moderated, [](const Event &e) {
            return payloadOf<ModerationEvent>(e.data).action == ModerationAction::Removed;
        });
        QVERIFY(out);
        checkError(admin("POST", u"rooms/club/members/bob/remove"_s, root), 400, u"bad_request"_s); // not in it now

        QStringList actions;
        for (const QJsonValue &line : admin("GET", u"audit"_s, root).json.value(L1("audit")).toArray()) {
            QCOMPARE(line.toObject().value(L1("actor")).toString(), u"root"_s);
            QCOMPARE(line.toObject().value(L1("room")).toString(), u"club"_s);
            actions.prepend(line.toObject().value(L1("action")).toString());
        }
        QCOMPARE(actions, (QStringList{u"ban"_s, u"mute"_s, u"unmute"_s, u"unban"_s, u"remove_member"_s}));
    }

    /*! A room's members with their roles (owner first), mutes and who is online; roles set and ownership handed
        over through the API, by the one moderation implementation: audited under the administrator's name, the
        room told (role_changed), and refused as the chat requests are: a member 403, an unknown room or user 404,
        a bad role 400, someone not in the room 400; a direct conversation is not found. */
    void roomMembersAndRoles()
    {
        using namespace Protocol;
        const QByteArray root = adminToken();
        const QByteArray member = m_server->login(u"dan"_s).accessToken.toLatin1();
        auto [alice, bob, carl] = club();
        QVERIFY(alice && bob && carl);
        QCOMPARE(admin("POST", u"rooms/club/mutes/carl"_s, root, QJsonObject{{L1("duration"), 600}}).status, 200);
        carl.reset();
        QTRY_COMPARE_WITH_TIMEOUT(m_server->server().openSessions(), 2, 10000);

        const auto members = [&] {
            QList<QJsonObject> rows;
            const HttpResult list = admin("GET", u"rooms/club/members"_s, root);
            for (const QJsonValue &row : list.json.value(L1("members")).toArray())
                rows.append(row.toObject());
            return rows;
        };
        QList<QJsonObject> rows = members();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.at(0).value(L1("user")).toString(), u"alice"_s);
        QCOMPARE(rows.at(0).value(L1("role")).toString(), u"owner"_s);
        QCOMPARE(rows.at(0).value(L1("online")).toBool(), true);
        QCOMPARE(rows.at(1).value(L1("user")).toString(), u"bob"_s);
        QCOMPARE(rows.at(1).value(L1("role")).toString(), u"member"_s);
        QCOMPARE(rows.at(1).value(L1("muted")).toBool(), false);
        QCOMPARE(rows.at(2).value(L1("user")).toString(), u"carl"_s);
        QCOMPARE(rows.at(2).value(L1("online")).toBool(), false);
        QCOMPARE(rows.at(2).value(L1("muted")).toBool(), true);
        QVERIFY(rows.at(2).value(L1("muted_until")).toInteger() > QDateTime::currentMSecsSinceEpoch());

        checkError(admin("GET", u"rooms/club/members"_s, member), 403, u"forbidden"_s);
        checkError(admin("GET", u"rooms/nowhere/members"_s, root), 404, u"not_found"_s);
        checkError(admin("POST", u"rooms/club/roles/bob"_s, member, QJsonObject{{L1("role"), u"moderator"_s}}), 403,
                   u"forbidden"_s);
        checkError(admin("POST", u"rooms/nowhere/roles/bob"_s, root, QJsonObject{{L1("role"), u"moderator"_s}}), 404,
                   u"not_found"_s);
        checkError(admin("POST", u"rooms/club/roles/nobody"_s, root, QJsonObject{{L1("role"), u"moderator"_s}}), 404,
                   u"not_found"_s);
        checkError(admin("POST", u"rooms/club/roles/bob"_s, root, QJsonObject{{L1("role"), u"king"_s}}), 400,
                   u"bad_request"_s);
        checkError(admin("POST", u"rooms/club/roles/bob"_s, root, QJsonObject{{L1("role"), u"owner"_s}}), 400,
                   u"bad_request"_s);
        checkError(admin("POST", u"rooms/club/roles/bob"_s, root, QJsonObject{}), 400, u"bad_request"_s);
        checkError(admin("POST", u"rooms/club/roles/dan"_s, root, QJsonObject{{L1("role"), u"moderator"_s}}), 400,
                   u"bad_request"_s); // not in the room
        checkError(admin("POST", u"rooms/club/owner/dan"_s, root), 400, u"bad_request"_s);
        checkError(admin("POST", u"rooms/club/owner/bob"_s, member), 403, u"forbidden"_s);
        checkError(admin("POST", u"rooms/club/owner/root"_s, root), 400, u"bad_request"_s); // yourself
        checkError(admin("GET", u"rooms/club/roles/bob"_s, root), 405, u"bad_request"_s);

        const HttpResult promoted = admin("POST", u"rooms/club/roles/bob"_s, root,
                                          QJsonObject{{L1("role"), u"moderator"_s}, {L1("reason"), u"helps a lot"_s}});
        QCOMPARE(promoted.status, 200);
        QCOMPARE(promoted.json.value(L1("action")).toString(), u"set_role"_s);
        const auto told = alice->waitForEvent(EventType::RoleChanged);
        QVERIFY(told);
        QCOMPARE(payloadOf<RoleEvent>(told->data).user, u"bob"_s);
        QCOMPARE(payloadOf<RoleEvent>(told->data).role, Role::Moderator);
        QCOMPARE(payloadOf<RoleEvent>(told->data).by, u"root"_s);
        QCOMPARE(members().at(1).value(L1("role")).toString(), u"moderator"_s);

        const HttpResult handedOver = admin("POST", u"rooms/club/owner/bob"_s, root);
        QCOMPARE(handedOver.status, 200);
        QCOMPARE(handedOver.json.value(L1("action")).toString(), u"transfer_ownership"_s);
        QVERIFY(bob->waitForEvent(EventType::RoleChanged, [](const Event &e) {
            return payloadOf<RoleEvent>(e.data).user == u"bob"_s && payloadOf<RoleEvent>(e.data).role == Role::Owner;
        }));
        rows = members();
        QCOMPARE(rows.at(0).value(L1("user")).toString(), u"bob"_s);
        QCOMPARE(rows.at(0).value(L1("role")).toString(), u"owner"_s);
        QCOMPARE(rows.at(1).value(L1("user")).toString(), u"alice"_s);
        QCOMPARE(rows.at(1).value(L1("role")).toString(), u"moderator"_s);
        // The new owner is the owner: alice, a moderator now, cannot name moderators any more.
        QCOMPARE(alice->request(Request::moderation(RequestType::SetRole, {}, {u"club"_s, u"carl"_s, Role::Moderator, {}, {}}))
                     .error->code,
                 ErrorCode::Forbidden);

        QStringList actions;
        for (const QJsonValue &line : admin("GET", u"audit"_s, root).json.value(L1("audit")).toArray()) {
            QCOMPARE(line.toObject().value(L1("actor")).toString(), u"root"_s);
            actions.prepend(line.toObject().value(L1("action")).toString() + u' '
                            + line.toObject().value(L1("target")).toString());
        }
        QCOMPARE(actions, (QStringList{u"mute carl"_s, u"set_role bob"_s, u"transfer_ownership bob"_s}));

        // A direct conversation is between its two people: no members, roles or owner for an administrator.
        QVERIFY(alice->request(Request::openDirect({}, {u"bob"_s})).isOk());
        const QString direct = QString::fromLatin1(QUrl::toPercentEncoding(u"@alice+bob"_s));
        checkError(admin("GET", u"rooms/"_s + direct + u"/members"_s, root), 404, u"not_found"_s);
        checkError(admin("POST", u"rooms/"_s + direct + u"/roles/bob"_s, root, QJsonObject{{L1("role"), u"moderator"_s}}),
                   404, u"not_found"_s);
        checkError(admin("POST", u"rooms/"_s + direct + u"/owner/bob"_s, root), 404, u"not_found"_s);
    }

    /*! The hello says whether the account is a server administrator, on both protocols: the hosting user's
        does, a member's does not; a promotion shows from the next authentication. */
    void helloSaysAdministrator()
    {
        using namespace Protocol;
        const QByteArray root = adminToken();
        const QString alice = m_server->login(u"alice"_s).accessToken;
        const auto nativeHello = [this](const QString &token) {
            WsClient client;
            if (!client.open(m_server->url()))
                return QJsonObject();
            const Reply reply = client.request(Request::auth({}, token));
            return reply.isOk() ? reply.data : QJsonObject();
        };
        const auto sioHello = [this](const QString &token) {
            SioClient client(m_server->httpUrl());
            if (!client.connect(QJsonObject{{L1("token"), token}}).startsWith(u"40{") || !client.waitForEvents(u"hello"_s, 1))
                return QJsonObject();
            return client.events(u"hello"_s).first().at(1).toObject();
        };
        QJsonObject hello = nativeHello(QString::fromLatin1(root));
        QCOMPARE(hello.value(L1("user")).toString(), u"root"_s);
        QCOMPARE(hello.value(L1("admin")).toBool(), true);
        QCOMPARE(payloadOf<HelloInfo>(hello).admin, true);
        QCOMPARE(sioHello(QString::fromLatin1(root)).value(L1("admin")).toBool(), true);
        hello = nativeHello(alice);
        QCOMPARE(hello.value(L1("user")).toString(), u"alice"_s);
        QVERIFY(!hello.contains(L1("admin")));
        QCOMPARE(payloadOf<HelloInfo>(hello).admin, false);
        hello = sioHello(alice);
        QCOMPARE(hello.value(L1("user")).toString(), u"alice"_s);
        QVERIFY(!hello.contains(L1("admin")));

        QCOMPARE(admin("POST", u"users/alice/admin"_s, root, QJsonObject{{L1("admin"), true}}).status, 200);
        QCOMPARE(nativeHello(alice).value(L1("admin")).toBool(), true);
        QCOMPARE(sioHello(alice).value(L1("admin")).toBool(), true);
    }

    /*! A promotion or demotion reaches the account's open sessions at once (admin_changed), native and
     *  Socket.IO alike, and nobody else's; setting what is already set tells nobody. */
    void adminChangedReachesSessions()
    {
        using namespace Protocol;
        const QByteArray root = adminToken();
        auto alice = m_server->connectAs(u"alice"_s);
        auto aliceToo = m_server->connectAs(u"alice"_s);
        auto bob = m_server->connectAs(u"bob"_s);
        QVERIFY(alice && aliceToo && bob);
        SioClient sio(m_server->httpUrl());
        QVERIFY(sio.connect(QJsonObject{{L1("token"), m_server->login(u"alice"_s).accessToken}}).startsWith(u"40{"));
        QVERIFY(sio.waitForEvents(u"hello"_s, 1));
        QVERIFY(!sio.events(u"hello"_s).first().at(1).toObject().contains(L1("admin")));

        QCOMPARE(admin("POST", u"users/alice/admin"_s, root, QJsonObject{{L1("admin"), true}}).status, 200);
        for (WsClient *session : {alice.get(), aliceToo.get()}) {
            const auto told = session->waitForEvent(EventType::AdminChanged);
            QVERIFY(told);
            QCOMPARE(payloadOf<AdminChangedEvent>(told->data), (AdminChangedEvent{true, u"root"_s}));
        }
        QVERIFY(sio.waitForEvents(u"admin_changed"_s, 1));
        QCOMPARE(sio.events(u"admin_changed"_s).first().at(1).toObject(),
                 (QJsonObject{{L1("admin"), true}, {L1("by"), u"root"_s}}));
        // Set again: unchanged, nothing told.
        QCOMPARE(admin("POST", u"users/alice/admin"_s, root, QJsonObject{{L1("admin"), true}}).json.value(L1("changed")),
                 QJsonValue(false));

        // Demoted again; root's own session (an administrator all along) hears nothing of alice's flag.
        auto rootSession = std::make_unique<WsClient>();
        QVERIFY(rootSession->openAndAuth(m_server->url(), QString::fromLatin1(root)));
        QCOMPARE(admin("POST", u"users/alice/admin"_s, root, QJsonObject{{L1("admin"), false}}).status, 200);
        const auto demoted = alice->waitForEvent(EventType::AdminChanged);
        QVERIFY(demoted);
        QCOMPARE(payloadOf<AdminChangedEvent>(demoted->data), (AdminChangedEvent{false, u"root"_s}));
        QVERIFY(sio.waitForEvents(u"admin_changed"_s, 2));
        QCOMPARE(sio.events(u"admin_changed"_s).at(1).at(1).toObject().value(L1("admin")), QJsonValue(false));

        // Nobody else heard anything (a ping's answer comes after anything sent before it).
        QVERIFY(bob->request(Request::ping({})).isOk());
        QVERIFY(rootSession->request(Request::ping({})).isOk());
        for (WsClient *other : {bob.get(), rootSession.get()}) {
            QVERIFY(std::none_of(other->events().cbegin(), other->events().cend(),
                                 [](const Event &e) { return e.type == EventType::AdminChanged; }));
        }
        QVERIFY(alice->request(Request::ping({})).isOk());
        QCOMPARE(std::count_if(alice->events().cbegin(), alice->events().cend(),
                               [](const Event &e) { return e.type == EventType::AdminChanged; }),
                 2);
    }

    /*! A room's settings from the admin API, for any room (the administrator is in none of them): read it,
     *  change its topic, title, privacy and archiving (the members hear room_updated at once; the audit log has
     *  one line per setting), and delete it keeping its history (the members hear room_deleted and leave it).
     *  The chat protocols' rules: refusals are 400, 403, 404 with JSON bodies. */
    void roomSettings()
    {
        using namespace Protocol;
        const QByteArray root = adminToken();
        const QByteArray member = m_server->login(u"dan"_s).accessToken.toLatin1();
        auto [alice, bob, carl] = club();
        QVERIFY(alice && bob && carl);

        const HttpResult shown = admin("GET", u"rooms/club"_s, root);
        QCOMPARE(shown.status, 200);
        const QJsonObject room = shown.json.value(L1("room")).toObject();
        QCOMPARE(room.value(L1("name")).toString(), u"club"_s);
        QCOMPARE(room.value(L1("members")).toInt(), 3);
        QCOMPARE(room.value(L1("creator")).toString(), u"alice"_s);
        QCOMPARE(room.value(L1("archived")).toBool(), false);

        // Refused: not an administrator, no such room, a direct conversation (not even seen), bad bodies.
        checkError(admin("GET", u"rooms/club"_s, member), 403, u"forbidden"_s);
        checkError(admin("PATCH", u"rooms/club"_s, member, QJsonObject{{L1("topic"), u"x"_s}}), 403, u"forbidden"_s);
        checkError(admin("DELETE", u"rooms/club"_s, member, QJsonObject{{L1("keep_history"), true}}), 403, u"forbidden"_s);
        checkError(admin("GET", u"rooms/nowhere"_s, root), 404, u"not_found"_s);
        checkError(admin("PATCH", u"rooms/nowhere"_s, root, QJsonObject{{L1("topic"), u"x"_s}}), 404, u"not_found"_s);
        checkError(admin("DELETE", u"rooms/nowhere"_s, root, QJsonObject{{L1("keep_history"), true}}), 404, u"not_found"_s);
        QVERIFY(alice->request(Request::openDirect({}, {u"bob"_s})).isOk());
        const QString direct = QString::fromLatin1(QUrl::toPercentEncoding(u"@alice+bob"_s));
        checkError(admin("GET", u"rooms/"_s + direct, root), 404, u"not_found"_s);
        checkError(admin("PATCH", u"rooms/"_s + direct, root, QJsonObject{{L1("topic"), u"x"_s}}), 404, u"not_found"_s);
        checkError(admin("DELETE", u"rooms/"_s + direct, root, QJsonObject{{L1("keep_history"), false}}), 404,
                   u"not_found"_s);
        checkError(admin("PATCH", u"rooms/club"_s, root, QJsonObject{}), 400, u"bad_request"_s); // nothing to change
        checkError(admin("PATCH", u"rooms/club"_s, root, QJsonObject{{L1("archived"), u"yes"_s}}), 400, u"bad_request"_s);
        checkError(admin("PATCH", u"rooms/club"_s, root, QJsonObject{{L1("topic"), QString(301, u'x')}}), 413,
                   u"too_large"_s);
        checkError(m_server->http().sendBytes("PATCH", u"/api/v1/admin/rooms/club"_s, "topic=x",
                                              "application/x-www-form-urlencoded", root),
                   415, u"bad_request"_s);
        checkError(admin("DELETE", u"rooms/club"_s, root, QJsonObject{}), 400, u"bad_request"_s); // keep_history required
        checkError(admin("DELETE", u"rooms/club"_s, root, QJsonObject{{L1("keep_history"), u"no"_s}}), 400, u"bad_request"_s);
        checkError(admin("PUT", u"rooms/club"_s, root, QJsonObject{}), 405, u"bad_request"_s);

        // Every setting at once, as the owner could; the members hear it.
        const HttpResult changed = admin("PATCH", u"rooms/club"_s, root,
                                         QJsonObject{{L1("title"), u"The Club ☕"_s}, {L1("topic"), u"Members only"_s},
                                                     {L1("archived"), true}, {L1("reason"), u"season over"_s}});
        QCOMPARE(changed.status, 200);
        const QJsonObject after = changed.json.value(L1("room")).toObject();
        QCOMPARE(after.value(L1("title")).toString(), u"The Club ☕"_s);
        QCOMPARE(after.value(L1("topic")).toString(), u"Members only"_s);
        QCOMPARE(after.value(L1("archived")).toBool(), true);
        for (WsClient *session : {alice.get(), bob.get(), carl.get()}) {
            const auto heard = session->waitForEvent(EventType::RoomUpdated);
            QVERIFY(heard);
            const RoomResult told = payloadOf<RoomResult>(heard->data);
            QCOMPARE(told.by, u"root"_s);
            QCOMPARE(told.room.topic, u"Members only"_s);
            QVERIFY(told.room.archived);
        }
        QCOMPARE(carl->request(Request::send({}, {u"club"_s, u"x"_s, u"c1"_s})).error->code, ErrorCode::Archived);
        QCOMPARE(admin("GET", u"rooms/club"_s, root).json.value(L1("room")).toObject().value(L1("title")).toString(),
                 u"The Club ☕"_s);
        // As it is already: 200, nothing recorded or told.
        QCOMPARE(admin("PATCH", u"rooms/club"_s, root, QJsonObject{{L1("archived"), true}}).status, 200);

        // Private, then deleted keeping its history: the members hear it and leave it.
        QCOMPARE(admin("PATCH", u"rooms/club"_s, root, QJsonObject{{L1("private"), true}}).status, 200);
        QVERIFY(bob->waitForEvent(EventType::RoomUpdated));
        const HttpResult deleted = admin("DELETE", u"rooms/club"_s, root,
                                         QJsonObject{{L1("keep_history"), true}, {L1("reason"), u"closed"_s}});
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.json, (QJsonObject{{L1("room"), u"club"_s}, {L1("deleted"), true}, {L1("history_kept"), true}}));
        for (WsClient *session : {alice.get(), bob.get(), carl.get()}) {
            const auto told = session->waitForEvent(EventType::RoomDeleted);
            QVERIFY(told);
            QCOMPARE(payloadOf<RoomDeletedEvent>(told->data), (RoomDeletedEvent{u"club"_s, u"root"_s, true, u"closed"_s}));
        }
        checkError(admin("GET", u"rooms/club"_s, root), 404, u"not_found"_s);
        checkError(admin("DELETE", u"rooms/club"_s, root, QJsonObject{{L1("keep_history"), true}}), 404, u"not_found"_s);
        QCOMPARE(alice->request(Request::send({}, {u"club"_s, u"x"_s, u"a1"_s})).error->code, ErrorCode::NotFound);

        // The audit log: one line per setting changed, then the deletion, each under root's name.
        QStringList lines;
        for (const QJsonValue &line : admin("GET", u"audit"_s, root).json.value(L1("audit")).toArray()) {
            const QJsonObject entry = line.toObject();
            if (entry.value(L1("room")).toString() != u"club")
                continue;
            QCOMPARE(entry.value(L1("actor")).toString(), u"root"_s);
            lines.prepend(entry.value(L1("action")).toString() + u' ' + entry.value(L1("reason")).toString() + u' '
                          + entry.value(L1("detail")).toString());
        }
        QCOMPARE(lines, (QStringList{u"set_topic season over topic=Members only"_s,
                                     u"rename_room season over title=The Club ☕"_s,
                                     u"archive_room season over "_s,
                                     u"make_private  "_s,
                                     u"delete_room closed history=kept"_s}));
    }

    /*! Hostile input: bad ids, bad bodies, long paths and names, odd methods; clean JSON errors, and the
     *  server goes on. */
    void hostileInput()
    {
        const QByteArray root = adminToken();
        auto alice = m_server->connectAs(u"alice"_s);
        QVERIFY(alice);
        const QString id = connectionOf(admin("GET", u"connections"_s, root), u"alice"_s).value(L1("id")).toString();
        for (const QString &bad : {u"abc"_s, u"-1"_s, u"0"_s, u"1.5"_s, u"99999999999999999999"_s, u"%20"_s, u"1%00"_s})
            checkError(admin("POST", u"connections/"_s + bad + u"/disconnect"_s, root), 400, u"bad_request"_s);
        checkError(admin("POST", u"connections/424242/disconnect"_s, root), 404, u"not_found"_s);
        // Keys ("<node>:<id>"): this node's own works like its id; a node nobody hears is not found; a key
        // that is not one is refused.
        const QJsonObject alicesEntry = connectionOf(admin("GET", u"connections"_s, root), u"alice"_s);
        const QString self = alicesEntry.value(L1("node")).toString();
        QCOMPARE(alicesEntry.value(L1("key")).toString(), self + u':' + id);
        checkError(admin("POST", u"connections/"_s + self + u":424242/disconnect"_s, root), 404, u"not_found"_s);
        checkError(admin("POST", u"connections/elsewhere:"_s + id + u"/disconnect"_s, root), 404, u"not_found"_s);
        for (const QString &bad : {u"n1:"_s, u":1"_s, u"n1:0"_s, u"n1:abc"_s, u"n%201:1"_s, u"n1:1:1"_s, u"%C3%B1:1"_s,
                                   QString(65, u'n') + u":1"_s})
            checkError(admin("POST", u"connections/"_s + bad + u"/disconnect"_s, root), 400, u"bad_request"_s);
        QVERIFY(alice->isConnected());
        checkError(admin("POST", u"connections/"_s + QString(300, u'9') + u"/disconnect"_s, root), 404,
                   u"not_found"_s);

        auto &http = m_server->http();
        const QString disconnect = u"/api/v1/admin/connections/%1/disconnect"_s.arg(id);
        checkError(http.post(disconnect, "{not json", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(disconnect, "[1,2]", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(disconnect, "reason=x", "application/x-www-form-urlencoded", root), 415,
                   u"bad_request"_s);
        checkError(http.post(disconnect, R"({"reason":42})", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(disconnect, QJsonDocument(QJsonObject{{L1("reason"), QString(500, u'x')}}).toJson(),
                             "application/json", root),
                   400, u"bad_request"_s);
        checkError(http.post(disconnect, R"({"reason":"a\u0000b"})", "application/json", root), 400, u"bad_request"_s);
        // A body over the admin API's limit.
        checkError(http.post(disconnect, QByteArray(64 * 1024, ' '), "application/json", root), 413, u"too_large"_s);
        // Users that are no users.
        checkError(admin("POST", u"users/nobody-here/sign-out-everywhere"_s, root), 404, u"not_found"_s);
        checkError(admin("POST", u"users/a%20b/sign-out-everywhere"_s, root), 404, u"not_found"_s);
        checkError(admin("POST", u"users/"_s + QString(250, u'n') + u"/sign-out-everywhere"_s, root), 404,
                   u"not_found"_s);
        checkError(admin("GET", u"users?limit=0"_s, root), 400, u"bad_request"_s);
        checkError(admin("GET", u"users?limit=lots"_s, root), 400, u"bad_request"_s);
        // A path too long for a request head is refused by the HTTP layer, before the API.
        checkError(admin("GET", u"connections/"_s + QString(70 * 1024, u'a'), root), 431, u"bad_request"_s);

        // Nothing of it touched alice, and the API still answers.
        QVERIFY(alice->isConnected());
        QCOMPARE(admin("GET", u"connections"_s, root).json.value(L1("count")).toInt(), 1);
    }

    /*! createAdministrator (tertulia-server --create-admin): a new account that is an administrator; a taken
     *  name is refused, not promoted, and so are bad names and passwords. */
    void createAdministrator()
    {
        ChatServer &server = m_server->server();
        const QByteArray alice = m_server->login(u"alice"_s).accessToken.toLatin1();
        const auto create = [&](const QString &user, const QString &password) {
            std::optional<std::optional<Protocol::Error>> result;
            server.createAdministrator(user, password, this, [&result](const std::optional<Protocol::Error> &error) {
                result = error;
            });
            // Always answered later, never during the call.
            if (result)
                return std::optional<Protocol::Error>(Protocol::Error{Protocol::ErrorCode::Internal, u"synchronous"_s});
            if (!QTest::qWaitFor([&] { return result.has_value(); }, 10000))
                return std::optional<Protocol::Error>(Protocol::Error{Protocol::ErrorCode::Internal, u"no answer"_s});
            return *result;
        };
        QCOMPARE(create(u"boss"_s, u"long-enough"_s), std::optional<Protocol::Error>());
        QCOMPARE(create(u"Alice"_s, u"long-enough"_s)->code, Protocol::ErrorCode::Conflict);
        QCOMPARE(create(u"two words"_s, u"long-enough"_s)->code, Protocol::ErrorCode::InvalidName);
        QCOMPARE(create(u"carol"_s, u"short"_s)->code, Protocol::ErrorCode::BadRequest);

        const HttpResult login = m_server->http().postJson(
            u"/api/v1/login"_s, {{L1("username"), u"boss"_s}, {L1("password"), u"long-enough"_s}});
        QCOMPARE(login.status, 200);
        QCOMPARE(admin("GET", u"users"_s, login.json.value(L1("access_token")).toString().toLatin1()).status, 200);
        checkError(admin("GET", u"users"_s, alice), 403, u"forbidden"_s);
    }

    /*! POST users/{name}/disable: a disabled account's open sockets close at once (4004), its refresh tokens
        and access tokens are refused, and it cannot sign in (403, said only to whoever knows the password);
        enabled again, it signs in. An administrator cannot disable their own account. Audited. */
    void disableAccount()
    {
        const QByteArray root = adminToken();
        const Protocol::TokenPair laptop = m_server->login(u"alice"_s);
        auto onLaptop = m_server->connectWith(laptop.accessToken);
        auto bob = m_server->connectAs(u"bob"_s);
        QVERIFY(onLaptop && bob);
        // A member of a room, so that the users list (accounts with a login, a membership or a connection)
        // still lists her once her logins are gone.
        QVERIFY(onLaptop->request(Protocol::Request::createRoom({}, {u"alices"_s, false})).isOk());
        const auto disable = [&](const QString &user, bool flag) {
            return admin("POST", u"users/"_s + user + u"/disable"_s, root, QJsonObject{{L1("disabled"), flag}});
        };
        checkError(admin("POST", u"users/alice/disable"_s, root, QJsonObject{{L1("disabled"), u"yes"_s}}), 400,
                   u"bad_request"_s);
        checkError(disable(u"nobody"_s, true), 404, u"not_found"_s);
        checkError(disable(u"root"_s, true), 400, u"bad_request"_s);

        QSignalSpy closed(&onLaptop->socket(), &QWebSocket::disconnected);
        const HttpResult done = disable(u"ALICE"_s, true);
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json.value(L1("user")).toString(), u"alice"_s);
        QCOMPARE(done.json.value(L1("changed")).toBool(), true);
        QCOMPARE(done.json.value(L1("logins_revoked")).toInt(), 1);
        QVERIFY(closed.count() > 0 || closed.wait(10000));
        QCOMPARE(onLaptop->closeCode(), int(Protocol::CloseCode::LoggedOut));
        QVERIFY(bob->isConnected());

        auto &http = m_server->http();
        checkError(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), laptop.refreshToken}}), 401, u"auth_failed"_s);
        QVERIFY(!m_server->connectWith(laptop.accessToken));
        const HttpResult refused = http.postJson(u"/api/v1/login"_s, {{L1("username"), u"alice"_s}, {L1("password"), u"password123"_s}});
        checkError(refused, 403, u"forbidden"_s);
        QVERIFY(refused.json.value(L1("error")).toObject().value(L1("message")).toString().contains(u"disabled"_s));
        // A wrong password learns nothing about it.
        checkError(http.postJson(u"/api/v1/login"_s, {{L1("username"), u"alice"_s}, {L1("password"), u"wrong-password"_s}}),
                   401, u"auth_failed"_s);
        QCOMPARE(disable(u"alice"_s, true).json.value(L1("changed")).toBool(), false);
        bool disabledListed = false;
        for (const QJsonValue &row : admin("GET", u"users"_s, root).json.value(L1("users")).toArray())
            disabledListed |= row.toObject().value(L1("name")).toString() == u"alice" && row.toObject().value(L1("disabled")).toBool();
        QVERIFY(disabledListed);

        QCOMPARE(disable(u"alice"_s, false).status, 200);
        QCOMPARE(http.postJson(u"/api/v1/login"_s, {{L1("username"), u"alice"_s}, {L1("password"), u"password123"_s}}).status, 200);

        const QJsonArray lines = admin("GET", u"audit"_s, root).json.value(L1("audit")).toArray();
        QCOMPARE(lines.size(), 2); // the no-op and the refusals are not recorded
        QCOMPARE(lines.at(0).toObject().value(L1("action")).toString(), u"enable_account"_s);
        QCOMPARE(lines.at(1).toObject().value(L1("action")).toString(), u"disable_account"_s);
        QCOMPARE(lines.at(1).toObject().value(L1("target")).toString(), u"alice"_s);
        QVERIFY(lines.at(1).toObject().value(L1("detail")).toString().contains(u"logins_revoked=1"_s));
    }

    /*! POST users/{name}/password: the administrator sets a new password; the old one stops working, every
        login of the account is revoked (its sockets close), the new one signs in. Audited. */
    void resetPassword()
    {
        const QByteArray root = adminToken();
        const Protocol::TokenPair pair = m_server->login(u"alice"_s);
        auto session = m_server->connectWith(pair.accessToken);
        QVERIFY(session);
        const auto reset = [&](const QString &user, const QJsonObject &body) {
            return admin("POST", u"users/"_s + user + u"/password"_s, root, body);
        };
        checkError(reset(u"alice"_s, {{L1("password"), u"short"_s}}), 400, u"bad_request"_s);
        checkError(reset(u"alice"_s, {{L1("password"), 12345678}}), 400, u"bad_request"_s);
        checkError(reset(u"nobody"_s, {{L1("password"), u"new secret 1"_s}}), 404, u"not_found"_s);

        QSignalSpy closed(&session->socket(), &QWebSocket::disconnected);
        const HttpResult done = reset(u"Alice"_s, {{L1("password"), u"new secret 1"_s}});
        QCOMPARE(done.status, 200);
        QCOMPARE(done.json.value(L1("logins_revoked")).toInt(), 1);
        QVERIFY(closed.count() > 0 || closed.wait(10000));
        QCOMPARE(session->closeCode(), int(Protocol::CloseCode::LoggedOut));
        auto &http = m_server->http();
        checkError(http.postJson(u"/api/v1/login"_s, {{L1("username"), u"alice"_s}, {L1("password"), u"password123"_s}}),
                   401, u"auth_failed"_s);
        QCOMPARE(http.postJson(u"/api/v1/login"_s, {{L1("username"), u"alice"_s}, {L1("password"), u"new secret 1"_s}}).status,
                 200);
        const QJsonObject line = admin("GET", u"audit"_s, root).json.value(L1("audit")).toArray().at(0).toObject();
        QCOMPARE(line.value(L1("action")).toString(), u"reset_password"_s);
        QCOMPARE(line.value(L1("target")).toString(), u"alice"_s);
        QCOMPARE(line.value(L1("actor")).toString(), u"root"_s);
        QVERIFY(!line.value(L1("detail")).toString().contains(u"new secret"_s));
    }

    /*! POST users/{name}/admin: a member promoted opens the admin API on its next request and demoted is
     *  refused on the next; setting what is set answers 200 without a change; the last administrator cannot
     *  be demoted (by itself or by another), whoever it is; every change is logged. */
    void promoteAndDemote()
    {
        const QByteArray root = adminToken();
        QVERIFY(!root.isEmpty());
        const QByteArray alice = m_server->login(u"alice"_s).accessToken.toLatin1();
        const auto setAdmin = [&](const QString &user, bool flag, const QByteArray &token) {
            return admin("POST", u"users/"_s + user + u"/admin"_s, token, QJsonObject{{L1("admin"), flag}});
        };
        checkError(admin("GET", u"users"_s, alice), 403, u"forbidden"_s);

        // The only administrator cannot step down: the server would be left without one.
        const HttpResult alone = setAdmin(u"root"_s, false, root);
        checkError(alone, 409, u"conflict"_s);
        QVERIFY2(alone.json.value(L1("error")).toObject().value(L1("message")).toString().contains(u"last administrator"_s),
                 alone.body.constData());
        QCOMPARE(admin("GET", u"users"_s, root).status, 200);

        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"admin=root from=127\\.0\\.0\\.1 at=\\S+Z action=set-admin "
                                                          "user=alice admin=true changed$"_s));
        const HttpResult promoted = setAdmin(u"ALICE"_s, true, root);
        QCOMPARE(promoted.status, 200);
        QCOMPARE(promoted.json, (QJsonObject{{L1("user"), u"alice"_s}, {L1("admin"), true}, {L1("changed"), true}}));
        // Her token, unchanged, opens the API from her next request on.
        QCOMPARE(admin("GET", u"users"_s, alice).status, 200);
        const HttpResult again = setAdmin(u"alice"_s, true, root);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json, (QJsonObject{{L1("user"), u"alice"_s}, {L1("admin"), true}, {L1("changed"), false}}));
        // The users list says so too.
        bool listed = false;
        for (const QJsonValue &user : admin("GET", u"users"_s, root).json.value(L1("users")).toArray()) {
            if (user.toObject().value(L1("name")).toString() == u"alice"_s)
                listed = user.toObject().value(L1("admin")).toBool();
        }
        QVERIFY(listed);

        // Now root may go, by alice's hand; then alice is the last one, and stays.
        QCOMPARE(setAdmin(u"root"_s, false, alice).status, 200);
        checkError(admin("GET", u"users"_s, root), 403, u"forbidden"_s);
        checkError(setAdmin(u"alice"_s, false, alice), 409, u"conflict"_s);
        QCOMPARE(admin("GET", u"users"_s, alice).status, 200);

        // Back: root promoted, alice demoted, and refused at once.
        QCOMPARE(setAdmin(u"root"_s, true, alice).status, 200);
        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"admin=root .* action=set-admin user=alice admin=false changed$"_s));
        const HttpResult demoted = setAdmin(u"alice"_s, false, root);
        QCOMPARE(demoted.status, 200);
        QCOMPARE(demoted.json, (QJsonObject{{L1("user"), u"alice"_s}, {L1("admin"), false}, {L1("changed"), true}}));
        checkError(admin("GET", u"users"_s, alice), 403, u"forbidden"_s);
        // A member cannot promote anybody, itself included.
        checkError(setAdmin(u"alice"_s, true, alice), 403, u"forbidden"_s);
        QCOMPARE(setAdmin(u"alice"_s, false, root).json.value(L1("changed")), QJsonValue(false));
        checkError(admin("GET", u"users"_s, alice), 403, u"forbidden"_s);
    }

    /*! POST users/{name}/admin with bad input: no such user (deleted ones too), bodies that are not
     *  {"admin": bool}, a body over the limit; nobody changes. */
    void setAdminBadInput()
    {
        const QByteArray root = adminToken();
        const QByteArray bob = m_server->login(u"bob"_s).accessToken.toLatin1();
        auto &http = m_server->http();
        const QString path = u"/api/v1/admin/users/bob/admin"_s;

        checkError(admin("POST", u"users/nobody-here/admin"_s, root, QJsonObject{{L1("admin"), true}}), 404,
                   u"not_found"_s);
        checkError(admin("POST", u"users/a%20b/admin"_s, root, QJsonObject{{L1("admin"), true}}), 404, u"not_found"_s);
        checkError(admin("POST", u"users/"_s + QString(250, u'n') + u"/admin"_s, root, QJsonObject{{L1("admin"), true}}),
                   404, u"not_found"_s);
        checkError(http.post(path, "{not json", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(path, "", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(path, "[true]", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(path, "{}", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(path, R"({"Admin":true})", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(path, R"({"admin":"true"})", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(path, R"({"admin":1})", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(path, R"({"admin":null})", "application/json", root), 400, u"bad_request"_s);
        checkError(http.post(path, "admin=true", "application/x-www-form-urlencoded", root), 415, u"bad_request"_s);
        checkError(http.post(path, QByteArray(64 * 1024, ' '), "application/json", root), 413, u"too_large"_s);
        checkError(admin("GET", u"users/bob/admin"_s, root), 405, u"bad_request"_s);
        QCOMPARE(admin("GET", u"users"_s, bob).status, 403); // still a member

        // A deleted account is no account.
        QCOMPARE(http.postJson(u"/api/v1/account/delete"_s, {{L1("password"), u"password123"_s}}, bob).status, 200);
        checkError(admin("POST", u"users/bob/admin"_s, root, QJsonObject{{L1("admin"), true}}), 404, u"not_found"_s);
        QCOMPARE(admin("GET", u"users"_s, root).status, 200);
    }

    /*! A token of an administrator whose login was revoked no longer opens the API. */
    void revokedAdminToken()
    {
        const QByteArray root = adminToken();
        QCOMPARE(admin("GET", u"users"_s, root).status, 200);
        QCOMPARE(admin("POST", u"users/root/sign-out-everywhere"_s, root).status, 200);
        checkError(admin("GET", u"users"_s, root), 401, u"auth_failed"_s);
    }

private:
    std::unique_ptr<TestServer> m_server;
};

TERTULIA_SERVER_TEST_MAIN(TestAdminApi)
#include "tst_adminapi.moc"
