#include "server/rooms/roomregistry.h"

#include "server/logging.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"
#include "server/trace/tracer.h"
#include "shared/names.h"

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::Event;

RoomRegistry::RoomRegistry(Store &store, EventBus &bus, SessionRegistry &sessions, QObject *parent)
    : QObject(parent), m_store(store), m_bus(bus), m_sessions(sessions)
{
    connect(&m_bus, &EventBus::received, this, &RoomRegistry::onBusEvent);
}

void RoomRegistry::load()
{
    for (const RoomRecord &record : m_store.rooms())
        insert(record, m_store.members(record.id), m_store.roomRoles(record.id), m_store.sanctions(record.id));
    qCInfo(lcRooms) << "loaded" << m_rooms.size() << "rooms";
}

Room *RoomRegistry::insert(const RoomRecord &record, const QList<QString> &members, const QList<RoomRoleRecord> &roles,
                           const QList<SanctionRecord> &sanctions)
{
    auto *room = new Room(record, members, this);
    // Roles and sanctions (issue 13): two index ranges of a handful of rows, read with the room.
    room->resetModeration(roles, sanctions);
    m_rooms.insert(room->key(), room);
    for (const QString &member : members) {
        QList<Room *> &rooms = m_roomsByMember[Names::canonical(member)];
        if (!rooms.contains(room))
            rooms.append(room);
    }
    return room;
}

Room *RoomRegistry::loaded(const QString &name) const { return m_rooms.value(Names::canonical(name)); }

bool RoomRegistry::mayLoad(const QString &name) const
{
    // Created on another node a moment ago, its fact still on the way: the store has it already. (One read
    // per miss; names nobody created are rare, and every request is rate limited.)
    return m_clustered && !loaded(name) && Names::isValidRoomName(name);
}

std::optional<RoomRegistry::StoredRoom> RoomRegistry::readRoom(Store &store, const QString &name)
{
    const std::optional<RoomRecord> record = store.findRoom(name);
    if (!record)
        return std::nullopt;
    return StoredRoom{*record, store.members(record->id), store.roomRoles(record->id), store.sanctions(record->id)};
}

Room *RoomRegistry::adopt(const StoredRoom &stored)
{
    if (Room *room = loaded(stored.record.name))
        return room;
    Room *room = insert(stored.record, {}, stored.roles, stored.sanctions);
    for (const QString &member : stored.members)
        addMember(*room, member);
    return room;
}

Room *RoomRegistry::find(const QString &name)
{
    if (Room *room = loaded(name))
        return room;
    if (!mayLoad(name))
        return nullptr;
    const std::optional<StoredRoom> stored = readRoom(m_store, name);
    return stored ? adopt(*stored) : nullptr;
}

QList<Room *> RoomRegistry::roomsOf(const QString &userKey) const { return m_roomsByMember.value(userKey); }

void RoomRegistry::create(const QString &name, bool isPrivate, const QString &creator, CreateCallback done)
{
    const RoomRecord asked{0, name, isPrivate, creator, 0, QDateTime::currentMSecsSinceEpoch()};
    m_store.async<StoreResult<RoomRecord>>(
        this, [asked](Store &store) { return store.createRoom(asked); },
        [this, name, isPrivate, creator, done = std::move(done)](const StoreResult<RoomRecord> &created) {
            if (const auto *error = std::get_if<Protocol::Error>(&created)) {
                done(*error);
                return;
            }
            const RoomRecord record = std::get<RoomRecord>(created);
            if (!m_store.addMember(record.id, creator)) {
                done(Protocol::Error{Protocol::ErrorCode::Internal, u"could not store the room's first member"_s});
                return;
            }
            qCInfo(lcRooms).noquote() << u"user="_s + creator << "created" << (isPrivate ? "private" : "public")
                                      << "room" << name;
            publish(BusEvent::roomCreated(record));
            if (Room *room = loaded(name))
                done(room);
            else
                done(Protocol::Error{Protocol::ErrorCode::Internal, u"the room was stored but not held"_s});
        });
}

bool RoomRegistry::storeMember(const Room &room, const QString &user) { return m_store.addMember(room.record().id, user); }

