// ChatConnection against a real QWebSocketServer on 127.0.0.1:0: handshake (Authorization header,
// subprotocol), frames both ways, size limits, close codes, broken connections, ping RTT and TLS.
#include "app/net/chatconnection.h"
#include "shared/version.h"
#include "support/printers.h"

#include <QtCore/QFile>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <memory>

using namespace Tertulia;
using namespace Qt::StringLiterals;
using Protocol::Event;
using Protocol::Reply;
using Protocol::Request;

Q_DECLARE_METATYPE(Tertulia::DisconnectInfo)
Q_DECLARE_METATYPE(Tertulia::Protocol::Reply)
Q_DECLARE_METATYPE(Tertulia::Protocol::Event)

class TestChatConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    /*! The token travels in the Authorization header and tertulia.v1 is negotiated. */
    void headerAndSubprotocol();
    /*! Without a token no Authorization header is sent (first-frame auth). */
    void noTokenNoHeader();
    /*! Requests go out as exactly the codec's bytes; replies and events come back typed, counted. */
    void framesBothWays();
    /*! Garbage and binary frames are reported; unknown event types are ignored quietly. */
    void malformedAndUnknownFrames();
    /*! A frame over the outgoing limit is refused and never reaches the server. */
    void outgoingLimit();
    /*! A message over the incoming limit closes the connection with 1009. */
    void incomingLimit();
    /*! A ping comes back with a measured round trip. */
    void pingMeasuresRoundTrip();
    /*! The server's close code and reason reach the client. */
    void serverCloseCode();
    /*! A connection that breaks without a close frame reports no close code but an error. */
    void brokenConnection();
    /*! A refused connection ends with exactly one closed() and never opened(). */
    void refusedConnection();
    /*! A server that does not answer our subprotocol is incompatible. */
    void missingSubprotocol();
    /*! A clean close from the client reaches the server with the code; closed() says byClient. */
    void clientClose();
    /*! On wss:// the TLS protocol and cipher are read from the live session. */
    void tlsInfoOnWss();

private:
    /// Starts a server on 127.0.0.1:0 (optionally TLS, optionally without our subprotocol).
    QUrl startServer(QWebSocketServer::SslMode mode = QWebSocketServer::NonSecureMode, bool subprotocol = true);
    /// Opens the client and returns the server's side of the connection.
    QWebSocket *connectClient(const QString &token = u"tok"_s);

    std::unique_ptr<QWebSocketServer> m_server;
    std::unique_ptr<ChatConnection> m_client;
    QList<QSslCertificate> m_certificates;
    QSslKey m_key;
};

