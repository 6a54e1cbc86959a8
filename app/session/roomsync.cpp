#include "app/session/roomsync.h"

#include "app/logging.h"
#include "app/session/chatroom.h"
#include "app/session/connectionmanager.h"
#include "app/session/displaynames.h"
#include "app/session/roomdirectory.h"
#include "shared/names.h"

namespace Tertulia {

using Protocol::Reply;
using Protocol::Request;
using State = ConnectionManager::State;

namespace {
constexpr int kGapPageSize = Protocol::kMaxHistoryPage;

template<typename T>
std::optional<T> parse(const Reply &reply, const char *what)
{
    auto parsed = T::fromJson(reply.data);
    if (auto *error = std::get_if<Protocol::Error>(&parsed)) {
        qCWarning(lcClientSession) << "unreadable" << what << "reply:" << error->message;
        return std::nullopt;
    }
    return std::get<T>(std::move(parsed));
}
} // namespace

RoomSync::RoomSync(ConnectionManager &connection, RoomDirectory &rooms, QObject *parent)
    : QObject(parent), m_connection(connection), m_rooms(rooms)
{
    m_connection.setSyncHandler(this, [this] { startSync(); });
    connect(&m_connection, &ConnectionManager::connectionLost, this, &RoomSync::onConnectionLost);
}

RoomSync::~RoomSync() = default;

bool RoomSync::request(Request request, std::function<void(const Reply &)> handler)
{
    return m_connection.request(std::move(request), this, std::move(handler));
}

void RoomSync::onConnectionLost()
{
    // Whatever the last sync or page was doing is void; the next connection starts over.
    ++m_generation;
    m_resuming = false;
    m_gapFills.clear();
    m_loadingNewest.clear();
    const QSet<QString> older = std::exchange(m_loadingOlder, {});
    for (const QString &key : older) {
        if (ChatRoom *room = m_rooms.find(key))
            Q_EMIT olderMessagesLoading(room, false);
    }
}

// ---- the sync after every (re)connect -------------------------------------------------------------

void RoomSync::startSync()
{
    const quint64 generation = ++m_generation;
    m_steps = 0;
    m_summary = {};
    m_resuming = false;
    stepStarted();
    request(Request::listRooms({}), [this, generation](const Reply &reply) {
        if (generation != m_generation)
            return;
        onRoomList(reply);
        stepDone();
    });
}

void RoomSync::stepDone()
{
    if (--m_steps > 0 || m_connection.state() != State::Syncing)
        return;
    Q_EMIT aboutToFinishSync();
    m_connection.finishSync();
    m_connection.health()->recordResume(m_summary);
    qCInfo(lcClientSession) << "synced:" << m_summary.rooms << "rooms resumed," << m_summary.replayed << "replayed,"
                            << m_summary.pagedIn << "paged in," << m_summary.roomsWithGap << "with a gap";
    Q_EMIT synced(m_summary);
    if (m_currentRoom)
        fetchMembers(m_currentRoom);
}

void RoomSync::onRoomList(const Reply &reply)
{
    if (!reply.isOk()) {
        qCWarning(lcClientSession) << "list_rooms failed:" << Protocol::describe(*reply.error);
        return;
    }
    const auto list = parse<Protocol::RoomListResult>(reply, "list_rooms");
    if (!list)
        return;
    // The other people of direct conversations by the names they chose (issue 12), before the rooms show.
    if (m_names) {
        m_names->learn(list->displayNames);
        m_names->learnAvatars(list->avatars);
    }
    QSet<QString> visible;
    for (const Protocol::RoomInfo &info : list->rooms) {
        visible.insert(Names::canonical(info.name));
        m_rooms.ensure(info);
    }
    // Rooms we can no longer see (left elsewhere, private and dropped) leave the list.
    for (ChatRoom *room : m_rooms.rooms()) {
        if (!visible.contains(Names::canonical(room->name()))) {
            Q_EMIT roomAboutToBeForgotten(room);
            m_rooms.remove(room->name());
        }
    }

    Protocol::ResumeParams resume;
    for (ChatRoom *room : m_rooms.joinedRooms()) {
        if (room->isLoaded())
            resume.rooms.insert(room->name(), *room->lastLoadedSeq());
    }
    if (m_currentRoom && m_currentRoom->isJoined() && !m_currentRoom->isLoaded())
        loadNewest(m_currentRoom, false);
    if (resume.rooms.isEmpty())
        return;

    const quint64 generation = m_generation;
    m_summary.rooms = int(resume.rooms.size());
    m_resuming = true;
    stepStarted();
    request(Request::resume({}, resume), [this, generation](const Reply &resumeReply) {
        if (generation != m_generation)
            return;
        onResume(resumeReply);
        stepDone();
    });
}

void RoomSync::onResume(const Reply &reply)
{
    m_resuming = false;
    if (!reply.isOk()) {
        qCWarning(lcClientSession) << "resume failed:" << Protocol::describe(*reply.error);
        return;
    }
    const auto result = parse<Protocol::ResumeResult>(reply, "resume");
    if (!result)
        return;
    for (auto it = result->rooms.cbegin(); it != result->rooms.cend(); ++it) {
        ChatRoom *room = m_rooms.find(it.key());
        if (!room)
            continue;
        if (!it->error.isEmpty()) {
            qCInfo(lcClientSession) << "cannot resume" << it.key() << ":" << it->error;
            room->setJoined(false);
            continue;
        }
        room->noteLastSeq(it->lastSeq);
        const qint64 have = room->lastLoadedSeq().value_or(0);
        if (!it->recovered || have < it->lastSeq) {
            ++m_summary.roomsWithGap;
            fillGap(room, have);
        }
    }
}

// ---- pages ------------------------------------------------------------------------------------------

void RoomSync::loadNewest(ChatRoom *room, bool reset)
{
    const QString key = Names::canonical(room->name());
    if (m_loadingNewest.contains(key))
        return;
    const bool inSync = m_connection.state() == State::Syncing;
    const quint64 generation = m_generation;
    Protocol::HistoryParams params;
    params.room = room->name();
    params.limit = kPageSize;
    QPointer<ChatRoom> target(room);
    const bool sent = request(Request::history({}, params), [this, target, key, reset, inSync, generation](const Reply &reply) {
        if (generation != m_generation)
            return;
        m_loadingNewest.remove(key);
        if (target && reply.isOk()) {
            if (const auto page = parse<Protocol::HistoryPage>(reply, "history")) {
                learnNames(*page);
                if (reset) {
                    target->resetTimeline(page->messages);
                } else if (page->messages.isEmpty()) {
                    target->markLoadedEmpty();
                } else if (const auto merged = target->merge(page->messages); merged.gapAfter) {
                    fillGap(target, *merged.gapAfter);
                }
                Q_EMIT pageMerged(target);
            }
        }
        if (inSync)
            stepDone();
    });
    if (sent) {
        m_loadingNewest.insert(key);
        if (inSync)
            stepStarted();
    }
}

void RoomSync::fillGap(ChatRoom *room, qint64 after) { fillGapPage(room, after, 0); }

void RoomSync::fillGapPage(ChatRoom *room, qint64 after, int pagesSoFar)
{
    const QString key = Names::canonical(room->name());
    if (pagesSoFar == 0 && m_gapFills.contains(key))
        return;
    const bool inSync = m_connection.state() == State::Syncing;
    const quint64 generation = m_generation;
    Protocol::HistoryParams params;
    params.room = room->name();
    params.after = after;
    params.limit = kGapPageSize;
    QPointer<ChatRoom> target(room);
    const bool sent = request(Request::history({}, params), [this, target, key, inSync, generation, pagesSoFar](const Reply &reply) {
        if (generation != m_generation)
            return;
        const auto done = [&] {
            if (inSync)
                stepDone();
        };
        const auto page = reply.isOk() ? parse<Protocol::HistoryPage>(reply, "history") : std::nullopt;
        if (!target || !page) {
            m_gapFills.remove(key);
            return done();
        }
        learnNames(*page);
        const auto merged = target->merge(page->messages);
        m_summary.pagedIn += merged.added;
        const qint64 have = target->lastLoadedSeq().value_or(0);
        const bool more = merged.gapAfter.has_value() || (page->hasMore && have < target->lastSeq());
        if (more && !page->messages.isEmpty() && pagesSoFar + 1 < kMaxGapPages) {
            fillGapPage(target, have, pagesSoFar + 1); // starts its own step before this one ends
            return done();
        }
        m_gapFills.remove(key);
        if (more) {
            // Too much was missed to page it all in: jump to the newest messages; older ones are
            // one scroll back away.
            qCInfo(lcClientSession) << "gap in" << key << "too large; jumping to the newest messages";
            loadNewest(target, true);
        }
        Q_EMIT pageMerged(target);
        done();
    });
    if (sent) {
        m_gapFills.insert(key);
        if (inSync)
            stepStarted();
    }
}

void RoomSync::learnNames(const Protocol::HistoryPage &page)
{
    if (m_names) {
        m_names->learn(page.displayNames);
        m_names->learnAvatars(page.avatars);
    }
}

void RoomSync::fetchMembers(ChatRoom *room)
{
    QPointer<ChatRoom> target(room);
    request(Request::members({}, room->name()), [this, target](const Reply &reply) {
        if (!target || !reply.isOk())
            return;
        if (const auto result = parse<Protocol::MembersResult>(reply, "members")) {
            if (m_names)
                m_names->learn(result->members);
            target->setMembers(result->members);
        }
    });
}

bool RoomSync::isLoadingOlder(const QString &room) const { return m_loadingOlder.contains(Names::canonical(room)); }

void RoomSync::loadOlderMessages(ChatRoom *room)
{
    if (!room || !m_connection.isAuthenticated())
        return;
    if (!room->isLoaded())
        return loadNewest(room, false);
    const QString key = Names::canonical(room->name());
    if (!room->hasOlder() || m_loadingOlder.contains(key))
        return;
    Protocol::HistoryParams params;
    params.room = room->name();
    params.before = room->firstLoadedSeq();
    params.limit = kPageSize;
    QPointer<ChatRoom> target(room);
    const bool sent = request(Request::history({}, params), [this, target, key](const Reply &reply) {
        if (!m_loadingOlder.remove(key) || !target)
            return;
        if (reply.isOk()) {
            if (const auto page = parse<Protocol::HistoryPage>(reply, "history")) {
                learnNames(*page);
                target->merge(page->messages);
            }
        }
        Q_EMIT olderMessagesLoading(target, false);
    });
    if (sent) {
        m_loadingOlder.insert(key);
        Q_EMIT olderMessagesLoading(room, true);
    }
}

} // namespace Tertulia
