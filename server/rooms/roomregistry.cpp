#include "server/rooms/roomregistry.h"

#include "server/accounts/profiledirectory.h"
#include "server/logging.h"
#include "server/session/monotonicclock.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"
#include "server/trace/tracer.h"
#include "shared/names.h"

#include <QtCore/QDateTime>

#include <utility>

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
    return m_clustered && !loaded(name) && Names::isValidRoomAddress(name);
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
    if (m_resyncing) {
        m_resyncAgain = true; // the read under way may have started before what this one is asked for
        return;
    }
    m_resyncing = true;
    // The store's reads see what is committed, and a job's reads every write asked for before it: a
    // membership still queued for the writer is read as written (a user who joined a moment ago must not
    // look as if they had left). A rare path (after a bus outage): one job reads every room.
    m_store.async<QList<StoredRoom>>(
        this,
        [](Store &store) {
            QList<StoredRoom> all;
            for (const RoomRecord &record : store.rooms())
                all.append(StoredRoom{record, store.members(record.id), store.roomRoles(record.id), store.sanctions(record.id)});
            return all;
        },
        [this](const QList<StoredRoom> &stored) {
            applyResync(stored);
            m_resyncing = false;
            // The facts heard during the read apply after what it found, in the order they came.
            const QList<BusEvent> held = std::exchange(m_heldForResync, {});
            for (const BusEvent &event : held)
                onBusEvent(event);
            if (std::exchange(m_resyncAgain, false))
                resync();
        });
}

namespace {
/// A room learnt from the store has the last seq of the read, which the message facts still to apply (they
/// wait for it, or come later through the bus in order) would look like repeats of: it starts below the first
/// of them, and they are delivered.
RoomRecord belowWaitingMessages(RoomRecord record, const QList<BusEvent> &waiting)
{
    const QString key = Names::canonical(record.name);
    for (const BusEvent &event : waiting) {
        if (event.kind == BusEvent::Kind::Message && Names::canonical(event.room.name) == key) {
            record.lastSeq = std::min(record.lastSeq, event.message.seq - 1);
            break;
        }
    }
    return record;
}
} // namespace

