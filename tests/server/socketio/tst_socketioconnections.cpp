// Socket.IO connections against the server's TCP connection caps: a real ChatServer on 127.0.0.1:0 with a
// small maxConnections, real sockets that open and go away in every way a client can go (close
// handshake, RST, polling sessions that time out, polling upgraded to WebSocket), and /metrics.
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/rawhttpexchange.h"
#include "support/wsclient.h"
#include "support/wspeer.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using Testing::RawHttpExchange;
using Testing::WsPeer;
using Test::TestServer;

namespace {
constexpr int kLimit = 5;
/// More cycles than the cap, twice over: a connection that is never released shows as a 503.
constexpr int kCycles = 2 * kLimit + 2;
} // namespace

class TestSocketIoConnections : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    quint16 port() const { return m_server->server().port(); }
    QUrl wsUrl(const QString &query) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1/socket.io/?%2").arg(port()).arg(query));
    }

    /// One gauge of /metrics, read on a connection of its own (-1 if the request fails).
    double gauge(const QByteArray &name)
    {
        RawHttpExchange exchange(port(), "GET", "/metrics");
        if (!exchange.waitForFinished() || exchange.status() != 200)
            return -1;
        for (const QByteArray &line : exchange.body().split('\n')) {
            if (line.startsWith(name + ' '))
                return line.sliced(name.size() + 1).toDouble();
        }
        return -1;
    }
    /// TCP connections the server counts against maxConnections, besides the one that asks.
    double otherConnections() { return gauge("tertulia_tcp_connections_open") - 1; }

    /// Opens a polling session with a plain HTTP handshake; returns its sid.
    QString pollingHandshake()
    {
        RawHttpExchange exchange(port(), "GET", "/socket.io/?EIO=4&transport=polling");
        if (!exchange.waitForFinished() || exchange.status() != 200)
            return {};
        return QJsonDocument::fromJson(exchange.body().sliced(1)).object().value(u"sid"_s).toString();
    }

    /// An access token for `user`, through raw requests (the test server's HTTP client would keep
    /// connections open, and they count).
    QString token(const QString &user)
    {
        const QByteArray credentials = QJsonDocument(QJsonObject{{u"username"_s, user}, {u"password"_s, u"password123"_s}})
                                           .toJson(QJsonDocument::Compact);
        const RawHttpExchange::Headers json{{"Content-Type", "application/json"}};
        RawHttpExchange registered(port(), "POST", "/api/v1/register", credentials, json);
        if (!registered.waitForFinished())
            return {};
        RawHttpExchange login(port(), "POST", "/api/v1/login", credentials, json);
        if (!login.waitForFinished() || login.status() != 200)
            return {};
        return QJsonDocument::fromJson(login.body()).object().value(u"access_token"_s).toString();
    }

    /// Ends a WebSocket the way `how` says: "close" (close handshake) or "abort" (RST).
    static void drop(WsPeer &peer, const QString &how)
    {
        if (how == u"abort") {
            peer.socket().abort();
        } else {
            peer.socket().close();
            QVERIFY(peer.waitClosed());
        }
    }

