// The same RFC 6455 conformance cases against a real ChatServer on every path /ws can take: the Linux fast
// path, the portable path on plain TCP (--fast-path off, Windows, macOS) and the portable path over TLS.
// A raw client sends exactly the bytes of each case; what comes back (a reply, a pong, a close code, or
// nothing before the close) must be the same on every path.
#include "server/session/websockettransport.h"
#include "shared/protocol/frames.h"
#include "support/clientframes.h"
#include "support/rawwebsocket.h"
#include "support/testmain.h"
#include "support/testserver.h"
#ifdef TERTULIA_HAVE_FAST_PATH
#include "server/fastpath/fasttransport.h"
#endif

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;

namespace {

enum class Path { Fast, Portable, Tls };

const QString kCert = QStringLiteral(TEST_DATA_DIR "/tls-test.crt");
const QString kKey = QStringLiteral(TEST_DATA_DIR "/tls-test.key");

const char *pathName(Path path)
{
    switch (path) {
    case Path::Fast: return "fast path";
    case Path::Portable: return "portable";
    case Path::Tls: return "portable, TLS";
    }
    return "";
}

/// One row per path and case: "fast path: unmasked".
template<typename Fill>
void rows(Fill fill)
{
    for (Path path : {Path::Fast, Path::Portable, Path::Tls})
        fill(path, [path](const char *name) -> QTestData & {
            return QTest::newRow((QByteArray(pathName(path)) + ": " + name).constData()) << int(path);
        });
}

ServerConfig configFor(Path path)
{
    ServerConfig config = TestServer::testConfig();
    config.fastPath = path == Path::Fast;
    if (path == Path::Tls) {
        config.tlsCertFile = kCert;
        config.tlsKeyFile = kKey;
    }
    return config;
}

/// A raw client upgraded to /ws on `server` over the path's transport; false when the upgrade failed.
bool open(RawWebSocket &raw, TestServer &server, Path path)
{
    if (path == Path::Tls) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(kCert));
        raw.setTls(tls);
    }
    return raw.open(server.server().port()) == 101;
}

/// The path really serving the connections, told by the transport the server made.
bool servedBy(TestServer &server, Path path)
{
#ifdef TERTULIA_HAVE_FAST_PATH
    const bool fast = !server.server().findChildren<FastTransport *>().isEmpty();
#else
    const bool fast = false;
#endif
    const bool portable = !server.server().findChildren<WebSocketTransport *>().isEmpty();
    return path == Path::Fast ? fast && !portable : portable && !fast;
}

QJsonObject json(const QByteArray &text) { return QJsonDocument::fromJson(text).object(); }

} // namespace

class TestWebSocketConformance : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        QFETCH(int, path);
#ifndef TERTULIA_HAVE_FAST_PATH
        if (Path(path) == Path::Fast)
            QSKIP("the fast path needs the platform extras (TERTULIA_PLATFORM_EXTRAS, Linux)");
