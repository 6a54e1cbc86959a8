#pragma once

#include "server/store/store.h"
#include "server/trace/tracecontext.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QJsonObject>
#include <QtCore/QMetaType>
#include <QtCore/QString>

#include <optional>

namespace Tertulia {

/// A fact about rooms and users that every node must hear. The bus carries facts, not frames: each node's
/// RoomRegistry applies a fact to its own state (rooms, members, subscriptions) and renders it for its own
/// sessions, so a node that was not where it happened ends up in the same state as the one that was.
/// Facts are published only after what they say is stored (a message after its commit).
struct BusEvent
{
    /// The numbers are the wire format (the `k` field): a cluster bus carries them between nodes of different
    /// versions, so each is written out, never reused or renumbered; new kinds take the next number.
    enum class Kind : quint8 {
        Message = 0,        ///< `message` stored in `room`
        MemberJoined = 1,   ///< `user` joined `room`
        MemberLeft = 2,     ///< `user` left `room`
        RoomCreated = 3,    ///< `room` created by `user` (its first member)
        Invited = 4,        ///< `user` invited to private `room` by `by`
        Presence = 5,       ///< `user`'s presence became `status`
        Typing = 6,         ///< `user` started (`active`) or stopped typing in `room`
        LoginRevoked = 7,   ///< `login` of `user` was revoked: its tokens die and its sockets close, on every node
        PresenceRequest = 8, ///< the origin node asks every node to publish its presence views again
        RoleChanged = 9,    ///< `user`'s role in `room` became `role`, by `by`
        Sanctioned = 10,    ///< `by` imposed (`active`) or lifted a ban or a mute (`sanction`) on `user` in `room`
        ReadMarker = 11,    ///< `user` read `room` up to `seq` from `session` (of the origin node): their other sessions hear it
        DirectOpened = 12,  ///< `user` opened the direct conversation `room` with `by`, stored with both as members
        RoomUpdated = 13,   ///< `by` changed `room`'s settings to those of `room` (title, topic, privacy, archived)
        RoomDeleted = 14,   ///< `by` deleted `room` (`active`: its history was kept); its members leave it
        ProfileUpdated = 15, ///< `user`'s profile changed: the `profileParts` of `displayName` and `avatar`; no room
        AdminChanged = 16,  ///< `by` made `user` a server administrator (`active`) or a member again; no room
        // The admin API across nodes (issue 13): requests of one node's API that other nodes answer. No room;
        // `request` names the request (unique, the asking node's), `node` the one node it is for.
        ConnectionsAsked = 17,  ///< the origin node asks every node for its open connections (NodeSnapshot)
        ConnectionsListed = 18, ///< the origin node stored its answer to `request` of `node` (`active`: it could)
        DisconnectAsked = 19,   ///< administrator `by` asks `node` to close its connection `session`, for `reason`
        DisconnectDone = 20,    ///< `node`'s `request` answered: closed (`active`, `detail`: the connection) or none
    };

