#include "server/handlers/historyhandler.h"

#include "server/accounts/profiledirectory.h"
#include "server/core/serverconfig.h"
#include "server/handlers/servercontext.h"
#include "server/metrics/metrics.h"
#include "server/rooms/roomregistry.h"
#include "server/session/session.h"
#include "server/store/store.h"
#include "shared/names.h"

#include <QtCore/QSet>

namespace Tertulia {

using namespace Protocol;

namespace {
/// Rough wire size of a message event, to keep replies under the byte budget.
qsizetype approximateSize(const ChatMessage &message)
{
    return 120 + message.text.size() * 3 + message.sender.size() + message.room.size() + message.clientMsgId.size()
           + (message.writtenAt ? 30 : 0); // ,"written_at":1795660000000
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
    withRoom(session, request, p->room, Access::Read,
             [this, request, params = *p](Session &asker, Room *found) {
                 if (found)
                     readPage(asker, request, params, *found);
             });
}

void HistoryHandler::readPage(Session &session, const Request &request, const HistoryParams &params, Room &room)
{
    const HistoryParams *p = &params;
    // What was acked is readable: an ack comes only after its commit. (No flush() here: it would make the
    // loop wait for the writer's commit.)
    // The page is read off the event loop (Store::readHistory); deliveries go on meanwhile. A live message
    // of the room may reach the client before this answer: the client merges pages by seq (docs/protocol.md).
    // The session is the callback's context: one that closed before the answer gets none.
    m_context.store.readHistory(
        room.record(), p->before, p->after, p->limit, &session,
        [this, session = &session, id = request.id, params = *p, roomName = room.name()](
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
            // Issue 12: the senders' display names and avatar pictures, from memory, so people who left are
            // named and shown too.
            for (const ChatMessage &m : std::as_const(page.messages))
                m_context.profiles.addSender(m.sender, page.displayNames, page.avatars);
            session->reply(Reply::ok(id, page.toJson()));
        });
}

/// A pending `resume`: its rooms in request order, and how many reads have not answered yet.
struct HistoryHandler::PendingResume
{
    /// One room, as the request found it; its replay is read later (off the event loop).
    struct Entry
    {
        QString name;            ///< as the reply names it
        ResumeRoomState state;   ///< error and lastSeq already set
        qint64 from = 0;         ///< the client holds up to here
        qint64 upTo = 0;         ///< the replay ends here: live delivery starts after it
        RoomRecord record;
        QList<ChatMessage> missed; ///< read from the store (empty: nothing to read, or the read failed)
    };

