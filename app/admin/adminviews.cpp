#include "app/admin/adminviews.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTimeZone>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Tertulia::Admin {

using L1 = QLatin1StringView;

std::optional<Connection> Connection::fromJson(const QJsonObject &json)
{
    bool ok = false;
    const quint64 id = json.value(L1("id")).toString().toULongLong(&ok);
    if (!ok)
        return std::nullopt;
    Connection c;
    c.id = id;
    c.user = json.value(L1("user")).toString();
    c.state = json.value(L1("state")).toString();
    c.address = json.value(L1("address")).toString();
    c.protocol = json.value(L1("protocol")).toString();
    c.transport = json.value(L1("transport")).toString();
    c.connectedAt = QDateTime::fromMSecsSinceEpoch(qint64(json.value(L1("connected_at")).toDouble()), QTimeZone::utc());
    if (json.value(L1("rtt_ms")).isDouble())
        c.rttMs = json.value(L1("rtt_ms")).toDouble();
    c.queuedBytes = qint64(json.value(L1("queued_bytes")).toDouble());
    c.rooms = json.value(L1("rooms")).toInt();
    c.node = json.value(L1("node")).toString();
    c.key = json.value(L1("key")).toString();
    return c;
}

std::optional<Room> Room::fromJson(const QJsonObject &json)
{
    const QString name = json.value(L1("name")).toString();
    if (name.isEmpty())
        return std::nullopt;
    const QJsonValue members = json.value(L1("members"));
    return Room{name,
                json.value(L1("private")).toBool(),
                json.value(L1("creator")).toString(),
                members.isArray() ? int(members.toArray().size()) : members.toInt(),
                json.value(L1("online_members")).isArray() ? int(json.value(L1("online_members")).toArray().size())
                                                           : json.value(L1("online_members")).toInt(),
                json.value(L1("connections")).toInt(),
                qint64(json.value(L1("last_seq")).toDouble()),
                json.value(L1("title")).toString(),
                json.value(L1("topic")).toString(),
                json.value(L1("archived")).toBool(),
                std::max(0.0, json.value(L1("messages_per_second")).toDouble())};
}

namespace {
QDateTime untilOf(const QJsonValue &ms)
{
    const qint64 value = qint64(ms.toDouble());
    return value > 0 ? QDateTime::fromMSecsSinceEpoch(value, QTimeZone::utc()) : QDateTime();
}
} // namespace

std::optional<RoomMember> RoomMember::fromJson(const QJsonObject &json)
{
    const QString user = json.value(L1("user")).toString();
    if (user.isEmpty())
        return std::nullopt;
    RoomMember member{user, json.value(L1("role")).toString(u"member"_s), json.value(L1("online")).toBool(),
                      json.value(L1("muted")).toBool(), false, {}};
    if (member.muted)
        member.until = untilOf(json.value(L1("muted_until")));
    return member;
}

QList<RoomMember> RoomMember::merge(const QJsonObject &members, const QJsonObject &sanctions)
{
    QList<RoomMember> rows = listFromJson<RoomMember>(members, L1("members"));
    for (const QJsonValue &value : sanctions.value(L1("sanctions")).toArray()) {
        const QJsonObject sanction = value.toObject();
        const QString user = sanction.value(L1("user")).toString();
        if (user.isEmpty() || sanction.value(L1("kind")).toString() != u"ban")
            continue;
        // The sanctions are read after the members: a ban that came in between (it takes the member out of the
        // room) leaves the user listed once, as banned, not also as the member they were a moment before.
        rows.removeIf([&user](const RoomMember &row) { return !row.banned && row.user == user; });
        rows.append(RoomMember{user, QString(), false, false, true, untilOf(sanction.value(L1("until")))});
    }
    return rows;
}

std::optional<User> User::fromJson(const QJsonObject &json)
{
    const QString name = json.value(L1("name")).toString();
    if (name.isEmpty())
        return std::nullopt;
    return User{name,
                json.value(L1("admin")).toBool(),
                json.value(L1("online")).toBool(),
                json.value(L1("connections")).toInt(),
                json.value(L1("logins")).toInt(),
                json.value(L1("disabled")).toBool()};
}