bool RoomRegistry::storeLeave(Store &store, const RoomRecord &room, const QString &userKey)
{
    return store.removeMember(room.id, userKey);
}

void RoomRegistry::resync()
{
    // What the store says, applied as the facts that would have said it: rooms this node has not heard of,
    // and members who joined or left meanwhile (their sessions here hear it as they would have).
    const QString origin = u"resync"_s;
    // The store's reads see what is committed: memberships still queued for its writer are written first, or
    // a user who joined a moment ago would look as if they had left (a rare path: after a bus outage).
    m_store.flush();
    const QList<RoomRecord> records = m_store.rooms();
    // Rooms deleted during the outage (the store lists live rooms only) go as their fact would have taken them;
    // but never every room at once: an empty list is more likely a read that failed (see below).
    QSet<QString> live;
    for (const RoomRecord &record : records)
        live.insert(Names::canonical(record.name));
    for (Room *held : rooms()) {
        if (!records.isEmpty() && !live.contains(held->key())) {
            BusEvent deleted = BusEvent::roomDeleted(held->record(), origin, false, {});
            deleted.originNode = origin;
            onBusEvent(deleted);
        }
    }
    for (const RoomRecord &record : records) {
        const QList<QString> stored = m_store.members(record.id);
        Room *room = find(record.name);
        if (!room) {
            BusEvent created = BusEvent::roomCreated(record);
            created.originNode = origin;
            onBusEvent(created);
            room = find(record.name);
        }
        // Settings changed during the outage, as they are now (told only when they differ).
        const RoomRecord &held = room->record();
        if (held.title != record.title || held.topic != record.topic || held.isPrivate != record.isPrivate
            || held.archived != record.archived) {
            BusEvent updated = BusEvent::roomUpdated(record, origin);
            updated.originNode = origin;
            onBusEvent(updated);
        }
        // Roles, bans and mutes changed during the outage are read as they are now (their facts may be lost;
        // what a ban did to the membership is in the member diff below).
        room->resetModeration(m_store.roomRoles(record.id), m_store.sanctions(record.id));
        QSet<QString> storedKeys;
        for (const QString &member : stored) {
            storedKeys.insert(Names::canonical(member));
            if (!room->isMember(Names::canonical(member))) {
                BusEvent joined = BusEvent::memberJoined(record, member);
                joined.originNode = origin;
                onBusEvent(joined);
            }
        }
        // A room never becomes empty by a resync: an empty list is more likely a read that failed (the store
        // has no way to say) than everyone having left during the outage.
        if (stored.isEmpty())
            continue;
        for (const QString &member : room->memberNames()) {
            if (!storedKeys.contains(Names::canonical(member))) {
                BusEvent left = BusEvent::memberLeft(record, member);
                left.originNode = origin;
                onBusEvent(left);
            }
        }
    }
}

void RoomRegistry::attach(Session *session)
{
    for (Room *room : roomsOf(session->userKey()))
        room->subscribe(session);
}

void RoomRegistry::detach(Session *session)
{
    for (Room *room : roomsOf(session->userKey()))
        room->unsubscribe(session);
}

void RoomRegistry::addMember(Room &room, const QString &user)
{
    const QString userKey = Names::canonical(user);
    room.addMember(user);
    QList<Room *> &rooms = m_roomsByMember[userKey];
    if (!rooms.contains(&room))
        rooms.append(&room);
    for (Session *session : m_sessions.sessionsOf(userKey))
        room.subscribe(session);
}

void RoomRegistry::removeMember(Room &room, const QString &userKey)
{
    for (Session *session : m_sessions.sessionsOf(userKey))
        room.unsubscribe(session);
    room.removeMember(userKey);
    auto it = m_roomsByMember.find(userKey);
    if (it != m_roomsByMember.end()) {
        it->removeOne(&room);
        if (it->isEmpty())
            m_roomsByMember.erase(it);
    }
}

void RoomRegistry::deliverToContacts(const QString &userKey, const SharedEvent &event)
{
    // Everyone who shares a room with the user, once per session however many rooms they share.
    QSet<Session *> audience;
    for (const Room *room : roomsOf(userKey))
        audience.unite(room->subscribers());
    for (Session *session : std::as_const(audience))
        session->deliver(event, {});
}

