#pragma once

#include "server/session/sessiontransport.h"
#include "server/socketio/chat/recoverylog.h"
#include "server/socketio/deferredqueue.h"

#include <QtCore/QHash>
#include <QtCore/QPointer>

#include <functional>
#include <memory>
#include <optional>

namespace Tertulia::SocketIo {
class Socket;
struct Event;
}

namespace Tertulia {

struct Metrics;

/// The chat over one Socket.IO connection to "/": a SessionTransport, so the Session above it and every
/// handler work exactly as for the native protocol.
///
///   client event  "<request type>" with the request's data object, ack id  ->  Protocol::Request
///   Reply                                                                 ->  ack [{"type":"ok","data":{...}}]
///                                                                              or [{"type":"error","error":{...}}]
///   Event                                                                 ->  event "<event type>" with its data
///
/// A request emitted without an ack callback still runs; its error (if any) arrives as an `error` event.
/// `message` events carry the connection state recovery offset as their last argument.
class SocketIoTransport final : public SessionTransport
{
    Q_OBJECT

public:
    /// What the connection's recovery log and private session id are; shared so that the gateway keeps
    /// it after the connection is gone.
    struct Recovery
    {
        QString pid;          ///< private session id the client presents on reconnect
        QString socketId;     ///< the Socket.IO id, restored with the session
        QString userKey;
        RecoveryLog log;
        qint64 disconnectedAtMs = 0;
    };

    SocketIoTransport(SocketIo::Socket *socket, Metrics &metrics, QObject *parent = nullptr);
    ~SocketIoTransport() override;

    void sendReply(const Protocol::Reply &reply) override;
    void sendEvent(const OutboundEvent &event) override;
    void close(Protocol::CloseCode code, const QString &reason) override;
    void abort() override;
    qint64 bytesQueued() const override;
    void flush() override;
    QString peerAddress() const override { return m_peer; }
    QString protocolName() const override { return QStringLiteral("socket.io"); }
    /// The Engine.IO transport of the moment: "polling" until an upgrade, then "websocket".
    QString transportName() const override;
    /// The connection ended without the client leaving the namespace (transport close or error, ping
    /// timeout): its user's presence waits for a possible reconnect.
    bool droppedWithoutClose() const override { return m_closedReported && m_dropped; }

    SocketIo::Socket *socket() const;
    /// Starts recording deliveries for recovery.
    void setRecovery(std::shared_ptr<Recovery> recovery) { m_recovery = std::move(recovery); }
    const std::shared_ptr<Recovery> &recovery() const { return m_recovery; }
    /// Stops recording (another connection took the session over).
    std::shared_ptr<Recovery> takeRecovery() { return std::exchange(m_recovery, nullptr); }

    /// Replays what the client missed since `positions` (room name -> last seq it holds) through the
    /// ordinary `resume` request. Events are held back until the reply; recoveryFinished() tells whether
    /// every room was replayed completely, then deliverRecovered() or dropRecovered() releases them.
    void recover(const QHash<QString, qint64> &positions);
    /// Holds events back from now on, as recover() does, while what to recover is still being read (the
    /// store answers later); recover(), deliverRecovered() or dropRecovered() follows.
    void holdEvents() { m_recovering = true; }
    /// Emits at once, ahead of whatever a recovery holds back (the `hello` right after CONNECT); with an
    /// offset (global positions), the event carries it, so that a client that receives no message can still
    /// recover.
    void emitFirst(const Protocol::Event &event, std::optional<qint64> offset = std::nullopt)
    {
        emitEvent(OutboundEvent(event), offset ? std::optional<QString>(QString::number(*offset)) : std::nullopt);
    }

    /// Recovery offsets are global positions (several nodes: OutboundEvent::position()) instead of this
    /// connection's log: `busPosition` tells the position every message at or below which was handed on.
    /// The connection also never emits a seq of a room at or below one it emitted or the client held,
    /// since a replay read from the database may hold messages this node hands on only later.
    void usePositions(std::function<qint64()> busPosition) { m_busPosition = std::move(busPosition); }
    bool usesPositions() const { return bool(m_busPosition); }
    /// Positions mode: the pid the client was given (the gateway's key for this live connection).
    void setPid(const QString &pid) { m_pid = pid; }
    const QString &pid() const { return m_pid; }
    void deliverRecovered();
    void dropRecovered();
    /// The socket was refused: the session above must go.
    void abandon();

    /// The id of the internal request that replays missed messages on recovery.
    static QString recoveryRequestId() { return QStringLiteral("~recover"); }

Q_SIGNALS:
    void recoveryFinished(bool recovered);
    /// The connection is gone, and the session above has been told (Receiver::onClosed()).
    void ended();

private:
    void onEvent(const SocketIo::Event &event);
    /// Emits with the offset the mode gives (none for `offset` = empty string), or `offset` itself.
    void emitEvent(const OutboundEvent &event, std::optional<QString> offset = std::nullopt);
    /// Positions mode: whether a message is new for the client (and remembers it).
    bool isNewForClient(const OutboundEvent &event);
    void reportClosed();
    /// From the event loop: tells the receiver, then ended().
    void reportEnded();

    QPointer<SocketIo::Socket> m_socket;
    Metrics &m_metrics;
    QString m_peer;
    QPointer<EngineIo::DeferredQueue> m_deferred; ///< the Engine.IO server's (deferred close report)
    std::shared_ptr<Recovery> m_recovery;
    bool m_recovering = false;
    QList<OutboundEvent> m_held;            ///< events held back during a recovery
    qint64 m_heldBytes = 0;                 ///< their size, counted as queued (the session's backlog bound)
    std::function<qint64()> m_busPosition;  ///< positions mode (several nodes)
    QHash<QString, qint64> m_clientSeqs;    ///< positions mode: room name -> last seq the client has
    qint64 m_replayWatermark = 0;
    QString m_pid;           ///< positions mode: everything at or below is in the replay
    quint64 m_unackedRequests = 0;          ///< ids for requests emitted without an ack callback
    bool m_closedReported = false;
    bool m_dropped = false;
};

} // namespace Tertulia
