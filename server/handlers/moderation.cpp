#include "server/handlers/moderation.h"

#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/rooms/room.h"
#include "server/rooms/roomregistry.h"
#include "server/store/store.h"
#include "shared/names.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

/// One moderation request that passed the checks every action shares (on the event loop, in one pass).
struct Moderation::Act
{
    const Actor &actor;
    RequestType type;
    const ModerationParams &params;
    Room &room;
    UserRecord target;         ///< the account acted on, as registered
    Standing actorStanding;
    Standing targetStanding;
    const Done &done;

    void fail(ErrorCode code, const QString &message) const { done(Error{code, message}); }
};

Moderation::Moderation(ServerContext &context) : m_context(context) { }

bool Moderation::hides(const QString &userKey, const Room &room, Standing standing)
{
    return room.isPrivate() && !room.isMember(userKey) && (standing == Standing::Member || room.isDirect());
}

namespace {
QString directRefusal()
{
    return QStringLiteral("a direct conversation has no roles or moderation: it is between its two people only");
}
} // namespace

Moderation::Standing Moderation::standing(const QString &userKey, const Room &room, bool admin)
{
    if (admin)
        return Standing::Administrator;
    return Standing(int(room.role(userKey)));
}

void Moderation::lookUp(const QString &actor, const QString &room, const QString &target,
                        std::function<void(Room *, bool, const std::optional<UserRecord> &)> then)
{
    // What needs the store is read in one job off the event loop: the actor's administrator flag, the
    // account acted on, and the room if this node has not loaded it (several nodes). The room registry
    // outlives every request: its answer always comes.
    struct Known
    {
        std::optional<RoomRegistry::StoredRoom> stored;
        bool admin = false;
        std::optional<UserRecord> target;
    };
    m_context.store.async<Known>(
        &m_context.rooms,
        [room, readRoom = m_context.rooms.mayLoad(room), actor, target](Store &store) {
            Known known;
            if (readRoom)
                known.stored = RoomRegistry::readRoom(store, room);
            const auto user = store.findUser(actor);
            known.admin = user && user->isAdmin;
            if (!target.isEmpty())
                known.target = store.findUser(target);
            return known;
        },
        [this, room, then = std::move(then)](const Known &known) {
            Room *found = known.stored ? m_context.rooms.adopt(*known.stored) : m_context.rooms.loaded(room);
            then(found, known.admin, known.target);
        });
}

void Moderation::run(const Actor &actor, RequestType type, const ModerationParams &params, Done done)
{
    lookUp(actor.user, params.room, params.user,
           [this, actor, type, params, done = std::move(done)](Room *room, bool admin,
                                                                 const std::optional<UserRecord> &target) {
               act(actor, type, params, room, admin, target, done);
           });
}

void Moderation::listSanctions(const Actor &actor, const QString &roomName, Done done)
{
    inspect(
        actor, roomName,
        [this, done](const Room &room) {
            SanctionsResult result{room.name(), {}};
            for (const SanctionRecord &held : room.sanctions(m_context.wallClockMs()))
                result.sanctions.append(SanctionInfo{held.user, held.kind == SanctionKind::Ban, held.by, held.reason, held.until, held.at});
            done(result.toJson());
        },
        done);
}

void Moderation::inspect(const Actor &actor, const QString &roomName, std::function<void(const Room &)> then, Done refused)
{
    lookUp(actor.user, roomName, QString(),
           [actor, roomName, then = std::move(then), done = std::move(refused)](Room *room, bool admin, const auto &) {
        const QString actorKey = Names::canonical(actor.user);
        const Standing actorStanding = room ? standing(actorKey, *room, admin) : Standing::Member;
        if (!room || hides(actorKey, *room, actorStanding))
            return done(Error{ErrorCode::NotFound, QStringLiteral("there is no room '%1'").arg(roomName)});
        if (room->isDirect())
            return done(Error{ErrorCode::BadRequest, directRefusal()});
        if (actorStanding == Standing::Member) {
            return done(Error{ErrorCode::Forbidden,
                              QStringLiteral("only the owner and the moderators of '%1' see its bans and mutes").arg(room->name())});
        }
        then(*room);
    });
}

