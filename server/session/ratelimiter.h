#pragma once

#include "server/session/tokenbuckettable.h"
#include "shared/protocol/frames.h"

namespace Tertulia {

class MonotonicClock;
class Session;
struct Metrics;
struct ServerLimits;

/// The request rate limits, one step between a session and the handlers: each connection's own bucket
/// (held by its Session) and one bucket per user shared by all of the user's sessions. The user buckets
/// live here, not with the sessions: a bucket outlives the user's last connection until it has refilled,
/// so reconnecting restores no burst (TokenBucketTable).
class RateLimiter
{
public:
    RateLimiter(const ServerLimits &limits, Metrics &metrics, const MonotonicClock &clock);

    /// Takes a token for one request of `session`. False when refused, after answering `rate_limited` with
    /// when to retry; past max_rate_violations the session is also closed (4008).
    bool admit(Session &session, const Protocol::Request &request);

private:
    const ServerLimits &m_limits;
    Metrics &m_metrics;
    const MonotonicClock &m_clock;
    TokenBucketTable m_users;
};

} // namespace Tertulia
