#include "app/storage/clientdatabase.h"

#include "app/logging.h"

#include <QtCore/QAtomicInteger>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QThread>
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

bool runStatement(const QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    if (query.exec(statement))
        return true;
    qCWarning(lcClientStorage) << "sql:" << query.lastError().text() << statement;
    return false;
}

/// The one thread that writes the client's SQLite files, shared by every ClientDatabase of the
/// process so that all writes keep the order they were asked for (and a read after a write of another
/// instance sees it once flushed). It exists while at least one database is open.
struct Writer
{
    QThread thread;
    QObject *context = nullptr; ///< lives in the thread: work queued to it runs there, in order
    int users = 0;
};
Writer *s_writer = nullptr;

Writer *acquireWriter()
{
    if (!s_writer) {
        s_writer = new Writer;
        s_writer->thread.setObjectName(u"tertulia-client-writer"_s);
        s_writer->context = new QObject;
        s_writer->context->moveToThread(&s_writer->thread);
        QObject::connect(&s_writer->thread, &QThread::finished, s_writer->context, &QObject::deleteLater);
        s_writer->thread.start();
    }
    ++s_writer->users;
    return s_writer;
}

void releaseWriter()
{
    if (!s_writer || --s_writer->users > 0)
        return;
    s_writer->thread.quit();
    s_writer->thread.wait();
    delete s_writer;
    s_writer = nullptr;
}

/// Runs work on the writer thread and waits for it (opening, closing, flushing).
void runOnWriterAndWait(const std::function<void()> &work)
{
    if (QThread::currentThread() == &s_writer->thread)
        work();
    else
        QMetaObject::invokeMethod(s_writer->context, work, Qt::BlockingQueuedConnection);
}
} // namespace

ClientDatabase::ClientDatabase(QString connectionName, QString path)
    : m_connection(std::move(connectionName)), m_writerConnection(m_connection + u"-writer"_s), m_path(std::move(path))
{
    acquireWriter();
}

ClientDatabase::~ClientDatabase()
{
    // Every write asked for is on disk before the file is let go (a quit must not lose a draft).
    runOnWriterAndWait([name = m_writerConnection] {
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    });
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
    releaseWriter();
}

QThread *ClientDatabase::writerThread() { return s_writer ? &s_writer->thread : nullptr; }

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
    // WAL also lets this thread read while the writer thread writes.
    bool ok = database->exec(u"PRAGMA journal_mode=WAL"_s) && database->exec(u"PRAGMA synchronous=NORMAL"_s)
              && database->exec(u"PRAGMA busy_timeout=5000"_s);
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
        // 2: a draft per room (what was typed and not sent, kept across restarts).
        {u"CREATE TABLE IF NOT EXISTS drafts (account TEXT NOT NULL, "
         "room TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY(account, room))"_s},
        // 3: muted rooms (notify only for mentions, a quiet badge).
        {u"CREATE TABLE IF NOT EXISTS muted_rooms (account TEXT NOT NULL, "
         "room TEXT NOT NULL, PRIMARY KEY(account, room))"_s},
        // 4: a queued reply keeps the seq of the message it replies to.
        {u"ALTER TABLE outbox ADD COLUMN reply_to INTEGER NOT NULL DEFAULT 0"_s},
        // 5: a file waiting to be uploaded (a copy under the data directory) and, once uploaded, its description.
        {u"ALTER TABLE outbox ADD COLUMN upload_path TEXT"_s,
         u"ALTER TABLE outbox ADD COLUMN upload_name TEXT"_s,
         u"ALTER TABLE outbox ADD COLUMN upload_size INTEGER NOT NULL DEFAULT 0"_s,
         u"ALTER TABLE outbox ADD COLUMN file TEXT"_s},
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
    // The writer's own connection, made in its thread (a connection belongs to the thread that made it).
    bool writerOpen = false;
    QString writerError;
    runOnWriterAndWait([&] {
        QSqlDatabase writer = QSqlDatabase::addDatabase(u"QSQLITE"_s, database->m_writerConnection);
        writer.setDatabaseName(path);
        writerOpen = writer.open() && runStatement(writer, u"PRAGMA synchronous=NORMAL"_s)
                     && runStatement(writer, u"PRAGMA busy_timeout=5000"_s);
        if (!writerOpen)
            writerError = writer.lastError().text();
    });
    if (!writerOpen) {
        if (error)
            *error = writerError;
        qCWarning(lcClientStorage) << "cannot open" << path << "for writing:" << writerError;
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
    return runStatement(QSqlDatabase::database(m_connection, false), statement);
}

void ClientDatabase::write(QString statement, QVariantList values) const
{
    // Queued, not waited for: the GUI thread never waits for SQLite (and its fsync) to write.
    QMetaObject::invokeMethod(
        s_writer->context,
        [name = m_writerConnection, statement = std::move(statement), values = std::move(values)] {
            QSqlQuery query(QSqlDatabase::database(name, false));
            query.prepare(statement);
            for (const QVariant &value : values)
                query.addBindValue(value);
            run(query);
        },
        Qt::QueuedConnection);
}

void ClientDatabase::flush() const
{
    runOnWriterAndWait([] {});
}

