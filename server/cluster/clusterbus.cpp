#include "server/cluster/clusterbus.h"

#include "server/cluster/messagesnotice.h"
#include "server/logging.h"
#include "server/store/store.h"

#include <QtCore/QDateTime>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcCluster, "tertulia.server.cluster", QtInfoMsg)

namespace Tertulia {

ClusterBus::ClusterBus(const QString &nodeId, const Options &options, Store &store, QObject *parent)
    : EventBus(nodeId, parent), m_options(options), m_store(store)
{
    m_heartbeat.setInterval(m_options.heartbeatMs);
    m_clock.start();
    m_sinceAttempt.start();
    connect(&m_heartbeat, &QTimer::timeout, this, &ClusterBus::heartbeat);
}

// A subclass closes its transport in its own destructor (closeTransport() is pure here).
ClusterBus::~ClusterBus() = default;

bool ClusterBus::start(QString *errorMessage)
{
    m_cursor = m_store.lastPosition();
    m_known = std::max(m_known, m_cursor);
    m_open = true;
    m_sinceOpen.start();
    if (!openTransport(errorMessage)) {
        m_open = false;
        closeTransport();
        return false;
    }
    m_heartbeat.start();
    qCInfo(lcCluster).noquote() << "node" << nodeId() << "on the" << transportName() << "bus at" << displayAddress()
                                << "from position" << m_cursor;
    return true;
}

void ClusterBus::publish(BusEvent event)
{
    event.originNode = nodeId();
    if (event.kind == BusEvent::Kind::Message && event.position > 0) {
        announceMessage(event.position, event.trace);
        m_known = std::max(m_known, event.position);
        // Messages are handed on in global position order, this node's own too: a batch another node
        // committed before ours (lower positions) may not be read yet, and delivering ours first would make
        // it look like a repeat (RoomRegistry drops seqs at or below the last one).
        if (event.position <= m_cursor)
            return; // read from the log already
        if (event.position > m_cursor + 1) {
            readCommitted(); // everything up to the latest, this message included
            return;
        }
        m_cursor = event.position;
    }
    Q_EMIT received(event);
    if (event.kind != BusEvent::Kind::Message)
        sendFact("f|" + nodeId().toUtf8() + '|' + event.toJson());
}

void ClusterBus::heardNotice(const QByteArray &text)
{
    // "m|<node>|<first>|<last>" or "f|<node>|<json>"
    const qsizetype bar1 = text.indexOf('|'), bar2 = text.indexOf('|', bar1 + 1);
    if (bar1 != 1 || bar2 < 0) {
        qCWarning(lcCluster) << "ignoring a notice that is not ours:" << text.left(80);
        return;
    }
    const QString origin = QString::fromUtf8(text.sliced(bar1 + 1, bar2 - bar1 - 1));
    if (origin != nodeId())
        heardFrom(origin);
    if (text.front() == 'm') {
        const auto notice = MessagesNotice::parse(text);
        if (!notice) {
            qCWarning(lcCluster) << "ignoring a notice that is not ours:" << text.left(80);
            return;
        }
        m_known = std::max(m_known, notice->last);
        // Traced messages of other nodes: their contexts wait here for the read that hands the messages on
        // (this node traced its own as it received them). One at or below the cursor was read already,
        // without it.
        if (origin != nodeId()) {
            for (const MessagesNotice::Traced &traced : notice->traced) {
                if (traced.position > m_cursor)
                    m_relayedTraces.insert_or_assign(traced.position, RelayedTrace{traced.context, origin});
            }
            while (m_relayedTraces.size() > kMaxRelayedTraces)
                m_relayedTraces.erase(m_relayedTraces.begin());
        }
        // This node's own batches were handed on when they committed (publish() advanced the cursor): only a
        // notice beyond the cursor needs a read. One heard while a read is on its way reads on after it.
        if (notice->last > m_cursor)
            readCommitted();
        return;
    }
    if (text.front() != 'f' || origin == nodeId())
        return; // our own facts were applied when published
    auto event = BusEvent::fromJson(text.sliced(bar2 + 1));
    if (!event) {
        qCWarning(lcCluster).noquote() << "ignoring a fact from" << origin << "that does not parse";
        return;
    }
    event->originNode = origin;
    ++m_stats.remoteFacts;
    Q_EMIT received(*event);
}

void ClusterBus::heardHeartbeat(const QByteArray &text)
{
    // "<node>|<beat>"
    const qsizetype bar = text.lastIndexOf('|');
    const QString origin = QString::fromUtf8(text.first(std::max<qsizetype>(bar, 0)));
    if (origin != nodeId()) {
        if (!origin.isEmpty())
            heardFrom(origin);
    } else if (m_beat != 0 && text.sliced(bar + 1) == QByteArray::number(m_beat)) {
        m_stats.lastHeartbeatMs = m_sinceBeat.elapsed();
        m_beat = 0;
    }
}

void ClusterBus::readCommitted()
{
    // In position order, one read at a time: a later notice never overtakes an earlier one. The read runs off
    // the event loop (Store::readMessagesAfter); a notice that comes meanwhile reads on after it.
    if (m_reading) {
        m_readAgain = true;
        return;
    }
    m_reading = true;
    // Facts that arrived before the messages we are about to read are applied first; their wake-ups are
    // covered by this read.
    drainNotices();
    m_readAgain = false;
    m_readPending = false;
    m_store.readMessagesAfter(m_cursor, m_options.catchUpBatch, this,
                              [this](const std::optional<QList<PositionedMessage>> &read) { onCommittedRead(read); });
}

void ClusterBus::onCommittedRead(const std::optional<QList<PositionedMessage>> &read)
{
    m_reading = false;
    if (!read) {
        m_readPending = true; // the store is unreachable: the next heartbeat tries again
        resyncAfterCatchUp();
        return;
    }
    const QList<PositionedMessage> &batch = *read;
    for (const PositionedMessage &stored : batch) {
        // publish() may have handed on this node's next message while the read ran.
        m_known = std::max(m_known, stored.position);
        if (stored.position <= m_cursor)
            continue;
        m_cursor = stored.position;
        ++m_stats.messagesRead;
        if (m_observeAge)
            m_observeAge(QDateTime::currentMSecsSinceEpoch() - stored.message.timestamp);
        BusEvent event = BusEvent::messageStored(stored.room, stored.message, stored.position);
        event.originNode = u"store"_s;
        // Another node's traced message: its context is stored with it, so it comes however the read was
        // started (a notice, a catch-up, this node's own commit). One stored by a node of the previous
        // version has none there, and its notice may have brought it.
        if (stored.trace.isValid() && !stored.traceNode.isEmpty()) {
            if (stored.traceNode != nodeId()) {
                event.trace = stored.trace;
                event.traceNode = stored.traceNode;
            }
        } else if (!m_relayedTraces.empty()) {
            if (const auto traced = m_relayedTraces.find(stored.position); traced != m_relayedTraces.end()) {
                event.trace = traced->second.context;
                event.traceNode = traced->second.node;
            }
        }
        Q_EMIT received(event);
    }
    // Those at or below the cursor went with their messages, or came after them (read before the notice).
    m_relayedTraces.erase(m_relayedTraces.begin(), m_relayedTraces.upper_bound(m_cursor));
    if (batch.size() >= m_options.catchUpBatch || m_readAgain)
        readCommitted();
    else
        resyncAfterCatchUp();
}

void ClusterBus::resyncAfterCatchUp()
{
    // After the messages: a room created during the outage must not be learnt with a last seq its caught-up
    // messages would then look like repeats of.
    if (std::exchange(m_resyncAfterRead, false))
        Q_EMIT resyncNeeded();
}

void ClusterBus::transportReady()
{
    m_ready = true;
    m_beat = 0;
    m_retryMs = 0;
    if (!m_everReady) {
        m_everReady = true;
        // Ready later than start() (an asynchronous transport): what committed meanwhile was not announced
        // to us. Ready inside start(), there is nothing to read and nobody to hand it to yet.
        if (m_heartbeat.isActive())
            readCommitted();
        return;
    }
    ++m_stats.reconnects;
    ++m_stats.catchUps;
    // We heard nobody during the outage: that says nothing about the others.
    for (qint64 &seen : m_peerSeenMs)
        seen = m_clock.elapsed();
    qCInfo(lcCluster).noquote() << "hearing the" << transportName() << "bus again; catching up from position"
                                << m_cursor;
    m_resyncAfterRead = true;
    readCommitted();
}

void ClusterBus::transportLost(const QString &reason)
{
    if (!m_open)
        return;
    const bool wasReady = m_ready;
    qCWarning(lcCluster).noquote() << "the" << transportName() << "bus connection is gone:" << reason;
    closeTransport();
    m_open = false;
    m_ready = false;
    if (wasReady) {
        reopen(); // a live connection dropped: try again at once
    } else {
        m_retryMs = std::min(m_retryMs > 0 ? m_retryMs * 2 : m_options.heartbeatMs, m_options.maxRetryMs);
        m_sinceAttempt.restart();
    }
}

void ClusterBus::heartbeat()
{
    // Deaf (the transport is down or not subscribed yet): no wake-up can come, so the log is read at every
    // beat; messages from other nodes keep arriving, a beat late, and facts wait for the transport.
    if (m_readPending || !m_ready)
        readCommitted();
    if (!m_open) {
        if (m_sinceAttempt.elapsed() >= m_retryMs)
            reopen();
        return;
    }
    if (!m_ready) {
        if (m_sinceOpen.elapsed() >= m_options.heartbeatTimeoutMs)
            transportLost(QStringLiteral("not ready after %1 ms").arg(m_sinceOpen.elapsed()));
        return;
    }
    if (m_beat != 0) {
        if (m_sinceBeat.elapsed() < m_options.heartbeatTimeoutMs)
            return;
        transportLost(QStringLiteral("no heartbeat echo for %1 ms").arg(m_sinceBeat.elapsed()));
        return;
    }
    judgePeers(); // our last heartbeat came back: we can hear, so silence from a peer means something
    m_beat = ++m_beatsSent;
    m_sinceBeat.start();
    if (!sendHeartbeat(nodeId().toUtf8() + '|' + QByteArray::number(m_beat)))
        transportLost(u"the heartbeat could not be sent"_s);
}

void ClusterBus::reopen()
{
    if (m_open) {
        closeTransport();
        m_open = false;
        m_ready = false;
    }
    m_open = true;
    m_sinceOpen.start();
    QString error;
    if (!openTransport(&error)) {
        qCWarning(lcCluster).noquote() << error << "(retrying)";
        closeTransport();
        m_open = false;
        m_retryMs = std::min(m_retryMs > 0 ? m_retryMs * 2 : m_options.heartbeatMs, m_options.maxRetryMs);
        m_sinceAttempt.restart();
    }
}

void ClusterBus::heardFrom(const QString &node)
{
    const auto it = m_peerSeenMs.find(node);
    if (it == m_peerSeenMs.end()) {
        qCInfo(lcCluster).noquote() << "node" << node << "is up";
        m_peerSeenMs.insert(node, m_clock.elapsed());
    } else {
        *it = m_clock.elapsed();
    }
}

void ClusterBus::judgePeers()
{
    const qint64 now = m_clock.elapsed();
    for (auto it = m_peerSeenMs.begin(); it != m_peerSeenMs.end();) {
        if (now - *it <= m_options.peerLeaseMs) {
            ++it;
            continue;
        }
        const QString node = it.key();
        qCWarning(lcCluster).noquote() << "node" << node << "not heard for" << now - *it << "ms: it is gone";
        it = m_peerSeenMs.erase(it);
        ++m_stats.nodesLost;
        Q_EMIT nodeLost(node);
    }
}

} // namespace Tertulia
