#include "server/fastpath/fastwebsocket.h"

#include "server/fastpath/fastpathlogging.h"
#include "server/fastpath/flushlist.h"

#include <QtCore/QEvent>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>
#include <QtCore/QTimerEvent>

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace Tertulia::FastPath {

// The codec is the one every path shares (server/websocket).
using WebSocket::closeFrame;
using WebSocket::kMaxControlPayload;
using WebSocket::Opcode;
using WebSocket::serverFrame;
using WebSocket::WebSocketDecoder;
namespace CloseStatus = WebSocket::CloseStatus;

/// A socket notifier that calls its connection directly from event(): cheaper in memory and time than a
/// signal connection per notifier, and it can be detached when the connection goes first. The read notifier
/// also carries the connection's message deadline as a QObject timer (no QTimer per connection).
class FastWebSocket::Notifier final : public QSocketNotifier
{
public:
    Notifier(int fd, Type type, FastWebSocket *owner) : QSocketNotifier(fd, type), m_owner(owner) { }

    FastWebSocket *owner() const { return m_owner; }
    void detach() { m_owner = nullptr; }

protected:
    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::Timer) {
            if (m_owner)
                m_owner->onTimer(static_cast<QTimerEvent *>(event)->timerId());
            return true;
        }
        if (event->type() != QEvent::SockAct && event->type() != QEvent::SockClose)
            return QSocketNotifier::event(event);
        if (m_owner) {
            if (type() == QSocketNotifier::Read)
                m_owner->onReadable();
            else
                m_owner->onWritable();
        }
        return true;
    }

private:
    FastWebSocket *m_owner;
};

namespace {

constexpr int kMaxIov = 64; ///< frames per sendmsg (the kernel takes up to IOV_MAX, 1024)

/// Marks a stretch of code that calls the handler, which may delete the socket: the destructor then sets
/// `destroyed` (and every enclosing guard's, for nested event loops) and the code must return at once.
class CallbackGuard
{
public:
    explicit CallbackGuard(bool *&slot) : m_slot(slot), m_previous(slot) { slot = &destroyed; }
    ~CallbackGuard()
    {
        if (destroyed) {
            if (m_previous)
                *m_previous = true;
        } else {
            m_slot = m_previous;
        }
    }
    Q_DISABLE_COPY_MOVE(CallbackGuard)

