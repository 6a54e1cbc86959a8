// How the server chooses the fast path: the fast_path switch (config file, command line, off with TLS), and
// that /ws really runs on it when on and on the portable path (WebSocket::Connection) when off.
#include "../rawtcp.h"

#include "server/core/serverconfig.h"
#include "server/fastpath/fasttransport.h"
#include "server/session/websockettransport.h"
#include "shared/protocol/frames.h"
#include "support/rawwebsocket.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QScopeGuard>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;

namespace {

/// The JSON text of the unmasked server frames (7-bit and 16-bit lengths) in `bytes`, in order.
QList<QJsonObject> textFrames(QByteArrayView bytes)
{
    QList<QJsonObject> frames;
    while (bytes.size() >= 2) {
        qsizetype length = quint8(bytes[1]) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (bytes.size() < 4)
                break;
            length = (qsizetype(quint8(bytes[2])) << 8) | quint8(bytes[3]);
            header = 4;
        }
        if (bytes.size() < header + length)
            break;
        frames << QJsonDocument::fromJson(bytes.sliced(header, length).toByteArray()).object();
        bytes = bytes.sliced(header + length);
    }
    return frames;
}

QByteArray upgradeHead(quint16 port, const QByteArray &extraHeaders)
{
    return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
}

} // namespace