void TestChatConnection::initTestCase()
{
    qRegisterMetaType<DisconnectInfo>();
    QFile certificate(QStringLiteral(DATA_DIR "/tls/localhost.crt"));
    QFile key(QStringLiteral(DATA_DIR "/tls/localhost.key"));
    QVERIFY(certificate.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    m_certificates = QSslCertificate::fromData(certificate.readAll(), QSsl::Pem);
    m_key = QSslKey(key.readAll(), QSsl::Ec, QSsl::Pem);
    QVERIFY(!m_certificates.isEmpty());
    QVERIFY(!m_key.isNull());
}

void TestChatConnection::init() { m_client = std::make_unique<ChatConnection>(); }

void TestChatConnection::cleanup()
{
    m_client.reset();
    m_server.reset();
}

QUrl TestChatConnection::startServer(QWebSocketServer::SslMode mode, bool subprotocol)
{
    m_server = std::make_unique<QWebSocketServer>(u"test"_s, mode);
    if (subprotocol)
        m_server->setSupportedSubprotocols({QString::fromLatin1(kSubprotocol)});
    if (mode == QWebSocketServer::SecureMode) {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificate(m_certificates.first());
        configuration.setPrivateKey(m_key);
        m_server->setSslConfiguration(configuration);
    }
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        return {};
    QUrl url;
    url.setScheme(mode == QWebSocketServer::SecureMode ? u"wss"_s : u"ws"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_server->serverPort());
    url.setPath(u"/ws"_s);
    return url;
}

QWebSocket *TestChatConnection::connectClient(const QString &token)
{
    const QUrl url = startServer();
    if (url.isEmpty())
        return nullptr;
    QSignalSpy opened(m_client.get(), &Transport::opened);
    QSignalSpy accepted(m_server.get(), &QWebSocketServer::newConnection);
    m_client->open(url, token);
    if (!opened.wait(5000) && opened.isEmpty())
        return nullptr;
    if (accepted.isEmpty() && !accepted.wait(5000))
        return nullptr;
    QWebSocket *peer = m_server->nextPendingConnection();
    peer->setParent(m_server.get());
    return peer;
}

void TestChatConnection::headerAndSubprotocol()
{
    QWebSocket *peer = connectClient(u"abc.def.ghi"_s);
    QVERIFY(peer);
    QCOMPARE(peer->request().rawHeader("Authorization"), QByteArray("Bearer abc.def.ghi"));
    QCOMPARE(m_client->subprotocol(), QString::fromLatin1(kSubprotocol));
    QCOMPARE(peer->subprotocol(), QString::fromLatin1(kSubprotocol));
    QVERIFY(!m_client->tlsInfo().isEncrypted());
}

void TestChatConnection::noTokenNoHeader()
{
    QWebSocket *peer = connectClient(QString());
    QVERIFY(peer);
    QVERIFY(!peer->request().hasRawHeader("Authorization"));
}

void TestChatConnection::framesBothWays()
{
    QWebSocket *peer = connectClient();
    QVERIFY(peer);
    QSignalSpy serverGot(peer, &QWebSocket::textMessageReceived);
    QSignalSpy sent(m_client.get(), &Transport::frameSent);
    const Request join = Request::join(u"r1"_s, u"general"_s);
    QVERIFY(m_client->send(join));
    QVERIFY(serverGot.wait(5000));
    QCOMPARE(serverGot.first().first().toString().toUtf8(), Protocol::encode(join));
    QCOMPARE(sent.size(), 1);
    QCOMPARE(sent.first().first().toLongLong(), Protocol::encode(join).size());

    QSignalSpy replies(m_client.get(), &Transport::replyReceived);
    QSignalSpy events(m_client.get(), &Transport::eventReceived);
    QSignalSpy received(m_client.get(), &Transport::frameReceived);
    const Event message = Event::message({u"general"_s, 7, u"bob"_s, u"¿qué tal? 👋"_s, u"m-9"_s, 1795660300000});
    const Reply ok = Reply::ok(u"r1"_s, {{u"x"_s, 1}});
    peer->sendTextMessage(QString::fromUtf8(Protocol::encode(message)));
    peer->sendTextMessage(QString::fromUtf8(Protocol::encode(ok)));
    QTRY_COMPARE(replies.size(), 1);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().first().value<Event>(), message);
    QCOMPARE(replies.first().first().value<Reply>(), ok);
    QCOMPARE(received.size(), 2);
    QCOMPARE(received.at(0).first().toLongLong(), Protocol::encode(message).size());
}

void TestChatConnection::malformedAndUnknownFrames()
{
    QWebSocket *peer = connectClient();
    QVERIFY(peer);
    QSignalSpy malformed(m_client.get(), &Transport::malformedFrameReceived);
    QSignalSpy events(m_client.get(), &Transport::eventReceived);
    QSignalSpy received(m_client.get(), &Transport::frameReceived);
    peer->sendTextMessage(u"{not json"_s);
    peer->sendTextMessage(uR"({"type":"from_the_future","data":{}})"_s);
    peer->sendBinaryMessage(QByteArray("\x01\x02", 2));
    peer->sendTextMessage(QString::fromUtf8(Protocol::encode(Event::presence({u"bob"_s, Protocol::PresenceStatus::Away}))));
    QTRY_COMPARE(events.size(), 1);
    QCOMPARE(malformed.size(), 2);
    QCOMPARE(received.size(), 4);
}

void TestChatConnection::outgoingLimit()
{
    QWebSocket *peer = connectClient();
    QVERIFY(peer);
    QSignalSpy serverGot(peer, &QWebSocket::textMessageReceived);
    m_client->setMaxOutgoingSize(200);
    QVERIFY(!m_client->send(Request::send(u"r1"_s, {u"general"_s, QString(300, u'x'), u"m1"_s})));
    const Request small = Request::ping(u"r2"_s);
    QVERIFY(m_client->send(small));
    QVERIFY(serverGot.wait(5000));
    QCOMPARE(serverGot.size(), 1);
    QCOMPARE(serverGot.first().first().toString().toUtf8(), Protocol::encode(small));
}

void TestChatConnection::incomingLimit()
{
    m_client->setMaxIncomingSize(1024);
    QWebSocket *peer = connectClient();
    QVERIFY(peer);
    QSignalSpy closed(m_client.get(), &Transport::closed);
    QSignalSpy events(m_client.get(), &Transport::eventReceived);
    peer->sendTextMessage(QString::fromUtf8(
        Protocol::encode(Event::message({u"general"_s, 1, u"bob"_s, QString(4096, u'y'), u"m"_s, 1}))));
    QVERIFY(closed.wait(5000));
    QCOMPARE(closed.first().first().value<DisconnectInfo>().closeCode, 1009);
    QVERIFY(events.isEmpty());
}