std::optional<AuditEntry> AuditEntry::fromJson(const QJsonObject &json)
{
    const QJsonValue id = json.value(L1("id"));
    if (!id.isDouble() || id.toDouble() <= 0)
        return std::nullopt;
    AuditEntry entry;
    entry.id = qint64(id.toDouble());
    entry.at = QDateTime::fromMSecsSinceEpoch(qint64(json.value(L1("at")).toDouble()), QTimeZone::utc());
    entry.actor = json.value(L1("actor")).toString();
    entry.action = json.value(L1("action")).toString();
    entry.target = json.value(L1("target")).toString();
    entry.room = json.value(L1("room")).toString();
    entry.reason = json.value(L1("reason")).toString();
    entry.detail = json.value(L1("detail")).toString();
    return entry;
}

AuditPage AuditPage::fromJson(const QJsonObject &json)
{
    AuditPage page;
    page.entries = listFromJson<AuditEntry>(json, L1("audit"));
    page.more = json.value(L1("more")).toBool();
    page.nextBefore = qint64(json.value(L1("next_before")).toDouble());
    return page;
}

QList<AuditEntry> AuditPage::merge(const QList<AuditEntry> &newest, const QList<AuditEntry> &loaded)
{
    QList<AuditEntry> all = newest;
    const qint64 oldestNew = newest.isEmpty() ? std::numeric_limits<qint64>::max() : newest.constLast().id;
    for (const AuditEntry &entry : loaded) {
        if (entry.id < oldestNew)
            all.append(entry);
    }
    std::stable_sort(all.begin(), all.end(), [](const AuditEntry &a, const AuditEntry &b) { return a.id > b.id; });
    return all;
}

std::optional<Trace> Trace::fromJson(const QJsonObject &json)
{
    Trace trace;
    trace.traceId = json.value(L1("trace_id")).toString();
    trace.room = json.value(L1("room")).toString();
    if (trace.traceId.isEmpty() || trace.room.isEmpty())
        return std::nullopt;
    trace.node = json.value(L1("node")).toString();
    trace.originNode = json.value(L1("origin_node")).toString();
    const QJsonValue seq = json.value(L1("seq"));
    trace.seq = seq.isDouble() && seq.toDouble() >= 1 ? qint64(seq.toDouble()) : 0;
    trace.sender = json.value(L1("sender")).toString();
    trace.connection = quint64(std::max(0.0, json.value(L1("connection")).toDouble()));
    trace.duplicate = json.value(L1("duplicate")).toBool();
    trace.error = json.value(L1("error")).toString();
    static constexpr const char *stageKeys[kStages] = {"received_ms",  "validated_ms", "committed_ms", "published_ms",
                                                       "routed_ms",    "delivered_ms", "acked_ms"};
    for (int i = 0; i < kStages; ++i) {
        const QJsonValue value = json.value(QLatin1StringView(stageKeys[i]));
        if (value.isDouble())
            trace.stageMs[i] = value.toDouble();
    }
    trace.delivered = json.value(L1("delivered")).toInt();
    trace.queued = json.value(L1("queued")).toInt();
    for (const QJsonValue &value : json.value(L1("deliveries")).toArray()) {
        const QJsonObject d = value.toObject();
        if (d.isEmpty())
            continue;
        trace.deliveries.append({quint64(std::max(0.0, d.value(L1("connection")).toDouble())),
                                 d.value(L1("user")).toString(), d.value(L1("protocol")).toString(),
                                 d.value(L1("at_ms")).toDouble(), qint64(d.value(L1("queued_behind_bytes")).toDouble())});
    }
    for (const QJsonValue &value : json.value(L1("displays")).toArray()) {
        const QJsonObject shown = value.toObject();
        const quint64 connection = quint64(std::max(0.0, shown.value(L1("connection")).toDouble()));
        for (TraceDelivery &delivery : trace.deliveries) {
            if (delivery.connection == connection && shown.value(L1("at_ms")).isDouble())
                delivery.displayedAtMs = shown.value(L1("at_ms")).toDouble();
        }
    }
    trace.displayed = json.value(L1("displayed")).toInt();
    for (const QJsonValue &value : json.value(L1("offline")).toArray()) {
        if (value.isString())
            trace.offline.append(value.toString());
    }
    trace.offlineCount = std::max(json.value(L1("offline_count")).toInt(), int(trace.offline.size()));
    return trace;
}

std::optional<double> Trace::startMs() const
{
    if (const auto received = at(Stage::Received))
        return received;
    return isRelayed() ? at(Stage::Routed) : std::nullopt;
}

std::optional<double> Trace::totalMs() const
{
    const auto start = startMs();
    if (!start)
        return std::nullopt;
    double last = *start;
    for (const auto &stage : stageMs) {
        if (stage)
            last = std::max(last, *stage);
    }
    return last - *start;
}