void Moderation::act(const Actor &actor, RequestType type, const ModerationParams &p, Room *room, bool admin,
                     const std::optional<UserRecord> &target, const Done &done)
{
    const QString actorKey = Names::canonical(actor.user);
    const Standing actorStanding = room ? standing(actorKey, *room, admin) : Standing::Member;
    const auto fail = [&done](ErrorCode code, const QString &message) { done(Error{code, message}); };
    // A private room is as invisible as elsewhere to whoever is neither in it nor above it.
    if (!room || hides(actorKey, *room, actorStanding))
        return fail(ErrorCode::NotFound, QStringLiteral("there is no room '%1'").arg(p.room));
    if (room->isDirect())
        return fail(ErrorCode::BadRequest, directRefusal());
    if (actorStanding == Standing::Member)
        return fail(ErrorCode::Forbidden, QStringLiteral("only the owner and the moderators of '%1' may do that").arg(room->name()));
    const bool ownersOnly = type == RequestType::SetRole || type == RequestType::TransferOwnership;
    if (ownersOnly && actorStanding < Standing::Owner)
        return fail(ErrorCode::Forbidden,
                    QStringLiteral("only the owner of '%1' names moderators and hands the room over").arg(room->name()));
    if (!target)
        return fail(ErrorCode::NotFound, QStringLiteral("there is no user '%1'").arg(p.user));
    const QString targetKey = Names::canonical(target->name);
    if (targetKey == actorKey)
        return fail(ErrorCode::BadRequest, u"you cannot do that to yourself"_s);
    // Standing in the room only: a server administrator who is a member here is moderated like a member.
    const Standing targetStanding = Standing(int(room->role(targetKey)));
    if (targetStanding >= actorStanding) {
        return fail(ErrorCode::Forbidden,
                    targetStanding == Standing::Owner
                        ? QStringLiteral("%1 owns '%2': moderators cannot act on the owner").arg(target->name, room->name())
                        : QStringLiteral("%1 moderates '%2' too: only the owner can act on a moderator")
                              .arg(target->name, room->name()));
    }
    const Act act{actor, type, p, *room, *target, actorStanding, targetStanding, done};
    switch (type) {
    case RequestType::SetRole: return setRole(act);
    case RequestType::TransferOwnership: return transferOwnership(act);
    case RequestType::RemoveMember: return removeMember(act);
    case RequestType::Ban: return sanction(act, SanctionKind::Ban, true);
    case RequestType::Unban: return sanction(act, SanctionKind::Ban, false);
    case RequestType::Mute: return sanction(act, SanctionKind::Mute, true);
    case RequestType::Unmute: return sanction(act, SanctionKind::Mute, false);
    default: fail(ErrorCode::UnknownType, u"not a moderation request"_s);
    }
}

void Moderation::setRole(const Act &act)
{
    const std::optional<Role> role = act.params.role;
    if (!role || *role == Role::Owner) {
        return act.fail(ErrorCode::BadRequest, role ? u"a room has one owner: use transfer_ownership"_s
                                                    : u"give 'role': \"moderator\" or \"member\""_s);
    }
    if (!act.room.isMember(Names::canonical(act.target.name)))
        return act.fail(ErrorCode::BadRequest, QStringLiteral("%1 is not in '%2'").arg(act.target.name, act.room.name()));
    const RoomRecord record = act.room.record();
    const QString target = act.target.name;
    commit(
        act, [id = record.id, target, role = RoomRole(int(*role))](Store &store) { return store.setRoomRole(id, target, role); },
        u"set_role"_s, u"role="_s + roleName(*role), u"could not store the role; retry"_s, {},
        [this, record, target, role = *role, by = act.actor.user] {
            m_context.rooms.publish(BusEvent::roleChanged(record, target, role, by));
        });
}

void Moderation::transferOwnership(const Act &act)
{
    if (!act.room.isMember(Names::canonical(act.target.name)))
        return act.fail(ErrorCode::BadRequest, QStringLiteral("%1 is not in '%2'").arg(act.target.name, act.room.name()));
    // Everyone who owned it steps down to moderator (the owner who asked, or the owner an administrator
    // replaces): one transaction in the store, then one fact per change.
    QList<QString> previous;
    for (const QString &member : act.room.memberNames()) {
        if (act.room.role(Names::canonical(member)) == Role::Owner)
            previous.append(member);
    }
    const RoomRecord record = act.room.record();
    const QString target = act.target.name;
    const QString by = act.actor.user;
    commit(
        act, [id = record.id, by, target](Store &store) { return store.transferOwnership(id, by, target); },
        u"transfer_ownership"_s, {}, u"could not store the new owner; retry"_s, {},
        [this, record, target, by, previous] {
            for (const QString &owner : previous)
                m_context.rooms.publish(BusEvent::roleChanged(record, owner, Role::Moderator, by));
            m_context.rooms.publish(BusEvent::roleChanged(record, target, Role::Owner, by));
        });
}