void RoomRegistry::announceRoom(const Room &room)
{
    // Per recipient: `joined` says whether that user is in the room (the creator's sessions: true).
    const SharedEvent forMembers = makeEvent(Event::roomCreated({room.info(Names::canonical(room.record().creator)), {}}));
    const SharedEvent forOthers = makeEvent(Event::roomCreated({room.info({}), {}}));
    for (Session *session : m_sessions.all()) {
        if (session->isAuthenticated())
            session->deliver(room.isMember(session->userKey()) ? forMembers : forOthers, {});
    }
}

void RoomRegistry::applySanction(Room &room, const BusEvent &event)
{
    using Protocol::ModerationAction;
    const QString userKey = Names::canonical(event.user);
    const bool ban = event.sanction == SanctionKind::Ban;
    if (event.active)
        room.setSanction(SanctionRecord{room.record().id, event.user, event.sanction, event.until, event.by, event.reason, 0});
    else
        room.removeSanction(userKey, event.sanction);
    const ModerationAction action = ban ? (event.active ? ModerationAction::Banned : ModerationAction::Unbanned)
                                        : (event.active ? ModerationAction::Muted : ModerationAction::Unmuted);
    const SharedEvent told = makeEvent(Event::moderated({room.name(), action, event.by, event.until, event.reason}));
    for (Session *session : m_sessions.sessionsOf(userKey))
        session->deliver(told, {});
    // A ban ends the membership at once: the user's sessions hear member_left like everyone and leave the
    // room's audience, so nothing of the room reaches them from here on (the store's membership went first).
    if (ban && event.active && room.isMember(userKey)) {
        room.deliver(makeEvent(Event::memberLeft({room.name(), event.user, event.by})));
        removeMember(room, userKey);
    }
}

void RoomRegistry::deliverToAll(const Room &room, bool everyone, const SharedEvent &forMembers,
                                const SharedEvent &forOthers)
{
    if (!everyone) {
        for (const QString &member : room.members().keys()) {
            for (Session *session : m_sessions.sessionsOf(member))
                session->deliver(forMembers, {});
        }
        return;
    }
    for (Session *session : m_sessions.all()) {
        if (session->isAuthenticated())
            session->deliver(room.isMember(session->userKey()) ? forMembers : forOthers, {});
    }
}

void RoomRegistry::applyUpdate(Room &room, const BusEvent &event)
{
    const bool wasPublic = !room.isPrivate();
    room.setSettings(event.room);
    Protocol::RoomInfo info = room.info({});
    const SharedEvent forOthers = makeEvent(Event::roomUpdated({info, event.by}));
    info.joined = true;
    const SharedEvent forMembers = makeEvent(Event::roomUpdated({info, event.by}));
    // Whoever could see the room before or can now hears it: a room made private leaves the others' lists,
    // one made public appears in them.
    deliverToAll(room, wasPublic || !room.isPrivate(), forMembers, forOthers);
}

void RoomRegistry::applyDeletion(Room &room, const BusEvent &event)
{
    const SharedEvent told = makeEvent(Event::roomDeleted({room.name(), event.by, event.active, event.reason}));
    deliverToAll(room, !room.isPrivate(), told, told);
    // The members' sessions leave at once: nothing of the room reaches them from here on.
    for (const QString &member : room.members().keys())
        removeMember(room, member);
    m_rooms.remove(room.key());
    // Later, not now: a caller up the stack may still hold the pointer (handlers hold rooms by QPointer).
    room.deleteLater();
    qCInfo(lcRooms).noquote() << "room" << room.name() << "deleted by" << event.by
                              << (event.active ? "(history kept)" : "(history deleted)");
}

