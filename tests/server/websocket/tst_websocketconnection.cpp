// The portable server connection (WebSocket::Connection) on real sockets, plain TCP and TLS: frames a strict
// client (QWebSocket) accepts and messages it fragments inside characters, the RFC 6455 violations a server
// must fail, the message deadline (half a frame then silence; one byte per continuation frame with pongs in
// between), the closing handshake both ways and its deadline, pings, backpressure, frames sent right behind the
// upgrade request, a close frame that survives the connection's immediate deletion.
#include "server/http/httprequest.h"
#include "server/websocket/websocketconnection.h"
#include "server/websocket/websocketframe.h"
#include "server/websocket/websockethandshake.h"
#include "support/clientframes.h"
#include "support/rawwebsocket.h"
#include "support/testmain.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QPointer>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::WebSocket;
using namespace Tertulia::Test;

namespace {

const QString kCert = QStringLiteral(TEST_DATA_DIR "/tls-test.crt");
const QString kKey = QStringLiteral(TEST_DATA_DIR "/tls-test.key");

QSslConfiguration serverTls()
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(QSslCertificate::fromPath(kCert));
    QFile key(kKey);
    if (key.open(QIODevice::ReadOnly))
        configuration.setPrivateKey(QSslKey(key.readAll(), QSsl::Rsa));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

QSslConfiguration clientTls()
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(kCert));
    return configuration;
}

/// One accepted connection, recording what it reports; echoes text and binary messages when asked to.
class Peer : public QObject
{
public:
    explicit Peer(Connection *socket, QObject *parent) : QObject(parent), connection(socket)
    {
        socket->setParent(this);
        connect(socket, &Connection::textMessageReceived, this, [this](const QByteArray &utf8) {
            if (deleteOnMessage) {
                delete this->connection; // what a receiver must not do; the connection must survive it anyway
                return;
            }
            texts << utf8;
            if (echo)
                this->connection->sendText(utf8);
        });
        connect(socket, &Connection::binaryMessageReceived, this, [this](const QByteArray &bytes) {
            binaries << bytes;
            if (echo)
                this->connection->sendBinary(bytes);
        });
        connect(socket, &Connection::pingReceived, this, [this](const QByteArray &payload) { pings << payload; });
        connect(socket, &Connection::pongReceived, this, [this](const QByteArray &payload) { pongs << payload; });
        connect(socket, &Connection::disconnected, this, [this](quint16 code) { disconnectedCode = code; });
    }

    QPointer<Connection> connection;
    QByteArrayList texts;
    QByteArrayList binaries;
    QByteArrayList pings;
    QByteArrayList pongs;
    int disconnectedCode = 0;
    bool echo = true;
    bool deleteOnMessage = false;
};

/// A server on 127.0.0.1:0, plain or TLS, that answers the upgrade with our handshake and serves each
/// connection with a WebSocket::Connection, as ChatServer and the Engine.IO server do.
class Server : public QTcpServer
{
public:
    explicit Server(bool tls, Connection::Options options = {}) : m_tls(tls), m_options(options)
    {
        listen(QHostAddress::LocalHost, 0);
    }

    QUrl url() const { return QUrl(QStringLiteral("%1://127.0.0.1:%2/ws").arg(m_tls ? u"wss"_s : u"ws"_s).arg(serverPort())); }
    Peer *last() const { return peers.isEmpty() ? nullptr : peers.last(); }

    QList<Peer *> peers;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (!m_tls) {
            auto *socket = new QTcpSocket(this);
            socket->setSocketDescriptor(descriptor);
            waitForHead(socket);
            return;
        }
        auto *socket = new QSslSocket(this);
        socket->setSocketDescriptor(descriptor);
        socket->setSslConfiguration(serverTls());
        connect(socket, &QSslSocket::encrypted, this, [this, socket] { waitForHead(socket); });
        socket->startServerEncryption();
    }

private:
    void waitForHead(QTcpSocket *socket)
    {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onHead(socket); });
        if (socket->bytesAvailable() > 0)
            onHead(socket);
    }

    void onHead(QTcpSocket *socket)
    {
        const auto parsed = Http::parseRequestHead(socket->peek(8192), 8192);
        if (!std::holds_alternative<Http::ParsedHead>(parsed))
            return; // incomplete (the tests send well-formed heads)
        socket->disconnect(this);
        const Http::Request &request = std::get<Http::ParsedHead>(parsed).request;
        const auto answer = acceptHandshake(request, "tertulia.v1");
        if (const auto *refusal = std::get_if<Http::Response>(&answer)) {
            socket->write(refusal->serialize(false));
            socket->disconnectFromHost();
            return;
        }
        auto *connection = new Connection(socket, m_options);
        peers << new Peer(connection, this);
        connection->start(request, std::get<QByteArray>(answer));
    }

    bool m_tls;
    Connection::Options m_options;
};

