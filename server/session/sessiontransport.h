#pragma once

#include "server/session/outboundevent.h"
#include "shared/protocol/closecode.h"
#include "shared/protocol/frames.h"

#include <QtCore/QObject>

namespace Tertulia {

/// How a Session talks to its client: the native protocol over a WebSocket (WebSocketTransport on the portable
/// path, FastTransport on the Linux fast path), or Socket.IO (its own transport). A transport turns frames into
/// protocol values and back and reports what happens on the wire to its Receiver; the Session above it holds
/// the state, and the handlers never see which it is.
class SessionTransport : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionTransport)

public:
    /// Hears what happens on the wire: the Session above (setReceiver()). An interface rather than signals:
    /// the five signal connections between a session and its transport were ~0.4 kB of an idle connection's
    /// ~4.5 kB (docs/benchmarks.md, issue 14).
    class Receiver
    {
    public:
        virtual void onRequest(const Protocol::Request &request) = 0;
        /// A frame that could not be decoded; `id` when it could still be read.
        virtual void onMalformed(const Protocol::Error &error, const QString &id) = 0;
        /// Any frame or pong: the peer is alive.
        virtual void onActivity() = 0;
        virtual void onPong(quint64 elapsedMs) = 0;
        /// The connection is gone (told once, from the event loop, never inside a call into the transport).
        virtual void onClosed() = 0;

    protected:
        ~Receiver() = default;
    };

    using QObject::QObject;

    /// Who hears it from now on (nullptr: nobody).
    void setReceiver(Receiver *receiver) { m_receiver = receiver; }

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

protected:
    // What the subclasses report, passed on to the receiver.
    void reportRequest(const Protocol::Request &request)
    {
        if (m_receiver)
            m_receiver->onRequest(request);
    }
    void reportMalformed(const Protocol::Error &error, const QString &id)
    {
        if (m_receiver)
            m_receiver->onMalformed(error, id);
    }
    void reportActivity()
    {
        if (m_receiver)
            m_receiver->onActivity();
    }
    void reportPong(quint64 elapsedMs)
    {
        if (m_receiver)
            m_receiver->onPong(elapsedMs);
    }
    /// Call from the event loop only (a queued call): a close can happen inside a send while the caller
    /// iterates over the sessions of a room.
    void reportClosedNow()
    {
        if (m_receiver)
            m_receiver->onClosed();
    }

private:
    Receiver *m_receiver = nullptr;
};

} // namespace Tertulia
