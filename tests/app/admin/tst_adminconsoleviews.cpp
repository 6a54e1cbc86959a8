// The admin console's pure parts: the admin API's JSON read into views (bad entries left out), /metrics read
// as series and values, and the activity between two readings (rates, histogram means, a restart).
#include "app/admin/adminviews.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTimeZone>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace Tertulia;
using namespace Tertulia::Admin;

namespace {
QJsonObject objectOf(const char *json) { return QJsonDocument::fromJson(json).object(); }

const QDateTime kStart = QDateTime::fromMSecsSinceEpoch(1'765'000'000'000, QTimeZone::utc());

MetricsScrape scrape(qint64 afterMs, double received, double sessions, double deliverySum, double deliveryCount)
{
    const QByteArray text = QByteArray("# HELP tertulia_messages_received_total Messages.\n"
                                       "# TYPE tertulia_messages_received_total counter\n")
                            + "tertulia_messages_received_total " + QByteArray::number(received) + "\n"
                            + "tertulia_connections_active " + QByteArray::number(sessions) + "\n"
                            + "tertulia_delivery_latency_seconds_sum " + QByteArray::number(deliverySum) + "\n"
                            + "tertulia_delivery_latency_seconds_count " + QByteArray::number(deliveryCount) + "\n";
    return MetricsScrape::parse(text, kStart.addMSecs(afterMs));
}
} // namespace

