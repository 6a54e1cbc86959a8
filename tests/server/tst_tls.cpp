// TLS on the same port: https:// for the API, wss:// for the protocol, and clear refusals of bad setups.
#include "support/printers.h"
#include "support/testserver.h"
#include "support/wsclient.h"
#include "server/net/listener.h"

#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;

namespace {
const QString kCert = QStringLiteral(DATA_DIR "/tls-test.crt");
const QString kKey = QStringLiteral(DATA_DIR "/tls-test.key");

/// Trusts exactly the test certificate.
QSslConfiguration trustingTestCertificate()
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(kCert));
    return configuration;
}
} // namespace

class TestTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QFAIL("Qt has no TLS backend here (install libssl3)");
    }

    void httpsAndWss()
    {
        ServerConfig config = TestServer::testConfig();
        config.tlsCertFile = kCert;
        config.tlsKeyFile = kKey;
        TestServer server(config);
        QCOMPARE(server.url().scheme(), u"wss"_s);
        QCOMPARE(server.httpUrl().scheme(), u"https"_s);

        QNetworkAccessManager network;
        QNetworkRequest request(server.httpUrl().resolved(QUrl(u"/healthz"_s)));
        request.setSslConfiguration(trustingTestCertificate());
        QNetworkReply *reply = network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();

        // server.login() uses its own HTTP client, which must trust the certificate as well.
        WsClient client;
        client.socket().setSslConfiguration(trustingTestCertificate());
        QVERIFY(client.open(server.url()));
        QVERIFY(client.socket().sslConfiguration().sessionProtocol() >= QSsl::TlsV1_2);
        QVERIFY(!client.socket().sslConfiguration().sessionCipher().isNull());
        QCOMPARE(client.request(Protocol::Request::ping({})).error->code, Protocol::ErrorCode::NotAuthenticated);
    }

    /*! A client that does not trust the certificate fails the handshake; plain HTTP to the TLS port gets
        a redirect to https:// and nothing else (no API answer); the server keeps serving. */
    void refusals()
    {
        ServerConfig config = TestServer::testConfig();
        config.tlsCertFile = kCert;
        config.tlsKeyFile = kKey;
        config.limits.handshakeTimeoutMs = 500;
        TestServer server(config);
        WsClient untrusting;
        QVERIFY(!untrusting.open(server.url()));

        QTcpSocket plain;
        plain.connectToHost(QHostAddress::LocalHost, server.server().port());
        QVERIFY(plain.waitForConnected());
        plain.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        QSignalSpy closed(&plain, &QTcpSocket::disconnected);
        QVERIFY(closed.wait(5000));
        const QByteArray answer = plain.readAll();
        QVERIFY(!answer.contains("200 OK"));
        QVERIFY2(answer.startsWith("HTTP/1.1 301 "), answer.constData());
        QVERIFY(answer.contains("\r\nLocation: https://x/healthz\r\n"));

        // A connection that says nothing is closed when the handshake deadline passes.
        QTcpSocket silent;
        silent.connectToHost(QHostAddress::LocalHost, server.server().port());
        QVERIFY(silent.waitForConnected());
        QSignalSpy silentClosed(&silent, &QTcpSocket::disconnected);
        QVERIFY(silentClosed.wait(5000));

        WsClient trusting;
        trusting.socket().setSslConfiguration(trustingTestCertificate());
        QVERIFY(trusting.open(server.url()));
    }

    /*! With the host's explicit choice (allowPlainHttp), plain HTTP and ws:// are served on the TLS port
        too, while TLS clients still get TLS there. */
    void plainHttpWhenAllowed()
    {
        ServerConfig config = TestServer::testConfig();
        config.tlsCertFile = kCert;
        config.tlsKeyFile = kKey;
        config.allowPlainHttp = true;
        TestServer server(config);

        QTcpSocket plain;
        plain.connectToHost(QHostAddress::LocalHost, server.server().port());
        QVERIFY(plain.waitForConnected());
        plain.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        QSignalSpy closed(&plain, &QTcpSocket::disconnected);
        QVERIFY(closed.wait(5000));
        QVERIFY(plain.readAll().startsWith("HTTP/1.1 200 OK"));

        QUrl plainUrl = server.url();
        plainUrl.setScheme(u"ws"_s);
        WsClient unencrypted;
        QVERIFY(unencrypted.open(plainUrl));
        QCOMPARE(unencrypted.request(Protocol::Request::ping({})).error->code, Protocol::ErrorCode::NotAuthenticated);

        WsClient encrypted;
        encrypted.socket().setSslConfiguration(trustingTestCertificate());
        QVERIFY(encrypted.open(server.url()));
        QVERIFY(encrypted.socket().sslConfiguration().sessionProtocol() >= QSsl::TlsV1_2);
    }

    /*! The redirect for plain requests: the same path on https:// at the Host the client named; nothing
        unsafe from the request reaches the Location (no header injection, no other site). */
    void httpsRedirect_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QByteArray>("status");
        QTest::addColumn<QByteArray>("location");
        QTest::newRow("page") << QByteArray("GET / HTTP/1.1\r\nHost: 192.168.1.20:7420\r\n\r\n") << QByteArray("301")
                              << QByteArray("https://192.168.1.20:7420/");
        QTest::newRow("path and query") << QByteArray("GET /web/app.js?x=1 HTTP/1.1\r\nhost:  chat.local:7420 \r\n\r\n")
                                        << QByteArray("301") << QByteArray("https://chat.local:7420/web/app.js?x=1");
        QTest::newRow("ipv6") << QByteArray("GET /ws HTTP/1.1\r\nHost: [fd00::7]:7420\r\n\r\n") << QByteArray("301")
                              << QByteArray("https://[fd00::7]:7420/ws");
        QTest::newRow("other site as path") << QByteArray("GET //evil.example/ HTTP/1.1\r\nHost: h\r\n\r\n")
                                            << QByteArray("301") << QByteArray("https://h/");
        QTest::newRow("absolute form") << QByteArray("GET http://evil.example/ HTTP/1.1\r\nHost: h\r\n\r\n")
                                       << QByteArray("301") << QByteArray("https://h/");
        QTest::newRow("no host") << QByteArray("GET / HTTP/1.0\r\n\r\n") << QByteArray("400") << QByteArray();
        QTest::newRow("host with a path") << QByteArray("GET / HTTP/1.1\r\nHost: evil.example/x\r\n\r\n")
                                          << QByteArray("400") << QByteArray();
        QTest::newRow("host with user info") << QByteArray("GET / HTTP/1.1\r\nHost: a@evil.example\r\n\r\n")
                                             << QByteArray("400") << QByteArray();
        QTest::newRow("garbage") << QByteArray("\x01\x02\x03") << QByteArray("400") << QByteArray();
    }
    void httpsRedirect()
    {
        QFETCH(QByteArray, head);
        QFETCH(QByteArray, status);
        QFETCH(QByteArray, location);
        const QByteArray response = Listener::httpsRedirect(head);
        QVERIFY2(response.startsWith("HTTP/1.1 " + status + ' '), response.constData());
        const QList<QByteArray> lines = response.left(response.indexOf("\r\n\r\n")).split('\n');
        QByteArray found;
        for (const QByteArray &line : lines) {
            if (line.startsWith("Location: "))
                found = line.mid(10).trimmed();
        }
        QCOMPARE(found, location);
        QVERIFY(response.contains("\r\nConnection: close\r\n"));
    }

    void badFiles()
    {
        ServerConfig config = TestServer::testConfig();
        QTemporaryDir dir;
        config.dataDir = dir.path();
        config.tlsCertFile = kKey; // a key is not a certificate
        config.tlsKeyFile = kKey;
        ChatServer wrongCert(config);
        QVERIFY(!wrongCert.start());
        QVERIFY(wrongCert.errorString().contains(u"certificate"_s));

        config.tlsCertFile = kCert;
        config.tlsKeyFile = kCert; // a certificate is not a key
        ChatServer wrongKey(config);
        QVERIFY(!wrongKey.start());
        QVERIFY(wrongKey.errorString().contains(u"private key"_s));
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
