#include "server/handlers/moderationhandler.h"

#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/rooms/roomregistry.h"
#include "server/store/store.h"
#include "shared/names.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

/// One moderation request that passed the checks every action shares.
struct ModerationHandler::Act
{
    Session &session;
    const Request &request;
    const ModerationParams &params;
    Room &room;
    UserRecord target;         ///< the account acted on, as registered
    Standing actor;
    Standing targetStanding;
};

QList<RequestType> ModerationHandler::types() const
{
    return {RequestType::SetRole, RequestType::TransferOwnership, RequestType::RemoveMember, RequestType::Ban,
            RequestType::Unban,   RequestType::Mute,              RequestType::Unmute};
}

void ModerationHandler::handle(Session &session, const Request &request)
{
    const auto p = params<ModerationParams>(session, request);
    if (!p)
        return;
    Room *room = m_context.rooms.find(p->room);
    const Standing actor = room ? standing(session, *room) : Standing::Member;
    // A private room is as invisible as elsewhere to whoever is neither in it nor above it.
    if (!room || (room->isPrivate() && !room->isMember(session.userKey()) && actor == Standing::Member)) {
        fail(session, request, ErrorCode::NotFound, QStringLiteral("there is no room '%1'").arg(p->room));
        return;
    }
    if (actor == Standing::Member) {
        fail(session, request, ErrorCode::Forbidden,
             QStringLiteral("only the owner and the moderators of '%1' may do that").arg(room->name()));
        return;
    }
    const bool ownersOnly = request.type == RequestType::SetRole || request.type == RequestType::TransferOwnership;
    if (ownersOnly && actor < Standing::Owner) {
        fail(session, request, ErrorCode::Forbidden,
             QStringLiteral("only the owner of '%1' names moderators and hands the room over").arg(room->name()));
        return;
    }
    const std::optional<UserRecord> target = m_context.store.findUser(p->user);
    if (!target) {
        fail(session, request, ErrorCode::NotFound, QStringLiteral("there is no user '%1'").arg(p->user));
        return;
    }
    const QString targetKey = Names::canonical(target->name);
    if (targetKey == session.userKey()) {
        fail(session, request, ErrorCode::BadRequest, u"you cannot do that to yourself"_s);
        return;
    }
    // Standing in the room only: a server administrator who is a member here is moderated like a member.
    const Standing targetStanding = Standing(int(room->role(targetKey)));
    if (targetStanding >= actor) {
        fail(session, request, ErrorCode::Forbidden,
             targetStanding == Standing::Owner
                 ? QStringLiteral("%1 owns '%2': moderators cannot act on the owner").arg(target->name, room->name())
                 : QStringLiteral("%1 moderates '%2' too: only the owner can act on a moderator").arg(target->name, room->name()));
        return;
    }
    const Act act{session, request, *p, *room, *target, actor, targetStanding};
    switch (request.type) {
    case RequestType::SetRole: return setRole(act);
    case RequestType::TransferOwnership: return transferOwnership(act);
    case RequestType::RemoveMember: return removeMember(act);
    case RequestType::Ban: return sanction(act, SanctionKind::Ban, true);
    case RequestType::Unban: return sanction(act, SanctionKind::Ban, false);
    case RequestType::Mute: return sanction(act, SanctionKind::Mute, true);
    case RequestType::Unmute: return sanction(act, SanctionKind::Mute, false);
    default: fail(session, request, ErrorCode::UnknownType, u"not a moderation request"_s);
    }
}

void ModerationHandler::setRole(const Act &act)
{
    const std::optional<Role> role = act.params.role;
    if (!role || *role == Role::Owner) {
        fail(act.session, act.request, ErrorCode::BadRequest,
             role ? u"a room has one owner: use transfer_ownership"_s
                  : u"give 'role': \"moderator\" or \"member\""_s);
        return;
    }
    if (!act.room.isMember(Names::canonical(act.target.name))) {
        fail(act.session, act.request, ErrorCode::BadRequest,
             QStringLiteral("%1 is not in '%2'").arg(act.target.name, act.room.name()));
        return;
    }
    if (!m_context.store.setRoomRole(act.room.record().id, act.target.name, RoomRole(int(*role)))) {
        fail(act.session, act.request, ErrorCode::Internal, u"could not store the role; retry"_s);
        return;
    }
    audit(act, u"set_role"_s, u"role="_s + roleName(*role));
    act.session.reply(Reply::ok(act.request.id));
    m_context.rooms.publish(BusEvent::roleChanged(act.room.record(), act.target.name, *role, act.session.user()));
}

