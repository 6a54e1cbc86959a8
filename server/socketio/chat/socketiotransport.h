#pragma once

#include "server/session/sessiontransport.h"
#include "server/socketio/chat/recoverylog.h"
#include "server/socketio/deferredqueue.h"

#include <QtCore/QHash>
#include <QtCore/QPointer>

#include <memory>

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
    /// Emits at once, ahead of whatever a recovery holds back (the `hello` right after CONNECT).
    void emitFirst(const Protocol::Event &event) { emitEvent(OutboundEvent(event)); }
    void deliverRecovered();
    void dropRecovered();
    /// The socket was refused: the session above must go.
    void abandon();

    /// The id of the internal request that replays missed messages on recovery.
    static QString recoveryRequestId() { return QStringLiteral("~recover"); }

Q_SIGNALS:
    void recoveryFinished(bool recovered);

private:
    void onEvent(const SocketIo::Event &event);
    void emitEvent(const OutboundEvent &event);
    void reportClosed();

    QPointer<SocketIo::Socket> m_socket;
    Metrics &m_metrics;
    QString m_peer;
    QPointer<EngineIo::DeferredQueue> m_deferred; ///< the Engine.IO server's (deferred close report)
    std::shared_ptr<Recovery> m_recovery;
    bool m_recovering = false;
    QList<OutboundEvent> m_held;            ///< events held back during a recovery
    quint64 m_unackedRequests = 0;          ///< ids for requests emitted without an ack callback
    bool m_closedReported = false;
    bool m_dropped = false;
};

} // namespace Tertulia
