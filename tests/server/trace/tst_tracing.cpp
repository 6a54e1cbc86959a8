// Delivery traces on a real in-process server with real clients (native WebSocket, Socket.IO), exported over
// OTLP/HTTP to a small receiver in this test (the project's own HTTP server code on 127.0.0.1:0), and read
// back through the admin API's ring.
#include "server/trace/tracecontext.h"
#include "support/otlpreceiver.h"
#include "support/printers.h"
#include "support/sioclient.h"
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <chrono>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;
using Testing::OtlpReceiver;
using Testing::SioClient;
using L1 = QLatin1StringView;

namespace {
qint64 nowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

qint64 startOf(const QJsonObject &span) { return span.value(L1("startTimeUnixNano")).toString().toLongLong(); }
qint64 endOf(const QJsonObject &span) { return span.value(L1("endTimeUnixNano")).toString().toLongLong(); }

QString attribute(const QJsonObject &span, const QString &key) { return OtlpReceiver::attribute(span, key); }

const QString kClientTrace = u"4bf92f3577b34da6a3ce929d0e0e4736"_s;
const QString kClientSpan = u"00f067aa0ba902b7"_s;
const QString kSampled = u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"_s;
} // namespace

class TestTracing : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> startServer(const TracingConfig &tracing)
    {
        ServerConfig config = TestServer::testConfig();
        config.tracing = tracing;
        return std::make_unique<TestServer>(config);
    }

    static QByteArray adminToken(TestServer &server)
    {
        const auto pair = server.server().hostLogin(u"root"_s);
        return std::holds_alternative<Protocol::TokenPair>(pair)
                   ? std::get<Protocol::TokenPair>(pair).accessToken.toLatin1()
                   : QByteArray();
    }

    static HttpResult traceOf(TestServer &server, const QString &room, qint64 seq)
    {
        return server.http().send("GET", u"/api/v1/admin/traces/%1/%2"_s.arg(room).arg(seq), {}, adminToken(server));
    }

    static std::unique_ptr<WsClient> member(TestServer &server, const QString &user, const QString &room)
    {
        auto client = std::make_unique<WsClient>();
        if (!client->openAndAuth(server.url(), server.login(user).accessToken))
            return nullptr;
        const Protocol::Reply created = client->request(Protocol::Request::createRoom({}, {room, false}));
        if (!created.isOk() && !client->request(Protocol::Request::join({}, room)).isOk())
            return nullptr;
        return client;
    }

    static qint64 sendTraced(WsClient &client, const QString &room, const QString &text, const QString &traceparent)
    {
        Protocol::Request send = Protocol::Request::send(client.nextId(), {room, text, text});
        send.traceparent = traceparent;
        const Protocol::Reply reply = client.request(send);
        return reply.isOk() ? reply.data.value(L1("seq")).toInteger() : -1;
    }

