#pragma once

#include "server/http/httprouter.h"
#include "server/socketio/deferredqueue.h"
#include "server/socketio/engineiooptions.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <optional>

class QTcpSocket;

namespace Tertulia::EngineIo {

class Socket;

/// The errors of the handshake and of requests for a session, with the reference server's codes and
/// messages (answered as HTTP 400, or 403 for Forbidden, with {"code":n,"message":"..."}).
enum class RequestError {
    UnknownTransport = 0,
    UnknownSid = 1,
    BadHandshakeMethod = 2,
    BadRequest = 3,
    Forbidden = 4,
    UnsupportedProtocolVersion = 5,
};
QString errorMessage(RequestError error);

/// An Engine.IO v4 endpoint on our HTTP layer: long-polling requests come through a prefix route,
/// WebSocket upgrades through an upgrade route, answered at once with our own handshake and served by a
/// WebSocket::Connection on the socket (the same RFC 6455 codec as /ws). Sessions are kept by sid;
/// `connection` announces each new one.
class Server : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Server)

public:
    explicit Server(const ServerOptions &options, QObject *parent = nullptr);
    ~Server() override;

    const ServerOptions &options() const { return m_options; }
    /// Deferred deletions and calls of this server's sessions and the layers above them (see DeferredQueue).
    DeferredQueue &deferred() { return m_deferred; }

    /// Serves `prefix` (for example "/socket.io/") on the router: polling and WebSocket upgrades.
    void addRoutes(Http::Router &router, const QString &prefix);
    void handleRequest(const Http::Request &request, const Http::Responder &responder);
    std::optional<Http::Response> handleUpgrade(QTcpSocket *socket, const Http::Request &request);

    int sessionCount() const { return int(m_sessions.size()); }
    Socket *session(const QString &sid) const;
    /// Closes every session (server shutdown).
    void closeAll();

Q_SIGNALS:
    void connection(Tertulia::EngineIo::Socket *socket);
    /// A request was refused (for metrics: Forbidden is a refused Origin).
    void refused(Tertulia::EngineIo::RequestError error);
    /// A new session was refused by the caps (per peer, or in total).
    void overloaded(bool perPeer);

private:
    std::optional<RequestError> verify(const Http::Request &request, bool upgrade);
    Http::Response errorResponse(RequestError error, const Http::Request &request);
    void addCors(Http::Response &response, const Http::Request &request) const;
    Socket *createSession(int transport, const Http::Request &request);
    /// A refusal when the session caps are reached (polling sessions hold no TCP connection, so the
    /// server's connection caps do not bound them).
    std::optional<Http::Response> overCapacity(const Http::Request &request);

    ServerOptions m_options;
    DeferredQueue m_deferred;
    QHash<QString, QPointer<Socket>> m_sessions;
    QHash<QString, int> m_sessionsPerPeer;
};

} // namespace Tertulia::EngineIo
