#include "server/handlers/roomhandler.h"

#include "server/handlers/readmarkerhandler.h"
#include "server/handlers/servercontext.h"
#include "server/rooms/presencetracker.h"
#include "server/rooms/roomregistry.h"
#include "server/session/sessionregistry.h"
#include "server/store/store.h"
#include "shared/names.h"

#include <QtCore/QPointer>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

QList<RequestType> RoomHandler::types() const
{
    return {RequestType::ListRooms, RequestType::CreateRoom, RequestType::Join,
            RequestType::Leave,     RequestType::Invite,     RequestType::Members};
}

void RoomHandler::handle(Session &session, const Request &request)
{
    switch (request.type) {
    case RequestType::ListRooms: return listRooms(session, request);
    case RequestType::CreateRoom: return createRoom(session, request);
    case RequestType::Join: return join(session, request);
    case RequestType::Leave: return leave(session, request);
    case RequestType::Invite: return invite(session, request);
    case RequestType::Members: return members(session, request);
    default: fail(session, request, ErrorCode::UnknownType, u"not a room request"_s);
    }
}

void RoomHandler::listRooms(Session &session, const Request &request)
{
    const QList<qint64> invited = m_context.store.invitedRooms(session.userKey());
    RoomListResult result;
    const qint64 now = m_context.wallClockMs();
    for (const Room *room : m_context.rooms.rooms()) {
        if (room->sanction(session.userKey(), SanctionKind::Ban, now))
            continue; // nothing of a room reaches whoever is banned from it
        if (!room->isPrivate() || room->isMember(session.userKey()) || invited.contains(room->record().id))
            result.rooms.append(room->info(session.userKey()));
    }
    std::sort(result.rooms.begin(), result.rooms.end(), [](const RoomInfo &a, const RoomInfo &b) {
        return QString::compare(a.name, b.name, Qt::CaseInsensitive) < 0;
    });
    ReadMarkerHandler::answerRoomList(m_context, session, request.id, std::move(result));
}

void RoomHandler::createRoom(Session &session, const Request &request)
{
    const auto p = params<CreateRoomParams>(session, request);
    if (!p)
        return;
    // A taken name gets one answer, whatever holds it (a public room, a private one the user cannot see):
    // it names the spelling asked for, never the stored one, and says nothing about the room.
    const auto taken = [&] {
        fail(session, request, ErrorCode::Conflict, QStringLiteral("the name '%1' is taken").arg(p->name));
    };
    if (m_context.rooms.find(p->name)) {
        taken();
        return;
    }
    auto created = m_context.rooms.create(p->name, p->isPrivate, session.user());
    if (auto *error = std::get_if<Error>(&created)) {
        if (error->code == ErrorCode::Conflict)
            taken();
        else
            session.reply(Reply::failure(request.id, *error));
        return;
    }
    // The creator's membership is committed with the next group commit; answer after it. Everyone who may
    // see the room heard of it already (RoomRegistry delivers RoomCreated as it publishes it).
    answerAfterCommit(session, request, *std::get<Room *>(created));
}

void RoomHandler::join(Session &session, const Request &request)
{
    const auto p = params<RoomParams>(session, request);
    if (!p)
        return;
    Room *room = accessibleRoom(session, request, p->room, Access::Visible);
    if (!room)
        return;
    if (!room->isMember(session.userKey())) {
        if (!m_context.rooms.storeMember(*room, session.user())) {
            fail(session, request, ErrorCode::Internal, u"could not join; retry"_s);
            return;
        }
        m_context.rooms.publish(BusEvent::memberJoined(room->record(), session.user()));
    }
    answerAfterCommit(session, request, *room);
}

void RoomHandler::answerAfterCommit(Session &session, const Request &request, Room &room)
{
    // Memberships are committed in groups (Store::addMember); the member hears "ok" only once it is stored.
    // Others may hear of the join a moment earlier: a lost commit is answered with an error and undone.
    m_context.store.whenCommitted([this, session = QPointer<Session>(&session), room = QPointer<Room>(&room),
                                   id = request.id, user = session.user()](bool committed) {
        if (!room)
            return;
        if (!committed) {
            const QString userKey = Names::canonical(user);
            if (room->isMember(userKey) && m_context.rooms.storeLeave(*room, userKey))
                m_context.rooms.publish(BusEvent::memberLeft(room->record(), user));
            if (session)
                session->reply(Reply::failure(id, ErrorCode::Internal, u"could not store the membership; join again"_s));
            return;
        }
        if (session)
            session->reply(Reply::ok(id, RoomResult{room->info(session->userKey()), {}}.toJson()));
    });
}

void RoomHandler::leave(Session &session, const Request &request)
{
    const auto p = params<RoomParams>(session, request);
    if (!p)
        return;
    Room *room = accessibleRoom(session, request, p->room, Access::Visible);
    if (!room)
        return;
    if (!room->isMember(session.userKey())) {
        fail(session, request, ErrorCode::BadRequest, QStringLiteral("you are not in '%1'").arg(room->name()));
        return;
    }
    if (!m_context.rooms.storeLeave(*room, session.userKey())) {
        fail(session, request, ErrorCode::Internal, u"could not leave; retry"_s);
        return;
    }
    // The invitation that let the user in is used up: coming back to a private room takes a new one.
    if (room->isPrivate())
        m_context.store.removeInvite(room->record().id, session.userKey());
    session.reply(Reply::ok(request.id));
    m_context.rooms.publish(BusEvent::memberLeft(room->record(), session.user()));
}

void RoomHandler::invite(Session &session, const Request &request)
{
    const auto p = params<InviteParams>(session, request);
    if (!p)
        return;
    Room *room = accessibleRoom(session, request, p->room, Access::Visible);
    if (!room)
        return;
    if (!room->isPrivate()) {
        fail(session, request, ErrorCode::BadRequest, u"public rooms need no invitation"_s);
        return;
    }
    if (Names::canonical(room->record().creator) != session.userKey()) {
        fail(session, request, ErrorCode::Forbidden, u"only the creator of a private room can invite"_s);
        return;
    }
    const auto invitee = m_context.store.findUser(p->user);
    if (!invitee) {
        fail(session, request, ErrorCode::NotFound, QStringLiteral("there is no user '%1'").arg(p->user));
        return;
    }
    if (!m_context.store.addInvite(room->record().id, invitee->name, session.user())) {
        fail(session, request, ErrorCode::Internal, u"could not store the invitation; retry"_s);
        return;
    }
    session.reply(Reply::ok(request.id));
    m_context.rooms.publish(BusEvent::invited(room->record(), invitee->name, session.user()));
}

void RoomHandler::members(Session &session, const Request &request)
{
    const auto p = params<RoomParams>(session, request);
    if (!p)
        return;
    Room *room = accessibleRoom(session, request, p->room, Access::Read);
    if (!room)
        return;
    MembersResult result{room->name(), {}};
    const qint64 now = m_context.wallClockMs();
    for (const QString &member : room->memberNames()) {
        const QString key = Names::canonical(member);
        result.members.append(Member{member, m_context.presence.status(key), room->role(key),
                                     room->sanction(key, SanctionKind::Mute, now).has_value()});
    }
    session.reply(Reply::ok(request.id, result.toJson()));
}

} // namespace Tertulia
