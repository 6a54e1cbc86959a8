#include "server/store/migrations.h"

#include "server/logging.h"

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
bool exec(QSqlDatabase &db, const QString &sql, QString *errorMessage)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    *errorMessage = query.lastError().text();
    return false;
}
} // namespace

int schemaVersion(QSqlDatabase &db)
{
    if (!db.tables().contains(u"meta"_s))
        return 0;
    QSqlQuery query(db);
    if (!query.exec(u"SELECT value FROM meta WHERE key = 'schema_version'"_s) || !query.next())
        return 0;
    return query.value(0).toString().toInt();
}

bool applyMigrations(QSqlDatabase &db, std::span<const Migration> migrations, const MigrationOptions &options,
                     QString *errorMessage)
{
    const int known = migrations.empty() ? 0 : migrations.back().version;
    for (;;) {
        if (!db.transaction()) {
            *errorMessage = u"cannot begin the schema migration: "_s + db.lastError().text();
            return false;
        }
        QString error;
        // The lock first, then the version: another node may have migrated while this one waited.
        if (!options.lockStatement.isEmpty() && !exec(db, options.lockStatement, &error)) {
            db.rollback();
            *errorMessage = u"cannot lock the schema for migration: "_s + error;
            return false;
        }
        const int current = schemaVersion(db);
        if (current > known) {
            db.rollback();
            *errorMessage = QStringLiteral("the database has schema version %1, newer than this server knows (%2): "
                                           "upgrade the server")
                                .arg(current)
                                .arg(known);
            return false;
        }
        const auto next = std::find_if(migrations.begin(), migrations.end(),
                                       [current](const Migration &m) { return m.version > current; });
        if (next == migrations.end()) {
            db.rollback();
            return true;
        }
        bool ok = true;
        for (const char *statement : next->statements) {
            if (!exec(db, QString::fromUtf8(statement), &error)) {
                ok = false;
                break;
            }
        }
        // meta exists from the first migration on; each step records itself in the same transaction.
        ok = ok && exec(db, QStringLiteral("UPDATE meta SET value = '%1' WHERE key = 'schema_version'").arg(next->version), &error);
        if (!ok || !db.commit()) {
            if (ok)
                error = db.lastError().text();
            db.rollback();
            *errorMessage = QStringLiteral("schema migration %1 (%2) failed: %3")
                                .arg(next->version)
                                .arg(QString::fromUtf8(next->description), error);
            return false;
        }
        qCInfo(lcStore).nospace() << "schema migrated to version " << next->version << " (" << next->description << ")";
    }
}

} // namespace Tertulia
