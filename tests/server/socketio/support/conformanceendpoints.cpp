#include "conformanceendpoints.h"

#include "server/socketio/engineioserver.h"
#include "server/socketio/engineiosocket.h"
#include "server/socketio/socketiosocket.h"

using namespace Qt::StringLiterals;

namespace Tertulia::Testing {

EngineIo::ServerOptions ConformanceEndpoints::suiteOptions()
{
    EngineIo::ServerOptions options;
    options.pingIntervalMs = 300;
    options.pingTimeoutMs = 200;
    options.maxPayload = 1000000;
    return options;
}

ConformanceEndpoints::ConformanceEndpoints(Http::Router &router, const EngineIo::ServerOptions &options,
                                           const SocketIo::ServerOptions &socketIo)
    : m_echo(std::make_unique<EngineIo::Server>(options)), m_engine(std::make_unique<EngineIo::Server>(options))
{
    m_echo->addRoutes(router, u"/engine.io/"_s);
    QObject::connect(m_echo.get(), &EngineIo::Server::connection, m_echo.get(), [](EngineIo::Socket *socket) {
        QObject::connect(socket, &EngineIo::Socket::textMessage, socket, &EngineIo::Socket::send);
        QObject::connect(socket, &EngineIo::Socket::binaryMessage, socket, &EngineIo::Socket::sendBinary);
    });

    m_engine->addRoutes(router, u"/socket.io/"_s);
    m_io = std::make_unique<SocketIo::Server>(*m_engine, socketIo);
    const auto onConnect = [](SocketIo::Socket *socket) {
        socket->accept();
        socket->emitEvent(u"auth"_s, {socket->auth()});
        QObject::connect(socket, &SocketIo::Socket::eventReceived, socket, [socket](const SocketIo::Event &event) {
            if (event.name == u"message")
                socket->emitEvent(u"message-back"_s, event.args, event.attachments);
            else if (event.name == u"message-with-ack" && event.ackId)
                socket->ack(*event.ackId, event.args, event.attachments);
        });
    };
    m_io->addNamespace(u"/"_s, onConnect);
    m_io->addNamespace(u"/custom"_s, onConnect);
}

ConformanceEndpoints::~ConformanceEndpoints() = default;

} // namespace Tertulia::Testing