class TestFastPathWiring : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! On by default on Linux; --fast-path on|off and "fast_path" in the config file set it; TLS turns it off. */
    void configSwitch()
    {
        const QTemporaryDir dir;
        const QString dataDir = u"--data-dir="_s + dir.path();
        auto parse = [&](const QStringList &arguments) { return parseCommandLine(QStringList{u"tertulia-server"_s, dataDir} + arguments); };

        auto defaults = parse({});
        QVERIFY(std::holds_alternative<CommandLine>(defaults));
        QVERIFY(std::get<CommandLine>(defaults).config.fastPath);
        QVERIFY(std::get<CommandLine>(defaults).config.fastPathActive());

        auto off = parse({u"--fast-path=off"_s});
        QVERIFY(std::holds_alternative<CommandLine>(off));
        QVERIFY(!std::get<CommandLine>(off).config.fastPathActive());
        auto bad = parse({u"--fast-path=maybe"_s});
        QVERIFY(std::holds_alternative<QString>(bad));
        QVERIFY(std::get<QString>(bad).contains(u"--fast-path"_s));

        const QString file = dir.filePath(u"config.json"_s);
        auto writeConfig = [&](const QByteArray &json) {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(json);
        };
        writeConfig(R"({"fast_path": false})");
        auto fromFile = parse({u"--config"_s, file});
        QVERIFY(std::holds_alternative<CommandLine>(fromFile));
        QVERIFY(!std::get<CommandLine>(fromFile).config.fastPath);
        auto commandLineWins = parse({u"--config"_s, file, u"--fast-path=on"_s});
        QVERIFY(std::get<CommandLine>(commandLineWins).config.fastPath);
        writeConfig(R"({"fast_path": "no"})");
        QVERIFY(std::holds_alternative<QString>(parse({u"--config"_s, file})));

        ServerConfig tls;
        tls.fastPath = true;
        tls.tlsCertFile = u"cert.pem"_s;
        tls.tlsKeyFile = u"key.pem"_s;
        QVERIFY(!tls.fastPathActive());
    }

    void pathInUse_data()
    {
        QTest::addColumn<bool>("fastPath");
        QTest::newRow("fast path") << true;
        QTest::newRow("portable") << false;
    }
    /*! The switch really picks the path: the session's transport is a FastTransport with the fast path on and
        a WebSocketTransport (WebSocket::Connection) with it off. Both assemble a text message whose fragments
        are cut inside characters (the QWebSocket path refused it with 1007): an error reply, since it is not
        JSON, and the socket stays open. */
    void pathInUse()
    {
        QFETCH(bool, fastPath);
        ServerConfig config = TestServer::testConfig();
        config.fastPath = fastPath;
        TestServer server(config);
        WsClient client;
        QVERIFY(client.open(server.url()));
        client.socket().setOutgoingFrameSize(1000);
        client.sendRaw(u"a"_s + QString(3000, QChar(0xF1))); // every 1000-byte cut splits an ñ
        QTRY_COMPARE(client.replies().size(), 1);
        QCOMPARE(client.replies().first().error->code, Protocol::ErrorCode::BadRequest);
        // Still open: a request is answered (not_authenticated: this client never signed in).
        QCOMPARE(client.request(Protocol::Request::ping({})).error->code, Protocol::ErrorCode::NotAuthenticated);
        QCOMPARE(server.server().findChildren<FastTransport *>().size(), fastPath ? 1 : 0);
        QCOMPARE(server.server().findChildren<WebSocketTransport *>().size(), fastPath ? 0 : 1);
    }

    /*! An upgrade whose request is there when the server accepts (the Listener's fast lane, no QTcpSocket): the
        101, then hello for the bearer token, then the answer to a frame sent in the same segment as the request. */
    void upgradeWithFirstFrames()
    {
        ServerConfig config = TestServer::testConfig();
        config.fastPath = true;
        TestServer server(config);
        const QString token = server.login(u"alice"_s).accessToken;
        const int fd = connectBlocking(server.server().port());
        QVERIFY(fd >= 0);
        const auto closeFd = qScopeGuard([fd] { ::close(fd); });
        const QByteArray request = upgradeHead(server.server().port(),
                                               "Sec-WebSocket-Protocol: tertulia.v1\r\nAuthorization: Bearer "
                                                   + token.toLatin1() + "\r\n")
            + RawWebSocket::maskedFrame(1, R"({"type":"ping","id":"p1"})");
        QCOMPARE(::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL), ssize_t(request.size()));

        const QByteArray answer = readUntil(fd, [](const QByteArray &bytes) {
            const qsizetype end = bytes.indexOf("\r\n\r\n");
            return end >= 0 && textFrames(QByteArrayView(bytes).sliced(end + 4)).size() >= 2;
        });
        QVERIFY2(answer.startsWith("HTTP/1.1 101 "), answer.constData());
        QVERIFY(answer.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        const QList<QJsonObject> frames = textFrames(QByteArrayView(answer).sliced(answer.indexOf("\r\n\r\n") + 4));
        QCOMPARE(frames.size(), 2);
        QCOMPARE(frames[0].value(u"type"_s).toString(), u"hello"_s);
        QCOMPARE(frames[1].value(u"type"_s).toString(), u"ok"_s);
        QCOMPARE(frames[1].value(u"id"_s).toString(), u"p1"_s);
    }

    /*! Upgrades the fast path would refuse (origin, subprotocol, version) are answered as before, by HTTP. */
    void refusalsAnsweredAsBefore_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<QByteArray>("status");
        QTest::newRow("origin") << QByteArray("Sec-WebSocket-Protocol: tertulia.v1\r\nOrigin: http://evil.example\r\n")
                                << QByteArray("403");
        QTest::newRow("no subprotocol") << QByteArray() << QByteArray("400");
        QTest::newRow("other subprotocol") << QByteArray("Sec-WebSocket-Protocol: chat\r\n") << QByteArray("400");
    }
    void refusalsAnsweredAsBefore()
    {
        QFETCH(QByteArray, headers);
        QFETCH(QByteArray, status);
        ServerConfig config = TestServer::testConfig();
        config.fastPath = true;
        config.allowedOrigins = {u"http://good.example"_s};
        TestServer server(config);
        const int fd = connectBlocking(server.server().port());
        QVERIFY(fd >= 0);
        const auto closeFd = qScopeGuard([fd] { ::close(fd); });
        const QByteArray request = upgradeHead(server.server().port(), headers);
        QCOMPARE(::send(fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL), ssize_t(request.size()));
        const QByteArray answer = readUntil(fd, [](const QByteArray &bytes) { return bytes.contains("}"); });
        QVERIFY2(answer.startsWith("HTTP/1.1 " + status + " "), answer.constData());
        QVERIFY(answer.contains("\"error\""));
    }

    /*! The connection cap counts a fast-path connection for as long as it lives, not as long as the QTcpSocket
        it came in on (deleted at the takeover). */
    void connectionCountFollowsTheTransport()
    {
        ServerConfig config = TestServer::testConfig();
        config.fastPath = true;
        config.limits.maxConnections = 1;
        TestServer server(config);
        auto first = std::make_unique<WsClient>();
        QVERIFY(first->open(server.url()));
        // Answered (not_authenticated: it never signed in), so the takeover is long done.
        QCOMPARE(first->request(Protocol::Request::ping({})).error->code, Protocol::ErrorCode::NotAuthenticated);
        WsClient refused;
        QVERIFY(!refused.open(server.url()));
        first.reset();
        QTRY_VERIFY([&] { WsClient again; return again.open(server.url()); }());
    }
};

TERTULIA_SERVER_TEST_MAIN(TestFastPathWiring)
#include "tst_fastpathwiring.moc"
