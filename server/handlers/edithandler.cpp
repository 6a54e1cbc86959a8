#include "server/handlers/edithandler.h"

#include "server/core/serverconfig.h"
#include "server/handlers/servercontext.h"
#include "server/metrics/metrics.h"
#include "server/rooms/roomregistry.h"
#include "server/store/store.h"
#include "shared/names.h"

#include <QtCore/QPointer>

namespace Tertulia {

using namespace Protocol;

void EditHandler::handle(Session &session, const Request &request)
{
    if (request.type == RequestType::Edit) {
        const auto p = params<EditParams>(session, request);
        if (!p)
            return;
        Room *room = accessibleRoom(session, request, p->room, Access::Member);
        if (!room)
            return;
        if (!textFits(session, request, p->text) || isMuted(session, request, *room))
            return;
        amend(session, request, *room,
              AmendRequest{room->record(), session.user(), p->clientMsgId, MessageKind::Edit, p->seq, p->text});
        return;
    }
    if (request.type == RequestType::React) {
        const auto p = params<ReactParams>(session, request);
        if (!p)
            return;
        Room *room = accessibleRoom(session, request, p->room, Access::Member);
        if (!room)
            return;
        amend(session, request, *room,
              AmendRequest{room->record(), session.user(), p->clientMsgId,
                           p->remove ? MessageKind::Unreact : MessageKind::React, p->seq, p->reaction});
        return;
    }
    const auto p = params<DeleteParams>(session, request);
    if (!p)
        return;
    // Moderation (issue 13): the owner and the moderators delete anyone's message in their room (a moderator
    // not the owner's or another moderator's), and a server administrator anyone's in any room they can read.
    const Room *known = m_context.rooms.find(p->room);
    const Standing rank = known ? standing(session, *known) : Standing::Member;
    Room *room = accessibleRoom(session, request, p->room, rank == Standing::Administrator ? Access::Read : Access::Member);
    if (!room)
        return;
    AmendRequest change{room->record(), session.user(), p->clientMsgId, MessageKind::Delete, p->seq, QString()};
    change.asModerator = rank >= Standing::Moderator;
    if (rank == Standing::Moderator) {
        for (const QString &member : room->memberNames()) {
            if (room->role(Names::canonical(member)) != Role::Member)
                change.protectedSenders.append(Names::canonical(member));
        }
    }
    amend(session, request, *room, change);
}

void EditHandler::amend(Session &session, const Request &request, Room &room, const AmendRequest &change)
{
    QPointer<Session> sender(&session);
    QPointer<Room> target(&room);
    const QString requestId = request.id;
    ServerContext &context = m_context;
    context.store.amend(change, [&context, sender, target, requestId](const StoreResult<AppendResult> &result) {
        if (const auto *error = std::get_if<Error>(&result)) {
            if (error->code == ErrorCode::Internal)
                ++context.metrics.storeErrors;
            if (sender)
                sender->reply(Reply::failure(requestId, *error));
            return;
        }
        const AppendResult &stored = std::get<AppendResult>(result);
        if (!stored.duplicate && target)
            context.rooms.publish(BusEvent::messageStored(target->record(), stored.message, stored.position));
        if (sender) {
            sender->reply(Reply::ok(requestId, SendResult{stored.message.room, stored.message.seq,
                                                          stored.message.timestamp, stored.duplicate}
                                                   .toJson()));
        }
    });
}

} // namespace Tertulia
