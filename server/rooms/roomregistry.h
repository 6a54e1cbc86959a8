#pragma once

#include "server/rooms/eventbus.h"
#include "server/rooms/room.h"
#include "server/store/store.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

namespace Tertulia {

/// All rooms, routed in one place: every room event goes through publish() and the bus, and comes back
/// to the room it names. Keeps an index of the rooms each user is a member of.
class RoomRegistry : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomRegistry)

public:
    RoomRegistry(Store &store, EventBus &bus, QObject *parent = nullptr);

    /// Loads every room and its members from the store.
    void load();

    Room *find(const QString &name) const;
    QList<Room *> rooms() const { return m_rooms.values(); }
    int count() const { return int(m_rooms.size()); }
    /// Rooms the user is a member of.
    QList<Room *> roomsOf(const QString &userKey) const;

    StoreResult<Room *> create(const QString &name, bool isPrivate, const QString &creator);
    bool addMember(Room *room, const QString &user);
    bool removeMember(Room *room, const QString &userKey);

    /// Sends an event to every subscriber of the room (but `excludeUserKey`), through the bus.
    void publish(const Room &room, const Protocol::Event &event, const QString &excludeUserKey = {});

private:
    void onBusEvent(const RoomEvent &event);
    Room *insert(const RoomRecord &record, const QList<QString> &members);

    Store &m_store;
    EventBus &m_bus;
    QHash<QString, Room *> m_rooms;                ///< canonical name -> room (children of this)
    QHash<QString, QSet<Room *>> m_roomsByMember;  ///< user key -> rooms
};

} // namespace Tertulia
