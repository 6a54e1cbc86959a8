#include "server/handlers/searchhandler.h"

#include "server/accounts/profiledirectory.h"
#include "server/core/serverconfig.h"
#include "server/handlers/servercontext.h"
#include "server/rooms/roomregistry.h"
#include "server/session/session.h"
#include "server/store/store.h"

namespace Tertulia {

using namespace Protocol;

namespace {
/// Rough wire size of a hit, to keep answers under the byte budget (as history pages).
qsizetype approximateSize(const SearchHit &hit)
{
    const ChatMessage &m = hit.message;
    return 160 + (m.text.size() + hit.snippet.size()) * 3 + m.sender.size() + m.room.size() + m.clientMsgId.size()
           + (m.writtenAt ? 30 : 0);
}
} // namespace

void SearchHandler::handle(Session &session, const Request &request)
{
    const auto p = params<SearchParams>(session, request);
    if (!p)
        return;
    Ticket ticket = admit(session.userKey());
    if (!ticket) {
        fail(session, request, ErrorCode::RateLimited,
             QStringLiteral("too many searches at once; wait for one to answer"));
        return;
    }
    SearchRequest search;
    search.terms = searchTerms(p->query);
    search.limit = p->limit;
    if (!p->before.isEmpty()) {
        search.before = SearchCursor::parse(p->before);
        if (!search.before) {
            fail(session, request, ErrorCode::BadRequest, QStringLiteral("'before' must be the 'next' of an earlier page"));
            return;
        }
    }
    if (!p->room.isEmpty()) {
        // A room this node has not loaded yet, or a private room's invitation, is looked up off the loop.
        withRoom(session, request, p->room, Access::Read,
                 [this, request, search, ticket = std::move(ticket)](Session &asker, Room *room) mutable {
                     if (!room)
                         return;
                     search.rooms.append(room->record());
                     read(asker, request, search, std::move(ticket));
                 });
        return;
    }
    // The rooms one is in, as RoomRegistry knows them now; a ban (issue 13) hides a room's messages until it
    // ends, even those written before it.
    const qint64 now = m_context.wallClockMs();
    for (const Room *room : m_context.rooms.roomsOf(session.userKey())) {
        if (!room->sanction(session.userKey(), SanctionKind::Ban, now))
            search.rooms.append(room->record());
    }
    read(session, request, search, std::move(ticket));
}

SearchHandler::Ticket SearchHandler::admit(const QString &userKey)
{
    if (m_inFlight.size() > 1024) {
        for (auto it = m_inFlight.begin(); it != m_inFlight.end();)
            it = it.value()->load() == 0 && it.value().use_count() == 1 ? m_inFlight.erase(it) : std::next(it);
    }
    std::shared_ptr<std::atomic<int>> &count = m_inFlight[userKey];
    if (!count)
        count = std::make_shared<std::atomic<int>>(0);
    if (count->fetch_add(1) >= m_context.config.limits.searchesInFlightPerUser) {
        count->fetch_sub(1);
        return nullptr;
    }
    return Ticket(count.get(), [count](void *) { count->fetch_sub(1); });
}

void SearchHandler::read(Session &session, const Request &request, const SearchRequest &search, Ticket ticket)
{
    // Off the event loop; the session is the callback's context: one that closed before the answer gets none
    // (and its ticket goes when the callback does).
    m_context.store.readSearch(
        search, &session,
        [this, session = &session, id = request.id, ticket = std::move(ticket)](const StoreResult<SearchSlice> &read) {
            if (const auto *error = std::get_if<Error>(&read)) {
                session->reply(Reply::failure(id, *error));
                return;
            }
            const SearchSlice &slice = std::get<SearchSlice>(read);
            SearchResults results;
            qsizetype total = 0;
            qsizetype keep = 0;
            for (; keep < slice.hits.size(); ++keep) {
                total += approximateSize(slice.hits.at(keep));
                if (total > m_context.config.limits.replyByteBudget && keep > 0)
                    break;
            }
            results.results = slice.hits.mid(0, keep);
            // Issue 12: results come from rooms and people the client may not have met (no member list of that
            // room loaded): their senders' names and pictures come along, from memory, as with history pages.
            for (const SearchHit &hit : std::as_const(results.results))
                m_context.profiles.addSender(hit.message.sender, results.displayNames, results.avatars);
            if (keep > 0 && (slice.hasMore || keep < slice.hits.size()))
                results.next = slice.positions.at(keep - 1).toString();
            session->reply(Reply::ok(id, results.toJson()));
        });
}

} // namespace Tertulia
