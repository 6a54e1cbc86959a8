#pragma once

namespace Tertulia {

class MonotonicClock;
class RoomRegistry;
class SessionRegistry;
class Store;
class TokenService;
class PresenceTracker;
namespace Trace {
class Tracer;
}
struct Metrics;
struct ServerConfig;

/// What request handlers may use, injected by the server (no singletons).
struct ServerContext
{
    const ServerConfig &config;
    Store &store;
    TokenService &tokens;
    RoomRegistry &rooms;
    SessionRegistry &sessions;
    PresenceTracker &presence;
    Metrics &metrics;
    const MonotonicClock &clock;
    Trace::Tracer &tracer;
};

} // namespace Tertulia
