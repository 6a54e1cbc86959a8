#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace Tertulia::Admin {

/// One open connection of the server, as its admin API lists it (docs/administration.md).
struct Connection
{
    quint64 id = 0;
    QString user;                 ///< empty until it signed in
    QString state;                ///< "awaiting_auth", "ready", "closing"
    QString address;
    QString protocol;             ///< "native", "socket.io"
    QString transport;            ///< "websocket", "fastpath", "polling"
    QDateTime connectedAt;
    std::optional<double> rttMs;
    qint64 queuedBytes = 0;
    int rooms = 0;
    QString node{};               ///< the server node it is open on (several nodes share one database)
    QString key{};                ///< "<node>:<id>", unique across nodes; empty from a server that does not say

    /// What POST connections/{...}/disconnect takes for it: the key, or the id from an older server.
    QString ref() const { return key.isEmpty() ? QString::number(id) : key; }
    static std::optional<Connection> fromJson(const QJsonObject &json);
    friend bool operator==(const Connection &, const Connection &) = default;
};

struct Room
{
    QString name;
    bool isPrivate = false;
    QString creator;
    int members = 0;
    int onlineMembers = 0;
    int connections = 0;
    qint64 lastSeq = 0;
    // Settings and activity (issue 13); the API lists no direct conversations.
    QString title{};                 ///< display name; empty: none
    QString topic{};
    bool archived = false;
    double messagesPerSecond = 0;    ///< over the last minute, on the server's node

    static std::optional<Room> fromJson(const QJsonObject &json);
    friend bool operator==(const Room &, const Room &) = default;
};

/// Someone of a room as the console shows it (GET rooms/{room}/members, with GET rooms/{room}/sanctions): a
/// member with their role, or a banned user (no longer a member).
struct RoomMember
{
    QString user;
    QString role;                    ///< "owner", "moderator", "member"; empty for a banned user
    bool online = false;
    bool muted = false;
    bool banned = false;
    /// When the mute (or, for a banned user, the ban) ends; invalid: until lifted.
    QDateTime until{};

    static std::optional<RoomMember> fromJson(const QJsonObject &json);
    /// The members (GET members) and, after them, every banned user of the sanctions (GET sanctions).
    static QList<RoomMember> merge(const QJsonObject &members, const QJsonObject &sanctions);
    friend bool operator==(const RoomMember &, const RoomMember &) = default;
};

struct User
{
    QString name;
    bool isAdmin = false;
    bool online = false;
    int connections = 0;
    int logins = 0;
    bool disabled = false;   ///< an administrator disabled the account: it cannot sign in

    static std::optional<User> fromJson(const QJsonObject &json);
    friend bool operator==(const User &, const User &) = default;
};

/// One line of the audit log (GET audit): who did what to whom, where, why.
struct AuditEntry
{
    qint64 id = 0;
    QDateTime at;
    QString actor;
    QString action;   ///< "ban", "set_role", "disable_account", ...
    QString target;
    QString room;     ///< empty for actions that are not a room's
    QString reason;
    QString detail;   ///< "until=…", "role=moderator", "from=…"

    static std::optional<AuditEntry> fromJson(const QJsonObject &json);
    friend bool operator==(const AuditEntry &, const AuditEntry &) = default;
};

/// A page of the audit log, newest first; `nextBefore` asks for the page older than it when `more`.
struct AuditPage
{
    QList<AuditEntry> entries;
    bool more = false;
    qint64 nextBefore = 0;

    static AuditPage fromJson(const QJsonObject &json);
    /// The newest page read again in front of what was loaded (older pages paged in stay): one list by id,
    /// newest first, without duplicates.
    static QList<AuditEntry> merge(const QList<AuditEntry> &newest, const QList<AuditEntry> &loaded);
};

