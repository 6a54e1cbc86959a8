#pragma once

#include "server/session/monotonicclock.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>
#include <QtCore/QTimer>

namespace Tertulia {

class Session;
struct ServerLimits;
struct Metrics;

/// The open sessions, indexed by user and by login, and their deadlines: one housekeeping pass per second
/// checks the first-auth deadline, access-token expiry, ping schedule and idleness of every session
/// (cheaper than a timer per session at tens of thousands of connections).
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

    /// Runs the housekeeping pass now (the timer calls it every second).
    void sweep();

Q_SIGNALS:
    void userOnline(const QString &userKey);
    void userOffline(const QString &userKey, const QString &userName);
    /// A housekeeping pass ran (the service watchdog's sign of life: ServiceNotifier).
    void swept();

private:
    const ServerLimits &m_limits;
    Metrics &m_metrics;
    const MonotonicClock &m_clock;
    QSet<Session *> m_sessions;
    QHash<QString, QSet<Session *>> m_byUser;
    QHash<QString, QSet<Session *>> m_byLogin;
    QTimer m_sweepTimer;
};

} // namespace Tertulia
