#pragma once

#include <QtCore/QDateTime>

#include <functional>

namespace Tertulia {

class MonotonicClock;
class RoomRegistry;
class SessionRegistry;
class Store;
class TokenService;
class PresenceTracker;
class ProfileDirectory;
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
    ProfileDirectory &profiles; ///< issue 12: display names
    /// The time of day, ms since the epoch: when bans and mutes end, and audit lines (the monotonic clock
    /// says nothing about the calendar).
    std::function<qint64()> wallClockMs = [] { return QDateTime::currentMSecsSinceEpoch(); };
};

} // namespace Tertulia
