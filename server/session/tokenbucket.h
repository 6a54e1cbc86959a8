#pragma once

#include <QtCore/QtGlobal>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Tertulia {

/// A token bucket: up to `burst` requests at once, then `perSecond` on average. Time comes from the caller
/// (a monotonic clock in milliseconds), so tests can drive it.
class TokenBucket
{
public:
    TokenBucket() = default;
    TokenBucket(double burst, double perSecond, qint64 nowMs)
        : m_burst(burst), m_perSecond(perSecond), m_tokens(burst), m_lastMs(nowMs)
    {
    }

    /// Takes one token if there is one.
    bool take(qint64 nowMs)
    {
        refill(nowMs);
        if (m_tokens < 1.0)
            return false;
        m_tokens -= 1.0;
        return true;
    }

    /// Milliseconds until a token will be available.
    qint64 msUntilNext(qint64 nowMs)
    {
        refill(nowMs);
        if (m_tokens >= 1.0 || m_perSecond <= 0)
            return 0;
        // Rounded up (never 0 while empty), but not padded: Retry-After is this in whole seconds, rounded up.
        return qint64(std::ceil((1.0 - m_tokens) * 1000.0 / m_perSecond));
    }

    /// When the bucket will be full again (then it is the same as a new one); the far future if it never
    /// refills.
    qint64 fullAtMs() const
    {
        if (m_tokens >= m_burst)
            return m_lastMs;
        if (m_perSecond <= 0)
            return std::numeric_limits<qint64>::max();
        return m_lastMs + qint64(std::ceil((m_burst - m_tokens) * 1000.0 / m_perSecond));
    }

private:
    void refill(qint64 nowMs)
    {
        if (nowMs > m_lastMs) {
            m_tokens = std::min(m_burst, m_tokens + double(nowMs - m_lastMs) * m_perSecond / 1000.0);
            m_lastMs = nowMs;
        }
    }

    double m_burst = 1;
    double m_perSecond = 1;
    double m_tokens = 1;
    qint64 m_lastMs = 0;
};

} // namespace Tertulia
