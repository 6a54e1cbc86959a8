// The fast path's connection on real sockets: taking a descriptor over from QTcpSocket, frames a strict client
// (QWebSocket) accepts, order and no loss with direct sends and coalesced writes, backpressure and the queued
// byte count, the closing handshake both ways and its deadline, protocol violations, the message deadline, pings,
// FastTransport.
#include "../rawtcp.h"

#include "server/core/serverconfig.h"
#include "server/fastpath/fasttransport.h"
#include "server/fastpath/fastwebsocket.h"
#include "server/fastpath/flushlist.h"
#include "server/fastpath/framequeue.h"
#include "server/fastpath/sockettakeover.h"
#include "server/http/httprequest.h"
#include "server/metrics/metrics.h"
#include "server/websocket/websockethandshake.h"
#include "shared/protocol/frames.h"
#include "support/clientframes.h"
#include "support/rawwebsocket.h"
#include "support/testmain.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtTest/QTestEventLoop>
#include <QtWebSockets/QWebSocket>

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::FastPath;
using namespace Tertulia::WebSocket;
using namespace Tertulia::Test;

namespace {

/// One accepted connection on the fast path, recording what its socket reports; echoes text and binary
/// messages when asked to.
class Connection final : public FastWebSocket::Handler
{
public:
    Connection(int fd, FlushList &flushList, const FastWebSocket::Options &options)
        : socket(fd, flushList, *this, options)
    {
    }

    void onTextMessage(QByteArray utf8) override
    {
        if (deleteOnMessage) {
            delete this; // what a handler must not do; the socket must survive it anyway
            return;
        }
        texts << utf8;
        if (echo)
            socket.sendText(utf8);
    }
    void onBinaryMessage(QByteArray bytes) override
    {
        binaries << bytes;
        if (echo)
            socket.sendBinary(bytes);
    }
    void onPing(const QByteArray &payload) override { pings << payload; }
    void onPong(const QByteArray &payload) override { pongs << payload; }
    void onPeerClose(quint16 code, const QByteArray &reason) override
    {
        peerCloseCode = code;
        peerCloseReason = reason;
    }
    void onDisconnected(quint16 code) override { disconnectedCode = code; }

    FastWebSocket socket;
    QByteArrayList texts;
    QByteArrayList binaries;
    QByteArrayList pings;
    QByteArrayList pongs;
    int peerCloseCode = 0;
    QByteArray peerCloseReason;
    int disconnectedCode = 0;
    bool echo = true;
    bool deleteOnMessage = false;
};

/// A server on 127.0.0.1:0 that does the upgrade itself (our handshake, then the takeover), as ChatServer
/// does, and keeps each connection's handler.
class FastServer : public QObject
{
public:
    explicit FastServer(FastWebSocket::Options options = {}, WritePolicy policy = WritePolicy::Adaptive)
        : m_flushList(policy), m_options(options)
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onHead(socket); });
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    ~FastServer() override
    {
        for (Connection *connection : std::as_const(connections))
            delete connection;
    }

    quint16 port() const { return m_server.serverPort(); }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(port())); }
    FlushList &flushList() { return m_flushList; }
    Connection *last() { return connections.isEmpty() ? nullptr : connections.last(); }

    QList<Connection *> connections;

private:
    void onHead(QTcpSocket *socket)
    {
        const QByteArray peeked = socket->peek(8192);
        const auto parsed = Http::parseRequestHead(peeked, 8192);
        if (!std::holds_alternative<Http::ParsedHead>(parsed))
            return; // incomplete (the tests send well-formed heads)
        socket->disconnect(this);
        const auto &head = std::get<Http::ParsedHead>(parsed);
        const auto answer = acceptHandshake(head.request, "tertulia.v1");
        if (const auto *refusal = std::get_if<Http::Response>(&answer)) {
            socket->write(refusal->serialize(false));
            socket->disconnectFromHost();
            return;
        }
        auto taken = takeOverSocket(socket);
        QVERIFY(taken);
        auto *connection = new Connection(taken->descriptor, m_flushList, m_options);
        connections << connection;
        connection->socket.sendFrame(std::get<QByteArray>(answer));
        connection->socket.start(taken->alreadyRead.sliced(head.headLength));
    }

    QTcpServer m_server;
    FlushList m_flushList;
    FastWebSocket::Options m_options;
};

