#include "support/manualclock.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <algorithm>
#include <limits>

namespace Tertulia::Testing {

class ManualTimer final : public ClockTimer
{
public:
    ManualTimer(ManualClock *clock, QObject *context, std::function<void()> callback)
        : m_clock(clock), m_context(context), m_callback(std::move(callback))
    {
        m_clock->m_timers.append(this);
    }
    ~ManualTimer() override
    {
        if (m_clock)
            m_clock->m_timers.removeOne(this);
    }
    void start(std::chrono::milliseconds delay) override
    {
        if (!m_clock)
            return;
        m_active = true;
        m_deadline = m_clock->m_now + std::max<qint64>(0, delay.count());
        m_order = ++m_clock->m_startCounter;
    }
    void stop() override { m_active = false; }
    bool isActive() const override { return m_active && m_context; }

    ManualClock *m_clock;
    QPointer<QObject> m_context;
    std::function<void()> m_callback;
    bool m_active = false;
    qint64 m_deadline = 0;
    quint64 m_order = 0;
};

ManualClock::ManualClock(const QDateTime &wallStart) : m_wallStart(wallStart) { }

ManualClock::~ManualClock()
{
    for (ManualTimer *timer : std::as_const(m_timers))
        timer->m_clock = nullptr;
}

std::unique_ptr<ClockTimer> ManualClock::createTimer(QObject *context, std::function<void()> callback)
{
    return std::make_unique<ManualTimer>(this, context, std::move(callback));
}

ManualTimer *ManualClock::dueTimer(qint64 limit) const
{
    ManualTimer *best = nullptr;
    for (ManualTimer *timer : m_timers) {
        if (!timer->isActive() || timer->m_deadline > limit)
            continue;
        if (!best || timer->m_deadline < best->m_deadline
            || (timer->m_deadline == best->m_deadline && timer->m_order < best->m_order))
            best = timer;
    }
    return best;
}

void ManualClock::advance(std::chrono::milliseconds delta)
{
    const qint64 target = m_now + delta.count();
    // Bounded: a callback that keeps re-arming a zero-delay timer is a bug worth a loud failure.
    for (int fired = 0; fired < 100000; ++fired) {
        ManualTimer *timer = dueTimer(target);
        if (!timer) {
            m_now = target;
            return;
        }
        m_now = timer->m_deadline;
        timer->m_active = false;
        // A copy: the callback may destroy the timer that holds it.
        const std::function<void()> callback = timer->m_callback;
        callback();
    }
    qFatal("ManualClock::advance: timers keep firing without time passing");
}

std::optional<qint64> ManualClock::nextTimeout() const
{
    ManualTimer *timer = dueTimer(std::numeric_limits<qint64>::max());
    if (!timer)
        return std::nullopt;
    return timer->m_deadline - m_now;
}

bool ManualClock::fireNext()
{
    const auto timeout = nextTimeout();
    if (!timeout)
        return false;
    advance(std::chrono::milliseconds(*timeout));
    return true;
}

int ManualClock::activeTimerCount() const
{
    return int(std::count_if(m_timers.begin(), m_timers.end(), [](ManualTimer *t) { return t->isActive(); }));
}

} // namespace Tertulia::Testing