    QString requestId;
    QList<Entry> rooms;
    int reads = 0;
};

void HistoryHandler::resume(Session &session, const Request &request)
{
    const auto p = params<ResumeParams>(session, request);
    if (!p)
        return;
    // Rooms created on another node and not heard of here yet are read off the event loop first (the
    // session's later requests wait: Session::holdRequests()); the replay starts once they are held.
    QList<QString> unknown;
    for (auto it = p->rooms.cbegin(); it != p->rooms.cend(); ++it) {
        if (m_context.rooms.mayLoad(it.key()))
            unknown.append(it.key());
    }
    if (unknown.isEmpty()) {
        resumeLoaded(session, request.id, *p);
        return;
    }
    ask<QList<RoomRegistry::StoredRoom>>(
        session,
        [unknown](Store &store) {
            QList<RoomRegistry::StoredRoom> found;
            for (const QString &name : unknown) {
                if (auto stored = RoomRegistry::readRoom(store, name))
                    found.append(*stored);
            }
            return found;
        },
        [this, id = request.id, rooms = *p](Session *asker, const QList<RoomRegistry::StoredRoom> &found) {
            for (const RoomRegistry::StoredRoom &stored : found)
                m_context.rooms.adopt(stored);
            if (asker)
                resumeLoaded(*asker, id, rooms);
        });
}

void HistoryHandler::resumeLoaded(Session &session, const QString &requestId, const ResumeParams &asked)
{
    // Every seq up to a room's lastSeq() is committed (it moves in the commit's callback): no flush() needed,
    // and the reader connection sees all of it.
    auto pending = std::make_shared<PendingResume>();
    pending->requestId = requestId;
    for (auto it = asked.rooms.cbegin(); it != asked.rooms.cend(); ++it) {
        PendingResume::Entry entry;
        Room *room = m_context.rooms.loaded(it.key());
        if (!room || !room->canRead(session.userKey())) {
            entry.name = it.key();
            entry.state.error = QStringLiteral("there is no room '%1'").arg(it.key());
            pending->rooms.append(entry);
            continue;
        }
        entry.name = room->name();
        entry.state.lastSeq = room->lastSeq();
        if (!room->isMember(session.userKey())) {
            entry.state.error = QStringLiteral("you are not in '%1'").arg(room->name());
            pending->rooms.append(entry);
            continue;
        }
        // What the session already receives live needs no replay: every message after it subscribed to the
        // room (it may have come in between the connect and this request). With several nodes the database
        // may also hold messages of other nodes that this node's room has not heard yet: they too arrive
        // live, through the bus, after this answer. So the replay ends where live delivery starts.
        entry.from = it.value();
        entry.upTo = std::min(entry.state.lastSeq, session.liveFrom(room->key()).value_or(entry.state.lastSeq));
        entry.record = room->record();
        pending->rooms.append(entry);
    }
    const ServerLimits &limits = m_context.config.limits;
    for (qsizetype i = 0; i < pending->rooms.size(); ++i) {
        const PendingResume::Entry &entry = pending->rooms.at(i);
        if (!entry.state.error.isEmpty() || entry.from >= entry.upTo)
            continue;
        if (pending->reads++ == 0) {
            // Room events that come while the replay is read wait for it: a live message (past upTo) must
            // not overtake the replayed ones. Released in finishResume(); a session that closes first takes
            // them along.
            session.holdDeliveries();
        }
        // Off the event loop (Store::readHistory): a replay that the database holds up stalls nobody else.
        // The session is the context: one that closed before the answer gets none.
        m_context.store.readHistory(entry.record, std::nullopt, entry.from, limits.historyReplayLimit, &session,
                                    [this, session = &session, pending, i](const StoreResult<HistorySlice> &read) {
                                        // A failed read replays nothing: the room reports a gap.
                                        if (const auto *slice = std::get_if<HistorySlice>(&read))
                                            pending->rooms[i].missed = slice->messages;
                                        if (--pending->reads == 0)
                                            finishResume(*session, *pending, true);
                                    });
    }
    if (pending->reads == 0)
        finishResume(session, *pending, false);
}

void HistoryHandler::finishResume(Session &session, const PendingResume &pending, bool held)
{
    ResumeResult result;
    qsizetype budget = m_context.config.limits.replyByteBudget;
    // What each room replays: its missed messages up to upTo, within the byte budget of the whole answer.
    QList<qsizetype> replayCounts(pending.rooms.size(), 0);
    QList<QString> senders; // with a profile, in order of first appearance
    QSet<QString> seenSenders;
    for (qsizetype i = 0; i < pending.rooms.size() && budget >= 0; ++i) {
        const PendingResume::Entry &entry = pending.rooms.at(i);
        if (!entry.state.error.isEmpty())
            continue;
        for (const ChatMessage &message : entry.missed) {
            if (message.seq > entry.upTo)
                break;
            budget -= approximateSize(message);
            if (budget < 0)
                break;
            ++replayCounts[i];
            if (!seenSenders.contains(message.sender)) {
                seenSenders.insert(message.sender);
                // One's own profile came with the hello.
                if (Names::canonical(message.sender) != session.userKey() && m_context.profiles.hasProfile(message.sender))
                    senders.append(message.sender);
            }
        }
    }
    // Issue 12: the replayed messages' senders may be people the client has not met, or whose rename or new
    // picture it missed while away (`profile_updated` is not replayed): their profiles as they are now come
    // first, as `profile_updated`, the one event every client already applies. On both wire protocols: a
    // Socket.IO recovery emits them before the messages too (SocketIoTransport::deliverRecovered()).
    for (const QString &sender : std::as_const(senders))
        session.sendEvent(Event::profileUpdated(m_context.profiles.profile(sender)));
    for (qsizetype i = 0; i < pending.rooms.size(); ++i) {
        const PendingResume::Entry &entry = pending.rooms.at(i);
        ResumeRoomState state = entry.state;
        if (!state.error.isEmpty()) {
            result.rooms.insert(entry.name, state);
            continue;
        }
        qint64 replayed = std::min(entry.from, entry.upTo);
        // A page that stops short of upTo (the replay limit, or the budget) leaves `replayed` below it: a gap.
        for (const ChatMessage &message : entry.missed.first(replayCounts.at(i))) {
            session.sendEvent(Event::message(message));
            replayed = message.seq;
        }
        const bool complete = replayed == entry.upTo;
        state.replayedTo = complete ? state.lastSeq : replayed;
        // A client ahead of the server (restored from another server's data) cannot be "recovered".
        state.recovered = complete && entry.from <= state.lastSeq;
        if (state.recovered)
            ++m_context.metrics.resumesRecovered;
        else
            ++m_context.metrics.resumesGap;
        result.rooms.insert(entry.name, state);
    }
    // What came live meanwhile follows the replay (each room's live messages start after its upTo: nothing
    // twice), then the answer; a Socket.IO recovery merges all of it by (room, seq) when it hears the answer.
    if (held)
        session.releaseDeliveries();
    session.reply(Reply::ok(pending.requestId, result.toJson()));
}

} // namespace Tertulia
