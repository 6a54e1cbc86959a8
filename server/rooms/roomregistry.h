#pragma once

#include "server/rooms/eventbus.h"
#include "server/rooms/room.h"
#include "server/store/store.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

namespace Tertulia {

class MonotonicClock;
class ProfileDirectory;
class Session;
class SessionRegistry;
namespace Trace {
class Tracer;
}

/// All rooms of this node, and the one place where room state and subscriptions change and where events
/// leave for sessions. Handlers write to the store through it and publish facts (BusEvent) on the bus;
/// every fact, from this node or another, comes back through onBusEvent(), which applies it (rooms, members,
/// subscriptions) and renders it once per wire format for the local sessions it concerns:
///
/// | fact          | state applied                                  | delivered to (local sessions)           |
/// |---------------|------------------------------------------------|-----------------------------------------|
/// | Message       | the room's last seq                            | the room's subscribers                  |
/// | MemberJoined  | member added, the user's sessions subscribed   | the room's subscribers (joiner included)|
/// | MemberLeft    | member removed, the user's sessions left       | the room's subscribers (leaver included)|
/// | RoomCreated   | room added, creator member and subscribed      | public: every signed-in session         |
/// | Invited       | (none)                                         | the invitee's sessions                  |
/// | Presence      | (PresenceTracker merges every node's view and  | everyone sharing a room with the user,  |
/// |               |  delivers changes of the merged status)        | once per session                        |
/// | Typing        | (none)                                         | the room's subscribers but the typist's |
/// | MemberLeft    | (as above; with `by`: removed by a moderator)  | + `moderated` to the removed user's     |
/// | RoleChanged   | the user's role in the room                    | the room's subscribers                  |
/// | Sanctioned    | ban or mute set or lifted; a ban also removes  | `moderated` to the user's sessions; a   |
/// |               |  the member and unsubscribes their sessions    |  ban's member_left, a mute's            |
/// |               |                                                |  member_muted to the subscribers        |
/// | ReadMarker    | (none: the store has it)                       | the user's other sessions (`read_marker`)|
/// | DirectOpened  | room added (no owner), both people members and | both people's sessions (`direct_opened`)|
/// |               |  their sessions subscribed                     |                                         |
/// | RoomUpdated   | the room's title, topic, privacy, archived     | `room_updated`: public before or after: |
/// |               |                                                |  every signed-in session; else members  |
/// | RoomDeleted   | the room goes: members removed, their sessions | `room_deleted` to the members' sessions |
/// |               |  unsubscribed, the room no longer held         |  (public: every signed-in session)      |
class RoomRegistry : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomRegistry)