bool openClient(QWebSocket &client, const QUrl &url)
{
    client.setSslConfiguration(clientTls());
    QNetworkRequest request(url);
    request.setRawHeader("Sec-WebSocket-Protocol", "tertulia.v1");
    QSignalSpy connected(&client, &QWebSocket::connected);
    client.open(request);
    return connected.wait(5000);
}

int openRaw(RawWebSocket &raw, const Server &server, bool tls)
{
    if (tls)
        raw.setTls(clientTls());
    return raw.open(server.serverPort());
}

void addTlsColumn()
{
    QTest::addColumn<bool>("tls");
    QTest::newRow("plain") << false;
    QTest::newRow("tls") << true;
}

} // namespace

class TestWebSocketConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QFAIL("Qt has no TLS backend here (install libssl3)");
    }

    void strictClientEcho_data() { addTlsColumn(); }
    /*! QWebSocket, a strict client, accepts our handshake and frames: text, binary, empty, 16- and 64-bit
        lengths; it sends large messages in 1000-byte fragments, each cut inside a character, which we
        assemble (QtWebSockets as a server refused them with 1007). */
    void strictClientEcho()
    {
        QFETCH(bool, tls);
        Connection::Options options;
        options.maxMessageBytes = 1 << 20;
        Server server(tls, options);
        QWebSocket client;
        QVERIFY(openClient(client, server.url()));
        QCOMPARE(client.subprotocol(), u"tertulia.v1"_s);
        QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
        QSignalSpy binaries(&client, &QWebSocket::binaryMessageReceived);

        const QString big = u"a"_s + QString(150000, QChar(0xF1)); // every 1000-byte cut splits an ñ
        client.setOutgoingFrameSize(1000);
        const QStringList messages{u"hola"_s, QString(), QString(300, u'x'), u"\U0001F600 ok"_s, big};
        for (const QString &message : messages)
            client.sendTextMessage(message);
        client.sendBinaryMessage(QByteArray("\x00\x01\xfe\xff", 4));
        QTRY_COMPARE_WITH_TIMEOUT(texts.size(), messages.size(), 10000);
        QTRY_COMPARE(binaries.size(), 1);
        for (qsizetype i = 0; i < messages.size(); ++i)
            QCOMPARE(texts.at(i).at(0).toString(), messages.at(i));
        QCOMPARE(binaries.at(0).at(0).toByteArray(), QByteArray("\x00\x01\xfe\xff", 4));
        QCOMPARE(server.last()->texts.size(), messages.size());
        QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
    }

    void fragmentsCutInsideCharacters_data() { addTlsColumn(); }
    /*! A text message in four fragments, each cut inside a four-byte character, with a ping between two of
        them: one message, the ping answered, the connection open (QtWebSockets ended this one with 1006 and no
        close frame). */
    void fragmentsCutInsideCharacters()
    {
        QFETCH(bool, tls);
        Server server(tls);
        RawWebSocket raw;
        QCOMPARE(openRaw(raw, server, tls), 101);
        QTRY_COMPARE(server.peers.size(), 1);
        const QByteArray text = "\xf0\x9f\x98\x80" "a\xf0\x9f\x98\x81" "b\xf0\x9f\x98\x82";
        raw.sendRaw(textFrame(text.first(2), false) + continuationFrame(text.sliced(2, 4), false)
                    + pingFrame("mid") + continuationFrame(text.sliced(6, 5), false)
                    + continuationFrame(text.sliced(11), true));
        const auto pong = raw.readFrame(5000);
        QVERIFY(pong);
        QCOMPARE(pong->opcode, 0xA);
        QCOMPARE(pong->payload, QByteArray("mid"));
        const auto echo = raw.readFrame(5000);
        QVERIFY(echo);
        QCOMPARE(echo->opcode, 0x1);
        QCOMPARE(echo->payload, text);
        QCOMPARE(server.last()->texts, QByteArrayList{text});
        QCOMPARE(server.last()->connection->state(), Connection::State::Open);
    }

    void violations_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("closeCode");
        for (const bool tls : {false, true}) {
            const char *path = tls ? "tls: " : "plain: ";
            auto row = [&](const char *name) { return &QTest::newRow((QByteArray(path) + name).constData()); };
            *row("unmasked") << tls << ClientFrame{0x1, "x", true, 0, false}.bytes() << 1002;
            *row("unmasked ping") << tls << ClientFrame{0x9, "x", true, 0, false}.bytes() << 1002;
            *row("rsv1") << tls << ClientFrame{0x1, "x", true, 4}.bytes() << 1002;
            *row("reserved opcode") << tls << ClientFrame{0x3, "x"}.bytes() << 1002;
            *row("continuation first") << tls << continuationFrame("x", true) << 1002;
            *row("fragmented ping") << tls << ClientFrame{0x9, "x", false}.bytes() << 1002;
            *row("bad close code") << tls << clientClose(1005) << 1002;
            *row("invalid UTF-8") << tls << textFrame("\xed\xa0\x80") << 1007;
            *row("invalid UTF-8 across fragments") << tls << textFrame("\xf0\x9f", false) + continuationFrame("\x41", true) << 1007;
            *row("too big, header only") << tls << ClientFrame{0x1, {}, true, 0, true, {1, 2, 3, 4}, 8, 1 << 20}.bytes() << 1009;
            *row("too big") << tls << textFrame(QByteArray(70000, 'x')) << 1009;
        }
    }
    /*! A violation closes with the right code, and the connection ends even though the client neither answers
        the close nor stops sending (what it still sends is read and dropped). */
    void violations()
    {
        QFETCH(bool, tls);
        QFETCH(QByteArray, bytes);
        QFETCH(int, closeCode);
        Connection::Options options;
        options.closeTimeoutMs = 2000;
        Server server(tls, options);
        RawWebSocket raw;
        QCOMPARE(openRaw(raw, server, tls), 101);
        QTRY_COMPARE(server.peers.size(), 1);
        raw.sendRaw(textFrame("before") + bytes + textFrame("after"));
        const auto echo = raw.readFrame(5000);
        QVERIFY(echo);
        QCOMPARE(echo->payload, QByteArray("before"));
        QCOMPARE(raw.waitForClose(5000), closeCode);
        QTRY_COMPARE_WITH_TIMEOUT(server.last()->disconnectedCode, closeCode, 5000);
        QCOMPARE(server.last()->texts, QByteArrayList{"before"});
        QTRY_COMPARE_WITH_TIMEOUT(raw.socket().state(), QAbstractSocket::UnconnectedState, 5000);
    }

    void messageDeadline_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::addColumn<int>("trickle");   // 0: half a frame, then silence; 1: one byte per continuation frame, pongs between
        for (const bool tls : {false, true}) {
            QTest::newRow(tls ? "tls: half a frame" : "plain: half a frame") << tls << 0;
            QTest::newRow(tls ? "tls: one byte per fragment" : "plain: one byte per fragment") << tls << 1;
        }
    }
    /*! A frame, or a fragmented message, that does not arrive whole within the deadline fails the connection
        with 1008, however the peer keeps the connection busy meanwhile. Before: half a frame stayed open for
        good (fast path), and QtWebSockets' timer restarted on every byte. */
    void messageDeadline()
    {
        QFETCH(bool, tls);
        QFETCH(int, trickle);
        Connection::Options options;
        options.messageTimeoutMs = 400;
        options.closeTimeoutMs = 1000;
        Server server(tls, options);
        RawWebSocket raw;
        QCOMPARE(openRaw(raw, server, tls), 101);
        QTRY_COMPARE(server.peers.size(), 1);
        QElapsedTimer timer;
        timer.start();
        if (trickle == 0) {
            raw.sendRaw(textFrame("a complete frame") + textFrame("half of this frame").first(9));
        } else {
            raw.sendRaw(textFrame("{", false));
            // One byte every 50 ms for longer than the deadline, each with an unsolicited pong (a heartbeat).
            for (int i = 0; i < 20 && raw.socket().state() == QAbstractSocket::ConnectedState
                            && server.last()->disconnectedCode == 0; ++i) {
                QTest::qWait(50);
                raw.sendRaw(continuationFrame("x", false) + pongFrame("alive"));
            }
        }
        QCOMPARE(raw.waitForClose(5000), 1008);
        const qint64 elapsed = timer.elapsed();
        QVERIFY2(elapsed >= 350 && elapsed < 3000, QByteArray::number(elapsed).constData());
        QTRY_COMPARE_WITH_TIMEOUT(server.last()->disconnectedCode, 1008, 5000);
        QCOMPARE(server.last()->texts, trickle == 0 ? QByteArrayList{"a complete frame"} : QByteArrayList{});
        if (trickle)
            QVERIFY(server.last()->pongs.size() >= 5); // the pongs came through: liveness is not completeness
    }

    /*! A message that arrives in pieces within the deadline is fine, and the deadline ends with it: the
        connection stays open for longer than the deadline afterwards. */
    void messageDeadlineMet()
    {
        Connection::Options options;
        options.messageTimeoutMs = 400;
        Server server(false, options);
        RawWebSocket raw;
        QCOMPARE(raw.open(server.serverPort()), 101);
        QTRY_COMPARE(server.peers.size(), 1);
        const QByteArray frame = textFrame("slow but in time");
        raw.sendRaw(frame.first(4)); // not even the whole header
        QTest::qWait(150);
        raw.sendRaw(frame.sliced(4) + textFrame("next", false));
        QTest::qWait(150);
        raw.sendRaw(continuationFrame(" one", true));
        QTRY_COMPARE(server.last()->texts, (QByteArrayList{"slow but in time", "next one"}));
        QTest::qWait(600);
        QCOMPARE(server.last()->connection->state(), Connection::State::Open);
        QCOMPARE(server.last()->disconnectedCode, 0);
    }

    void closeByServer_data() { addTlsColumn(); }
    /*! Our close: the client sees the code and the reason, answers, and the connection ends cleanly. */
    void closeByServer()
    {
        QFETCH(bool, tls);
        Server server(tls);
        QWebSocket client;
        QVERIFY(openClient(client, server.url()));
        QTRY_COMPARE(server.peers.size(), 1);
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        server.last()->connection->close(4001, "adi\xc3\xb3s");
        server.last()->connection->sendText("dropped: after the close frame nothing more is sent");
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(int(client.closeCode()), 4001);
        QCOMPARE(client.closeReason(), u"adi\u00f3s"_s);
        QTRY_COMPARE(server.last()->disconnectedCode, 4001);
        QCOMPARE(server.last()->connection->state(), Connection::State::Closed);
    }

    void closeByClient_data() { addTlsColumn(); }
    /*! The client's close: we echo its code; the connection ends with that code (not as a drop). */
    void closeByClient()
    {
        QFETCH(bool, tls);
        Server server(tls);
        QWebSocket client;
        QVERIFY(openClient(client, server.url()));
        QTRY_COMPARE(server.peers.size(), 1);
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        client.close(QWebSocketProtocol::CloseCodeNormal, u"done"_s);
        QTRY_COMPARE(disconnected.count(), 1);
        QTRY_COMPARE(server.last()->disconnectedCode, 1000);
        QCOMPARE(int(client.closeCode()), 1000);
    }

    /*! A connection that simply drops is reported as Abnormal (1006), which the session layer tells apart
        from a close (the presence grace). */
    void dropReportedAsAbnormal()
    {
        Server server(false);
        RawWebSocket raw;
        QCOMPARE(raw.open(server.serverPort()), 101);
        QTRY_COMPARE(server.peers.size(), 1);
        raw.socket().abort();
        QTRY_COMPARE(server.last()->disconnectedCode, int(CloseStatus::Abnormal));
    }

    /*! A peer that never answers our close is cut off at the deadline; it got the close frame first. */
    void closeDeadline()
    {
        Connection::Options options;
        options.closeTimeoutMs = 300;
        Server server(false, options);
        RawWebSocket raw; // answers nothing
        QCOMPARE(raw.open(server.serverPort()), 101);
        QTRY_COMPARE(server.peers.size(), 1);
        QElapsedTimer timer;
        timer.start();
        server.last()->connection->close(4010, "idle");
        const auto frame = raw.readFrame(5000);
        QVERIFY(frame);
        QCOMPARE(frame->closeCode(), 4010);
        QTRY_COMPARE(server.last()->disconnectedCode, 4010);
        QVERIFY(timer.elapsed() >= 250);
        QTRY_COMPARE(raw.socket().state(), QAbstractSocket::UnconnectedState);
    }

    void closeFrameSurvivesDeletion_data() { addTlsColumn(); }
    /*! A server that closes and deletes its connections at once (a shutdown) still gets the close frames out. */
    void closeFrameSurvivesDeletion()
    {
        QFETCH(bool, tls);
        Server server(tls);
        RawWebSocket raw;
        QCOMPARE(openRaw(raw, server, tls), 101);
        QTRY_COMPARE(server.peers.size(), 1);
        server.last()->connection->close(1001, "shutting down");
        delete server.last()->connection;
        QCOMPARE(raw.waitForClose(5000), 1001);
    }

    /*! Pings both ways: ours come back as pongs with our payload; the client's are answered at once. */
    void pings()
    {
        Server server(false);
        QWebSocket client;
        QVERIFY(openClient(client, server.url()));
        QTRY_COMPARE(server.peers.size(), 1);
        server.last()->connection->ping("abc");
        QTRY_COMPARE(server.last()->pongs, QByteArrayList{"abc"});
        QSignalSpy pong(&client, &QWebSocket::pong);
        client.ping("xyz");
        QVERIFY(pong.wait(5000));
        QCOMPARE(pong.at(0).at(1).toByteArray(), QByteArray("xyz"));
        QCOMPARE(server.last()->pings, QByteArrayList{"xyz"});
    }

    /*! A client that stops reading: bytesQueued() counts what the kernel would not take; once the client reads
        again everything arrives in order and the count returns to 0. */
    void backpressure()
    {
        Server server(false);
        RawWebSocket raw;
        QCOMPARE(raw.open(server.serverPort()), 101);
        QTRY_COMPARE(server.peers.size(), 1);
        raw.socket().setReadBufferSize(1);
        Connection *connection = server.last()->connection;
        const int frames = 400;
        const QByteArray payload(64 * 1024 - 16, 'p');
        for (int n = 0; n < frames; ++n) {
            connection->sendText(QByteArray::number(n).rightJustified(6, '0') + payload);
            QTest::qWait(0);
        }
        QTRY_VERIFY(connection->bytesQueued() > 8 * 1024 * 1024); // far beyond what sockets buffer
        QTest::qWait(100);
        QVERIFY(connection->bytesQueued() > 8 * 1024 * 1024); // and stays there while the client does not read

        raw.socket().setReadBufferSize(0);
        for (int n = 0; n < frames; ++n) {
            const auto frame = raw.readFrame(10000);
            QVERIFY(frame);
            QCOMPARE(frame->opcode, 1);
            QCOMPARE(frame->payload.first(6), QByteArray::number(n).rightJustified(6, '0'));
        }
        QTRY_COMPARE(connection->bytesQueued(), qint64(0));
        QCOMPARE(connection->state(), Connection::State::Open);
    }

    /*! Frames a client sends right behind its upgrade request are not lost, and come after the 101. */
    void bytesAfterUpgradeRequest()
    {
        Server server(false);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(client.waitForConnected(5000));
        client.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Protocol: tertulia.v1\r\n\r\n"
                     + textFrame("early") + textFrame("bird"));
        QTRY_COMPARE(server.peers.size(), 1);
        QTRY_COMPARE(server.last()->texts, (QByteArrayList{"early", "bird"}));
        QByteArray answer;
        QTRY_VERIFY((answer += client.readAll()).contains("bird"));
        QVERIFY(answer.startsWith("HTTP/1.1 101"));
        QVERIFY(answer.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        QVERIFY(answer.contains("\x81\x05" "early\x81\x04" "bird"));
    }

    /*! A receiver that deletes its connection from inside a message signal: nothing after it is touched. */
    void deletedFromReceiver()
    {
        Server server(false);
        RawWebSocket raw;
        QCOMPARE(raw.open(server.serverPort()), 101);
        QTRY_COMPARE(server.peers.size(), 1);
        server.last()->deleteOnMessage = true;
        QSignalSpy gone(&raw.socket(), &QTcpSocket::disconnected);
        raw.sendRaw(textFrame("one") + textFrame("two"));
        QVERIFY(gone.wait(5000));
        QVERIFY(server.last()->connection.isNull());
    }
};

TERTULIA_SERVER_TEST_MAIN(TestWebSocketConnection)
#include "tst_websocketconnection.moc"
