#pragma once

#include "server/http/httprequest.h"
#include "server/http/httprouter.h"
#include "server/socketio/deferredqueue.h"
#include "server/socketio/engineiooptions.h"
#include "server/socketio/engineiopacket.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

namespace Tertulia::WebSocket {
class Connection;
}

namespace Tertulia::EngineIo {

/// One Engine.IO session: a sid, a transport (HTTP long-polling or WebSocket, upgraded from polling
/// through a probe), the server-driven heartbeat and the queue of packets waiting for the client. The
/// Server creates it and feeds it requests; the layer above reads messages and writes with send().
class Socket : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Socket)

public:
    enum class Transport { Polling, WebSocket };
    /// Why a session ended (the reference server's reasons).
    enum class CloseReason {
        TransportClose,  ///< the WebSocket or the pending poll request went away
        TransportError,  ///< a protocol violation on the transport (overlapping polls, bad content)
        PingTimeout,     ///< no pong within pingTimeout
        ParseError,      ///< a malformed packet
        ClientClose,     ///< the client sent a close packet
        ServerClose,     ///< close() by the layer above
        Aborted,         ///< abort() by the layer above (slow consumer)
    };

    Socket(const QString &sid, Transport transport, const ServerOptions &options, const Http::Request &handshake,
           DeferredQueue &deferred, QObject *parent);
    ~Socket() override;

    const QString &id() const { return m_sid; }
    Transport transport() const { return m_transport; }
    bool isOpen() const { return m_state == State::Open; }
    /// A WebSocket probe is in progress (the session cannot take another).
    bool isUpgrading() const { return !m_probe.isNull(); }
    /// The request that opened the session: headers, query and peer address.
    const Http::Request &handshakeRequest() const { return m_handshake; }
    QString peerAddress() const { return m_handshake.peerAddress; }

    void send(const QString &text);
    void sendBinary(const QByteArray &bytes);
    /// Closes after what is queued: a polling client receives a close packet with its next poll.
    void close();
    /// Drops the session now (queued packets are lost).
    void abort();
    /// Bytes accepted for sending but not yet on the network (queued for the next poll, or in the
    /// WebSocket's buffer).
    qint64 bytesQueued() const;
    /// Hands the WebSocket's buffered bytes to the kernel now, as far as it takes them.
    void flushNetwork();

    static QString describe(CloseReason reason);
    /// The server's queue for deferred deletions and calls (null once the server is gone).
    DeferredQueue *deferred() const { return m_deferred; }

Q_SIGNALS:
    void textMessage(const QString &text);
    void binaryMessage(const QByteArray &bytes);
    /// Any packet from the client: it is alive.
    void packetReceived();
    /// A pong answered the server's ping after `rttMs`.
    void pong(qint64 rttMs);
    void upgraded();
    /// The session ended; nothing more can be sent. Emitted once.
    void closed(Tertulia::EngineIo::Socket::CloseReason reason);
    /// The session may be forgotten (after the close was delivered). The server deletes it.
    void finished();

private:
    friend class Server;
    enum class State { Open, Closing, Closed };

    void start();
    /// Applies a pong deadline that has passed but whose timer has not run yet (a request that arrives in
    /// the same event-loop pass must not find the session alive).
    void applyOverdueDeadline();
    void schedulePing();
    void handlePoll(const Http::Request &request, const Http::Responder &responder);
    void handlePost(const Http::Request &request, const Http::Responder &responder);
    void attachWebSocket(WebSocket::Connection *socket);
    /// A WebSocket for this session's upgrade. One the session cannot take (it upgraded already, another
    /// probe runs, it is closing) is accepted and closed at once, as the reference server does.
    void probe(WebSocket::Connection *socket);
    bool canProbe() const;

    void enqueue(const Packet &packet);
    void flush();
    void respondToPoll(const QList<Packet> &packets);
    void handlePacket(const Packet &packet);
    void onPingTimer();
    void shutdown(CloseReason reason);
    void finish();
    /// Closes a WebSocket with `code` and hands it to the server until its close handshake is over.
    void retire(WebSocket::Connection *socket, quint16 code);
    void endProbe();
    void completeUpgrade();
    Http::Response pollResponse(const QByteArray &body, const QByteArray &contentType) const;

    QString m_sid;
    Transport m_transport;
    const ServerOptions &m_options;
    QPointer<DeferredQueue> m_deferred;
    Http::Request m_handshake;
    State m_state = State::Open;
    QList<Packet> m_queue;
    qint64 m_queuedWeight = 0;
    Http::Responder m_poll;                  ///< the pending GET, if any
    Http::Request m_pollRequest;             ///< its request (for the CORS headers of the answer)
    QMetaObject::Connection m_pollWatch;     ///< its connection closing early ends the session
    QPointer<WebSocket::Connection> m_socket; ///< the WebSocket transport (after an upgrade or WS-only)
    QPointer<WebSocket::Connection> m_probe;  ///< a WebSocket probing for the upgrade
    bool m_probed = false;                   ///< the probe answered "3probe": polls get a noop at once
    QTimer m_pingTimer;
    QTimer m_pongTimer;
    QTimer m_upgradeTimer;
    QTimer m_closeTimer;
    QTimer m_flushTimer;
    QTimer m_noopTimer;                      ///< ends a poll that arrives while an upgrade is under way
    QElapsedTimer m_pingSent;
    QElapsedTimer m_pingScheduled;           ///< since the ping timer was started (its due time is known)
    bool m_pongTimeoutRefreshed = false;
};

} // namespace Tertulia::EngineIo
