#pragma once

#include "server/store/store.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>

namespace Tertulia::Admin {

/// What the admin API's JSON says about things, as plain values: built from the live server by AdminApi,
/// encoded here by pure functions (docs/administration.md has the field list; tst_adminviews checks it).

/// One open connection of this node (a Session), whatever its protocol and transport.
struct ConnectionView
{
    quint64 id = 0;              ///< the connection id of the logs ("conn=12")
    QString user;                ///< empty until it authenticated
    QString state;               ///< "awaiting_auth", "ready" or "closing"
    QString address;             ///< the client's address
    QString protocol;            ///< "native" or "socket.io"
    QString transport;           ///< "websocket", "fastpath" or "polling"
    qint64 connectedAtMs = 0;    ///< wall clock, ms since the epoch
    std::optional<qint64> rttMs; ///< the last ping's round trip, once one was answered
    qint64 queuedBytes = 0;      ///< accepted for sending, not yet written to the network
    int rooms = 0;               ///< rooms it receives live events of
    QString node{};              ///< the node it is open on (empty: not said; the API always says)

    /// With `node`: also `node` and `key` ("<node>:<id>", unique in a cluster; what disconnect takes).
    QJsonObject toJson() const;
};

/// One room: its record, and who of its members this node serves now.
struct RoomView
{
    QString name;
    bool isPrivate = false;
    QString creator;
    qint64 createdAtMs = 0;
    int members = 0;             ///< members of the room (every node)
    int onlineMembers = 0;       ///< members with an open connection on this node
    int connections = 0;         ///< connections on this node subscribed to the room
    qint64 lastSeq = 0;          ///< the sequence number of its last message (entry)
    // Settings and message rate (issue 13). Direct conversations are never listed (kind is always "room").
    QString title{};             ///< its display name; empty: none (shown as `name`)
    QString topic{};
    bool archived = false;
    qint64 messagesLastMinute = 0;   ///< messages routed on this node over the last 60 s

    QJsonObject toJson() const;
};

/// One member of a room (GET rooms/{room}/members): its role there, whether it is muted, online on this node.
struct MemberView
{
    QString user;                ///< as registered
    QString role;                ///< "owner", "moderator" or "member"
    bool online = false;         ///< has a connection on this node
    qint64 mutedUntil = -1;      ///< -1: not muted; 0: muted until lifted; else when the mute ends (ms)

    QJsonObject toJson() const;
};

/// One account.
struct UserView
{
    QString name;
    bool isAdmin = false;
    qint64 createdAtMs = 0;
    bool online = false;         ///< has an authenticated connection on this node
    int connections = 0;         ///< its authenticated connections on this node
    int logins = 0;              ///< live logins (signed-in devices), all nodes
    bool disabled = false;       ///< disabled by an administrator (POST users/{name}/disable)

    QJsonObject toJson() const;
};

/// One line of the audit log (GET audit), newest first.
struct AuditView
{
    AuditRecord record;
    QJsonObject toJson() const;
};

/// {"<key>": [each toJson()], "count": n}
template<typename View>
QJsonObject listJson(QLatin1StringView key, const QList<View> &views)
{
    QJsonArray array;
    for (const View &view : views)
        array.append(view.toJson());
    return QJsonObject{{key, array}, {QLatin1StringView("count"), array.size()}};
}

/// The wall-clock time of a moment of the monotonic clock, given both clocks' "now".
constexpr qint64 wallTimeOf(qint64 monotonicMs, qint64 nowMonotonicMs, qint64 nowWallMs)
{
    return nowWallMs - (nowMonotonicMs - monotonicMs);
}

/// A connection id as it appears in a path: 1 to 20 decimal digits, no sign, no spaces; nullopt otherwise.
std::optional<quint64> parseConnectionId(QStringView text);

/// A connection as POST connections/{ref}/disconnect names it: "<id>" (this node's) or "<node>:<id>" (a key of
/// GET connections: any node's). `node` is empty for the first form.
struct ConnectionRef
{
    QString node;
    quint64 id = 0;
    friend bool operator==(const ConnectionRef &, const ConnectionRef &) = default;
};
std::optional<ConnectionRef> parseConnectionRef(QStringView text);
/// A node's name as nodes call themselves (ServerConfig: letters, digits, '-'), at most kMaxNodeName long.
inline constexpr qsizetype kMaxNodeName = 64;
bool isNodeName(QStringView text);

/// The reason an administrator gives for a disconnect, checked: at most kMaxReasonBytes bytes of UTF-8 (a
/// WebSocket close reason must fit in 123 bytes) and no control characters. nullopt with `error` set otherwise.
inline constexpr qsizetype kMaxReasonBytes = 120;
std::optional<QString> checkedReason(const QString &reason, QString *error);

} // namespace Tertulia::Admin
