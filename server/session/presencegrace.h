#pragma once

#include "server/session/monotonicclock.h"

#include <QtCore/QHash>
#include <QtCore/QString>
#include <QtCore/QTimer>

#include <chrono>
#include <deque>
#include <functional>

namespace Tertulia {

/// Holds back the presence change of a user whose last connection dropped without a closing handshake (a
/// reset, a timeout, a network change): such clients usually reconnect within a second or two, and telling
/// every member of every room of theirs "offline" and then "online" again is wasted on them. In a reconnect
/// storm (10 000 clients reset at once) those two announcements were 2 × 10 000 × (room size) events.
///
/// defer() schedules `refresh(userKey, user)` after the grace; the caller's refresh computes the user's
/// presence from the sessions open then, so a user back in time is still online and nothing is announced.
/// A user who closes cleanly (close frame) is refreshed at once by the caller, not through here. A later
/// defer() of the same user moves the deadline. One timer serves every user; a skip of the clock (tests)
/// fires at once what it made due and re-arms the timer for the rest.
///
/// Header-only and not a QObject (its timer is the context of its one connection), so that it needs no moc.
class PresenceGrace
{
    Q_DISABLE_COPY_MOVE(PresenceGrace)

public:
    using Refresh = std::function<void(const QString &userKey, const QString &user)>;

    PresenceGrace(const MonotonicClock &clock, Refresh refresh)
        : m_clock(clock), m_refresh(std::move(refresh)), m_skipped(clock.onSkip([this] { onTimeout(); }))
    {
        m_timer.setSingleShot(true);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] { onTimeout(); });
    }

    void setGrace(std::chrono::milliseconds grace) { m_grace = grace; }
    std::chrono::milliseconds grace() const { return m_grace; }

    /// Refreshes the user's presence after the grace (at once when the grace is 0).
    void defer(const QString &userKey, const QString &user)
    {
        if (m_grace.count() <= 0) {
            m_refresh(userKey, user);
            return;
        }
        const qint64 due = m_clock.nowMs() + m_grace.count();
        m_pending.insert(userKey, Pending{user, due});
        m_deadlines.push_back(Deadline{userKey, due});
        if (!m_timer.isActive())
            arm();
    }

    /// Users waiting for their refresh.
    qsizetype pendingCount() const { return m_pending.size(); }

private:
    struct Pending
    {
        QString user;
        qint64 dueMs = 0;
    };
    struct Deadline
    {
        QString userKey;
        qint64 dueMs = 0;
    };

    void arm()
    {
        if (!m_deadlines.empty())
            m_timer.start(std::chrono::milliseconds(std::max<qint64>(0, m_deadlines.front().dueMs - m_clock.nowMs())));
    }

    /// Refreshes every user now due, then arms the timer for the earliest one left (or stops it).
    void onTimeout()
    {
        const qint64 now = m_clock.nowMs();
        while (!m_deadlines.empty() && m_deadlines.front().dueMs <= now) {
            const Deadline deadline = std::move(m_deadlines.front());
            m_deadlines.pop_front();
            const auto it = m_pending.constFind(deadline.userKey);
            // A later defer() of the same user moved its deadline: this one is stale.
            if (it == m_pending.cend() || it->dueMs != deadline.dueMs)
                continue;
            const QString user = it->user;
            m_pending.erase(it);
            m_refresh(deadline.userKey, user);
        }
        if (m_deadlines.empty())
            m_timer.stop();
        else
            arm();
    }

    const MonotonicClock &m_clock;
    Refresh m_refresh;
    std::chrono::milliseconds m_grace{0};
    QHash<QString, Pending> m_pending;    ///< by user key: the latest deadline wins
    std::deque<Deadline> m_deadlines;     ///< in the order given, so due times only grow; stale ones skipped
    QTimer m_timer;
    MonotonicClock::Subscription m_skipped; ///< last member: unregistered first, before the rest is gone
};

} // namespace Tertulia
