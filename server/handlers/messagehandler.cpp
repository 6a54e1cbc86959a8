#include "server/handlers/messagehandler.h"

#include "server/core/serverconfig.h"
#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "server/store/store.h"
#include "server/trace/tracer.h"

#include <QtCore/QPointer>

namespace Tertulia {

using namespace Protocol;
using namespace Qt::StringLiterals;

void MessageHandler::handle(Session &session, const Request &request)
{
    const auto p = params<SendParams>(session, request);
    if (!p)
        return;
    // Most messages are not traced: then `trace` is null and costs nothing below.
    std::shared_ptr<Trace::MessageTrace> trace = m_context.tracer.begin(request, session, p->room);
    // A room this node holds is checked now, in this pass (the common case: no store read).
    withRoom(session, request, p->room, Access::Member,
             [this, request, params = *p, trace](Session &asker, Room *found) { send(asker, request, params, found, trace); });
}

void MessageHandler::send(Session &session, const Request &request, const SendParams &params, Room *room,
                          const std::shared_ptr<Trace::MessageTrace> &trace)
{
    const SendParams *p = &params;
    // Each check answers the request itself when it refuses; the trace only notes which one did.
    QString refusal;
    if (!room)
        refusal = u"no such room, or not a member"_s;
    else if (!textFits(session, request, p->text))
        refusal = u"too large"_s;
    else if (isMuted(session, request, *room))
        refusal = u"muted"_s;
    else if (isArchived(session, request, *room))
        refusal = u"archived"_s;
    if (!refusal.isEmpty()) {
        if (trace) {
            trace->error = refusal;
            m_context.tracer.answered(trace);
        }
        return;
    }
    if (trace) {
        trace->room = room->name();
        trace->validatedNs = Trace::Tracer::nowNs();
    }

    const qint64 receivedMs = m_context.clock.nowMs();
    // When it was written, if the sender says so and it is plausible against our clock (docs/protocol.md, send).
    const qint64 writtenAt = plausibleWrittenAt(p->writtenAt, m_context.wallClockMs());
    QPointer<Session> sender(&session);
    QPointer<Room> target(room);
    const QString requestId = request.id;
    ServerContext &context = m_context;
    if (trace) {
        trace->clientMsgId = p->clientMsgId;
        context.tracer.committing(trace);
    }
    context.store.append(
        AppendRequest{room->record(), session.user(), p->clientMsgId, p->text, p->replyTo, p->fileId, writtenAt,
                      trace ? trace->context : Trace::TraceContext{}, trace ? trace->node : QString()},
        [&context, sender, target, requestId, receivedMs, trace](const StoreResult<AppendResult> &result) {
            if (const auto *error = std::get_if<Error>(&result)) {
                if (error->code == ErrorCode::Internal) // not a reply refused for its original
                    ++context.metrics.storeErrors;
                if (trace) {
                    trace->error = u"store: "_s + error->message;
                    qCWarning(lcTrace).noquote() << u"trace=%1"_s.arg(trace->context.traceIdHex())
                                                 << "the store did not take a message:" << error->message;
                }
                if (sender)
                    sender->reply(Reply::failure(requestId, *error));
                if (trace)
                    context.tracer.answered(trace);
                return;
            }
            const AppendResult &stored = std::get<AppendResult>(result);
            context.metrics.commitLatency.observe(double(context.clock.nowMs() - receivedMs) / 1000.0);
            if (trace) {
                trace->committedNs = Trace::Tracer::nowNs();
                trace->seq = stored.message.seq;
                trace->position = stored.position;
                trace->duplicate = stored.duplicate;
            }
            if (stored.duplicate) {
                ++context.metrics.duplicateSends;
            } else if (target) {
                ++context.metrics.messagesReceived;
                context.metrics.messagesDelivered += quint64(target->subscribers().size());
                if (trace) {
                    trace->publishedNs = Trace::Tracer::nowNs();
                    context.tracer.awaitDelivery(trace);
                }
                BusEvent event = BusEvent::messageStored(target->record(), stored.message, stored.position);
                if (trace) // for the other nodes (the notice of the commit)
                    event.trace = trace->context;
                context.rooms.publish(std::move(event));
                context.metrics.deliveryLatency.observe(double(context.clock.nowMs() - receivedMs) / 1000.0);
            }
            if (sender) {
                sender->reply(Reply::ok(requestId, SendResult{stored.message.room, stored.message.seq,
                                                              stored.message.timestamp, stored.duplicate}
                                                       .toJson()));
            }
            if (trace)
                context.tracer.answered(trace);
        });
}

} // namespace Tertulia
