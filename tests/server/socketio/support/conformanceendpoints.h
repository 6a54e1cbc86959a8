#pragma once

#include "server/socketio/engineiooptions.h"
#include "server/socketio/socketioserver.h"

#include <memory>

namespace Tertulia::Http {
class Router;
}
namespace Tertulia::EngineIo {
class Server;
}

namespace Tertulia::Testing {

/// The endpoints of the official test suites' reference fixture, built from our Socket.IO layer:
///   /engine.io/   Engine.IO only: every message (text or binary) is echoed back
///   /socket.io/   Socket.IO with "/" and "/custom": on connect it emits "auth" with the CONNECT payload;
///                 "message" is answered with "message-back" and the same arguments; "message-with-ack"
///                 is acknowledged with the same arguments (binary attachments included)
/// Used by tertulia-socketio-fixture and by the protocol tests.
class ConformanceEndpoints
{
public:
    /// The suites' settings: ping every 300 ms, 200 ms to answer, 1 MB payloads, 1 s to connect.
    static EngineIo::ServerOptions suiteOptions();

    ConformanceEndpoints(Http::Router &router, const EngineIo::ServerOptions &options = suiteOptions(),
                         const SocketIo::ServerOptions &socketIo = SocketIo::ServerOptions{1000, 10});
    ~ConformanceEndpoints();

    EngineIo::Server &echo() { return *m_echo; }
    EngineIo::Server &engine() { return *m_engine; }
    SocketIo::Server &io() { return *m_io; }

private:
    std::unique_ptr<EngineIo::Server> m_echo;
    std::unique_ptr<EngineIo::Server> m_engine;
    std::unique_ptr<SocketIo::Server> m_io;
};

} // namespace Tertulia::Testing
