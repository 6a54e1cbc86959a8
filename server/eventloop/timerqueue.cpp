#include "server/eventloop/timerqueue.h"

#include "server/eventloop/eventlooplogging.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QObject>
#include <QtCore/QTimerEvent>

#include <algorithm>
#include <array>
#include <climits>

namespace Tertulia {

using namespace std::chrono_literals;

namespace {

// Below this a 5 % window is under a millisecond: coarse timers are simply precise (Qt does the same).
constexpr auto coarseMinimum = 20ms;
// From here on 5 % is a second or more: coarse timers may as well run on whole seconds (as in Qt).
constexpr auto coarseMaximum = 20s;

// Longer intervals are clamped, so that deadlines (nanoseconds on the steady clock) cannot overflow; a
// timer of a century is as good as one that never fires.
constexpr TimerQueue::Duration maximumInterval = std::chrono::hours(24 * 365 * 100);

// The granules a coarse deadline is rounded up to; few and round, so that timers of similar intervals
// started at different moments still meet on the same boundaries.
constexpr std::array<std::chrono::milliseconds, 10> coarseGranules{1ms, 2ms, 5ms, 10ms, 20ms,
                                                                    50ms, 100ms, 200ms, 500ms, 1000ms};

TimerQueue::Duration coarseGranule(TimerQueue::Duration interval)
{
    const auto slack = interval / 20;
    TimerQueue::Duration granule = coarseGranules.front();
    for (const auto candidate : coarseGranules) {
        if (candidate <= slack)
            granule = candidate;
    }
    return granule;
}

TimerQueue::Clock::time_point roundUp(TimerQueue::Clock::time_point t, TimerQueue::Duration granule)
{
    if (granule <= TimerQueue::Duration::zero())
        return t;
    const auto sinceEpoch = t.time_since_epoch();
    const auto remainder = sinceEpoch % granule;
    if (remainder == TimerQueue::Duration::zero())
        return t;
    return t + (granule - remainder);
}

} // namespace

TimerQueue::TimerQueue() = default;
TimerQueue::~TimerQueue() = default;

void TimerQueue::registerTimer(int id, Duration interval, Qt::TimerType type, QObject *object,
                               Clock::time_point now)
{
    if (auto existing = m_timers.find(id); existing != m_timers.end()) {
        qCWarning(lcEventLoop) << "timer id" << id << "registered twice; replacing the first";
        erase(existing);
    }

    Timer timer;
    timer.object = object;
    timer.requestedInterval = interval;
    interval = std::min(interval, maximumInterval);
    timer.requestedType = type;
    timer.interval = interval;
    timer.type = interval == Duration::zero() ? Qt::PreciseTimer : type;
    if (timer.type == Qt::CoarseTimer) {
        if (interval < coarseMinimum)
            timer.type = Qt::PreciseTimer;
        else if (interval >= coarseMaximum)
            timer.type = Qt::VeryCoarseTimer;
    }
    switch (timer.type) {
    case Qt::PreciseTimer:
        break;
    case Qt::CoarseTimer:
        timer.granule = coarseGranule(interval);
        break;
    case Qt::VeryCoarseTimer:
        timer.interval = std::max<Duration>(1s, std::chrono::round<std::chrono::seconds>(interval));
        timer.granule = 1s;
        break;
    }
    timer.registration = m_nextSequence++;

    auto [it, inserted] = m_timers.emplace(id, timer);
    Q_ASSERT(inserted);
    m_byObject.emplace(quintptr(object), id);
    schedule(id, it->second, now + it->second.interval, now);
}

void TimerQueue::schedule(int id, Timer &timer, Clock::time_point ideal, Clock::time_point now)
{
    // A schedule that fell behind restarts from now instead of firing a burst of catch-up events.
    timer.ideal = ideal < now ? now + timer.interval : ideal;
    timer.deadline = roundUp(timer.ideal, timer.granule);
    timer.sequence = m_nextSequence++;
    m_queue.insert(Key{timer.deadline, timer.sequence, id});
}

void TimerQueue::erase(std::unordered_map<int, Timer>::iterator it)
{
    const Timer &timer = it->second;
    m_queue.erase(Key{timer.deadline, timer.sequence, it->first});
    m_byObject.erase(ObjectKey{quintptr(timer.object), it->first});
    m_timers.erase(it);
}

bool TimerQueue::unregisterTimer(int id)
{
    const auto it = m_timers.find(id);
    if (it == m_timers.end())
        return false;
    erase(it);
    return true;
}

bool TimerQueue::unregisterTimers(QObject *object)
{
    const quintptr key = quintptr(object);
    auto first = m_byObject.lower_bound(ObjectKey{key, INT_MIN});
    if (first == m_byObject.end() || first->first != key)
        return false;
    while (first != m_byObject.end() && first->first == key) {
        const int id = first->second;
        ++first; // erase() below removes the current element
        erase(m_timers.find(id));
    }
    return true;
}

QList<TimerQueue::TimerInfo> TimerQueue::timersForObject(QObject *object) const
{
    QList<TimerInfo> result;
    const quintptr key = quintptr(object);
    for (auto it = m_byObject.lower_bound(ObjectKey{key, INT_MIN}); it != m_byObject.end() && it->first == key;
         ++it) {
        const Timer &timer = m_timers.at(it->second);
        result.append(TimerInfo{it->second, timer.requestedInterval, timer.requestedType});
    }
    return result;
}

std::optional<TimerQueue::Duration> TimerQueue::remainingTime(int id, Clock::time_point now) const
{
    const auto it = m_timers.find(id);
    if (it == m_timers.end())
        return std::nullopt;
    return std::max(Duration::zero(), Duration(it->second.deadline - now));
}

std::optional<TimerQueue::Duration> TimerQueue::timeToNextTimer(Clock::time_point now) const
{
    // Timers being delivered sit at the front only while a nested loop runs inside their handler; there are
    // as many of them as nested levels, so skipping them keeps this O(depth).
    for (const Key &key : m_queue) {
        if (m_timers.at(key.id).delivering)
            continue;
        return std::max(Duration::zero(), Duration(key.deadline - now));
    }
    return std::nullopt;
}

int TimerQueue::activateDueTimers(Clock::time_point now)
{
    // Every (re)scheduling takes a new sequence number, so keys from before this pass are exactly those
    // below passStart. Rescheduled and new timers are due at `now` at the earliest and sort after every
    // older key with the same deadline, so the first such key ends the pass.
    const quint64 passStart = m_nextSequence;
    int fired = 0;
    auto it = m_queue.begin();
    while (it != m_queue.end() && it->deadline <= now && it->sequence < passStart) {
        const int id = it->id;
        const auto found = m_timers.find(id);
        Q_ASSERT(found != m_timers.end());
        Timer &timer = found->second;
        if (timer.delivering) { // its handler runs a nested loop: Qt never re-enters a timer handler
            ++it;
            continue;
        }
        // Reschedule before delivering, as the handler may kill or restart the timer, or nest a loop.
        m_queue.erase(it);
        schedule(id, timer, timer.ideal + timer.interval, now);
        timer.delivering = true;
        const quint64 registration = timer.registration;
        QObject *const object = timer.object;

        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        ++fired;

        // The handler may have killed the timer, deleted the object, or even reused the id for a new timer.
        if (const auto after = m_timers.find(id); after != m_timers.end() && after->second.registration == registration)
            after->second.delivering = false;
        // Any key may have changed meanwhile; starting over is cheap (only nested deliveries are skipped).
        it = m_queue.begin();
    }
    return fired;
}

} // namespace Tertulia
