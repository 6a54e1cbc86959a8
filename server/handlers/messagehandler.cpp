#include "server/handlers/messagehandler.h"

#include "server/core/serverconfig.h"
#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "server/store/store.h"

#include <QtCore/QPointer>

namespace Tertulia {

using namespace Protocol;

void MessageHandler::handle(Session &session, const Request &request)
{
    const auto p = params<SendParams>(session, request);
    if (!p)
        return;
    Room *room = accessibleRoom(session, request, p->room, Access::Member);
    if (!room)
        return;
    if (!textFits(session, request, p->text))
        return;

    const qint64 receivedMs = m_context.clock.nowMs();
    QPointer<Session> sender(&session);
    QPointer<Room> target(room);
    const QString requestId = request.id;
    ServerContext &context = m_context;
    context.store.append(
        AppendRequest{room->record(), session.user(), p->clientMsgId, p->text, p->replyTo},
        [&context, sender, target, requestId, receivedMs](const StoreResult<AppendResult> &result) {
            if (const auto *error = std::get_if<Error>(&result)) {
                if (error->code == ErrorCode::Internal) // not a reply refused for its original
                    ++context.metrics.storeErrors;
                if (sender)
                    sender->reply(Reply::failure(requestId, *error));
                return;
            }
            const AppendResult &stored = std::get<AppendResult>(result);
            context.metrics.commitLatency.observe(double(context.clock.nowMs() - receivedMs) / 1000.0);
            if (stored.duplicate) {
                ++context.metrics.duplicateSends;
            } else if (target) {
                ++context.metrics.messagesReceived;
                context.metrics.messagesDelivered += quint64(target->subscribers().size());
                context.rooms.publish(BusEvent::messageStored(target->record(), stored.message, stored.position));
                context.metrics.deliveryLatency.observe(double(context.clock.nowMs() - receivedMs) / 1000.0);
            }
            if (sender) {
                sender->reply(Reply::ok(requestId, SendResult{stored.message.room, stored.message.seq,
                                                              stored.message.timestamp, stored.duplicate}
                                                       .toJson()));
            }
        });
}

} // namespace Tertulia