void RoomRegistry::applyResync(const QList<StoredRoom> &all)
{
    // What the store says, applied as the facts that would have said it: rooms this node has not heard of,
    // and members who joined or left meanwhile (their sessions here hear it as they would have).
    const QString origin = u"resync"_s;
    // Rooms deleted during the outage (the store lists live rooms only) go as their fact would have taken them;
    // but never every room at once: an empty list is more likely a read that failed (see below).
    QSet<QString> live;
    for (const StoredRoom &stored : all)
        live.insert(Names::canonical(stored.record.name));
    for (Room *held : rooms()) {
        if (!all.isEmpty() && !live.contains(held->key())) {
            BusEvent deleted = BusEvent::roomDeleted(held->record(), origin, false, {});
            deleted.originNode = origin;
            route(deleted);
        }
    }
    for (const StoredRoom &stored : all) {
        const RoomRecord &record = stored.record;
        Room *room = loaded(record.name);
        if (!room) {
            BusEvent created = BusEvent::roomCreated(belowWaitingMessages(record, m_heldForResync));
            created.originNode = origin;
            route(created);
            room = loaded(record.name);
            if (!room)
                continue; // being loaded for a fact: the load reads it as it is now
        }
        // Settings changed during the outage, as they are now (told only when they differ).
        const RoomRecord &held = room->record();
        if (held.title != record.title || held.topic != record.topic || held.isPrivate != record.isPrivate
            || held.archived != record.archived) {
            BusEvent updated = BusEvent::roomUpdated(record, origin);
            updated.originNode = origin;
            route(updated);
        }
        // Roles, bans and mutes changed during the outage are read as they are now (their facts may be lost;
        // what a ban did to the membership is in the member diff below).
        room->resetModeration(stored.roles, stored.sanctions);
        QSet<QString> storedKeys;
        for (const QString &member : stored.members) {
            storedKeys.insert(Names::canonical(member));
            if (!room->isMember(Names::canonical(member))) {
                BusEvent joined = BusEvent::memberJoined(record, member);
                joined.originNode = origin;
                route(joined);
            }
        }
        // A room never becomes empty by a resync: an empty list is more likely a read that failed (the store
        // has no way to say) than everyone having left during the outage.
        if (stored.members.isEmpty())
            continue;
        for (const QString &member : room->memberNames()) {
            if (!storedKeys.contains(Names::canonical(member))) {
                BusEvent left = BusEvent::memberLeft(record, member);
                left.originNode = origin;
                route(left);
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
    // The room's members see the badge change at once, on every node (each applies the fact for its own).
    if (!ban)
        room.deliver(makeEvent(Event::memberMuted({room.name(), event.user, event.active, event.by, event.until})));
    // A ban ends the membership at once: the user's sessions hear member_left like everyone and leave the
    // room's audience, so nothing of the room reaches them from here on (the store's membership went first).
    if (ban && event.active && room.isMember(userKey)) {
        room.deliver(makeEvent(Event::memberLeft({room.name(), event.user, event.by})));
        removeMember(room, userKey);
    }
}

bool RoomRegistry::directRecord(const RoomRecord &record)
{
    return record.isPrivate && Names::isDirectAddress(record.name);
}

void RoomRegistry::openDirect(const BusEvent &event)
{
    // Both people are members from the start (the store wrote both); every session of either hears of it at
    // once, each with the room as they see it (its `peer` the other one), so it appears in their room lists.
    Room *room = m_rooms.value(Names::canonical(event.room.name));
    if (!room)
        room = insert(event.room, {}, {}, {});
    addMember(*room, event.user);
    addMember(*room, event.by);
    for (const QString &user : {event.user, event.by}) {
        const QString userKey = Names::canonical(user);
        Protocol::RoomResult result{room->info(userKey), event.user};
        if (m_profiles)
            m_profiles->addSender(result.room.peer, result.displayNames, result.avatars);
        const SharedEvent opened = makeEvent(Event::directOpened(result));
        for (Session *session : m_sessions.sessionsOf(userKey))
            session->deliver(opened, {});
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
    // Not about rooms: ChatServer closes a revoked login's sessions; PresenceTracker merges every node's view
    // of a user and delivers through deliverToContacts().
    if (event.kind == Kind::LoginRevoked || event.kind == Kind::Presence || event.kind == Kind::PresenceRequest)
        return;
    if (event.kind == Kind::ProfileUpdated) // issue 12: ProfileDirectory applies and delivers it
        return;
    if (event.kind == Kind::AdminChanged) // issue 13: ServerCore tells the user's sessions
        return;
    if (event.kind >= Kind::ConnectionsAsked && event.kind <= Kind::DisconnectDone) // issue 13: AdminApi answers
        return;
    if (m_resyncing) {
        m_heldForResync.append(event);
        return;
    }
    route(event);
}

void RoomRegistry::route(const BusEvent &event)
{
    const QString key = Names::canonical(event.room.name);
    if (const auto waiting = m_loading.find(key); waiting != m_loading.end()) {
        waiting->append(event); // behind the facts that wait for the room's load
        return;
    }
    // A room's creation (or a direct conversation's opening) carries its record: nothing to load for it. A
    // deletion applies only where the room is held: the store would not find it (it is gone there first).
    const bool loadsNothing = event.kind == BusEvent::Kind::RoomCreated || event.kind == BusEvent::Kind::DirectOpened
        || event.kind == BusEvent::Kind::RoomDeleted;
    if (!loadsNothing && !loaded(key) && mayLoad(event.room.name)) {
        loadFor(event);
        return;
    }
    apply(event);
}

void RoomRegistry::loadFor(const BusEvent &first)
{
    // Created on another node, its own fact not heard here (yet): the store has it. Read off the event loop;
    // the facts about it wait (m_loading) and apply in order once it is held, other rooms' go on meanwhile.
    const QString key = Names::canonical(first.room.name);
    m_loading.insert(key, {first});
    m_store.async<std::optional<StoredRoom>>(
        this, [name = first.room.name](Store &store) { return readRoom(store, name); },
        [this, key](const std::optional<StoredRoom> &stored) {
            const QList<BusEvent> waiting = m_loading.take(key);
            if (stored && !loaded(key)) {
                StoredRoom held = *stored;
                held.record = belowWaitingMessages(held.record, waiting);
                adopt(held);
            }
            for (const BusEvent &event : waiting)
                apply(event);
        });
}

void RoomRegistry::applyRoomCreated(const BusEvent &event)
{
    Room *room = m_rooms.value(Names::canonical(event.room.name));
    // Created here, or on another node: the same record either way, owned by its creator (a direct
    // conversation, met here on a resync, has no owner).
    if (!room)
        room = insert(event.room, {}, directRecord(event.room) ? QList<RoomRoleRecord>{}
                                                              : QList<RoomRoleRecord>{{event.room.creator, RoomRole::Owner}}, {});
    addMember(*room, event.user);
    if (!room->isPrivate())
        announceRoom(*room);
}

void RoomRegistry::apply(const BusEvent &event)
{
    using Kind = BusEvent::Kind;
    if (event.kind == Kind::RoomCreated) {
        applyRoomCreated(event);
        return;
    }
    if (event.kind == Kind::DirectOpened) {
        openDirect(event);
        return;
    }
    if (event.kind == Kind::RoomDeleted) {
        if (Room *room = loaded(event.room.name))
            applyDeletion(*room, event);
        return;
    }
    Room *room = loaded(event.room.name);
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
        if (m_clock)
            room->noteMessage(m_clock->nowMs());
        if (m_tracer) {
            // Traced here (it awaits its delivery, or, read from the log before the store reported its commit,
            // its sender's id finds it), or traced by the node that received it (the log, or its notice, brought
            // the context): this node records its part, once, as it hands the message out once.
            std::shared_ptr<Trace::MessageTrace> trace =
                m_tracer->awaitsDelivery() ? m_tracer->takeAwaitingDelivery(room->key(), event.message.seq) : nullptr;
            if (!trace && m_tracer->awaitsCommit())
                trace = m_tracer->takeCommitting(room->key(), event.message);
            if (!trace && event.trace.isValid() && !event.traceNode.isEmpty() && event.traceNode != m_bus.nodeId())
                trace = m_tracer->relayed(event.trace, event.traceNode, room->name(), event.message, event.position);
            if (trace) {
                Trace::Tracer::noteDelivery(*trace, *room, {});
                // Marked, so readers' clients can report when they showed it (`displayed`).
                room->deliver(makeEvent(Event::tracedMessage(event.message, trace->context.traceIdHex()), event.position));
                m_tracer->delivered(trace);
                break;
            }
        }
        room->deliver(makeEvent(Event::message(event.message), event.position));
        break;
    case Kind::MemberJoined:
        addMember(*room, event.user);
        room->deliver(makeEvent(OutboundEvent::memberJoined({room->name(), event.user})));
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
    case Kind::DirectOpened:
    case Kind::ProfileUpdated:
    case Kind::AdminChanged:
    case Kind::ConnectionsAsked:
    case Kind::ConnectionsListed:
    case Kind::DisconnectAsked:
    case Kind::DisconnectDone:
        break; // handled above
    }
}

} // namespace Tertulia