    bool destroyed = false;

private:
    bool *&m_slot;
    bool *m_previous;
};

bool wouldBlock(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

} // namespace

FastWebSocket::FastWebSocket(int descriptor, FlushList &flushList, Handler &handler, const Options &options)
    : m_fd(descriptor), m_flushList(flushList), m_handler(handler), m_options(options),
      m_decoder(options.maxMessageBytes)
{
    Q_ASSERT(m_fd >= 0);
    const int flags = ::fcntl(m_fd, F_GETFL);
    if (flags >= 0 && !(flags & O_NONBLOCK))
        ::fcntl(m_fd, F_SETFL, flags | O_NONBLOCK);
}

FastWebSocket::~FastWebSocket()
{
    if (m_state != State::Closed && m_fd >= 0) {
        // Best effort, without blocking and without calling the handler (it is going away): what is queued
        // (typically the close frame of a server shutdown) goes to the kernel before the descriptor closes.
        iovec vectors[kMaxIov];
        qsizetype total = 0;
        msghdr message{};
        message.msg_iov = vectors;
        message.msg_iovlen = size_t(m_queue.fill(vectors, kMaxIov, total));
        if (message.msg_iovlen > 0)
            ::sendmsg(m_fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (m_readNotifier)
            m_readNotifier->setEnabled(false);
        if (m_writeNotifier)
            m_writeNotifier->setEnabled(false);
        ::close(m_fd);
    }
    m_flushList.remove(this);
    if (m_destroyed) {
        // Deleted from a handler call, i.e. from inside one of our notifiers' event(): the notifier must
        // outlive that call, so it goes later, detached and disabled.
        *m_destroyed = true;
        for (auto *notifier : {&m_readNotifier, &m_writeNotifier}) {
            if (*notifier) {
                (*notifier)->detach();
                (*notifier)->setEnabled(false);
                notifier->release()->deleteLater();
            }
        }
    }
}

void FastWebSocket::start(QByteArray alreadyRead)
{
    Q_ASSERT(!m_readNotifier);
    m_readNotifier = std::make_unique<Notifier>(m_fd, QSocketNotifier::Read, this);
    if (alreadyRead.isEmpty())
        return;
    m_pendingInput = std::move(alreadyRead);
    // Decoded from the loop, so the caller finishes wiring its handler before the first message arrives.
    Notifier *notifier = m_readNotifier.get();
    QMetaObject::invokeMethod(
        notifier,
        [notifier] {
            if (FastWebSocket *socket = notifier->owner()) {
                CallbackGuard guard(socket->m_destroyed);
                socket->decode({}, guard.destroyed);
            }
        },
        Qt::QueuedConnection);
}

void FastWebSocket::sendFrame(const QByteArray &frame, Urgency urgency)
{
    if (m_state == State::Open)
        enqueue(frame, urgency);
}

void FastWebSocket::sendText(QByteArrayView utf8)
{
    if (m_state == State::Open)
        enqueue(serverFrame(Opcode::Text, utf8));
}

void FastWebSocket::sendBinary(QByteArrayView bytes)
{
    if (m_state == State::Open)
        enqueue(serverFrame(Opcode::Binary, bytes));
}

void FastWebSocket::ping(QByteArrayView payload)
{
    if (m_state == State::Open)
        enqueue(serverFrame(Opcode::Ping, payload.first(std::min(payload.size(), kMaxControlPayload))));
}

void FastWebSocket::close(quint16 code, QByteArrayView reasonUtf8)
{
    if (m_state != State::Open)
        return;
    m_closeCode = code;
    m_state = State::Closing;
    armCloseDeadline();
    queueClose(code, reasonUtf8);
}

void FastWebSocket::abort() { finish(m_closeCode ? m_closeCode : CloseStatus::Abnormal); }

void FastWebSocket::flush()
{
    if (m_state == State::Open || m_state == State::Closing)
        writeQueued();
}

void FastWebSocket::queueClose(quint16 code, QByteArrayView reasonUtf8)
{
    m_closeSent = true;
    enqueue(closeFrame(code, reasonUtf8));
    maybeShutdown();
}

void FastWebSocket::enqueue(const QByteArray &frame, Urgency urgency)
{
    if (urgency == Urgency::Notification && m_flushList.notificationDelay().count() > 0) {
        m_queue.append(frame);
        ++m_deferredFrames;
        if (!m_waitingWritable && !m_listed)
            m_flushList.addHeld(this);
        return;
    }
    if (urgency == Urgency::ThisPass) {
        m_queue.append(frame);
        ++m_deferredFrames;
        if (!m_waitingWritable)
            m_flushList.add(this);
        return;
    }
    // Straight to the kernel when nothing waits and this socket has not written yet in this loop pass.
    if (m_queue.isEmpty() && m_flushList.mayWriteNow(m_lastDirectPass)) {
        m_lastDirectPass = m_flushList.pass();
        ++m_directSends;
        const ssize_t sent = ::send(m_fd, frame.constData(), size_t(frame.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent == frame.size())
            return;
        if (sent < 0 && !wouldBlock(errno) && errno != EINTR) {
            qCDebug(lcFastPath) << "send on" << m_fd << "failed:" << qt_error_string(errno);
            finish(CloseStatus::Abnormal);
            return;
        }
        m_queue.append(frame, sent > 0 ? sent : 0);
        waitUntilWritable(true);
        return;
    }
    m_queue.append(frame);
    if (!m_waitingWritable)
        m_flushList.add(this);
}

void FastWebSocket::writeQueued()
{
    while (!m_queue.isEmpty()) {
        iovec vectors[kMaxIov];
        qsizetype total = 0;
        msghdr message{};
        message.msg_iov = vectors;
        message.msg_iovlen = size_t(m_queue.fill(vectors, kMaxIov, total));
        // sendmsg rather than writev: writev has no MSG_NOSIGNAL, and a peer gone away must not raise SIGPIPE.
        const ssize_t sent = ::sendmsg(m_fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            if (wouldBlock(errno)) {
                waitUntilWritable(true);
                return;
            }
            qCDebug(lcFastPath) << "sendmsg on" << m_fd << "failed:" << qt_error_string(errno);
            finish(CloseStatus::Abnormal);
            return;
        }
        ++m_coalescedWrites;
        m_queue.consume(sent);
        if (m_queue.isEmpty())
            m_deferredFrames = 0;
        if (sent < total) {
            waitUntilWritable(true);
            return;
        }
    }
    waitUntilWritable(false);
    maybeShutdown();
}

void FastWebSocket::waitUntilWritable(bool wait)
{
    if (wait == m_waitingWritable)
        return;
    m_waitingWritable = wait;
    if (!wait) {
        m_writeNotifier->setEnabled(false);
        return;
    }
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(true);
    else
        m_writeNotifier = std::make_unique<Notifier>(m_fd, QSocketNotifier::Write, this); // enabled at once
}

void FastWebSocket::onWritable()
{
    CallbackGuard guard(m_destroyed);
    writeQueued();
}

void FastWebSocket::onReadable()
{
    if (m_state == State::Closed)
        return;
    CallbackGuard guard(m_destroyed);
    FlushList &flushList = m_flushList; // still valid if we are deleted from a handler
    char *buffer = flushList.takeReadBuffer();
    QByteArray own;
    if (!buffer) {
        own.resize(FlushList::kReadBufferBytes);
        buffer = own.data();
    }
    const ssize_t received = ::recv(m_fd, buffer, size_t(FlushList::kReadBufferBytes), MSG_DONTWAIT);
    const int error = errno;
    if (received > 0)
        decode(QByteArrayView(buffer, received), guard.destroyed);
    if (own.isNull())
        flushList.releaseReadBuffer();
    if (guard.destroyed || m_state == State::Closed)
        return;
    if (received == 0) {
        finish(m_closeCode ? m_closeCode : CloseStatus::Abnormal); // the peer closed (after its close frame, or not)
    } else if (received < 0 && !wouldBlock(error) && error != EINTR) {
        qCDebug(lcFastPath) << "recv on" << m_fd << "failed:" << qt_error_string(error);
        finish(CloseStatus::Abnormal);
    }
}

void FastWebSocket::decode(QByteArrayView bytes, const bool &destroyed)
{
    if (m_inputDone) {
        m_pendingInput = QByteArray(); // closing: what still comes in is read and dropped
        return;
    }
    const bool buffered = !m_pendingInput.isEmpty();
    if (buffered)
        m_pendingInput.append(bytes);
    QByteArrayView input = buffered ? QByteArrayView(m_pendingInput) : bytes;
    while (!m_inputDone) {
        WebSocketDecoder::Result result = m_decoder.next(input);
        if (result.kind == WebSocketDecoder::Kind::NeedMore)
            break;
        handle(result);
        if (destroyed)
            return;
        if (m_state == State::Closed)
            break;
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

void FastWebSocket::updateMessageDeadline()
{
    // Armed at the first byte of a frame or message and kept however the rest trickles in: a peer that sends
    // half a frame and goes quiet, or a message one byte per continuation frame with pongs in between, is cut
    // off like a slow HTTP head. A frame that arrives whole in one read never starts the timer.
    if (!m_readNotifier || m_state == State::Closed)
        return;
    const bool midway = !m_inputDone && (!m_pendingInput.isEmpty() || m_decoder.isInMessage());
    if (!midway) {
        if (m_messageTimer) {
            m_readNotifier->killTimer(m_messageTimer);
            m_messageTimer = 0;
        }
    } else if (!m_messageTimer && m_options.messageTimeoutMs > 0) {
        m_messageTimer = m_readNotifier->startTimer(m_options.messageTimeoutMs);
    }
}

void FastWebSocket::onTimer(int timerId)
{
    if (timerId != m_messageTimer)
        return;
    m_readNotifier->killTimer(m_messageTimer);
    m_messageTimer = 0;
    if (m_state == State::Closed || m_inputDone)
        return;
    CallbackGuard guard(m_destroyed);
    failConnection(CloseStatus::PolicyViolation,
                   QStringLiteral("a frame or message took longer than %1 ms to arrive").arg(m_options.messageTimeoutMs));
}

void FastWebSocket::handle(WebSocketDecoder::Result &result)
{
    using Kind = WebSocketDecoder::Kind;
    switch (result.kind) {
    case Kind::NeedMore:
        return;
    case Kind::Text:
        // After our close frame the peer may still send; nobody is listening any more.
        if (m_state == State::Open)
            m_handler.onTextMessage(std::move(result.payload));
        return;
    case Kind::Binary:
        if (m_state == State::Open)
            m_handler.onBinaryMessage(std::move(result.payload));
        return;
    case Kind::Ping:
        if (m_state == State::Open)
            enqueue(serverFrame(Opcode::Pong, result.payload));
        m_handler.onPing(result.payload);
        return;
    case Kind::Pong:
        m_handler.onPong(result.payload);
        return;
    case Kind::Close:
        m_closeReceived = true;
        m_inputDone = true;
        if (m_closeSent) {
            maybeShutdown(); // the answer to our close: the handshake is complete
            return;
        }
        m_closeCode = result.closeCode;
        m_state = State::Closing;
        armCloseDeadline();
        queueClose(result.closeCode, {}); // echo the peer's code (an empty close for an empty one)
        if (m_state != State::Closed)
            m_handler.onPeerClose(result.closeCode, result.payload);
        return;
    case Kind::Failed:
        failConnection(result.closeCode, result.error);
        return;
    }
}

void FastWebSocket::failConnection(quint16 code, const QString &reason)
{
    qCDebug(lcFastPath) << "failing the connection on" << m_fd << "with" << code << reason;
    m_inputDone = true;
    m_pendingInput = QByteArray();
    updateMessageDeadline();
    if (m_closeSent) {
        maybeShutdown();
        return;
    }
    m_closeCode = code;
    m_state = State::Closing;
    armCloseDeadline();
    queueClose(code, reason.toUtf8());
}

void FastWebSocket::armCloseDeadline()
{
    if (!m_readNotifier)
        return; // not started: nothing to wait for; the owner deletes us
    Notifier *notifier = m_readNotifier.get();
    QTimer::singleShot(m_options.closeTimeoutMs, notifier, [notifier] {
        if (FastWebSocket *socket = notifier->owner(); socket && socket->m_state != State::Closed) {
            qCDebug(lcFastPath) << "closing handshake on" << socket->m_fd << "timed out";
            CallbackGuard guard(socket->m_destroyed);
            socket->finish(socket->m_closeCode ? socket->m_closeCode : CloseStatus::Abnormal);
        }
    });
}

void FastWebSocket::maybeShutdown()
{
    // Both close frames done (or the connection failed) and everything written: no more bytes from us. The
    // peer now closes its side; reading on until then keeps unread input from turning close() into a reset.
    if (m_state != State::Closing || !m_closeSent || !m_inputDone || !m_queue.isEmpty())
        return;
    ::shutdown(m_fd, SHUT_WR);
    m_state = State::Draining;
}

void FastWebSocket::finish(quint16 code)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_messageTimer) {
        m_readNotifier->killTimer(m_messageTimer);
        m_messageTimer = 0;
    }
    // Notifiers off before the descriptor closes: the dispatcher must drop it from epoll while it is open.
    if (m_readNotifier)
        m_readNotifier->setEnabled(false);
    if (m_writeNotifier)
        m_writeNotifier->setEnabled(false);
    m_waitingWritable = false;
    ::close(m_fd);
    m_fd = -1;
    m_queue.clear();
    m_deferredFrames = 0;
    m_pendingInput = QByteArray();
    m_flushList.remove(this);
    m_handler.onDisconnected(code);
}

} // namespace Tertulia::FastPath
