#include "server/cluster/redisbus.h"

#include "server/cluster/redisconnection.h"
#include "server/store/store.h"

#include <QtCore/QPointer>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
const QByteArray kNoticeChannel = "tertulia";
const QByteArray kHeartbeatChannel = "tertulia_hb";
/// Notices kept while Redis cannot take them (facts; wake-ups merge into one): beyond this the oldest go,
/// and the other nodes' resync after the outage corrects what they said.
constexpr std::size_t kMaxOutbox = 100000;
} // namespace

RedisBus::RedisBus(const QString &nodeId, const RedisAddress &address, const Options &options, Store &store,
                   QObject *parent)
    : ClusterBus(nodeId, options, store, parent), m_address(address)
{
}

RedisBus::~RedisBus() { closeTransport(); }

QString RedisBus::transportName() const { return u"redis"_s; }

bool RedisBus::openTransport(QString *errorMessage)
{
    m_subscriptions = 0;
    m_subscriber = new RedisConnection(m_address, this);
    m_publisher = new RedisConnection(m_address, this);
    if (!m_subscriber->open(errorMessage) || !m_publisher->open(errorMessage))
        return false;
    connect(m_subscriber, &RedisConnection::subscribed, this, &RedisBus::subscribedTo);
    connect(m_subscriber, &RedisConnection::message, this, [this](const QByteArray &channel, const QByteArray &payload) {
        if (channel == kHeartbeatChannel)
            heardHeartbeat(payload);
        else if (channel == kNoticeChannel)
            heardNotice(payload);
    });
    for (RedisConnection *connection : {m_subscriber, m_publisher})
        connect(connection, &RedisConnection::disconnected, this, [this](const QString &reason) { transportLost(reason); });
    connect(m_publisher, &RedisConnection::connected, this, &RedisBus::scheduleFlush);
    if (!m_subscriber->subscribe({kNoticeChannel, kHeartbeatChannel})) {
        *errorMessage = u"cannot SUBSCRIBE on "_s + m_address.displayUrl();
        return false;
    }
    return true;
}

void RedisBus::closeTransport()
{
    for (RedisConnection **connection : {&m_subscriber, &m_publisher}) {
        if (!*connection)
            continue;
        disconnect(*connection, nullptr, this, nullptr);
        (*connection)->close();
        (*connection)->deleteLater(); // we may be inside one of its signals
        *connection = nullptr;
    }
    m_subscriptions = 0;
}

void RedisBus::subscribedTo(const QByteArray &channel)
{
    Q_UNUSED(channel);
    if (++m_subscriptions == 2) {
        transportReady();
        scheduleFlush();
    }
}

bool RedisBus::sendHeartbeat(const QByteArray &payload)
{
    return m_publisher && m_publisher->command({"PUBLISH", kHeartbeatChannel, payload});
}

void RedisBus::sendFact(const QByteArray &notice)
{
    const quint64 id = m_nextOutgoing;
    enqueue(Outgoing{id, notice, 0, 0, {}, false});
    // As with NOTIFY inside the store's transaction: a fact about memberships that are not committed yet
    // leaves when they are (at once when no transaction is open), and not at all when they roll back.
    store().whenCommitted([self = QPointer<RedisBus>(this), id](bool committed) {
        if (!self)
            return;
        for (auto it = self->m_outbox.begin(); it != self->m_outbox.end(); ++it) {
            if (it->id != id)
                continue;
            if (committed)
                it->ready = true;
            else
                self->m_outbox.erase(it);
            break;
        }
        self->scheduleFlush();
    });
}

void RedisBus::announceMessage(qint64 position, const Trace::TraceContext &trace)
{
    // Batches of one pass of the event loop share one wake-up, unless it carries as many traced messages'
    // contexts as a notice takes.
    const bool traced = trace.isValid();
    if (!m_outbox.empty() && m_outbox.back().notice.isEmpty()
        && !(traced && m_outbox.back().traced.size() >= MessagesNotice::kMaxTraced)) {
        Outgoing &wake = m_outbox.back();
        wake.first = std::min(wake.first, position);
        wake.last = std::max(wake.last, position);
        if (traced)
            wake.traced.append({position, trace});
        return;
    }
    Outgoing wake{m_nextOutgoing, {}, position, position, {}, true};
    if (traced)
        wake.traced.append({position, trace});
    enqueue(std::move(wake));
}

void RedisBus::enqueue(Outgoing outgoing)
{
    ++m_nextOutgoing;
    if (m_outbox.size() >= kMaxOutbox) {
        qCWarning(lcCluster) << "Redis has taken no notice for too long: dropping the oldest";
        m_outbox.pop_front();
    }
    m_outbox.push_back(std::move(outgoing));
    scheduleFlush();
}

void RedisBus::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &RedisBus::flush, Qt::QueuedConnection);
}

void RedisBus::flush()
{
    m_flushScheduled = false;
    if (!m_publisher || !m_publisher->isConnected())
        return; // kept until Redis is back (the publisher's connected() flushes)
    while (!m_outbox.empty() && m_outbox.front().ready) {
        const Outgoing &next = m_outbox.front();
        // A wake-up is one notice (it holds at most the contexts one notice takes).
        const QByteArray notice = next.notice.isEmpty()
                                      ? MessagesNotice::encode(nodeId(), next.first, next.last, next.traced).constFirst()
                                      : next.notice;
        if (!m_publisher->command({"PUBLISH", kNoticeChannel, notice}))
            return;
        m_outbox.pop_front();
    }
}

void RedisBus::drainNotices()
{
    if (m_subscriber)
        m_subscriber->readPending();
}

} // namespace Tertulia
