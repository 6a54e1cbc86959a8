// Every limit of the server fails loudly: an error reply or a close code with a reason, never a silent drop,
// and a misbehaving client never hurts the others.
#include "support/printers.h"
#include "support/rawwebsocket.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;

class TestLimits : public QObject
{
    Q_OBJECT

private:
    /// A raw socket that authenticated and joined `room`; it never reads unless asked.
    static std::unique_ptr<RawWebSocket> rawMember(TestServer &server, const QString &user, const QString &room)
    {
        auto raw = std::make_unique<RawWebSocket>();
        const QByteArray token = server.login(user).accessToken.toLatin1();
        if (raw->open(server.server().port(), "/ws", {"Authorization: Bearer " + token}) != 101)
            return nullptr;
        raw->sendText(encode(Request::join(u"j"_s, room)));
        // Read until the join is answered (hello and member events come first).
        for (;;) {
            const auto frame = raw->readFrame();
            if (!frame)
                return nullptr;
            if (frame->payload.contains("\"id\":\"j\""))
                return frame->payload.contains("\"ok\"") ? std::move(raw) : nullptr;
        }
    }

private Q_SLOTS:
    /*! A burst, then the steady rate; each refusal says when to retry; repeated violations close with 4008. */
    void connectionRateLimit()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.rateBurst = 5;
        config.limits.ratePerSecond = 0.01; // no refill during the test, however slow the machine
        config.limits.maxRateViolations = 3;
        TestServer server(config);
        auto client = server.connectAs(u"alice"_s); // auth used one token
        QVERIFY(client);
        int ok = 0, limited = 0;
        for (int i = 0; i < 8 && client->isConnected(); ++i) {
            const Reply reply = client->request(Request::ping({}));
            if (reply.isOk()) {
                ++ok;
            } else if (reply.error->code == ErrorCode::RateLimited) {
                ++limited;
                QVERIFY(reply.error->message.contains(u"retry in"_s));
            }
        }
        QCOMPARE(ok, 4);
        QVERIFY(limited >= 3);
        QVERIFY(client->waitForDisconnected());
        QCOMPARE(client->closeCode(), int(CloseCode::RateLimited));
        const QByteArray metrics = server.http().get(u"/metrics"_s).body;
        QVERIFY(metrics.contains("tertulia_rate_limited_total{scope=\"connection\"} 4"));
    }

    /*! max_rate_violations and max_malformed_frames are what a connection may get away with: the next one
        closes it. With 3, four refusals are answered (the fourth proves the socket was open after the third:
        a closing session answers nothing), then the close comes. */
    void violationLimitsAreExact()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.rateBurst = 1;        // the auth takes it
        config.limits.ratePerSecond = 0.01;
        config.limits.maxRateViolations = 3;
        config.limits.maxMalformedFrames = 3;
        TestServer server(config);

        auto limited = server.connectAs(u"alice"_s);
        QVERIFY(limited);
        const qsizetype before = limited->replies().size();
        for (int i = 0; i < 4; ++i)
            limited->post(Request::ping(limited->nextId()));
        QVERIFY(limited->waitForDisconnected());
        QCOMPARE(limited->closeCode(), int(CloseCode::RateLimited));
        const QList<Reply> refusals = limited->replies().mid(before);
        QCOMPARE(refusals.size(), 4);
        for (const Reply &reply : refusals)
            QCOMPARE(reply.error->code, ErrorCode::RateLimited);

        auto garbled = std::make_unique<WsClient>();
        QVERIFY(garbled->open(server.url()));
        for (int i = 0; i < 4; ++i)
            garbled->sendRaw(u"garbage"_s);
        QVERIFY(garbled->waitForDisconnected());
        QCOMPARE(garbled->closeCode(), int(CloseCode::ProtocolViolation));
        QCOMPARE(garbled->replies().size(), 4);
    }

    /*! The per-user bucket is shared by all of a user's sessions. */
    void userRateLimit()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.userRateBurst = 6;
        config.limits.userRatePerSecond = 0.01;
        TestServer server(config);
        auto first = server.connectAs(u"alice"_s);
        auto second = server.connectAs(u"alice"_s);
        auto other = server.connectAs(u"bob"_s);
        int ok = 0;
        for (int i = 0; i < 5; ++i) {
            ok += first->request(Request::ping({})).isOk();
            ok += second->request(Request::ping({})).isOk();
        }
        QCOMPARE(ok, 6);
        QCOMPARE(first->request(Request::ping({})).error->code, ErrorCode::RateLimited);
        QVERIFY(other->request(Request::ping({})).isOk()); // bob has his own bucket
    }

    /*! The per-user budget holds across reconnects: a user who spends it and reconnects, again and again,
        gets no new burst (once, 3 734 connections stored 111 870 messages in 10 s against burst 60 + 20/s). */
    void userBudgetSurvivesReconnects()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.userRateBurst = 10;
        config.limits.userRatePerSecond = 0.01; // well under one token for the whole test
        TestServer server(config);
        const QString token = server.login(u"alice"_s).accessToken;
        int ok = 0;
        for (int round = 0; round < 8; ++round) {
            WsClient client;
            QVERIFY(client.openAndAuth(server.url(), token));
            for (int i = 0; i < 5; ++i)
                ok += client.request(Request::ping({})).isOk();
            client.socket().close(); // the user's last session goes each time
            QVERIFY(client.waitForDisconnected());
            QTRY_COMPARE(server.server().onlineUsers(), 0);
        }
        QCOMPARE(ok, 10);
    }

    /*! A frame over the limit closes with 1009; the server and other clients carry on. */
    void frameTooLarge()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.maxFrameBytes = 4096;
        TestServer server(config);
        auto alice = server.connectAs(u"alice"_s);
        auto bob = server.connectAs(u"bob"_s);
        alice->sendRaw(QString(5000, u'x'));
        QVERIFY(alice->waitForDisconnected());
        QCOMPARE(alice->closeCode(), int(CloseCode::TooBig));
        QVERIFY(bob->request(Request::ping({})).isOk());
    }

    /*! Per-address and total connection caps answer 503 with a JSON body at the upgrade. */
    void connectionCaps()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.maxConnectionsPerIp = 3;
        TestServer server(config);
        std::vector<std::unique_ptr<WsClient>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<WsClient>());
            QVERIFY(clients.back()->open(server.url()));
        }
        RawWebSocket refused;
        QCOMPARE(refused.open(server.server().port()), 503);
        QTcpSocket http;
        http.connectToHost(QHostAddress::LocalHost, server.server().port());
        QVERIFY(http.waitForConnected());
        http.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QSignalSpy answered(&http, &QTcpSocket::disconnected);
        QVERIFY(answered.wait());
        const QByteArray answer = http.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 503"), answer.constData());
        QVERIFY(answer.contains("\"unavailable\""));
        // A closed connection frees its place.
        clients.front().reset();
        QTRY_VERIFY([&] { WsClient again; return again.open(server.url()); }());

        ServerConfig total = TestServer::testConfig();
        total.limits.maxConnections = 2;
        TestServer small(total);
        WsClient a, b;
        QVERIFY(a.open(small.url()));
        QVERIFY(b.open(small.url()));
        RawWebSocket third;
        QCOMPARE(third.open(small.server().port()), 503);
    }

    /*! One admission rule for every way in: connections that have sent nothing yet count against the
        per-address cap like upgraded ones (on the fast path they wait for their head in the Listener), and
        give their place back when they go. */
    void silentConnectionsCount()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.maxConnectionsPerIp = 3;
        TestServer server(config);
        std::vector<std::unique_ptr<QTcpSocket>> silent;
        for (int i = 0; i < 3; ++i) {
            silent.push_back(std::make_unique<QTcpSocket>());
            silent.back()->connectToHost(QHostAddress::LocalHost, server.server().port());
            QVERIFY(silent.back()->waitForConnected(5000));
        }
        // Accepted after the silent ones (one listen queue, set up in order): the cap is reached.
        RawWebSocket refused;
        QCOMPARE(refused.open(server.server().port()), 503);
        silent.front()->disconnectFromHost();
        QTRY_VERIFY([&] { RawWebSocket again; return again.open(server.server().port()) == 101; }());
    }

    /*! New connections per address are limited however they end (a reconnect loop): past the burst, 429
        with Retry-After and the JSON body, before any upgrade. */
    void connectionChurnPerAddress()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.ipConnectBurst = 4;
        config.limits.ipConnectPerSecond = 0.01;
        TestServer server(config);
        for (int i = 0; i < 4; ++i) {
            RawWebSocket client; // closed at the end of each round
            QCOMPARE(client.open(server.server().port()), 101);
        }
        RawWebSocket refused;
        QCOMPARE(refused.open(server.server().port()), 429);
        QTcpSocket http;
        http.connectToHost(QHostAddress::LocalHost, server.server().port());
        QVERIFY(http.waitForConnected());
        http.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QSignalSpy answered(&http, &QTcpSocket::disconnected);
        QVERIFY(answered.wait());
        const QByteArray answer = http.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 429"), answer.constData());
        QVERIFY(answer.contains("\"rate_limited\""));
        const qsizetype retry = answer.toLower().indexOf("\r\nretry-after: ");
        QVERIFY(retry > 0);
        QVERIFY(answer.mid(retry + 15, answer.indexOf("\r\n", retry + 2) - retry - 15).toInt() >= 1);
    }

    /*! New sessions per user are limited across reconnects, with the token in the first frame or in the
        header: past the burst, `rate_limited` and close 4008 (retry later, not "sign in again"); other users
        are not affected. */
    void sessionChurnPerUser()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.userConnectBurst = 3;
        config.limits.userConnectPerSecond = 0.01;
        TestServer server(config);
        const QString token = server.login(u"alice"_s).accessToken;
        for (int i = 0; i < 3; ++i) {
            WsClient client;
            QVERIFY(client.openAndAuth(server.url(), token));
        }
        WsClient frame;
        QVERIFY(frame.open(server.url()));
        const Reply reply = frame.request(Request::auth({}, token));
        QCOMPARE(reply.error->code, ErrorCode::RateLimited);
        QVERIFY(reply.error->message.contains(u"retry in"_s));
        QVERIFY(frame.waitForDisconnected());
        QCOMPARE(frame.closeCode(), int(CloseCode::RateLimited));
        WsClient header;
        header.open(server.url(), {token, {}, {u"tertulia.v1"_s}}); // may close at once
        QVERIFY(header.waitForDisconnected());
        QCOMPARE(header.closeCode(), int(CloseCode::RateLimited));
        QVERIFY(server.connectAs(u"bob"_s));
        QVERIFY(server.http().get(u"/metrics"_s).body.contains("tertulia_connections_refused_total{reason=\"per_user_rate\"} 2"));
    }

    /*! Browsers must come from an allowed origin; clients without Origin are fine. */
    void originAllowList()
    {
        ServerConfig config = TestServer::testConfig();
        config.allowedOrigins = {u"https://good.example"_s};
        TestServer server(config);
        WsClient good, none, evil;
        QVERIFY(good.open(server.url(), {{}, "https://good.example", {u"tertulia.v1"_s}}));
        QVERIFY(none.open(server.url()));
        QVERIFY(!evil.open(server.url(), {{}, "https://evil.example", {u"tertulia.v1"_s}}));
        RawWebSocket raw;
        QCOMPARE(raw.open(server.server().port(), "/ws", {"Origin: https://evil.example"}), 403);
    }

    /*! A peer that stops answering pings is closed with 4010. */
    void idleTimeout()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.pingIntervalMs = 100;
        config.limits.idleTimeoutMs = 600;
        TestServer server(config);
        // A QWebSocket answers pings by itself: it stays connected.
        auto live = server.connectAs(u"alice"_s);
        // The raw socket authenticates, then plays dead.
        RawWebSocket frozen;
        const QByteArray token = server.login(u"bob"_s).accessToken.toLatin1();
        QCOMPARE(frozen.open(server.server().port(), "/ws", {"Authorization: Bearer " + token}), 101);
        QElapsedTimer timer;
        timer.start();
        int pings = 0, code = 0;
        while (timer.elapsed() < 5000) {
            const auto frame = frozen.readFrame(5000);
            if (!frame)
                break;
            pings += frame->opcode == 9;
            if (frame->opcode == 8) {
                code = frame->closeCode();
                break;
            }
        }
        QVERIFY(pings >= 2);
        QCOMPARE(code, int(CloseCode::IdleTimeout));
        QVERIFY(live->isConnected());
        QVERIFY(live->request(Request::ping({})).isOk());
    }

    /*! A member that stops reading is closed once its unsent bytes stay over the bound; the others, who read
        while the burst goes on, get everything. */
    void slowConsumer()
    {
        ServerConfig config = TestServer::testConfig();
        config.limits.maxBufferedBytes = 256 * 1024;
        config.limits.slowConsumerGraceMs = 500;
        TestServer server(config);
        auto alice = server.connectAs(u"alice"_s);
        QVERIFY(alice->request(Request::createRoom({}, {u"flood"_s, false})).isOk());
        auto bob = server.connectAs(u"bob"_s);
        QVERIFY(bob->request(Request::join({}, u"flood"_s)).isOk());
        auto slow = rawMember(server, u"carol"_s, u"flood"_s);
        QVERIFY(slow);
        slow->socket().setReadBufferSize(1); // stop taking bytes from the kernel: the server's queue grows

        const QString text(16000, u'z');
        const int count = 1500; // 24 MB of deliveries to carol: far beyond what kernel buffers hold
        int acked = 0;
        for (int i = 0; i < count; i += 20) {
            // In steps, each awaiting its acks, as a real client with a bounded outbox does. Acks come after
            // the commit, in order: the step's last ack means every one of it came. (A ping would only mean
            // the server read the sends; with the writer behind on a loaded machine, many steps' deliveries
            // would then come at once, over four times the bound for every reader, alice and bob too.)
            for (int k = i; k < i + 19; ++k)
                alice->post(Request::send(u"f%1"_s.arg(k), {u"flood"_s, text, u"f%1"_s.arg(k)}));
            const Reply last = alice->request(Request::send(u"f%1"_s.arg(i + 19), {u"flood"_s, text, u"f%1"_s.arg(i + 19)}));
            QVERIFY2(last.isOk(), last.error ? qPrintable(last.error->message) : "");
            acked = i + 20;
        }
        QCOMPARE(acked, count);
        QTRY_COMPARE_WITH_TIMEOUT(bob->messages().size(), count, 30000);
        QByteArray metrics;
        QTRY_VERIFY2_WITH_TIMEOUT((metrics = server.http().get(u"/metrics"_s).body).contains("tertulia_slow_consumer_closes_total 1"),
                                  metrics.mid(metrics.indexOf("tertulia_slow_consumer_closes_total"), 60).constData(), 20000);
        QCOMPARE(bob->messages().last().seq, count);
        QCOMPARE(alice->messages().size(), count);
        QVERIFY(alice->isConnected() && bob->isConnected());
        slow->socket().setReadBufferSize(0);
        QTRY_VERIFY(slow->socket().state() == QAbstractSocket::UnconnectedState || !slow->readFrame(100));
    }

    /*! Random bytes as frames after authenticating: error replies or a close, the server stays up. */
    void hostileFrames()
    {
        TestServer server;
        auto bystander = server.connectAs(u"alice"_s);
        quint32 seed = 99;
        auto next = [&seed] { seed = seed * 1664525u + 1013904223u; return seed >> 8; };
        for (int round = 0; round < 20; ++round) {
            RawWebSocket raw;
            const QByteArray token = server.login(u"mallory"_s).accessToken.toLatin1();
            QCOMPARE(raw.open(server.server().port(), "/ws", {"Authorization: Bearer " + token}), 101);
            QByteArray junk;
            for (int i = 0, n = 1 + int(next() % 300); i < n; ++i)
                junk.append(char(next()));
            if (round % 2)
                raw.sendText(junk); // a well-framed text frame with garbage inside
            else
                raw.sendRaw(junk);  // garbage framing
            raw.socket().disconnectFromHost();
        }
        QVERIFY(bystander->request(Request::ping({})).isOk());
        QCOMPARE(server.http().get(u"/healthz"_s).status, 200);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestLimits)
#include "tst_limits.moc"
