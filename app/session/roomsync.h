#pragma once

#include "app/session/connectionhealth.h"
#include "shared/protocol/frames.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>

#include <functional>

namespace Tertulia {

class ChatRoom;
class DisplayNames;
class ConnectionManager;
class RoomDirectory;

/// Keeps the rooms' timelines whole, over one connection: the sync after every (re)connect (list the
/// rooms, resume every loaded room from its last seq, page in what the resume could not replay, load
/// the open room's newest page), gap filling whenever messages arrive beyond a hole (pages of 200, up
/// to kMaxGapPages, then a jump to the newest), scrolling back, and member lists. It asks the
/// connection and changes the rooms; it knows nothing of the account, the outbox or the UI. What the
/// person has open comes from setCurrentRoom(); what a page means for the read state is the owner's
/// (pageMerged()). Replies that arrive after the connection was lost are dropped (a generation count).
class RoomSync final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomSync)
    Q_MOC_INCLUDE("app/session/chatroom.h")

public:
    /// Messages fetched at a time when opening a room or scrolling back.
    static constexpr int kPageSize = 50;
    /// Pages of 200 fetched to close a gap after a resume before giving up and jumping to the newest.
    static constexpr int kMaxGapPages = 25;

    /// Installs itself as the connection's sync handler.
    RoomSync(ConnectionManager &connection, RoomDirectory &rooms, QObject *parent = nullptr);
    ~RoomSync() override;

    /// The room the person has open: it is loaded first and its members are fetched after a sync.
    void setCurrentRoom(ChatRoom *room) { m_currentRoom = room; }
    /// Issue 12: where member lists and history pages leave the display names they carry.
    void setDisplayNames(DisplayNames *names) { m_names = names; }

    /// The newest page of a room (reset: replace the timeline with it, for a gap too large to fill).
    void loadNewest(ChatRoom *room, bool reset);
    /// Pages in the messages after `after`, page after page, until the room is whole.
    void fillGap(ChatRoom *room, qint64 after);
    /// One page before the oldest loaded message.
    void loadOlderMessages(ChatRoom *room);
    bool isLoadingOlder(const QString &room) const;
    void fetchMembers(ChatRoom *room);

    /// Live messages that come during a resume are the server's replay of what was missed.
    bool isResuming() const { return m_resuming; }
    void countReplayed() { ++m_summary.replayed; }

Q_SIGNALS:
    /// A page went into this room's timeline (the owner may mark it read).
    void pageMerged(Tertulia::ChatRoom *room);
    /// The server no longer lists this room for us: it is about to leave the directory.
    void roomAboutToBeForgotten(Tertulia::ChatRoom *room);
    /// Every step of the sync is done; the connection is about to count as connected (send what waits now).
    void aboutToFinishSync();
    /// The sync after a (re)connect finished.
    void synced(const Tertulia::ResumeSummary &summary);
    void olderMessagesLoading(Tertulia::ChatRoom *room, bool loading);

private:
    void learnNames(const Protocol::HistoryPage &page);
    bool request(Protocol::Request request, std::function<void(const Protocol::Reply &)> handler);
    void startSync();
    void onRoomList(const Protocol::Reply &reply);
    void onResume(const Protocol::Reply &reply);
    void stepStarted() { ++m_steps; }
    void stepDone();
    void fillGapPage(ChatRoom *room, qint64 after, int pagesSoFar);
    void onConnectionLost();

    ConnectionManager &m_connection;
    RoomDirectory &m_rooms;
    QPointer<ChatRoom> m_currentRoom;
    DisplayNames *m_names = nullptr;

    quint64 m_generation = 0;
    int m_steps = 0;
    bool m_resuming = false;
    ResumeSummary m_summary;
    QSet<QString> m_gapFills;     ///< rooms (canonical) with a gap fill in flight
    QSet<QString> m_loadingOlder; ///< rooms with a scroll-back page in flight
    QSet<QString> m_loadingNewest;
};

} // namespace Tertulia
