#include "server/trace/messagetrace.h"

#include <QtCore/QJsonArray>

#include <algorithm>

namespace Tertulia::Trace {

using namespace Qt::StringLiterals;

namespace {
// OTLP's SpanKind and StatusCode values (opentelemetry/proto/trace/v1/trace.proto).
constexpr int kSpanKindInternal = 1;
constexpr int kSpanKindServer = 2;
constexpr int kSpanKindConsumer = 5;
constexpr int kStatusOk = 1;
constexpr int kStatusError = 2;

QString hex(const QByteArray &bytes) { return QString::fromLatin1(bytes.toHex()); }
// OTLP/JSON carries 64-bit integers as decimal strings.
QString int64(qint64 value) { return QString::number(value); }

QJsonObject stringAttribute(const QString &key, const QString &value)
{
    return {{u"key"_s, key}, {u"value"_s, QJsonObject{{u"stringValue"_s, value}}}};
}
QJsonObject intAttribute(const QString &key, qint64 value)
{
    return {{u"key"_s, key}, {u"value"_s, QJsonObject{{u"intValue"_s, int64(value)}}}};
}
QJsonObject boolAttribute(const QString &key, bool value)
{
    return {{u"key"_s, key}, {u"value"_s, QJsonObject{{u"boolValue"_s, value}}}};
}

QJsonObject span(const MessageTrace &trace, const QByteArray &spanId, const QByteArray &parentId, const QString &name,
                 int kind, qint64 startNs, qint64 endNs, QJsonArray attributes = {}, QJsonArray events = {})
{
    QJsonObject object{{u"traceId"_s, trace.context.traceIdHex()},
                       {u"spanId"_s, hex(spanId)},
                       {u"name"_s, name},
                       {u"kind"_s, kind},
                       {u"startTimeUnixNano"_s, int64(startNs)},
                       {u"endTimeUnixNano"_s, int64(std::max(startNs, endNs))}};
    if (!parentId.isEmpty())
        object.insert(u"parentSpanId"_s, hex(parentId));
    if (!attributes.isEmpty())
        object.insert(u"attributes"_s, attributes);
    if (!events.isEmpty())
        object.insert(u"events"_s, events);
    return object;
}

void appendDisplaySpans(const MessageTrace &trace, QJsonArray &spans)
{
    for (const Display &display : trace.displays) {
        spans.append(span(trace, display.spanId, trace.context.spanId, u"displayed"_s, kSpanKindInternal,
                          display.atNs, display.atNs,
                          QJsonArray{intAttribute(u"tertulia.session"_s, qint64(display.session)),
                                     stringAttribute(u"tertulia.user"_s, display.user)}));
    }
}

/// One event per session handed the message: `written` (straight to the socket) or `queued`.
QJsonArray deliveryEvents(const MessageTrace &trace)
{
    QJsonArray events;
    for (const Delivery &delivery : trace.deliveries) {
        QJsonArray attributes{intAttribute(u"tertulia.session"_s, qint64(delivery.session)),
                              stringAttribute(u"tertulia.user"_s, delivery.user),
                              stringAttribute(u"tertulia.protocol"_s, delivery.protocol)};
        if (delivery.queuedBehindBytes > 0)
            attributes.append(intAttribute(u"tertulia.queued_behind_bytes"_s, delivery.queuedBehindBytes));
        events.append(QJsonObject{{u"name"_s, delivery.queuedBehindBytes > 0 ? u"queued"_s : u"written"_s},
                                  {u"timeUnixNano"_s, int64(delivery.atNs)},
                                  {u"attributes"_s, attributes}});
    }
    return events;
}

QJsonArray deliverAttributes(const MessageTrace &trace)
{
    QJsonArray attributes{intAttribute(u"tertulia.sessions"_s, trace.deliveredCount),
                          intAttribute(u"tertulia.queued"_s, trace.queuedCount)};
    if (trace.deliveredCount > trace.deliveries.size())
        attributes.append(intAttribute(u"tertulia.sessions_not_listed"_s, trace.deliveredCount - trace.deliveries.size()));
    return attributes;
}

/// A relayed trace: this node's `deliver`, a consumer span under the origin node's `chat.send`.
void appendRelayedSpans(const MessageTrace &trace, QJsonArray &spans)
{
    if (trace.deliveredNs) {
        QJsonArray attributes{stringAttribute(u"messaging.system"_s, u"tertulia"_s),
                              stringAttribute(u"messaging.operation"_s, u"deliver"_s),
                              stringAttribute(u"tertulia.node"_s, trace.node),
                              stringAttribute(u"tertulia.origin_node"_s, trace.originNode),
                              stringAttribute(u"tertulia.room"_s, trace.room),
                              stringAttribute(u"tertulia.sender"_s, trace.sender),
                              intAttribute(u"tertulia.seq"_s, trace.seq),
                              intAttribute(u"tertulia.offline"_s, trace.offlineCount)};
        if (trace.position > 0)
            attributes.append(intAttribute(u"tertulia.position"_s, trace.position));
        for (const QJsonValue &attribute : deliverAttributes(trace))
            attributes.append(attribute);
        spans.append(span(trace, trace.context.spanId, trace.parentSpanId, u"deliver"_s, kSpanKindConsumer,
                          trace.routedNs, trace.deliveredNs, attributes, deliveryEvents(trace)));
    }
    appendDisplaySpans(trace, spans);
}

void appendSpans(const MessageTrace &trace, QJsonArray &spans)
{
    if (trace.displaysOnly) {
        appendDisplaySpans(trace, spans);
        return;
    }
    if (trace.isRelayed()) {
        appendRelayedSpans(trace, spans);
        return;
    }
    QJsonArray rootAttributes{stringAttribute(u"messaging.system"_s, u"tertulia"_s),
                              stringAttribute(u"messaging.operation"_s, u"publish"_s),
                              stringAttribute(u"tertulia.node"_s, trace.node),
                              stringAttribute(u"tertulia.room"_s, trace.room),
                              stringAttribute(u"tertulia.sender"_s, trace.sender),
                              intAttribute(u"tertulia.session"_s, qint64(trace.senderSession)),
                              intAttribute(u"tertulia.delivered"_s, trace.deliveredCount),
                              intAttribute(u"tertulia.queued"_s, trace.queuedCount),
                              intAttribute(u"tertulia.offline"_s, trace.offlineCount)};
    if (trace.seq > 0)
        rootAttributes.append(intAttribute(u"tertulia.seq"_s, trace.seq));
    if (trace.position > 0)
        rootAttributes.append(intAttribute(u"tertulia.position"_s, trace.position));
    if (trace.duplicate)
        rootAttributes.append(boolAttribute(u"tertulia.duplicate"_s, true));
    QJsonObject root = span(trace, trace.context.spanId, trace.parentSpanId, u"chat.send"_s, kSpanKindServer,
                            trace.receivedNs, trace.endNs(), rootAttributes);
    root.insert(u"status"_s, trace.error.isEmpty()
                                 ? QJsonObject{{u"code"_s, kStatusOk}}
                                 : QJsonObject{{u"code"_s, kStatusError}, {u"message"_s, trace.error}});
    spans.append(root);

    const QByteArray &parent = trace.context.spanId;
    if (trace.validatedNs)
        spans.append(span(trace, trace.validateSpanId, parent, u"validate"_s, kSpanKindInternal, trace.receivedNs,
                          trace.validatedNs));
    if (trace.committedNs)
        spans.append(span(trace, trace.commitSpanId, parent, u"store.commit"_s, kSpanKindInternal, trace.validatedNs,
                          trace.committedNs));
    if (trace.routedNs)
        spans.append(span(trace, trace.publishSpanId, parent, u"publish"_s, kSpanKindInternal, trace.committedNs,
                          trace.routedNs));
    if (trace.deliveredNs)
        spans.append(span(trace, trace.deliverSpanId, parent, u"deliver"_s, kSpanKindInternal, trace.routedNs,
                          trace.deliveredNs, deliverAttributes(trace), deliveryEvents(trace)));
    appendDisplaySpans(trace, spans);
}
} // namespace

qint64 MessageTrace::endNs() const
{
    return std::max({receivedNs, validatedNs, committedNs, publishedNs, routedNs, deliveredNs, ackedNs});
}

QJsonObject MessageTrace::toJson() const
{
    auto stage = [](qint64 ns) { return ns ? QJsonValue(double(ns) / 1e6) : QJsonValue(QJsonValue::Null); };
    QJsonArray deliveryArray;
    for (const Delivery &delivery : deliveries) {
        deliveryArray.append(QJsonObject{{u"connection"_s, qint64(delivery.session)},
                                         {u"user"_s, delivery.user},
                                         {u"protocol"_s, delivery.protocol},
                                         {u"at_ms"_s, double(delivery.atNs) / 1e6},
                                         {u"queued_behind_bytes"_s, delivery.queuedBehindBytes}});
    }
    QJsonArray displayArray;
    for (const Display &display : displays) {
        displayArray.append(QJsonObject{{u"connection"_s, qint64(display.session)},
                                        {u"user"_s, display.user},
                                        {u"at_ms"_s, double(display.atNs) / 1e6}});
    }
    QJsonObject object{{u"trace_id"_s, context.traceIdHex()},
                       {u"span_id"_s, context.spanIdHex()},
                       {u"node"_s, node},
                       {u"origin_node"_s, originNode.isEmpty() ? node : originNode},
                       {u"room"_s, room},
                       {u"sender"_s, sender},
                       // The sender's connection is on the origin node: unknown here when relayed.
                       {u"connection"_s, isRelayed() ? QJsonValue(QJsonValue::Null) : QJsonValue(qint64(senderSession))},
                       {u"duplicate"_s, duplicate},
                       // Stages in ms since the epoch, with fractions (null: not reached).
                       {u"received_ms"_s, stage(receivedNs)},
                       {u"validated_ms"_s, stage(validatedNs)},
                       {u"committed_ms"_s, stage(committedNs)},
                       {u"published_ms"_s, stage(publishedNs)},
                       {u"routed_ms"_s, stage(routedNs)},
                       {u"delivered_ms"_s, stage(deliveredNs)},
                       {u"acked_ms"_s, stage(ackedNs)},
                       {u"delivered"_s, deliveredCount},
                       {u"queued"_s, queuedCount},
                       {u"deliveries"_s, deliveryArray},
                       {u"offline"_s, QJsonArray::fromStringList(offline)},
                       {u"offline_count"_s, offlineCount},
                       {u"displayed"_s, displayedCount},
                       {u"displays"_s, displayArray}};
    object.insert(u"seq"_s, seq > 0 ? QJsonValue(seq) : QJsonValue(QJsonValue::Null));
    if (!parentSpanId.isEmpty())
        object.insert(u"parent_span_id"_s, hex(parentSpanId));
    if (position > 0)
        object.insert(u"position"_s, position);
    if (!error.isEmpty())
        object.insert(u"error"_s, error);
    return object;
}

QJsonObject toOtlp(const QList<MessageTrace> &traces, const QString &serviceName, const QString &serviceVersion)
{
    QJsonArray spans;
    for (const MessageTrace &trace : traces)
        appendSpans(trace, spans);
    const QJsonObject resource{
        {u"attributes"_s, QJsonArray{stringAttribute(u"service.name"_s, serviceName),
                                     stringAttribute(u"service.version"_s, serviceVersion)}}};
    const QJsonObject scope{{u"name"_s, u"tertulia.trace"_s}, {u"version"_s, serviceVersion}};
    const QJsonObject scopeSpans{{u"scope"_s, scope}, {u"spans"_s, spans}};
    const QJsonObject resourceSpans{{u"resource"_s, resource}, {u"scopeSpans"_s, QJsonArray{scopeSpans}}};
    return {{u"resourceSpans"_s, QJsonArray{resourceSpans}}};
}

} // namespace Tertulia::Trace
