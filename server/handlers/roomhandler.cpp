#include "server/handlers/roomhandler.h"

#include "server/accounts/profiledirectory.h"
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
    ask<QList<qint64>>(
        session, [user = session.userKey()](Store &store) { return store.invitedRooms(user); },
        [this, id = request.id](Session *asker, const QList<qint64> &invited) {
            if (!asker)
                return;
            RoomListResult result;
            const qint64 now = m_context.wallClockMs();
            for (const Room *room : m_context.rooms.rooms()) {
                if (room->sanction(asker->userKey(), SanctionKind::Ban, now))
                    continue; // nothing of a room reaches whoever is banned from it
                if (!room->isPrivate() || room->isMember(asker->userKey()) || invited.contains(room->record().id)) {
                    result.rooms.append(room->info(asker->userKey()));
                    // A direct conversation is called after its other person: their name as they chose it.
                    if (const RoomInfo &info = result.rooms.constLast(); info.direct)
                        m_context.profiles.addSender(info.peer, result.displayNames, result.avatars);
                }
            }
            std::sort(result.rooms.begin(), result.rooms.end(), [](const RoomInfo &a, const RoomInfo &b) {
                return QString::compare(a.name, b.name, Qt::CaseInsensitive) < 0;
            });
            ReadMarkerHandler::answerRoomList(m_context, *asker, id, std::move(result));
        });
}

void RoomHandler::createRoom(Session &session, const Request &request)
{
    const auto p = params<CreateRoomParams>(session, request);
    if (!p)
        return;
    // A taken name gets one answer, whatever holds it (a public room, a private one the user cannot see):
    // it names the spelling asked for, never the stored one, and says nothing about the room.
    if (m_context.rooms.loaded(p->name)) {
        fail(session, request, ErrorCode::Conflict, QStringLiteral("the name '%1' is taken").arg(p->name));
        return;
    }
    // Stored off the event loop; the session's later requests wait for the answer (a `join` or a `send` to
    // the new room right after finds it). A name another node took is the store's Conflict.
    session.holdRequests();
    m_context.rooms.create(
        p->name, p->isPrivate, session.user(),
        [this, session = QPointer<Session>(&session), request, name = p->name](const StoreResult<Room *> &created) {
            if (!session)
                return;
            if (const auto *error = std::get_if<Error>(&created)) {
                if (error->code == ErrorCode::Conflict)
                    fail(*session, request, ErrorCode::Conflict, QStringLiteral("the name '%1' is taken").arg(name));
                else
                    session->reply(Reply::failure(request.id, *error));
            } else {
                // The creator's membership is committed with the next group commit; answer after it. Everyone
                // who may see the room heard of it already (RoomRegistry delivers RoomCreated as it publishes).
                answerAfterCommit(*session, request, *std::get<Room *>(created));
            }
            session->releaseRequests();
        });
}

void RoomHandler::join(Session &session, const Request &request)
{
    const auto p = params<RoomParams>(session, request);
    if (!p)
        return;
    withRoom(session, request, p->room, Access::Visible, [this, request](Session &asker, Room *found) {
        if (!found)
            return;
        if (!found->isMember(asker.userKey())) {
            if (!m_context.rooms.storeMember(*found, asker.user())) {
                fail(asker, request, ErrorCode::Internal, u"could not join; retry"_s);
                return;
            }
            m_context.rooms.publish(BusEvent::memberJoined(found->record(), asker.user()));
        }
        answerAfterCommit(asker, request, *found);
    });
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
            if (session)
                session->reply(Reply::failure(id, ErrorCode::Internal, u"could not store the membership; join again"_s));
            if (!room->isMember(userKey))
                return;
            // Undone off the event loop too; the fact follows the store.
            m_context.store.async<bool>(
                room, [record = room->record(), userKey](Store &store) { return RoomRegistry::storeLeave(store, record, userKey); },
                [this, room, user](bool left) {
                    if (left && room)
                        m_context.rooms.publish(BusEvent::memberLeft(room->record(), user));
                });
            return;
        }
        if (session)
            session->replyOk(id, RoomResult{room->info(session->userKey()), {}});
    });
}

