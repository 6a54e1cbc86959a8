// How the server chooses the fast path: the fast_path switch (config file, command line, off with TLS), and
// that /ws really runs on it when on and on QWebSocket when off, told apart by behaviour a client can see.
#include "server/core/serverconfig.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Test;

class TestFastPathWiring : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! On by default on Linux; --fast-path on|off and "fast_path" in the config file set it; TLS turns it off. */
    void configSwitch()
    {
        const QTemporaryDir dir;
        const QString dataDir = u"--data-dir="_qs + dir.path();
        auto parse = [&](const QStringList &arguments) { return parseCommandLine(QStringList{u"tertulia-server"_qs, dataDir} + arguments); };

        auto defaults = parse({});
        QVERIFY(std::holds_alternative<CommandLine>(defaults));
        QVERIFY(std::get<CommandLine>(defaults).config.fastPath);
        QVERIFY(std::get<CommandLine>(defaults).config.fastPathActive());

        auto off = parse({u"--fast-path=off"_qs});
        QVERIFY(std::holds_alternative<CommandLine>(off));
        QVERIFY(!std::get<CommandLine>(off).config.fastPathActive());
        auto bad = parse({u"--fast-path=maybe"_qs});
        QVERIFY(std::holds_alternative<QString>(bad));
        QVERIFY(std::get<QString>(bad).contains(u"--fast-path"_qs));

        const QString file = dir.filePath(u"config.json"_qs);
        auto writeConfig = [&](const QByteArray &json) {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(json);
        };
        writeConfig(R"({"fast_path": false})");
        auto fromFile = parse({u"--config"_qs, file});
        QVERIFY(std::holds_alternative<CommandLine>(fromFile));
        QVERIFY(!std::get<CommandLine>(fromFile).config.fastPath);
        auto commandLineWins = parse({u"--config"_qs, file, u"--fast-path=on"_qs});
        QVERIFY(std::get<CommandLine>(commandLineWins).config.fastPath);
        writeConfig(R"({"fast_path": "no"})");
        QVERIFY(std::holds_alternative<QString>(parse({u"--config"_qs, file})));

        ServerConfig tls;
        tls.fastPath = true;
        tls.tlsCertFile = u"cert.pem"_qs;
        tls.tlsKeyFile = u"key.pem"_qs;
        QVERIFY(!tls.fastPathActive());
    }

    void pathInUse_data()
    {
        QTest::addColumn<bool>("fastPath");
        QTest::newRow("fast path") << true;
        QTest::newRow("QWebSocket") << false;
    }
    /*! A text message in fragments cut inside characters: the fast path assembles it (an error reply: it is not
        JSON, and the socket stays open); QtWebSockets refuses it with 1007. So the switch really picks the path. */
    void pathInUse()
    {
        QFETCH(bool, fastPath);
        ServerConfig config = TestServer::testConfig();
        config.fastPath = fastPath;
        TestServer server(config);
        WsClient client;
        QVERIFY(client.open(server.url()));
        client.socket().setOutgoingFrameSize(1000);
        client.sendRaw(u"a"_qs + QString(3000, QChar(0xF1))); // every 1000-byte cut splits an ñ
        if (fastPath) {
            QTRY_COMPARE(client.replies().size(), 1);
            QCOMPARE(client.replies().first().error->code, Protocol::ErrorCode::BadRequest);
            // Still open: a request is answered (not_authenticated: this client never signed in).
            QCOMPARE(client.request(Protocol::Request::ping({})).error->code, Protocol::ErrorCode::NotAuthenticated);
        } else {
            QVERIFY(client.waitForDisconnected());
            QCOMPARE(client.closeCode(), 1007);
        }
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