void Moderation::removeMember(const Act &act)
{
    const QString targetKey = Names::canonical(act.target.name);
    if (!act.room.isMember(targetKey))
        return act.fail(ErrorCode::BadRequest, QStringLiteral("%1 is not in '%2'").arg(act.target.name, act.room.name()));
    const RoomRecord record = act.room.record();
    const QString target = act.target.name;
    const bool wasRanked = act.targetStanding != Standing::Member;
    commit(
        act,
        [record, target, targetKey, wasRanked](Store &store) {
            if (!RoomRegistry::storeLeave(store, record, targetKey))
                return false;
            // As when leaving: the invitation that let them into a private room is used up.
            if (record.isPrivate)
                store.removeInvite(record.id, targetKey);
            // A removed moderator is a moderator no more (coming back makes them a member).
            if (wasRanked)
                store.setRoomRole(record.id, target, RoomRole::Member);
            return true;
        },
        u"remove_member"_s, {}, u"could not remove the member; retry"_s, {},
        [this, record, target, wasRanked, by = act.actor.user, reason = act.params.reason] {
            if (wasRanked)
                m_context.rooms.publish(BusEvent::roleChanged(record, target, Role::Member, by));
            m_context.rooms.publish(BusEvent::memberRemoved(record, target, by, reason));
        });
}

void Moderation::sanction(const Act &act, SanctionKind kind, bool impose)
{
    const QString targetKey = Names::canonical(act.target.name);
    const qint64 now = m_context.wallClockMs();
    const bool ban = kind == SanctionKind::Ban;
    const QString action = ban ? (impose ? u"ban"_s : u"unban"_s) : (impose ? u"mute"_s : u"unmute"_s);
    const RoomRecord roomRecord = act.room.record();
    SanctionRecord record{roomRecord.id, act.target.name, kind, 0, act.actor.user, act.params.reason, now};
    if (!impose) {
        if (!act.room.sanction(targetKey, kind, now)) {
            return act.fail(ErrorCode::BadRequest, QStringLiteral("%1 is not %2 in '%3'")
                                                       .arg(act.target.name, ban ? u"banned"_s : u"muted"_s, act.room.name()));
        }
        commit(
            act, [record](Store &store) { return store.removeSanction(record.roomId, record.user, record.kind); },
            action, {}, u"could not store the change; retry"_s, {},
            [this, roomRecord, record] { m_context.rooms.publish(BusEvent::sanctioned(roomRecord, record, false)); });
        return;
    }
    if (act.params.duration)
        record.until = now + *act.params.duration * 1000;
    // A ban takes the membership first, in the store, so that a restart or another node never finds the
    // banned user still in the room.
    const bool leaves = ban && act.room.isMember(targetKey);
    const bool wasRanked = act.targetStanding != Standing::Member;
    commit(
        act,
        [roomRecord, record, targetKey, leaves, wasRanked](Store &store) {
            if (!store.setSanction(record) || (leaves && !RoomRegistry::storeLeave(store, roomRecord, targetKey)))
                return false;
            if (leaves) {
                if (roomRecord.isPrivate)
                    store.removeInvite(roomRecord.id, targetKey);
                if (wasRanked)
                    store.setRoomRole(roomRecord.id, record.user, RoomRole::Member);
            }
            return true;
        },
        action, record.until ? u"until="_s + QString::number(record.until) : QString(),
        u"could not store the change; retry"_s, QJsonObject{{QLatin1StringView("until"), record.until}},
        [this, roomRecord, record, leaves, wasRanked] {
            if (leaves && wasRanked)
                m_context.rooms.publish(BusEvent::roleChanged(roomRecord, record.user, Role::Member, record.by));
            m_context.rooms.publish(BusEvent::sanctioned(roomRecord, record, true));
        });
}

void Moderation::commit(const Act &act, std::function<bool(Store &)> writes, const QString &action,
                        const QString &detail, const QString &failure, const QJsonObject &answer,
                        std::function<void()> publish)
{
    const AuditRecord line{0, m_context.wallClockMs(), act.actor.user, action, act.target.name,
                           act.room.name(), act.params.reason, detail};
    m_context.store.async<bool>(
        &m_context.rooms,
        [writes = std::move(writes), line](Store &store) {
            if (!writes(store))
                return false;
            if (!store.appendAudit(line))
                qCWarning(lcRooms).noquote() << "could not record" << line.action << "in the audit log";
            return true;
        },
        [line, failure, answer, publish = std::move(publish), done = act.done, tag = act.actor.logTag](bool stored) {
            if (!stored)
                return done(Error{ErrorCode::Internal, failure});
            qCInfo(lcRooms).noquote() << tag << u"moderation="_s + line.action << u"target="_s + line.target
                                      << u"room="_s + line.room << line.detail;
            // Published first: this node applies the fact at once (both buses hand their own facts back in
            // publish()), so whoever acts on the answer (the unmuted member's next send, the moderator's next
            // request) finds the room already as the answer says.
            publish();
            done(answer);
        });
}

} // namespace Tertulia
