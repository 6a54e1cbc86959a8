#include "server/handlers/historyhandler.h"

#include "server/core/serverconfig.h"
#include "server/handlers/servercontext.h"
#include "server/metrics/metrics.h"
#include "server/rooms/roomregistry.h"
#include "server/session/session.h"
#include "server/store/store.h"

namespace Tertulia {

using namespace Protocol;

namespace {
/// Rough wire size of a message event, to keep replies under the byte budget.
qsizetype approximateSize(const ChatMessage &message)
{
    return 120 + message.text.size() * 3 + message.sender.size() + message.room.size() + message.clientMsgId.size();
}
} // namespace

void HistoryHandler::handle(Session &session, const Request &request)
{
    if (request.type == RequestType::History)
        history(session, request);
    else
        resume(session, request);
}

void HistoryHandler::history(Session &session, const Request &request)
{
    const auto p = params<HistoryParams>(session, request);
    if (!p)
        return;
    Room *room = accessibleRoom(session, request, p->room, Access::Read);
    if (!room)
        return;
    // What was acked is readable: an ack comes only after its commit. (No flush() here: it would make the
    // loop wait for the writer's commit.)
    // The page is read off the event loop (Store::readHistory); deliveries go on meanwhile. A live message
    // of the room may reach the client before this answer: the client merges pages by seq (docs/protocol.md).
    // The session is the callback's context: one that closed before the answer gets none.
    m_context.store.readHistory(
        room->record(), p->before, p->after, p->limit, &session,
        [this, session = &session, id = request.id, params = *p, roomName = room->name()](
            const StoreResult<HistorySlice> &read) {
            if (const auto *error = std::get_if<Error>(&read)) {
                session->reply(Reply::failure(id, *error));
                return;
            }
            const HistorySlice &slice = std::get<HistorySlice>(read);
            HistoryPage page{roomName, slice.messages, slice.hasMore};
            // Trim to the byte budget from the far end, keeping the page contiguous with the anchor.
            qsizetype total = 0;
            qsizetype keep = 0;
            const qsizetype count = page.messages.size();
            for (; keep < count; ++keep) {
                const ChatMessage &m = params.after ? page.messages[keep] : page.messages[count - 1 - keep];
                total += approximateSize(m);
                if (total > m_context.config.limits.replyByteBudget && keep > 0)
                    break;
            }
            if (keep < count) {
                page.hasMore = true;
                if (params.after)
                    page.messages.resize(keep);
                else
                    page.messages.remove(0, count - keep);
            }
            session->reply(Reply::ok(id, page.toJson()));
        });
}

void HistoryHandler::resume(Session &session, const Request &request)
{
    const auto p = params<ResumeParams>(session, request);
    if (!p)
        return;
    // Every seq up to a room's lastSeq() is committed (it moves in the commit's callback): no flush() needed.
    const ServerLimits &limits = m_context.config.limits;
    ResumeResult result;
    qsizetype budget = limits.replyByteBudget;
    for (auto it = p->rooms.cbegin(); it != p->rooms.cend(); ++it) {
        ResumeRoomState state;
        Room *room = m_context.rooms.find(it.key());
        if (!room || !room->canRead(session.userKey())) {
            state.error = QStringLiteral("there is no room '%1'").arg(it.key());
            result.rooms.insert(it.key(), state);
            continue;
        }
        if (!room->isMember(session.userKey())) {
            state.error = QStringLiteral("you are not in '%1'").arg(room->name());
            state.lastSeq = room->lastSeq();
            result.rooms.insert(room->name(), state);
            continue;
        }
        state.lastSeq = room->lastSeq();
        // What the session already receives live needs no replay: every message after it subscribed to the
        // room (it may have come in between the connect and this request). With several nodes the database
        // may also hold messages of other nodes that this node's room has not heard yet: they too arrive
        // live, through the bus, after this answer. So the replay ends where live delivery starts.
        const qint64 replayUpTo = std::min(state.lastSeq, session.liveFrom(room->key()).value_or(state.lastSeq));
        qint64 replayed = std::min(it.value(), replayUpTo);
        bool hasMore = false;
        const QList<ChatMessage> missed =
            it.value() >= replayUpTo
                ? QList<ChatMessage>()
                : m_context.store.history(room->record(), std::nullopt, it.value(), limits.historyReplayLimit, &hasMore);
        Q_UNUSED(hasMore); // a page that stops short of replayUpTo leaves `replayed` below it: a gap
        for (const ChatMessage &message : missed) {
            if (message.seq > replayUpTo)
                break;
            budget -= approximateSize(message);
            if (budget < 0)
                break;
            session.sendEvent(Event::message(message));
            replayed = message.seq;
        }
        const bool complete = replayed == replayUpTo;
        state.replayedTo = complete ? state.lastSeq : replayed;
        // A client ahead of the server (restored from another server's data) cannot be "recovered".
        state.recovered = complete && it.value() <= state.lastSeq;
        if (state.recovered)
            ++m_context.metrics.resumesRecovered;
        else
            ++m_context.metrics.resumesGap;
        result.rooms.insert(room->name(), state);
    }
    session.reply(Reply::ok(request.id, result.toJson()));
}

} // namespace Tertulia
