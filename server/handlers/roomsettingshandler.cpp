#include "server/handlers/roomsettingshandler.h"

#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/rooms/roomregistry.h"
#include "server/store/store.h"

#include <QtCore/QPointer>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

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

QList<RequestType> RoomSettingsHandler::types() const { return {RequestType::UpdateRoom, RequestType::DeleteRoom}; }

void RoomSettingsHandler::handle(Session &session, const Request &request)
{
    if (request.type == RequestType::UpdateRoom) {
        const auto p = params<UpdateRoomParams>(session, request);
        if (!p)
            return;
        known(session, p->room, [this, request, p = *p](Session &asker, Room *room, bool admin) {
            update(asker, request, p, room, admin);
        });
        return;
    }
    const auto p = params<DeleteRoomParams>(session, request);
    if (!p)
        return;
    known(session, p->room, [this, request, p = *p](Session &asker, Room *room, bool admin) {
        remove(asker, request, p, room, admin);
    });
}

void RoomSettingsHandler::known(Session &session, const QString &room,
                                std::function<void(Session &, Room *, bool admin)> then)
{
    session.holdRequests();
    m_moderation.lookUp(session.user(), room, {},
                        [asker = QPointer<Session>(&session), then = std::move(then)](
                            Room *found, bool admin, const std::optional<UserRecord> &) {
                            if (!asker)
                                return;
                            then(*asker, found, admin);
                            asker->releaseRequests();
                        });
}

Room *RoomSettingsHandler::visibleRoom(Session &session, const Request &request, const QString &name, Room *room,
                                       Standing actor)
{
    if (!room || Moderation::hides(session.userKey(), *room, actor)) {
        fail(session, request, ErrorCode::NotFound, QStringLiteral("there is no room '%1'").arg(name));
        return nullptr;
    }
    if (room->isDirect()) {
        fail(session, request, ErrorCode::BadRequest,
             QStringLiteral("a direct conversation has no settings: it is between its two people only"));
        return nullptr;
    }
    return room;
}

void RoomSettingsHandler::update(Session &session, const Request &request, const UpdateRoomParams &p, Room *room,
                                 bool admin)
{
    const Standing actor = room ? standing(session, *room, admin) : Standing::Member;
    if (!visibleRoom(session, request, p.room, room, actor))
        return;
    // A topic is the moderators' to keep; what the room is (its name, who may see it, whether it is open)
    // is the owner's.
    const bool ownerSettings = p.title || p.isPrivate || p.archived;
    if (ownerSettings && actor < Standing::Owner) {
        fail(session, request, ErrorCode::Forbidden,
             QStringLiteral("only the owner of '%1' renames it, makes it public or private, or archives it")
                 .arg(room->name()));
        return;
    }
    if (actor < Standing::Moderator) {
        fail(session, request, ErrorCode::Forbidden,
             QStringLiteral("only the owner and the moderators of '%1' set its topic").arg(room->name()));
        return;
    }
    const RoomRecord before = room->record();
    const AuditRecord base{0, m_context.wallClockMs(), session.user(), {}, {}, room->name(), p.reason, {}};
    const QList<AuditRecord> lines = auditLines(before, p, base);
    if (lines.isEmpty()) { // as it is already: nothing to store, record or tell
        session.reply(Reply::ok(request.id, RoomResult{room->info(session.userKey()), {}}.toJson()));
        return;
    }
    const RoomChange change{p.title, p.topic, p.isPrivate, p.archived};
    ask<std::optional<RoomRecord>>(
        session,
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
        [this, id = request.id, by = session.user(), tag = session.logTag(), lines](Session *asker,
                                                                                    const std::optional<RoomRecord> &stored) {
            if (!stored) {
                if (asker)
                    asker->reply(Reply::failure(id, ErrorCode::Internal, u"could not store the room's settings; retry"_s));
                return;
            }
            for (const AuditRecord &line : lines)
                qCInfo(lcRooms).noquote() << tag << u"room_settings="_s + line.action << u"room="_s + line.room;
            m_context.rooms.publish(BusEvent::roomUpdated(*stored, by));
            if (!asker)
                return;
            const Room *held = m_context.rooms.loaded(stored->name);
            RoomInfo info = held ? held->info(asker->userKey()) : RoomInfo{};
            asker->reply(Reply::ok(id, RoomResult{info, {}}.toJson()));
        });
}

void RoomSettingsHandler::remove(Session &session, const Request &request, const DeleteRoomParams &p, Room *room,
                                 bool admin)
{
    const Standing actor = room ? standing(session, *room, admin) : Standing::Member;
    if (!visibleRoom(session, request, p.room, room, actor))
        return;
    if (actor < Standing::Owner) {
        fail(session, request, ErrorCode::Forbidden, QStringLiteral("only the owner of '%1' deletes it").arg(room->name()));
        return;
    }
    const RoomRecord record = room->record();
    const qint64 now = m_context.wallClockMs();
    const AuditRecord line{0, now, session.user(), u"delete_room"_s, {}, record.name, p.reason,
                           p.keepHistory ? u"history=kept"_s : u"history=deleted"_s};
    ask<bool>(
        session,
        [id = record.id, now, keep = p.keepHistory, line](Store &store) {
            if (!store.deleteRoom(id, now, keep))
                return false;
            if (!store.appendAudit(line))
                qCWarning(lcRooms).noquote() << "could not record delete_room in the audit log";
            return true;
        },
        [this, id = request.id, record, by = session.user(), p, tag = session.logTag()](Session *asker, bool deleted) {
            if (!deleted) {
                if (asker)
                    asker->reply(Reply::failure(id, ErrorCode::Internal, u"could not delete the room; retry"_s));
                return;
            }
            qCInfo(lcRooms).noquote() << tag << u"room_settings=delete_room"_s << u"room="_s + record.name
                                      << (p.keepHistory ? "history=kept" : "history=deleted");
            // The answer first: the asker's own sessions then hear room_deleted like every member's.
            if (asker)
                asker->reply(Reply::ok(id));
            m_context.rooms.publish(BusEvent::roomDeleted(record, by, p.keepHistory, p.reason));
        });
}

} // namespace Tertulia