/// What a transport reports, as a Session would hear it.
class RecordingReceiver final : public SessionTransport::Receiver
{
public:
    void onRequest(const Protocol::Request &request) override { requests << request; }
    void onMalformed(const Protocol::Error &error, const QString &) override { malformed << error; }
    void onActivity() override { ++activity; }
    void onPong(quint64 elapsedMs) override { pongs << elapsedMs; }
    void onClosed() override { ++closed; }

    QList<Protocol::Request> requests;
    QList<Protocol::Error> malformed;
    QList<quint64> pongs;
    int activity = 0;
    int closed = 0;
};

/// Two plain TCP sockets connected on 127.0.0.1: `client`, and `accepted` on the server side (its parent is
/// the server, so the takeover's deleteLater() and the pair's end both clean it up).
struct TcpPair
{
    QTcpServer server;
    QTcpSocket client;
    QPointer<QTcpSocket> accepted;

    bool open()
    {
        if (!server.listen(QHostAddress::LocalHost, 0))
            return false;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        if (!server.waitForNewConnection(5000))
            return false;
        accepted = server.nextPendingConnection();
        return accepted && client.waitForConnected(5000);
    }
};

QByteArray upgradeRequest(quint16 port)
{
    return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: tertulia.v1\r\n\r\n";
}

bool openClient(QWebSocket &client, const QUrl &url)
{
    QNetworkRequest request(url);
    request.setRawHeader("Sec-WebSocket-Protocol", "tertulia.v1");
    QSignalSpy connected(&client, &QWebSocket::connected);
    client.open(request);
    return connected.wait(5000);
}

/// A FastServer with one QWebSocket client connected, and the texts the client received, in order.
struct ServerWithClient
{
    FastServer server;
    QWebSocket client;
    QStringList received;

    bool open()
    {
        if (!openClient(client, server.url()))
            return false;
        QObject::connect(&client, &QWebSocket::textMessageReceived, &client,
                         [this](const QString &text) { received << text; });
        return QTest::qWaitFor([this] { return server.connections.size() == 1; }, 5000);
    }
};

} // namespace

