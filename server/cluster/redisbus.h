#pragma once

#include "server/cluster/clusterbus.h"
#include "server/cluster/messagesnotice.h"
#include "server/cluster/redisaddress.h"

#include <deque>

namespace Tertulia {

class RedisConnection;

/// The cluster bus on Redis pub/sub (docs/scaling.md, "Redis as the bus"): for deployments that run Redis
/// anyway or outgrow NOTIFY, which serialises commits database-wide. PostgreSQL stays the log and the source
/// of truth; Redis only carries the wake-ups, facts and heartbeats, and ClusterBus applies the same rules as
/// on PostgreSQL (cursor, catch-up from the store, duplicates by (room, seq), peers).
///
/// Two connections: one SUBSCRIBEd to `tertulia` and `tertulia_hb`, one that PUBLISHes. The heartbeat goes
/// out on the second and must come back on the first within 1.5 s, so a silent failure of either is found;
/// a closed socket is found at once. Either way both are replaced (with a growing pause while Redis is
/// unreachable), the log is read from the cursor and rooms are resynchronised.
///
/// Order of a node's notices: one publishing connection, and Redis hands a connection's PUBLISHes to every
/// subscriber in the order it received them. What goes out keeps this node's commit order:
/// - a fact leaves after Store::whenCommitted() (as on PostgreSQL, where its NOTIFY goes in the store's next
///   group-commit transaction), through a queue that holds later notices behind it, so a batch's wake-up (sent after the
///   batch committed) never overtakes a fact published before it;
/// - a joined member's client sends only after its join was acknowledged, which is when the join fact
///   leaves; its message commits later still, so the fact is at Redis before any wake-up that covers the
///   message exists; and before reading the log, the bus handles whatever already arrived on its subscribed
///   socket (drainNotices()), so a fact that got here before a message's commit is applied before that
///   message is delivered. What this does not cover is a fact still inside Redis when another node reads
///   the log for another reason, a window of Redis's own forwarding delay (PostgreSQL's bus has the same
///   window when a node reads the log after its own commit).
class RedisBus final : public ClusterBus
{
    Q_OBJECT

public:
    RedisBus(const QString &nodeId, const RedisAddress &address, const Options &options, Store &store,
             QObject *parent = nullptr);
    ~RedisBus() override;

    QString transportName() const override;

protected:
    bool openTransport(QString *errorMessage) override;
    void closeTransport() override;
    bool sendHeartbeat(const QByteArray &payload) override;
    void sendFact(const QByteArray &notice) override;
    void announceMessage(qint64 position, const Trace::TraceContext &trace) override;
    void drainNotices() override;
    QString displayAddress() const override { return m_address.displayUrl(); }

private:
    struct Outgoing
    {
        quint64 id = 0;
        QByteArray notice;        ///< a fact; empty for a wake-up
        qint64 first = 0, last = 0; ///< a wake-up's positions
        QList<MessagesNotice::Traced> traced; ///< a wake-up's traced messages (at most MessagesNotice::kMaxTraced)
        bool ready = false;       ///< a fact: its transaction committed
    };
    void enqueue(Outgoing outgoing);
    void scheduleFlush();
    void flush();
    void subscribedTo(const QByteArray &channel);

    RedisAddress m_address;
    RedisConnection *m_subscriber = nullptr;
    RedisConnection *m_publisher = nullptr;
    int m_subscriptions = 0;
    std::deque<Outgoing> m_outbox;   ///< notices not published yet, in publish order
    quint64 m_nextOutgoing = 1;
    bool m_flushScheduled = false;
};

} // namespace Tertulia
