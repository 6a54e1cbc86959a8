#include "server/net/listener.h"

#include "server/logging.h"
#include "server/net/connectionadmission.h"

#include <QtCore/QFile>
#include <QtCore/QSocketNotifier>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSslSocket>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>
// The fast lane (TERTULIA_HAVE_FAST_PATH: the platform extras, Linux) peeks at accepted descriptors itself;
// without it every connection is a QTcpSocket at once, as on Windows and macOS.
#ifdef TERTULIA_HAVE_FAST_PATH
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace Tertulia {

namespace {
constexpr int kMinBacklog = 1024;
/// listen() takes at most this (the kernel's accept queue limit is an unsigned short in older kernels).
constexpr int kMaxBacklog = 65535;

#ifdef TERTULIA_HAVE_FAST_PATH
void closeDescriptor(int descriptor) { ::close(descriptor); }

/// The client's address as QTcpSocket::peerAddress() would give it; empty if the socket has none.
QString peerOf(int descriptor)
{
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getpeername(descriptor, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address)).toString();
}
#else
/// Portable: Qt's socket closes an accepted descriptor (closesocket() on Windows) when it goes.
void closeDescriptor(int descriptor)
{
    QTcpSocket socket;
    if (socket.setSocketDescriptor(descriptor))
        socket.abort();
}
#endif
} // namespace

struct Listener::Waiting
{
    std::unique_ptr<QSocketNotifier> notifier;
    std::unique_ptr<AdmissionTicket> ticket;
    quint64 serial = 0;
};

Listener::Listener(QObject *parent) : QTcpServer(parent)
{
    setListenBacklogSize(backlogSize());
    // Qt accepts until this many sockets wait in its own queue; ours is never used (accepted() instead).
    setMaxPendingConnections(backlogSize());
    m_clock.start();
    m_waitTimer.setSingleShot(true);
    connect(&m_waitTimer, &QTimer::timeout, this, &Listener::expireWaiting);
}

Listener::~Listener()
{
    for (auto &[descriptor, waiting] : m_waiting) {
        waiting->notifier->setEnabled(false);
        closeDescriptor(descriptor);
    }
    for (int descriptor : m_queue)
        closeDescriptor(descriptor);
}

int Listener::backlogSize()
{
    static const int size = [] {
        // Linux caps every listen() at net.core.somaxconn; asking for that much gets the most there is.
        QFile file(QStringLiteral("/proc/sys/net/core/somaxconn"));
        bool ok = false;
        const int cap = file.open(QIODevice::ReadOnly) ? file.readAll().trimmed().toInt(&ok) : 0;
        return ok ? std::clamp(cap, kMinBacklog, kMaxBacklog) : kMinBacklog;
    }();
    return size;
}

void Listener::incomingConnection(qintptr descriptor)
{
    // Called once per accepted descriptor; Qt keeps accepting until the kernel queue is empty. The setting up
    // waits for setUpQueued(), a few per loop pass.
    m_queue.push_back(int(descriptor));
    scheduleSetUp();
}

void Listener::scheduleSetUp()
{
    if (m_setUpPosted || m_queue.empty())
        return;
    m_setUpPosted = true;
    QMetaObject::invokeMethod(this, &Listener::setUpQueued, Qt::QueuedConnection);
}

void Listener::setUpQueued()
{
    m_setUpPosted = false;
    for (int i = 0; i < kSetupsPerPass && !m_queue.empty(); ++i) {
        const int descriptor = m_queue.front();
        m_queue.pop_front();
        setUp(descriptor);
    }
    scheduleSetUp();
}

void Listener::setUp(int descriptor)
{
#ifdef TERTULIA_HAVE_FAST_PATH
    // Admitted (and counted) first, whatever comes next: a connection that says nothing while it waits for
    // its head counts against the caps as much as one that has upgraded.
    std::unique_ptr<AdmissionTicket> ticket = admit(descriptor);
    if (m_tls || !m_lane || (ticket && !ticket->isAdmitted())) {
        adopt(descriptor, std::move(ticket));
        return;
    }
    switch (peek(descriptor)) {
    case Peek::Complete:
        if (!offerToLane(descriptor, ticket))
            adopt(descriptor, std::move(ticket));
        return;
    case Peek::Incomplete:
        // Usually nothing yet (accepted before the request arrived); a head larger than we look at goes the
        // usual way, which answers it.
        if (m_peeked >= kMaxPeekBytes)
            adopt(descriptor, std::move(ticket));
        else
            wait(descriptor, std::move(ticket));
        return;
    case Peek::Closed:
        closeDescriptor(descriptor);
        return;
    }
#else
    adopt(descriptor, nullptr);
#endif
}

std::unique_ptr<AdmissionTicket> Listener::admit(int descriptor)
{
#ifdef TERTULIA_HAVE_FAST_PATH
    if (!m_admission)
        return nullptr;
    const QString peer = peerOf(descriptor);
    return peer.isEmpty() ? nullptr : m_admission->admit(peer); // no address: adopt() asks the socket
#else
    Q_UNUSED(descriptor);
    return nullptr;
#endif
}

