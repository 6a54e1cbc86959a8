#pragma once

#include "server/rooms/busevent.h"
#include "server/session/monotonicclock.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QHash>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <chrono>
#include <deque>

namespace Tertulia {

class EventBus;
class RoomRegistry;
class SessionRegistry;

/// A user's presence as others see it, on every node: online when any of the user's sessions on any node is
/// online, away when all are away, offline without sessions.
///
/// Each node publishes its own view of a user (a Presence fact: "on this node, the user is ...") when its
/// sessions change it; every node keeps the latest view of each node and shows others the best of them,
/// delivering a change (through RoomRegistry, once per session that shares a room with the user) only when
/// that best changes. So a user connected to two nodes who leaves one stays online for everyone.
///
/// A node that is gone (nodeLost(), from the cluster bus's heartbeats) keeps its users present for the
/// presence grace more, so that those who reconnect elsewhere never flicker offline; then they are forgotten
/// there. A node that starts, or listens again after an outage, asks the others to publish their views again
/// (PresenceRequest) and publishes its own; the views held until then fade the same way, so a change missed
/// during an outage corrects itself after the grace and nobody flickers meanwhile. The grace runs on the
/// server's MonotonicClock, as PresenceGrace's does: one timer for every fade, and a skip of the clock (tests)
/// ends at once the fades it made due.
class PresenceTracker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PresenceTracker)

public:
    PresenceTracker(RoomRegistry &rooms, SessionRegistry &sessions, EventBus &bus, const MonotonicClock &clock,
                    QObject *parent = nullptr);

    /// What others are shown (every node's view merged).
    Protocol::PresenceStatus status(const QString &userKey) const;
    /// Recomputes the user's status from this node's sessions and publishes a change.
    void refresh(const QString &userKey, const QString &userName);

    /// How long a lost node's users stay as they were (the presence grace).
    void setNodeGrace(std::chrono::milliseconds grace) { m_nodeGrace = grace; }
    /// A node stopped answering: its users stay as they were for the node grace, then its views are dropped.
    void nodeLost(const QString &node);
    /// Asks every node to publish its views again, and publishes this node's (a node that starts, or one
    /// that may have missed facts): what others showed until now fades unless they say it again.
    void resynchronise();

private:
    void onFact(const BusEvent &event);
    void republish();
    /// Moves the node's views (every other node's when `node` is empty) to fading for the node grace.
    void fade(const QString &node);
    /// Ends every fade now due, then arms the timer for the earliest one left (or stops it).
    void onFadeDue();
    void armFade();
    /// Delivers the user's merged status if it is not what was last shown.
    void show(const QString &userKey);
    static Protocol::PresenceStatus best(Protocol::PresenceStatus a, Protocol::PresenceStatus b);

    RoomRegistry &m_rooms;
    SessionRegistry &m_sessions;
    EventBus &m_bus;
    /// Node -> that node's view of one user. A QMap, not a QHash: a user is seen by a node or two, and a QHash
    /// allocates room for 48 entries with the first (1.6 kB a user; docs/benchmarks.md, issue 14).
    using NodeViews = QMap<QString, Protocol::PresenceStatus>;
    /// user key -> node -> that node's view (no entry: offline there). This node's own view is here too.
    QHash<QString, NodeViews> m_views;
    /// Views of nodes that are gone, kept until their grace ends: user key -> node -> status.
    QHash<QString, NodeViews> m_fading;
    QHash<QString, Protocol::PresenceStatus> m_shown;   ///< what was last delivered (no entry: offline)
    QHash<QString, QString> m_names;                    ///< user key -> display name
    std::chrono::milliseconds m_nodeGrace{5000};

    /// One fade(): the views it moved, (user key, node), and when they go.
    struct Fade
    {
        qint64 dueMs = 0;
        QList<std::pair<QString, QString>> views;
    };
    const MonotonicClock &m_clock;
    std::deque<Fade> m_fades;   ///< in the order faded: with one grace at a time, due times only grow
    QTimer m_fadeTimer;
    MonotonicClock::Subscription m_skipped; ///< last member: unregistered first
};

} // namespace Tertulia
