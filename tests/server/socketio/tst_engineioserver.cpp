// Engine.IO v4 and Socket.IO v5 at the protocol level: raw HTTP requests (each on its own connection,
// so polls can overlap) and raw WebSocket frames against the conformance endpoints on 127.0.0.1:0.
#include "server/socketio/engineioserver.h"
#include "server/socketio/engineiosocket.h"
#include "server/socketio/socketioserver.h"
#include "server/socketio/socketiosocket.h"
#include "support/conformanceendpoints.h"
#include "support/rawhttpexchange.h"
#include "support/testhttpserver.h"
#include "support/wspeer.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using Testing::RawHttpExchange;
using Testing::WsPeer;

Q_DECLARE_METATYPE(Tertulia::EngineIo::Socket::CloseReason)

namespace {
QJsonObject openPacket(const QByteArray &body)
{
    return QJsonDocument::fromJson(body.sliced(1)).object();
}
} // namespace

class TestEngineIoServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Testing::TestHttpServer> m_http;
    std::unique_ptr<Testing::ConformanceEndpoints> m_endpoints;
    QList<QPointer<EngineIo::Socket>> m_sessions;

    /// Relaxed heartbeat unless a test needs the suites' fast one.
    static EngineIo::ServerOptions relaxed()
    {
        EngineIo::ServerOptions options = Testing::ConformanceEndpoints::suiteOptions();
        options.pingIntervalMs = 10000;
        options.pingTimeoutMs = 10000;
        options.maxPayload = 1000;
        return options;
    }

    void start(const EngineIo::ServerOptions &options = relaxed(), int connectTimeoutMs = 5000)
    {
        m_endpoints.reset();
        m_http = std::make_unique<Testing::TestHttpServer>();
        m_endpoints = std::make_unique<Testing::ConformanceEndpoints>(m_http->router(), options,
                                                                      SocketIo::ServerOptions{connectTimeoutMs, 10});
        m_sessions.clear();
        for (EngineIo::Server *server : {&m_endpoints->echo(), &m_endpoints->engine()}) {
            connect(server, &EngineIo::Server::connection, this,
                    [this](EngineIo::Socket *socket) { m_sessions.append(socket); });
        }
        QVERIFY(m_http->listen());
    }

    quint16 port() const { return m_http->port(); }
    QUrl wsUrl(const QString &pathAndQuery) const
    {
        return QUrl(QStringLiteral("ws://127.0.0.1:%1%2").arg(port()).arg(pathAndQuery));
    }
    static QByteArray poll(const QString &sid, const QByteArray &path = "/engine.io/")
    {
        return path + "?EIO=4&transport=polling&sid=" + sid.toLatin1();
    }

    /// Opens a polling session; returns its sid.
    QString handshake(const QByteArray &path = "/engine.io/")
    {
        RawHttpExchange exchange(port(), "GET", path + "?EIO=4&transport=polling");
        if (!exchange.waitForFinished() || exchange.status() != 200)
            return {};
        return openPacket(exchange.body()).value(u"sid"_s).toString();
    }