    Kind kind = Kind::Message;
    QString originNode;                  ///< set by the bus: the node where it happened
    RoomRecord room;                     ///< every kind but Presence
    QString user;
    QString by;                          ///< Invited, RoleChanged, Sanctioned, RoomUpdated, RoomDeleted, AdminChanged; MemberLeft: the
                                         ///< moderator who removed; DirectOpened: the other person
    QString reason;                      ///< MemberLeft (removed), Sanctioned, RoomDeleted: the actor's reason
    Protocol::Role role = Protocol::Role::Member; ///< RoleChanged
    SanctionKind sanction = SanctionKind::Ban;    ///< Sanctioned
    qint64 until = 0;                    ///< Sanctioned: when it ends by itself (ms since the epoch); 0: never
    Protocol::ChatMessage message;       ///< Message
    Protocol::PresenceStatus status = Protocol::PresenceStatus::Offline; ///< Presence: the origin node's view
    bool active = false;                 ///< Typing; Sanctioned: imposed (true) or lifted; RoomDeleted: history kept;
                                         ///< AdminChanged: an administrator now
    QString login;                       ///< LoginRevoked
    qint64 position = 0;                 ///< Message: its global position, where the store keeps them
    qint64 seq = 0;                      ///< ReadMarker: the marker stored
    quint64 session = 0;                 ///< ReadMarker: the session (of originNode) that set it, told nothing
    QString displayName;                 ///< ProfileUpdated: the display name (empty: none)
    QString avatar;                      ///< ProfileUpdated: the version of the avatar picture (empty: none)
    /// ProfileUpdated: what the fact changes (ProfilePart bits); a node applies those parts only. The other
    /// part travels too, as the publishing node knew it (nodes that predate avatar pictures read `dn` alone).
    int profileParts = 0;
    enum ProfilePart : int { ProfileDisplayName = 1, ProfileAvatar = 2 };
    /// Message, when traced (docs/administration.md#delivery-traces): its trace, and the span of its `send` on
    /// the node that received it. That node's handler sets it (the store keeps it with the message; a cluster
    /// bus's notice of the commit carries it too); on another node the cluster bus sets it with `traceNode`,
    /// that node, on a message it reads from the log (from the stored context, or from the notice for a message
    /// a node of the previous version stored). Invalid: not traced, or read without it. Never in toJson().
    Trace::TraceContext trace;
    QString traceNode;                   ///< the (other) node that received it, when the bus set `trace`
    QString request;                     ///< ConnectionsAsked and the three after it: the request they answer
    QString node;                        ///< ConnectionsListed, DisconnectDone: the asking node; DisconnectAsked: the asked one
    QJsonObject detail;                  ///< DisconnectDone: the connection closed, as the admin API shows it

    /// The fact as a cluster bus sends it to other nodes (compact JSON; a message's body never travels this
    /// way: nodes read committed messages from the store). nullopt for anything that is not a fact.
    QByteArray toJson() const;
    static std::optional<BusEvent> fromJson(QByteArrayView json);

