#include "app/session/roomdirectory.h"

#include "app/session/chatroom.h"
#include "shared/names.h"

#include <algorithm>

namespace Tertulia {

RoomDirectory::RoomDirectory(Clock &clock, QObject *parent) : QObject(parent), m_clock(clock) { }

RoomDirectory::~RoomDirectory() = default;

ChatRoom *RoomDirectory::find(const QString &name) const
{
    const QString key = Names::canonical(name);
    for (ChatRoom *room : m_rooms) {
        if (Names::canonical(room->name()) == key)
            return room;
    }
    return nullptr;
}

QList<ChatRoom *> RoomDirectory::joinedRooms() const
{
    QList<ChatRoom *> joined;
    for (ChatRoom *room : m_rooms) {
        if (room->isJoined())
            joined.append(room);
    }
    return joined;
}

ChatRoom *RoomDirectory::ensure(const Protocol::RoomInfo &info)
{
    if (ChatRoom *room = find(info.name)) {
        room->updateInfo(info);
        return room;
    }
    auto *room = new ChatRoom(info, m_ownUser, m_clock, this);
    room->setDisplayNames(m_names);
    const auto changed = [this, room] {
        const int row = indexOf(room);
        if (row >= 0)
            Q_EMIT roomChanged(row);
    };
    connect(room, &ChatRoom::infoChanged, this, changed);
    connect(room, &ChatRoom::unreadCountChanged, this, changed);
    connect(room, &ChatRoom::mentionCountChanged, this, changed);
    connect(room, &ChatRoom::mutedChanged, this, changed);
    connect(room, &ChatRoom::unreadCountChanged, this, &RoomDirectory::updateTotalUnread);
    // Direct conversations are listed apart, after the rooms (as in Element or Slack), each kind in the order it
    // became known: a room heard of mid-session goes to the end of the rooms, not below the conversations.
    const int row = info.direct ? count() : firstDirectRow();
    Q_EMIT roomAboutToBeAdded(row);
    m_rooms.insert(row, room);
    Q_EMIT roomAdded(row);
    updateTotalUnread();
    return room;
}

int RoomDirectory::firstDirectRow() const
{
    const auto direct = std::find_if(m_rooms.cbegin(), m_rooms.cend(), [](const ChatRoom *r) { return r->isDirect(); });
    return int(direct - m_rooms.cbegin());
}

void RoomDirectory::remove(const QString &name)
{
    ChatRoom *room = find(name);
    if (!room)
        return;
    const int row = indexOf(room);
    Q_EMIT roomAboutToBeRemoved(row);
    m_rooms.removeAt(row);
    Q_EMIT roomRemoved(row);
    room->disconnect(this);
    // Views may still hold it for the rest of this event (a model mid-reset); delete later.
    room->deleteLater();
    updateTotalUnread();
}

void RoomDirectory::clear()
{
    Q_EMIT aboutToReset();
    const QList<ChatRoom *> rooms = std::exchange(m_rooms, {});
    for (ChatRoom *room : rooms) {
        room->disconnect(this);
        room->deleteLater();
    }
    Q_EMIT reset();
    updateTotalUnread();
}

void RoomDirectory::updateTotalUnread()
{
    int total = 0;
    for (const ChatRoom *room : std::as_const(m_rooms))
        total += room->unreadCount();
    if (total == m_totalUnread)
        return;
    m_totalUnread = total;
    Q_EMIT totalUnreadChanged(total);
}

} // namespace Tertulia
