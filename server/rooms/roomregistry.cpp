#include "server/rooms/roomregistry.h"

#include "server/logging.h"
#include "shared/names.h"

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

namespace Tertulia {

RoomRegistry::RoomRegistry(Store &store, EventBus &bus, QObject *parent) : QObject(parent), m_store(store), m_bus(bus)
{
    connect(&m_bus, &EventBus::delivered, this, &RoomRegistry::onBusEvent);
}

void RoomRegistry::load()
{
    for (const RoomRecord &record : m_store.rooms())
        insert(record, m_store.members(record.id));
    qCInfo(lcRooms) << "loaded" << m_rooms.size() << "rooms";
}

Room *RoomRegistry::insert(const RoomRecord &record, const QList<QString> &members)
{
    auto *room = new Room(record, members, this);
    m_rooms.insert(room->key(), room);
    for (const QString &member : members)
        m_roomsByMember[Names::canonical(member)].insert(room);
    return room;
}

Room *RoomRegistry::find(const QString &name) const { return m_rooms.value(Names::canonical(name)); }

QList<Room *> RoomRegistry::roomsOf(const QString &userKey) const
{
    const QSet<Room *> rooms = m_roomsByMember.value(userKey);
    return QList<Room *>(rooms.cbegin(), rooms.cend());
}

StoreResult<Room *> RoomRegistry::create(const QString &name, bool isPrivate, const QString &creator)
{
    RoomRecord record{0, name, isPrivate, creator, 0, QDateTime::currentMSecsSinceEpoch()};
    auto created = m_store.createRoom(record);
    if (auto *error = std::get_if<Protocol::Error>(&created))
        return *error;
    Room *room = insert(std::get<RoomRecord>(created), {});
    addMember(room, creator);
    qCInfo(lcRooms).noquote() << u"user="_s + creator << "created" << (isPrivate ? "private" : "public") << "room"
                              << name;
    return room;
}

bool RoomRegistry::addMember(Room *room, const QString &user)
{
    if (!m_store.addMember(room->record().id, user))
        return false;
    room->addMember(user);
    m_roomsByMember[Names::canonical(user)].insert(room);
    return true;
}

bool RoomRegistry::removeMember(Room *room, const QString &userKey)
{
    if (!m_store.removeMember(room->record().id, userKey))
        return false;
    room->removeMember(userKey);
    auto it = m_roomsByMember.find(userKey);
    if (it != m_roomsByMember.end()) {
        it->remove(room);
        if (it->isEmpty())
            m_roomsByMember.erase(it);
    }
    return true;
}

void RoomRegistry::publish(const Room &room, const Protocol::Event &event, const QString &excludeUserKey)
{
    m_bus.publish(RoomEvent{m_bus.nodeId(), room.key(), makeEvent(event), excludeUserKey});
}

void RoomRegistry::onBusEvent(const RoomEvent &event)
{
    if (Room *room = m_rooms.value(event.roomKey))
        room->deliver(event.event, event.excludeUserKey);
}

} // namespace Tertulia