Listener::Peek Listener::peek(int descriptor)
{
    m_peeked = 0;
#ifdef TERTULIA_HAVE_FAST_PATH
    if (!m_peekBuffer)
        m_peekBuffer = std::make_unique<char[]>(std::size_t(kMaxPeekBytes));
    ssize_t received;
    do {
        received = ::recv(descriptor, m_peekBuffer.get(), std::size_t(kMaxPeekBytes), MSG_PEEK | MSG_DONTWAIT);
    } while (received < 0 && errno == EINTR);
    if (received == 0)
        return Peek::Closed; // the client went away before saying anything
    if (received < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? Peek::Incomplete : Peek::Closed;
    m_peeked = received;
    // std::string_view::find, not QByteArrayView::contains: the latter cost ~6 700 instructions on a 450-byte
    // head (callgrind), memchr-based search a fraction of that.
    const std::string_view bytes(m_peekBuffer.get(), std::size_t(received));
    return bytes.find("\r\n\r\n") != std::string_view::npos ? Peek::Complete : Peek::Incomplete;
#else
    Q_UNUSED(descriptor);
    return Peek::Incomplete;
#endif
}

bool Listener::offerToLane(int descriptor, std::unique_ptr<AdmissionTicket> &ticket)
{
#ifdef TERTULIA_HAVE_FAST_PATH
    const QString peer = ticket ? ticket->address() : peerOf(descriptor);
    if (peer.isEmpty())
        return false;
    const int one = 1;
    ::setsockopt(descriptor, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!m_lane(descriptor, peer, QByteArrayView(m_peekBuffer.get(), m_peeked), ticket))
        return false;
    ++m_laneTaken;
    return true;
#else
    Q_UNUSED(descriptor);
    Q_UNUSED(ticket);
    return false;
#endif
}

void Listener::wait(int descriptor, std::unique_ptr<AdmissionTicket> ticket)
{
    auto waiting = std::make_unique<Waiting>();
    waiting->ticket = std::move(ticket);
    waiting->serial = m_nextSerial++;
    waiting->notifier = std::make_unique<QSocketNotifier>(qintptr(descriptor), QSocketNotifier::Read);
    connect(waiting->notifier.get(), &QSocketNotifier::activated, this,
            [this, descriptor] { onWaitingReadable(descriptor); });
    m_waitDeadlines.push_back(Deadline{descriptor, waiting->serial, m_clock.elapsed() + m_headWaitMs});
    m_waiting[descriptor] = std::move(waiting);
    if (!m_waitTimer.isActive())
        m_waitTimer.start(m_headWaitMs);
}

std::unique_ptr<AdmissionTicket> Listener::stopWaiting(int descriptor)
{
    auto it = m_waiting.find(descriptor);
    if (it == m_waiting.end())
        return nullptr;
    // Off before the descriptor changes hands or closes: the dispatcher must forget it while it is open.
    it->second->notifier->setEnabled(false);
    // Deleted later: this may run inside the notifier's own activation.
    it->second->notifier.release()->deleteLater();
    std::unique_ptr<AdmissionTicket> ticket = std::move(it->second->ticket);
    m_waiting.erase(it);
    return ticket;
}

void Listener::onWaitingReadable(int descriptor)
{
    switch (peek(descriptor)) {
    case Peek::Complete: {
        std::unique_ptr<AdmissionTicket> ticket = stopWaiting(descriptor);
        if (!offerToLane(descriptor, ticket))
            adopt(descriptor, std::move(ticket));
        return;
    }
    case Peek::Incomplete:
        if (m_peeked > 0) // part of a head: the usual way waits for the rest with its own deadlines
            adopt(descriptor, stopWaiting(descriptor));
        return;
    case Peek::Closed:
        stopWaiting(descriptor);
        closeDescriptor(descriptor);
        return;
    }
}

void Listener::expireWaiting()
{
    const qint64 now = m_clock.elapsed();
    while (!m_waitDeadlines.empty() && m_waitDeadlines.front().dueMs <= now) {
        const Deadline deadline = m_waitDeadlines.front();
        m_waitDeadlines.pop_front();
        auto it = m_waiting.find(deadline.descriptor);
        if (it == m_waiting.end() || it->second->serial != deadline.serial)
            continue; // set up meanwhile (its number may be another connection's by now)
        // Still silent: the usual way applies its own first-request deadline and closes it.
        adopt(deadline.descriptor, stopWaiting(deadline.descriptor));
    }
    if (!m_waitDeadlines.empty())
        m_waitTimer.start(int(std::max<qint64>(0, m_waitDeadlines.front().dueMs - now)));
}

void Listener::adopt(int descriptor, std::unique_ptr<AdmissionTicket> ticket)
{
    QTcpSocket *socket = m_tls ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcServer) << "cannot adopt an accepted socket:" << socket->errorString();
        delete socket;
#ifdef TERTULIA_HAVE_FAST_PATH
        closeDescriptor(descriptor);
#endif
        return;
    }
    if (!ticket && m_admission)
        ticket = m_admission->admit(socket->peerAddress().toString());
    // Held by the socket: it goes with the socket however that ends (the count is given back then), and
    // whoever takes the connection over takes the ticket along.
    if (ticket)
        AdmissionTicketHolder::attach(socket, std::move(ticket));
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!m_tls) {
        Q_EMIT accepted(socket);
        return;
    }
    auto *tls = static_cast<QSslSocket *>(socket);
    tls->setSslConfiguration(*m_tls);
    // One deadline for the first bytes, the TLS handshake (or a plain request head being redirected).
    auto *deadline = new QTimer(tls);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, tls, [tls] {
        qCDebug(lcServer) << "TLS handshake from" << tls->peerAddress().toString() << "timed out";
        tls->abort();
        tls->deleteLater();
    });
    connect(tls, &QSslSocket::disconnected, deadline, [tls] {
        if (!tls->isEncrypted())
            tls->deleteLater();
    });
    deadline->start(m_tlsTimeoutMs);
    sniff(tls, deadline);
}

