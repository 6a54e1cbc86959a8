#pragma once

#include "server/api/adminauth.h"
#include "server/api/adminroutes.h"
#include "server/api/adminviews.h"
#include "server/handlers/moderation.h"
#include "server/handlers/roomsettings.h"
#include "server/http/httprouter.h"
#include "server/store/store.h"

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QSet>

#include <functional>
#include <optional>

namespace Tertulia {

struct BusEvent;
class Room;
class ServerCore;
class Session;
struct Metrics;

/// The admin HTTP API, /api/v1/admin/... (docs/administration.md): what an operator sees of this node and
/// the first actions on it.
///
///   GET  connections                      open connections of every node, every protocol and transport
///   GET  rooms                            rooms (direct conversations only counted), members, who is online
///                                         here, last seq, settings, messages over the last minute
///   GET  users                            accounts: admin flag, online here, live logins
///   POST connections/{id}/disconnect      closes one connection (4005, with a reason the client sees); {id}
///                                         is this node's id or a `key` of the list ("<node>:<id>", any node)
///   POST users/{name}/sign-out-everywhere revokes every login of the user; its sockets close (4004)
///   POST users/{name}/admin               {"admin": true|false}: promotes or demotes an account; never the
///                                         last administrator
///   GET  traces                           this node's recent delivery traces, newest first
///   GET  traces/{room}/{seq}              what happened to that message on this node, if it was traced
///   POST users/{name}/disable             {"disabled": true|false}: a disabled account cannot sign in or
///                                         refresh, and its logins are revoked at once (sockets close, 4004)
///   POST users/{name}/password            {"password": "..."}: sets a new password; every login is revoked
///   GET  audit                            the audit log, newest first (?limit=, ?before=<id>)
///   POST rooms/{room}/members/{user}/remove  {"reason"?}: removes a member from the room
///   POST rooms/{room}/bans/{user}         {"reason"?, "duration"? (seconds)}: bans (out of the room, kept out)
///   DELETE rooms/{room}/bans/{user}       lifts the ban
///   POST rooms/{room}/mutes/{user}        {"reason"?, "duration"?}: mutes (stays in, cannot send)
///   DELETE rooms/{room}/mutes/{user}      lifts the mute
///   GET  rooms/{room}/sanctions           the room's bans and mutes that hold now (who, by whom, reason, until)
///   GET  rooms/{room}/members             its members with their roles, mutes and who is online here
///   POST rooms/{room}/roles/{user}        {"role": "moderator"|"member", "reason"?}: set_role
///   POST rooms/{room}/owner/{user}        {"reason"?}: transfer_ownership to the user
///   GET  rooms/{room}                     one room as GET rooms lists it (any room but direct conversations)
///   PATCH rooms/{room}                    {"title"?, "topic"?, "private"?, "archived"?, "reason"?}: update_room
///   DELETE rooms/{room}                   {"keep_history": true|false, "reason"?}: delete_room
///
/// The room actions are the chat protocols' own (Moderation and RoomSettings: same rules, audit lines and live
/// effects; an administrator outranks every role, but not another administrator's standing in a room they
/// moderate).
///
/// In a cluster (several nodes on one PostgreSQL database) the connections are every node's: the node asked
/// publishes a ConnectionsAsked fact, every live peer (EventBus::peers()) stores its list in the store
/// (NodeSnapshot: too big for a NOTIFY) and says so by a ConnectionsListed fact, and the asking node answers
/// once every peer has, or after kClusterWaitMs, saying which nodes did not. A disconnect of another node's
/// connection goes to that node as a DisconnectAsked fact, and its DisconnectDone fact answers.
///
/// Every action that changes something is recorded in the store's audit log (Store::appendAudit), with the
/// moderation requests of the chat protocols.
///
/// One prefix route on the server's router; below it a RouteTable (pure, tested) picks one small handler.
/// Every request first passes AdminAuth (401/403), then the table (404/405). Every action is logged in
/// `tertulia.admin` with who, what and when; reads are logged at debug level.
class AdminApi : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminApi)

public:
    static constexpr QLatin1StringView kPrefix{"/api/v1/admin/"};
    static constexpr qint64 kMaxBodyBytes = 16 * 1024;
    /// How long a cluster-wide request waits for the other nodes (they answer within a few ms when well).
    static constexpr int kClusterWaitMs = 1000;
    /// Node answers nobody took (their asker stopped waiting) are dropped after this long.
    static constexpr qint64 kSnapshotLifetimeMs = 60'000;

    /// `wallClockMs`: the time of day, ms since the epoch (connected_at is shown in it).
    AdminApi(ServerCore &core, Metrics &metrics, std::function<qint64()> wallClockMs, QObject *parent = nullptr);

    void addRoutes(Http::Router &router);

    /// The views the handlers answer with, from the live server (connections: this node's, with its name).
    QList<Admin::ConnectionView> connections() const;
    /// The rooms this node holds; direct conversations are left out and only counted (`directConversations`).
    QList<Admin::RoomView> rooms(int *directConversations = nullptr) const;
    /// One room's view (what rooms() lists for it).
    Admin::RoomView roomView(const Room &room) const;
    Admin::RoomView roomView(const Room &room, qint64 nowMs) const;
    /// The views of these accounts (as the store lists them), with `logins` (canonical name -> live logins)
    /// and what this node knows of their connections.
    QList<Admin::UserView> userViews(const QList<UserRecord> &accounts, const QHash<QString, int> &logins) const;

