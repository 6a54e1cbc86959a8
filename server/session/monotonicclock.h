#pragma once

#include <QtCore/QElapsedTimer>

namespace Tertulia {

/// Milliseconds on a monotonic clock, shared by the server's sessions, rate limits and deadlines (wall
/// clock jumps must not expire tokens of rate buckets or idle timers).
class MonotonicClock
{
public:
    MonotonicClock() { m_timer.start(); }
    qint64 nowMs() const { return m_timer.elapsed(); }

private:
    QElapsedTimer m_timer;
};

} // namespace Tertulia
