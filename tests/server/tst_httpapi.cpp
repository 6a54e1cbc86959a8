// The HTTP API on a real in-process server: accounts, tokens, health, metrics, and every refusal.
#include "support/printers.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QDateTime>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;
using L1 = QLatin1StringView;

namespace {
QJsonObject credentials(const QString &user, const QString &password)
{
    return {{L1("username"), user}, {L1("password"), password}};
}

/// Sends raw bytes on a fresh TCP connection and returns everything the server answers until it closes.
QByteArray rawExchange(quint16 port, const QByteArray &bytes, int timeoutMs = 10000)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(bytes);
    QByteArray answer;
    QDeadlineTimer deadline(timeoutMs);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        QSignalSpy spy(&socket, &QTcpSocket::readyRead);
        spy.wait(100);
        answer += socket.readAll();
    }
    return answer + socket.readAll();
}
} // namespace

class TestHttpApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { m_server = std::make_unique<TestServer>(); }
    void cleanup() { m_server.reset(); }

    /*! Register: 201, then the name (in any case) is taken. */
    void registerUser()
    {
        auto &http = m_server->http();
        const HttpResult created = http.postJson(u"/api/v1/register"_s, credentials(u"alice"_s, u"password123"_s));
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json.value(u"username").toString(), u"alice"_s);
        const HttpResult taken = http.postJson(u"/api/v1/register"_s, credentials(u"ALICE"_s, u"password123"_s));
        QCOMPARE(taken.status, 409);
        QCOMPARE(taken.errorCode(), u"conflict"_s);
        QVERIFY(!taken.json.value(u"error").toObject().value(u"message").toString().isEmpty());
    }

    void registerRefused_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("invalid name") << QByteArray(R"({"username":"a b","password":"password123"})")
                                      << QByteArray("application/json") << 400 << u"invalid_name"_s;
        QTest::newRow("short name") << QByteArray(R"({"username":"ab","password":"password123"})")
                                    << QByteArray("application/json") << 400 << u"invalid_name"_s;
        QTest::newRow("short password") << QByteArray(R"({"username":"bob","password":"1234567"})")
                                        << QByteArray("application/json") << 400 << u"bad_request"_s;
        QTest::newRow("password not string") << QByteArray(R"({"username":"bob","password":12345678})")
                                             << QByteArray("application/json") << 400 << u"bad_request"_s;
        QTest::newRow("not json") << QByteArray("username=bob") << QByteArray("application/json") << 400
                                  << u"bad_request"_s;
        QTest::newRow("json array") << QByteArray("[]") << QByteArray("application/json") << 400 << u"bad_request"_s;
        QTest::newRow("form encoded") << QByteArray("username=bob&password=password123")
                                      << QByteArray("application/x-www-form-urlencoded") << 415 << u"bad_request"_s;
    }
    /*! Bad registrations get a status and a JSON error naming the problem. */
    void registerRefused()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, code);
        const HttpResult result = m_server->http().post(u"/api/v1/register"_s, body, contentType);
        QCOMPARE(result.status, status);
        QCOMPARE(result.errorCode(), code);
    }

    /*! A server with registration closed answers 403. */
    void registrationClosed()
    {
        ServerConfig config = TestServer::testConfig();
        config.registration = RegistrationPolicy::Closed;
        TestServer closed(config);
        const HttpResult result = closed.http().postJson(u"/api/v1/register"_s, credentials(u"alice"_s, u"password123"_s));
        QCOMPARE(result.status, 403);
        QCOMPARE(result.errorCode(), u"registration_closed"_s);
    }

    /*! Login gives a pair; wrong password and unknown user get the same 401 body. */
    void login()
    {
        auto &http = m_server->http();
        QCOMPARE(http.postJson(u"/api/v1/register"_s, credentials(u"alice"_s, u"password123"_s)).status, 201);
        const HttpResult ok = http.postJson(u"/api/v1/login"_s, credentials(u"Alice"_s, u"password123"_s));
        QCOMPARE(ok.status, 200);
        QVERIFY(ok.json.value(u"access_token").toString().count(u'.') == 2);
        QVERIFY(ok.json.value(u"refresh_token").toString().count(u'.') == 2);
        QCOMPARE(ok.json.value(u"expires_in").toInt(), 900);

        const HttpResult wrong = http.postJson(u"/api/v1/login"_s, credentials(u"alice"_s, u"password124"_s));
        const HttpResult unknown = http.postJson(u"/api/v1/login"_s, credentials(u"nobody"_s, u"password123"_s));
        QCOMPARE(wrong.status, 401);
        QCOMPARE(unknown.status, 401);
        QCOMPARE(wrong.body, unknown.body);
        QCOMPARE(wrong.errorCode(), u"auth_failed"_s);
    }

    /*! Refresh rotates; the old refresh token stops working and its reuse revokes the whole login. */
    void refreshRotationAndReuse()
    {
        auto &http = m_server->http();
        const Protocol::TokenPair first = m_server->login(u"alice"_s);
        const HttpResult second = http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), first.refreshToken}});
        QCOMPARE(second.status, 200);
        const QString secondRefresh = second.json.value(u"refresh_token").toString();
        const QString secondAccess = second.json.value(u"access_token").toString();
        QVERIFY(secondRefresh != first.refreshToken);

        // A session on the rotated login, to see it closed when the login is revoked.
        WsClient client;
        QVERIFY(client.openAndAuth(m_server->url(), secondAccess));

        const HttpResult reuse = http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), first.refreshToken}});
        QCOMPARE(reuse.status, 401);
        QCOMPARE(reuse.errorCode(), u"auth_failed"_s);
        // The whole login is gone: the newest refresh token too, and its open socket.
        QCOMPARE(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), secondRefresh}}).status, 401);
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(client.closeCode(), int(Protocol::CloseCode::LoggedOut));
        WsClient again;
        QVERIFY(again.open(m_server->url()));
        QCOMPARE(again.request(Protocol::Request::auth(u"1"_s, secondAccess)).error->code, Protocol::ErrorCode::AuthFailed);
    }

    void refreshRefused()
    {
        auto &http = m_server->http();
        const Protocol::TokenPair pair = m_server->login(u"alice"_s);
        // An access token is not a refresh token.
        QCOMPARE(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), pair.accessToken}}).status, 401);
        QCOMPARE(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), u"garbage"_s}}).status, 401);
        QCOMPARE(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), 5}}).status, 400);
    }

    /*! Logout revokes the login and closes its sockets; other logins of the user live on. */
    void logout()
    {
        auto &http = m_server->http();
        const Protocol::TokenPair phone = m_server->login(u"alice"_s);
        const Protocol::TokenPair laptop = m_server->login(u"alice"_s);
        WsClient phoneSocket, laptopSocket;
        QVERIFY(phoneSocket.openAndAuth(m_server->url(), phone.accessToken));
        QVERIFY(laptopSocket.openAndAuth(m_server->url(), laptop.accessToken));

        QCOMPARE(http.postJson(u"/api/v1/logout"_s, {}, phone.accessToken.toLatin1()).status, 200);
        QVERIFY(phoneSocket.waitForDisconnected());
        QCOMPARE(phoneSocket.closeCode(), int(Protocol::CloseCode::LoggedOut));
        QCOMPARE(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), phone.refreshToken}}).status, 401);
        QVERIFY(laptopSocket.isConnected());
        QVERIFY(laptopSocket.request(Protocol::Request::ping(u"p"_s)).isOk());

        QCOMPARE(http.postJson(u"/api/v1/logout"_s, {}).status, 401);
        QCOMPARE(http.postJson(u"/api/v1/logout"_s, {}, "not.a.token").status, 401);
    }

    /*! The HTTP API refuses tokens the server signed but must not honour (nbf ahead, a user that does not
        exist, a login never made or another user's), for access tokens (logout) and refresh tokens alike;
        the same tokens made right are honoured. */
    void signedButNotHonoured()
    {
        auto &http = m_server->http();
        const Protocol::TokenPair alice = m_server->login(u"alice"_s);
        const QString bobLogin = TestServer::loginOf(m_server->login(u"bob"_s).accessToken);
        const QString aliceLogin = TestServer::loginOf(alice.accessToken);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        auto logout = [&](const QJsonObject &claims) {
            return http.postJson(u"/api/v1/logout"_s, {}, m_server->signToken(claims).toLatin1());
        };
        QJsonObject notYet = TestServer::accessClaims(u"alice"_s, aliceLogin);
        notYet.insert(u"nbf"_s, now + 300);
        QCOMPARE(logout(notYet).status, 401);
        QCOMPARE(logout(TestServer::accessClaims(u"ghost"_s, aliceLogin)).status, 401);
        QCOMPARE(logout(TestServer::accessClaims(u"alice"_s, u"never-made"_s)).status, 401);
        QCOMPARE(logout(TestServer::accessClaims(u"alice"_s, bobLogin)).status, 401);

        // A refresh token of alice's login, but for a user that does not exist; then the real one works.
        QJsonObject refresh = TestServer::claimsOf(alice.refreshToken);
        refresh.insert(u"sub"_s, u"ghost"_s);
        const HttpResult ghost = http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), m_server->signToken(refresh)}});
        QCOMPARE(ghost.status, 401);
        QCOMPARE(ghost.errorCode(), u"auth_failed"_s);
        QCOMPARE(http.postJson(u"/api/v1/refresh"_s, {{L1("refresh_token"), alice.refreshToken}}).status, 200);

        // The control: the same forging, nothing wrong, is honoured (and logs alice's login out).
        QCOMPARE(logout(TestServer::accessClaims(u"alice"_s, aliceLogin)).status, 200);
        QCOMPARE(logout(TestServer::accessClaims(u"alice"_s, aliceLogin)).status, 401);
    }

    void healthAndMetrics()
    {
        const HttpResult health = m_server->http().get(u"/healthz"_s);
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json.value(u"status").toString(), u"ok"_s);
        QVERIFY(!health.json.value(u"version").toString().isEmpty());
        QVERIFY(health.json.contains(u"uptime_s"));

        m_server->login(u"alice"_s);
        m_server->http().postJson(u"/api/v1/login"_s, credentials(u"alice"_s, u"wrong-password"_s));
        const HttpResult metrics = m_server->http().get(u"/metrics"_s);
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.header("content-type").startsWith("text/plain"));
        for (const char *name : {"tertulia_connections_active", "tertulia_users_authenticated", "tertulia_rooms",
                                 "tertulia_messages_received_total", "tertulia_messages_delivered_total",
                                 "tertulia_delivery_latency_seconds_bucket", "tertulia_ping_rtt_seconds_count",
                                 "tertulia_resumes_total", "tertulia_rate_limited_total",
                                 "tertulia_slow_consumer_closes_total"}) {
            QVERIFY2(metrics.body.contains(name), name);
        }
        QVERIFY(metrics.body.contains("tertulia_auth_failures_total 1\n"));
    }

    void unknownPathsAndMethods()
    {
        const HttpResult missing = m_server->http().get(u"/nope"_s);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.errorCode(), u"not_found"_s);
        const HttpResult method = m_server->http().get(u"/api/v1/login"_s);
        QCOMPARE(method.status, 405);
        QCOMPARE(method.errorCode(), u"bad_request"_s);
    }

    /*! /ws exists (for WebSocket upgrades only): another method is 405 with Allow: GET, a plain GET is 426
        naming the upgrade it needs; both with the JSON error body, neither 404. */
    void webSocketPathWithoutUpgrade()
    {
        const HttpResult posted = m_server->http().post(u"/ws"_s, "{}", "application/json");
        QCOMPARE(posted.status, 405);
        QCOMPARE(posted.errorCode(), u"bad_request"_s);
        QCOMPARE(posted.header("allow"), QByteArray("GET"));
        const HttpResult plain = m_server->http().get(u"/ws"_s);
        QCOMPARE(plain.status, 426);
        QCOMPARE(plain.errorCode(), u"bad_request"_s);
        QCOMPARE(plain.header("upgrade").toLower(), QByteArray("websocket"));
    }

    /*! Too many password attempts from one address: 429 with Retry-After. */
    void rateLimit()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.httpAuthBurst = 3;
        config.limits.httpAuthPerSecond = 0.01;
        TestServer limited(config);
        int refused = 0;
        HttpResult last;
        for (int i = 0; i < 6; ++i) {
            // A name each: what counts here is the address, not the per-account throttle (tst_accounts).
            last = limited.http().postJson(u"/api/v1/login"_s, credentials(u"alice%1"_s.arg(i), u"password123"_s));
            refused += last.status == 429;
        }
        QCOMPARE(refused, 3);
        QCOMPARE(last.errorCode(), u"rate_limited"_s);
        QVERIFY(last.header("retry-after").toInt() > 0);
    }

    void bodyTooLarge()
    {
        const QByteArray body = "{\"username\":\"" + QByteArray(70000, 'a') + "\"}";
        const HttpResult result = m_server->http().post(u"/api/v1/register"_s, body, "application/json");
        QCOMPARE(result.status, 413);
        QCOMPARE(result.errorCode(), u"too_large"_s);
    }

    /*! Garbage on the socket gets 400 with a JSON body and the connection closes. */
    void malformedRequest()
    {
        const QByteArray answer = rawExchange(m_server->server().port(), "HELLO THERE\r\n\r\n");
        QVERIFY2(answer.startsWith("HTTP/1.1 400 "), answer.constData());
        QVERIFY(answer.contains("\"error\""));
        const QByteArray chunked = rawExchange(m_server->server().port(),
                                               "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        QVERIFY2(chunked.startsWith("HTTP/1.1 501 "), chunked.constData());
    }

    /*! Two requests on one connection (keep-alive), the second pipelined behind the first. */
    void keepAlive()
    {
        const QByteArray request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
        const QByteArray answer = rawExchange(m_server->server().port(),
                                              request + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QCOMPARE(answer.count("HTTP/1.1 200 OK"), 2);
    }

    /*! A head that never finishes is cut off by the handshake deadline. */
    void slowHead()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.handshakeTimeoutMs = 300;
        TestServer quick(config);
        const QByteArray answer = rawExchange(quick.server().port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n", 5000);
        QVERIFY2(answer.startsWith("HTTP/1.1 408 "), answer.constData());
        // A connection that sends nothing is closed too.
        QTcpSocket idle;
        idle.connectToHost(QHostAddress::LocalHost, quick.server().port());
        QVERIFY(idle.waitForConnected(5000));
        QSignalSpy closed(&idle, &QTcpSocket::disconnected);
        QVERIFY(closed.wait(5000));
    }

private:
    std::unique_ptr<TestServer> m_server;
};

TERTULIA_SERVER_TEST_MAIN(TestHttpApi)
#include "tst_httpapi.moc"
