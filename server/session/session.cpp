#include "server/session/session.h"

#include "server/core/serverconfig.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/session/monotonicclock.h"
#include "server/session/sessionregistry.h"
#include "server/session/sessiontransport.h"
#include "shared/names.h"

#include <utility>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

Session::Session(quint64 id, SessionTransport *transport, const ServerLimits &limits, Metrics &metrics,
                 const MonotonicClock &clock, QObject *parent)
    : QObject(parent),
      m_id(id),
      m_transport(transport),
      m_limits(limits),
      m_clock(clock),
      m_metrics(metrics),
      m_peer(transport->peerAddress()),
      m_connectedAtMs(clock.nowMs()),
      m_lastActivityMs(m_connectedAtMs),
      m_lastPingMs(m_connectedAtMs),
      m_rate(limits.rateBurst, limits.ratePerSecond, m_connectedAtMs)
{
    m_transport->setParent(this);
    m_transport->setReceiver(this);
    ++m_metrics.sessionsOpened;
}

Session::~Session()
{
    m_transport->setReceiver(nullptr); // the transport, our child, outlives this body
}

void Session::onRequest(const Request &request)
{
    if (m_state == State::Closing)
        return;
    if (m_requestHolds == 0) {
        route(request);
    } else if (m_heldRequests.size() < kMaxHeldRequests) {
        m_heldRequests.append(request);
    } else {
        ++m_metrics.rateLimitedConnection; // a flood of requests on one connection, as the bucket counts it
        reply(Reply::failure(request.id, ErrorCode::RateLimited,
                             u"too many requests wait for an earlier one; slow down"_s));
    }
}

void Session::route(const Request &request)
{
    if (m_observer)
        m_observer->requestReceived(*this, request);
}

void Session::onActivity() { m_lastActivityMs = m_clock.nowMs(); }

void Session::onPong(quint64 elapsedMs)
{
    m_lastRttMs = qint64(elapsedMs);
    m_metrics.pingRtt.observe(double(elapsedMs) / 1000.0);
}

QString Session::logTag() const
{
    return QStringLiteral("conn=%1 user=%2").arg(m_id).arg(m_user.isEmpty() ? u"-"_s : m_user);
}

QString Session::bearerToken() const { return m_transport->bearerToken(); }

bool Session::droppedWithoutClose() const { return m_transport->droppedWithoutClose(); }

void Session::authenticate(const QString &user, const QString &loginId, qint64 expiresAt)
{
    m_user = user;
    m_userKey = Names::canonical(user);
    m_loginId = loginId;
    m_tokenExpiresAt = expiresAt;
    if (m_state == State::AwaitingAuth)
        m_state = State::Ready;
}

void Session::reply(const Reply &reply)
{
    if (m_state == State::Closing && reply.isOk())
        return;
    m_transport->sendReply(reply);
    afterSend();
}

void Session::replyOk(const QString &id, const RoomResult &result)
{
    if (m_state == State::Closing)
        return;
    m_transport->sendOk(id, result);
    afterSend();
}

void Session::sendEvent(const OutboundEvent &event)
{
    if (m_state == State::Closing)
        return;
    m_transport->sendEvent(event);
    afterSend();
}

void Session::deliver(const SharedEvent &event, const QString &excludeUserKey)
{
    if (!excludeUserKey.isEmpty() && excludeUserKey == m_userKey)
        return;
    if (m_deliveryHolds > 0) {
        if (m_state == State::Closing)
            return;
        m_heldDeliveries.append(event);
        // The native frame's size stands for every wire format's: it is encoded once per event and shared
        // by every recipient, so measuring it costs nothing more when the hold ends.
        m_heldBytes += event->nativeFrame().size();
        afterSend();
        return;
    }
    sendEvent(*event);
}

void Session::releaseDeliveries()
{
    Q_ASSERT(m_deliveryHolds > 0);
    if (m_deliveryHolds == 0 || --m_deliveryHolds > 0)
        return;
    m_heldBytes = 0;
    for (const SharedEvent &event : std::exchange(m_heldDeliveries, {}))
        sendEvent(*event);
}

void Session::releaseRequests()
{
    Q_ASSERT(m_requestHolds > 0);
    if (m_requestHolds == 0 || --m_requestHolds > 0)
        return;
    // One at a time: a request handed on may hold the session again, and those after it wait once more.
    while (m_requestHolds == 0 && !m_heldRequests.isEmpty() && m_state != State::Closing)
        route(m_heldRequests.takeFirst());
}

void Session::afterSend()
{
    if (unsentBytes() > m_limits.maxBufferedBytes)
        checkBacklog();
}

qint64 Session::unsentBytes() const { return m_transport->bytesQueued() + m_heldBytes; }

void Session::checkBacklog()
{
    // A client that does not read must not make the server buffer without bound, nor slow anyone else down;
    // but a healthy client may lag for a moment behind a burst. Over the bound, first hand the kernel what
    // it takes; still over it for the grace period (or far over it at once): close. The client reconnects
    // and resumes from its last seq.
    if (m_state == State::Closing)
        return;
    qint64 queued = unsentBytes();
    if (queued > m_limits.maxBufferedBytes) {
        m_transport->flush();
        queued = unsentBytes();
    }
    if (queued <= m_limits.maxBufferedBytes) {
        m_backlogSinceMs = -1;
        return;
    }
    const qint64 now = m_clock.nowMs();
    if (m_backlogSinceMs < 0) {
        m_backlogSinceMs = now;
        if (m_registry)
            m_registry->watchBacklog(this); // no more sends may come: the sweep must see the grace end
    }
    if (queued <= 4 * m_limits.maxBufferedBytes && now - m_backlogSinceMs < m_limits.slowConsumerGraceMs)
        return;
    ++m_metrics.slowConsumerCloses;
    qCWarning(lcSession).noquote() << logTag() << "slow consumer:" << queued << "bytes unsent for"
                                   << (now - m_backlogSinceMs) << "ms; closing";
    m_state = State::Closing;
    m_heldDeliveries.clear(); // nothing more goes out: the client resumes from its last seq when it is back
    m_heldBytes = 0;
    m_transport->abort();
}

void Session::closeWith(CloseCode code, const QString &reason)
{
    if (m_state == State::Closing)
        return;
    if (code == CloseCode::GoingAway) // every session at shutdown: one line each would flood the log
        qCDebug(lcSession).noquote() << logTag() << "closing:" << int(code) << reason;
    else
        qCInfo(lcSession).noquote() << logTag() << "closing:" << int(code) << reason;
    m_state = State::Closing;
    m_transport->close(code, reason);
}

void Session::ping(qint64 nowMs)
{
    m_lastPingMs = nowMs;
    m_transport->ping();
}

void Session::onMalformed(const Error &error, const QString &id)
{
    if (m_state == State::Closing)
        return;
    qCDebug(lcSession).noquote() << logTag() << "malformed frame:" << describe(error);
    ++m_metrics.malformedFrames;
    reply(Reply::failure(id, error));
    if (++m_malformed > m_limits.maxMalformedFrames)
        closeWith(CloseCode::ProtocolViolation, u"too many malformed frames"_s);
}

void Session::onClosed()
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_state = State::Closing;
    ++m_metrics.sessionsClosed;
    qCDebug(lcSession).noquote() << logTag() << "disconnected";
    if (m_observer)
        m_observer->sessionClosed(*this);
    deleteLater();
}

} // namespace Tertulia
