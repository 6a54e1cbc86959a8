#pragma once

#include "server/rooms/eventbus.h"
#include "server/store/store.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QLoggingCategory>
#include <QtCore/QStringList>
#include <QtCore/QTimer>

#include <functional>
#include <map>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcCluster)

namespace Tertulia {

class Store;

/// What every cluster bus does whatever carries its notices (docs/scaling.md, "How it works"): PostgreSQL
/// LISTEN/NOTIFY (PgNotifyBus) or Redis pub/sub (RedisBus). A subclass only moves three kinds of notice
/// between nodes; this class keeps the one implementation of the rules:
///
/// - Notices are only a wake-up: the database is the log. The bus keeps a cursor on the global position and
///   reads every message above it from the store (Store::readMessagesAfter: off the event loop, answered on
///   this thread), in position order, one read at a time, so nothing is missed and nothing overtakes
///   anything; a duplicate (one this node delivered when it committed it) is dropped by RoomRegistry by its
///   (room, seq).
/// - Notices: `m|<node>|<first>|<last>` (a batch of messages committed, global positions; MessagesNotice),
///   `f|<node>|<json>` (a fact), and heartbeats `<node>|<beat>` on a channel of their own.
/// - A traced message of another node is read from the log with its trace context and that node
///   (PositionedMessage::trace, schema 16), and handed on with them (BusEvent::trace, traceNode), so this
///   node records its part of the trace however the read was started: a notice, a catch-up, or a read that
///   an earlier notice or this node's own commit started and that found later commits too. A batch's notice
///   carries the same contexts (MessagesNotice): the bus keeps other nodes' by position until it reads the
///   messages, and uses one only for a message stored without its context (by a node of the previous
///   version, during a rolling upgrade).
/// - The transport may die silently: the bus sends itself a heartbeat every `heartbeatMs`; without the echo
///   within `heartbeatTimeoutMs`, when sending fails, or when the transport reports its death
///   (transportLost()), it opens the transport again (retrying with a growing pause while it cannot), reads
///   every message above its cursor and, once it has, asks RoomRegistry to resynchronise rooms and
///   memberships (resyncNeeded(): after the catch-up, so a room created meanwhile is not learnt with a last
///   seq its caught-up messages would look like repeats of).
/// - While it cannot hear, it reads the log at every heartbeat: messages from other nodes still arrive, a
///   beat late; facts wait for the transport (and the resync after it).
/// - Every node hears every other node's heartbeats (and facts). A node not heard for `peerLeaseMs` while
///   this node's own heartbeats came back is reported once by nodeLost(). While this node cannot hear it
///   judges nobody: after it hears again every peer gets a fresh lease.
class ClusterBus : public EventBus
{
    Q_OBJECT

public:
    struct Options
    {
        int heartbeatMs = 500;
        int heartbeatTimeoutMs = 1500;
        int catchUpBatch = 500;        ///< messages read per query
        int peerLeaseMs = 3000;        ///< a node not heard for this long is gone
        int maxRetryMs = 4000;         ///< the longest pause between attempts to open a dead transport
    };
    struct Stats
    {
        quint64 remoteFacts = 0;       ///< facts heard from other nodes
        quint64 messagesRead = 0;      ///< committed messages read after a notice or a reconnect
        quint64 catchUps = 0;          ///< reads that followed a reconnect
        quint64 reconnects = 0;        ///< transports found dead and replaced
        qint64 lastHeartbeatMs = -1;   ///< round trip of the last heartbeat
        quint64 nodesLost = 0;         ///< peers reported gone
    };

    ~ClusterBus() override;

    /// Reads the current global position (call it before the rooms are loaded, so nothing committed in
    /// between is missed) and opens the transport. False with `errorMessage` when it is refused at once.
    bool start(QString *errorMessage);
    void publish(BusEvent event) final;