void ModerationHandler::transferOwnership(const Act &act)
{
    if (!act.room.isMember(Names::canonical(act.target.name))) {
        fail(act.session, act.request, ErrorCode::BadRequest,
             QStringLiteral("%1 is not in '%2'").arg(act.target.name, act.room.name()));
        return;
    }
    // Everyone who owned it steps down to moderator (the owner who asked, or the owner an administrator
    // replaces): one transaction in the store, then one fact per change.
    QList<QString> previous;
    for (const QString &member : act.room.memberNames()) {
        if (act.room.role(Names::canonical(member)) == Role::Owner)
            previous.append(member);
    }
    if (!m_context.store.transferOwnership(act.room.record().id, act.session.user(), act.target.name)) {
        fail(act.session, act.request, ErrorCode::Internal, u"could not store the new owner; retry"_s);
        return;
    }
    audit(act, u"transfer_ownership"_s);
    act.session.reply(Reply::ok(act.request.id));
    for (const QString &owner : std::as_const(previous))
        m_context.rooms.publish(BusEvent::roleChanged(act.room.record(), owner, Role::Moderator, act.session.user()));
    m_context.rooms.publish(BusEvent::roleChanged(act.room.record(), act.target.name, Role::Owner, act.session.user()));
}

void ModerationHandler::removeMember(const Act &act)
{
    const QString targetKey = Names::canonical(act.target.name);
    if (!act.room.isMember(targetKey)) {
        fail(act.session, act.request, ErrorCode::BadRequest,
             QStringLiteral("%1 is not in '%2'").arg(act.target.name, act.room.name()));
        return;
    }
    if (!m_context.rooms.storeLeave(act.room, targetKey)) {
        fail(act.session, act.request, ErrorCode::Internal, u"could not remove the member; retry"_s);
        return;
    }
    // As when leaving: the invitation that let them into a private room is used up.
    if (act.room.isPrivate())
        m_context.store.removeInvite(act.room.record().id, targetKey);
    // A removed moderator is a moderator no more (coming back makes them a member).
    if (act.targetStanding != Standing::Member)
        m_context.store.setRoomRole(act.room.record().id, act.target.name, RoomRole::Member);
    audit(act, u"remove_member"_s);
    act.session.reply(Reply::ok(act.request.id));
    if (act.targetStanding != Standing::Member)
        m_context.rooms.publish(BusEvent::roleChanged(act.room.record(), act.target.name, Role::Member, act.session.user()));
    m_context.rooms.publish(BusEvent::memberRemoved(act.room.record(), act.target.name, act.session.user(), act.params.reason));
}

void ModerationHandler::sanction(const Act &act, SanctionKind kind, bool impose)
{
    const QString targetKey = Names::canonical(act.target.name);
    const qint64 now = m_context.wallClockMs();
    const bool ban = kind == SanctionKind::Ban;
    const QString action = ban ? (impose ? u"ban"_s : u"unban"_s) : (impose ? u"mute"_s : u"unmute"_s);
    SanctionRecord record{act.room.record().id, act.target.name, kind, 0, act.session.user(), act.params.reason, now};
    if (!impose) {
        if (!act.room.sanction(targetKey, kind, now)) {
            fail(act.session, act.request, ErrorCode::BadRequest,
                 QStringLiteral("%1 is not %2 in '%3'").arg(act.target.name, ban ? u"banned"_s : u"muted"_s, act.room.name()));
            return;
        }
        if (!m_context.store.removeSanction(act.room.record().id, act.target.name, kind)) {
            fail(act.session, act.request, ErrorCode::Internal, u"could not store the change; retry"_s);
            return;
        }
        audit(act, action);
        act.session.reply(Reply::ok(act.request.id));
        m_context.rooms.publish(BusEvent::sanctioned(act.room.record(), record, false));
        return;
    }
    if (act.params.duration)
        record.until = now + *act.params.duration * 1000;
    // A ban takes the membership first, in the store, so that a restart or another node never finds the
    // banned user still in the room.
    const bool wasMember = act.room.isMember(targetKey);
    if (!m_context.store.setSanction(record)
        || (ban && wasMember && !m_context.rooms.storeLeave(act.room, targetKey))) {
        fail(act.session, act.request, ErrorCode::Internal, u"could not store the change; retry"_s);
        return;
    }
    if (ban && wasMember) {
        if (act.room.isPrivate())
            m_context.store.removeInvite(act.room.record().id, targetKey);
        if (act.targetStanding != Standing::Member)
            m_context.store.setRoomRole(act.room.record().id, act.target.name, RoomRole::Member);
    }
    audit(act, action, record.until ? u"until="_s + QString::number(record.until) : QString());
    act.session.reply(Reply::ok(act.request.id, QJsonObject{{QLatin1StringView("until"), record.until}}));
    if (ban && wasMember && act.targetStanding != Standing::Member)
        m_context.rooms.publish(BusEvent::roleChanged(act.room.record(), act.target.name, Role::Member, act.session.user()));
    m_context.rooms.publish(BusEvent::sanctioned(act.room.record(), record, true));
}

void ModerationHandler::audit(const Act &act, const QString &action, const QString &detail)
{
    const AuditRecord line{0, m_context.wallClockMs(), act.session.user(), action, act.target.name,
                           act.room.name(), act.params.reason, detail};
    qCInfo(lcRooms).noquote() << act.session.logTag() << u"moderation="_s + action << u"target="_s + act.target.name
                              << u"room="_s + act.room.name() << detail;
    if (!m_context.store.appendAudit(line))
        qCWarning(lcRooms).noquote() << "could not record" << action << "in the audit log";
}

} // namespace Tertulia
