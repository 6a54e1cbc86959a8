#include "server/handlers/roomsettings.h"

#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/rooms/room.h"
#include "server/rooms/roomregistry.h"
#include "server/store/store.h"
#include "shared/names.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;
using Standing = Moderation::Standing;

namespace {
/// One audit line per setting changed (what the administration guide lists), all of one request.
QList<AuditRecord> auditLines(const RoomRecord &before, const UpdateRoomParams &p, const AuditRecord &base)
{
    QList<AuditRecord> lines;
    const auto add = [&](const QString &action, const QString &detail) {
        AuditRecord line = base;
        line.action = action;
        line.detail = detail;
        lines.append(line);
    };
    if (p.topic && *p.topic != before.topic)
        add(u"set_topic"_s, u"topic="_s + *p.topic);
    if (p.title && *p.title != before.title)
        add(u"rename_room"_s, u"title="_s + *p.title);
    if (p.isPrivate && *p.isPrivate != before.isPrivate)
        add(*p.isPrivate ? u"make_private"_s : u"make_public"_s, {});
    if (p.archived && *p.archived != before.archived)
        add(*p.archived ? u"archive_room"_s : u"unarchive_room"_s, {});
    return lines;
}
} // namespace

RoomSettings::RoomSettings(ServerContext &context) : m_context(context), m_moderation(context) { }

std::optional<Error> RoomSettings::unavailable(const QString &actorKey, const QString &name, const Room *room,
                                               Standing actor)
{
    if (!room || Moderation::hides(actorKey, *room, actor))
        return Error{ErrorCode::NotFound, QStringLiteral("there is no room '%1'").arg(name)};
    if (room->isDirect()) {
        return Error{ErrorCode::BadRequest,
                     QStringLiteral("a direct conversation has no settings: it is between its two people only")};
    }
    return std::nullopt;
}

void RoomSettings::update(const Actor &actor, const UpdateRoomParams &p, std::function<void(const Updated &)> done)
{
    // The context, not this: the server's parts outlive every request, an AdminApi (and so this) need not.
    m_moderation.lookUp(actor.user, p.room, {}, [&context = m_context, actor, p, done = std::move(done)](Room *room, bool admin, const auto &) {
        const QString actorKey = Names::canonical(actor.user);
        const Standing standing = room ? Moderation::standing(actorKey, *room, admin) : Standing::Member;
        if (const auto refusal = unavailable(actorKey, p.room, room, standing))
            return done(*refusal);
        // A topic is the moderators' to keep; what the room is (its name, who may see it, whether it is open)
        // is the owner's.
        const bool ownerSettings = p.title || p.isPrivate || p.archived;
        if (ownerSettings && standing < Standing::Owner) {
            return done(Error{ErrorCode::Forbidden,
                              QStringLiteral("only the owner of '%1' renames it, makes it public or private, or archives it")
                                  .arg(room->name())});
        }
        if (standing < Standing::Moderator) {
            return done(Error{ErrorCode::Forbidden,
                              QStringLiteral("only the owner and the moderators of '%1' set its topic").arg(room->name())});
        }
        const RoomRecord before = room->record();
        const AuditRecord base{0, context.wallClockMs(), actor.user, {}, {}, room->name(), p.reason, {}};
        const QList<AuditRecord> lines = auditLines(before, p, base);
        if (lines.isEmpty()) // as it is already: nothing to store, record or tell
            return done(before);
        const RoomChange change{p.title, p.topic, p.isPrivate, p.archived};
        context.store.async<std::optional<RoomRecord>>(
            &context.rooms,
            [id = before.id, change, lines](Store &store) {
                std::optional<RoomRecord> stored = store.updateRoom(id, change);
                if (!stored)
                    return stored;
                for (const AuditRecord &line : lines) {
                    if (!store.appendAudit(line))
                        qCWarning(lcRooms).noquote() << "could not record" << line.action << "in the audit log";
                }
                return stored;
            },
            [&context, actor, lines, done](const std::optional<RoomRecord> &stored) {
                if (!stored)
                    return done(Error{ErrorCode::Internal, u"could not store the room's settings; retry"_s});
                for (const AuditRecord &line : lines)
                    qCInfo(lcRooms).noquote() << actor.logTag << u"room_settings="_s + line.action << u"room="_s + line.room;
                // Published first: this node applies the fact at once, so the answer finds the room as it says.
                context.rooms.publish(BusEvent::roomUpdated(*stored, actor.user));
                done(*stored);
            });
    });
}

void RoomSettings::remove(const Actor &actor, const DeleteRoomParams &p,
                          std::function<void(const std::optional<Error> &)> done)
{
    m_moderation.lookUp(actor.user, p.room, {}, [&context = m_context, actor, p, done = std::move(done)](Room *room, bool admin, const auto &) {
        const QString actorKey = Names::canonical(actor.user);
        const Standing standing = room ? Moderation::standing(actorKey, *room, admin) : Standing::Member;
        if (const auto refusal = unavailable(actorKey, p.room, room, standing))
            return done(*refusal);
        if (standing < Standing::Owner)
            return done(Error{ErrorCode::Forbidden, QStringLiteral("only the owner of '%1' deletes it").arg(room->name())});
        const RoomRecord record = room->record();
        const qint64 now = context.wallClockMs();
        const AuditRecord line{0, now, actor.user, u"delete_room"_s, {}, record.name, p.reason,
                               p.keepHistory ? u"history=kept"_s : u"history=deleted"_s};
        context.store.async<bool>(
            &context.rooms,
            [id = record.id, now, keep = p.keepHistory, line](Store &store) {
                if (!store.deleteRoom(id, now, keep))
                    return false;
                if (!store.appendAudit(line))
                    qCWarning(lcRooms).noquote() << "could not record delete_room in the audit log";
                return true;
            },
            [&context, actor, record, p, done](bool deleted) {
                if (!deleted)
                    return done(Error{ErrorCode::Internal, u"could not delete the room; retry"_s});
                qCInfo(lcRooms).noquote() << actor.logTag << u"room_settings=delete_room"_s << u"room="_s + record.name
                                          << (p.keepHistory ? "history=kept" : "history=deleted");
                // The answer first: the asker's own sessions then hear room_deleted like every member's.
                done(std::nullopt);
                context.rooms.publish(BusEvent::roomDeleted(record, actor.user, p.keepHistory, p.reason));
            });
    });
}

} // namespace Tertulia