private Q_SLOTS:
    void init() { start(); }
    void cleanup()
    {
        m_endpoints.reset();
        m_http.reset();
    }

    /*! The polling handshake answers with the open packet: sid, upgrades, heartbeat, maxPayload. */
    void handshakePolling()
    {
        RawHttpExchange exchange(port(), "GET", "/engine.io/?EIO=4&transport=polling&t=N1");
        QVERIFY(exchange.waitForFinished());
        QCOMPARE(exchange.status(), 200);
        QVERIFY(exchange.header("content-type").startsWith("text/plain"));
        QCOMPARE(exchange.body().at(0), '0');
        const QJsonObject open = openPacket(exchange.body());
        QCOMPARE(open.keys(), (QStringList{u"maxPayload"_s, u"pingInterval"_s, u"pingTimeout"_s, u"sid"_s, u"upgrades"_s}));
        QCOMPARE(open.value(u"upgrades"_s).toArray(), QJsonArray{u"websocket"_s});
        QCOMPARE(open.value(u"pingInterval"_s).toInt(), 10000);
        QCOMPARE(open.value(u"maxPayload"_s).toInt(), 1000);
        QVERIFY(open.value(u"sid"_s).toString().size() >= 20);
        QCOMPARE(m_endpoints->echo().sessionCount(), 1);
    }

    /*! Rainy day: the reference server's 400 answers with their codes and messages. */
    void requestErrors_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("no EIO") << QByteArray("GET") << QByteArray("/engine.io/?transport=polling") << 5 << u"Unsupported protocol version"_s;
        QTest::newRow("EIO=3") << QByteArray("GET") << QByteArray("/engine.io/?EIO=3&transport=polling") << 5 << u"Unsupported protocol version"_s;
        QTest::newRow("EIO=abc") << QByteArray("GET") << QByteArray("/engine.io/?EIO=abc&transport=polling") << 5 << u"Unsupported protocol version"_s;
        QTest::newRow("no transport") << QByteArray("GET") << QByteArray("/engine.io/?EIO=4") << 0 << u"Transport unknown"_s;
        QTest::newRow("bad transport") << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=abc") << 0 << u"Transport unknown"_s;
        QTest::newRow("POST handshake") << QByteArray("POST") << QByteArray("/engine.io/?EIO=4&transport=polling") << 2 << u"Bad handshake method"_s;
        QTest::newRow("PUT handshake") << QByteArray("PUT") << QByteArray("/engine.io/?EIO=4&transport=polling") << 2 << u"Bad handshake method"_s;
        QTest::newRow("unknown sid") << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=polling&sid=nope") << 1 << u"Session ID unknown"_s;
        QTest::newRow("unknown sid POST") << QByteArray("POST") << QByteArray("/engine.io/?EIO=4&transport=polling&sid=nope") << 1 << u"Session ID unknown"_s;
        QTest::newRow("websocket without upgrade") << QByteArray("GET") << QByteArray("/engine.io/?EIO=4&transport=websocket") << 3 << u"Bad request"_s;
    }
    void requestErrors()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(int, code);
        QFETCH(QString, message);
        RawHttpExchange exchange(port(), method, target);
        QVERIFY(exchange.waitForFinished());
        QCOMPARE(exchange.status(), 400);
        QCOMPARE(exchange.header("content-type"), QByteArray("application/json"));
        const QJsonObject body = QJsonDocument::fromJson(exchange.body()).object();
        QCOMPARE(body.value(u"code"_s).toInt(), code);
        QCOMPARE(body.value(u"message"_s).toString(), message);
        QCOMPARE(m_endpoints->echo().sessionCount(), 0);
    }

    /*! A session's sid with a wrong EIO is a bad request (not a new session). */
    void wrongVersionForSession()
    {
        const QString sid = handshake();
        RawHttpExchange exchange(port(), "GET", "/engine.io/?EIO=3&transport=polling&sid=" + sid.toLatin1());
        QVERIFY(exchange.waitForFinished());
        QCOMPARE(exchange.status(), 400);
        QCOMPARE(QJsonDocument::fromJson(exchange.body()).object().value(u"code"_s).toInt(), 3);
    }

    /*! POSTed packets (text and base64 binary) come back, in one payload, on the next poll. */
    void pollingEcho()
    {
        const QString sid = handshake();
        RawHttpExchange push(port(), "POST", poll(sid), QByteArray("4hello\x1e" "bAQIDBA==\x1e" "4¡olé!"),
                             {{"Content-Type", "text/plain;charset=UTF-8"}});
        QVERIFY(push.waitForFinished());
        QCOMPARE(push.status(), 200);
        QCOMPARE(push.body(), QByteArray("ok"));
        RawHttpExchange pull(port(), "GET", poll(sid));
        QVERIFY(pull.waitForFinished());
        QCOMPARE(pull.status(), 200);
        QCOMPARE(pull.body(), QByteArray("4hello\x1e" "bAQIDBA==\x1e" "4¡olé!"));
        QCOMPARE(pull.header("cache-control"), QByteArray("no-store"));
    }

    /*! A long poll waits until there is something to send. */
    void longPollWaits()
    {
        const QString sid = handshake();
        RawHttpExchange pull(port(), "GET", poll(sid));
        QVERIFY(!pull.waitForFinished(300));
        RawHttpExchange push(port(), "POST", poll(sid), "4late");
        QVERIFY(push.waitForFinished());
        QVERIFY(pull.waitForFinished());
        QCOMPARE(pull.body(), QByteArray("4late"));
    }

    /*! Two GETs at once: the second is refused, the first gets the close packet, the session is gone. */
    void concurrentPollsCloseSession()
    {
        const QString sid = handshake();
        RawHttpExchange first(port(), "GET", poll(sid));
        QVERIFY(!first.waitForFinished(200));
        RawHttpExchange second(port(), "GET", poll(sid) + "&t=burst");
        QVERIFY(second.waitForFinished());
        QCOMPARE(second.status(), 400);
        QVERIFY(first.waitForFinished());
        QCOMPARE(first.status(), 200);
        QCOMPARE(first.body(), QByteArray("1"));
        RawHttpExchange after(port(), "GET", poll(sid));
        QVERIFY(after.waitForFinished());
        QCOMPARE(after.status(), 400);
        QCOMPARE(QJsonDocument::fromJson(after.body()).object().value(u"code"_s).toInt(), 1);
    }

    void serverCloseOverPolling_data()
    {
        QTest::addColumn<bool>("pollPending");
        QTest::newRow("poll pending") << true;
        QTest::newRow("no poll pending") << false;
    }
    /*! A server close over polling delivers what is queued, and the close packet with the next poll, never
        in the same payload (the official client handles the Socket.IO packets a tick later, so a close
        packet beside them would end the connection before they are seen); then the sid is gone. */
    void serverCloseOverPolling()
    {
        QFETCH(bool, pollPending);
        const QString sid = handshake();
        std::unique_ptr<RawHttpExchange> first;
        if (pollPending) {
            first = std::make_unique<RawHttpExchange>(port(), "GET", poll(sid));
            QVERIFY(!first->waitForFinished(100));
        }
        m_sessions.first()->send(u"bye"_s);
        m_sessions.first()->close();
        if (!pollPending)
            first = std::make_unique<RawHttpExchange>(port(), "GET", poll(sid));
        QVERIFY(first->waitForFinished());
        QCOMPARE(first->body(), QByteArray("4bye"));
        RawHttpExchange second(port(), "GET", poll(sid));
        QVERIFY(second.waitForFinished());
        QCOMPARE(second.body(), QByteArray("1"));
        RawHttpExchange third(port(), "GET", poll(sid));
        QVERIFY(third.waitForFinished());
        QCOMPARE(third.status(), 400);
    }

    /*! The client's close packet ends its pending poll with a noop and ends the session. */
    void clientClose()
    {
        const QString sid = handshake();
        QCOMPARE(m_sessions.size(), 1);
        QSignalSpy closed(m_sessions.first().data(), &EngineIo::Socket::closed);
        RawHttpExchange pull(port(), "GET", poll(sid));
        QVERIFY(!pull.waitForFinished(200));
        RawHttpExchange push(port(), "POST", poll(sid), "1");
        QVERIFY(push.waitForFinished());
        QVERIFY(pull.waitForFinished());
        QCOMPARE(pull.body(), QByteArray("6"));
        QCOMPARE(closed.size(), 1);
        QCOMPARE(closed.first().first().value<EngineIo::Socket::CloseReason>(), EngineIo::Socket::CloseReason::ClientClose);
        RawHttpExchange after(port(), "GET", poll(sid));
        QVERIFY(after.waitForFinished());
        QCOMPARE(after.status(), 400);
    }

    /*! Malformed payloads are refused with 400 and close the session. */
    void malformedPayload_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("letters") << QByteArray("abc");
        QTest::newRow("bad second packet") << QByteArray("4ok\x1ez");
        QTest::newRow("bad base64") << QByteArray("b%%%");
        QTest::newRow("empty") << QByteArray("");
    }
    void malformedPayload()
    {
        QFETCH(QByteArray, body);
        const QString sid = handshake();
        QSignalSpy closed(m_sessions.first().data(), &EngineIo::Socket::closed);
        RawHttpExchange push(port(), "POST", poll(sid), body);
        QVERIFY(push.waitForFinished());
        QCOMPARE(push.status(), 400);
        QCOMPARE(closed.size(), 1);
        QCOMPARE(closed.first().first().value<EngineIo::Socket::CloseReason>(), EngineIo::Socket::CloseReason::ParseError);
        RawHttpExchange after(port(), "GET", poll(sid));
        QVERIFY(after.waitForFinished());
        QCOMPARE(after.status(), 400);
    }

    /*! Protocol v4 carries binary as base64 text: a raw binary body is a broken client. */
    void binaryBodyRefused()
    {
        const QString sid = handshake();
        RawHttpExchange push(port(), "POST", poll(sid), QByteArray("\x04\x01\x02", 3),
                             {{"Content-Type", "application/octet-stream"}});
        QVERIFY(push.waitForFinished());
        QCOMPARE(push.status(), 400);
        QTRY_COMPARE(m_endpoints->echo().sessionCount(), 0);
    }

    /*! A body over maxPayload is refused before it is read (413); the session stays. */
    void payloadTooLarge()
    {
        const QString sid = handshake();
        RawHttpExchange push(port(), "POST", poll(sid), "4" + QByteArray(2000, 'x'));
        QVERIFY(push.waitForFinished());
        QCOMPARE(push.status(), 413);
        RawHttpExchange small(port(), "POST", poll(sid), "4fits");
        QVERIFY(small.waitForFinished());
        QCOMPARE(small.status(), 200);
    }

    /*! A client that drops its pending poll is gone (the reference server ends the session). */
    void droppedPollEndsSession()
    {
        const QString sid = handshake();
        QSignalSpy closed(m_sessions.first().data(), &EngineIo::Socket::closed);
        RawHttpExchange pull(port(), "GET", poll(sid));
        QVERIFY(!pull.waitForFinished(200));
        pull.abort();
        QVERIFY(closed.wait(5000));
        QCOMPARE(closed.first().first().value<EngineIo::Socket::CloseReason>(), EngineIo::Socket::CloseReason::TransportError);
    }

    /*! In v4 the server pings; a client ping is a protocol violation. */
    void clientPingIsRefused()
    {
        const QString sid = handshake();
        QSignalSpy closed(m_sessions.first().data(), &EngineIo::Socket::closed);
        RawHttpExchange push(port(), "POST", poll(sid), "2");
        QVERIFY(push.waitForFinished());
        QCOMPARE(closed.size(), 1);
        QCOMPARE(closed.first().first().value<EngineIo::Socket::CloseReason>(), EngineIo::Socket::CloseReason::TransportError);
    }

    /*! Heartbeat over polling: the poll returns a ping, the pong keeps the session, and RTT is reported. */
    void heartbeatPolling()
    {
        start(Testing::ConformanceEndpoints::suiteOptions());
        const QString sid = handshake();
        QSignalSpy pongs(m_sessions.first().data(), &EngineIo::Socket::pong);
        for (int i = 0; i < 3; ++i) {
            RawHttpExchange pull(port(), "GET", poll(sid));
            QVERIFY(pull.waitForFinished());
            QCOMPARE(pull.body(), QByteArray("2"));
            RawHttpExchange push(port(), "POST", poll(sid), "3");
            QVERIFY(push.waitForFinished());
            QCOMPARE(push.status(), 200);
        }
        QCOMPARE(pongs.size(), 3);
        QVERIFY(m_sessions.first()->isOpen());
    }

    /*! No pong within pingTimeout: the session closes and its sid is unknown. */
    void pingTimeoutPolling()
    {
        start(Testing::ConformanceEndpoints::suiteOptions());
        const QString sid = handshake();
        QSignalSpy closed(m_sessions.first().data(), &EngineIo::Socket::closed);
        QVERIFY(closed.wait(2000));
        QCOMPARE(closed.first().first().value<EngineIo::Socket::CloseReason>(), EngineIo::Socket::CloseReason::PingTimeout);
        RawHttpExchange after(port(), "GET", poll(sid));
        QVERIFY(after.waitForFinished());
        QCOMPARE(after.status(), 400);
    }

    /*! A loaded event loop runs the heartbeat timers late; that must not lengthen a silent client's life
        past the interval + timeout of the open packet (the official suite polls at exactly that moment).
        The server's own thread is stalled on purpose, as a busy machine would stall it. */
    void pingTimeoutOnALateLoop()
    {
        start(Testing::ConformanceEndpoints::suiteOptions()); // ping every 300 ms, 200 ms to answer
        const QString sid = handshake();
        QElapsedTimer stalled;
        stalled.start();
        while (stalled.elapsed() < 550) {
            // busy: no event is processed, so neither heartbeat timer runs on time
        }
        RawHttpExchange late(port(), "GET", poll(sid));
        QVERIFY(late.waitForFinished());
        QCOMPARE(late.status(), 400);
        QCOMPARE(QJsonDocument::fromJson(late.body()).object().value(u"code"_s).toInt(), 1); // Session ID unknown
    }

    /*! WebSocket-only session: the open packet comes first (no upgrades), text and binary are echoed. */
    void webSocketOnly()
    {
        WsPeer peer(wsUrl(u"/engine.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        const QString open = peer.text(0);
        QVERIFY(open.startsWith(u'0'));
        const QJsonObject value = QJsonDocument::fromJson(open.sliced(1).toUtf8()).object();
        QCOMPARE(value.value(u"upgrades"_s).toArray(), QJsonArray());
        peer.send(u"4hello"_s);
        QCOMPARE(peer.text(1), u"4hello"_s);
        peer.socket().sendBinaryMessage(QByteArray("\x01\x02\x03\x04", 4));
        QTRY_COMPARE(peer.binaries.size(), 1);
        QCOMPARE(peer.binaries.first(), QByteArray("\x01\x02\x03\x04", 4));
        // A text packet "b..." is base64 binary on every transport.
        peer.send(u"bBQY="_s);
        QTRY_COMPARE(peer.binaries.size(), 2);
        QCOMPARE(peer.binaries.last(), QByteArray("\x05\x06", 2));
    }

    /*! A malformed WebSocket packet closes the session. */
    void webSocketMalformed()
    {
        WsPeer peer(wsUrl(u"/engine.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        peer.text(0);
        peer.send(u"abc"_s);
        QVERIFY(peer.waitClosed());
        QTRY_COMPARE(m_endpoints->echo().sessionCount(), 0);
    }

    /*! A WebSocket message over maxPayload closes the connection (1009). */
    void webSocketTooLarge()
    {
        WsPeer peer(wsUrl(u"/engine.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        peer.text(0);
        peer.send(u"4"_s + QString(2000, u'x'));
        QVERIFY(peer.waitClosed());
        QCOMPARE(peer.socket().closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    }

    /*! A WebSocket client that never answers pings is closed after interval + timeout. */
    void webSocketPingTimeout()
    {
        start(Testing::ConformanceEndpoints::suiteOptions());
        WsPeer peer(wsUrl(u"/engine.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        QVERIFY(peer.waitClosed());
        QVERIFY(peer.texts.contains(u"2"_s));
    }

    /*! Upgrade: probe, noop to the pending poll, "5"; then polls for the sid are refused, a second
        WebSocket for it too, and messages flow over the WebSocket. */
    void upgrade()
    {
        const QString sid = handshake();
        QSignalSpy upgraded(m_sessions.first().data(), &EngineIo::Socket::upgraded);
        RawHttpExchange pending(port(), "GET", poll(sid));
        QVERIFY(!pending.waitForFinished(100));
        WsPeer peer(wsUrl(u"/engine.io/?EIO=4&transport=websocket&sid="_s + sid));
        QVERIFY(peer.waitConnected());
        peer.send(u"2probe"_s);
        QCOMPARE(peer.text(0), u"3probe"_s);
        QVERIFY(pending.waitForFinished());
        QCOMPARE(pending.body(), QByteArray("6"));
        peer.send(u"5"_s);
        QVERIFY(upgraded.wait(5000));
        QCOMPARE(m_sessions.first()->transport(), EngineIo::Socket::Transport::WebSocket);
        peer.send(u"4hello"_s);
        QCOMPARE(peer.text(1), u"4hello"_s);

        RawHttpExchange stale(port(), "GET", poll(sid));
        QVERIFY(stale.waitForFinished());
        QCOMPARE(stale.status(), 400);
        QCOMPARE(QJsonDocument::fromJson(stale.body()).object().value(u"code"_s).toInt(), 3);
        // A second WebSocket for the upgraded sid is accepted and closed at once, as the reference server does
        // (the official suites' "ignores WebSocket connection with same sid after upgrade"; an HTTP 400 there
        // is an error event in a WebSocket client).
        WsPeer second(wsUrl(u"/engine.io/?EIO=4&transport=websocket&sid="_s + sid));
        QSignalSpy secondOpened(&second.socket(), &QWebSocket::connected);
        QVERIFY(second.waitClosed());
        QCOMPARE(secondOpened.count(), 1); // 101 first: an open event, then a close, no error
        QVERIFY(second.texts.isEmpty());
        // The first WebSocket still works.
        peer.send(u"4again"_s);
        QCOMPARE(peer.text(2), u"4again"_s);
    }

    /*! Messages queued while the upgrade runs go out over the new transport. */
    void upgradeFlushesQueue()
    {
        const QString sid = handshake();
        WsPeer peer(wsUrl(u"/engine.io/?EIO=4&transport=websocket&sid="_s + sid));
        QVERIFY(peer.waitConnected());
        peer.send(u"2probe"_s);
        QCOMPARE(peer.text(0), u"3probe"_s);
        RawHttpExchange push(port(), "POST", poll(sid), "4queued");
        QVERIFY(push.waitForFinished());
        peer.send(u"5"_s);
        QCOMPARE(peer.text(1), u"4queued"_s);
    }

    /*! Anything but the probe on a probing WebSocket ends the probe; polling goes on. */
    void failedProbeKeepsPolling()
    {
        const QString sid = handshake();
        WsPeer peer(wsUrl(u"/engine.io/?EIO=4&transport=websocket&sid="_s + sid));
        QVERIFY(peer.waitConnected());
        peer.send(u"4not a probe"_s);
        QVERIFY(peer.waitClosed());
        RawHttpExchange push(port(), "POST", poll(sid), "4still polling");
        QVERIFY(push.waitForFinished());
        RawHttpExchange pull(port(), "GET", poll(sid));
        QVERIFY(pull.waitForFinished());
        QCOMPARE(pull.body(), QByteArray("4still polling"));
    }

    /*! WebSocket upgrade requests with bad parameters are refused with 400 before the handshake. */
    void upgradeErrors()
    {
        for (const QString &query : {u"?transport=websocket"_s, u"?EIO=4"_s, u"?EIO=4&transport=websocket&sid=nope"_s}) {
            WsPeer peer(wsUrl(u"/engine.io/"_s + query));
            QVERIFY2(peer.waitClosed(), qPrintable(query));
            QVERIFY(peer.texts.isEmpty());
        }
        QCOMPARE(m_endpoints->echo().sessionCount(), 0);
    }

    /*! Origins: allowed ones get CORS headers (and a preflight), others are refused with 403. */
    void origins()
    {
        EngineIo::ServerOptions options = relaxed();
        options.originAllowed = [](const QByteArray &origin, const Http::Request &) { return origin == "http://allowed.example"; };
        start(options);
        RawHttpExchange allowed(port(), "GET", "/engine.io/?EIO=4&transport=polling", {}, {{"Origin", "http://allowed.example"}});
        QVERIFY(allowed.waitForFinished());
        QCOMPARE(allowed.status(), 200);
        QCOMPARE(allowed.header("access-control-allow-origin"), QByteArray("http://allowed.example"));
        QCOMPARE(allowed.header("access-control-allow-credentials"), QByteArray("true"));

        RawHttpExchange preflight(port(), "OPTIONS", "/engine.io/?EIO=4&transport=polling", {},
                                  {{"Origin", "http://allowed.example"}, {"Access-Control-Request-Headers", "content-type"}});
        QVERIFY(preflight.waitForFinished());
        QCOMPARE(preflight.status(), 204);
        QVERIFY(preflight.header("access-control-allow-methods").contains("POST"));
        QCOMPARE(preflight.header("access-control-allow-headers"), QByteArray("content-type"));

        RawHttpExchange refused(port(), "GET", "/engine.io/?EIO=4&transport=polling", {}, {{"Origin", "http://evil.example"}});
        QVERIFY(refused.waitForFinished());
        QCOMPARE(refused.status(), 403);
        QCOMPARE(QJsonDocument::fromJson(refused.body()).object().value(u"code"_s).toInt(), 4);
        QVERIFY(refused.header("access-control-allow-origin").isEmpty());

        WsPeer evil(wsUrl(u"/engine.io/?EIO=4&transport=websocket"_s), u"http://evil.example"_s);
        QVERIFY(evil.waitClosed());
        WsPeer good(wsUrl(u"/engine.io/?EIO=4&transport=websocket"_s), u"http://allowed.example"_s);
        QVERIFY(good.waitConnected());
        QCOMPARE(m_endpoints->echo().sessionCount(), 2); // the allowed poll's and this one
    }

    /*! Polling sessions hold no TCP connection: the session caps bound them (503, Retry-After). */
    void sessionCaps()
    {
        EngineIo::ServerOptions options = relaxed();
        options.maxSessionsPerPeer = 2;
        start(options);
        QSignalSpy overloaded(&m_endpoints->echo(), &EngineIo::Server::overloaded);
        const QString first = handshake();
        QVERIFY(!handshake().isEmpty());
        RawHttpExchange third(port(), "GET", "/engine.io/?EIO=4&transport=polling");
        QVERIFY(third.waitForFinished());
        QCOMPARE(third.status(), 503);
        QCOMPARE(third.header("retry-after"), QByteArray("5"));
        WsPeer ws(wsUrl(u"/engine.io/?EIO=4&transport=websocket"_s));
        QVERIFY(ws.waitClosed());
        QCOMPARE(overloaded.size(), 2);
        QCOMPARE(overloaded.first().first().toBool(), true);
        // A session that ends makes room again.
        RawHttpExchange close(port(), "POST", poll(first), "1");
        QVERIFY(close.waitForFinished());
        QVERIFY(!handshake().isEmpty());
    }

    // ---- Socket.IO ----------------------------------------------------------------------------

    /*! CONNECT to "/" and "/custom", with and without auth: the reply, then the "auth" event. */
    void socketIoConnect_data()
    {
        QTest::addColumn<QString>("connect");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("auth");
        QTest::newRow("main") << u"40"_s << u"40"_s << u"42[\"auth\",{}]"_s;
        QTest::newRow("main with payload") << u"40{\"token\":\"123\"}"_s << u"40"_s << u"42[\"auth\",{\"token\":\"123\"}]"_s;
        QTest::newRow("custom") << u"40/custom,"_s << u"40/custom,"_s << u"42/custom,[\"auth\",{}]"_s;
        QTest::newRow("custom without comma") << u"40/custom"_s << u"40/custom,"_s << u"42/custom,[\"auth\",{}]"_s;
        QTest::newRow("custom with payload") << u"40/custom,{\"token\":\"abc\"}"_s << u"40/custom,"_s
                                             << u"42/custom,[\"auth\",{\"token\":\"abc\"}]"_s;
    }
    void socketIoConnect()
    {
        QFETCH(QString, connect);
        QFETCH(QString, prefix);
        QFETCH(QString, auth);
        WsPeer peer(wsUrl(u"/socket.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        peer.text(0);
        peer.send(connect);
        const QString reply = peer.text(1);
        QVERIFY2(reply.startsWith(prefix), qPrintable(reply));
        const QJsonObject handshake = QJsonDocument::fromJson(reply.sliced(prefix.size()).toUtf8()).object();
        QCOMPARE(handshake.keys(), QStringList{u"sid"_s});
        QCOMPARE(peer.text(2), auth);
    }

    /*! An unknown namespace gets the standard CONNECT_ERROR; the connection stays. */
    void unknownNamespace()
    {
        WsPeer peer(wsUrl(u"/socket.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        peer.text(0);
        peer.send(u"40/random"_s);
        QCOMPARE(peer.text(1), u"44/random,{\"message\":\"Invalid namespace\"}"_s);
        peer.send(u"40"_s);
        QVERIFY(peer.text(2).startsWith(u"40{"_s));
    }

    /*! Events and acks, plain and with binary attachments, over WebSocket. */
    void socketIoEventsAndAcks()
    {
        WsPeer peer(wsUrl(u"/socket.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        peer.text(0);
        peer.send(u"40"_s);
        peer.text(2);
        peer.send(u"42[\"message\",1,\"2\",{\"3\":[true]}]"_s);
        QCOMPARE(peer.text(3), u"42[\"message-back\",1,\"2\",{\"3\":[true]}]"_s);
        peer.send(u"42456[\"message-with-ack\",1,\"2\",{\"3\":[false]}]"_s);
        QCOMPARE(peer.text(4), u"43456[1,\"2\",{\"3\":[false]}]"_s);
        peer.send(u"452-789[\"message-with-ack\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"_s);
        peer.socket().sendBinaryMessage(QByteArray("\x01\x02\x03", 3));
        peer.socket().sendBinaryMessage(QByteArray("\x04\x05\x06", 3));
        QCOMPARE(peer.text(5), u"462-789[{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]"_s);
        QTRY_COMPARE(peer.binaries.size(), 2);
        QCOMPARE(peer.binaries, (QList<QByteArray>{QByteArray("\x01\x02\x03", 3), QByteArray("\x04\x05\x06", 3)}));
    }

    /*! Binary attachments over polling travel as base64 packets in the payload. */
    void socketIoBinaryOverPolling()
    {
        const QString sid = handshake("/socket.io/");
        RawHttpExchange connect(port(), "POST", poll(sid, "/socket.io/"), "40");
        QVERIFY(connect.waitForFinished());
        RawHttpExchange reply(port(), "GET", poll(sid, "/socket.io/"));
        QVERIFY(reply.waitForFinished());
        QVERIFY(reply.body().startsWith("40{\"sid\":"));
        QVERIFY(reply.body().endsWith("\x1e" "42[\"auth\",{}]"));
        RawHttpExchange push(port(), "POST", poll(sid, "/socket.io/"),
                             "451-[\"message\",{\"_placeholder\":true,\"num\":0}]\x1e" "bAQID");
        QVERIFY(push.waitForFinished());
        RawHttpExchange pull(port(), "GET", poll(sid, "/socket.io/"));
        QVERIFY(pull.waitForFinished());
        QCOMPARE(pull.body(), QByteArray("451-[\"message-back\",{\"_placeholder\":true,\"num\":0}]\x1e" "bAQID"));
    }

    /*! Malformed Socket.IO packets close the connection, as the reference server does. */
    void socketIoMalformed_data()
    {
        QTest::addColumn<QStringList>("texts");
        QTest::newRow("unknown packet type") << QStringList{u"4abc"_s};
        QTest::newRow("invalid payload format") << QStringList{u"42{}"_s};
        QTest::newRow("invalid ack id") << QStringList{u"42abc[\"message-with-ack\",1]"_s};
        QTest::newRow("reserved event name") << QStringList{u"42[\"disconnect\"]"_s};
        QTest::newRow("text while reconstructing") << QStringList{u"451-[\"message\",{\"_placeholder\":true,\"num\":0}]"_s, u"42[\"x\"]"_s};
        QTest::newRow("second connect") << QStringList{u"40"_s};
        QTest::newRow("connect error from client") << QStringList{u"44{\"message\":\"x\"}"_s};
        QTest::newRow("event on unconnected namespace") << QStringList{u"42/custom,[\"message\"]"_s};
    }
    void socketIoMalformed()
    {
        QFETCH(QStringList, texts);
        WsPeer peer(wsUrl(u"/socket.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        peer.text(0);
        peer.send(u"40"_s);
        peer.text(2);
        for (const QString &text : texts)
            peer.send(text);
        QVERIFY(peer.waitClosed());
    }

    /*! An event before any CONNECT is a protocol violation too. */
    void eventBeforeConnect()
    {
        WsPeer peer(wsUrl(u"/socket.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        peer.text(0);
        peer.send(u"42[\"message\",1]"_s);
        QVERIFY(peer.waitClosed());
    }

    /*! A connection that joins no namespace in time is closed. */
    void connectTimeout()
    {
        start(relaxed(), 300);
        WsPeer peer(wsUrl(u"/socket.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        QVERIFY(peer.waitClosed());
        QCOMPARE(peer.texts.size(), 1); // the open packet only
    }

    /*! Leaving a namespace keeps the connection for the others. */
    void namespaceDisconnect()
    {
        WsPeer peer(wsUrl(u"/socket.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        peer.text(0);
        peer.send(u"40"_s);
        peer.text(2);
        peer.send(u"40/custom,"_s);
        peer.text(4);
        peer.send(u"41/custom,"_s);
        peer.send(u"42[\"message\",\"to main\"]"_s);
        QCOMPARE(peer.text(5), u"42[\"message-back\",\"to main\"]"_s);
        // Events for the namespace it left are a violation now.
        peer.send(u"42/custom,[\"message\"]"_s);
        QVERIFY(peer.waitClosed());
    }

    /*! The server side of acks: emitWithAck() gets the client's acknowledgement; accept() may come
        later, with events emitted before it queued behind the CONNECT reply; refuse() answers
        CONNECT_ERROR with data. */
    void serverApi()
    {
        QList<QJsonArray> acked;
        QPointer<SocketIo::Socket> later;
        m_endpoints->io().addNamespace(u"/api"_s, [&](SocketIo::Socket *socket) {
            if (socket->auth().value(u"refuse"_s).toBool()) {
                socket->refuse(u"not you"_s, QJsonObject{{u"code"_s, u"nope"_s}});
                return;
            }
            socket->emitWithAck(u"question"_s, {42}, {}, [&](const SocketIo::AckArguments &ack) { acked.append(ack.args); });
            later = socket;
        });
        WsPeer peer(wsUrl(u"/socket.io/?EIO=4&transport=websocket"_s));
        QVERIFY(peer.waitConnected());
        peer.text(0);
        peer.send(u"40/api,{\"refuse\":true}"_s);
        QCOMPARE(peer.text(1), u"44/api,{\"data\":{\"code\":\"nope\"},\"message\":\"not you\"}"_s);
        peer.send(u"40/api,"_s);
        QTRY_VERIFY(later);
        QCOMPARE(peer.texts.size(), 2); // nothing before accept()
        later->accept(QJsonObject{{u"pid"_s, u"p1"_s}});
        QVERIFY(peer.text(2).startsWith(u"40/api,{\"pid\":\"p1\",\"sid\":"_s));
        QCOMPARE(peer.text(3), u"42/api,0[\"question\",42]"_s);
        peer.send(u"43/api,0[\"answer\"]"_s);
        QTRY_COMPARE(acked.size(), 1);
        QCOMPARE(acked.first(), QJsonArray{u"answer"_s});
        QSignalSpy disconnected(later.data(), &SocketIo::Socket::disconnected);
        later->disconnectFromNamespace();
        QCOMPARE(peer.text(4), u"41/api,"_s);
        QCOMPARE(disconnected.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestEngineIoServer)
#include "tst_engineioserver.moc"
