#include "app/storage/clientdatabase.h"

#include "app/logging.h"

#include <QtCore/QAtomicInteger>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <iterator>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
QAtomicInteger<quint64> s_connections;

bool run(QSqlQuery &query)
{
    if (query.exec())
        return true;
    qCWarning(lcClientStorage) << "sql:" << query.lastError().text() << query.lastQuery();
    return false;
}
} // namespace

ClientDatabase::ClientDatabase(QString connectionName, QString path)
    : m_connection(std::move(connectionName)), m_path(std::move(path))
{
}

ClientDatabase::~ClientDatabase()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

std::unique_ptr<ClientDatabase> ClientDatabase::open(const QString &path, QString *error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    // One connection per instance: two clients (tests, several accounts) may share a process.
    const QString name = u"tertulia-client-%1"_s.arg(++s_connections);
    std::unique_ptr<ClientDatabase> database(new ClientDatabase(name, path));
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
    db.setDatabaseName(path);
    if (!db.open()) {
        if (error)
            *error = db.lastError().text();
        qCWarning(lcClientStorage) << "cannot open" << path << db.lastError().text();
        return nullptr;
    }
    // The schema's version is SQLite's user_version. Read before anything writes: a file from a newer
    // Tertulia is refused as it is (its tables may mean what this code does not know), never changed.
    const int version = database->userVersion();
    if (version < 0 || version > kSchemaVersion) {
        const QString text = version < 0 ? db.lastError().text()
                                         : u"%1 was written by a newer Tertulia (client database schema %2; this "
                                           "version knows up to %3): update Tertulia, or move the file away to "
                                           "start afresh"_s.arg(path).arg(version).arg(kSchemaVersion);
        if (error)
            *error = text;
        qCWarning(lcClientStorage).noquote() << "cannot use the client database:" << text;
        return nullptr;
    }
    // WAL + NORMAL: a crash of the app loses nothing that was committed; the OS crashing may lose
    // the last moments, which only means a message is resent (the server dedupes it).
    bool ok = database->exec(u"PRAGMA journal_mode=WAL"_s) && database->exec(u"PRAGMA synchronous=NORMAL"_s);
    // Numbered steps, only ever appended; each in its own transaction with the version it reaches.
    // 1: the outbox and read markers (files from before versioning have them at user_version 0: IF NOT EXISTS).
    static const QStringList steps[] = {
        {u"CREATE TABLE IF NOT EXISTS outbox ("
         "position INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, "
         "client_msg_id TEXT NOT NULL, room TEXT NOT NULL, text TEXT NOT NULL, "
         "created_ms INTEGER NOT NULL, failed INTEGER NOT NULL DEFAULT 0, "
         "error_code TEXT, error_message TEXT, UNIQUE(account, client_msg_id))"_s,
         u"CREATE TABLE IF NOT EXISTS read_markers (account TEXT NOT NULL, "
         "room TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(account, room))"_s},
    };
    static_assert(std::size(steps) == kSchemaVersion);
    for (int next = version + 1; ok && next <= kSchemaVersion; ++next) {
        ok = db.transaction();
        for (const QString &statement : steps[next - 1])
            ok = ok && database->exec(statement);
        ok = ok && database->exec(u"PRAGMA user_version = %1"_s.arg(next));
        ok = ok ? db.commit() : (db.rollback(), false);
        if (ok && version > 0)
            qCInfo(lcClientStorage) << "client database migrated to schema" << next;
    }
    if (!ok) {
        if (error)
            *error = db.lastError().text();
        return nullptr;
    }
    return database;
}

int ClientDatabase::userVersion() const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.exec(u"PRAGMA user_version"_s) || !query.next())
        return -1;
    return query.value(0).toInt();
}

int ClientDatabase::schemaVersion() const
{
    return userVersion();
}

bool ClientDatabase::exec(const QString &statement) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (query.exec(statement))
        return true;
    qCWarning(lcClientStorage) << "sql:" << query.lastError().text() << statement;
    return false;
}

QList<ClientDatabase::OutboxRow> ClientDatabase::outbox(const QString &account) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(u"SELECT client_msg_id, room, text, created_ms, failed, error_code, error_message "
                  "FROM outbox WHERE account = ? ORDER BY position"_s);
    query.addBindValue(account);
    QList<OutboxRow> rows;
    if (!run(query))
        return rows;
    while (query.next()) {
        rows.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
                     query.value(3).toLongLong(), query.value(4).toBool(), query.value(5).toString(),
                     query.value(6).toString()});
    }
    return rows;
}

bool ClientDatabase::addOutbox(const QString &account, const OutboxRow &row)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(u"INSERT OR IGNORE INTO outbox (account, client_msg_id, room, text, created_ms, failed, "
                  "error_code, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s);
    for (const QVariant &value : {QVariant(account), QVariant(row.clientMsgId), QVariant(row.room), QVariant(row.text),
                                  QVariant(row.createdMs), QVariant(row.failed), QVariant(row.errorCode),
                                  QVariant(row.errorMessage)})
        query.addBindValue(value);
    return run(query);
}

bool ClientDatabase::updateOutbox(const QString &account, const OutboxRow &row)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(u"UPDATE outbox SET failed = ?, error_code = ?, error_message = ? "
                  "WHERE account = ? AND client_msg_id = ?"_s);
    for (const QVariant &value : {QVariant(row.failed), QVariant(row.errorCode), QVariant(row.errorMessage),
                                  QVariant(account), QVariant(row.clientMsgId)})
        query.addBindValue(value);
    return run(query);
}

bool ClientDatabase::removeOutbox(const QString &account, const QString &clientMsgId)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(u"DELETE FROM outbox WHERE account = ? AND client_msg_id = ?"_s);
    query.addBindValue(account);
    query.addBindValue(clientMsgId);
    return run(query);
}

QHash<QString, qint64> ClientDatabase::readMarkers(const QString &account) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(u"SELECT room, seq FROM read_markers WHERE account = ?"_s);
    query.addBindValue(account);
    QHash<QString, qint64> markers;
    if (!run(query))
        return markers;
    while (query.next())
        markers.insert(query.value(0).toString(), query.value(1).toLongLong());
    return markers;
}

bool ClientDatabase::setReadMarker(const QString &account, const QString &room, qint64 seq)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(u"INSERT INTO read_markers (account, room, seq) VALUES (?, ?, ?) "
                  "ON CONFLICT(account, room) DO UPDATE SET seq = excluded.seq"_s);
    query.addBindValue(account);
    query.addBindValue(room);
    query.addBindValue(seq);
    return run(query);
}

} // namespace Tertulia