#endif
        if (Path(path) == Path::Tls && !QSslSocket::supportsSsl())
            QFAIL("Qt has no TLS backend here (install libssl3)");
    }

    void textAcrossFragments_data()
    {
        QTest::addColumn<int>("path");
        QTest::addColumn<QList<int>>("cuts");
        rows([](Path, auto row) {
            // The id starts at byte 21: ñ at 21-22, 😀 at 23-26, ñ 27-28, 😀 29-32, ñ 33-34, 😀 35-38.
            row("two fragments, cut inside a two-byte character") << QList<int>{22};
            row("four fragments, each cut inside a four-byte character") << QList<int>{24, 31, 37};
            row("one byte per fragment") << QList<int>{};
        });
    }
    /*! A request whose UTF-8 is cut inside characters across fragments is one message: it is answered (here
        not_authenticated, with its multibyte id intact) and the connection stays open. The QWebSocket path
        closed the first with 1007 and the second with 1006 and no close frame. */
    void textAcrossFragments()
    {
        QFETCH(int, path);
        QFETCH(QList<int>, cuts);
        TestServer server(configFor(Path(path)));
        RawWebSocket raw;
        QVERIFY(open(raw, server, Path(path)));
        const QByteArray request = u"{\"type\":\"ping\",\"id\":\"ñ😀ñ😀ñ😀\"}"_s.toUtf8();
        for (int cut : std::as_const(cuts))
            QVERIFY((quint8(request.at(cut)) & 0xC0) == 0x80); // a continuation byte: the cut is inside a character
        if (cuts.isEmpty()) {
            for (qsizetype i = 0; i < request.size(); ++i)
                cuts << int(i + 1);
            cuts.removeLast();
        }
        QByteArray frames;
        qsizetype start = 0;
        for (int i = 0; i <= cuts.size(); ++i) {
            const qsizetype end = i < cuts.size() ? cuts.at(i) : request.size();
            const QByteArray piece = request.mid(start, end - start);
            const bool fin = i == cuts.size();
            frames += i == 0 ? textFrame(piece, fin) : continuationFrame(piece, fin);
            start = end;
        }
        raw.sendRaw(frames);
        const auto reply = raw.readFrame(5000);
        QVERIFY(reply);
        QCOMPARE(reply->opcode, 1);
        const QJsonObject answer = json(reply->payload);
        QCOMPARE(answer.value(u"id"_s).toString(), u"ñ😀ñ😀ñ😀"_s);
        QCOMPARE(answer.value(u"error"_s).toObject().value(u"code"_s).toString(), u"not_authenticated"_s);
        raw.sendText(R"({"type":"ping","id":"again"})");
        const auto again = raw.readFrame(5000);
        QVERIFY(again);
        QCOMPARE(json(again->payload).value(u"id"_s).toString(), u"again"_s);
        QVERIFY(servedBy(server, Path(path)));
    }

    void violations_data()
    {
        QTest::addColumn<int>("path");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("closeCode");
        const QByteArray ping = R"({"type":"ping","id":"p"})";
        rows([&](Path, auto row) {
            row("unmasked request") << ClientFrame{0x1, ping, true, 0, false}.bytes() << 1002;
            row("unmasked ping") << ClientFrame{0x9, "x", true, 0, false}.bytes() << 1002;
            row("rsv1") << ClientFrame{0x1, ping, true, 4}.bytes() << 1002;
            row("reserved opcode") << ClientFrame{0x3, ping}.bytes() << 1002;
            row("continuation without a message") << continuationFrame(ping, true) << 1002;
            row("new message inside a message") << textFrame("{", false) + textFrame(ping) << 1002;
            row("fragmented ping") << ClientFrame{0x9, "x", false}.bytes() << 1002;
            row("ping over 125 bytes") << pingFrame(QByteArray(126, 'p')) << 1002;
            row("close code 1005") << clientClose(1005) << 1002;
            row("close code 999") << clientClose(999) << 1002;
            row("close with one byte") << ClientFrame{0x8, "x"}.bytes() << 1002;
            row("invalid UTF-8") << textFrame("{\"type\":\"ping\",\"id\":\"\xed\xa0\x80\"}") << 1007;
            row("UTF-8 ending inside a character") << textFrame("{\xc3", false) + continuationFrame("", true) << 1007;
            row("close reason not UTF-8") << clientClose(1000, "\xff") << 1007;
            row("message over the cap") << textFrame(QByteArray(70 * 1024, ' ')) << 1009;
            row("message over the cap, announced") << ClientFrame{0x1, {}, true, 0, true, {1, 2, 3, 4}, 8, quint64(1) << 40}.bytes() << 1009;
            row("fragments over the cap") << textFrame(QByteArray(40 * 1024, ' '), false) + continuationFrame(QByteArray(40 * 1024, ' '), true) << 1009;
        });
    }
    /*! Every frame RFC 6455 tells a server to refuse fails the connection with the same code on every path,
        and nothing is answered before the close frame (the QWebSocket path answered unmasked requests). */
    void violations()
    {
        QFETCH(int, path);
        QFETCH(QByteArray, bytes);
        QFETCH(int, closeCode);
        TestServer server(configFor(Path(path)));
        RawWebSocket raw;
        QVERIFY(open(raw, server, Path(path)));
        raw.sendRaw(bytes);
        const auto first = raw.readFrame(5000);
        QVERIFY2(first, "no close frame");
        QVERIFY2(first->opcode == 8, first->payload.constData());
        QCOMPARE(first->closeCode(), closeCode);
        QTRY_COMPARE_WITH_TIMEOUT(raw.socket().state(), QAbstractSocket::UnconnectedState, 10000);
    }

    void controlFrames_data()
    {
        QTest::addColumn<int>("path");
        rows([](Path, auto row) { row("ping and close"); });
    }
    /*! A ping is answered with a pong carrying its payload, also between fragments; a close is echoed with its
        code and the connection ends. */
    void controlFrames()
    {
        QFETCH(int, path);
        TestServer server(configFor(Path(path)));
        RawWebSocket raw;
        QVERIFY(open(raw, server, Path(path)));
        raw.sendRaw(pingFrame("one") + textFrame(R"({"type":"ping",)", false) + pingFrame("two")
                    + continuationFrame(R"("id":"x"})", true));
        QList<RawWebSocket::Frame> frames;
        for (int i = 0; i < 3; ++i) {
            const auto frame = raw.readFrame(5000);
            QVERIFY(frame);
            frames << *frame;
        }
        QCOMPARE(frames[0].opcode, 0xA);
        QCOMPARE(frames[0].payload, QByteArray("one"));
        QCOMPARE(frames[1].opcode, 0xA);
        QCOMPARE(frames[1].payload, QByteArray("two"));
        QCOMPARE(json(frames[2].payload).value(u"id"_s).toString(), u"x"_s);
        raw.sendRaw(clientClose(4321, "bye"));
        QCOMPARE(raw.waitForClose(5000), 4321);
        QTRY_COMPARE_WITH_TIMEOUT(raw.socket().state(), QAbstractSocket::UnconnectedState, 10000);
        QTRY_COMPARE(server.server().openSessions(), 0);
    }

    void binaryFrames_data()
    {
        QTest::addColumn<int>("path");
        rows([](Path, auto row) { row("binary"); });
    }
    /*! A binary message is one documented behaviour on every path: an error reply bad_request that names
        binary frames (id null), counted toward max_malformed_frames like any malformed frame. */
    void binaryFrames()
    {
        QFETCH(int, path);
        ServerConfig config = configFor(Path(path));
        config.limits.maxMalformedFrames = 2;
        TestServer server(config);
        RawWebSocket raw;
        QVERIFY(open(raw, server, Path(path)));
        for (int i = 0; i < 2; ++i) {
            raw.sendRaw(i == 0 ? binaryFrame("\x00\x01\x02") : binaryFrame("ab", false) + continuationFrame("cd", true));
            const auto reply = raw.readFrame(5000);
            QVERIFY(reply);
            QCOMPARE(reply->opcode, 1);
            const QJsonObject answer = json(reply->payload);
            QCOMPARE(answer.value(u"type"_s).toString(), u"error"_s);
            QVERIFY(answer.value(u"id"_s).isNull());
            QCOMPARE(answer.value(u"error"_s).toObject().value(u"code"_s).toString(), u"bad_request"_s);
            QVERIFY(answer.value(u"error"_s).toObject().value(u"message"_s).toString().contains(u"binary"_s));
        }
        raw.sendRaw(binaryFrame("third"));
        QCOMPARE(raw.waitForClose(5000), int(Protocol::CloseCode::ProtocolViolation)); // 4011: the third is over the limit
    }

    void messageDeadline_data()
    {
        QTest::addColumn<int>("path");
        QTest::addColumn<bool>("trickle");
        rows([](Path, auto row) {
            row("half a frame, then silence") << false;
            row("one byte per continuation frame, pongs between") << true;
        });
    }
    /*! A frame, and a message in fragments, must arrive whole within message_timeout_ms, like an HTTP head:
        half a frame and silence, or one byte per continuation frame with pongs (which keep the idle timeout
        away), are closed with 1008. Before, both stayed open on the fast path; QtWebSockets restarted its
        timer with every byte. */
    void messageDeadline()
    {
        QFETCH(int, path);
        QFETCH(bool, trickle);
        ServerConfig config = configFor(Path(path));
        config.limits.messageTimeoutMs = 500;
        TestServer server(config);
        RawWebSocket raw;
        QVERIFY(open(raw, server, Path(path)));
        QElapsedTimer timer;
        timer.start();
        if (!trickle) {
            raw.sendRaw(textFrame(R"({"type":"ping","id":"half"})").first(12));
        } else {
            raw.sendRaw(textFrame("{", false));
            for (int i = 0; i < 30 && raw.socket().state() == QAbstractSocket::ConnectedState
                            && raw.socket().bytesAvailable() == 0; ++i) {
                QTest::qWait(50);
                raw.sendRaw(continuationFrame(" ", false) + pongFrame("alive"));
            }
        }
        QCOMPARE(raw.waitForClose(5000), 1008);
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(elapsed >= 450 && elapsed < 4000, QByteArray::number(elapsed).constData());
        QTRY_COMPARE_WITH_TIMEOUT(server.server().openSessions(), 0, 10000);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestWebSocketConformance)
#include "tst_websocketconformance.moc"