private Q_SLOTS:
    void init()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.maxConnections = kLimit;
        m_server = std::make_unique<TestServer>(config);
    }
    void cleanup() { m_server.reset(); }

    /*! WebSocket-only Engine.IO sessions give their TCP connection back however they end. */
    void websocketOnly_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("close handshake") << u"close"_s;
        QTest::newRow("reset") << u"abort"_s;
    }
    void websocketOnly()
    {
        QFETCH(QString, how);
        for (int i = 0; i < kCycles; ++i) {
            WsPeer peer(wsUrl(u"EIO=4&transport=websocket"_s));
            QVERIFY2(peer.next().startsWith(u"0{"), qPrintable(QStringLiteral("cycle %1").arg(i)));
            QCOMPARE(otherConnections(), 1.0);
            drop(peer, how);
            QTRY_COMPARE(otherConnections(), 0.0);
        }
        QTRY_COMPARE(gauge("tertulia_connections_active"), 0.0);
    }

    /*! Polling sessions upgraded to WebSocket release both their HTTP and WebSocket connections. */
    void upgraded_data() { websocketOnly_data(); }
    void upgraded()
    {
        QFETCH(QString, how);
        for (int i = 0; i < kCycles; ++i) {
            const QString sid = pollingHandshake();
            QVERIFY2(!sid.isEmpty(), qPrintable(QStringLiteral("cycle %1").arg(i)));
            WsPeer peer(wsUrl(u"EIO=4&transport=websocket&sid="_s + sid));
            QVERIFY(peer.waitConnected());
            peer.send(u"2probe"_s);
            QCOMPARE(peer.next(), u"3probe"_s);
            peer.send(u"5"_s);
            QTRY_COMPARE(otherConnections(), 1.0); // the handshake's HTTP connection is gone, the WebSocket stays
            drop(peer, how);
            QTRY_COMPARE(otherConnections(), 0.0);
        }
    }

    /*! Polling sessions whose client goes away end by ping timeout and give their places back (the
        Engine.IO session cap is maxConnections too): two rounds of a full server. */
    void pollingTimesOut()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.maxConnections = kLimit;
        // Every session of a round must still be open when the last is made (so the cap is really full):
        // 6 s leaves room for a loaded CI machine; the round then waits that long for them to time out.
        config.limits.pingIntervalMs = 3000;
        config.limits.idleTimeoutMs = 6000; // pingTimeout: 3 s
        m_server = std::make_unique<TestServer>(config);
        const QString accessToken = token(u"alice"_s);
        QVERIFY(!accessToken.isEmpty());
        const QByteArray connect = "40" + QJsonDocument(QJsonObject{{u"token"_s, accessToken}}).toJson(QJsonDocument::Compact);
        for (int round = 0; round < 2; ++round) {
            for (int i = 0; i < kLimit; ++i) {
                const QString sid = pollingHandshake();
                QVERIFY2(!sid.isEmpty(), qPrintable(QStringLiteral("round %1, session %2").arg(round).arg(i)));
                RawHttpExchange post(port(), "POST", "/socket.io/?EIO=4&transport=polling&sid=" + sid.toLatin1(),
                                     connect, {{"Content-Type", "text/plain;charset=UTF-8"}});
                QVERIFY(post.waitForFinished());
                QCOMPARE(post.status(), 200);
                RawHttpExchange poll(port(), "GET", "/socket.io/?EIO=4&transport=polling&sid=" + sid.toLatin1());
                QVERIFY(poll.waitForFinished());
                QVERIFY2(poll.body().startsWith("40{"), poll.body().constData());
                // The next requests may only come once these are counted out (or the cap refuses them).
                post.abort();
                poll.abort();
                QTRY_COMPARE(otherConnections(), 0.0);
            }
            QCOMPARE(gauge("tertulia_connections_active"), double(kLimit));
            QTRY_COMPARE_WITH_TIMEOUT(gauge("tertulia_connections_active"), 0.0, 20000);
            QCOMPARE(otherConnections(), 0.0);
        }
    }

    /*! The same cause hit the native endpoint on its portable path (fastPath off, or TLS), when it ran on
        QWebSocket; it runs on WebSocket::Connection now, whose socket carries the count until it goes. */
    void nativePortablePath_data() { websocketOnly_data(); }
    void nativePortablePath()
    {
        QFETCH(QString, how);
        ServerConfig config = TestServer::testConfig();
        config.limits.maxConnections = kLimit;
        config.fastPath = false;
        m_server = std::make_unique<TestServer>(config);
        for (int i = 0; i < kCycles; ++i) {
            Test::WsClient client;
            QVERIFY2(client.open(m_server->url()), qPrintable(QStringLiteral("cycle %1").arg(i)));
            QCOMPARE(otherConnections(), 1.0);
            if (how == u"abort") {
                client.socket().abort();
            } else {
                client.socket().close();
                QTRY_COMPARE(client.socket().state(), QAbstractSocket::UnconnectedState);
            }
            QTRY_COMPARE(otherConnections(), 0.0);
        }
    }

    /*! After the cycles, a client is still served: nothing is answered 503. */
    void stillServed()
    {
        for (int i = 0; i < kCycles; ++i) {
            WsPeer peer(wsUrl(u"EIO=4&transport=websocket"_s));
            QVERIFY(peer.next().startsWith(u"0{"));
            peer.socket().abort();
        }
        // Each attempt of the loop below is itself a connection: the cap allows it only once the dropped ones
        // are released.
        QTRY_VERIFY_WITH_TIMEOUT(WsPeer(wsUrl(u"EIO=4&transport=websocket"_s)).next(1000).startsWith(u"0{"), 10000);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestSocketIoConnections)
#include "tst_socketioconnections.moc"