void RoomHandler::leave(Session &session, const Request &request)
{
    const auto p = params<RoomParams>(session, request);
    if (!p)
        return;
    withRoom(session, request, p->room, Access::Visible, [this, request](Session &asker, Room *found) {
        if (!found)
            return;
        if (!found->isMember(asker.userKey())) {
            fail(asker, request, ErrorCode::BadRequest, QStringLiteral("you are not in '%1'").arg(found->name()));
            return;
        }
        if (found->isDirect()) { // exactly two members, always: clients hide a conversation instead
            fail(asker, request, ErrorCode::BadRequest, u"a direct conversation cannot be left"_s);
            return;
        }
        // The membership goes and, in a private room, the invitation that let the user in is used up (coming
        // back takes a new one): one job off the event loop, then the fact.
        const RoomRecord record = found->record();
        ask<bool>(
            asker,
            [record, userKey = asker.userKey()](Store &store) {
                if (!RoomRegistry::storeLeave(store, record, userKey))
                    return false;
                if (record.isPrivate)
                    store.removeInvite(record.id, userKey);
                return true;
            },
            [this, request, record, user = asker.user()](Session *live, bool left) {
                if (!left) {
                    if (live)
                        fail(*live, request, ErrorCode::Internal, u"could not leave; retry"_s);
                    return;
                }
                if (live)
                    live->reply(Reply::ok(request.id));
                // Once: another session of the user may have left meanwhile (its fact went first).
                if (const Room *still = m_context.rooms.loaded(record.name); still && still->isMember(Names::canonical(user)))
                    m_context.rooms.publish(BusEvent::memberLeft(record, user));
            });
    });
}

void RoomHandler::invite(Session &session, const Request &request)
{
    const auto p = params<InviteParams>(session, request);
    if (!p)
        return;
    withRoom(session, request, p->room, Access::Visible, [this, request, invitee = p->user](Session &asker, Room *found) {
        if (!found)
            return;
        if (!found->isPrivate()) {
            fail(asker, request, ErrorCode::BadRequest, u"public rooms need no invitation"_s);
            return;
        }
        if (found->isDirect()) {
            fail(asker, request, ErrorCode::BadRequest, u"a direct conversation has exactly two people: invite no one"_s);
            return;
        }
        if (Names::canonical(found->record().creator) != asker.userKey()) {
            fail(asker, request, ErrorCode::Forbidden, u"only the creator of a private room can invite"_s);
            return;
        }
        // The account is looked up and the invitation stored in one job off the event loop.
        struct Invited
        {
            std::optional<UserRecord> user;
            bool stored = false;
        };
        const RoomRecord record = found->record();
        ask<Invited>(
            asker,
            [record, invitee, by = asker.user()](Store &store) {
                Invited invited{store.findUser(invitee), false};
                invited.stored = invited.user && store.addInvite(record.id, invited.user->name, by);
                return invited;
            },
            [this, request, record, invitee, by = asker.user()](Session *live, const Invited &invited) {
                if (!invited.user) {
                    if (live)
                        fail(*live, request, ErrorCode::NotFound, QStringLiteral("there is no user '%1'").arg(invitee));
                    return;
                }
                if (!invited.stored) {
                    if (live)
                        fail(*live, request, ErrorCode::Internal, u"could not store the invitation; retry"_s);
                    return;
                }
                if (live)
                    live->reply(Reply::ok(request.id));
                m_context.rooms.publish(BusEvent::invited(record, invited.user->name, by));
            });
    });
}

void RoomHandler::members(Session &session, const Request &request)
{
    const auto p = params<RoomParams>(session, request);
    if (!p)
        return;
    withRoom(session, request, p->room, Access::Read, [this, request](Session &asker, Room *found) {
        if (!found)
            return;
        MembersResult result{found->name(), {}};
        const qint64 now = m_context.wallClockMs();
        for (const QString &member : found->memberNames()) {
            const QString key = Names::canonical(member);
            result.members.append(Member{member, m_context.presence.status(key), found->role(key),
                                         found->sanction(key, SanctionKind::Mute, now).has_value(),
                                         m_context.profiles.displayName(key), m_context.profiles.avatar(key)});
        }
        asker.reply(Reply::ok(request.id, result.toJson()));
    });
}

} // namespace Tertulia
