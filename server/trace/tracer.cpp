#include "server/trace/tracer.h"

#include "server/logging.h"
#include "server/rooms/room.h"
#include "server/session/session.h"
#include "server/session/sessiontransport.h"
#include "server/trace/otlpexporter.h"
#include "shared/names.h"
#include "shared/protocol/frames.h"
#include "shared/version.h"

#include <sodium.h>

#include <QtCore/QUrl>

#include <chrono>

namespace Tertulia::Trace {

using namespace Qt::StringLiterals;

namespace {
double uniformRandom() { return double(randombytes_uniform(1u << 30)) / double(1u << 30); }
} // namespace

Tracer::Tracer(const TracingConfig &config, const QString &node, QObject *parent)
    : QObject(parent), m_sampler(config, uniformRandom), m_ring(config.ringSize), m_node(node)
{
    if (!config.endpoint.isEmpty())
        m_exporter = new OtlpExporter(QUrl(config.endpoint), versionString(), this);
    m_expiry.setInterval(kAwaitMs / 2);
    connect(&m_expiry, &QTimer::timeout, this, &Tracer::expireAwaiting);
}

Tracer::~Tracer() = default;

qint64 Tracer::nowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

std::shared_ptr<MessageTrace> Tracer::begin(const Protocol::Request &request, const Session &sender,
                                            const QString &roomName)
{
    const std::optional<TraceContext> client =
        request.traceparent.isEmpty() ? std::nullopt : TraceContext::parse(request.traceparent);
    if (!m_sampler.shouldTrace(Names::canonical(roomName), sender.userKey(), client))
        return nullptr;
    ++m_started;
    auto trace = std::make_shared<MessageTrace>();
    trace->receivedNs = nowNs();
    if (client) {
        trace->context = client->childSpan();
        trace->context.flags |= TraceContext::kSampled;
        trace->parentSpanId = client->spanId;
    } else {
        trace->context = TraceContext::start();
    }
    trace->validateSpanId = TraceContext::randomSpanId();
    trace->commitSpanId = TraceContext::randomSpanId();
    trace->publishSpanId = TraceContext::randomSpanId();
    trace->deliverSpanId = TraceContext::randomSpanId();
    trace->node = m_node;
    trace->originNode = m_node;
    trace->room = roomName;
    trace->sender = sender.user();
    trace->senderSession = sender.id();
    return trace;
}

void Tracer::noteDelivery(MessageTrace &trace, const Room &room, const QString &excludeUserKey)
{
    trace.routedNs = nowNs();
    QSet<QString> connected;
    for (const Session *session : room.subscribers()) {
        connected.insert(session->userKey());
        if (!excludeUserKey.isEmpty() && session->userKey() == excludeUserKey)
            continue;
        const qint64 queued = session->transport()->bytesQueued();
        ++trace.deliveredCount;
        if (queued > 0)
            ++trace.queuedCount;
        if (trace.deliveries.size() < MessageTrace::kMaxDeliveriesListed)
            trace.deliveries.append(Delivery{session->id(), session->user(), session->transport()->protocolName(),
                                             nowNs(), queued});
    }
    for (auto it = room.members().cbegin(); it != room.members().cend(); ++it) {
        if (connected.contains(it.key()))
            continue;
        ++trace.offlineCount;
        if (trace.offline.size() < MessageTrace::kMaxDeliveriesListed)
            trace.offline.append(it.value());
    }
    trace.offline.sort(Qt::CaseInsensitive);
}

QString Tracer::committingKey(const QString &roomKey, const QString &sender, const QString &clientMsgId)
{
    return roomKey + u'\x1f' + Names::canonical(sender) + u'\x1f' + clientMsgId;
}

void Tracer::committing(const std::shared_ptr<MessageTrace> &trace)
{
    // A retry of a message whose first copy is still committing does not take its place.
    const QString key = committingKey(Names::canonical(trace->room), trace->sender, trace->clientMsgId);
    if (m_committing.size() < kMaxAwaiting && !m_committing.contains(key))
        m_committing.insert(key, trace);
}

std::shared_ptr<MessageTrace> Tracer::takeCommitting(const QString &roomKey, const Protocol::ChatMessage &message)
{
    std::shared_ptr<MessageTrace> trace = m_committing.take(committingKey(roomKey, message.sender, message.clientMsgId));
    if (trace)
        trace->seq = message.seq;
    return trace;
}

void Tracer::committed(const std::shared_ptr<MessageTrace> &trace)
{
    if (m_committing.isEmpty())
        return;
    const auto it = m_committing.constFind(committingKey(Names::canonical(trace->room), trace->sender, trace->clientMsgId));
    if (it != m_committing.cend() && *it == trace)
        m_committing.erase(it);
}

void Tracer::awaitDelivery(const std::shared_ptr<MessageTrace> &trace)
{
    committed(trace);
    if (trace->deliveredNs)
        return; // read from the log (and delivered) before its commit was reported

    while (m_awaiting.size() >= kMaxAwaiting && !m_awaitingOrder.empty()) {
        const auto oldest = m_awaiting.take(m_awaitingOrder.front());
        m_awaitingOrder.pop_front();
        if (oldest && oldest->ackedNs)
            finish(*oldest);
    }
    // Keys taken since stay in the order list; drop them from its front, and compact it when a stuck trace
    // at the front keeps them from going.
    while (!m_awaitingOrder.empty() && !m_awaiting.contains(m_awaitingOrder.front()))
        m_awaitingOrder.pop_front();
    if (m_awaitingOrder.size() > size_t(2 * kMaxAwaiting)) {
        std::erase_if(m_awaitingOrder, [this](const QString &key) { return !m_awaiting.contains(key); });
    }
    const QString key = keyOf(Names::canonical(trace->room), trace->seq);
    m_awaiting.insert(key, trace);
    m_awaitingOrder.push_back(key);
    if (!m_expiry.isActive())
        m_expiry.start();
}

void Tracer::expireAwaiting()
{
    const qint64 cutoff = nowNs() - qint64(kAwaitMs) * 1'000'000;
    while (!m_awaitingOrder.empty()) {
        const auto it = m_awaiting.constFind(m_awaitingOrder.front());
        if (it != m_awaiting.cend()) {
            if ((*it)->receivedNs > cutoff)
                break;
            const std::shared_ptr<MessageTrace> expired = *it;
            m_awaiting.erase(it);
            if (expired->ackedNs)
                finish(*expired);
        }
        m_awaitingOrder.pop_front();
    }
    if (m_awaiting.isEmpty()) {
        m_awaitingOrder.clear();
        m_expiry.stop();
    }
}

std::shared_ptr<MessageTrace> Tracer::takeAwaitingDelivery(const QString &roomKey, qint64 seq)
{
    auto trace = m_awaiting.take(keyOf(roomKey, seq));
    if (m_awaiting.isEmpty()) {
        m_awaitingOrder.clear();
        m_expiry.stop();
    }
    return trace;
}

std::shared_ptr<MessageTrace> Tracer::relayed(const TraceContext &origin, const QString &originNode,
                                              const QString &roomName, const Protocol::ChatMessage &message,
                                              qint64 position)
{
    ++m_relayed;
    auto trace = std::make_shared<MessageTrace>();
    // This node's span is its `deliver`, a child of the origin's span of the `send`.
    trace->context = origin.childSpan();
    trace->context.flags |= TraceContext::kSampled;
    trace->parentSpanId = origin.spanId;
    trace->deliverSpanId = trace->context.spanId;
    trace->node = m_node;
    trace->originNode = originNode;
    trace->room = roomName;
    trace->sender = message.sender;
    trace->seq = message.seq;
    trace->position = position;
    return trace;
}

void Tracer::delivered(const std::shared_ptr<MessageTrace> &trace)
{
    trace->deliveredNs = nowNs();
    if (trace->ackedNs || trace->isRelayed()) // the sender is answered by the origin node
        finish(*trace);
}

void Tracer::answered(const std::shared_ptr<MessageTrace> &trace)
{
    committed(trace);
    trace->ackedNs = nowNs();
    const bool awaiting = trace->seq > 0 && m_awaiting.value(keyOf(Names::canonical(trace->room), trace->seq)) == trace;
    if (!awaiting)
        finish(*trace);
}

bool Tracer::displayed(const QString &roomKey, qint64 seq, quint64 session, const QString &user)
{
    MessageTrace *trace = m_ring.at(roomKey, seq);
    if (!trace)
        return false;
    const auto handed = std::find_if(trace->deliveries.cbegin(), trace->deliveries.cend(),
                                     [session](const Delivery &d) { return d.session == session; });
    if (handed == trace->deliveries.cend())
        return false; // only a session that was handed the message can have shown it
    if (std::any_of(trace->displays.cbegin(), trace->displays.cend(),
                    [session](const Display &d) { return d.session == session; }))
        return true; // a repeated report: once per session
    const Display display{session, user, nowNs(), TraceContext::randomSpanId()};
    ++trace->displayedCount;
    if (trace->displays.size() < MessageTrace::kMaxDeliveriesListed)
        trace->displays.append(display);
    qCInfo(lcTrace).noquote() << u"trace=%1 conn=%2 user=%3 room=%4 seq=%5 displayed after_delivery_ms=%6"_s
                                     .arg(trace->context.traceIdHex())
                                     .arg(session)
                                     .arg(user, trace->room)
                                     .arg(seq)
                                     .arg(QString::number(double(display.atNs - handed->atNs) / 1e6, 'f', 3));
    if (m_exporter) {
        MessageTrace report = *trace;
        report.displaysOnly = true;
        report.displays = {display};
        m_exporter->enqueue(std::move(report));
    }
    return true;
}

void Tracer::finish(const MessageTrace &t)
{
    auto ms = [](qint64 from, qint64 to) { return from && to ? QString::number(double(to - from) / 1e6, 'f', 3) : u"-"_s; };
    const QString counts = u"delivered=%1 queued=%2 offline=%3"_s.arg(t.deliveredCount).arg(t.queuedCount).arg(t.offlineCount);
    // The one line about a traced message, with the ids a collector or the admin API finds it by; a relayed
    // one (this node's part of a message another node received) has the same trace id as that node's line.
    if (t.isRelayed()) {
        qCInfo(lcTrace).noquote() << u"trace=%1 origin=%2 user=%3 room=%4 seq=%5"_s.arg(t.context.traceIdHex())
                                         .arg(t.originNode, t.sender, t.room)
                                         .arg(t.seq)
                                  << u"relayed deliver_ms=%1"_s.arg(ms(t.routedNs, t.deliveredNs)) << counts;
    } else {
        qCInfo(lcTrace).noquote() << u"trace=%1 conn=%2 user=%3 room=%4 seq=%5"_s.arg(t.context.traceIdHex())
                                         .arg(t.senderSession)
                                         .arg(t.sender, t.room)
                                         .arg(t.seq)
                                  << (t.error.isEmpty() ? (t.duplicate ? u"duplicate"_s : u"stored"_s) : u"failed: "_s + t.error)
                                  << u"commit_ms=%1 deliver_ms=%2"_s.arg(ms(t.validatedNs, t.committedNs), ms(t.routedNs, t.deliveredNs))
                                  << counts;
    }
    m_ring.add(t);
    if (m_exporter)
        m_exporter->enqueue(t);
}

} // namespace Tertulia::Trace
