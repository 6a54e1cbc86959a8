#pragma once

#include <QtCore/QList>
#include <QtCore/qnamespace.h>

#include <chrono>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

class QObject;

namespace Tertulia {

/// The timers of one event dispatcher (one thread), kept so that every operation is O(log n):
/// - `m_timers`: id -> timer, the only owner of timer state (hash map, O(1));
/// - `m_queue`: the firing order, a balanced tree keyed by (deadline, sequence); the first key is the next
///   timer to fire, so starting, killing and rescheduling a timer is one O(log n) insert or erase;
/// - `m_byObject`: (object, id) pairs, so `timersForObject()` and `unregisterTimers()` (called by every
///   QObject destructor that ever started a timer) cost O(log n + k) for an object with k timers.
///
/// Timer semantics (Qt's contract, made stricter where that costs nothing):
/// - Precise timers keep a drift-free schedule: the next ideal time is the previous ideal time plus the
///   interval; if that is already past (the thread was busy) the schedule restarts at now + interval, so a
///   late timer fires once, not once for every missed period.
/// - Coarse timers may fire late, never early, by up to 5 % of the interval: the ideal time is rounded up to a
///   granule (1 ms ... 500 ms, the largest not above interval / 20) so that timers started close together
///   wake the thread once. Below 20 ms a coarse timer is precise, from 20 s on it is very coarse (as in Qt).
/// - Very coarse timers run on whole seconds: the interval is rounded to the nearest second (at least one)
///   and deadlines are rounded up to a whole second of the steady clock.
/// - A zero interval fires once per event loop pass, after the other events of that pass.
/// - Timers due at the same instant fire in the order they were (re)scheduled; a timer rescheduled or started
///   during a pass never fires again in that same pass (zero timers cannot starve the loop).
/// - While a timer's event is being delivered it is not fired again by a nested event loop, and a nested
///   loop does not wait for it (it would otherwise spin on an overdue timer it may not fire).
///
/// Not thread-safe: the dispatcher calls it from its own thread only.
class TimerQueue
{
public:
    using Clock = std::chrono::steady_clock;
    using Duration = std::chrono::nanoseconds;

    /// What was registered, as the caller asked for it (what QObject::moveToThread re-registers).
    struct TimerInfo
    {
        int id;
        Duration interval;
        Qt::TimerType type;
    };

    TimerQueue();
    ~TimerQueue();
    Q_DISABLE_COPY_MOVE(TimerQueue)

    /// Starts timer `id` for `object`, first due at `now + interval`. An id that is already registered is
    /// replaced (the dispatcher's caller allocates ids, so this only happens on misuse).
    void registerTimer(int id, Duration interval, Qt::TimerType type, QObject *object, Clock::time_point now);
    bool unregisterTimer(int id);
    bool unregisterTimers(QObject *object);
    QList<TimerInfo> timersForObject(QObject *object) const;

    /// nullopt for an unknown id, zero for an overdue timer.
    std::optional<Duration> remainingTime(int id, Clock::time_point now) const;
    /// How long the thread may sleep before the next timer that may fire is due: nullopt when there is none,
    /// zero when one is overdue.
    std::optional<Duration> timeToNextTimer(Clock::time_point now) const;

    /// Delivers a QTimerEvent for every timer due at `now` (in deadline order) and returns how many were sent.
    /// Re-entrant: a handler may start, kill or restart any timer and may run a nested event loop.
    int activateDueTimers(Clock::time_point now);

    qsizetype count() const { return qsizetype(m_timers.size()); }

private:
    struct Timer
    {
        QObject *object = nullptr;
        Duration requestedInterval{};
        Qt::TimerType requestedType = Qt::CoarseTimer;
        Duration interval{};            // after very-coarse rounding
        Qt::TimerType type = Qt::CoarseTimer; // after the coarse -> precise / very coarse promotion
        Duration granule{};             // deadlines are rounded up to a multiple of this (0: precise)
        Clock::time_point ideal{};      // the drift-free schedule
        Clock::time_point deadline{};   // ideal, rounded up to the granule: when it fires
        quint64 sequence = 0;           // part of its key in m_queue
        quint64 registration = 0;       // unique per registerTimer() call, survives rescheduling
        bool delivering = false;        // its QTimerEvent is being delivered right now
    };

    struct Key
    {
        Clock::time_point deadline;
        quint64 sequence;
        int id;
        friend bool operator<(const Key &a, const Key &b)
        {
            return a.deadline != b.deadline ? a.deadline < b.deadline : a.sequence < b.sequence;
        }
    };

    // Pointers are ordered as integers: std::less on unrelated pointers is only guaranteed through
    // std::less<T*>, and the integer form keeps the pair comparable with the default operator<.
    using ObjectKey = std::pair<quintptr, int>;

    void schedule(int id, Timer &timer, Clock::time_point ideal, Clock::time_point now);
    void erase(std::unordered_map<int, Timer>::iterator it);

    std::unordered_map<int, Timer> m_timers;
    std::set<Key> m_queue;
    std::set<ObjectKey> m_byObject;
    quint64 m_nextSequence = 1;
};

} // namespace Tertulia
