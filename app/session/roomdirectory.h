#pragma once

#include "shared/protocol/payloads.h"

#include <QtCore/QList>
#include <QtCore/QObject>

namespace Tertulia {

class ChatRoom;
class Clock;

/// The rooms this account can see: rooms first, then direct conversations, each in the order they became
/// known. Rooms are created on demand (list_rooms, join, room_created, invited, direct_opened, or a message for
/// a room we had not heard of) and looked up by name ignoring case, as the server does. Changes come in "about to" / "done" pairs for the
/// RoomListModel.
class DisplayNames;

class RoomDirectory final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomDirectory)

public:
    RoomDirectory(Clock &clock, QObject *parent = nullptr);
    ~RoomDirectory() override;

    /// Our own user name: rooms need it to tell our messages from others'.
    void setOwnUser(const QString &user) { m_ownUser = user; }
    QString ownUser() const { return m_ownUser; }
    /// Issue 12: the client's display names, handed to every room (set before any room exists).
    void setDisplayNames(DisplayNames *names) { m_names = names; }

    int count() const { return int(m_rooms.size()); }
    ChatRoom *at(int row) const { return m_rooms.value(row); }
    ChatRoom *find(const QString &name) const;
    int indexOf(const ChatRoom *room) const { return int(m_rooms.indexOf(room)); }
    QList<ChatRoom *> rooms() const { return m_rooms; }
    QList<ChatRoom *> joinedRooms() const;
    /// Unread messages in all rooms: the sum of the rooms' unreadCount(), the same numbers the
    /// room list's badges show. The window title and the tray read this and nothing else.
    int totalUnread() const { return m_totalUnread; }

    /// The room with this info, created if new, updated otherwise.
    ChatRoom *ensure(const Protocol::RoomInfo &info);
    void remove(const QString &name);
    /// Forgets every room (signing out).
    void clear();

Q_SIGNALS:
    void roomAboutToBeAdded(int row);
    void roomAdded(int row);
    void roomAboutToBeRemoved(int row);
    void roomRemoved(int row);
    /// Something the room list shows changed (info, unread or mention count, muted).
    void roomChanged(int row);
    void aboutToReset();
    void reset();
    void totalUnreadChanged(int total);

private:
    void updateTotalUnread();
    /// Where the direct conversations start (count() when there are none).
    int firstDirectRow() const;

    Clock &m_clock;
    QString m_ownUser;
    DisplayNames *m_names = nullptr;
    QList<ChatRoom *> m_rooms;
    int m_totalUnread = 0;
};

} // namespace Tertulia
