#pragma once

#include "server/session/nativewebsockettransport.h"

class QTcpSocket;

namespace Tertulia {

namespace Http {
struct Request;
}
namespace WebSocket {
class Connection;
}

struct Metrics;
struct ServerLimits;

/// The native protocol `tertulia.v1` on the portable path: a WebSocket::Connection over the accepted
/// QTcpSocket or QSslSocket (TLS, `--fast-path off`, Windows, macOS). What messages mean, and how frames are
/// made, is NativeWebSocketTransport's, shared with the fast path.
class WebSocketTransport final : public NativeWebSocketTransport
{
    Q_OBJECT

public:
    /// Takes ownership of the connection (not started yet: start() does it, after the transport is wired).
    WebSocketTransport(WebSocket::Connection *connection, const QString &bearerToken, Metrics &metrics,
                       QObject *parent = nullptr);
    ~WebSocketTransport() override;

    /// A connection on an accepted socket, with the server's limits (message cap, message deadline).
    static WebSocket::Connection *makeConnection(QTcpSocket *socket, const ServerLimits &limits);

    /// Starts the connection: the upgrade request's head is read off the socket, the handshake's answer (101)
    /// goes out, then what the client sent after its request is decoded.
    void start(const Http::Request &request, const QByteArray &handshakeResponse);

    void sendReply(const Protocol::Reply &reply) override;
    void sendOk(const QString &id, const Protocol::RoomResult &result) override;
    void sendEvent(const OutboundEvent &event) override;
    void close(Protocol::CloseCode code, const QString &reason) override;
    void abort() override;
    qint64 bytesQueued() const override;
    void flush() override;
    QString peerAddress() const override;
    QString transportName() const override { return QStringLiteral("websocket"); }
    QString bearerToken() const override { return m_bearer; }
    /// Pings carry the sending time, so the pong gives the round trip.
    void ping() override;

    const WebSocket::Connection &connection() const { return *m_connection; }

private:
    WebSocket::Connection *m_connection;
    QString m_bearer;
};

} // namespace Tertulia