private:
    /// One admin request that passed the auth check and the route table.
    /// Values, not references: a handler's later steps (after the store answered) keep a copy.
    struct Call
    {
        Http::Request request;
        Http::Responder responder;
        AdminActor actor;
        QStringList params;
    };
    using Handler = void (AdminApi::*)(const Call &);

    void serve(const Http::Request &request, const Http::Responder &responder);
    void route(const QByteArray &method, const QString &pattern, Handler handler);

    void listConnections(const Call &call);
    void listRooms(const Call &call);
    void listUsers(const Call &call);
    void disconnect(const Call &call);
    void signOutEverywhere(const Call &call);
    void setAdmin(const Call &call);
    void listTraces(const Call &call);
    void showTrace(const Call &call);
    void setDisabled(const Call &call);
    void resetPassword(const Call &call);
    void listAudit(const Call &call);
    void removeMember(const Call &call);
    void ban(const Call &call);
    void unban(const Call &call);
    void mute(const Call &call);
    void unmute(const Call &call);
    void listSanctions(const Call &call);
    void listMembers(const Call &call);
    void setRole(const Call &call);
    void transferOwnership(const Call &call);
    void showRoom(const Call &call);
    void updateRoom(const Call &call);
    void deleteRoom(const Call &call);
    /// Runs one moderation request (Moderation::run()) for the administrator, on the room and user the path
    /// names, with the body's reason and duration, and answers it.
    void moderate(const Call &call, Protocol::RequestType type);
    /// Records an action in the audit log (a failure to record is logged; the action stands).
    void audit(const Call &call, const QString &action, const QString &target, const QString &reason,
               const QString &detail);
    void audit(const AdminActor &actor, const QString &action, const QString &target, const QString &reason,
               const QString &detail);

    /// Then `then` with the account the path's first parameter names (read off the event loop), or nothing
    /// after answering 404 (deleted accounts included).
    void withUser(const Call &call, std::function<void(const UserRecord &)> then);
    /// The JSON object of a request's body, or nullopt after answering 415 (not JSON) or 400 (not an object).
    std::optional<QJsonObject> jsonBody(const Call &call) const;
    /// jsonBody(), or an empty object when the request has no body.
    std::optional<QJsonObject> optionalJsonBody(const Call &call) const;
    Session *findSession(quint64 id) const;
    // The admin API across nodes.
    void onBusEvent(const BusEvent &event);
    /// Another node asked for the connections: this node's go into the store, then a ConnectionsListed fact.
    void answerConnections(const BusEvent &asked);
    /// Another node asks this one to close one of its connections.
    void answerDisconnect(const BusEvent &asked);
    /// Every asked node answered, or the wait is over: the answers are taken from the store and merged.
    void finishConnections(const QString &request);
    void disconnectElsewhere(const Call &call, const Admin::ConnectionRef &ref, const QString &reason);
    /// A request id no node (this one after a restart included) used before.
    QString newRequestId() const;
    Admin::ConnectionView viewOf(const Session &session, qint64 nowMonotonicMs, qint64 nowWallMs) const;
    /// "admin=root from=127.0.0.1 at=2026-12-06T16:20:00.123Z": the start of every action's log line.
    QString auditTag(const AdminActor &actor) const;

    ServerCore &m_core;
    Metrics &m_metrics;
    std::function<qint64()> m_wallClockMs;
    AdminAuth m_auth;
    Moderation m_moderation;
    RoomSettings m_roomSettings;
    Admin::RouteTable m_table;
    QList<Handler> m_handlers;   ///< by route number
    struct PendingList
    {
        Http::Responder responder;
        QJsonArray local;        ///< this node's connections when asked
        QStringList asked;       ///< the peers asked
        QSet<QString> waiting;   ///< the peers that have not answered yet
    };
    QHash<QString, PendingList> m_pendingLists;        ///< by request id
    struct PendingDisconnect
    {
        Call call;
        Admin::ConnectionRef ref;
        QString reason;
    };
    QHash<QString, PendingDisconnect> m_pendingDisconnects;  ///< by request id
};

} // namespace Tertulia