void RoomRegistry::onBusEvent(const BusEvent &event)
{
    using Kind = BusEvent::Kind;
    if (event.kind == Kind::RoomDeleted) {
        // Only where it is held: reading it from the store would find nothing (it is gone there first).
        if (Room *room = loaded(event.room.name))
            applyDeletion(*room, event);
        return;
    }
    // Not about rooms: ChatServer closes a revoked login's sessions; PresenceTracker merges every node's view
    // of a user and delivers through deliverToContacts().
    if (event.kind == Kind::LoginRevoked || event.kind == Kind::Presence || event.kind == Kind::PresenceRequest)
        return;
    if (event.kind == Kind::RoomCreated) {
        Room *room = m_rooms.value(Names::canonical(event.room.name));
        if (!room) // created here, or on another node: the same record either way, owned by its creator
            room = insert(event.room, {}, {RoomRoleRecord{event.room.creator, RoomRole::Owner}}, {});
        addMember(*room, event.user);
        if (!room->isPrivate())
            announceRoom(*room);
        return;
    }
    Room *room = find(event.room.name);
    if (!room) {
        qCWarning(lcRooms).noquote() << "a fact about an unknown room" << event.room.name << "from" << event.originNode;
        return;
    }
    switch (event.kind) {
    case Kind::Message:
        // A node hears its own messages twice with a cluster bus (when it commits them, and when it reads the
        // log): per room, seqs only go up, so anything at or below the last one is a repeat.
        if (event.message.seq <= room->lastSeq()) {
            ++m_duplicatesDropped;
            break;
        }
        if (event.message.seq > room->lastSeq() + 1)
            qCWarning(lcRooms).noquote() << "room" << room->name() << "jumps from seq" << room->lastSeq() << "to"
                                         << event.message.seq << "(clients page the gap in)";
        room->setLastSeq(event.message.seq);
        if (m_tracer && m_tracer->awaitsDelivery()) {
            if (const auto trace = m_tracer->takeAwaitingDelivery(room->key(), event.message.seq)) {
                Trace::Tracer::noteDelivery(*trace, *room, {});
                room->deliver(makeEvent(Event::message(event.message), event.position));
                m_tracer->delivered(trace);
                break;
            }
        }
        room->deliver(makeEvent(Event::message(event.message), event.position));
        break;
    case Kind::MemberJoined:
        addMember(*room, event.user);
        room->deliver(makeEvent(Event::memberJoined({room->name(), event.user})));
        break;
    case Kind::MemberLeft:
        if (!event.by.isEmpty()) { // removed by a moderator: the user's sessions hear who did it and why
            const SharedEvent removed = makeEvent(Event::moderated(
                {room->name(), Protocol::ModerationAction::Removed, event.by, 0, event.reason}));
            for (Session *session : m_sessions.sessionsOf(Names::canonical(event.user)))
                session->deliver(removed, {});
        }
        // Heard by the leaver's own sessions too (other tabs), then they leave the audience.
        room->deliver(makeEvent(Event::memberLeft({room->name(), event.user, event.by})));
        removeMember(*room, Names::canonical(event.user));
        break;
    case Kind::RoleChanged:
        room->setRole(Names::canonical(event.user), event.role);
        room->deliver(makeEvent(Event::roleChanged({room->name(), event.user, event.role, event.by})));
        break;
    case Kind::Sanctioned:
        applySanction(*room, event);
        break;
    case Kind::RoomUpdated:
        applyUpdate(*room, event);
        break;
    case Kind::Invited: {
        const QString inviteeKey = Names::canonical(event.user);
        const SharedEvent invited = makeEvent(Event::invited({room->info(inviteeKey), event.by}));
        for (Session *session : m_sessions.sessionsOf(inviteeKey))
            session->deliver(invited, {});
        break;
    }
    case Kind::ReadMarker: {
        // Private: only the user's other sessions (on this node; other nodes apply the fact for theirs).
        const SharedEvent marker = makeEvent(Event::readMarker({room->name(), event.seq}));
        const bool fromHere = event.originNode == m_bus.nodeId();
        for (Session *session : m_sessions.sessionsOf(Names::canonical(event.user))) {
            if (!(fromHere && session->id() == event.session))
                session->deliver(marker, {});
        }
        break;
    }
    case Kind::Typing:
        room->deliver(makeEvent(Event::typing({room->name(), event.user, event.active})), Names::canonical(event.user));
        break;
    case Kind::Presence:
    case Kind::PresenceRequest:
    case Kind::RoomCreated:
    case Kind::RoomDeleted:
    case Kind::LoginRevoked:
        break; // handled above
    }
}

} // namespace Tertulia