class TestFastWebSocket : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! The takeover keeps the connection: bytes Qt had buffered come back, later bytes arrive on the duplicate,
        writes reach the peer, which never sees an end until we close; the QTcpSocket object goes. */
    void takeOver()
    {
        TcpPair pair;
        QVERIFY(pair.open());
        QTcpSocket &client = pair.client;
        QPointer<QTcpSocket> accepted = pair.accepted;
        client.write("first");
        QTRY_COMPARE(accepted->bytesAvailable(), 5);

        QSignalSpy clientClosed(&client, &QTcpSocket::disconnected);
        auto taken = takeOverSocket(accepted);
        QVERIFY(taken);
        QCOMPARE(taken->alreadyRead, QByteArray("first"));
        QCOMPARE(taken->peerAddress, u"127.0.0.1"_s);
        QTRY_VERIFY(accepted.isNull()); // deleted later

        client.write("second");
        QCOMPARE(readBytes(taken->descriptor, 6), QByteArray("second"));
        QCOMPARE(::send(taken->descriptor, "reply", 5, MSG_NOSIGNAL), ssize_t(5));
        QTRY_COMPARE(client.bytesAvailable(), 5);
        QCOMPARE(client.readAll(), QByteArray("reply"));
        QCOMPARE(clientClosed.count(), 0);
        QCOMPARE(client.state(), QAbstractSocket::ConnectedState);

        ::close(taken->descriptor);
        QVERIFY(clientClosed.wait(5000));
    }

    /*! With bytes still waiting to be written, Qt would lose them: no takeover, the socket is left intact. */
    void takeOverRefusedWithPendingWrites()
    {
        TcpPair pair;
        QVERIFY(pair.open());
        QTcpSocket &client = pair.client;
        QTcpSocket *accepted = pair.accepted;
        accepted->write("queued");
        QVERIFY(accepted->bytesToWrite() > 0);
        QString error;
        QVERIFY(!takeOverSocket(accepted, &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(accepted->state(), QAbstractSocket::ConnectedState);
        QTRY_COMPARE(client.bytesAvailable(), 6);
    }

    /*! QWebSocket, a strict client, accepts our handshake and frames: text, binary, empty, 16- and 64-bit
        lengths; it sends large messages in fragments cut inside characters, which we assemble (QtWebSockets
        itself would refuse them with 1007). */
    void strictClientEcho()
    {
        FastWebSocket::Options options;
        options.maxMessageBytes = 1 << 20;
        FastServer server(options);
        QWebSocket client;
        QVERIFY(openClient(client, server.url()));
        QCOMPARE(client.subprotocol(), u"tertulia.v1"_s);
        QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
        QSignalSpy binaries(&client, &QWebSocket::binaryMessageReceived);

        // One character of one byte first, so that every 1000-byte frame boundary cuts a 2-byte character.
        const QString big = u"a"_s + QString(150000, QChar(0xF1));
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

    /*! Many frames to one socket in one pass: the first goes straight out, the rest are coalesced into a few
        writes; the client gets them all, in order. A frame shared by several sockets reaches each. */
    void orderingAndCoalescing()
    {
        FastServer server;
        std::vector<std::unique_ptr<QWebSocket>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<QWebSocket>());
            QVERIFY(openClient(*clients.back(), server.url()));
        }
        QTRY_COMPARE(server.connections.size(), 3);
        QList<QStringList> received(3);
        for (int i = 0; i < 3; ++i)
            connect(clients[std::size_t(i)].get(), &QWebSocket::textMessageReceived, this,
                    [&received, i](const QString &text) { received[i] << text; });
        QTest::qWait(20); // let the handshake writes settle, so every socket starts with an empty queue
        server.flushList().flush(); // a new pass: each socket may write its next frame straight away

        const int count = 2000;
        for (int n = 0; n < count; ++n) {
            const QByteArray frame = serverFrame(Opcode::Text, "m" + QByteArray::number(n));
            for (Connection *connection : std::as_const(server.connections))
                connection->socket.sendFrame(frame); // the same bytes, shared
        }
        for (Connection *connection : std::as_const(server.connections)) {
            QVERIFY(connection->socket.bytesQueued() > 0); // waiting for the flush at the next pass
            QCOMPARE(connection->socket.directSends(), quint64(2)); // the 101 answer and the first frame
        }
        QCOMPARE(server.flushList().pendingCount(), 3);
        for (int i = 0; i < 3; ++i) {
            QTRY_COMPARE_WITH_TIMEOUT(received[i].size(), count, 10000);
            for (int n = 0; n < count; ++n)
                QCOMPARE(received[i].at(n), u"m"_s + QString::number(n));
        }
        for (Connection *connection : std::as_const(server.connections)) {
            QCOMPARE(connection->socket.bytesQueued(), qint64(0));
            QVERIFY(connection->socket.coalescedWrites() >= 1);
            QVERIFY(connection->socket.coalescedWrites() < 100); // up to 64 frames per system call
        }
    }

    /*! Notifications wait for the list's delay and then leave together, in one write; a frame with less
        patience takes the held ones along at the next pass, after them; ThisPass frames wait for that pass; a
        socket deleted while it holds some leaves the list. */
    void heldNotifications()
    {
        using namespace std::chrono_literals;
        ServerWithClient fixture;
        QVERIFY(fixture.open());
        FastServer &server = fixture.server;
        const QStringList &received = fixture.received;
        FastWebSocket &socket = server.connections.first()->socket;
        FlushList &flushList = server.flushList();
        QTRY_COMPARE(socket.bytesQueued(), qint64(0));

        // No delay configured: a notification is an ordinary frame.
        QCOMPARE(flushList.notificationDelay(), 0ms);
        flushList.flush(); // a new pass
        const quint64 direct = socket.directSends();
        socket.sendFrame(serverFrame(Opcode::Text, "n0"), Urgency::Notification);
        QCOMPARE(socket.directSends(), direct + 1);
        QCOMPARE(flushList.heldCount(), 0);
        QTRY_COMPARE(received, QStringList{u"n0"_s});

        // Held: nothing leaves on its own while the delay runs (an hour here), however many passes go by.
        flushList.setNotificationDelay(1h);
        flushList.flush();
        const quint64 coalesced = socket.coalescedWrites();
        socket.sendFrame(serverFrame(Opcode::Text, "n1"), Urgency::Notification);
        socket.sendFrame(serverFrame(Opcode::Text, "n2"), Urgency::Notification);
        QCOMPARE(flushList.heldCount(), 1);
        QCOMPARE(flushList.pendingCount(), 0);
        for (int i = 0; i < 5; ++i)
            QCoreApplication::processEvents();
        QVERIFY(socket.bytesQueued() > 0);
        QCOMPARE(socket.directSends(), direct + 1);
        flushList.flushHeld();
        QCOMPARE(socket.bytesQueued(), qint64(0));
        QCOMPARE(socket.coalescedWrites(), coalesced + 1); // both in one write
        QTRY_COMPARE(received, (QStringList{u"n0"_s, u"n1"_s, u"n2"_s}));

        // A chat frame after a held notification: both leave at the next pass, in order, without the delay.
        socket.sendFrame(serverFrame(Opcode::Text, "n3"), Urgency::Notification);
        socket.sendFrame(serverFrame(Opcode::Text, "m4"));
        QCOMPARE(flushList.pendingCount(), 1);
        QTRY_COMPARE(received.size(), 5);
        QCOMPARE(received.mid(3), (QStringList{u"n3"_s, u"m4"_s}));
        QCOMPARE(socket.coalescedWrites(), coalesced + 2);

        // ThisPass: never straight out, even on an idle loop; written by the pass's flush with what follows it.
        flushList.flush();
        const quint64 directBefore = socket.directSends();
        socket.sendFrame(serverFrame(Opcode::Text, "p5"), Urgency::ThisPass);
        socket.sendFrame(serverFrame(Opcode::Text, "m6"));
        QCOMPARE(socket.directSends(), directBefore);
        QCOMPARE(flushList.pendingCount(), 1);
        QTRY_COMPARE(received.size(), 7);
        QCOMPARE(received.mid(5), (QStringList{u"p5"_s, u"m6"_s}));
        QCOMPARE(socket.coalescedWrites(), coalesced + 3);

        // A short delay: the timer writes the held frames.
        flushList.setNotificationDelay(30ms);
        socket.sendFrame(serverFrame(Opcode::Text, "n7"), Urgency::Notification);
        QCOMPARE(flushList.heldCount(), 1);
        QTRY_COMPARE(received.size(), 8);
        QCOMPARE(received.last(), u"n7"_s);
        QCOMPARE(flushList.heldCount(), 0);

        // A socket that goes away while it holds notifications leaves the list; the next flush skips it.
        flushList.setNotificationDelay(1h);
        Connection *connection = server.connections.takeFirst();
        connection->socket.sendFrame(serverFrame(Opcode::Text, "n8"), Urgency::Notification);
        QCOMPARE(flushList.heldCount(), 1);
        delete connection;
        QCOMPARE(flushList.heldCount(), 0);
        flushList.flushHeld();
    }

    /*! The write queue: shared frames, partial writes across frame boundaries, the byte count, release. */
    void frameQueue()
    {
        FrameQueue queue;
        QVERIFY(queue.isEmpty());
        const QByteArray a("aaaa"), b("bb"), c("cccccc");
        queue.append(a, 1); // 1 byte of it went out already
        queue.append(b);
        queue.append(c);
        QCOMPARE(queue.frameCount(), 3);
        QCOMPARE(queue.bytes(), qint64(3 + 2 + 6));
        auto gather = [&queue](int max) {
            iovec vectors[8];
            qsizetype total = 0;
            const int count = queue.fill(vectors, max, total);
            QByteArray out;
            for (int i = 0; i < count; ++i)
                out.append(static_cast<const char *>(vectors[i].iov_base), qsizetype(vectors[i].iov_len));
            return std::pair{out, total};
        };
        QCOMPARE(gather(8), (std::pair{QByteArray("aaabbcccccc"), qsizetype(11)}));
        QCOMPARE(gather(2), (std::pair{QByteArray("aaabb"), qsizetype(5)}));
        queue.consume(4); // "aaa" and one "b"
        QCOMPARE(queue.frameCount(), 2);
        QCOMPARE(queue.bytes(), qint64(7));
        QCOMPARE(gather(8).first, QByteArray("bcccccc"));
        queue.consume(7);
        QVERIFY(queue.isEmpty());
        QCOMPARE(queue.bytes(), qint64(0));
        queue.append(c);
        QCOMPARE(gather(8).first, c);
        queue.clear();
        QVERIFY(queue.isEmpty());
    }

    /*! Adaptive writes: straight out while the loop is idle; once a flush finds frames piled up, everything
        waits for the next flush until the loop has really slept. */
    void adaptiveWrites()
    {
        ServerWithClient fixture;
        QVERIFY(fixture.open());
        FastServer &server = fixture.server;
        const QStringList &received = fixture.received;
        QTest::qWait(20);
        FastWebSocket &socket = server.last()->socket;
        server.flushList().flush(); // nothing to write: a new pass, still idle
        socket.sendText("1");
        socket.sendText("2");
        QCOMPARE(socket.directSends(), quint64(2)); // the 101 answer and "1"
        QCOMPARE(socket.framesQueued(), 1);
        server.flushList().flush(); // one frame waited: nothing piled up, still idle
        QCOMPARE(socket.bytesQueued(), qint64(0));
        socket.sendText("3"); // first of a new pass: straight out
        socket.sendText("4");
        socket.sendText("5");
        QCOMPARE(socket.directSends(), quint64(3));
        QCOMPARE(socket.framesQueued(), 2);
        server.flushList().flush(); // two frames piled up: busy now, and the loop has not slept
        QCOMPARE(socket.coalescedWrites(), quint64(2));
        socket.sendText("6"); // a new pass, but busy: waits for the flush
        QCOMPARE(socket.directSends(), quint64(3));
        QCOMPARE(socket.framesQueued(), 1);
        QTRY_COMPARE(received.size(), 6); // the posted flush ran
        QTestEventLoop().enterLoopMSecs(20); // a real event loop that sleeps (qWait sleeps outside it): idle again
        socket.sendText("7");
        QCOMPARE(socket.directSends(), quint64(4));
        QTRY_COMPARE(received, (QStringList{u"1"_s, u"2"_s, u"3"_s, u"4"_s, u"5"_s, u"6"_s, u"7"_s}));
    }

    /*! Without coalescing every frame is written on its own when nothing is queued (the measurement switch). */
    void withoutCoalescing()
    {
        FastServer server({}, WritePolicy::Direct);
        QWebSocket client;
        QVERIFY(openClient(client, server.url()));
        QTRY_COMPARE(server.connections.size(), 1);
        QSignalSpy texts(&client, &QWebSocket::textMessageReceived);
        QTest::qWait(20);
        server.flushList().flush();
        for (int n = 0; n < 50; ++n)
            server.last()->socket.sendText("x" + QByteArray::number(n));
        QCOMPARE(server.last()->socket.directSends(), quint64(51));
        QCOMPARE(server.last()->socket.bytesQueued(), qint64(0));
        QTRY_COMPARE(texts.size(), 50);
    }

    /*! A client that stops reading: the kernel fills up, bytesQueued() counts what waits here, the write
        notifier takes over; once the client reads again everything arrives in order and the count is 0. */
    void backpressure()
    {
        FastServer server;
        RawWebSocket raw;
        QCOMPARE(raw.open(server.port()), 101);
        QTRY_COMPARE(server.connections.size(), 1);
        raw.socket().setReadBufferSize(1);
        Connection *connection = server.last();
        const int frames = 400;
        const QByteArray payload(64 * 1024 - 16, 'p');
        for (int n = 0; n < frames; ++n) {
            connection->socket.sendText(QByteArray::number(n).rightJustified(6, '0') + payload);
            QTest::qWait(0);
        }
        QTRY_VERIFY(connection->socket.bytesQueued() > 8 * 1024 * 1024); // far beyond what sockets buffer
        QTest::qWait(100);
        QVERIFY(connection->socket.bytesQueued() > 8 * 1024 * 1024); // and stays there while the client does not read

        raw.socket().setReadBufferSize(0);
        for (int n = 0; n < frames; ++n) {
            const auto frame = raw.readFrame(10000);
            QVERIFY(frame);
            QCOMPARE(frame->opcode, 1);
            QCOMPARE(frame->payload.first(6), QByteArray::number(n).rightJustified(6, '0'));
            QCOMPARE(frame->payload.size(), payload.size() + 6);
        }
        QTRY_COMPARE(connection->socket.bytesQueued(), qint64(0));
        QCOMPARE(connection->socket.state(), FastWebSocket::State::Open);
    }

    /*! Our close: the client sees the code and the reason, answers, and the connection ends cleanly. */
    void closeByServer()
    {
        FastServer server;
        QWebSocket client;
        QVERIFY(openClient(client, server.url()));
        QTRY_COMPARE(server.connections.size(), 1);
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        server.last()->socket.close(4001, "adi\xc3\xb3s");
        server.last()->socket.sendText("dropped: after the close frame nothing more is sent");
        QVERIFY(disconnected.wait(5000));
        QCOMPARE(int(client.closeCode()), 4001);
        QCOMPARE(client.closeReason(), u"adi\u00f3s"_s);
        QTRY_COMPARE(server.last()->disconnectedCode, 4001);
        QCOMPARE(server.last()->socket.state(), FastWebSocket::State::Closed);
        QCOMPARE(server.last()->socket.descriptor(), -1);
    }

    /*! The client's close: we see its code and reason and echo the code; the connection ends. */
    void closeByClient()
    {
        FastServer server;
        QWebSocket client;
        QVERIFY(openClient(client, server.url()));
        QTRY_COMPARE(server.connections.size(), 1);
        QSignalSpy disconnected(&client, &QWebSocket::disconnected);
        client.close(QWebSocketProtocol::CloseCodeNormal, u"done"_s); // Qt 6.4 does not wait for our answer
        QTRY_COMPARE(disconnected.count(), 1);
        QTRY_COMPARE(server.last()->disconnectedCode, 1000);
        QCOMPARE(server.last()->peerCloseCode, 1000);
        QCOMPARE(server.last()->peerCloseReason, QByteArray("done"));
        QCOMPARE(int(client.closeCode()), 1000);
    }

    /*! A peer that never answers our close is cut off at the deadline; it got the close frame first. */
    void closeDeadline()
    {
        FastWebSocket::Options options;
        options.closeTimeoutMs = 300;
        FastServer server(options);
        RawWebSocket raw; // answers nothing
        QCOMPARE(raw.open(server.port()), 101);
        QTRY_COMPARE(server.connections.size(), 1);
        QElapsedTimer timer;
        timer.start();
        server.last()->socket.close(4010, "idle");
        const auto frame = raw.readFrame(5000);
        QVERIFY(frame);
        QCOMPARE(frame->closeCode(), 4010);
        QTRY_COMPARE(server.last()->disconnectedCode, 4010);
        QVERIFY(timer.elapsed() >= 250);
        QTRY_COMPARE(raw.socket().state(), QAbstractSocket::UnconnectedState);
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("closeCode");
        QTest::newRow("unmasked") << ClientFrame{0x1, "x", true, 0, false}.bytes() << 1002;
        QTest::newRow("rsv1") << ClientFrame{0x1, "x", true, 4}.bytes() << 1002;
        QTest::newRow("reserved opcode") << ClientFrame{0x3, "x"}.bytes() << 1002;
        QTest::newRow("continuation first") << continuationFrame("x", true) << 1002;
        QTest::newRow("bad close code") << clientClose(1005) << 1002;
        QTest::newRow("invalid UTF-8") << textFrame("\xed\xa0\x80") << 1007;
        QTest::newRow("too big, header only") << ClientFrame{0x1, {}, true, 0, true, {1, 2, 3, 4}, 8, 1 << 20}.bytes() << 1009;
        QTest::newRow("too big") << textFrame(QByteArray(70000, 'x')) << 1009;
    }
    /*! A violation closes with the right code, and the connection ends even though the client neither answers
        the close nor stops sending (what it still sends is read and dropped). */
    void violations()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, closeCode);
        FastWebSocket::Options options;
        options.closeTimeoutMs = 2000;
        FastServer server(options);
        RawWebSocket raw;
        QCOMPARE(raw.open(server.port()), 101);
        QTRY_COMPARE(server.connections.size(), 1);
        raw.sendRaw(textFrame("before") + bytes + textFrame("after"));
        QCOMPARE(raw.waitForClose(5000), closeCode);
        QTRY_COMPARE(server.last()->disconnectedCode, closeCode);
        QCOMPARE(server.last()->texts, QByteArrayList{"before"});
    }

    void messageDeadline_data()
    {
        QTest::addColumn<bool>("trickle");
        QTest::newRow("half a frame, then silence") << false;
        QTest::newRow("one byte per continuation frame, pongs between") << true;
    }
    /*! A frame, or a fragmented message, that does not arrive whole within the deadline fails the connection
        with 1008, however busy the peer keeps it meanwhile; one that does is fine and stops the clock. Before,
        half a frame stayed open for good. */
    void messageDeadline()
    {
        QFETCH(bool, trickle);
        FastWebSocket::Options options;
        options.messageTimeoutMs = 400;
        options.closeTimeoutMs = 1000;
        FastServer server(options);
        RawWebSocket raw;
        QCOMPARE(raw.open(server.port()), 101);
        QTRY_COMPARE(server.connections.size(), 1);
        // A message in pieces, whole within the deadline: no close, and the deadline ends with it.
        const QByteArray frame = textFrame("slow but in time");
        raw.sendRaw(frame.first(4));
        QTest::qWait(150);
        raw.sendRaw(frame.sliced(4));
        QTRY_COMPARE(server.last()->texts, QByteArrayList{"slow but in time"});
        QTest::qWait(500);
        QCOMPARE(server.last()->socket.state(), FastWebSocket::State::Open);

        QElapsedTimer timer;
        timer.start();
        if (!trickle) {
            raw.sendRaw(textFrame("half of this frame").first(9));
        } else {
            raw.sendRaw(textFrame("{", false));
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
        if (trickle)
            QVERIFY(server.last()->pongs.size() >= 5); // the pongs came through: liveness is not completeness
    }

    /*! Pings both ways: ours come back as pongs with our payload; the client's are answered at once. */
    void pings()
    {
        FastServer server;
        QWebSocket client;
        QVERIFY(openClient(client, server.url()));
        QTRY_COMPARE(server.connections.size(), 1);
        server.last()->socket.ping("abc");
        QTRY_COMPARE(server.last()->pongs, QByteArrayList{"abc"});
        QSignalSpy pong(&client, &QWebSocket::pong);
        client.ping("xyz");
        QVERIFY(pong.wait(5000));
        QCOMPARE(pong.at(0).at(1).toByteArray(), QByteArray("xyz"));
        QCOMPARE(server.last()->pings, QByteArrayList{"xyz"});
    }

    /*! Frames a client sends right behind its upgrade request (read by Qt before the takeover) are not lost. */
    void bytesAfterUpgradeRequest()
    {
        FastServer server;
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(client.waitForConnected(5000));
        client.write(upgradeRequest(server.port()) + textFrame("early") + textFrame("bird"));
        QTRY_COMPARE(server.connections.size(), 1);
        QTRY_COMPARE(server.last()->texts, (QByteArrayList{"early", "bird"}));
        QByteArray answer;
        QTRY_VERIFY((answer += client.readAll()).contains("bird"));
        QVERIFY(answer.startsWith("HTTP/1.1 101"));
        QVERIFY(answer.contains("\x81\x05" "early\x81\x04" "bird"));
    }

    /*! A handler that deletes its connection from inside a message callback: nothing after it is touched,
        the descriptor is closed, the client sees the end. */
    void deletedFromHandler()
    {
        FastServer server;
        RawWebSocket raw;
        QCOMPARE(raw.open(server.port()), 101);
        QTRY_COMPARE(server.connections.size(), 1);
        Connection *connection = server.connections.takeLast();
        connection->deleteOnMessage = true;
        QSignalSpy gone(&raw.socket(), &QTcpSocket::disconnected);
        raw.sendRaw(textFrame("one") + textFrame("two"));
        QVERIFY(gone.wait(5000));
    }

    /*! FastTransport: events go out as the one shared frame of the OutboundEvent; replies and pings; a pong to
        our ping gives a round trip; requests come in decoded. */
    void transport()
    {
        int fds[2];
        QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        const int peer = fds[1];
        ServerLimits limits;
        Metrics metrics;
        FlushList flushList;
        FastTransport transport(fds[0], u"peer"_s, limits, metrics, flushList);
        RecordingReceiver receiver;
        transport.setReceiver(&receiver);
        transport.start("HTTP/1.1 101 Switching Protocols\r\n\r\n", textFrame(R"({"type":"ping","id":"1"})"));

        const OutboundEvent event(Protocol::Event::presence(Protocol::PresenceEvent{u"bob"_s, Protocol::PresenceStatus::Away}));
        const QByteArray expected = serverFrame(Opcode::Text, Protocol::encode(event.event()));
        transport.sendEvent(event);
        QCOMPARE(event.wireFrame(), expected);
        const void *shared = event.wireFrame().constData();
        transport.sendEvent(event);
        QCOMPARE(event.wireFrame().constData(), shared); // framed once
        QCOMPARE(readBytes(peer, 36 + 2 * expected.size()),
                 "HTTP/1.1 101 Switching Protocols\r\n\r\n" + expected + expected);

        QTRY_COMPARE(receiver.requests.size(), 1); // decoded from the loop (maybe while readBytes() waited)
        QCOMPARE(receiver.requests.at(0).type, Protocol::RequestType::Ping);

        transport.ping();
        const QByteArray ping = readBytes(peer, 10);
        QCOMPARE(ping.size(), 10);
        QCOMPARE(quint8(ping[0]), quint8(0x89));
        const QByteArray answer = pongFrame(ping.sliced(2));
        QCOMPARE(::send(peer, answer.constData(), size_t(answer.size()), MSG_NOSIGNAL), ssize_t(answer.size()));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.pongs.size(), 1, 5000);
        QVERIFY(receiver.pongs.at(0) < 5000);
        QVERIFY(receiver.activity >= 2); // the request and the pong

        QCOMPARE(metrics.framesIn, quint64(1));
        QCOMPARE(metrics.framesOut, quint64(2));
        ::close(peer);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.closed, 1, 5000);
        QVERIFY(receiver.malformed.isEmpty());
    }
};

TERTULIA_SERVER_TEST_MAIN(TestFastWebSocket)
#include "tst_fastwebsocket.moc"
