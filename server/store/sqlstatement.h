#pragma once

#include <QtCore/QString>
#include <QtCore/QVariant>

class QSqlDriver;
class QSqlQuery;

/// How both stores send one statement with positional (`?`) values.
///
/// SQLite prepares in process, so a prepared statement costs nothing extra there. QtSql's PostgreSQL driver
/// does not use libpq's extended protocol: QSqlQuery::prepare() sends `PREPARE`, exec() sends
/// `EXECUTE name (values)` with the values written out as SQL literals by the driver's own formatValue(),
/// and the next prepare or the query's end sends `DEALLOCATE`: three round trips for one statement
/// (measured with `log_statement = all`; docs/benchmarks.md, "The commit ceiling at a fixed batch size").
/// On PostgreSQL this sends the statement once with the values written in by the same formatValue() (the
/// quoting of strings and bytea that EXECUTE used, including the driver's backslash rule): one round trip.
namespace Tertulia::SqlStatement {

/// `sql` with each `?` outside quotes ('…', "…") and `--` comments replaced by the driver's literal for the
/// value at its position, in parentheses, or a null string and `error` set when the counts differ. The statements are the
/// stores' own text, never a client's: only the values come from outside, and they are quoted by the driver.
QString inlined(const QSqlDriver &driver, const QString &sql, const QVariantList &values, QString *error = nullptr);

/// Whether QtSql would bind `value` as NULL: no value, or a null string, byte array, date or time in it.
bool isNull(const QVariant &value);

/// Runs `sql` with `values` in order on `query` (forward only): inlined on PostgreSQL, prepared and bound on
/// SQLite. False when it fails, with the error in query.lastError() (not logged: the callers say what
/// failed, and a unique violation may be expected).
bool execute(QSqlQuery &query, const QString &sql, const QVariantList &values);

} // namespace Tertulia::SqlStatement
