// tertulia-socketio-fixture: the server side of the official Engine.IO and Socket.IO protocol test
// suites, built from the same Socket.IO layer as tertulia-server (docs/socketio.md, "Conformance").
//   /engine.io/   Engine.IO only: every message (text or binary) is echoed back
//   /socket.io/   Socket.IO with the "/" and "/custom" namespaces: on connect it emits "auth" with the
//                 CONNECT payload; "message" is answered with "message-back" and the same arguments;
//                 "message-with-ack" is acknowledged with the same arguments (binary included)
#include "server/socketio/engineioserver.h"
#include "server/socketio/engineiosocket.h"
#include "server/socketio/socketioserver.h"
#include "server/socketio/socketiosocket.h"
#include "support/testhttpserver.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <cstdio>

using namespace Tertulia;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Socket.IO conformance fixture (the official test suites expect port 3000)."_qs);
    parser.addHelpOption();
    const QCommandLineOption portOption(u"port"_qs, u"Port to listen on (default 3000; 0: any free port)."_qs, u"PORT"_qs,
                                        u"3000"_qs);
    const QCommandLineOption hostOption(u"host"_qs, u"Address to listen on (default 127.0.0.1)."_qs, u"HOST"_qs,
                                        u"127.0.0.1"_qs);
    parser.addOptions({portOption, hostOption});
    parser.process(app);

    EngineIo::ServerOptions options;
    options.pingIntervalMs = 300;
    options.pingTimeoutMs = 200;
    options.maxPayload = 1000000;

    Testing::TestHttpServer http;
    EngineIo::Server echo(options);
    echo.addRoutes(http.router(), u"/engine.io/"_qs);
    QObject::connect(&echo, &EngineIo::Server::connection, &echo, [](EngineIo::Socket *socket) {
        QObject::connect(socket, &EngineIo::Socket::textMessage, socket, &EngineIo::Socket::send);
        QObject::connect(socket, &EngineIo::Socket::binaryMessage, socket, &EngineIo::Socket::sendBinary);
    });

    EngineIo::Server engine(options);
    engine.addRoutes(http.router(), u"/socket.io/"_qs);
    SocketIo::Server io(engine, SocketIo::ServerOptions{1000, 10});
    const auto onConnect = [](SocketIo::Socket *socket) {
        socket->accept();
        socket->emitEvent(u"auth"_qs, {socket->auth()});
        QObject::connect(socket, &SocketIo::Socket::eventReceived, socket, [socket](const SocketIo::Event &event) {
            if (event.name == u"message")
                socket->emitEvent(u"message-back"_qs, event.args, event.attachments);
            else if (event.name == u"message-with-ack" && event.ackId)
                socket->ack(*event.ackId, event.args, event.attachments);
        });
    };
    io.addNamespace(u"/"_qs, onConnect);
    io.addNamespace(u"/custom"_qs, onConnect);

    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    const QHostAddress host(parser.value(hostOption));
    if (!portOk || port > 65535 || host.isNull() || !http.listen(host, quint16(port))) {
        std::fprintf(stderr, "tertulia-socketio-fixture: cannot listen on %s:%s\n", qPrintable(parser.value(hostOption)),
                     qPrintable(parser.value(portOption)));
        return 1;
    }
    std::printf("%s\n", qPrintable(http.url().toString()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