QList<ClientDatabase::OutboxRow> ClientDatabase::outbox(const QString &account) const
{
    flush();
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(u"SELECT client_msg_id, room, text, created_ms, failed, error_code, error_message, reply_to, "
                  "upload_path, upload_name, upload_size, file FROM outbox WHERE account = ? ORDER BY position"_s);
    query.addBindValue(account);
    QList<OutboxRow> rows;
    if (!run(query))
        return rows;
    while (query.next()) {
        rows.append({query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
                     query.value(3).toLongLong(), query.value(4).toBool(), query.value(5).toString(),
                     query.value(6).toString(), query.value(7).toLongLong(), query.value(8).toString(),
                     query.value(9).toString(), query.value(10).toLongLong(), query.value(11).toString()});
    }
    return rows;
}

bool ClientDatabase::addOutbox(const QString &account, const OutboxRow &row)
{
    write(u"INSERT OR IGNORE INTO outbox (account, client_msg_id, room, text, created_ms, failed, "
          "error_code, error_message, reply_to, upload_path, upload_name, upload_size, file) "
          "VALUES (?, ?, ?, COALESCE(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s, // a file's caption may be empty (a null QString)
          {account, row.clientMsgId, row.room, row.text, row.createdMs, row.failed, row.errorCode, row.errorMessage,
           row.replyTo, row.uploadPath, row.uploadName, row.uploadSize, row.file});
    return true;
}

bool ClientDatabase::putOutboxLast(const QString &account, const OutboxRow &row)
{
    // REPLACE deletes the row of that id and inserts a new one in one statement: a new, larger position.
    write(u"INSERT OR REPLACE INTO outbox (account, client_msg_id, room, text, created_ms, failed, "
          "error_code, error_message, reply_to, upload_path, upload_name, upload_size, file) "
          "VALUES (?, ?, ?, COALESCE(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
          {account, row.clientMsgId, row.room, row.text, row.createdMs, row.failed, row.errorCode, row.errorMessage,
           row.replyTo, row.uploadPath, row.uploadName, row.uploadSize, row.file});
    return true;
}

bool ClientDatabase::updateOutbox(const QString &account, const OutboxRow &row)
{
    write(u"UPDATE outbox SET failed = ?, error_code = ?, error_message = ?, file = ? "
          "WHERE account = ? AND client_msg_id = ?"_s,
          {row.failed, row.errorCode, row.errorMessage, row.file, account, row.clientMsgId});
    return true;
}

bool ClientDatabase::removeOutbox(const QString &account, const QString &clientMsgId)
{
    write(u"DELETE FROM outbox WHERE account = ? AND client_msg_id = ?"_s, {account, clientMsgId});
    return true;
}

QHash<QString, qint64> ClientDatabase::readMarkers(const QString &account) const
{
    flush();
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
    write(u"INSERT INTO read_markers (account, room, seq) VALUES (?, ?, ?) "
          "ON CONFLICT(account, room) DO UPDATE SET seq = excluded.seq"_s,
          {account, room, seq});
    return true;
}

QHash<QString, QString> ClientDatabase::drafts(const QString &account) const
{
    flush();
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
    if (text.isEmpty())
        write(u"DELETE FROM drafts WHERE account = ? AND room = ?"_s, {account, room});
    else
        write(u"INSERT INTO drafts (account, room, text) VALUES (?, ?, ?) "
              "ON CONFLICT(account, room) DO UPDATE SET text = excluded.text"_s,
              {account, room, text});
    return true;
}

namespace {
/// uploadPaths() on `db`; nullopt when it cannot be read.
std::optional<QSet<QString>> selectUploadPaths(const QSqlDatabase &db)
{
    QSqlQuery query(db);
    query.prepare(u"SELECT upload_path FROM outbox WHERE upload_path IS NOT NULL AND upload_path != ''"_s);
    if (!run(query))
        return std::nullopt;
    QSet<QString> paths;
    while (query.next())
        paths.insert(query.value(0).toString());
    return paths;
}
} // namespace

QSet<QString> ClientDatabase::uploadPaths() const
{
    flush();
    return selectUploadPaths(QSqlDatabase::database(m_connection, false)).value_or(QSet<QString>());
}

std::optional<QSet<QString>> ClientDatabase::uploadPathsOnThisThread() const
{
    flush(); // a read sees every write asked for before it (from any thread but the writer's: it waits for it)
    // A connection belongs to the thread that made it: one of its own, made and removed here.
    const QString name = u"%1-reader-%2"_s.arg(m_connection).arg(++s_connections);
    std::optional<QSet<QString>> paths;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(m_path);
        if (db.open() && runStatement(db, u"PRAGMA busy_timeout=5000"_s))
            paths = selectUploadPaths(db);
        else
            qCWarning(lcClientStorage) << "cannot open" << m_path << "to read the kept copies:" << db.lastError().text();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return paths;
}

QSet<QString> ClientDatabase::mutedRooms(const QString &account) const
{
    flush();
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    query.prepare(u"SELECT room FROM muted_rooms WHERE account = ?"_s);
    query.addBindValue(account);
    QSet<QString> rooms;
    if (!run(query))
        return rooms;
    while (query.next())
        rooms.insert(query.value(0).toString());
    return rooms;
}

bool ClientDatabase::setRoomMuted(const QString &account, const QString &room, bool muted)
{
    if (muted)
        write(u"INSERT INTO muted_rooms (account, room) VALUES (?, ?) ON CONFLICT(account, room) DO NOTHING"_s,
              {account, room});
    else
        write(u"DELETE FROM muted_rooms WHERE account = ? AND room = ?"_s, {account, room});
    return true;
}

} // namespace Tertulia
