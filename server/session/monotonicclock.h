#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QtGlobal>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace Tertulia {

/// Milliseconds on a monotonic clock, shared by the server's sessions, rate limits and deadlines (wall
/// clock jumps must not expire tokens of rate buckets or idle timers).
///
/// Tests move it forward with skip() instead of waiting. Code reading nowMs() when asked sees a skip at once;
/// code whose deadline is a QTimer (the presence grace) does not, so it listens with onSkip() and re-arms.
class MonotonicClock
{
    Q_DISABLE_COPY_MOVE(MonotonicClock)

    struct Listeners
    {
        quint64 nextId = 1;
        std::map<quint64, std::function<void()>> byId;
    };

public:
    /// Unregisters its listener when destroyed. It holds the list weakly, so either the clock or the listener
    /// may go first (the clock normally outlives its users: ChatServer and the test fixtures build it first).
    class Subscription
    {
    public:
        Subscription() = default;
        Subscription(Subscription &&other) noexcept = default;
        Subscription &operator=(Subscription &&other) noexcept
        {
            if (this != &other) {
                reset();
                m_listeners = std::move(other.m_listeners);
                m_id = std::exchange(other.m_id, 0);
            }
            return *this;
        }
        Subscription(const Subscription &) = delete;
        Subscription &operator=(const Subscription &) = delete;
        ~Subscription() { reset(); }

        void reset()
        {
            if (const auto listeners = m_listeners.lock())
                listeners->byId.erase(m_id);
            m_listeners.reset();
            m_id = 0;
        }

    private:
        friend class MonotonicClock;
        Subscription(std::weak_ptr<Listeners> listeners, quint64 id) : m_listeners(std::move(listeners)), m_id(id) {}
        std::weak_ptr<Listeners> m_listeners;
        quint64 m_id = 0;
    };

    MonotonicClock() { m_timer.start(); }
    qint64 nowMs() const { return m_timer.elapsed() + m_skippedMs; }

    /// Moves the clock forward: tests of long delays (login throttling, the presence grace) skip them instead
    /// of waiting. The skip listeners run before it returns, so what is now due has happened.
    void skip(qint64 ms)
    {
        m_skippedMs += std::max<qint64>(0, ms);
        // A listener may unregister itself or another one while they run: call only those still registered.
        std::vector<quint64> ids;
        ids.reserve(m_listeners->byId.size());
        for (const auto &[id, listener] : m_listeners->byId)
            ids.push_back(id);
        const std::shared_ptr<Listeners> keep = m_listeners;
        for (const quint64 id : ids) {
            const auto it = keep->byId.find(id);
            if (it == keep->byId.end())
                continue;
            const std::function<void()> listener = it->second;
            listener();
        }
    }

    /// `listener` runs after every skip(), on the caller's thread, while the returned handle lives. Const
    /// because listening does not move the clock: holders of a read-only clock may re-arm their timers too.
    [[nodiscard]] Subscription onSkip(std::function<void()> listener) const
    {
        const quint64 id = m_listeners->nextId++;
        m_listeners->byId.emplace(id, std::move(listener));
        return Subscription(m_listeners, id);
    }

private:
    QElapsedTimer m_timer;
    qint64 m_skippedMs = 0;
    /// Shared with the subscriptions (weakly), so a handle outliving the clock does no harm.
    std::shared_ptr<Listeners> m_listeners = std::make_shared<Listeners>();
};

} // namespace Tertulia
