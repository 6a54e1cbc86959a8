#include "server/websocket/websocketconnection.h"

#include "server/http/httprequest.h"
#include "server/websocket/websocketlogging.h"

#include <QtCore/QPointer>
#include <QtCore/QTimerEvent>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

namespace Tertulia::WebSocket {

class Connection::SocketCallback
{
public:
    explicit SocketCallback(Connection *connection) : m_connection(connection) { ++connection->m_socketCallbacks; }
    ~SocketCallback()
    {
        if (m_connection)
            --m_connection->m_socketCallbacks;
    }
    Q_DISABLE_COPY_MOVE(SocketCallback)

private:
    QPointer<Connection> m_connection;
};

Connection::Connection(QTcpSocket *socket, const Options &options, QObject *parent)
    : QObject(parent), m_socket(socket), m_options(options), m_decoder(options.maxMessageBytes),
      m_peer(socket->peerAddress().toString())
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &Connection::onSocketDisconnected);
}

Connection::~Connection()
{
    m_socket->disconnect(this);
    // Best effort, without blocking: what is queued (typically the close frame of a server shutdown, which
    // deletes its connections right after closing them) goes to the kernel before the socket is destroyed.
    if (m_state != State::Closed && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->flush();
    if (m_socketCallbacks > 0) {
        // Deleted by a receiver of a signal that came from the socket (readyRead, disconnected): Qt goes on
        // using the socket once that signal returns, so it must outlive this call.
        m_socket->setParent(nullptr);
        m_socket->deleteLater();
    }
}

void Connection::start(const Http::Request &request, const QByteArray &handshakeResponse)
{
    m_socket->read(request.headLength);
    m_socket->write(handshakeResponse);
    if (m_socket->state() != QAbstractSocket::ConnectedState) {
        // Gone while the request was routed: report it from the loop, as any other end.
        QMetaObject::invokeMethod(this, [this] { finish(CloseStatus::Abnormal); }, Qt::QueuedConnection);
        return;
    }
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Connection::onReadyRead, Qt::QueuedConnection);
}

qint64 Connection::bytesQueued() const { return m_state == State::Closed ? 0 : m_socket->bytesToWrite(); }

void Connection::write(const QByteArray &frame) { m_socket->write(frame); }

void Connection::sendFrame(const QByteArray &frame)
{
    if (m_state == State::Open)
        write(frame);
}

void Connection::sendText(QByteArrayView utf8)
{
    if (m_state == State::Open)
        write(serverFrame(Opcode::Text, utf8));
}

void Connection::sendBinary(QByteArrayView bytes)
{
    if (m_state == State::Open)
        write(serverFrame(Opcode::Binary, bytes));
}

void Connection::ping(QByteArrayView payload)
{
    if (m_state == State::Open)
        write(serverFrame(Opcode::Ping, payload.first(std::min(payload.size(), kMaxControlPayload))));
}

void Connection::close(quint16 code, QByteArrayView reasonUtf8)
{
    if (m_state != State::Open)
        return;
    m_closeCode = code;
    m_state = State::Closing;
    armCloseDeadline();
    queueClose(code, reasonUtf8);
}

void Connection::abort()
{
    if (m_state == State::Closed)
        return;
    const quint16 code = m_closeCode ? m_closeCode : CloseStatus::Abnormal;
    m_socket->abort(); // may emit disconnected() right here: finish() runs once either way
    finish(code);
}

void Connection::flush()
{
    if (m_state != State::Closed)
        m_socket->flush();
}

void Connection::onReadyRead()
{
    if (m_state == State::Closed)
        return;
    SocketCallback callback(this);
    decode(m_socket->readAll());
}

void Connection::onSocketDisconnected()
{
    SocketCallback callback(this);
    finish(m_closeCode ? m_closeCode : CloseStatus::Abnormal);
}

void Connection::decode(const QByteArray &bytes)
{
    if (m_inputDone)
        return; // closing: what still comes in is read and dropped
    const bool buffered = !m_pendingInput.isEmpty();
    if (buffered)
        m_pendingInput.append(bytes);
    QByteArrayView input = buffered ? QByteArrayView(m_pendingInput) : QByteArrayView(bytes);
    const QPointer<Connection> self(this);
    while (!m_inputDone) {
        WebSocketDecoder::Result result = m_decoder.next(input);
        if (result.kind == WebSocketDecoder::Kind::NeedMore)
            break;
        handle(result);
        if (!self)
            return;
        if (m_state == State::Closed)
            return;
    }
    // Keep only an unfinished frame; between frames nothing stays allocated.
    if (m_inputDone || input.isEmpty())
        m_pendingInput = QByteArray();
    else if (buffered)
        m_pendingInput.remove(0, m_pendingInput.size() - input.size());
    else
        m_pendingInput = input.toByteArray();
    updateMessageDeadline();
}

