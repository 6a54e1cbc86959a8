#include "server/session/ratelimiter.h"

#include "server/core/serverconfig.h"
#include "server/metrics/metrics.h"
#include "server/session/monotonicclock.h"
#include "server/session/session.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

RateLimiter::RateLimiter(const ServerLimits &limits, Metrics &metrics, const MonotonicClock &clock)
    : m_limits(limits), m_metrics(metrics), m_clock(clock), m_users(limits.userRateBurst, limits.userRatePerSecond)
{
}

bool RateLimiter::admit(Session &session, const Request &request)
{
    const qint64 now = m_clock.nowMs();
    const bool connectionOk = session.rateBucket().take(now);
    const bool userOk = connectionOk && (!session.isAuthenticated() || m_users.take(session.userKey(), now));
    if (connectionOk && userOk)
        return true;
    (connectionOk ? m_metrics.rateLimitedUser : m_metrics.rateLimitedConnection)++;
    const qint64 wait = connectionOk ? m_users.msUntilNext(session.userKey(), now) : session.rateBucket().msUntilNext(now);
    session.reply(Reply::failure(request.id, ErrorCode::RateLimited, QStringLiteral("slow down: retry in %1 ms").arg(wait)));
    if (session.addRateViolation() > m_limits.maxRateViolations) {
        ++m_metrics.rateLimitCloses;
        session.closeWith(CloseCode::RateLimited, u"too many requests"_s);
    }
    return false;
}

} // namespace Tertulia
