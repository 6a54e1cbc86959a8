#pragma once

#include "server/session/outboundevent.h"
#include "shared/protocol/closecode.h"
#include "shared/protocol/frames.h"

#include <QtCore/QObject>

namespace Tertulia {

/// How a Session talks to its client: the native protocol over a WebSocket (WebSocketTransport on the portable
/// path, FastTransport on the Linux fast path), or Socket.IO (its own transport). A transport turns frames into protocol values and back and reports what
/// happens on the wire; the Session above it holds the state, and the handlers never see which it is.
class SessionTransport : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionTransport)

public:
    using QObject::QObject;

    virtual void sendReply(const Protocol::Reply &reply) = 0;
    /// An ok reply whose data is a room (join, create_room): the native transports write it straight from the
    /// value, with no QJsonObject in between (the connect path, docs/benchmarks.md, issue 14); the others send
    /// the Reply it stands for.
    virtual void sendOk(const QString &id, const Protocol::RoomResult &result)
    {
        sendReply(Protocol::Reply::ok(id, result.toJson()));
    }
    virtual void sendEvent(const OutboundEvent &event) = 0;
    /// Closes with a code and a reason the client can show.
    virtual void close(Protocol::CloseCode code, const QString &reason) = 0;
    /// Drops the connection at once (nothing more can be sent).
    virtual void abort() = 0;
    /// Bytes accepted for sending but not yet written to the network.
    virtual qint64 bytesQueued() const = 0;
    /// Writes what the network takes now, without blocking.
    virtual void flush() { }
    virtual QString peerAddress() const = 0;
    /// The wire protocol, as the admin API's connection list names it: "native" or "socket.io".
    virtual QString protocolName() const = 0;
    /// What carries it now: "websocket", "fastpath" (the native protocol on the Linux fast path) or
    /// "polling" (Engine.IO long-polling; a Socket.IO connection that upgrades says "websocket" from then on).
    virtual QString transportName() const = 0;
    /// An access token given with the connection (HTTP Authorization header), if any.
    virtual QString bearerToken() const { return {}; }
    /// A liveness probe (WebSocket ping); transports with their own heartbeat ignore it.
    virtual void ping() { }
    /// Once closed: whether the connection simply dropped (no closing handshake: a reset, a timeout, a lost
    /// network), after which a client usually comes back at once. False when the transport cannot tell.
    virtual bool droppedWithoutClose() const { return false; }

Q_SIGNALS:
    void requestReceived(const Tertulia::Protocol::Request &request);
    /// A frame that could not be decoded; `id` when it could still be read.
    void malformed(const Tertulia::Protocol::Error &error, const QString &id);
    /// Any frame or pong: the peer is alive.
    void activity();
    void pong(quint64 elapsedMs);
    /// The connection is gone.
    void closed();
};

} // namespace Tertulia