void Connection::handle(WebSocketDecoder::Result &result)
{
    using Kind = WebSocketDecoder::Kind;
    switch (result.kind) {
    case Kind::NeedMore:
        return;
    case Kind::Text:
        // After our close frame the peer may still send; nobody is listening any more.
        if (m_state == State::Open)
            Q_EMIT textMessageReceived(result.payload);
        return;
    case Kind::Binary:
        if (m_state == State::Open)
            Q_EMIT binaryMessageReceived(result.payload);
        return;
    case Kind::Ping:
        if (m_state == State::Open)
            write(serverFrame(Opcode::Pong, result.payload));
        Q_EMIT pingReceived(result.payload);
        return;
    case Kind::Pong:
        Q_EMIT pongReceived(result.payload);
        return;
    case Kind::Close:
        m_inputDone = true;
        if (m_closeSent) {
            maybeShutdown(); // the answer to our close: the handshake is complete
            return;
        }
        m_closeCode = result.closeCode;
        m_state = State::Closing;
        armCloseDeadline();
        queueClose(result.closeCode, {}); // echo the peer's code (an empty close for an empty one)
        return;
    case Kind::Failed:
        failConnection(result.closeCode, result.error);
        return;
    }
}

void Connection::failConnection(quint16 code, const QString &reason)
{
    qCDebug(lcWebSocket) << "failing the connection with" << m_peer << "with" << code << reason;
    m_inputDone = true;
    m_pendingInput = QByteArray();
    stopTimer(m_messageTimer);
    if (m_closeSent) {
        maybeShutdown();
        return;
    }
    m_closeCode = code;
    m_state = State::Closing;
    armCloseDeadline();
    queueClose(code, reason.toUtf8());
}

void Connection::queueClose(quint16 code, QByteArrayView reasonUtf8)
{
    m_closeSent = true;
    write(closeFrame(code, reasonUtf8));
    maybeShutdown();
}

void Connection::armCloseDeadline()
{
    if (!m_closeTimer)
        m_closeTimer = startTimer(m_options.closeTimeoutMs);
}

void Connection::maybeShutdown()
{
    // Both close frames done (or the connection failed): no more bytes from us once the socket has written
    // what it holds. The peer then closes its side; reading on until then keeps unread input from turning
    // the close into a reset.
    if (m_state != State::Closing || !m_closeSent || !m_inputDone)
        return;
    auto *tls = qobject_cast<QSslSocket *>(m_socket);
    if (tls && tls->isEncrypted()) {
        // Qt offers TLS no half-close: close_notify and the end of the connection go together, after what is
        // queued (the close frame) has been written.
        m_state = State::Draining;
        m_socket->disconnectFromHost();
        return;
    }
    if (m_socket->bytesToWrite() > 0) {
        if (!m_watchingWrites) {
            m_watchingWrites = true;
            connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
                SocketCallback callback(this);
                maybeShutdown();
            });
        }
        return;
    }
    m_state = State::Draining;
    // Qt has no call for a half-close either; the descriptor's own shutdown() leaves Qt reading until the peer
    // closes, which Qt then reports as disconnected().
    const qintptr descriptor = m_socket->socketDescriptor();
#ifdef Q_OS_WIN
    const bool shut = descriptor != -1 && ::shutdown(SOCKET(descriptor), SD_SEND) == 0;
#else
    const bool shut = descriptor != -1 && ::shutdown(int(descriptor), SHUT_WR) == 0;
#endif
    if (!shut)
        m_socket->disconnectFromHost();
}

void Connection::updateMessageDeadline()
{
    // Armed at the first byte of a frame or message and kept however the rest trickles in (QtWebSockets
    // restarts its timer on every byte, so a peer sending one byte at a time is never cut off).
    const bool midway = !m_inputDone && (!m_pendingInput.isEmpty() || m_decoder.isInMessage());
    if (!midway)
        stopTimer(m_messageTimer);
    else if (!m_messageTimer && m_options.messageTimeoutMs > 0)
        m_messageTimer = startTimer(m_options.messageTimeoutMs);
}

void Connection::stopTimer(int &id)
{
    if (id) {
        killTimer(id);
        id = 0;
    }
}

void Connection::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_messageTimer) {
        stopTimer(m_messageTimer);
        if (m_state != State::Closed && !m_inputDone)
            failConnection(CloseStatus::PolicyViolation,
                           QStringLiteral("a frame or message took longer than %1 ms to arrive")
                               .arg(m_options.messageTimeoutMs));
    } else if (event->timerId() == m_closeTimer) {
        stopTimer(m_closeTimer);
        if (m_state != State::Closed) {
            qCDebug(lcWebSocket) << "closing handshake with" << m_peer << "timed out";
            abort();
        }
    } else {
        QObject::timerEvent(event);
    }
}

void Connection::finish(quint16 code)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (!m_closeCode)
        m_closeCode = code;
    stopTimer(m_messageTimer);
    stopTimer(m_closeTimer);
    m_pendingInput = QByteArray();
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    Q_EMIT disconnected(code);
}

} // namespace Tertulia::WebSocket