    static BusEvent messageStored(const RoomRecord &room, const Protocol::ChatMessage &message, qint64 position = 0)
    {
        BusEvent e = of(Kind::Message, room, message.sender);
        e.message = message;
        e.position = position;
        return e;
    }
    static BusEvent memberJoined(const RoomRecord &room, const QString &user) { return of(Kind::MemberJoined, room, user); }
    static BusEvent memberLeft(const RoomRecord &room, const QString &user) { return of(Kind::MemberLeft, room, user); }
    /// `user` was removed from `room` by the moderator `by` (a MemberLeft that tells its user why).
    static BusEvent memberRemoved(const RoomRecord &room, const QString &user, const QString &by, const QString &reason)
    {
        BusEvent e = of(Kind::MemberLeft, room, user);
        e.by = by;
        e.reason = reason;
        return e;
    }
    static BusEvent roleChanged(const RoomRecord &room, const QString &user, Protocol::Role role, const QString &by)
    {
        BusEvent e = of(Kind::RoleChanged, room, user);
        e.role = role;
        e.by = by;
        return e;
    }
    /// A ban or mute imposed (`imposed`) or lifted. A ban also ends the user's membership: the store's first,
    /// then every node's as it applies this fact.
    static BusEvent sanctioned(const RoomRecord &room, const SanctionRecord &sanction, bool imposed)
    {
        BusEvent e = of(Kind::Sanctioned, room, sanction.user);
        e.sanction = sanction.kind;
        e.until = sanction.until;
        e.by = sanction.by;
        e.reason = sanction.reason;
        e.active = imposed;
        return e;
    }
    static BusEvent roomCreated(const RoomRecord &room) { return of(Kind::RoomCreated, room, room.creator); }
    static BusEvent invited(const RoomRecord &room, const QString &user, const QString &by)
    {
        BusEvent e = of(Kind::Invited, room, user);
        e.by = by;
        return e;
    }
    static BusEvent presence(const QString &user, Protocol::PresenceStatus status)
    {
        BusEvent e = of(Kind::Presence, {}, user);
        e.status = status;
        return e;
    }
    static BusEvent presenceRequest() { return of(Kind::PresenceRequest, {}, {}); }
    static BusEvent loginRevoked(const QString &loginId)
    {
        BusEvent e = of(Kind::LoginRevoked, {}, {});
        e.login = loginId;
        return e;
    }
    static BusEvent readMarker(const RoomRecord &room, const QString &user, qint64 seq, quint64 session)
    {
        BusEvent e = of(Kind::ReadMarker, room, user);
        e.seq = seq;
        e.session = session;
        return e;
    }
    static BusEvent directOpened(const RoomRecord &room, const QString &user, const QString &peer)
    {
        BusEvent e = of(Kind::DirectOpened, room, user);
        e.by = peer;
        return e;
    }
    /// `room` as stored after an update_room (its settings are what every node takes).
    static BusEvent roomUpdated(const RoomRecord &room, const QString &by)
    {
        BusEvent e = of(Kind::RoomUpdated, room, by); // `user` too: every fact names one
        e.by = by;
        return e;
    }
    static BusEvent roomDeleted(const RoomRecord &room, const QString &by, bool historyKept, const QString &reason)
    {
        BusEvent e = of(Kind::RoomDeleted, room, by);
        e.by = by;
        e.active = historyKept;
        e.reason = reason;
        return e;
    }
    /// Issue 12: `user`'s display name as stored now (empty: cleared); `avatar` is their picture as this node
    /// knows it (unchanged by the fact).
    static BusEvent profileUpdated(const QString &user, const QString &displayName, const QString &avatar = {})
    {
        BusEvent e = of(Kind::ProfileUpdated, {}, user);
        e.displayName = displayName;
        e.avatar = avatar;
        e.profileParts = ProfileDisplayName;
        return e;
    }
    /// Issue 12: the version of `user`'s avatar picture as stored now (empty: removed); `displayName` is theirs
    /// as this node knows it (unchanged by the fact).
    static BusEvent avatarUpdated(const QString &user, const QString &avatar, const QString &displayName)
    {
        BusEvent e = profileUpdated(user, displayName, avatar);
        e.profileParts = ProfileAvatar;
        return e;
    }
    /// Issue 12: `user`'s account was deleted: no display name and no picture any more.
    static BusEvent profileCleared(const QString &user)
    {
        BusEvent e = profileUpdated(user, {}, {});
        e.profileParts = ProfileDisplayName | ProfileAvatar;
        return e;
    }
    /// Issue 13: `by` changed `user`'s administrator flag to `admin` (stored already): every node tells the
    /// user's sessions at once (`admin_changed`), and their hello-time flag follows.
    static BusEvent adminChanged(const QString &user, bool admin, const QString &by)
    {
        BusEvent e = of(Kind::AdminChanged, {}, user);
        e.active = admin;
        e.by = by;
        return e;
    }
    /// The admin API's cluster-wide list of connections: every other node answers `request` (ConnectionsListed).
    static BusEvent connectionsAsked(const QString &request)
    {
        BusEvent e = of(Kind::ConnectionsAsked, {}, {});
        e.request = request;
        return e;
    }
    /// This node's answer to `request` of node `asker` is in the store (`stored`), or could not be stored.
    static BusEvent connectionsListed(const QString &request, const QString &asker, bool stored)
    {
        BusEvent e = of(Kind::ConnectionsListed, {}, {});
        e.request = request;
        e.node = asker;
        e.active = stored;
        return e;
    }
    /// Administrator `by` asks node `node` to close its connection `connection` (4005, `reason`).
    static BusEvent disconnectAsked(const QString &request, const QString &node, quint64 connection,
                                    const QString &reason, const QString &by)
    {
        BusEvent e = of(Kind::DisconnectAsked, {}, {});
        e.request = request;
        e.node = node;
        e.session = connection;
        e.reason = reason;
        e.by = by;
        return e;
    }
    /// The answer to a DisconnectAsked of node `asker`: `closed` (the connection as it was) or nothing found.
    static BusEvent disconnectDone(const QString &request, const QString &asker, const std::optional<QJsonObject> &closed)
    {
        BusEvent e = of(Kind::DisconnectDone, {}, {});
        e.request = request;
        e.node = asker;
        e.active = closed.has_value();
        e.detail = closed.value_or(QJsonObject());
        return e;
    }
    static BusEvent typing(const RoomRecord &room, const QString &user, bool active)
    {
        BusEvent e = of(Kind::Typing, room, user);
        e.active = active;
        return e;
    }

private:
    static BusEvent of(Kind kind, const RoomRecord &room, const QString &user)
    {
        BusEvent e;
        e.kind = kind;
        e.room = room;
        e.user = user;
        return e;
    }
};

} // namespace Tertulia

Q_DECLARE_METATYPE(Tertulia::BusEvent)
