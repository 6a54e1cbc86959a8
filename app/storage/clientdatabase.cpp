#include "app/storage/clientdatabase.h"

#include "app/logging.h"

#include <QtCore/QAtomicInteger>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

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
    // WAL + NORMAL: a crash of the app loses nothing that was committed; the OS crashing may lose
    // the last moments, which only means a message is resent (the server dedupes it).
    const bool ok = database->exec(u"PRAGMA journal_mode=WAL"_s) && database->exec(u"PRAGMA synchronous=NORMAL"_s)
                    && database->exec(u"CREATE TABLE IF NOT EXISTS outbox ("
                                      "position INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL, "
                                      "client_msg_id TEXT NOT NULL, room TEXT NOT NULL, text TEXT NOT NULL, "
                                      "created_ms INTEGER NOT NULL, failed INTEGER NOT NULL DEFAULT 0, "
                                      "error_code TEXT, error_message TEXT, UNIQUE(account, client_msg_id))"_s)
                    && database->exec(u"CREATE TABLE IF NOT EXISTS read_markers (account TEXT NOT NULL, "
                                      "room TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(account, room))"_s)
                    && database->exec(u"CREATE TABLE IF NOT EXISTS drafts (account TEXT NOT NULL, "
                                      "room TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY(account, room))"_s);
    if (!ok) {
        if (error)
            *error = db.lastError().text();
        return nullptr;
    }
    return database;
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

QHash<QString, QString> ClientDatabase::drafts(const QString &account) const
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(u"SELECT room, text FROM drafts WHERE account = ?"_s);
    query.addBindValue(account);
    QHash<QString, QString> drafts;
    if (!run(query))
        return drafts;
    while (query.next())
        drafts.insert(query.value(0).toString(), query.value(1).toString());
    return drafts;
}

bool ClientDatabase::setDraft(const QString &account, const QString &room, const QString &text)
{
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (text.isEmpty()) {
        query.prepare(u"DELETE FROM drafts WHERE account = ? AND room = ?"_s);
        query.addBindValue(account);
        query.addBindValue(room);
        return run(query);
    }
    query.prepare(u"INSERT INTO drafts (account, room, text) VALUES (?, ?, ?) "
                  "ON CONFLICT(account, room) DO UPDATE SET text = excluded.text"_s);
    query.addBindValue(account);
    query.addBindValue(room);
    query.addBindValue(text);
    return run(query);
}

} // namespace Tertulia
