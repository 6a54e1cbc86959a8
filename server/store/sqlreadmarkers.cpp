#include "server/store/sqlreadmarkers.h"

#include "server/logging.h"
#include "server/store/sqlreads.h"
#include "shared/names.h"

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

namespace Tertulia::SqlReadMarkers {

using SqlReads::run;

StoreResult<qint64> raise(QSqlDatabase &db, Dialect dialect, qint64 roomId, const QString &user, qint64 seq,
                            qint64 now)
{
    const QString key = Names::canonical(user);
    // One statement: concurrent writers (several nodes) cannot lose the larger value between a read and a write.
    QSqlQuery upsert(db);
    const char *sql = dialect == Dialect::Sqlite
        ? "INSERT INTO read_markers (user_key, room_id, seq, updated_at) VALUES (?, ?, ?, ?)"
          " ON CONFLICT (user_key, room_id) DO UPDATE SET seq = max(read_markers.seq, excluded.seq),"
          " updated_at = excluded.updated_at WHERE excluded.seq > read_markers.seq"
        : "INSERT INTO read_markers (user_key, room_id, seq, updated_at) VALUES (?, ?, ?, ?)"
          " ON CONFLICT (user_key, room_id) DO UPDATE SET seq = GREATEST(read_markers.seq, excluded.seq),"
          " updated_at = excluded.updated_at WHERE excluded.seq > read_markers.seq";
    QSqlQuery stored(db);
    if (!run(upsert, sql, {key, roomId, seq, now})
        || !run(stored, "SELECT seq FROM read_markers WHERE user_key = ? AND room_id = ?", {key, roomId}))
        return Protocol::Error{Protocol::ErrorCode::Internal, QStringLiteral("could not store the read marker")};
    return stored.next() ? stored.value(0).toLongLong() : seq;
}

StoreResult<QHash<qint64, qint64>> of(QSqlDatabase &db, const QString &user)
{
    QSqlQuery q(db);
    if (!run(q, "SELECT room_id, seq FROM read_markers WHERE user_key = ?", {Names::canonical(user)}))
        return Protocol::Error{Protocol::ErrorCode::Internal, QStringLiteral("could not read the read markers")};
    QHash<qint64, qint64> markers;
    while (q.next())
        markers.insert(q.value(0).toLongLong(), q.value(1).toLongLong());
    return markers;
}

} // namespace Tertulia::SqlReadMarkers
