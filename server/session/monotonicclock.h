#pragma once

#include <QtCore/QElapsedTimer>

#include <algorithm>

namespace Tertulia {

/// Milliseconds on a monotonic clock, shared by the server's sessions, rate limits and deadlines (wall
/// clock jumps must not expire tokens of rate buckets or idle timers).
class MonotonicClock
{
public:
    MonotonicClock() { m_timer.start(); }
    qint64 nowMs() const { return m_timer.elapsed() + m_skippedMs; }
    /// Moves the clock forward: tests of long delays (login throttling) skip them instead of waiting.
    void skip(qint64 ms) { m_skippedMs += std::max<qint64>(0, ms); }

private:
    QElapsedTimer m_timer;
    qint64 m_skippedMs = 0;
};

} // namespace Tertulia
