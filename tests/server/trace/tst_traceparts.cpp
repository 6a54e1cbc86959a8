// The pure parts of delivery traces: the W3C traceparent rules, the sampling decision, the ring of recent
// traces, and the OTLP/JSON shape of a trace (and of another node's part of it, a relayed trace).
#include "server/trace/messagetrace.h"
#include "server/trace/tracecontext.h"
#include "server/trace/tracering.h"
#include "server/trace/tracesampler.h"

#include <QtCore/QJsonArray>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace Tertulia;
using namespace Tertulia::Trace;
using L1 = QLatin1StringView;

namespace {
const QString kValid = u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"_s;

MessageTrace traceOf(const QString &room, qint64 seq)
{
    MessageTrace trace;
    trace.context = TraceContext::start();
    trace.room = room;
    trace.seq = seq;
    return trace;
}

QJsonObject spanNamed(const QJsonArray &spans, const QString &name)
{
    for (const QJsonValue &span : spans) {
        if (span.toObject().value(L1("name")).toString() == name)
            return span.toObject();
    }
    return {};
}

QJsonValue attributeOf(const QJsonObject &span, const QString &key)
{
    for (const QJsonValue &attribute : span.value(L1("attributes")).toArray()) {
        if (attribute.toObject().value(L1("key")).toString() == key)
            return attribute.toObject().value(L1("value"));
    }
    return {};
}
} // namespace

class TestTraceParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Valid traceparents parse to their ids and flags and format back to the same text. */
    void parsesValidContexts()
    {
        const auto context = TraceContext::parse(kValid);
        QVERIFY(context);
        QCOMPARE(context->traceIdHex(), u"4bf92f3577b34da6a3ce929d0e0e4736"_s);
        QCOMPARE(context->spanIdHex(), u"00f067aa0ba902b7"_s);
        QVERIFY(context->isSampled());
        QCOMPARE(context->traceparent(), kValid);
        const auto unsampled = TraceContext::parse(u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
        QVERIFY(unsampled && !unsampled->isSampled());
        // A later version may append fields; what version 00 defines is read, the rest ignored.
        const auto future = TraceContext::parse(u"cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09-what-ever");
        QVERIFY(future);
        QCOMPARE(future->flags, quint8(0x09));
        QVERIFY(TraceContext::parse(u"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    }

    /*! Everything the W3C calls invalid is refused (the server then starts a trace of its own). */
    void refusesInvalidContexts_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("version ff") << u"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"_s;
        QTest::newRow("zero trace id") << u"00-00000000000000000000000000000000-00f067aa0ba902b7-01"_s;
        QTest::newRow("zero span id") << u"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"_s;
        QTest::newRow("uppercase") << u"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"_s;
        QTest::newRow("short trace id") << u"00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"_s;
        QTest::newRow("version 00 with more") << u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x"_s;
        QTest::newRow("later version, no dash") << u"cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"_s;
        QTest::newRow("wrong separators") << u"00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"_s;
        QTest::newRow("not hex") << u"00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01"_s;
        QTest::newRow("flags not hex") << u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-g1"_s;
        QTest::newRow("non-ASCII") << u"00-4bf92f3577b34da6a3ce929d0e0e473é-00f067aa0ba902b7-01"_s;
    }
    void refusesInvalidContexts()
    {
        QFETCH(QString, text);
        QVERIFY(!TraceContext::parse(text));
    }

    /*! A new trace and a child span have random, valid, distinct ids; the child keeps the trace. */
    void startsAndContinues()
    {
        const TraceContext a = TraceContext::start();
        const TraceContext b = TraceContext::start();
        QVERIFY(a.isValid() && b.isValid());
        QVERIFY(a.isSampled());
        QVERIFY(a.traceId != b.traceId);
        const TraceContext child = a.childSpan();
        QCOMPARE(child.traceId, a.traceId);
        QVERIFY(child.spanId != a.spanId);
        QCOMPARE(TraceContext::parse(child.traceparent()), std::optional(child));
    }

    /*! A sampled client context, a room or user traced always, or the ratio: nothing else is traced. */
    void samples()
    {
        TracingConfig config;
        config.rooms = {u"Café"_s};
        config.users = {u"Debug"_s};
        double next = 0.5;
        TraceSampler sampler(config, [&next] { return next; });
        QVERIFY(!sampler.shouldTrace(u"general"_s, u"alice"_s, std::nullopt));
        QVERIFY(sampler.shouldTrace(u"general"_s, u"alice"_s, TraceContext::parse(kValid)));
        QVERIFY(!sampler.shouldTrace(u"general"_s, u"alice"_s,
                                     TraceContext::parse(u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")));
        // Names are compared canonically, as the server keys rooms and users.
        QVERIFY(sampler.shouldTrace(u"café"_s, u"alice"_s, std::nullopt));
        QVERIFY(sampler.shouldTrace(u"general"_s, u"debug"_s, std::nullopt));

        config = {};
        config.ratio = 0.25;
        TraceSampler quarter(config, [&next] { return next; });
        next = 0.2;
        QVERIFY(quarter.shouldTrace(u"general"_s, u"alice"_s, std::nullopt));
        next = 0.3;
        QVERIFY(!quarter.shouldTrace(u"general"_s, u"alice"_s, std::nullopt));
        config.ratio = 1;
        TraceSampler all(config, [] { return 0.999; });
        QVERIFY(all.shouldTrace(u"general"_s, u"alice"_s, std::nullopt));
    }

    /*! The ring keeps the newest traces, finds them by (room, seq), forgets the evicted, and a retry's trace
     *  does not take the original's place. */
    void ringKeepsTheNewest()
    {
        TraceRing ring(3);
        for (int seq = 1; seq <= 5; ++seq)
            ring.add(traceOf(u"General"_s, seq));
        QCOMPARE(ring.size(), 3);
        QVERIFY(!ring.find(u"general"_s, 1));
        QVERIFY(!ring.find(u"general"_s, 2));
        QCOMPARE(ring.find(u"general"_s, 3)->seq, 3);
        QCOMPARE(ring.find(u"general"_s, 5)->seq, 5);
        const QList<MessageTrace> recent = ring.recent(2);
        QCOMPARE(recent.size(), 2);
        QCOMPARE(recent.at(0).seq, 5);
        QCOMPARE(recent.at(1).seq, 4);

        MessageTrace retry = traceOf(u"general"_s, 5);
        retry.duplicate = true;
        ring.add(retry);
        QVERIFY(!ring.find(u"general"_s, 5)->duplicate);
        QCOMPARE(ring.recent(1).at(0).duplicate, true);
        // Two more push the original 5 out: the retry never stood in for it.
        ring.add(traceOf(u"general"_s, 6));
        ring.add(traceOf(u"general"_s, 7));
        QVERIFY(!ring.find(u"general"_s, 5));
        QCOMPARE(ring.find(u"general"_s, 7)->seq, 7);
    }

    /*! The OTLP/JSON of a trace: one resource and scope, a server span that continues the client's, four
     *  children inside it in order, the deliveries as events, ids in hex and times as strings. */
    void otlpShape()
    {
        MessageTrace trace = traceOf(u"general"_s, 7);
        trace.parentSpanId = QByteArray::fromHex("00f067aa0ba902b7");
        trace.validateSpanId = TraceContext::randomSpanId();
        trace.commitSpanId = TraceContext::randomSpanId();
        trace.publishSpanId = TraceContext::randomSpanId();
        trace.deliverSpanId = TraceContext::randomSpanId();
        trace.node = u"n1"_s;
        trace.sender = u"alice"_s;
        trace.receivedNs = 1'000'000'000;
        trace.validatedNs = 1'000'100'000;
        trace.committedNs = 1'002'000'000;
        trace.publishedNs = 1'002'010'000;
        trace.routedNs = 1'002'020'000;
        trace.deliveries = {Delivery{12, u"alice"_s, u"native"_s, 1'002'030'000, 0},
                            Delivery{13, u"bob"_s, u"socket.io"_s, 1'002'040'000, 512}};
        trace.deliveredCount = 2;
        trace.queuedCount = 1;
        trace.deliveredNs = 1'002'050'000;
        trace.ackedNs = 1'002'060'000;
        trace.offline = {u"carol"_s};
        trace.offlineCount = 1;

        const QJsonObject otlp = toOtlp({trace}, u"tertulia-server"_s, u"9.9"_s);
        const QJsonArray resourceSpans = otlp.value(L1("resourceSpans")).toArray();
        QCOMPARE(resourceSpans.size(), 1);
        const QJsonObject resource = resourceSpans.at(0).toObject().value(L1("resource")).toObject();
        QCOMPARE(attributeOf(resource, u"service.name"_s).toObject().value(L1("stringValue")).toString(),
                 u"tertulia-server"_s);
        const QJsonArray scopeSpans = resourceSpans.at(0).toObject().value(L1("scopeSpans")).toArray();
        QCOMPARE(scopeSpans.size(), 1);
        const QJsonArray spans = scopeSpans.at(0).toObject().value(L1("spans")).toArray();
        QCOMPARE(spans.size(), 5);

        const QJsonObject root = spanNamed(spans, u"chat.send"_s);
        QCOMPARE(root.value(L1("traceId")).toString(), trace.context.traceIdHex());
        QCOMPARE(root.value(L1("spanId")).toString(), trace.context.spanIdHex());
        QCOMPARE(root.value(L1("parentSpanId")).toString(), u"00f067aa0ba902b7"_s);
        QCOMPARE(root.value(L1("kind")).toInt(), 2);
        QCOMPARE(root.value(L1("startTimeUnixNano")).toString(), u"1000000000"_s);
        QCOMPARE(root.value(L1("endTimeUnixNano")).toString(), u"1002060000"_s);
        QCOMPARE(attributeOf(root, u"tertulia.seq"_s).toObject().value(L1("intValue")).toString(), u"7"_s);
        QCOMPARE(attributeOf(root, u"tertulia.offline"_s).toObject().value(L1("intValue")).toString(), u"1"_s);
        QCOMPARE(root.value(L1("status")).toObject().value(L1("code")).toInt(), 1);

        const QStringList children{u"validate"_s, u"store.commit"_s, u"publish"_s, u"deliver"_s};
        const QList<std::pair<qint64, qint64>> times{{1'000'000'000, 1'000'100'000}, {1'000'100'000, 1'002'000'000},
                                                     {1'002'000'000, 1'002'020'000}, {1'002'020'000, 1'002'050'000}};
        QSet<QString> spanIds{root.value(L1("spanId")).toString()};
        for (int i = 0; i < children.size(); ++i) {
            const QJsonObject child = spanNamed(spans, children.at(i));
            QVERIFY2(!child.isEmpty(), qPrintable(children.at(i)));
            QCOMPARE(child.value(L1("traceId")).toString(), trace.context.traceIdHex());
            QCOMPARE(child.value(L1("parentSpanId")).toString(), trace.context.spanIdHex());
            QCOMPARE(child.value(L1("startTimeUnixNano")).toString(), QString::number(times.at(i).first));
            QCOMPARE(child.value(L1("endTimeUnixNano")).toString(), QString::number(times.at(i).second));
            spanIds.insert(child.value(L1("spanId")).toString());
        }
        QCOMPARE(spanIds.size(), 5);

        const QJsonArray events = spanNamed(spans, u"deliver"_s).value(L1("events")).toArray();
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).toObject().value(L1("name")).toString(), u"written"_s);
        QCOMPARE(events.at(1).toObject().value(L1("name")).toString(), u"queued"_s);
        QCOMPARE(events.at(1).toObject().value(L1("timeUnixNano")).toString(), u"1002040000"_s);
        QCOMPARE(attributeOf(events.at(1).toObject(), u"tertulia.user"_s).toObject().value(L1("stringValue")).toString(),
                 u"bob"_s);

        // A failed send: the root span says why, and no later stage has a span.
        MessageTrace failed = traceOf(u"general"_s, 0);
        failed.receivedNs = 5;
        failed.ackedNs = 9;
        failed.error = u"too large"_s;
        const QJsonArray failedSpans = toOtlp({failed}, u"s"_s, u"v"_s)
                                           .value(L1("resourceSpans")).toArray().at(0).toObject()
                                           .value(L1("scopeSpans")).toArray().at(0).toObject()
                                           .value(L1("spans")).toArray();
        QCOMPARE(failedSpans.size(), 1);
        const QJsonObject status = failedSpans.at(0).toObject().value(L1("status")).toObject();
        QCOMPARE(status.value(L1("code")).toInt(), 2);
        QCOMPARE(status.value(L1("message")).toString(), u"too large"_s);
        QVERIFY(failedSpans.at(0).toObject().value(L1("parentSpanId")).isUndefined());
    }

    /*! A relayed trace, this node's part of a message another node received: one consumer span `deliver`,
     *  a child of the origin node's span of the `send` in the same trace, naming both nodes, with the
     *  deliveries here as events; a later display report hangs under that `deliver`; the admin view names the
     *  origin node and no sender connection (it is on the other node). */
    void relayedShape()
    {
        const auto origin = TraceContext::parse(kValid);
        QVERIFY(origin);
        MessageTrace trace;
        trace.context = origin->childSpan();
        trace.parentSpanId = origin->spanId;
        trace.deliverSpanId = trace.context.spanId;
        trace.node = u"n2"_s;
        trace.originNode = u"n1"_s;
        trace.room = u"general"_s;
        trace.seq = 7;
        trace.position = 41;
        trace.sender = u"alice"_s;
        trace.routedNs = 2'000'000'000;
        trace.deliveries = {Delivery{4, u"bob"_s, u"native"_s, 2'000'010'000, 0}};
        trace.deliveredCount = 1;
        trace.deliveredNs = 2'000'020'000;
        trace.offline = {u"carol"_s};
        trace.offlineCount = 1;
        QVERIFY(trace.isRelayed());

        const auto spansOf = [](const MessageTrace &t) {
            return toOtlp({t}, u"s"_s, u"v"_s).value(L1("resourceSpans")).toArray().at(0).toObject()
                .value(L1("scopeSpans")).toArray().at(0).toObject().value(L1("spans")).toArray();
        };
        const QJsonArray spans = spansOf(trace);
        QCOMPARE(spans.size(), 1);
        const QJsonObject deliver = spans.at(0).toObject();
        QCOMPARE(deliver.value(L1("name")).toString(), u"deliver"_s);
        QCOMPARE(deliver.value(L1("kind")).toInt(), 5); // consumer
        QCOMPARE(deliver.value(L1("traceId")).toString(), u"4bf92f3577b34da6a3ce929d0e0e4736"_s);
        QCOMPARE(deliver.value(L1("parentSpanId")).toString(), u"00f067aa0ba902b7"_s);
        QCOMPARE(deliver.value(L1("spanId")).toString(), trace.context.spanIdHex());
        QVERIFY(trace.context.spanIdHex() != u"00f067aa0ba902b7"_s);
        QCOMPARE(deliver.value(L1("startTimeUnixNano")).toString(), u"2000000000"_s);
        QCOMPARE(deliver.value(L1("endTimeUnixNano")).toString(), u"2000020000"_s);
        QCOMPARE(attributeOf(deliver, u"tertulia.node"_s).toObject().value(L1("stringValue")).toString(), u"n2"_s);
        QCOMPARE(attributeOf(deliver, u"tertulia.origin_node"_s).toObject().value(L1("stringValue")).toString(), u"n1"_s);
        QCOMPARE(attributeOf(deliver, u"tertulia.seq"_s).toObject().value(L1("intValue")).toString(), u"7"_s);
        QCOMPARE(attributeOf(deliver, u"tertulia.sessions"_s).toObject().value(L1("intValue")).toString(), u"1"_s);
        QCOMPARE(attributeOf(deliver, u"tertulia.offline"_s).toObject().value(L1("intValue")).toString(), u"1"_s);
        const QJsonArray events = deliver.value(L1("events")).toArray();
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).toObject().value(L1("name")).toString(), u"written"_s);

        MessageTrace report = trace;
        report.displaysOnly = true;
        report.displays = {Display{4, u"bob"_s, 2'500'000'000, TraceContext::randomSpanId()}};
        const QJsonArray displayed = spansOf(report);
        QCOMPARE(displayed.size(), 1);
        QCOMPARE(displayed.at(0).toObject().value(L1("name")).toString(), u"displayed"_s);
        QCOMPARE(displayed.at(0).toObject().value(L1("parentSpanId")).toString(), trace.context.spanIdHex());

        const QJsonObject view = trace.toJson();
        QCOMPARE(view.value(L1("node")).toString(), u"n2"_s);
        QCOMPARE(view.value(L1("origin_node")).toString(), u"n1"_s);
        QCOMPARE(view.value(L1("parent_span_id")).toString(), u"00f067aa0ba902b7"_s);
        QVERIFY(view.value(L1("connection")).isNull());
        QVERIFY(view.value(L1("received_ms")).isNull());
        QCOMPARE(view.value(L1("routed_ms")).toDouble(), 2000.0);
        QCOMPARE(view.value(L1("seq")).toInteger(), 7);
        // A node's own trace names itself as the origin.
        MessageTrace own = traceOf(u"general"_s, 8);
        own.node = u"n1"_s;
        QVERIFY(!own.isRelayed());
        QCOMPARE(own.toJson().value(L1("origin_node")).toString(), u"n1"_s);
    }
};

QTEST_APPLESS_MAIN(TestTraceParts)
#include "tst_traceparts.moc"
