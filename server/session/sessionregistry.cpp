#include "server/session/sessionregistry.h"

#include "server/core/serverconfig.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/session/session.h"

#include <QtCore/QDateTime>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::CloseCode;

namespace {

// Deadlines shorter than a second (tests) need a faster pass.
int passIntervalMs(const ServerLimits &limits)
{
    const int smallest = std::min({limits.authTimeoutMs, limits.pingIntervalMs, limits.idleTimeoutMs, 1000});
    return std::max(50, smallest / 4);
}

// One turn of the wheel spans the longest usual deadline (the idle timeout), so a session waits in its slot
// for the right turn only when its token expires far ahead; a power of two, within [64, 4096] slots.
int wheelSlots(const ServerLimits &limits)
{
    const qint64 longest = std::max({limits.authTimeoutMs, limits.pingIntervalMs, limits.idleTimeoutMs});
    const qint64 ticks = longest / passIntervalMs(limits) + 2;
    int slots = 64;
    while (slots < ticks && slots < 4096)
        slots *= 2;
    return slots;
}

} // namespace

SessionRegistry::SessionRegistry(const ServerLimits &limits, Metrics &metrics, const MonotonicClock &clock,
                                 QObject *parent)
    : QObject(parent),
      m_limits(limits),
      m_metrics(metrics),
      m_clock(clock),
      m_deadlines(passIntervalMs(limits), wheelSlots(limits), clock.nowMs())
{
    m_sweepTimer.setInterval(passIntervalMs(limits));
    connect(&m_sweepTimer, &QTimer::timeout, this, &SessionRegistry::sweep);
    m_sweepTimer.start();
}

void SessionRegistry::add(Session *session)
{
    m_sessions.insert(session);
    session->watchedBy(this);
    reschedule(session);
}

void SessionRegistry::reschedule(Session *session)
{
    if (!m_sessions.contains(session) || session->state() == Session::State::Closing)
        return;
    m_deadlines.schedule(session, nextDeadline(*session, m_clock.nowMs(), QDateTime::currentMSecsSinceEpoch()));
}

void SessionRegistry::watchBacklog(Session *session)
{
    if (m_sessions.contains(session))
        m_backlogged.insert(session);
}

void SessionRegistry::indexAuthenticated(Session *session)
{
    QList<Session *> &sessions = m_byUser[session->userKey()];
    const bool first = sessions.isEmpty();
    if (!sessions.contains(session))
        sessions.append(session);
    QList<Session *> &ofLogin = m_byLogin[session->loginId()];
    if (!ofLogin.contains(session))
        ofLogin.append(session);
    reschedule(session); // its deadlines are now a Ready session's
    if (first)
        Q_EMIT userOnline(session->userKey());
}

void SessionRegistry::remove(Session *session)
{
    m_sessions.remove(session);
    m_deadlines.cancel(session);
    m_backlogged.remove(session);
    if (!session->isAuthenticated() && session->userKey().isEmpty())
        return;
    auto login = m_byLogin.find(session->loginId());
    if (login != m_byLogin.end()) {
        login->removeOne(session);
        if (login->isEmpty())
            m_byLogin.erase(login);
    }
    auto user = m_byUser.find(session->userKey());
    if (user != m_byUser.end() && user->removeOne(session) && user->isEmpty()) {
        m_byUser.erase(user);
        Q_EMIT userOffline(session->userKey(), session->user());
    }
}

QList<Session *> SessionRegistry::sessionsOf(const QString &userKey) const { return m_byUser.value(userKey); }

QList<Session *> SessionRegistry::sessionsOfLogin(const QString &loginId) const { return m_byLogin.value(loginId); }

void SessionRegistry::sweep()
{
    const qint64 now = m_clock.nowMs();
    const qint64 wallMs = QDateTime::currentMSecsSinceEpoch();
    qsizetype visits = 0;
    if (!m_backlogged.isEmpty()) {
        const QSet<Session *> backlogged = m_backlogged; // closing may re-enter remove()
        for (Session *session : backlogged) {
            ++visits;
            if (!m_sessions.contains(session))
                continue;
            if (session->state() == Session::State::Ready)
                session->checkBacklog();
            if (session->state() == Session::State::Closing || !session->isBacklogged())
                m_backlogged.remove(session);
        }
    }
    visits += m_deadlines.expire(now, [this, now, wallMs](Session *session) {
        if (m_sessions.contains(session)) // an earlier visit of this pass may have closed it
            visit(session, now, wallMs);
    });
    m_lastSweepVisits = visits;
    Q_EMIT swept();
}

void SessionRegistry::visit(Session *session, qint64 now, qint64 wallMs)
{
    switch (session->state()) {
    case Session::State::Closing:
        return;
    case Session::State::AwaitingAuth:
        if (now - session->connectedAtMs() >= m_limits.authTimeoutMs) {
            session->closeWith(CloseCode::AuthTimeout, u"no successful auth within the deadline"_s);
            return;
        }
        break;
    case Session::State::Ready:
        session->checkBacklog();
        if (session->state() == Session::State::Closing)
            return;
        if (wallMs / 1000 >= session->tokenExpiresAt()) {
            session->closeWith(CloseCode::TokenExpired, u"the access token expired; refresh it and reconnect"_s);
            return;
        }
        if (now - session->lastActivityMs() >= m_limits.idleTimeoutMs) {
            ++m_metrics.idleCloses;
            session->closeWith(CloseCode::IdleTimeout, u"no traffic and no pong for too long"_s);
            return;
        }
        if (now - session->lastPingMs() >= m_limits.pingIntervalMs)
            session->ping(now);
        break;
    }
    m_deadlines.schedule(session, nextDeadline(*session, now, wallMs));
}

qint64 SessionRegistry::nextDeadline(const Session &session, qint64 now, qint64 wallMs) const
{
    if (session.state() != Session::State::Ready)
        return session.connectedAtMs() + m_limits.authTimeoutMs;
    // Activity since the deadline was set only moves the idle deadline later: the session is looked at a
    // little early and its next deadline set then (at most once per ping interval, the pings' own pace).
    // The token's end is wall-clock time: how far ahead it is, on the monotonic clock.
    constexpr qint64 farAhead = std::numeric_limits<qint64>::max() / 4;
    const qint64 tokenEnd = session.tokenExpiresAt() >= farAhead / 1000
                                ? farAhead
                                : now + (session.tokenExpiresAt() * 1000 - wallMs);
    return std::min({session.lastPingMs() + m_limits.pingIntervalMs,
                     session.lastActivityMs() + m_limits.idleTimeoutMs, tokenEnd});
}

} // namespace Tertulia
