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
        withRoom(session, request, p->room, Access::Member, [this, request, p = *p](Session &asker, Room *found) {
            if (!found || !textFits(asker, request, p.text) || isMuted(asker, request, *found)
                || isArchived(asker, request, *found))
                return;
            amend(asker, request, *found,
                  AmendRequest{found->record(), asker.user(), p.clientMsgId, MessageKind::Edit, p.seq, p.text});
        });
        return;
    }
    if (request.type == RequestType::React) {
        const auto p = params<ReactParams>(session, request);
        if (!p)
            return;
        withRoom(session, request, p->room, Access::Member, [this, request, p = *p](Session &asker, Room *found) {
            if (!found || isArchived(asker, request, *found))
                return;
            amend(asker, request, *found,
                  AmendRequest{found->record(), asker.user(), p.clientMsgId,
                               p.remove ? MessageKind::Unreact : MessageKind::React, p.seq, p.reaction});
        });
        return;
    }
    const auto p = params<DeleteParams>(session, request);
    if (!p)
        return;
    // Moderation (issue 13): the owner and the moderators delete anyone's message in their room (a moderator
    // not the owner's or another moderator's), and a server administrator anyone's in any room they can read.
    // The administrator flag is the store's: read off the event loop (the session's later requests wait).
    ask<bool>(
        session,
        [user = session.user()](Store &store) {
            const auto account = store.findUser(user);
            return account && account->isAdmin;
        },
        [this, request, p = *p](Session *asker, bool admin) {
            if (!asker)
                return;
            const Room *known = m_context.rooms.loaded(p.room);
            const Standing rank = known ? standing(*asker, *known, admin) : (admin ? Standing::Administrator : Standing::Member);
            withRoom(*asker, request, p.room, rank == Standing::Administrator ? Access::Read : Access::Member,
                     [this, request, p, admin](Session &client, Room *found) {
                         if (!found || isArchived(client, request, *found))
                             return;
                         const Standing held = standing(client, *found, admin);
                         AmendRequest change{found->record(), client.user(), p.clientMsgId, MessageKind::Delete, p.seq, QString()};
                         change.asModerator = held >= Standing::Moderator;
                         if (held == Standing::Moderator) {
                             for (const QString &member : found->memberNames()) {
                                 if (found->role(Names::canonical(member)) != Role::Member)
                                     change.protectedSenders.append(Names::canonical(member));
                             }
                         }
                         amend(client, request, *found, change);
                     });
        });
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
