#pragma once

#include "server/cluster/clusterbus.h"
#include "server/store/postgresstore.h"

#include <QtSql/QSqlDriver>

namespace Tertulia {

/// The cluster bus on PostgreSQL LISTEN/NOTIFY (docs/scaling.md): several nodes, one database, no broker.
/// The rules (cursor, catch-up, heartbeats, peers) are ClusterBus's; this class only moves the notices.
///
/// - Facts go out as `NOTIFY tertulia, 'f|<node>|<json>'` through the store (Store::notify), in its
///   writer's next group-commit transaction, after the writes asked for before, so they reach the other
///   nodes in the order of that node's commits: a join is heard before the messages sent after it. A
///   message batch's notice (`m|<node>|<first>|<last>` global positions) is written by the store inside the
///   batch's transaction.
/// - NOTIFY serialises commits database-wide (a lock taken at commit): RedisBus takes the notices off the
///   database when that is the ceiling.
/// - QtSql does not report a dead LISTEN connection (the QPSQL driver ignores PQconsumeInput()'s result):
///   the heartbeat on `tertulia_hb`, sent on the listening connection itself, finds it.
class PgNotifyBus final : public ClusterBus
{
    Q_OBJECT

public:
    PgNotifyBus(const QString &nodeId, const PostgresAddress &address, const Options &options, Store &store,
                QObject *parent = nullptr);
    ~PgNotifyBus() override;

    QString transportName() const override;

protected:
    bool openTransport(QString *errorMessage) override;
    void closeTransport() override;
    bool sendHeartbeat(const QByteArray &payload) override;
    void sendFact(const QByteArray &notice) override;
    QString displayAddress() const override { return m_address.displayUrl(); }

private:
    void onNotification(const QString &name, QSqlDriver::NotificationSource source, const QVariant &payload);

    PostgresAddress m_address;
    QString m_connectionName;
};

} // namespace Tertulia
