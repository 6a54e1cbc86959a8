#pragma once

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <functional>

namespace Tertulia::EngineIo {
class Server;
class Socket;
}

namespace Tertulia::SocketIo {

class Socket;

struct ServerOptions
{
    int connectTimeoutMs = 45000;   ///< a connection that joined no namespace by then is closed
    int maxAttachments = 10;        ///< binary attachments per packet
};

/// Socket.IO v5 on an Engine.IO server: namespaces and their connect handlers. Generic: what a
/// namespace does with its sockets is up to the handler.
///
///     SocketIo::Server io(engine, {});
///     io.addNamespace(u"/"_s, [](SocketIo::Socket *socket) {
///         if (!socket->auth().contains(u"token"_s)) return socket->refuse(u"no token"_s);
///         socket->accept();
///         QObject::connect(socket, &SocketIo::Socket::eventReceived, socket, [socket](const SocketIo::Event &e) { ... });
///     });
class Server : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Server)

public:
    /// Called with every new socket of the namespace; it must accept() or refuse() it, now or later.
    using ConnectHandler = std::function<void(Socket *socket)>;

    Server(EngineIo::Server &engine, const ServerOptions &options, QObject *parent = nullptr);
    ~Server() override;

    void addNamespace(const QString &name, ConnectHandler handler);
    bool hasNamespace(const QString &name) const { return m_namespaces.contains(name); }
    const ServerOptions &options() const { return m_options; }
    EngineIo::Server &engine() const { return m_engine; }

private:
    friend class Connection;
    void connectSocket(Socket *socket);
    void onConnection(EngineIo::Socket *socket);

    EngineIo::Server &m_engine;
    ServerOptions m_options;
    QHash<QString, ConnectHandler> m_namespaces;
};

} // namespace Tertulia::SocketIo
