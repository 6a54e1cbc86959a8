#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QTcpServer>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

class QSocketNotifier;
class QSslSocket;

namespace Tertulia {

class AdmissionTicket;
class ConnectionAdmission;

/// Accepts TCP connections for the server.
///
/// - Backlog: the kernel's own cap (net.core.somaxconn, read from /proc where it exists; at least 1024). A
///   reconnect storm of 10 000 clients within a second overflowed a queue of 1 024 and left clients waiting
///   for SYN retransmits (1 s, 3 s, 7 s). Raise net.core.somaxconn to allow more (listen() cannot exceed it).
/// - Accepting and setting up are separate: every wake-up accepts all pending connections (cheap: the kernel
///   finished the TCP handshake already), so the kernel queue stays short; the costly part (reading the
///   request, the WebSocket handshake, authentication) runs for at most kSetupsPerPass connections per event
///   loop pass, so the sockets that are already open keep being served while thousands connect.
/// - Admission (setAdmission()): every connection is admitted or refused as soon as it is set up, before a
///   byte is read, whichever way it then goes; the ticket travels with it (the lane takes it, a QTcpSocket
///   carries it as a child). Refused connections skip the lane: the usual way answers the refusal.
/// - Fast lane (plain TCP only, setFastLane()): a connection whose request head is complete in the kernel's
///   buffer is offered to the lane first, with the bytes peeked (not read). A lane that takes it owns the
///   descriptor from then on; no QTcpSocket is ever made for it. Otherwise (not taken, head incomplete after
///   a first wait, or no lane) the descriptor becomes a QTcpSocket, announced with accepted(), the bytes
///   still unread.
/// - TCP_NODELAY on every connection (chat frames are small and latency-bound); TLS on the same port when
///   configured (sockets announced after the TLS handshake).
/// - With TLS, the first byte tells a TLS handshake (0x16) from plain HTTP: plain requests get a redirect to
///   https:// (someone typed http:// in a browser), or, where setPlainHttpAllowed() says so, are served
///   unencrypted on the same port (announced as a QSslSocket that never started encryption).
class Listener : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Listener)

public:
    /// Connections set up per event loop pass at most. Measured (Release, reconnect storm of 10 000 with rooms
    /// talking; connect phase of 10 000): 16 gave the talkers a p99 of 55-60 ms against 64-85 ms with 32, and
    /// 6 700-7 400 connects/s against 7 450-7 750; 32 favours the connect rate.
    static constexpr int kSetupsPerPass = 32;
    /// Bytes of a request head the fast lane looks at; a longer head goes the QTcpSocket way.
    static constexpr qsizetype kMaxPeekBytes = 8 * 1024;

    /// Offered a plain connection whose request head (the first `bytes`, up to the blank line) is in the
    /// kernel's buffer, unread; `peer` is the client's address, `ticket` its admission (admitted; null
    /// without setAdmission()). Returns true when it took the descriptor (it then reads, owns and closes it,
    /// and keeps the ticket for as long as the connection lasts), false to leave it to accepted().
    using FastLane = std::function<bool(int descriptor, const QString &peer, QByteArrayView bytes,
                                        std::unique_ptr<AdmissionTicket> &ticket)>;

    explicit Listener(QObject *parent = nullptr);
    ~Listener() override;

    /// The listen backlog used: the kernel's cap where it can be read, at least 1024.
    static int backlogSize();

    /// Serve TLS with this configuration (certificate chain and key set).
    void setTlsConfiguration(const QSslConfiguration &configuration) { m_tls = configuration; }
    void setTlsHandshakeTimeout(int ms) { m_tlsTimeoutMs = ms; }
    bool isTls() const { return m_tls.has_value(); }
    /// With TLS: serve plain HTTP and ws:// on the same port too, instead of redirecting to https://.
    void setPlainHttpAllowed(bool allowed) { m_plainAllowed = allowed; }

    /// The answer to a plain HTTP request head on a TLS-only port: 301 to the same path on https:// at the
    /// Host the client named, or 400 when it named none usable. Pure, for tests.
    static QByteArray httpsRedirect(QByteArrayView head);
    void setFastLane(FastLane lane) { m_lane = std::move(lane); }
    /// Asks `admission` about every connection at set-up; accepted() sockets carry their AdmissionTicket.
    void setAdmission(ConnectionAdmission *admission) { m_admission = admission; }
    /// How long the fast lane waits for a request head that had not arrived at accept time.
    void setHeadWait(int ms) { m_headWaitMs = ms; }

    /// Connections accepted but not set up yet (for tests and diagnostics).
    qsizetype queuedCount() const { return qsizetype(m_queue.size()) + qsizetype(m_waiting.size()); }
    /// Connections the fast lane took, since the start.
    quint64 fastLaneCount() const { return m_laneTaken; }

Q_SIGNALS:
    void accepted(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Waiting;
    enum class Peek { Complete, Incomplete, Closed };

    void setUpQueued();
    void scheduleSetUp();
    void setUp(int descriptor);
    /// The connection's admission, asked with its peer address; null without setAdmission().
    std::unique_ptr<AdmissionTicket> admit(int descriptor);
    /// Looks at what the client sent so far; fills m_peek.
    Peek peek(int descriptor);
    bool offerToLane(int descriptor, std::unique_ptr<AdmissionTicket> &ticket);
    void wait(int descriptor, std::unique_ptr<AdmissionTicket> ticket);
    void onWaitingReadable(int descriptor);
    void expireWaiting();
    /// Stops waiting for the descriptor's head; returns its ticket.
    std::unique_ptr<AdmissionTicket> stopWaiting(int descriptor);
    /// The usual way: a QTcpSocket (or QSslSocket) announced with accepted(), carrying the ticket.
    void adopt(int descriptor, std::unique_ptr<AdmissionTicket> ticket);
    /// TLS port: the first bytes decide between the handshake and plain HTTP.
    void sniff(QSslSocket *socket, QTimer *deadline);
    void redirectToHttps(QSslSocket *socket);

    std::optional<QSslConfiguration> m_tls;
    int m_tlsTimeoutMs = 5000;
    bool m_plainAllowed = false;
    int m_headWaitMs = 5000;
    FastLane m_lane;
    ConnectionAdmission *m_admission = nullptr;
    std::deque<int> m_queue;                          ///< accepted, not set up yet
    bool m_setUpPosted = false;
    std::unordered_map<int, std::unique_ptr<Waiting>> m_waiting; ///< lane candidates whose head is not there yet
    struct Deadline
    {
        int descriptor;
        quint64 serial;
        qint64 dueMs;
    };
    std::deque<Deadline> m_waitDeadlines;             ///< in arrival order, so due times only grow
    quint64 m_nextSerial = 1;
    QElapsedTimer m_clock;
    QTimer m_waitTimer;
    std::unique_ptr<char[]> m_peekBuffer;
    qsizetype m_peeked = 0;
    quint64 m_laneTaken = 0;
};

} // namespace Tertulia