public:
    RoomRegistry(Store &store, EventBus &bus, SessionRegistry &sessions, QObject *parent = nullptr);

    /// Loads every room and its members from the store.
    void load();

    /// The room of that name if this node holds it (no store read). With several nodes (setClustered()), one
    /// created elsewhere and not yet heard of is read off the event loop: by requests with mayLoad(),
    /// readRoom() and adopt(), by the bus's facts in onBusEvent() (the facts about it wait, in order).
    Room *loaded(const QString &name) const;
    /// Whether a room of that name may exist in the store that this node has not loaded (several nodes, a
    /// valid name not held here).
    bool mayLoad(const QString &name) const;

    /// A room as the store holds it: what this node needs to hold it.
    struct StoredRoom
    {
        RoomRecord record;
        QList<QString> members;
        QList<RoomRoleRecord> roles;
        QList<SanctionRecord> sanctions;
    };
    /// Reads a room from the store (in a job of Store::async(), off the event loop); nullopt when none.
    static std::optional<StoredRoom> readRoom(Store &store, const QString &name);
    /// Holds a room read by readRoom(), unless this node holds it already (loaded meanwhile by another
    /// request or a fact: that one stays, it is as new or newer). Its members' sessions here subscribe.
    Room *adopt(const StoredRoom &stored);
    /// Several nodes share the store: rooms may exist that this node has not heard of yet.
    void setClustered(bool clustered) { m_clustered = clustered; }
    QList<Room *> rooms() const { return m_rooms.values(); }
    int count() const { return int(m_rooms.size()); }
    /// Rooms the user is a member of.
    QList<Room *> roomsOf(const QString &userKey) const;

    using CreateCallback = std::function<void(const StoreResult<Room *> &)>;
    /// Stores a room off the event loop (Store::async()), then its creator's membership, publishes
    /// RoomCreated and answers `done` with the room (held here from then on). The room is published even
    /// when nobody waits for the answer any more (the session closed): the store has it.
    void create(const QString &name, bool isPrivate, const QString &creator, CreateCallback done);
    /// Stores a membership (grouped: acknowledge it from Store::whenCommitted()); publish MemberJoined after.
    bool storeMember(const Room &room, const QString &user);
    /// Removes a membership from the store (synchronous: in a job of Store::async()); publish MemberLeft after.
    static bool storeLeave(Store &store, const RoomRecord &room, const QString &userKey);

    /// Publishes a fact on the bus (and so applies and delivers it here at once).
    void publish(BusEvent event) { m_bus.publish(std::move(event)); }

    /// Reads rooms and memberships from the store again and applies what changed as facts (after a cluster
    /// bus lost its connection: facts of the outage may be missing). The read runs off the event loop (one
    /// job of Store::async(), after every write asked for before it); the facts heard meanwhile wait and
    /// apply after it, in order.
    void resync();
    /// Messages heard again (a cluster node hears its own when it reads the log).
    quint64 duplicatesDropped() const { return m_duplicatesDropped; }

    /// Delivers to every local session that shares a room with the user, once per session however many rooms
    /// they share (presence: PresenceTracker decides what to say).
    void deliverToContacts(const QString &userKey, const SharedEvent &event);

    /// Traced messages (docs/administration.md#delivery-traces) have their deliveries noted here.
    void setTracer(Trace::Tracer *tracer) { m_tracer = tracer; }
    /// The clock of each room's message rate (Room::noteMessage(); the admin API's rooms). Without one, no rate.
    void setClock(const MonotonicClock *clock) { m_clock = clock; }
    const MonotonicClock *clock() const { return m_clock; }
    /// Where `direct_opened` finds the other person's display name and picture version (issue 12); without it
    /// the event names them by user name only.
    void setProfiles(const ProfileDirectory *profiles) { m_profiles = profiles; }

    /// A session that signed in joins the audience of its user's rooms; one that closed leaves them all.
    void attach(Session *session);
    void detach(Session *session);

private:
    void onBusEvent(const BusEvent &event);
    /// onBusEvent() once no resync holds the facts: a fact about a room being loaded waits behind it; one
    /// about a room this node may not have heard of yet starts its load.
    void route(const BusEvent &event);
    /// Applies a fact about a room now (held, or unknown: logged and dropped).
    void apply(const BusEvent &event);
    void applyRoomCreated(const BusEvent &event);
    /// Reads a room a fact named off the event loop, then applies the facts that waited for it, in order.
    void loadFor(const BusEvent &first);
    void applyResync(const QList<StoredRoom> &stored);
    Room *insert(const RoomRecord &record, const QList<QString> &members, const QList<RoomRoleRecord> &roles,
                 const QList<SanctionRecord> &sanctions);
    void addMember(Room &room, const QString &user);
    void removeMember(Room &room, const QString &userKey);
    void announceRoom(const Room &room);
    void applySanction(Room &room, const BusEvent &event);
    void openDirect(const BusEvent &event);
    /// Whether a stored room is a direct conversation (issue 12): private, named with a pair's address.
    static bool directRecord(const RoomRecord &record);
    void applyUpdate(Room &room, const BusEvent &event);
    void applyDeletion(Room &room, const BusEvent &event);
    /// Hands `forMembers` to the sessions of the room's members and, if `everyone`, `forOthers` to every
    /// other signed-in session.
    void deliverToAll(const Room &room, bool everyone, const SharedEvent &forMembers, const SharedEvent &forOthers);

    Store &m_store;
    EventBus &m_bus;
    SessionRegistry &m_sessions;
    QHash<QString, Room *> m_rooms;                ///< canonical name -> room (children of this)
    /// user key -> rooms. A list, not a QSet: most users are in a few rooms, and a QSet allocates 48 slots
    /// with the first insert.
    QHash<QString, QList<Room *>> m_roomsByMember;
    /// Room key -> the facts about a room being loaded (load()), in arrival order.
    QHash<QString, QList<BusEvent>> m_loading;
    bool m_resyncing = false;                      ///< a resync's read is under way
    bool m_resyncAgain = false;                    ///< and another was asked for meanwhile
    QList<BusEvent> m_heldForResync;               ///< facts heard meanwhile, in arrival order
    quint64 m_duplicatesDropped = 0;
    bool m_clustered = false;
    Trace::Tracer *m_tracer = nullptr;
    const MonotonicClock *m_clock = nullptr;
    const ProfileDirectory *m_profiles = nullptr;
};

} // namespace Tertulia
