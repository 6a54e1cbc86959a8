#pragma once

#include "server/rooms/eventbus.h"
#include "server/store/postgresstore.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QStringList>

#include <functional>
#include <QtCore/QTimer>
#include <QtSql/QSqlDriver>

namespace Tertulia {

class Store;

/// The cluster bus on PostgreSQL LISTEN/NOTIFY (docs/scaling.md): several nodes, one database, no broker.
///
/// - Facts other than messages go out as `NOTIFY tertulia, 'f|<node>|<json>'` on the store's own connection
///   (Store::notify), so they reach the other nodes in the order of that node's commits: a join is heard
///   before the messages sent after it. A message batch's notice (`m|<node>|<first>|<last>` global
///   positions) is written by the store inside the batch's transaction.
/// - Notices are only a wake-up: the database is the log. The bus keeps a cursor on the global position and
///   reads every message above it from the store, in position order, so nothing is missed, nothing
///   overtakes anything (one read at a time, on this thread), and a duplicate (one this node delivered when
///   it committed it) is dropped by RoomRegistry by its (room, seq).
/// - QtSql does not report a dead LISTEN connection (the QPSQL driver ignores PQconsumeInput()'s result), so
///   the bus sends itself a heartbeat notice every `heartbeatMs`; without the echo within
///   `heartbeatTimeoutMs`, or when sending fails, it reconnects, listens again, reads every message above its
///   cursor (off the event loop, Store::readMessagesAfter) and, once it has, asks RoomRegistry to resynchronise rooms and memberships (resyncNeeded()).
/// - Every node hears every other node's heartbeats (and facts). A node not heard for `peerLeaseMs` while
///   this node's own heartbeats came back is reported once by nodeLost() (its users' presence fades). While
///   this node's own LISTEN connection is dead it judges nobody: after it listens again every peer gets a
///   fresh lease.
class PgNotifyBus final : public EventBus
{
    Q_OBJECT

public:
    struct Options
    {
        PostgresAddress address;
        int heartbeatMs = 500;
        int heartbeatTimeoutMs = 1500;
        int catchUpBatch = 500;        ///< messages read per query
        int peerLeaseMs = 3000;        ///< a node not heard for this long is gone
    };
    struct Stats
    {
        quint64 remoteFacts = 0;       ///< facts heard from other nodes
        quint64 messagesRead = 0;      ///< committed messages read after a notice or a reconnect
        quint64 catchUps = 0;          ///< reads that followed a reconnect
        quint64 reconnects = 0;        ///< LISTEN connections found dead and replaced
        qint64 lastHeartbeatMs = -1;   ///< round trip of the last heartbeat
        quint64 nodesLost = 0;         ///< peers reported gone
    };

    PgNotifyBus(const QString &nodeId, const Options &options, Store &store, QObject *parent = nullptr);
    ~PgNotifyBus() override;

    /// Reads the current global position (call it before the rooms are loaded, so nothing committed in
    /// between is missed) and starts listening. False with `errorMessage` when the database refuses.
    bool start(QString *errorMessage);
    void publish(BusEvent event) override;

    qint64 cursor() const { return m_cursor; }
    qint64 position() const override { return m_cursor; }
    const Stats &stats() const { return m_stats; }
    bool isListening() const;
    /// Called with the age (now minus its commit time, ms) of every message read from the log.
    void setMessageAgeObserver(std::function<void(qint64 ageMs)> observer) { m_observeAge = std::move(observer); }
    /// The other nodes heard within their lease.
    QStringList peers() const { return m_peerSeenMs.keys(); }

Q_SIGNALS:
    /// The LISTEN connection was replaced: facts of the outage may be lost; rooms and memberships must be
    /// read again (messages are caught up by the bus itself).
    void resyncNeeded();
    /// Another node has not been heard for the peer lease (it crashed, hangs, or lost the database). Its
    /// users' sessions are gone or will reconnect elsewhere. Reported once; heard again, it is a peer again.
    void nodeLost(const QString &node);

private:
    void onNotification(const QString &name, QSqlDriver::NotificationSource source, const QVariant &payload);
    void readCommitted();
    void onCommittedRead(const std::optional<QList<PositionedMessage>> &read);
    void resyncAfterCatchUp();
    void heartbeat();
    bool openListener(QString *errorMessage);
    void closeListener();
    void reconnect();
    void heardFrom(const QString &node);
    void judgePeers();

    Options m_options;
    Store &m_store;
    QString m_connectionName;
    QTimer m_heartbeat;
    QElapsedTimer m_sinceBeat;
    quint64 m_beat = 0;                ///< the heartbeat waited for (0: none)
    quint64 m_beatsSent = 0;
    qint64 m_cursor = 0;               ///< every message at or below this global position was handed on
    bool m_readPending = false;        ///< a read of the log failed: retried with the next heartbeat
    bool m_reading = false;            ///< a read of the log is on its way (one at a time, in position order)
    bool m_readAgain = false;          ///< a notice came while reading: read on from the cursor after it
    bool m_resyncAfterRead = false;    ///< a reconnect's resyncNeeded() waits for its catch-up
    Stats m_stats;
    QElapsedTimer m_clock;             ///< started once: the time base of m_peerSeenMs
    QHash<QString, qint64> m_peerSeenMs; ///< node -> when it was last heard
    std::function<void(qint64)> m_observeAge;
};

} // namespace Tertulia