class TestAdminConsoleViews : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! The lists as the server writes them (docs/administration.md); entries without their key are left out. */
    void readsLists()
    {
        const QJsonObject connections = objectOf(R"({"count":3,"connections":[
            {"id":"12","user":"alice","state":"ready","address":"203.0.113.7","protocol":"native","transport":"fastpath",
             "connected_at":1765000000000,"rtt_ms":1.5,"queued_bytes":2048,"rooms":2},
            {"id":"13","user":null,"state":"awaiting_auth","address":"203.0.113.8","protocol":"socket.io",
             "transport":"polling","connected_at":1765000001000,"rtt_ms":null,"queued_bytes":0,"rooms":0,
             "node":"n2","key":"n2:13"},
            {"id":"not a number"}]})");
        const QList<Connection> list = listFromJson<Connection>(connections, QLatin1StringView("connections"));
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).id, 12u);
        QCOMPARE(list.at(0).user, u"alice"_s);
        QCOMPARE(list.at(0).transport, u"fastpath"_s);
        QCOMPARE(list.at(0).connectedAt, kStart);
        QCOMPARE(list.at(0).rttMs, std::optional(1.5));
        QCOMPARE(list.at(0).queuedBytes, 2048);
        QCOMPARE(list.at(0).rooms, 2);
        QVERIFY(list.at(1).user.isEmpty());
        QVERIFY(!list.at(1).rttMs);
        // Which node (several share a database) and the key a disconnect takes; a server that does not say
        // (before keys) is disconnected by the bare id.
        QVERIFY(list.at(0).node.isEmpty());
        QCOMPARE(list.at(0).ref(), u"12"_s);
        QCOMPARE(list.at(1).node, u"n2"_s);
        QCOMPARE(list.at(1).ref(), u"n2:13"_s);

        const QList<Room> rooms = listFromJson<Room>(
            objectOf(R"({"rooms":[{"name":"general","private":false,"creator":"ana","members":5,"online_members":2,
                                    "connections":3,"last_seq":40},{"private":true}]})"),
            QLatin1StringView("rooms"));
        QCOMPARE(rooms, (QList<Room>{Room{u"general"_s, false, u"ana"_s, 5, 2, 3, 40}}));
        const QList<User> users = listFromJson<User>(
            objectOf(R"({"users":[{"name":"root","admin":true,"online":true,"connections":1,"logins":2}]})"),
            QLatin1StringView("users"));
        QCOMPARE(users, (QList<User>{User{u"root"_s, true, true, 1, 2}}));
        QVERIFY(listFromJson<User>(objectOf(R"({"users":"no"})"), QLatin1StringView("users")).isEmpty());

        // A room's settings and message rate (issue 13); a negative rate is nonsense, read as none.
        const QList<Room> withSettings = listFromJson<Room>(
            objectOf(R"({"rooms":[{"name":"plaza","title":"La plaza","topic":"fiestas","archived":true,
                                    "messages_per_second":0.25},{"name":"odd","messages_per_second":-3}]})"),
            QLatin1StringView("rooms"));
        QCOMPARE(withSettings.size(), 2);
        QCOMPARE(withSettings.at(0).title, u"La plaza"_s);
        QCOMPARE(withSettings.at(0).topic, u"fiestas"_s);
        QVERIFY(withSettings.at(0).archived);
        QCOMPARE(withSettings.at(0).messagesPerSecond, 0.25);
        QCOMPARE(withSettings.at(1).messagesPerSecond, 0.0);
    }

    /*! A room's people: its members with their roles and mutes (GET members), then its banned users (GET
     *  sanctions; its mutes are already in the member list); entries without a user are left out. */
    void readsRoomMembers()
    {
        const QList<RoomMember> rows = RoomMember::merge(
            objectOf(R"({"room":"plaza","members":[
                {"user":"ana","role":"owner","online":true,"muted":false},
                {"user":"beto","role":"moderator","online":false,"muted":true,"muted_until":1765000000000},
                {"user":"cris","muted":true},
                {"role":"member"}]})"),
            objectOf(R"({"room":"plaza","sanctions":[
                {"user":"dani","kind":"ban","by":"ana","until":0},
                {"user":"beto","kind":"mute","by":"ana","until":1765000000000},
                {"kind":"ban"}]})"));
        QCOMPARE(rows.size(), 4);
        QCOMPARE(rows.at(0), (RoomMember{u"ana"_s, u"owner"_s, true, false, false, {}}));
        QCOMPARE(rows.at(1), (RoomMember{u"beto"_s, u"moderator"_s, false, true, false, kStart}));
        QCOMPARE(rows.at(2), (RoomMember{u"cris"_s, u"member"_s, false, true, false, {}})); // muted until lifted
        QCOMPARE(rows.at(3), (RoomMember{u"dani"_s, QString(), false, false, true, {}}));
        QVERIFY(RoomMember::merge(objectOf("{}"), objectOf("{}")).isEmpty());
        // Banned between the two reads: listed once, as banned.
        const QList<RoomMember> bannedMeanwhile = RoomMember::merge(
            objectOf(R"({"members":[{"user":"ana","role":"owner"},{"user":"eva","role":"member"}]})"),
            objectOf(R"({"sanctions":[{"user":"eva","kind":"ban","by":"ana","until":0}]})"));
        QCOMPARE(bannedMeanwhile.size(), 2);
        QCOMPARE(bannedMeanwhile.at(1), (RoomMember{u"eva"_s, QString(), false, false, true, {}}));
    }

    /*! The audit log's page (docs/administration.md, GET audit): lines without an id are left out, `disabled`
     *  of a user is read; a newest page merged in front of what was paged in keeps one line per id, newest first. */
    void readsAuditAndMerges()
    {
        const QList<User> users = listFromJson<User>(
            objectOf(R"({"users":[{"name":"bob","admin":false,"online":false,"connections":0,"logins":0,"disabled":true}]})"),
            QLatin1StringView("users"));
        QCOMPARE(users.size(), 1);
        QVERIFY(users.first().disabled);
        const Admin::AuditPage page = Admin::AuditPage::fromJson(objectOf(R"({"audit":[
            {"id":42,"at":1765000000000,"actor":"bob","action":"ban","target":"carol","room":"general","reason":"spam",
             "detail":"until=1795746800000"},
            {"id":41,"at":1765000001000,"actor":"root","action":"set_admin","target":"dave","room":"","reason":"",
             "detail":"admin=true"},
            {"action":"no id"}],"count":2,"more":true,"next_before":41})"));
        QCOMPARE(page.entries.size(), 2);
        QVERIFY(page.more);
        QCOMPARE(page.nextBefore, 41);
        QCOMPARE(page.entries.at(0).id, 42);
        QCOMPARE(page.entries.at(0).at, kStart);
        QCOMPARE(page.entries.at(0).room, u"general"_s);
        QCOMPARE(page.entries.at(0).reason, u"spam"_s);
        QCOMPARE(page.entries.at(1).detail, u"admin=true"_s);

        Admin::AuditEntry older;
        older.id = 40;
        Admin::AuditEntry newer;
        newer.id = 43;
        // Loaded: 42, 41 (newest page before) and 40 (paged back); the new newest page is 43, 42.
        const QList<Admin::AuditEntry> merged =
            Admin::AuditPage::merge({newer, page.entries.at(0)}, {page.entries.at(0), page.entries.at(1), older});
        QList<qint64> ids;
        for (const auto &entry : merged)
            ids << entry.id;
        QCOMPARE(ids, (QList<qint64>{43, 42, 41, 40}));
        QCOMPARE(Admin::AuditPage::merge({}, {older}).size(), 1);
    }

    /*! A trace as the admin API writes it (docs/administration.md#delivery-traces): stages, deliveries written
        or queued, the offline members; a refused send (seq null) and stages not reached. */
    void readsTraces()
    {
        const QJsonObject json = objectOf(R"({"traces":[
            {"trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"9c1f0e4d2b7a6e51","node":"n1","room":"general",
             "seq":7,"sender":"alice","connection":3,"duplicate":false,
             "received_ms":1765000000000.5,"validated_ms":1765000000000.75,"committed_ms":1765000000002.5,
             "published_ms":1765000000002.625,"routed_ms":1765000000002.75,"delivered_ms":1765000000003.5,
             "acked_ms":1765000000003.0,"delivered":2,"queued":1,
             "deliveries":[{"connection":3,"user":"alice","protocol":"native","at_ms":1765000000003.0,"queued_behind_bytes":0},
                           {"connection":5,"user":"bob","protocol":"socket.io","at_ms":1765000000003.25,"queued_behind_bytes":4096},
                           "not an object"],
             "offline":["carol", 12],"offline_count":1500,
             "displayed":2,"displays":[{"connection":5,"user":"bob","at_ms":1765000001003.25},{"connection":9,"at_ms":1},
                                       {"connection":3,"at_ms":"soon"}]},
            {"trace_id":"00000000000000000000000000000001","room":"general","seq":null,"sender":"bob",
             "error":"too_large","received_ms":1765000000010.0,"validated_ms":null},
            {"room":"no trace id"}, "not an object"],"kept":2,"capacity":1024})");
        const TraceList list = TraceList::fromJson(json);
        QCOMPARE(list.kept, 2);
        QCOMPARE(list.capacity, 1024);
        QCOMPARE(list.traces.size(), 2);
        const Trace &trace = list.traces.at(0);
        QCOMPARE(trace.traceId, u"4bf92f3577b34da6a3ce929d0e0e4736"_s);
        QCOMPARE(trace.seq, 7);
        QCOMPARE(trace.sender, u"alice"_s);
        QCOMPARE(trace.connection, 3u);
        QCOMPARE(trace.at(Trace::Stage::Committed), std::optional(1765000000002.5));
        QCOMPARE(trace.at(Trace::Stage::Answered), std::optional(1765000000003.0));
        QCOMPARE(trace.totalMs(), std::optional(3.0)); // received → delivered, the last stage
        QCOMPARE(trace.receivedAt(), kStart);
        QCOMPARE(trace.delivered, 2);
        QCOMPARE(trace.queued, 1);
        QCOMPARE(trace.deliveries.size(), 2);
        QCOMPARE(trace.deliveries.at(1).user, u"bob"_s);
        QCOMPARE(trace.deliveries.at(1).connection, 5u);
        QCOMPARE(trace.deliveries.at(1).queuedBehindBytes, 4096);
        QCOMPARE(trace.deliveries.at(1).atMs, 1765000000003.25);
        // Shown: by the sessions it was handed to, as reported (one not handed it, or without a time, is not).
        QCOMPARE(trace.deliveries.at(1).displayedAtMs, std::optional(1765000001003.25));
        QVERIFY(!trace.deliveries.at(0).displayedAtMs);
        QCOMPARE(trace.displayed, 2);
        QCOMPARE(trace.offline, QStringList{u"carol"_s});
        QCOMPARE(trace.offlineCount, 1500); // all of them, not only those listed

        const Trace &refused = list.traces.at(1);
        QCOMPARE(refused.seq, 0);
        QCOMPARE(refused.error, u"too_large"_s);
        QVERIFY(!refused.at(Trace::Stage::Validated));
        QCOMPARE(refused.totalMs(), std::optional(0.0));
        QVERIFY(refused.deliveries.isEmpty());

        // Not a trace: no received time, no total.
        const auto bare = Trace::fromJson(objectOf(R"({"trace_id":"ab","room":"r"})"));
        QVERIFY(bare);
        QVERIFY(!bare->totalMs());
        QVERIFY(!bare->receivedAt().isValid());
        QVERIFY(!Trace::fromJson(objectOf(R"({"trace_id":"ab"})")));
        QVERIFY(!Trace::fromJson({}));
        // Wrong types everywhere read as nothing, never as a crash.
        const auto odd = Trace::fromJson(objectOf(R"({"trace_id":"ab","room":"r","seq":"7","deliveries":{"a":1},
                                                      "offline":"carol","received_ms":"x","connection":-4})"));
        QVERIFY(odd);
        QCOMPARE(odd->seq, 0);
        QVERIFY(odd->deliveries.isEmpty());
        QVERIFY(odd->offline.isEmpty());
        QCOMPARE(odd->connection, 0u);
        QVERIFY(!odd->at(Trace::Stage::Received));
    }

    /*! An answer that is not a JSON object is said so (where it broke), and nothing is read from it. */
    void malformedAnswers()
    {
        QJsonObject object;
        QCOMPARE(jsonObjectError(R"({"traces":[]})", &object), QString());
        QVERIFY(object.contains(u"traces"_s));
        for (const QByteArray &body : {QByteArray("{\"traces\": [1, 2"), QByteArray(""), QByteArray("<html>503</html>")}) {
            QJsonObject untouched;
            const QString error = jsonObjectError(body, &untouched);
            QVERIFY2(error.contains(u"not JSON"_s), qPrintable(error));
            QVERIFY(untouched.isEmpty());
        }
        QJsonObject none;
        QVERIFY(jsonObjectError("[1, 2]", &none).contains(u"not a JSON object"_s));
        QCOMPARE(TraceList::fromJson({}).traces.size(), 0);

        // Another node's part of a message received on n1 (a relayed trace): no stage before routing, so its
        // times count from routing; a node's own trace names itself as the origin.
        const auto relayed = Trace::fromJson(objectOf(R"({"trace_id":"cd","node":"n2","origin_node":"n1","room":"r",
            "seq":3,"sender":"ana","connection":null,"received_ms":null,"routed_ms":1765000000100.5,
            "delivered_ms":1765000000101.75,"delivered":1})"));
        QVERIFY(relayed);
        QVERIFY(relayed->isRelayed());
        QCOMPARE(relayed->originNode, u"n1"_s);
        QCOMPARE(relayed->connection, quint64(0));
        QCOMPARE(relayed->startMs(), std::optional(1765000000100.5));
        QCOMPARE(relayed->totalMs(), std::optional(1.25));
        QCOMPARE(relayed->receivedAt().toMSecsSinceEpoch(), qint64(1765000000100));
        const auto own = Trace::fromJson(objectOf(R"({"trace_id":"ef","node":"n1","origin_node":"n1","room":"r",
            "routed_ms":1765000000100.5})"));
        QVERIFY(own && !own->isRelayed());
        QVERIFY(!own->totalMs()); // its own trace without a received time: nothing to count from
    }

    /*! /metrics: comments skipped, labels kept in the series name (spaces inside quoted values too), an
     *  optional timestamp ignored, junk lines skipped. */
    void readsMetrics()
    {
        const MetricsScrape s = MetricsScrape::parse(
            "# HELP x y\n"
            "tertulia_connections_active 7\n"
            "tertulia_closes_total{reason=\"slow consumer\"} 3 1765000000000\n"
            "tertulia_node_info{node=\"n1\"} 1\n"
            "garbage\n"
            "tertulia_bad value\n"
            "\n",
            kStart);
        QCOMPARE(s.value(u"tertulia_connections_active"_s), std::optional(7.0));
        QCOMPARE(s.value(u"tertulia_closes_total{reason=\"slow consumer\"}"_s), std::optional(3.0));
        QCOMPARE(s.value(u"tertulia_node_info{node=\"n1\"}"_s), std::optional(1.0));
        QCOMPARE(s.samples.size(), 3);
        QVERIFY(!s.value(u"tertulia_bad"_s));
        QCOMPARE(s.at, kStart);
    }

    /*! Between two readings: messages per second, the mean delivery of the messages in between, the
     *  connections now; nothing comparable across a restart or at the same instant. */
    void activityBetweenReadings()
    {
        const auto activity = Activity::between(scrape(0, 100, 4, 0.5, 100), scrape(2000, 120, 5, 0.54, 120));
        QVERIFY(activity);
        QCOMPARE(activity->messagesPerSecond, 10.0);
        QCOMPARE(activity->connections, 5.0);
        QVERIFY(activity->deliveryMs);
        QVERIFY(qAbs(*activity->deliveryMs - 2.0) < 1e-9); // 0.04 s over 20 deliveries
        QVERIFY(!activity->pingRttMs);                       // no pong counted in between
        QCOMPARE(activity->at, kStart.addMSecs(2000));

        // No message in between: a rate of 0 and no latency.
        const auto quiet = Activity::between(scrape(0, 100, 4, 0.5, 100), scrape(1000, 100, 4, 0.5, 100));
        QVERIFY(quiet);
        QCOMPARE(quiet->messagesPerSecond, 0.0);
        QVERIFY(!quiet->deliveryMs);
        // The server restarted (counters went down), or the same instant: nothing to say.
        QVERIFY(!Activity::between(scrape(0, 100, 4, 0.5, 100), scrape(1000, 3, 1, 0, 3)));
        QVERIFY(!Activity::between(scrape(0, 100, 4, 0.5, 100), scrape(0, 101, 4, 0.5, 101)));
    }
};

QTEST_APPLESS_MAIN(TestAdminConsoleViews)
#include "tst_adminconsoleviews.moc"