void Listener::sniff(QSslSocket *tls, QTimer *deadline)
{
    // Before encryption a QSslSocket passes reads through, and peek() leaves the bytes where the handshake
    // (or the HTTP parser) will read them: so the first byte can decide without consuming anything.
    const auto decide = [this, tls, deadline] {
        char first = 0;
        if (tls->peek(&first, 1) != 1)
            return false;
        if (first == 0x16) { // a TLS record of type handshake: a ClientHello
            connect(tls, &QSslSocket::encrypted, this, [this, tls, deadline] {
                deadline->stop();
                deadline->deleteLater();
                Q_EMIT accepted(tls);
            });
            tls->startServerEncryption();
        } else if (m_plainAllowed) {
            deadline->stop();
            deadline->deleteLater();
            Q_EMIT accepted(tls); // plain HTTP, as the host chose
        } else {
            redirectToHttps(tls);
        }
        return true;
    };
    if (decide())
        return;
    auto waiting = std::make_shared<QMetaObject::Connection>();
    *waiting = connect(tls, &QSslSocket::readyRead, this, [decide, waiting] {
        if (decide())
            QObject::disconnect(*waiting);
    });
}

void Listener::redirectToHttps(QSslSocket *socket)
{
    // Wait for the whole head (the deadline still applies), then answer and close.
    const auto answer = [socket] {
        const QByteArray head = socket->peek(kMaxPeekBytes);
        if (!head.contains("\r\n\r\n") && head.size() < kMaxPeekBytes)
            return false;
        socket->readAll(); // read, so that closing does not reset the connection before the answer arrives
        socket->write(httpsRedirect(head));
        socket->disconnectFromHost();
        return true;
    };
    if (answer())
        return;
    connect(socket, &QSslSocket::readyRead, socket, [socket, answer] {
        if (answer())
            socket->disconnect(socket);
    });
}

QByteArray Listener::httpsRedirect(QByteArrayView head)
{
    const auto lineEnd = [&](qsizetype from) {
        const qsizetype end = head.indexOf("\r\n", from);
        return end < 0 ? head.size() : end;
    };
    // "GET /path HTTP/1.1": only a plain absolute path goes into the Location.
    const QByteArrayView requestLine = head.first(lineEnd(0));
    QByteArray path = "/";
    if (const qsizetype space = requestLine.indexOf(' '); space > 0) {
        const QByteArrayView rest = requestLine.sliced(space + 1);
        const QByteArrayView target = rest.first(std::max<qsizetype>(0, rest.indexOf(' ')));
        const bool safe = target.startsWith('/') && !target.startsWith("//")
                          && std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; });
        if (safe)
            path = target.toByteArray();
    }
    QByteArray host;
    for (qsizetype at = lineEnd(0) + 2; at < head.size();) {
        const qsizetype end = lineEnd(at);
        const QByteArrayView line = head.sliced(at, end - at);
        if (line.isEmpty())
            break;
        if (line.size() > 5 && QByteArrayView(line.first(5)).compare("host:", Qt::CaseInsensitive) == 0) {
            host = line.sliced(5).trimmed().toByteArray();
            break;
        }
        at = end + 2;
    }
    const bool hostOk = !host.isEmpty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
            || c == ':' || c == '[' || c == ']';
    });
    QByteArray response;
    if (hostOk) {
        const QByteArray location = "https://" + host + path;
        const QByteArray body = "This chat is encrypted: open " + location + "\n";
        response = "HTTP/1.1 301 Moved Permanently\r\nLocation: " + location + "\r\n";
        response += "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + QByteArray::number(body.size())
                    + "\r\nConnection: close\r\n\r\n" + body;
    } else {
        const QByteArray body = "This chat is encrypted: use https:// to reach it.\n";
        response = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                   + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    }
    return response;
}

} // namespace Tertulia
