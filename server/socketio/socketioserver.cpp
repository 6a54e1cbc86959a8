#include "server/socketio/socketioserver.h"

#include "server/socketio/engineioserver.h"
#include "server/socketio/engineiosocket.h"
#include "server/socketio/socketioconnection.h"
#include "server/socketio/socketiosocket.h"

namespace Tertulia::SocketIo {

Server::Server(EngineIo::Server &engine, const ServerOptions &options, QObject *parent)
    : QObject(parent), m_engine(engine), m_options(options)
{
    connect(&m_engine, &EngineIo::Server::connection, this, &Server::onConnection);
}

Server::~Server() = default;

void Server::addNamespace(const QString &name, ConnectHandler handler) { m_namespaces.insert(name, std::move(handler)); }

void Server::onConnection(EngineIo::Socket *socket)
{
    // Owned by the Engine.IO socket: it goes when the session ends.
    new Connection(*socket, *this);
}

void Server::connectSocket(Socket *socket)
{
    const auto handler = m_namespaces.constFind(socket->nsp());
    if (handler != m_namespaces.cend())
        (*handler)(socket);
}

} // namespace Tertulia::SocketIo