    qint64 cursor() const { return m_cursor; }
    qint64 position() const override { return m_cursor; }
    /// The highest global position this node knows to be committed: the store's at start, then every
    /// notice heard, its own commits and what it read. Above cursor() while committed messages wait to be
    /// read and handed on (tertulia_bus_lag_messages), known without asking the store, so a `/metrics`
    /// scrape runs no query on the event loop.
    qint64 knownPosition() const { return m_known; }
    const Stats &stats() const { return m_stats; }
    /// Whether notices can be heard now (the transport is open and subscribed).
    bool isListening() const { return m_ready; }
    /// "postgres" or "redis": what carries the notices (the `bus` label of tertulia_bus_info).
    virtual QString transportName() const = 0;
    /// Called with the age (now minus its commit time, ms) of every message read from the log.
    void setMessageAgeObserver(std::function<void(qint64 ageMs)> observer) { m_observeAge = std::move(observer); }
    /// The other nodes heard within their lease.
    QStringList peers() const override { return m_peerSeenMs.keys(); }

Q_SIGNALS:
    /// The transport was replaced: facts of the outage may be lost; rooms and memberships must be read again
    /// (messages are caught up by the bus itself).
    void resyncNeeded();
    /// Another node has not been heard for the peer lease (it crashed, hangs, or lost the bus). Its users'
    /// sessions are gone or will reconnect elsewhere. Reported once; heard again, it is a peer again.
    void nodeLost(const QString &node);

protected:
    ClusterBus(const QString &nodeId, const Options &options, Store &store, QObject *parent);

    Store &store() { return m_store; }
    const Options &options() const { return m_options; }

    // What a transport does.
    /// Starts opening (connect, listen/subscribe). It calls transportReady() when it can hear, at once or
    /// later; false with `errorMessage` when it failed at once.
    virtual bool openTransport(QString *errorMessage) = 0;
    virtual void closeTransport() = 0;
    /// Sends `<node>|<beat>` to the heartbeat channel; false when it cannot be sent.
    virtual bool sendHeartbeat(const QByteArray &payload) = 0;
    /// Sends `f|<node>|<json>` so that every node hears it after every notice this node sent before it and
    /// before every notice it sends after.
    virtual void sendFact(const QByteArray &notice) = 0;
    /// Announces this node's committed message at `position`, with its trace context when it is traced (a
    /// transport whose store announces batches itself, inside their transactions, does nothing).
    virtual void announceMessage(qint64 position, const Trace::TraceContext &trace)
    {
        Q_UNUSED(position);
        Q_UNUSED(trace);
    }
    /// Handles, before the log is read, the notices that already arrived (so a fact sent before a message
    /// committed is applied before that message is delivered).
    virtual void drainNotices() { }
    virtual QString displayAddress() const = 0;

    // What the transport reports.
    void transportReady();
    /// The transport found itself dead (its socket closed): open it again now, not at the heartbeat.
    void transportLost(const QString &reason);
    void heardNotice(const QByteArray &notice);
    void heardHeartbeat(const QByteArray &payload);

private:
    void readCommitted();
    void onCommittedRead(const std::optional<QList<PositionedMessage>> &read);
    void resyncAfterCatchUp();
    void heartbeat();
    void reopen();
    void heardFrom(const QString &node);
    void judgePeers();

    Options m_options;
    Store &m_store;
    QTimer m_heartbeat;
    QElapsedTimer m_sinceBeat;
    quint64 m_beat = 0;                ///< the heartbeat waited for (0: none)
    quint64 m_beatsSent = 0;
    qint64 m_cursor = 0;               ///< every message at or below this global position was handed on
    qint64 m_known = 0;                ///< knownPosition()
    bool m_readPending = false;        ///< a read of the log failed: retried with the next heartbeat
    bool m_reading = false;            ///< a read of the log is on its way (one at a time, in position order)
    bool m_readAgain = false;          ///< a notice came while reading: read on from the cursor after it
    bool m_resyncAfterRead = false;    ///< a reconnect's resyncNeeded() waits for its catch-up
    bool m_open = false;               ///< openTransport() succeeded and closeTransport() was not called since
    bool m_ready = false;              ///< the transport can hear
    bool m_everReady = false;          ///< the first transportReady() is the start, later ones reconnects
    QElapsedTimer m_sinceOpen;         ///< since the last openTransport(): a transport that never gets ready
    int m_retryMs = 0;                 ///< the pause before the next attempt to open (grows while it fails)
    QElapsedTimer m_sinceAttempt;
    Stats m_stats;
    QElapsedTimer m_clock;             ///< started once: the time base of m_peerSeenMs
    QHash<QString, qint64> m_peerSeenMs; ///< node -> when it was last heard
    std::function<void(qint64)> m_observeAge;
    /// Other nodes' traced messages not read yet: global position -> (context, node). Kept from their notice
    /// until the read hands them on (or passes them), at most kMaxRelayedTraces (the lowest go first); used for
    /// a message the log gives without its context.
    struct RelayedTrace
    {
        Trace::TraceContext context;
        QString node;
    };
    std::map<qint64, RelayedTrace> m_relayedTraces;
    static constexpr std::size_t kMaxRelayedTraces = 4096;
};

} // namespace Tertulia
