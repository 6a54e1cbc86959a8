#pragma once

#include "server/store/store.h"

#include <QtCore/QHash>
#include <QtCore/QString>

class QSqlDatabase;

/// Read markers in both SQL stores (issue 12), on whichever connection is given: the writer's for
/// Store::setReadMarker(), a reader's for Store::readReadMarkers(). A marker only moves forward.
namespace Tertulia::SqlReadMarkers {

/// Which SQL dialect spells the larger of two values (SQLite: max(a, b); PostgreSQL: GREATEST(a, b)).
enum class Dialect { Sqlite, Postgres };

/// Stores max(stored, seq) as the user's marker in the room and answers the value stored now (which may be
/// above `seq`: it never moves back); an Internal error when the database fails.
StoreResult<qint64> raise(QSqlDatabase &db, Dialect dialect, qint64 roomId, const QString &user, qint64 seq,
                            qint64 now);

/// The user's markers by room id; an Internal error when the database fails.
StoreResult<QHash<qint64, qint64>> of(QSqlDatabase &db, const QString &user);

} // namespace Tertulia::SqlReadMarkers