QDateTime Trace::receivedAt() const
{
    const auto start = startMs();
    return start ? QDateTime::fromMSecsSinceEpoch(qint64(*start), QTimeZone::utc()) : QDateTime();
}

TraceList TraceList::fromJson(const QJsonObject &json)
{
    TraceList list;
    list.traces = listFromJson<Trace>(json, L1("traces"));
    list.kept = json.value(L1("kept")).toInt();
    list.capacity = json.value(L1("capacity")).toInt();
    return list;
}

QString jsonObjectError(const QByteArray &body, QJsonObject *object)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QCoreApplication::translate("Tertulia::Admin", "The server's answer is not JSON: %1 (at byte %2).")
            .arg(error.errorString())
            .arg(error.offset);
    if (!document.isObject())
        return QCoreApplication::translate("Tertulia::Admin", "The server's answer is not a JSON object.");
    *object = document.object();
    return {};
}

template<typename View>
QList<View> listFromJson(const QJsonObject &json, QLatin1StringView key)
{
    QList<View> views;
    for (const QJsonValue &value : json.value(key).toArray()) {
        if (auto view = View::fromJson(value.toObject()))
            views.append(std::move(*view));
    }
    return views;
}
template QList<Connection> listFromJson<Connection>(const QJsonObject &, QLatin1StringView);
template QList<Room> listFromJson<Room>(const QJsonObject &, QLatin1StringView);
template QList<RoomMember> listFromJson<RoomMember>(const QJsonObject &, QLatin1StringView);
template QList<User> listFromJson<User>(const QJsonObject &, QLatin1StringView);
template QList<AuditEntry> listFromJson<AuditEntry>(const QJsonObject &, QLatin1StringView);
template QList<Trace> listFromJson<Trace>(const QJsonObject &, QLatin1StringView);

MetricsScrape MetricsScrape::parse(const QByteArray &text, const QDateTime &at)
{
    MetricsScrape scrape;
    scrape.at = at;
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &whole : lines) {
        const QByteArrayView line = QByteArrayView(whole).trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        // "series value [timestamp]": the series may hold spaces only inside quoted label values.
        const qsizetype close = line.lastIndexOf('}');
        const qsizetype space = line.indexOf(' ', close < 0 ? 0 : close);
        if (space <= 0)
            continue;
        QByteArrayView rest = line.sliced(space + 1).trimmed();
        if (const qsizetype more = rest.indexOf(' '); more >= 0)
            rest = rest.first(more);
        bool ok = false;
        const double value = rest.toByteArray().toDouble(&ok);
        if (ok)
            scrape.samples.insert(QString::fromUtf8(line.first(space)), value);
    }
    return scrape;
}

std::optional<double> MetricsScrape::value(const QString &series) const
{
    const auto it = samples.constFind(series);
    return it == samples.cend() ? std::nullopt : std::optional<double>(*it);
}

namespace {
/// The mean of a histogram's observations between two scrapes, in ms.
std::optional<double> meanMsBetween(const MetricsScrape &earlier, const MetricsScrape &later, const QString &name)
{
    const auto sum0 = earlier.value(name + u"_sum"_s), sum1 = later.value(name + u"_sum"_s);
    const auto count0 = earlier.value(name + u"_count"_s), count1 = later.value(name + u"_count"_s);
    if (!sum0 || !sum1 || !count0 || !count1 || *count1 <= *count0)
        return std::nullopt;
    return (*sum1 - *sum0) / (*count1 - *count0) * 1000.0;
}
} // namespace

std::optional<Activity> Activity::between(const MetricsScrape &earlier, const MetricsScrape &later)
{
    const double seconds = double(earlier.at.msecsTo(later.at)) / 1000.0;
    const auto received0 = earlier.value(u"tertulia_messages_received_total"_s);
    const auto received1 = later.value(u"tertulia_messages_received_total"_s);
    if (seconds <= 0 || !received0 || !received1 || *received1 < *received0)
        return std::nullopt;
    Activity activity;
    activity.at = later.at;
    activity.connections = later.value(u"tertulia_connections_active"_s).value_or(0);
    activity.messagesPerSecond = (*received1 - *received0) / seconds;
    activity.deliveryMs = meanMsBetween(earlier, later, u"tertulia_delivery_latency_seconds"_s);
    activity.pingRttMs = meanMsBetween(earlier, later, u"tertulia_ping_rtt_seconds"_s);
    return activity;
}

} // namespace Tertulia::Admin