private Q_SLOTS:
    /*! The headline: a native client's traced `send` reaches a collector as one trace that continues the
     *  client's, with the stages in order inside the server span, one event per member session handed the
     *  message (native and Socket.IO), the offline member counted; the admin API answers what happened to
     *  (room, seq), and the log line carries the trace id. */
    void nativeSendExportedAndKept()
    {
        OtlpReceiver receiver;
        TracingConfig tracing;
        tracing.endpoint = receiver.endpoint();
        auto server = startServer(tracing);
        auto alice = member(*server, u"alice"_s, u"general"_s);
        QVERIFY(alice);
        SioClient bob(server->httpUrl());
        QVERIFY(bob.connect(QJsonObject{{L1("token"), server->login(u"bob"_s).accessToken}}).startsWith(u"40{"));
        QCOMPARE(bob.request(u"join"_s, QJsonObject{{L1("room"), u"general"_s}}).value(L1("type")).toString(), u"ok"_s);
        {
            auto carol = member(*server, u"carol"_s, u"general"_s); // a member, gone before the message
            QVERIFY(carol);
        }

        QTest::ignoreMessage(QtInfoMsg, QRegularExpression(u"^trace=%1 conn=\\d+ user=alice room=general seq=1 stored"_s.arg(kClientTrace)));
        const qint64 before = nowNs();
        const qint64 seq = sendTraced(*alice, u"general"_s, u"hola"_s, kSampled);
        QCOMPARE(seq, 1);
        QTRY_VERIFY_WITH_TIMEOUT(receiver.traceSpans(kClientTrace).size() == 5, 10000);
        const qint64 after = nowNs();
        QCOMPARE(receiver.contentTypes.first(), QByteArray("application/json"));

        const QHash<QString, QJsonObject> spans = receiver.traceSpans(kClientTrace);
        const QJsonObject root = spans.value(u"chat.send"_s);
        QCOMPARE(root.value(L1("parentSpanId")).toString(), kClientSpan);
        QVERIFY(root.value(L1("spanId")).toString() != kClientSpan);
        QCOMPARE(attribute(root, u"tertulia.room"_s), u"general"_s);
        QCOMPARE(attribute(root, u"tertulia.sender"_s), u"alice"_s);
        QCOMPARE(attribute(root, u"tertulia.seq"_s), u"1"_s);
        QCOMPARE(attribute(root, u"tertulia.delivered"_s), u"2"_s);
        QCOMPARE(attribute(root, u"tertulia.offline"_s), u"1"_s);
        QVERIFY(before <= startOf(root) && endOf(root) <= after);
        // The stages follow each other inside the server span.
        qint64 previousEnd = startOf(root);
        for (const QString &name : {u"validate"_s, u"store.commit"_s, u"publish"_s, u"deliver"_s}) {
            const QJsonObject span = spans.value(name);
            QVERIFY2(!span.isEmpty(), qPrintable(name));
            QCOMPARE(span.value(L1("parentSpanId")).toString(), root.value(L1("spanId")).toString());
            QCOMPARE(startOf(span), previousEnd);
            QVERIFY2(startOf(span) <= endOf(span), qPrintable(name));
            previousEnd = endOf(span);
        }
        QVERIFY(previousEnd <= endOf(root));
        QSet<QString> users;
        QSet<QString> protocols;
        for (const QJsonValue &event : spans.value(u"deliver"_s).value(L1("events")).toArray()) {
            const QJsonObject object = event.toObject();
            // "queued" when the socket still held unsent bytes (the fast path holds membership events up to
            // notification_delay_ms to write several at once): then the event says how many.
            const qint64 behind = attribute(object, u"tertulia.queued_behind_bytes"_s).toLongLong();
            QCOMPARE(object.value(L1("name")).toString(), behind > 0 ? u"queued"_s : u"written"_s);
            const qint64 at = object.value(L1("timeUnixNano")).toString().toLongLong();
            QVERIFY(startOf(spans.value(u"deliver"_s)) <= at && at <= endOf(spans.value(u"deliver"_s)));
            users.insert(attribute(object, u"tertulia.user"_s));
            protocols.insert(attribute(object, u"tertulia.protocol"_s));
        }
        QCOMPARE(users, (QSet<QString>{u"alice"_s, u"bob"_s}));
        QCOMPARE(protocols, (QSet<QString>{u"native"_s, u"socket.io"_s}));

        // Without a collector's help: the admin API says who had it, and who will get it on resume.
        const HttpResult kept = traceOf(*server, u"general"_s, 1);
        QCOMPARE(kept.status, 200);
        QCOMPARE(kept.json.value(L1("trace_id")).toString(), kClientTrace);
        QCOMPARE(kept.json.value(L1("parent_span_id")).toString(), kClientSpan);
        QCOMPARE(kept.json.value(L1("origin_node")).toString(), kept.json.value(L1("node")).toString());
        QCOMPARE(kept.json.value(L1("delivered")).toInt(), 2);
        QCOMPARE(kept.json.value(L1("offline")).toArray(), QJsonArray{u"carol"_s});
        QCOMPARE(kept.json.value(L1("deliveries")).toArray().size(), 2);
        for (const char *stage : {"received_ms", "validated_ms", "committed_ms", "routed_ms", "delivered_ms", "acked_ms"})
            QVERIFY2(kept.json.value(QLatin1StringView(stage)).isDouble(), stage);
        QCOMPARE(traceOf(*server, u"General"_s, 1).status, 200); // room names as people type them
        const HttpResult listed = server->http().send("GET", u"/api/v1/admin/traces"_s, {}, adminToken(*server));
        QCOMPARE(listed.status, 200);
        QCOMPARE(listed.json.value(L1("traces")).toArray().size(), 1);

        // Answers for what is not there, or not asked right.
        QCOMPARE(traceOf(*server, u"general"_s, 2).status, 404);
        QCOMPARE(traceOf(*server, u"general"_s, 0).status, 400);
        QCOMPARE(traceOf(*server, u"general"_s, -3).status, 400);
        QCOMPARE(server->http().send("GET", u"/api/v1/admin/traces/general/1"_s, {},
                                     server->login(u"alice"_s).accessToken.toLatin1()).status, 403);
        QCOMPARE(server->http().send("GET", u"/api/v1/admin/traces?limit=0"_s, {}, adminToken(*server)).status, 400);

        const QByteArray metrics = server->http().get(u"/metrics"_s).body;
        QVERIFY2(metrics.contains("\ntertulia_traces_started_total 1\n"), metrics.constData());
        QVERIFY2(metrics.contains("\ntertulia_traces_exported_total 1\n"), metrics.constData());
    }

    /*! Readers' clients report when they showed a traced message: its `message` event carries the trace id
     *  (an untraced one none), `displayed` from a session that was handed it is kept once per session (native
     *  and Socket.IO) in the ring and exported as a `displayed` span under the message's server span; a report
     *  from a session that never had it, or about an untraced message, changes nothing. */
    void displayedReports()
    {
        OtlpReceiver receiver;
        TracingConfig tracing;
        tracing.endpoint = receiver.endpoint();
        auto server = startServer(tracing);
        auto alice = member(*server, u"alice"_s, u"general"_s);
        auto bob = member(*server, u"bob"_s, u"general"_s);
        auto dan = member(*server, u"dan"_s, u"elsewhere"_s);
        QVERIFY(alice && bob && dan);
        SioClient erin(server->httpUrl());
        QVERIFY(erin.connect(QJsonObject{{L1("token"), server->login(u"erin"_s).accessToken}}).startsWith(u"40{"));
        QCOMPARE(erin.request(u"join"_s, QJsonObject{{L1("room"), u"general"_s}}).value(L1("type")).toString(), u"ok"_s);

        QCOMPARE(sendTraced(*alice, u"general"_s, u"traced"_s, kSampled), 1);
        QCOMPARE(sendTraced(*alice, u"general"_s, u"not traced"_s, {}), 2);
        const auto traceIn = [&](qint64 seq) -> std::optional<QString> {
            const auto event = bob->waitForEvent(Protocol::EventType::Message, [seq](const Protocol::Event &e) {
                return e.data.value(L1("seq")).toInteger() == seq;
            });
            return event ? std::optional(Protocol::Event::traceIdOf(event->data)) : std::nullopt;
        };
        QCOMPARE(traceIn(1), std::optional(kClientTrace));
        QCOMPARE(traceIn(2), std::optional(QString()));
        QVERIFY(erin.waitForEvents(u"message"_s, 2));
        QCOMPARE(erin.events(u"message"_s).first().at(1).toObject().value(L1("trace")).toString(), kClientTrace);
        QVERIFY(!erin.events(u"message"_s).last().at(1).toObject().contains(L1("trace")));
        QCOMPARE(traceOf(*server, u"general"_s, 1).status, 200);

        const auto report = [](WsClient &client, qint64 seq) {
            const Protocol::Reply reply = client.request(Protocol::Request::displayed({}, {u"General"_s, seq}));
            return reply.isOk() ? std::optional(reply.data.value(L1("recorded")).toBool()) : std::nullopt;
        };
        QCOMPARE(report(*bob, 1), std::optional(true));
        QCOMPARE(report(*bob, 1), std::optional(true)); // again: kept once
        QCOMPARE(report(*dan, 1), std::optional(false)); // never handed it
        QCOMPARE(report(*bob, 2), std::optional(false)); // not traced
        QCOMPARE(report(*bob, 99), std::optional(false));
        const QJsonObject ack = erin.request(u"displayed"_s, QJsonObject{{L1("room"), u"general"_s}, {L1("seq"), 1}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(ack.value(L1("data")).toObject().value(L1("recorded")).toBool(), true);
        QCOMPARE(bob->request(Protocol::Request::displayed({}, {u"general"_s, 0})).error.value_or(Protocol::Error{}).code,
                 Protocol::ErrorCode::BadRequest);

        // In the ring: two sessions showed it, after it was delivered to them.
        const HttpResult kept = traceOf(*server, u"general"_s, 1);
        QCOMPARE(kept.status, 200);
        QCOMPARE(kept.json.value(L1("displayed")).toInt(), 2);
        QHash<qint64, double> deliveredAt;
        for (const QJsonValue &delivery : kept.json.value(L1("deliveries")).toArray())
            deliveredAt.insert(delivery[L1("connection")].toInteger(), delivery[L1("at_ms")].toDouble());
        QSet<QString> shownTo;
        for (const QJsonValue &display : kept.json.value(L1("displays")).toArray()) {
            shownTo.insert(display[L1("user")].toString());
            const qint64 connection = display[L1("connection")].toInteger();
            QVERIFY(deliveredAt.contains(connection));
            QVERIFY(display[L1("at_ms")].toDouble() >= deliveredAt.value(connection));
        }
        QCOMPARE(shownTo, (QSet<QString>{u"bob"_s, u"erin"_s}));

        // At the collector: one `displayed` span per report, under the message's server span, a point in time.
        const auto displayedSpans = [&] {
            QList<QJsonObject> found;
            for (const QJsonObject &span : receiver.spans()) {
                if (span.value(L1("name")).toString() == u"displayed"_s)
                    found.append(span);
            }
            return found;
        };
        QTRY_COMPARE_WITH_TIMEOUT(displayedSpans().size(), 2, 10000);
        const QString rootSpan = receiver.traceSpans(kClientTrace).value(u"chat.send"_s).value(L1("spanId")).toString();
        QVERIFY(!rootSpan.isEmpty());
        QSet<QString> exportedFor;
        for (const QJsonObject &span : displayedSpans()) {
            QCOMPARE(span.value(L1("traceId")).toString(), kClientTrace);
            QCOMPARE(span.value(L1("parentSpanId")).toString(), rootSpan);
            QCOMPARE(startOf(span), endOf(span));
            exportedFor.insert(attribute(span, u"tertulia.user"_s));
        }
        QCOMPARE(exportedFor, (QSet<QString>{u"bob"_s, u"erin"_s}));
        // The report did not send the rest of the trace again.
        int roots = 0;
        for (const QJsonObject &span : receiver.spans())
            roots += span.value(L1("name")).toString() == u"chat.send"_s;
        QCOMPARE(roots, 1);
    }

    /*! What is traced: a sampled client context (native envelope or Socket.IO data), a room traced always;
     *  not an untraced message, an unsampled context, or an invalid one (which changes nothing else). A
     *  refused send that is traced ends with an error status. */
    void whatIsTraced()
    {
        OtlpReceiver receiver;
        TracingConfig tracing;
        tracing.endpoint = receiver.endpoint();
        tracing.rooms = {u"Debug"_s};
        auto server = startServer(tracing);
        auto alice = member(*server, u"alice"_s, u"general"_s);
        QVERIFY(alice);
        QVERIFY(alice->request(Protocol::Request::createRoom({}, {u"debug"_s, false})).isOk());
        QVERIFY(alice->request(Protocol::Request::createRoom({}, {u"secret"_s, true})).isOk());

        QCOMPARE(sendTraced(*alice, u"general"_s, u"plain"_s, {}), 1);
        QCOMPARE(sendTraced(*alice, u"general"_s, u"unsampled"_s,
                            u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"_s), 2);
        QCOMPARE(sendTraced(*alice, u"general"_s, u"invalid"_s, u"junk"_s), 3);
        QCOMPARE(sendTraced(*alice, u"debug"_s, u"always"_s, {}), 1);

        SioClient bob(server->httpUrl());
        QVERIFY(bob.connect(QJsonObject{{L1("token"), server->login(u"bob"_s).accessToken}}).startsWith(u"40{"));
        QCOMPARE(bob.request(u"join"_s, QJsonObject{{L1("room"), u"general"_s}}).value(L1("type")).toString(), u"ok"_s);
        const QString bobTrace = u"0af7651916cd43dd8448eb211c80319c"_s;
        const QJsonObject ack = bob.request(u"send"_s, QJsonObject{{L1("room"), u"general"_s},
                                                                   {L1("text"), u"from socket.io"_s},
                                                                   {L1("client_msg_id"), u"b1"_s},
                                                                   {L1("traceparent"), u"00-%1-b7ad6b7169203331-01"_s.arg(bobTrace)}});
        QCOMPARE(ack.value(L1("type")).toString(), u"ok"_s);
        QCOMPARE(ack.value(L1("data")).toObject().value(L1("seq")).toInteger(), 4);

        // A traced send into a room bob may not see: refused as usual, and the trace says so.
        const QString refusedTrace = u"11111111111111111111111111111111"_s;
        const QJsonObject refused = bob.request(u"send"_s, QJsonObject{{L1("room"), u"secret"_s},
                                                                       {L1("text"), u"x"_s},
                                                                       {L1("client_msg_id"), u"b2"_s},
                                                                       {L1("traceparent"), u"00-%1-b7ad6b7169203331-01"_s.arg(refusedTrace)}});
        QCOMPARE(refused.value(L1("type")).toString(), u"error"_s);

        QTRY_VERIFY_WITH_TIMEOUT(receiver.traceSpans(bobTrace).size() == 5 && receiver.traceSpans(refusedTrace).size() == 1, 10000);
        const QJsonObject refusedRoot = receiver.traceSpans(refusedTrace).value(u"chat.send"_s);
        QCOMPARE(refusedRoot.value(L1("status")).toObject().value(L1("code")).toInt(), 2);

        QCOMPARE(traceOf(*server, u"general"_s, 1).status, 404);
        QCOMPARE(traceOf(*server, u"general"_s, 2).status, 404);
        QCOMPARE(traceOf(*server, u"general"_s, 3).status, 404);
        const HttpResult always = traceOf(*server, u"debug"_s, 1);
        QCOMPARE(always.status, 200);
        QVERIFY(!always.json.contains(L1("parent_span_id")));
        QCOMPARE(always.json.value(L1("trace_id")).toString().size(), 32);
        const HttpResult fromBob = traceOf(*server, u"general"_s, 4);
        QCOMPARE(fromBob.status, 200);
        QCOMPARE(fromBob.json.value(L1("trace_id")).toString(), bobTrace);
        QCOMPARE(fromBob.json.value(L1("sender")).toString(), u"bob"_s);
        // Three traces were exported in all, each once.
        QTRY_COMPARE_WITH_TIMEOUT(receiver.spans().size(), 5 + 5 + 1, 10000);
        // Every message reached alice, traced or not.
        QTRY_COMPARE_WITH_TIMEOUT(alice->messages(u"general"_s).size(), 4, 10000);
    }

    /*! A collector that refuses or is gone costs nothing but a count: messages go on, failures show in
     *  /metrics, and exports resume when it answers again. */
    void collectorFailuresAreCounted()
    {
        OtlpReceiver receiver;
        receiver.status = 503;
        TracingConfig tracing;
        tracing.endpoint = receiver.endpoint();
        tracing.ratio = 1;
        auto server = startServer(tracing);
        auto alice = member(*server, u"alice"_s, u"general"_s);
        QVERIFY(alice);
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"the collector at .* did not take 1 traces: HTTP 503"_s));
        QCOMPARE(sendTraced(*alice, u"general"_s, u"one"_s, {}), 1);
        QTRY_VERIFY_WITH_TIMEOUT(server->http().get(u"/metrics"_s).body.contains("\ntertulia_traces_export_failed_total 1\n"),
                                 10000);
        receiver.status = 200;
        QCOMPARE(sendTraced(*alice, u"general"_s, u"two"_s, {}), 2);
        QTRY_VERIFY_WITH_TIMEOUT(server->http().get(u"/metrics"_s).body.contains("\ntertulia_traces_exported_total 1\n"),
                                 10000);
        QCOMPARE(traceOf(*server, u"general"_s, 1).status, 200); // the ring kept both all along
        QCOMPARE(traceOf(*server, u"general"_s, 2).status, 200);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestTracing)
#include "tst_tracing.moc"
