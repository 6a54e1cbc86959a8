// TLS on the same port: https:// for the API, wss:// for the protocol, and clear refusals of bad setups.
#include "support/printers.h"
#include "support/testserver.h"
#include "support/wsclient.h"

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

    /*! A client that does not trust the certificate fails the handshake; plain HTTP to the TLS port goes
        nowhere; the server keeps serving. */
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
        QVERIFY(!plain.readAll().contains("200 OK"));

        WsClient trusting;
        trusting.socket().setSslConfiguration(trustingTestCertificate());
        QVERIFY(trusting.open(server.url()));
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