/// One session the traced message was handed to (GET traces): straight to the socket, or queued behind
/// bytes not yet sent.
struct TraceDelivery
{
    quint64 connection = 0;
    QString user;
    QString protocol;
    double atMs = 0;                ///< the node's wall clock, ms since the epoch
    qint64 queuedBehindBytes = 0;   ///< 0: written at once
    /// When that session's client reported showing it (`displayed`); none: not reported (yet).
    std::optional<double> displayedAtMs{};

    friend bool operator==(const TraceDelivery &, const TraceDelivery &) = default;
};

/// A message's delivery trace from the node's ring (docs/administration.md#delivery-traces): its stages as
/// times (none: not reached), who it was handed to, and the members offline, who get it on resume.
struct Trace
{
    /// The stages in the order a message goes through them.
    enum class Stage { Received, Validated, Committed, Published, Routed, Delivered, Answered };
    static constexpr int kStages = 7;

    QString traceId;
    QString node;
    /// The node that received the `send`; empty or `node` itself for this node's own trace. Another one: a
    /// relayed trace, this node's part of a message sent through another node (no received..published stages).
    QString originNode;
    QString room;
    qint64 seq = 0;                 ///< 0: refused or failed before it had one (see `error`)
    QString sender;
    quint64 connection = 0;
    bool duplicate = false;
    QString error;
    std::optional<double> stageMs[kStages];   ///< ms since the epoch, by Stage
    int delivered = 0;              ///< sessions handed the message (all of them; `deliveries` lists up to 1 000)
    int queued = 0;
    QList<TraceDelivery> deliveries;
    QStringList offline;
    int offlineCount = 0;
    int displayed = 0;              ///< sessions whose client reported showing it

    std::optional<double> at(Stage stage) const { return stageMs[int(stage)]; }
    bool isRelayed() const { return !originNode.isEmpty() && originNode != node; }
    /// The first stage this node saw: received, or for a relayed trace routed (ms since the epoch).
    std::optional<double> startMs() const;
    /// From the first stage seen (startMs()) to the last stage reached, in ms (none without a first stage).
    std::optional<double> totalMs() const;
    /// When this node first saw it (startMs()); invalid without a first stage.
    QDateTime receivedAt() const;

    /// nullopt when it is not a trace (no trace id, or no room).
    static std::optional<Trace> fromJson(const QJsonObject &json);
    friend bool operator==(const Trace &, const Trace &) = default;
};

/// GET traces: the newest traces first, and how full the ring is.
struct TraceList
{
    QList<Trace> traces;
    int kept = 0;
    int capacity = 0;

    static TraceList fromJson(const QJsonObject &json);
};

/// An answer body that is not a JSON object: why, for people (empty when it is one).
QString jsonObjectError(const QByteArray &body, QJsonObject *object);

/// The list under `key` of an admin API answer ({"connections": [...]}); entries that cannot be read are
/// left out.
template<typename View>
QList<View> listFromJson(const QJsonObject &json, QLatin1StringView key);

/// A scrape of /metrics: every sample by its series as written ("name" or "name{labels}"). Only what the
/// console draws is read from it; Prometheus's text format is lines of "series value", so a few lines of
/// parsing do (no Prometheus client library is packaged for Qt).
struct MetricsScrape
{
    QDateTime at;
    QHash<QString, double> samples;

    static MetricsScrape parse(const QByteArray &text, const QDateTime &at);
    std::optional<double> value(const QString &series) const;
};

/// What the console's charts show for the time between two scrapes.
struct Activity
{
    QDateTime at;
    double connections = 0;
    double messagesPerSecond = 0;
    std::optional<double> deliveryMs;   ///< mean delivery latency of the messages in between (none: no message)
    std::optional<double> pingRttMs;    ///< mean ping round trip in between (none: no pong)

    /// From two scrapes of one server, `earlier` first; nullopt when they cannot be compared (same time,
    /// or the counters went down: the server restarted).
    static std::optional<Activity> between(const MetricsScrape &earlier, const MetricsScrape &later);
};

} // namespace Tertulia::Admin
