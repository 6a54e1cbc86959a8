#pragma once

#include "server/socketio/chat/socketiotransport.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

#include <functional>
#include <memory>

namespace Tertulia::EngineIo {
class Server;
}
namespace Tertulia::SocketIo {
class Server;
class Socket;
}
namespace Tertulia::Http {
class Router;
}

namespace Tertulia {

class AuthHandler;
class EventBus;
class SocketIoPid;
class Session;
class ConnectionAdmission;
class SessionTransport;
struct ServerContext;

/// Socket.IO on /socket.io/ for the chat: every connection to the "/" namespace becomes a Session
/// (created by the server like any other, so rooms, history, limits, rate limits and metrics are the
/// same), authenticated from the CONNECT packet's `auth.token` like the native Authorization header.
/// It also keeps the state of recently closed connections for Socket.IO's connection state recovery.
class SocketIoGateway : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SocketIoGateway)

public:
    /// Creates and wires a Session for a transport (the server's one way to open sessions).
    using SessionFactory = std::function<Session *(SessionTransport *transport)>;

    /// `admission` decides which origins may connect, as for every other way in.
    SocketIoGateway(ServerContext &context, AuthHandler &auth, ConnectionAdmission &admission, SessionFactory openSession,
                    QObject *parent = nullptr);
    ~SocketIoGateway() override;

    void addRoutes(Http::Router &router);
    /// How long the state of a closed connection is kept for recovery (default two minutes, as
    /// socket.io's default).
    void setMaxDisconnectionMs(int ms) { m_maxDisconnectionMs = ms; }
    /// Several nodes: recovery by global positions and signed pids, so a client recovers on any node, even
    /// after its old one was killed; nothing is kept when a connection ends (docs/scaling.md).
    void usePositions(EventBus &bus, QByteArray pidKey);
    int parkedSessions() const { return int(m_parked.size()); }
    int engineSessions() const;

private:
    using Recovery = SocketIoTransport::Recovery;

    void onConnect(SocketIo::Socket *socket);
    /// onConnect()'s second half, once the session authenticated: recovery, then the CONNECT's answer.
    void onAuthenticated(SocketIo::Socket *socket, SocketIoTransport *transport, Session *session);
    void finishConnect(const QPointer<SocketIo::Socket> &socket, SocketIoTransport *transport, Session *session,
                       std::shared_ptr<Recovery> recovered);
    std::shared_ptr<Recovery> claim(const QString &pid, const QString &userKey);
    /// onConnect() for several nodes (usePositions()).
    void connectByPosition(SocketIo::Socket *socket, SocketIoTransport *transport, Session *session);
    void finishByPosition(const QPointer<SocketIo::Socket> &socket, SocketIoTransport *transport, Session *session,
                          const QString &recoveredPid, const QString &recoveredSocketId, qint64 startPosition);
    void park(SocketIoTransport *transport);
    QHash<QString, qint64> roomPositions(const QString &userKey) const;

    ServerContext &m_context;
    AuthHandler &m_auth;
    ConnectionAdmission &m_admission;
    SessionFactory m_openSession;
    std::unique_ptr<EngineIo::Server> m_engine;
    std::unique_ptr<SocketIo::Server> m_io;
    QHash<QString, std::shared_ptr<Recovery>> m_parked;      ///< by pid: closed connections
    QHash<QString, QPointer<SocketIoTransport>> m_live;      ///< by pid: open connections
    int m_maxDisconnectionMs = 2 * 60 * 1000;
    EventBus *m_bus = nullptr;                                ///< usePositions()
    std::unique_ptr<SocketIoPid> m_pids;
    QTimer m_expiry;
};

} // namespace Tertulia
