#include "server/handlers/directhandler.h"

#include "server/accounts/profiledirectory.h"

#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/rooms/roomregistry.h"
#include "server/store/store.h"
#include "shared/names.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

QList<RequestType> DirectHandler::types() const { return {RequestType::OpenDirect}; }

RoomResult DirectHandler::roomAnswer(const Room &room, const QString &userKey) const
{
    RoomResult result{room.info(userKey), {}};
    m_context.profiles.addSender(result.room.peer, result.displayNames, result.avatars);
    return result;
}

void DirectHandler::handle(Session &session, const Request &request)
{
    const auto p = params<OpenDirectParams>(session, request);
    if (!p)
        return;
    if (Names::canonical(p->user) == session.userKey()) {
        fail(session, request, ErrorCode::BadRequest, u"a direct conversation is with someone else"_s);
        return;
    }
    // Opened before and held here with both people in it: the answer needs no store (members of a conversation
    // stay until their account is deleted; then the store says there is no such user).
    const QString address = Names::directAddress(session.user(), p->user);
    if (const Room *room = m_context.rooms.loaded(address);
        room && room->isMember(session.userKey()) && room->isMember(Names::canonical(p->user))) {
        session.reply(Reply::ok(request.id, roomAnswer(*room, session.userKey()).toJson()));
        return;
    }
    // Off the event loop: the other account (an account that exists now: deleted ones are not found; a
    // disabled one may still be written to), then the room, made or found by the store's unique pair.
    struct Opened
    {
        std::optional<UserRecord> peer;
        StoreResult<DirectRoom> direct = Error{ErrorCode::Internal, {}};
        std::optional<RoomRegistry::StoredRoom> stored; ///< an existing room this node may not hold yet
    };
    ask<Opened>(
        session,
        [user = session.user(), other = p->user, address, now = m_context.wallClockMs()](Store &store) {
            Opened opened;
            opened.peer = store.findUser(other);
            if (!opened.peer)
                return opened;
            opened.direct = store.openDirect(user, opened.peer->name, now);
            if (const auto *direct = std::get_if<DirectRoom>(&opened.direct); direct && !direct->created)
                opened.stored = RoomRegistry::readRoom(store, address);
            return opened;
        },
        [this, request, other = p->user](Session *asker, const Opened &opened) {
            if (!opened.peer) {
                if (asker)
                    fail(*asker, request, ErrorCode::NotFound, QStringLiteral("there is no user '%1'").arg(other));
                return;
            }
            if (const auto *error = std::get_if<Error>(&opened.direct)) {
                if (asker)
                    asker->reply(Reply::failure(request.id, *error));
                return;
            }
            const DirectRoom &direct = std::get<DirectRoom>(opened.direct);
            const QString opener = asker ? asker->user() : direct.room.creator;
            if (direct.created) {
                // Every node (this one at once) holds it with both members, and both people's sessions hear
                // `direct_opened`: it appears in their room lists.
                qCInfo(lcRooms).noquote() << u"user="_s + opener << "opened a direct conversation with" << opened.peer->name;
                m_context.rooms.publish(BusEvent::directOpened(direct.room, opener, opened.peer->name));
            } else if (opened.stored) {
                m_context.rooms.adopt(*opened.stored);
            }
            if (!asker)
                return;
            const Room *room = m_context.rooms.loaded(direct.room.name);
            if (!room || !room->isMember(asker->userKey())) {
                fail(*asker, request, ErrorCode::Internal, u"the conversation was stored but not held; retry"_s);
                return;
            }
            asker->reply(Reply::ok(request.id, roomAnswer(*room, asker->userKey()).toJson()));
        });
}

} // namespace Tertulia