void TestChatConnection::pingMeasuresRoundTrip()
{
    QWebSocket *peer = connectClient();
    QVERIFY(peer);
    QSignalSpy pong(m_client.get(), &Transport::pongReceived);
    m_client->ping();
    QVERIFY(pong.wait(5000));
    // Measured to the microsecond: a loopback round trip takes time, but well under a millisecond
    // tick, so a whole-millisecond timer would have said 0.
    const double rtt = pong.first().first().toDouble();
    QVERIFY2(rtt > 0 && rtt < 5000, qPrintable(QString::number(rtt)));
    qInfo() << "loopback ping round trip:" << rtt << "ms";
    m_client->ping();
    m_client->ping();
    QTRY_COMPARE(pong.size(), 3);
    for (const auto &args : std::as_const(pong))
        QVERIFY(args.first().toDouble() > 0);
}

void TestChatConnection::serverCloseCode()
{
    QWebSocket *peer = connectClient();
    QVERIFY(peer);
    QSignalSpy closed(m_client.get(), &Transport::closed);
    peer->close(QWebSocketProtocol::CloseCode(4002), u"bad token"_s);
    QVERIFY(closed.wait(5000));
    QCoreApplication::processEvents(); // a second closed() would be queued by now
    QCOMPARE(closed.size(), 1);
    const auto info = closed.first().first().value<DisconnectInfo>();
    QCOMPARE(info.closeCode, 4002);
    QCOMPARE(info.closeReason, u"bad token"_s);
    QVERIFY(!info.byClient);
    QVERIFY(!m_client->send(Request::ping(u"r9"_s)));
}

void TestChatConnection::brokenConnection()
{
    QWebSocket *peer = connectClient();
    QVERIFY(peer);
    QSignalSpy closed(m_client.get(), &Transport::closed);
    peer->abort();
    QVERIFY(closed.wait(5000));
    const auto info = closed.first().first().value<DisconnectInfo>();
    QCOMPARE(info.closeCode, 0);
    QVERIFY(!info.errorString.isEmpty());
    QVERIFY(!info.byClient);
}

void TestChatConnection::refusedConnection()
{
    // A port that was just free: listen, note it, stop listening.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    QSignalSpy opened(m_client.get(), &Transport::opened);
    QSignalSpy closed(m_client.get(), &Transport::closed);
    m_client->open(QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(port)), u"t"_s);
    QVERIFY(closed.wait(5000));
    QCoreApplication::processEvents();
    QCOMPARE(closed.size(), 1);
    QVERIFY(opened.isEmpty());
    const auto info = closed.first().first().value<DisconnectInfo>();
    QCOMPARE(info.closeCode, 0);
    QVERIFY(!info.errorString.isEmpty());
}

void TestChatConnection::missingSubprotocol()
{
    const QUrl url = startServer(QWebSocketServer::NonSecureMode, false);
    QSignalSpy opened(m_client.get(), &Transport::opened);
    QSignalSpy closed(m_client.get(), &Transport::closed);
    m_client->open(url, u"t"_s);
    QVERIFY(closed.wait(5000));
    QVERIFY(opened.isEmpty());
    QVERIFY(closed.first().first().value<DisconnectInfo>().incompatible);
}

void TestChatConnection::clientClose()
{
    QWebSocket *peer = connectClient();
    QVERIFY(peer);
    QSignalSpy serverSaw(peer, &QWebSocket::disconnected);
    QSignalSpy closed(m_client.get(), &Transport::closed);
    m_client->close(1000, u"bye"_s);
    QVERIFY(serverSaw.wait(5000));
    QCOMPARE(int(peer->closeCode()), 1000);
    QCOMPARE(peer->closeReason(), u"bye"_s);
    QTRY_COMPARE(closed.size(), 1);
    QVERIFY(closed.first().first().value<DisconnectInfo>().byClient);
}

void TestChatConnection::tlsInfoOnWss()
{
    const QUrl url = startServer(QWebSocketServer::SecureMode);
    QVERIFY(!url.isEmpty());
    m_client->addCaCertificates(m_certificates);
    QSignalSpy opened(m_client.get(), &Transport::opened);
    QSignalSpy closed(m_client.get(), &Transport::closed);
    m_client->open(url, u"t"_s);
    QVERIFY2(opened.wait(10000), closed.isEmpty() ? "no answer"
             : qPrintable(closed.first().first().value<DisconnectInfo>().errorString));
    const TlsInfo tls = m_client->tlsInfo();
    QVERIFY(tls.isEncrypted());
    QVERIFY2(tls.protocol.startsWith(u"TLSv1."_s), qPrintable(tls.protocol));
    QVERIFY(!tls.cipher.isEmpty());
    qInfo() << "negotiated" << tls.protocol << tls.cipher;
}

QTEST_GUILESS_MAIN(TestChatConnection)
#include "tst_chatconnection.moc"
