#pragma once

#include "server/session/deadlinewheel.h"
#include "server/session/monotonicclock.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QTimer>

namespace Tertulia {

class Session;
struct ServerLimits;
struct Metrics;

/// The open sessions, indexed by user and by login, and their deadlines. Each session has one deadline on a
/// timing wheel: the earliest of its first-auth deadline, access-token expiry, next ping and idle timeout.
/// A housekeeping pass (every 250 ms, faster when deadlines are shorter) looks only at the sessions whose
/// deadline came, checks them all and sets their next one; sessions whose unsent bytes are over the bound
/// are checked every pass until they drain or close. At tens of thousands of idle connections that is the
/// few pinged each pass, not every session (nor a timer per session).
class SessionRegistry : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionRegistry)

public:
    SessionRegistry(const ServerLimits &limits, Metrics &metrics, const MonotonicClock &clock,
                    QObject *parent = nullptr);

    void add(Session *session);
    /// Indexes an authenticated session under its user and login. Emits userOnline for the first one.
    void indexAuthenticated(Session *session);
    /// Drops a session (on close). Emits userOffline for the user's last one.
    void remove(Session *session);

    QList<Session *> all() const { return QList<Session *>(m_sessions.cbegin(), m_sessions.cend()); }
    QList<Session *> sessionsOf(const QString &userKey) const;
    QList<Session *> sessionsOfLogin(const QString &loginId) const;
    int sessionCount() const { return int(m_sessions.size()); }
    int userCount() const { return int(m_byUser.size()); }
    bool isOnline(const QString &userKey) const { return m_byUser.contains(userKey); }

    /// Sets the session's next deadline again, after something moved one earlier (a refreshed token).
    void reschedule(Session *session);
    /// The session's unsent bytes went over the bound: check it every pass (Session::checkBacklog) until they
    /// drain or it closes.
    void watchBacklog(Session *session);

    /// Runs the housekeeping pass now (the timer calls it every 250 ms or faster).
    void sweep();
    /// Sessions the last pass looked at (due, outdated or waiting in the same slots, and backlogged ones).
    qsizetype lastSweepVisits() const { return m_lastSweepVisits; }

Q_SIGNALS:
    void userOnline(const QString &userKey);
    void userOffline(const QString &userKey, const QString &userName);
    /// A housekeeping pass ran (the service watchdog's sign of life: ServiceNotifier).
    void swept();

private:
    /// Checks a session whose deadline came, and sets its next one (none once it closes).
    void visit(Session *session, qint64 nowMs, qint64 wallMs);
    /// The earliest of the session's deadlines, by its state.
    qint64 nextDeadline(const Session &session, qint64 nowMs, qint64 wallMs) const;

    const ServerLimits &m_limits;
    Metrics &m_metrics;
    const MonotonicClock &m_clock;
    QSet<Session *> m_sessions;
    // A user or a login has a session or two: a list, not a QSet (whose first insert allocates 48 slots).
    QHash<QString, QList<Session *>> m_byUser;
    QHash<QString, QList<Session *>> m_byLogin;
    QTimer m_sweepTimer;
    DeadlineWheel<Session *> m_deadlines;
    QSet<Session *> m_backlogged;
    qsizetype m_lastSweepVisits = 0;
};

} // namespace Tertulia
