#include "server/store/sqlnodesnapshots.h"

#include "server/store/sqlreads.h"

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>

namespace Tertulia::SqlNodeSnapshots {

using SqlReads::run;

bool put(QSqlDatabase &db, const NodeSnapshot &snapshot)
{
    QSqlQuery upsert(db);
    return run(upsert,
               "INSERT INTO node_snapshots (request, node, taken_at, body) VALUES (?, ?, ?, ?)"
               " ON CONFLICT (request, node) DO UPDATE SET taken_at = excluded.taken_at, body = excluded.body",
               {snapshot.request, snapshot.node, snapshot.takenAt, snapshot.body});
}

QList<NodeSnapshot> take(QSqlDatabase &db, const QString &request, qint64 staleBefore)
{
    QList<NodeSnapshot> taken;
    QSqlQuery q(db);
    if (run(q, "SELECT request, node, taken_at, body FROM node_snapshots WHERE request = ? ORDER BY node", {request})) {
        while (q.next())
            taken.append(NodeSnapshot{q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(),
                                      q.value(3).toByteArray()});
    }
    // Whatever was read: this request's answers and the stale ones go (a failure is in the log).
    QSqlQuery remove(db);
    run(remove, "DELETE FROM node_snapshots WHERE request = ? OR taken_at < ?", {request, staleBefore});
    return taken;
}

} // namespace Tertulia::SqlNodeSnapshots
