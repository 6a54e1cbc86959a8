#include "server/session/sessionregistry.h"

#include "server/core/serverconfig.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/session/session.h"

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::CloseCode;

SessionRegistry::SessionRegistry(const ServerLimits &limits, Metrics &metrics, const MonotonicClock &clock,
                                 QObject *parent)
    : QObject(parent), m_limits(limits), m_metrics(metrics), m_clock(clock)
{
    // Deadlines shorter than a second (tests) need a faster sweep.
    const int smallest = std::min({limits.authTimeoutMs, limits.pingIntervalMs, limits.idleTimeoutMs, 1000});
    m_sweepTimer.setInterval(std::max(50, smallest / 4));
    connect(&m_sweepTimer, &QTimer::timeout, this, &SessionRegistry::sweep);
    m_sweepTimer.start();
}

void SessionRegistry::add(Session *session) { m_sessions.insert(session); }

void SessionRegistry::indexAuthenticated(Session *session)
{
    QSet<Session *> &sessions = m_byUser[session->userKey()];
    const bool first = sessions.isEmpty();
    sessions.insert(session);
    m_byLogin[session->loginId()].insert(session);
    if (first)
        Q_EMIT userOnline(session->userKey());
}

void SessionRegistry::remove(Session *session)
{
    m_sessions.remove(session);
    if (!session->isAuthenticated() && session->userKey().isEmpty())
        return;
    auto login = m_byLogin.find(session->loginId());
    if (login != m_byLogin.end()) {
        login->remove(session);
        if (login->isEmpty())
            m_byLogin.erase(login);
    }
    auto user = m_byUser.find(session->userKey());
    if (user != m_byUser.end() && user->remove(session) && user->isEmpty()) {
        m_byUser.erase(user);
        Q_EMIT userOffline(session->userKey(), session->user());
    }
}

QList<Session *> SessionRegistry::sessionsOf(const QString &userKey) const
{
    const QSet<Session *> sessions = m_byUser.value(userKey);
    return QList<Session *>(sessions.cbegin(), sessions.cend());
}

QList<Session *> SessionRegistry::sessionsOfLogin(const QString &loginId) const
{
    const QSet<Session *> sessions = m_byLogin.value(loginId);
    return QList<Session *>(sessions.cbegin(), sessions.cend());
}

void SessionRegistry::sweep()
{
    const qint64 now = m_clock.nowMs();
    const qint64 wallSeconds = QDateTime::currentSecsSinceEpoch();
    const QSet<Session *> sessions = m_sessions; // closing may re-enter remove()
    for (Session *session : sessions) {
        switch (session->state()) {
        case Session::State::Closing:
            break;
        case Session::State::AwaitingAuth:
            if (now - session->connectedAtMs() >= m_limits.authTimeoutMs)
                session->closeWith(CloseCode::AuthTimeout, u"no successful auth within the deadline"_s);
            break;
        case Session::State::Ready:
            session->checkBacklog();
            if (session->state() == Session::State::Closing)
                break;
            if (wallSeconds >= session->tokenExpiresAt()) {
                session->closeWith(CloseCode::TokenExpired,
                                   u"the access token expired; refresh it and reconnect"_s);
            } else if (now - session->lastActivityMs() >= m_limits.idleTimeoutMs) {
                ++m_metrics.idleCloses;
                session->closeWith(CloseCode::IdleTimeout, u"no traffic and no pong for too long"_s);
            } else if (now - session->lastPingMs() >= m_limits.pingIntervalMs) {
                session->ping(now);
            }
            break;
        }
    }
    Q_EMIT swept();
}

} // namespace Tertulia
