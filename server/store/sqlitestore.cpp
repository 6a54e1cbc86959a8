#include "server/store/sqlitestore.h"

#include "server/logging.h"
#include "server/store/migrations.h"
#include "server/store/groupcommit.h"
#include "server/store/sqlreads.h"
#include "server/store/sqlreactions.h"
#include "server/store/sqlaccounts.h"
#include "server/store/sqlnodesnapshots.h"
#include "server/store/sqlreadmarkers.h"
#include "server/store/sqlrooms.h"
#include "server/store/sqlfiles.h"
#include "shared/names.h"

#include <QtCore/QDateTime>
#include <QtCore/QPointer>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtCore/QLoggingCategory>
#include <QtCore/QSet>
#include <QtCore/QUuid>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <limits>
#include <unordered_map>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::ChatMessage;
using Protocol::Error;
using Protocol::ErrorCode;

namespace {
/// The schema, one numbered step after another (append only; see migrations.h). Version 1 is the schema of
/// the first release, written with IF NOT EXISTS because databases of that release have its tables already.
const char *const kSchemaV1[] = {
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '0')",
    "CREATE TABLE IF NOT EXISTS users (name TEXT NOT NULL, key TEXT PRIMARY KEY, password_hash TEXT NOT NULL,"
    " is_admin INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS logins (id TEXT PRIMARY KEY, user TEXT NOT NULL, refresh_jti TEXT NOT NULL,"
    " revoked INTEGER NOT NULL DEFAULT 0, expires_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL UNIQUE,"
    " private INTEGER NOT NULL, creator TEXT NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS members (room_id INTEGER NOT NULL REFERENCES rooms(id), user_key TEXT NOT NULL,"
    " user TEXT NOT NULL, joined_at INTEGER NOT NULL, PRIMARY KEY (room_id, user_key)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS invites (room_id INTEGER NOT NULL REFERENCES rooms(id), user_key TEXT NOT NULL,"
    " by_user TEXT NOT NULL, PRIMARY KEY (room_id, user_key)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS messages (room_id INTEGER NOT NULL REFERENCES rooms(id), seq INTEGER NOT NULL,"
    " sender TEXT NOT NULL, sender_key TEXT NOT NULL, client_msg_id TEXT NOT NULL, text TEXT NOT NULL,"
    " ts INTEGER NOT NULL, PRIMARY KEY (room_id, seq)) WITHOUT ROWID",
    "CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client_id ON messages (sender_key, client_msg_id)",
};

/// Version 2, accounts (issue 11): deleted accounts stay as tombstones (`deleted_at`) so that their names are
/// never given out again; logins learn their user's key (to list and revoke one user's devices), the device
/// they were made on, and when they were made and last used. User names are ASCII (Names::isValidUserName),
/// so SQLite's lower(), which folds ASCII only, computes Names::canonical() for the logins already stored.
const char *const kSchemaV2[] = {
    "ALTER TABLE users ADD COLUMN deleted_at INTEGER",
    "ALTER TABLE logins ADD COLUMN user_key TEXT NOT NULL DEFAULT ''",
    "UPDATE logins SET user_key = lower(user)",
    "ALTER TABLE logins ADD COLUMN device TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE logins ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE logins ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX logins_by_user ON logins (user_key)",
};

/// Version 3, edits and deletions (issue 12): an edit or a deletion is a row of its own (kind 1 edit, 2 delete:
/// int(Protocol::MessageKind)) that names the seq it changes (`target`); the changed message records its
/// state now (text, edited_at, the seq of its last change, deleted). The index finds a message's edits, whose
/// text a deletion empties too.
const char *const kSchemaV3[] = {
    "ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN target INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN edited_at INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN edit_seq INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX messages_by_target ON messages (room_id, target) WHERE target > 0",
};

/// Version 4, roles and moderation (issue 13): a room's owners and moderators (role 2 owner, 1 moderator:
/// int(RoomRole); members have no row), its bans and mutes (kind 1 ban, 2 mute: int(SanctionKind); `until` 0
/// means until lifted), the audit log, and who deleted a message when a moderator did. The creator of each
/// existing room owns it, when the creator's account still exists; otherwise the room has no owner and a
/// server administrator acts for it.
const char *const kSchemaV4[] = {
    "CREATE TABLE room_roles (room_id INTEGER NOT NULL REFERENCES rooms(id), user_key TEXT NOT NULL,"
    " user TEXT NOT NULL, role INTEGER NOT NULL, PRIMARY KEY (room_id, user_key)) WITHOUT ROWID",
    "INSERT INTO room_roles (room_id, user_key, user, role) SELECT r.id, u.key, u.name, 2 FROM rooms r"
    " JOIN users u ON u.key = lower(r.creator) AND u.deleted_at IS NULL",
    "CREATE TABLE room_sanctions (room_id INTEGER NOT NULL REFERENCES rooms(id), user_key TEXT NOT NULL,"
    " user TEXT NOT NULL, kind INTEGER NOT NULL, until INTEGER NOT NULL DEFAULT 0, by_user TEXT NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '', at INTEGER NOT NULL, PRIMARY KEY (room_id, user_key, kind)) WITHOUT ROWID",
    "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL,"
    " action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', room TEXT NOT NULL DEFAULT '',"
    " reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '')",
    "ALTER TABLE messages ADD COLUMN deleted_by TEXT NOT NULL DEFAULT ''",
};

/// Version 5, disabled accounts (issue 13): an administrator disables an account, which then cannot sign in
/// or refresh; it keeps its name, rooms and messages.
const char *const kSchemaV5[] = {
    "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0",
};

/// Version 6, replies (issue 12): the seq of the message of the same room a message replies to (0: none).
const char *const kSchemaV6[] = {
    "ALTER TABLE messages ADD COLUMN reply_to INTEGER NOT NULL DEFAULT 0",
};

/// Version 7, reactions (issue 12): who gave which reaction to which message, and on each message the seq of its
/// last reaction entry (clients apply a newer one only, as with edit_seq).
const char *const kSchemaV7[] = {
    "CREATE TABLE reactions (room_id INTEGER NOT NULL REFERENCES rooms(id), seq INTEGER NOT NULL,"
    " user_key TEXT NOT NULL, user_name TEXT NOT NULL, reaction TEXT NOT NULL, ts INTEGER NOT NULL,"
    " given_seq INTEGER NOT NULL,"
    " PRIMARY KEY (room_id, seq, user_key, reaction)) WITHOUT ROWID",
    "ALTER TABLE messages ADD COLUMN reaction_seq INTEGER NOT NULL DEFAULT 0",
};

/// Version 8, search (issue 12): an FTS5 index of the messages' text now, kept by triggers. `messages` has no
/// rowid (WITHOUT ROWID), so the index keeps its own copy of the text under rowid room_id * 2^40 + seq (rooms
/// below 2^23, seqs below 2^40: beyond, a message is not indexed rather than mistaken for another). Only
/// messages (kind 0), never edits, deletions or reactions; an edit rewrites the message's text and its entry;
/// a deletion empties the text and drops the entry. unicode61 with remove_diacritics 2 folds case and
/// accents, so "cafe" finds "Café". FTS5 is in Debian's SQLite and in the SQLite that Qt bundles on Windows and
/// macOS (SQLITE_ENABLE_FTS5); a SQLite without it fails this step and the server does not start.
const char *const kSchemaV8[] = {
    "CREATE VIRTUAL TABLE message_search USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO message_search (rowid, text) SELECT room_id * 1099511627776 + seq, text FROM messages"
    " WHERE kind = 0 AND deleted = 0 AND text <> '' AND room_id < 8388608 AND seq < 1099511627776",
    "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages"
    " WHEN new.kind = 0 AND new.deleted = 0 AND new.text <> '' AND new.room_id < 8388608"
    " AND new.seq < 1099511627776 BEGIN"
    " INSERT INTO message_search (rowid, text) VALUES (new.room_id * 1099511627776 + new.seq, new.text); END",
    "CREATE TRIGGER messages_search_update AFTER UPDATE OF text, deleted ON messages WHEN new.kind = 0 BEGIN"
    " DELETE FROM message_search WHERE rowid = old.room_id * 1099511627776 + old.seq;"
    " INSERT INTO message_search (rowid, text) SELECT new.room_id * 1099511627776 + new.seq, new.text"
    " WHERE new.deleted = 0 AND new.text <> '' AND new.room_id < 8388608 AND new.seq < 1099511627776; END",
    "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages WHEN old.kind = 0 BEGIN"
    " DELETE FROM message_search WHERE rowid = old.room_id * 1099511627776 + old.seq; END",
};

/// Version 9, read markers (issue 12): how far each user has read each room, synced between their devices.
const char *const kSchemaV9[] = {
    "CREATE TABLE read_markers (user_key TEXT NOT NULL, room_id INTEGER NOT NULL REFERENCES rooms(id),"
    " seq INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (user_key, room_id)) WITHOUT ROWID",
};

/// Version 10, direct conversations (issue 12): which rooms are the direct conversation of which two users
/// (their keys, in order). The unique pair is what makes a conversation one per pair, however it is opened.
const char *const kSchemaV10[] = {
    "CREATE TABLE direct_rooms (room_id INTEGER PRIMARY KEY REFERENCES rooms(id), user_a TEXT NOT NULL,"
    " user_b TEXT NOT NULL, CHECK (user_a < user_b), UNIQUE (user_a, user_b))",
};

/// Version 11, room settings (issue 13): a display name given by a rename (`title`; the name stays the room's
/// address), a topic, read-only rooms (`archived`), and deleted rooms (`deleted_at`, ms since the epoch; 0:
/// live): the row stays so that the name stays reserved and, when the owner kept it, the history stays.
const char *const kSchemaV11[] = {
    "ALTER TABLE rooms ADD COLUMN title TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE rooms ADD COLUMN topic TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE rooms ADD COLUMN archived INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE rooms ADD COLUMN deleted_at INTEGER NOT NULL DEFAULT 0",
};

/// Version 12, files (issue 12): what was uploaded to which room by whom, and the message that carries it (seq;
/// 0: none yet). The bytes are a file under the data directory (files/<id>), or the `data` column for a database
/// in memory. A message keeps its file's description (FileInfo as JSON; '' for none) beside its text, so every
/// read of messages (history, resume, search, other nodes) carries it as sent.
const char *const kSchemaV12[] = {
    "CREATE TABLE files (id TEXT PRIMARY KEY, room_id INTEGER NOT NULL REFERENCES rooms(id),"
    " uploader TEXT NOT NULL, uploader_key TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,"
    " size INTEGER NOT NULL, width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL, seq INTEGER NOT NULL DEFAULT 0, data BLOB)",
    "CREATE INDEX files_by_message ON files (room_id, seq)",
    "ALTER TABLE messages ADD COLUMN file TEXT NOT NULL DEFAULT ''",
};

/// Version 13, profiles (issue 12): a user's display name, NULL when none (the user name is shown). Any
/// script and spaces; validated by Identity::validateDisplayName() before it is stored.
const char *const kSchemaV13[] = {
    "ALTER TABLE users ADD COLUMN display_name TEXT",
};

/// Version 14, written times (issue 12, defect 11): when a message's sender wrote it (ms since the epoch), for
/// one the server received more than a minute later (an outbox sending after a reconnect); NULL when none.
/// Nullable without a default, so existing rows are not rewritten. `ts` stays the message's time in the room.
const char *const kSchemaV14[] = {
    "ALTER TABLE messages ADD COLUMN written_at INTEGER",
};

/// Version 15, avatar pictures (issue 12): one uploaded picture per account, its bytes in the row (small: the
/// avatar API's max_avatar_bytes) and named by `version` (Identity::avatarVersion() of the bytes).
const char *const kSchemaV15[] = {
    "CREATE TABLE avatars (user_key TEXT PRIMARY KEY, version TEXT NOT NULL, type TEXT NOT NULL,"
    " data BLOB NOT NULL, updated_at INTEGER NOT NULL)",
};

/// Version 16, delivery traces across nodes (issue 13): a traced message's W3C trace context (`traceparent`:
/// its trace and the receiving node's span of the `send`) and that node (`trace_node`), NULL for the rest
/// (nullable without a default: existing rows are not rewritten). Another node reading the message from the
/// log records its part of the trace from them, whether or not it heard the commit's notice
/// (docs/administration.md#on-several-nodes).
const char *const kSchemaV16[] = {
    "ALTER TABLE messages ADD COLUMN traceparent TEXT",
    "ALTER TABLE messages ADD COLUMN trace_node TEXT",
};

/// Version 17, node snapshots (issue 13, cluster-wide connections): one node's answer to one request of another
/// node's admin API (its open connections), too big for a fact. Rows live for the length of a request: the
/// asking node takes them, and drops those older than a minute that nobody took (docs/scaling.md).
const char *const kSchemaV17[] = {
    "CREATE TABLE node_snapshots (request TEXT NOT NULL, node TEXT NOT NULL, taken_at INTEGER NOT NULL,"
    " body BLOB NOT NULL, PRIMARY KEY (request, node))",
    "CREATE INDEX node_snapshots_taken_at ON node_snapshots (taken_at)",
};

/// Version 18, the search index written in batches (issue 14): FTS5 writes a segment of its index at the end of
/// every statement that changed it and merges segments as they pile up (~96 000 instructions per message when
/// each message was indexed by its own trigger, on the writer), so a message is no longer indexed as it is
/// stored: the insert trigger queues it in `search_pending`, in the message's own transaction (a crash loses
/// nothing from the queue), and the writer indexes the queue in one statement every kSearchBatch messages and
/// before every search (indexQueuedMessages()), so that a search still finds every committed message. An edit
/// or a deletion of a message still queued leaves the queue to read its text when it indexes it; of an indexed
/// one, it changes the entry at once, as before.
const char *const kSchemaV18[] = {
    "CREATE TABLE search_pending (room_id INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (room_id, seq))"
    " WITHOUT ROWID",
    "DROP TRIGGER messages_search_insert",
    "DROP TRIGGER messages_search_update",
    "DROP TRIGGER messages_search_delete",
    "CREATE TRIGGER messages_search_insert AFTER INSERT ON messages"
    " WHEN new.kind = 0 AND new.deleted = 0 AND new.text <> '' AND new.room_id < 8388608"
    " AND new.seq < 1099511627776 BEGIN"
    " INSERT OR IGNORE INTO search_pending (room_id, seq) VALUES (new.room_id, new.seq); END",
    "CREATE TRIGGER messages_search_update AFTER UPDATE OF text, deleted ON messages WHEN new.kind = 0"
    " AND NOT EXISTS (SELECT 1 FROM search_pending WHERE room_id = new.room_id AND seq = new.seq) BEGIN"
    " DELETE FROM message_search WHERE rowid = old.room_id * 1099511627776 + old.seq;"
    " INSERT INTO message_search (rowid, text) SELECT new.room_id * 1099511627776 + new.seq, new.text"
    " WHERE new.deleted = 0 AND new.text <> '' AND new.room_id < 8388608 AND new.seq < 1099511627776; END",
    "CREATE TRIGGER messages_search_delete AFTER DELETE ON messages WHEN old.kind = 0 BEGIN"
    " DELETE FROM message_search WHERE rowid = old.room_id * 1099511627776 + old.seq;"
    " DELETE FROM search_pending WHERE room_id = old.room_id AND seq = old.seq; END",
};

const Migration kMigrations[] = {
    {1, "users, logins, rooms, members, invites, messages", kSchemaV1},
    {2, "deleted accounts, devices of logins", kSchemaV2},
    {3, "edits and deletions of messages", kSchemaV3},
    {4, "room roles, bans and mutes, audit log", kSchemaV4},
    {5, "disabled accounts", kSchemaV5},
    {6, "replies", kSchemaV6},
    {7, "reactions", kSchemaV7},
    {8, "message search", kSchemaV8},
    {9, "read markers", kSchemaV9},
    {10, "direct conversations", kSchemaV10},
    {11, "room settings: title, topic, archived, deleted rooms", kSchemaV11},
    {12, "files", kSchemaV12},
    {13, "display names", kSchemaV13},
    {14, "written times of messages", kSchemaV14},
    {15, "avatar pictures", kSchemaV15},
    {16, "trace contexts of messages", kSchemaV16},
    {17, "node snapshots", kSchemaV17},
    {18, "the search index written in batches", kSchemaV18},
};

/// The columns of a ChatMessage, in the order messageFrom() reads them.
#define MESSAGE_COLUMNS TERTULIA_MESSAGE_COLUMNS

using SqlReads::messageFrom;

/// The columns of a LoginRecord, in the order loginFrom() reads them.
#define LOGIN_COLUMNS "id, user, refresh_jti, revoked, expires_at, device, created_at, last_used_at"

/// Text for a NOT NULL column or a comparison: Qt binds a null QString as SQL NULL.
QString notNull(const QString &text) { return text.isNull() ? u""_s : text; }

LoginRecord loginFrom(const QSqlQuery &q)
{
    return LoginRecord{q.value(0).toString(),   q.value(1).toString(),    q.value(2).toString(),
                       q.value(3).toBool(),     q.value(4).toLongLong(),  q.value(5).toString(),
                       q.value(6).toLongLong(), q.value(7).toLongLong()};
}

bool isConstraintViolation(const QSqlError &error)
{
    // SQLITE_CONSTRAINT (19) and its extended codes (UNIQUE 2067, PRIMARYKEY 1555).
    const QString code = error.nativeErrorCode();
    return code == u"19" || code == u"2067" || code == u"1555";
}

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

/// The columns of a RoomRecord, in the order roomFrom() reads them.
#define ROOM_COLUMNS "id, name, private, creator, last_seq, created_at, title, topic, archived"

RoomRecord roomFrom(const QSqlQuery &q)
{
    return RoomRecord{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toBool(),
                      q.value(3).toString(),   q.value(4).toLongLong(), q.value(5).toLongLong(),
                      q.value(6).toString(),   q.value(7).toString(),   q.value(8).toBool()};
}
} // namespace

/// A connection and its prepared statements, made once per connection: the loop's (reads; all of the work in
/// the loop mode) and the writer's.
struct SqliteStore::Private
{
    QSqlDatabase db;
    std::optional<QSqlQuery> insertMessage, insertPlainMessage, findByClientId, setLastSeq;
    QHash<qint64, qint64> lastSeq;   ///< writer: room id -> last committed seq (single writer: this process)
    /// Writer: about how many messages wait in search_pending (counted from the appends; read at open), so
    /// that commitBatch() indexes them once there are kSearchBatch.
    qsizetype searchQueued = 0;

    /// BEGIN IMMEDIATE (logs why not).
    bool begin();
    /// COMMIT (logs why not); the caller rolls back when it fails.
    bool commit();
    /// Indexes the messages queued in search_pending (schema version 18) and empties the queue, in the
    /// transaction under way: one FTS5 segment for all of them.
    bool indexQueuedMessages();
    /// indexQueuedMessages() in a transaction of its own, if anything is queued.
    bool indexSearchQueue();
    /// Runs `work` in a transaction, committed when it returns true and rolled back otherwise.
    bool transaction(const std::function<bool()> &work);

    QSqlQuery prepare(const char *sql)
    {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.prepare(QString::fromLatin1(sql)))
            qCCritical(lcStore) << "cannot prepare" << sql << query.lastError().text();
        return query;
    }

    static void execute(QSqlQuery &query, const char *sql, bool *ok)
    {
        const bool success = query.exec();
        if (!success && !isConstraintViolation(query.lastError()))
            qCWarning(lcStore) << "statement failed:" << sql << query.lastError().text();
        if (ok)
            *ok = success;
    }

    /// Runs a one-off statement (a read) with positional values.
    QSqlQuery run(const char *sql, const QVariantList &values, bool *ok = nullptr)
    {
        QSqlQuery query = prepare(sql);
        for (const QVariant &value : values)
            query.addBindValue(value);
        execute(query, sql, ok);
        return query;
    }

    /// A read that runs on every connect (the account behind a token), on its statement prepared once like
    /// the writes below (preparing it was ~80 000 of a connect's ~630 000 instructions): `read` looks at
    /// the rows, then the statement is finished, so that it never stays open (see `writes`).
    template<typename Read>
    auto readPrepared(const char *sql, const QVariantList &values, Read &&read)
    {
        QSqlQuery &query = runKept(preparedReads, sql, values, nullptr);
        auto result = read(query);
        query.finish();
        return result;
    }
    std::unordered_map<const char *, QSqlQuery> preparedReads;

    /// Every statement kept prepared goes before its connection closes.
    void releaseStatements()
    {
        insertMessage.reset();
        insertPlainMessage.reset();
        findByClientId.reset();
        setLastSeq.reset();
        preparedReads.clear();
        writes.clear();
    }

    /// Writes (INSERT, UPDATE, DELETE) are prepared once, by the address of their SQL text: preparing costs
    /// more than running one (a join's INSERT: ~60 000 instructions of ~100 000). Writes, and the reads of
    /// readPrepared(), which finishes them after each read: Qt's SQLite driver resets a statement that ran to
    /// its end, but a SELECT a caller stops reading early would stay open, and an open statement holds back
    /// the commit of every later write of the connection.
    std::unordered_map<const char *, QSqlQuery> writes;

    /// Runs a write with positional values, on its statement prepared once. The query is valid (lastError,
    /// lastInsertId, numRowsAffected) until the same statement runs again.
    QSqlQuery &write(const char *sql, const QVariantList &values, bool *ok = nullptr)
    {
        return runKept(writes, sql, values, ok);
    }

    /// The statement of `sql` in `kept`, prepared on first use.
    QSqlQuery &keptStatement(std::unordered_map<const char *, QSqlQuery> &kept, const char *sql)
    {
        auto it = kept.find(sql);
        if (it == kept.end())
            it = kept.emplace(sql, prepare(sql)).first;
        return it->second;
    }

    /// Runs `sql` with positional values on its statement in `kept`, prepared on first use.
    QSqlQuery &runKept(std::unordered_map<const char *, QSqlQuery> &kept, const char *sql, const QVariantList &values,
                       bool *ok)
    {
        QSqlQuery &query = keptStatement(kept, sql);
        for (qsizetype i = 0; i < values.size(); ++i)
            query.bindValue(int(i), values.at(i));
        execute(query, sql, ok);
        return query;
    }
};


namespace {
/// Per connection: SQLite keeps these settings per connection, not in the file.
bool configure(QSqlDatabase &db, const QString &synchronous, QString *error)
{
    // secure_delete=FAST zeroes the space a shorter row frees in the pages a write rewrites anyway: the text
    // of a deleted message does not linger in the file's free space (no extra I/O).
    const QStringList pragmas{u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous="_s + synchronous,
                              u"PRAGMA foreign_keys=ON"_s, u"PRAGMA busy_timeout=5000"_s,
                              u"PRAGMA secure_delete=FAST"_s};
    for (const QString &pragma : pragmas) {
        QSqlQuery query(db);
        if (!query.exec(pragma)) {
            *error = query.lastError().text();
            return false;
        }
    }
    return true;
}
} // namespace

SqliteStore::SqliteStore(const Options &options, QObject *parent)
    : QObject(parent),
      m_options(options),
      m_connectionName(u"tertulia-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces)),
      d(std::make_unique<Private>())
{
}

SqliteStore::~SqliteStore() { close(); }

std::span<const Migration> SqliteStore::migrations() { return kMigrations; }

bool SqliteStore::open(QString *errorMessage)
{
    const bool inMemory = m_options.path == u":memory:" || m_options.path.isEmpty();
    QDir().mkpath(QFileInfo(m_options.path).absolutePath());
    m_filesDir = inMemory ? QString() : QFileInfo(m_options.path).absolutePath() + u"/files"_s;
    d->db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    d->db.setDatabaseName(m_options.path);
    if (!d->db.open()) {
        *errorMessage = QStringLiteral("cannot open the database %1: %2").arg(m_options.path, d->db.lastError().text());
        return false;
    }
    const QString synchronous = m_options.fullSync ? u"FULL"_s : u"NORMAL"_s;
    QString configureError;
    if (!configure(d->db, synchronous, &configureError)) {
        *errorMessage = QStringLiteral("cannot configure the database: %1").arg(configureError);
        return false;
    }
    QString migrationError;
    if (!applyMigrations(d->db, kMigrations, {}, &migrationError)) {
        *errorMessage = QStringLiteral("cannot prepare the database %1: %2").arg(m_options.path, migrationError);
        return false;
    }

    // The writer: a connection of its own on a thread of its own, or this connection on the loop (a database
    // in memory exists only in the connection that made it).
    const bool threaded = m_options.writeThread && !inMemory;
    m_writer = std::make_unique<StoreWriter>(u"tertulia-store-writer"_s, threaded);
    if (threaded) {
        m_writeConnection = std::make_unique<Private>();
        w = m_writeConnection.get();
    } else {
        w = d.get();
    }
    const QString writerName = m_connectionName + u"-writer"_s;
    QString writerError;
    const bool started = m_writer->start([&] {
        if (threaded) {
            w->db = QSqlDatabase::addDatabase(u"QSQLITE"_s, writerName);
            w->db.setDatabaseName(m_options.path);
            if (!w->db.open() || !configure(w->db, synchronous, &writerError)) {
                if (writerError.isEmpty())
                    writerError = w->db.lastError().text();
                w->db = QSqlDatabase();
                QSqlDatabase::removeDatabase(writerName);
                return false;
            }
        }
        w->insertMessage = w->prepare("INSERT INTO messages (room_id, seq, sender, sender_key, client_msg_id, text, ts,"
                                      " reply_to, file, written_at, traceparent, trace_node)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        w->insertPlainMessage = w->prepare("INSERT INTO messages (room_id, seq, sender, sender_key, client_msg_id,"
                                           " text, ts) VALUES (?, ?, ?, ?, ?, ?, ?)");
        w->findByClientId = w->prepare("SELECT r.name, " MESSAGE_COLUMNS " FROM messages m"
                                       " JOIN rooms r ON r.id = m.room_id"
                                       " WHERE m.sender_key = ? AND m.client_msg_id = ?");
        w->setLastSeq = w->prepare("UPDATE rooms SET last_seq = ? WHERE id = ?");
        QSqlQuery queued = w->run("SELECT count(*) FROM search_pending", {});
        w->searchQueued = queued.next() ? queued.value(0).toLongLong() : 0;
        return true;
    });
    if (!started) {
        *errorMessage = QStringLiteral("cannot open a writer on %1: %2").arg(m_options.path, writerError);
        m_writer.reset();
        m_writeConnection.reset();
        w = nullptr;
        return false;
    }
    if (threaded) {
        // Every write goes through the writer: this connection only reads (a write here would be a bug).
        QSqlQuery readOnly(d->db);
        readOnly.exec(u"PRAGMA query_only=1"_s);
    }
    m_group = std::make_unique<GroupCommit>(*m_writer, m_options.maxBatch,
                                            [this](const WriteBatch &batch) { return commitBatch(*w, batch); });

    if (m_options.readThread && !inMemory) {
        const QString path = m_options.path;
        m_reader = std::make_unique<StoreReader>(
            u"QSQLITE"_s, m_connectionName + u"-reader"_s, [path](QSqlDatabase &db, QString *error) {
                db.setDatabaseName(path);
                if (!db.open()) {
                    *error = db.lastError().text();
                    return false;
                }
                for (const QString &pragma : {u"PRAGMA busy_timeout=5000"_s, u"PRAGMA query_only=1"_s}) {
                    QSqlQuery query(db);
                    if (!query.exec(pragma)) {
                        *error = query.lastError().text();
                        return false;
                    }
                }
                return true;
            });
        QString readerError;
        if (!m_reader->start(&readerError)) {
            *errorMessage = QStringLiteral("cannot open a reader on %1: %2").arg(m_options.path, readerError);
            m_reader.reset();
            return false;
        }
    }
    qCInfo(lcStore) << "opened" << m_options.path << "synchronous" << synchronous
                    << (m_writer->isThreaded() ? "writes on a writer thread" : "writes on the loop")
                    << (m_reader ? "reads on a reader thread" : "reads on the loop");
    return true;
}

void SqliteStore::close()
{
    if (!d->db.isValid())
        return;
    if (m_group)
        m_group->commitNow();
    if (m_writer) {
        const QString writerName = m_connectionName + u"-writer"_s;
        m_writer->stop([this, writerName] {
            w->releaseStatements();
            if (w != d.get()) {
                w->db.close();
                w->db = QSqlDatabase();
                QSqlDatabase::removeDatabase(writerName);
            }
        });
    }
    m_group.reset();
    m_writer.reset();
    m_writeConnection.reset();
    w = nullptr;
    m_reader.reset(); // closes its connection on its own thread
    d->releaseStatements();
    d->db.close();
    d->db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

template<typename Result>
Result SqliteStore::writeNow(const std::function<Result(Private &)> &work)
{
    Q_ASSERT(m_group);
    if (m_writer->inJob())
        return work(*w); // a job of async(), on the writer: what was asked for before ran before it
    m_group->handOver(); // what was asked for before is written before (one FIFO)
    return m_writer->call<Result>([this, &work] { return work(*w); });
}

SqliteStore::Private &SqliteStore::reading() { return m_writer && m_writer->inJob() ? *w : *d; }

void SqliteStore::runJob(std::function<void()> job, QObject *context, std::function<void()> answer)
{
    Q_ASSERT(m_group && context);
    m_group->handOver(); // queued appends, memberships and notices first: one FIFO
    m_writer->post<bool>(
        [job = std::move(job)] {
            job();
            return true;
        },
        [target = QPointer<QObject>(context), answer = std::move(answer)](bool) {
            if (target)
                answer();
        });
}

bool SqliteStore::Private::begin()
{
    // IMMEDIATE: the write lock first, waiting for it (busy_timeout) if another connection holds it. A
    // deferred BEGIN would read first and then find the lock taken when it upgrades to write, and SQLite
    // answers that at once with SQLITE_BUSY, without waiting (it could be a deadlock). Kept prepared like the
    // writes: every group commit begins one (preparing it anew was ~9 000 instructions).
    QSqlQuery &begin = keptStatement(writes, "BEGIN IMMEDIATE");
    if (begin.exec())
        return true;
    qCWarning(lcStore) << "cannot begin a transaction:" << begin.lastError().text();
    return false;
}

bool SqliteStore::Private::commit()
{
    // Kept prepared, as BEGIN; QSqlDatabase::commit() prepares its COMMIT every time.
    QSqlQuery &commit = keptStatement(writes, "COMMIT");
    if (commit.exec())
        return true;
    qCWarning(lcStore) << "commit failed:" << commit.lastError().text();
    return false;
}

bool SqliteStore::Private::indexQueuedMessages()
{
    bool ok = false;
    write("INSERT INTO message_search (rowid, text) SELECT p.room_id * 1099511627776 + p.seq, m.text"
          " FROM search_pending p JOIN messages m ON m.room_id = p.room_id AND m.seq = p.seq"
          " WHERE m.deleted = 0 AND m.text <> ''",
          {}, &ok);
    if (ok)
        write("DELETE FROM search_pending", {}, &ok);
    if (ok)
        searchQueued = 0;
    return ok;
}

bool SqliteStore::Private::indexSearchQueue()
{
    const bool queued = readPrepared("SELECT EXISTS (SELECT 1 FROM search_pending)", {},
                                     [](QSqlQuery &q) { return q.next() && q.value(0).toBool(); });
    if (!queued)
        return true;
    // write(), begin() and commit() log the failing statement's own error.
    const bool indexed = transaction([this] { return indexQueuedMessages(); });
    if (!indexed)
        qCWarning(lcStore) << "cannot index the messages queued for search";
    return indexed;
}

bool SqliteStore::Private::transaction(const std::function<bool()> &work)
{
    if (!begin())
        return false;
    if (work() && commit())
        return true;
    db.rollback();
    return false;
}

bool SqliteStore::inTransaction(const std::function<bool(Private &)> &work)
{
    return writeNow<bool>([&work](Private &c) { return c.transaction([&] { return work(c); }); });
}

quint64 SqliteStore::commitCount() const { return m_group ? m_group->commits() : 0; }

// ---- users ----

std::optional<UserRecord> SqliteStore::findUser(const QString &name)
{
    return reading().readPrepared("SELECT name, password_hash, is_admin, created_at, disabled FROM users"
                                  " WHERE key = ? AND deleted_at IS NULL",
                                  {Names::canonical(name)}, [](QSqlQuery &q) -> std::optional<UserRecord> {
                                      if (!q.next())
                                          return std::nullopt;
                                      return UserRecord{q.value(0).toString(), q.value(1).toByteArray(),
                                                        q.value(2).toBool(), q.value(3).toLongLong(),
                                                        q.value(4).toBool()};
                                  });
}

StoreResult<UserRecord> SqliteStore::createUser(const UserRecord &user)
{
    return writeNow<StoreResult<UserRecord>>([&](Private &c) -> StoreResult<UserRecord> {
        bool ok = false;
        QSqlQuery &q = c.write("INSERT INTO users (name, key, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?)",
                               {user.name, Names::canonical(user.name), QString::fromLatin1(user.passwordHash),
                                user.isAdmin, user.createdAt},
                               &ok);
        if (ok)
            return user;
        if (isConstraintViolation(q.lastError()))
            return Error{ErrorCode::Conflict, QStringLiteral("the name '%1' is taken").arg(user.name)};
        return Error{ErrorCode::Internal, QStringLiteral("could not store the account")};
    });
}

int SqliteStore::userCount()
{
    QSqlQuery q = reading().run("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL", {});
    return q.next() ? q.value(0).toInt() : 0;
}

bool SqliteStore::setPasswordHash(const QString &user, const QByteArray &passwordHash)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        QSqlQuery &q = c.write("UPDATE users SET password_hash = ? WHERE key = ? AND deleted_at IS NULL",
                               {QString::fromLatin1(passwordHash), Names::canonical(user)}, &ok);
        return ok && q.numRowsAffected() == 1;
    });
}

StoreResult<bool> SqliteStore::setAdmin(const QString &user, bool admin)
{
    const QString key = Names::canonical(user);
    return writeNow<StoreResult<bool>>([&](Private &c) -> StoreResult<bool> {
        // What to answer when the transaction does not commit: a refusal, "already so", or a storage error.
        StoreResult<bool> notCommitted = Error{ErrorCode::Internal, u"could not store the change"_s};
        // BEGIN IMMEDIATE holds the database's write lock from the count to the change, so no other writer
        // (another process on the file) demotes an administrator in between.
        const bool committed = c.transaction([&] {
            bool ok = false;
            {
                QSqlQuery q = c.run("SELECT is_admin FROM users WHERE key = ? AND deleted_at IS NULL", {key}, &ok);
                if (!ok)
                    return false;
                if (!q.next()) {
                    notCommitted = Error{ErrorCode::NotFound, QStringLiteral("no such user: %1").arg(user)};
                    return false;
                }
                if (q.value(0).toBool() == admin) {
                    notCommitted = false;
                    return false;
                }
            }
            if (!admin) {
                QSqlQuery q = c.run("SELECT COUNT(*) FROM users WHERE is_admin = 1 AND deleted_at IS NULL", {}, &ok);
                if (!ok || !q.next())
                    return false;
                if (q.value(0).toLongLong() <= 1) {
                    notCommitted = Error{ErrorCode::Conflict,
                                         QStringLiteral("%1 is the last administrator: make another account an "
                                                        "administrator first").arg(user)};
                    return false;
                }
            }
            QSqlQuery &update = c.write("UPDATE users SET is_admin = ? WHERE key = ? AND deleted_at IS NULL",
                                        {admin, key}, &ok);
            return ok && update.numRowsAffected() == 1;
        });
        if (committed)
            return true;
        return notCommitted;
    });
}

StoreResult<bool> SqliteStore::setDisabled(const QString &user, bool disabled)
{
    const QString key = Names::canonical(user);
    return writeNow<StoreResult<bool>>([&](Private &c) -> StoreResult<bool> {
        bool ok = false;
        {
            QSqlQuery q = c.run("SELECT disabled FROM users WHERE key = ? AND deleted_at IS NULL", {key}, &ok);
            if (!ok)
                return Error{ErrorCode::Internal, u"could not store the change"_s};
            if (!q.next())
                return Error{ErrorCode::NotFound, QStringLiteral("no such user: %1").arg(user)};
            if (q.value(0).toBool() == disabled)
                return false;
        }
        QSqlQuery &update = c.write("UPDATE users SET disabled = ? WHERE key = ? AND deleted_at IS NULL", {disabled, key}, &ok);
        if (!ok || update.numRowsAffected() != 1)
            return Error{ErrorCode::Internal, u"could not store the change"_s};
        return true;
    });
}

bool SqliteStore::deleteUser(const QString &user, qint64 deletedAt)
{
    const QString key = Names::canonical(user);
    return inTransaction([&](Private &c) {
        bool ok = false;
        QSqlQuery &tombstone = c.write(SqlAccounts::kDeleteUserTombstone, {deletedAt, key}, &ok);
        if (!ok || tombstone.numRowsAffected() != 1)
            return false;
        for (const char *forget : SqlAccounts::kForgetDeletedUser) {
            c.write(forget, {key}, &ok);
            if (!ok)
                return false;
        }
        return true;
    });
}

// ---- logins ----

bool SqliteStore::createLogin(const LoginRecord &login)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        c.write("INSERT INTO logins (id, user, user_key, refresh_jti, revoked, expires_at, device, created_at,"
                " last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {login.id, login.user, Names::canonical(login.user), login.refreshTokenId, login.revoked,
                 login.expiresAt, notNull(login.device), login.createdAt, login.lastUsedAt},
                &ok);
        return ok;
    });
}

std::optional<LoginRecord> SqliteStore::findLogin(const QString &id)
{
    QSqlQuery q = reading().run("SELECT " LOGIN_COLUMNS " FROM logins WHERE id = ?", {id});
    if (!q.next())
        return std::nullopt;
    return loginFrom(q);
}

bool SqliteStore::rotateLogin(const QString &id, const QString &expectedTokenId, const QString &newTokenId,
                              qint64 newExpiresAt)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        QSqlQuery &q = c.write("UPDATE logins SET refresh_jti = ?, expires_at = ? WHERE id = ? AND refresh_jti = ?"
                               " AND revoked = 0",
                               {newTokenId, newExpiresAt, id, expectedTokenId}, &ok);
        return ok && q.numRowsAffected() == 1;
    });
}

bool SqliteStore::revokeLogin(const QString &id)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        c.write("UPDATE logins SET revoked = 1 WHERE id = ?", {id}, &ok);
        return ok;
    });
}

QList<LoginRecord> SqliteStore::liveLogins(qint64 now)
{
    // Users are matched by Names::canonical(), which SQL cannot compute: the users' keys are read first.
    QSet<QString> users;
    QSqlQuery keys = reading().run("SELECT key FROM users WHERE deleted_at IS NULL", {});
    while (keys.next())
        users.insert(keys.value(0).toString());
    QList<LoginRecord> logins;
    QSqlQuery q = reading().run("SELECT " LOGIN_COLUMNS " FROM logins WHERE revoked = 0 AND expires_at > ?", {now});
    while (q.next()) {
        if (users.contains(Names::canonical(q.value(1).toString())))
            logins.append(loginFrom(q));
    }
    return logins;
}

QList<LoginRecord> SqliteStore::loginsOf(const QString &user, qint64 now)
{
    QList<LoginRecord> logins;
    QSqlQuery q = reading().run("SELECT " LOGIN_COLUMNS " FROM logins WHERE user_key = ? AND revoked = 0 AND expires_at > ?"
                         " ORDER BY created_at, id",
                         {Names::canonical(user), now});
    while (q.next())
        logins.append(loginFrom(q));
    return logins;
}


bool SqliteStore::touchLogin(const QString &id, qint64 lastUsedAt)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        c.write("UPDATE logins SET last_used_at = max(last_used_at, ?) WHERE id = ?", {lastUsedAt, id}, &ok);
        return ok;
    });
}

StoreResult<QList<QString>> SqliteStore::revokeLoginsOf(const QString &user, const QString &exceptId)
{
    const QString key = Names::canonical(user);
    QList<QString> ids;
    const bool done = inTransaction([&](Private &c) {
        ids.clear();
        bool ok = false;
        QSqlQuery q = c.run("SELECT id FROM logins WHERE user_key = ? AND revoked = 0 AND id <> ?", {key, notNull(exceptId)},
                            &ok);
        while (q.next())
            ids.append(q.value(0).toString());
        q.finish(); // an open SELECT would hold the commit back
        if (ok)
            c.write("UPDATE logins SET revoked = 1 WHERE user_key = ? AND revoked = 0 AND id <> ?", {key, notNull(exceptId)},
                    &ok);
        return ok;
    });
    if (!done)
        return Error{ErrorCode::Internal, QStringLiteral("could not revoke the logins")};
    return ids;
}

// ---- rooms ----

QList<RoomRecord> SqliteStore::rooms()
{
    QList<RoomRecord> result;
    QSqlQuery q = reading().run("SELECT " ROOM_COLUMNS " FROM rooms WHERE deleted_at = 0 ORDER BY id", {});
    while (q.next())
        result.append(roomFrom(q));
    return result;
}

std::optional<RoomRecord> SqliteStore::findRoom(const QString &name)
{
    QSqlQuery q = reading().run("SELECT " ROOM_COLUMNS " FROM rooms WHERE key = ? AND deleted_at = 0",
                         {Names::canonical(name)});
    if (!q.next())
        return std::nullopt;
    return roomFrom(q);
}

StoreResult<RoomRecord> SqliteStore::createRoom(const RoomRecord &room)
{
    return writeNow<StoreResult<RoomRecord>>([&](Private &c) -> StoreResult<RoomRecord> {
        const Error internal{ErrorCode::Internal, QStringLiteral("could not store the room")};
        StoreResult<RoomRecord> answer = internal;
        // The room and its owner (the creator) in one transaction: a room never exists without its owner.
        const bool committed = c.transaction([&] {
            bool ok = false;
            QSqlQuery &q = c.write("INSERT INTO rooms (name, key, private, creator, last_seq, created_at) VALUES (?, ?, ?, ?, 0, ?)",
                                   {room.name, Names::canonical(room.name), room.isPrivate, room.creator, room.createdAt}, &ok);
            if (!ok) {
                if (isConstraintViolation(q.lastError()))
                    answer = Error{ErrorCode::Conflict, QStringLiteral("a room named '%1' exists").arg(room.name)};
                return false;
            }
            RoomRecord created = room;
            created.id = q.lastInsertId().toLongLong();
            created.lastSeq = 0;
            c.write("INSERT INTO room_roles (room_id, user_key, user, role) VALUES (?, ?, ?, ?)",
                    {created.id, Names::canonical(room.creator), room.creator, int(RoomRole::Owner)}, &ok);
            if (ok)
                answer = created;
            return ok;
        });
        // A commit that failed (a full disk) made nothing, whatever the statements said.
        if (!committed && std::holds_alternative<RoomRecord>(answer))
            return internal;
        return answer;
    });
}

QList<QString> SqliteStore::members(qint64 roomId)
{
    QList<QString> users;
    QSqlQuery q = reading().run("SELECT user FROM members WHERE room_id = ? ORDER BY joined_at, user_key", {roomId});
    while (q.next())
        users.append(q.value(0).toString());
    return users;
}

bool SqliteStore::addMember(qint64 roomId, const QString &user)
{
    // Group commit: written with the next batch (whenCommitted() tells when it is committed).
    Q_ASSERT(m_group);
    m_group->addMember(roomId, user, nowMs());
    return true;
}

bool SqliteStore::removeMember(qint64 roomId, const QString &user)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        c.write("DELETE FROM members WHERE room_id = ? AND user_key = ?", {roomId, Names::canonical(user)}, &ok);
        return ok;
    });
}

bool SqliteStore::addInvite(qint64 roomId, const QString &user, const QString &by)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        c.write("INSERT OR IGNORE INTO invites (room_id, user_key, by_user) VALUES (?, ?, ?)",
                {roomId, Names::canonical(user), by}, &ok);
        return ok;
    });
}

bool SqliteStore::hasInvite(qint64 roomId, const QString &user)
{
    QSqlQuery q = reading().run("SELECT 1 FROM invites WHERE room_id = ? AND user_key = ?", {roomId, Names::canonical(user)});
    return q.next();
}

bool SqliteStore::removeInvite(qint64 roomId, const QString &user)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        c.write("DELETE FROM invites WHERE room_id = ? AND user_key = ?", {roomId, Names::canonical(user)}, &ok);
        return ok;
    });
}

QList<qint64> SqliteStore::invitedRooms(const QString &user)
{
    QList<qint64> ids;
    QSqlQuery q = reading().run("SELECT room_id FROM invites WHERE user_key = ?", {Names::canonical(user)});
    while (q.next())
        ids.append(q.value(0).toLongLong());
    return ids;
}

StoreResult<DirectRoom> SqliteStore::openDirect(const QString &user, const QString &other, qint64 now)
{
    const StoreResult<QStringList> checked = SqlReads::directPair(user, other);
    if (const auto *error = std::get_if<Error>(&checked))
        return *error;
    const QStringList pair = std::get<QStringList>(checked);
    const QString address = Names::directAddress(user, other);
    return writeNow<StoreResult<DirectRoom>>([&](Private &c) -> StoreResult<DirectRoom> {
        const Error internal{ErrorCode::Internal, QStringLiteral("could not open the conversation")};
        StoreResult<DirectRoom> answer = internal;
        // One writer: the look-up and the insert cannot interleave with another opening (the unique pair
        // would refuse it all the same).
        const bool committed = c.transaction([&] {
            bool ok = false;
            QSqlQuery found = c.run(TERTULIA_DIRECT_ROOM_SELECT,
                                    {pair[0], pair[1]}, &ok);
            if (!ok)
                return false;
            if (found.next()) {
                answer = DirectRoom{roomFrom(found), false};
                return true;
            }
            found.finish();
            QSqlQuery &q = c.write("INSERT INTO rooms (name, key, private, creator, last_seq, created_at) VALUES (?, ?, 1, ?, 0, ?)",
                                   {address, address, user, now}, &ok);
            if (!ok)
                return false;
            const RoomRecord room{q.lastInsertId().toLongLong(), address, true, user, 0, now};
            c.write("INSERT INTO direct_rooms (room_id, user_a, user_b) VALUES (?, ?, ?)", {room.id, pair[0], pair[1]}, &ok);
            for (const QString &member : {user, other}) {
                if (ok)
                    c.write("INSERT INTO members (room_id, user_key, user, joined_at) VALUES (?, ?, ?, ?)",
                            {room.id, Names::canonical(member), member, now}, &ok);
            }
            if (ok)
                answer = DirectRoom{room, true};
            return ok;
        });
        if (!committed)
            return internal;
        return answer;
    });
}

std::optional<RoomRecord> SqliteStore::updateRoom(qint64 roomId, const RoomChange &change)
{
    if (!writeNow<bool>([&](Private &c) { return SqlRooms::update(c.db, roomId, change); }))
        return std::nullopt;
    QSqlQuery q = reading().run("SELECT " ROOM_COLUMNS " FROM rooms WHERE id = ? AND deleted_at = 0", {roomId});
    if (!q.next())
        return std::nullopt;
    return roomFrom(q);
}

bool SqliteStore::deleteRoom(qint64 roomId, qint64 deletedAt, bool keepHistory)
{
    QStringList removedFiles; // without its history, a room's files go too (their bytes once this commits)
    const bool deleted = inTransaction([&](Private &c) {
        if (!keepHistory) {
            const auto forgotten = SqlFiles::forget(c.db, roomId, std::nullopt);
            if (!forgotten)
                return false;
            removedFiles = *forgotten;
        }
        return SqlRooms::remove(c.db, roomId, deletedAt, keepHistory);
    });
    if (deleted)
        removeFileBytes(removedFiles);
    return deleted;
}

// ---- files (issue 12) ----

QString SqliteStore::filePath(const QString &id) const
{
    // Ids are the server's own (libsodium random, URL-safe base64: no '/' or '.'), never a client's name.
    return m_filesDir + u'/' + id;
}

void SqliteStore::removeFileBytes(const QStringList &ids) const
{
    if (m_filesDir.isEmpty())
        return; // in memory: the bytes were in the rows
    for (const QString &id : ids) {
        if (!QFile::remove(filePath(id)) && QFile::exists(filePath(id)))
            qCWarning(lcStore) << "cannot remove the file" << filePath(id);
    }
}

StoreResult<FileRecord> SqliteStore::storeFile(const FileRecord &file, const QByteArray &bytes)
{
    const Error failure{ErrorCode::Internal, u"the file could not be stored; retry"_s};
    if (!m_filesDir.isEmpty()) {
        // Written to a temporary file, flushed to the disk and renamed into place (QSaveFile) before its row
        // commits: a row never names bytes that a crash could lose; bytes without a row (a crash between the
        // two) are only wasted space.
        if (!QDir().mkpath(m_filesDir)) {
            qCWarning(lcStore) << "cannot make the files directory" << m_filesDir;
            return failure;
        }
        QSaveFile out(filePath(file.info.id));
        if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
            qCWarning(lcStore) << "cannot write the file" << filePath(file.info.id) << out.errorString();
            return failure;
        }
    }
    const QVariant data = m_filesDir.isEmpty() ? QVariant(bytes) : QVariant(QMetaType::fromType<QByteArray>());
    const bool stored = writeNow<bool>([&](Private &c) { return SqlFiles::insert(c.db, file, data); });
    if (!stored) {
        removeFileBytes({file.info.id});
        return failure;
    }
    return file;
}

std::optional<FileRecord> SqliteStore::findFile(const QString &id)
{
    bool ok = false;
    return SqlFiles::find(reading().db, id, &ok);
}

std::optional<QByteArray> SqliteStore::fileBytes(const QString &id)
{
    if (m_filesDir.isEmpty())
        return SqlFiles::data(reading().db, id);
    QFile in(filePath(id));
    if (!in.open(QIODevice::ReadOnly))
        return std::nullopt;
    return in.readAll();
}

// ---- roles, sanctions, audit ----

QList<RoomRoleRecord> SqliteStore::roomRoles(qint64 roomId)
{
    QList<RoomRoleRecord> roles;
    QSqlQuery q = reading().run("SELECT user, role FROM room_roles WHERE room_id = ? ORDER BY user_key", {roomId});
    while (q.next())
        roles.append(RoomRoleRecord{q.value(0).toString(), RoomRole(q.value(1).toInt())});
    return roles;
}

bool SqliteStore::setRoomRole(qint64 roomId, const QString &user, RoomRole role)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        if (role == RoomRole::Member)
            c.write("DELETE FROM room_roles WHERE room_id = ? AND user_key = ?", {roomId, Names::canonical(user)}, &ok);
        else
            c.write("INSERT INTO room_roles (room_id, user_key, user, role) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (room_id, user_key) DO UPDATE SET role = excluded.role",
                    {roomId, Names::canonical(user), user, int(role)}, &ok);
        return ok;
    });
}

bool SqliteStore::transferOwnership(qint64 roomId, const QString &from, const QString &to)
{
    Q_UNUSED(from); // every other owner steps down, whoever they are
    return inTransaction([&](Private &c) {
        bool ok = false;
        c.write("UPDATE room_roles SET role = ? WHERE room_id = ? AND role = ?",
                {int(RoomRole::Moderator), roomId, int(RoomRole::Owner)}, &ok);
        if (ok)
            c.write("INSERT INTO room_roles (room_id, user_key, user, role) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (room_id, user_key) DO UPDATE SET role = excluded.role",
                    {roomId, Names::canonical(to), to, int(RoomRole::Owner)}, &ok);
        return ok;
    });
}

QList<SanctionRecord> SqliteStore::sanctions(qint64 roomId)
{
    QList<SanctionRecord> found;
    QSqlQuery q = reading().run("SELECT user, kind, until, by_user, reason, at FROM room_sanctions WHERE room_id = ?"
                         " ORDER BY user_key, kind",
                         {roomId});
    while (q.next())
        found.append(SanctionRecord{roomId, q.value(0).toString(), SanctionKind(q.value(1).toInt()),
                                    q.value(2).toLongLong(), q.value(3).toString(), q.value(4).toString(),
                                    q.value(5).toLongLong()});
    return found;
}

bool SqliteStore::setSanction(const SanctionRecord &r)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        c.write("INSERT INTO room_sanctions (room_id, user_key, user, kind, until, by_user, reason, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, user_key, kind) DO UPDATE SET"
                " until = excluded.until, by_user = excluded.by_user, reason = excluded.reason, at = excluded.at",
                {r.roomId, Names::canonical(r.user), r.user, int(r.kind), r.until, notNull(r.by), notNull(r.reason), r.at},
                &ok);
        return ok;
    });
}

bool SqliteStore::removeSanction(qint64 roomId, const QString &user, SanctionKind kind)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        c.write("DELETE FROM room_sanctions WHERE room_id = ? AND user_key = ? AND kind = ?",
                {roomId, Names::canonical(user), int(kind)}, &ok);
        return ok;
    });
}

bool SqliteStore::appendAudit(const AuditRecord &r)
{
    return writeNow<bool>([&](Private &c) {
        bool ok = false;
        c.write("INSERT INTO audit_log (at, actor, action, target, room, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                {r.at, notNull(r.actor), notNull(r.action), notNull(r.target), notNull(r.room), notNull(r.reason),
                 notNull(r.detail)},
                &ok);
        return ok;
    });
}

QList<UserRecord> SqliteStore::users(const QString &afterKey, int limit)
{
    return SqlReads::users(reading().db, afterKey, limit);
}

QList<AuditRecord> SqliteStore::auditLog(qint64 beforeId, int limit)
{
    QList<AuditRecord> lines;
    QSqlQuery q = reading().run("SELECT id, at, actor, action, target, room, reason, detail FROM audit_log WHERE id < ?"
                         " ORDER BY id DESC LIMIT ?",
                         {beforeId > 0 ? beforeId : std::numeric_limits<qint64>::max(), limit});
    while (q.next())
        lines.append(AuditRecord{q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(),
                                 q.value(3).toString(), q.value(4).toString(), q.value(5).toString(),
                                 q.value(6).toString(), q.value(7).toString()});
    return lines;
}

bool SqliteStore::putNodeSnapshot(const NodeSnapshot &snapshot)
{
    return writeNow<bool>([&](Private &c) {
        return SqlNodeSnapshots::put(c.db, snapshot);
    });
}

QList<NodeSnapshot> SqliteStore::takeNodeSnapshots(const QString &request, qint64 staleBefore)
{
    return writeNow<QList<NodeSnapshot>>([&](Private &c) {
        return SqlNodeSnapshots::take(c.db, request, staleBefore);
    });
}

// ---- messages ----

void SqliteStore::append(const AppendRequest &request, AppendCallback done)
{
    Q_ASSERT(m_group);
    m_group->append(request, std::move(done));
}

void SqliteStore::flush()
{
    if (m_group)
        m_group->commitNow();
}

void SqliteStore::whenCommitted(std::function<void(bool committed)> done)
{
    if (!m_group)
        return done(true);
    m_group->whenCommitted(std::move(done));
}

BatchAnswer SqliteStore::commitBatch(Private &c, const WriteBatch &batch)
{
    BatchAnswer answer;
    QList<StoreResult<AppendResult>> results;
    results.reserve(batch.appends.size());
    QHash<qint64, qint64> next;     // room id -> last seq within this transaction
    bool failed = !c.begin();
    for (const WriteBatch::Write &write : batch.writes) {
        if (failed)
            break;
        // Memberships (a notice has no listener here: a store one process owns keeps Store::notify()'s default).
        if (const auto *member = std::get_if<WriteBatch::Membership>(&write)) {
            bool ok = false;
            c.write("INSERT OR IGNORE INTO members (room_id, user_key, user, joined_at) VALUES (?, ?, ?, ?)",
                    {member->roomId, Names::canonical(member->user), member->user, member->joinedAt}, &ok);
            failed = !ok;
        }
    }
    const qint64 ts = nowMs();

    for (const AppendRequest &r : batch.appends) {
        if (failed)
            break;
        auto seqIt = next.find(r.room.id);
        if (seqIt == next.end()) {
            auto cached = c.lastSeq.constFind(r.room.id);
            qint64 last = 0;
            if (cached != c.lastSeq.cend()) {
                last = *cached;
            } else {
                QSqlQuery q = c.run("SELECT last_seq FROM rooms WHERE id = ?", {r.room.id});
                last = q.next() ? q.value(0).toLongLong() : 0;
            }
            seqIt = next.insert(r.room.id, last);
        }
        const QString senderKey = Names::canonical(r.sender);
        if (r.replyTo > 0) {
            bool ok = false;
            if (auto refusal = SqlReads::replyRefusal(c.db, r.room, r.replyTo, &ok)) {
                // A retry of a reply stored before its original was deleted is still that reply.
                QSqlQuery &find = *c.findByClientId;
                find.addBindValue(senderKey);
                find.addBindValue(r.clientMsgId);
                if (!find.exec()) {
                    failed = true;
                    break;
                }
                if (find.next())
                    results.append(AppendResult{messageFrom(find, find.value(0).toString(), 1), true, 0});
                else
                    results.append(*refusal);
                find.finish();
                continue;
            }
            if (!ok) {
                failed = true;
                break;
            }
        }
        const qint64 seq = *seqIt + 1;
        std::optional<Protocol::FileInfo> file;
        if (!r.fileId.isEmpty()) {
            // A retry of a message with a file is that message (its file is taken: it carries it).
            QSqlQuery &find = *c.findByClientId;
            find.addBindValue(senderKey);
            find.addBindValue(r.clientMsgId);
            if (!find.exec()) {
                failed = true;
                break;
            }
            if (find.next()) {
                results.append(AppendResult{messageFrom(find, find.value(0).toString(), 1), true, 0});
                find.finish();
                continue;
            }
            find.finish();
            bool ok = false;
            auto attached = SqlFiles::attach(c.db, r, seq, &ok);
            if (!ok) {
                failed = true;
                break;
            }
            if (auto *refusal = std::get_if<Error>(&attached)) {
                results.append(*refusal);
                continue;
            }
            file = std::get<Protocol::FileInfo>(std::move(attached));
        }
        // A plain message (no reply, file, late writing time or trace: most of them) binds 7 values rather
        // than 12, the rest taking the columns' defaults (0, '', NULL): Qt 6.4 names every positional value
        // with QString::arg() as it binds it, ~2 000 instructions each.
        const bool plain = r.replyTo == 0 && !file && r.writtenAt <= 0 && !r.trace.isValid();
        QSqlQuery &insert = plain ? *c.insertPlainMessage : *c.insertMessage;
        insert.addBindValue(r.room.id);
        insert.addBindValue(seq);
        insert.addBindValue(r.sender);
        insert.addBindValue(senderKey);
        insert.addBindValue(r.clientMsgId);
        insert.addBindValue(r.text);
        insert.addBindValue(ts);
        if (!plain) {
            insert.addBindValue(r.replyTo);
            insert.addBindValue(SqlFiles::columnOf(file));
            insert.addBindValue(SqlReads::writtenAtColumn(r.writtenAt));
            insert.addBindValue(SqlReads::traceparentColumn(r));
            insert.addBindValue(SqlReads::traceNodeColumn(r));
        }
        if (insert.exec()) {
            *seqIt = seq;
            ChatMessage stored{r.room.name, seq, r.sender, r.text, r.clientMsgId, ts};
            stored.replyTo = r.replyTo;
            stored.file = file;
            stored.writtenAt = r.writtenAt;
            results.append(AppendResult{stored, false, 0});
            continue;
        }
        if (!isConstraintViolation(insert.lastError())) {
            qCWarning(lcStore) << "append failed:" << insert.lastError().text();
            failed = true;
            break;
        }
        // A retry of a message stored earlier (maybe earlier in this very transaction): answer with it.
        QSqlQuery &find = *c.findByClientId;
        find.addBindValue(senderKey);
        find.addBindValue(r.clientMsgId);
        if (!find.exec() || !find.next()) {
            failed = true;
            break;
        }
        results.append(AppendResult{messageFrom(find, find.value(0).toString(), 1), true, 0});
        find.finish();
    }
    if (!failed) {
        // The search index, in the same transaction once enough messages wait (see kSchemaV18).
        c.searchQueued += batch.appends.size();
        if (c.searchQueued >= kSearchBatch)
            failed = !c.indexQueuedMessages();
    }
    if (!failed) {
        for (auto it = next.cbegin(); it != next.cend(); ++it) {
            QSqlQuery &update = *c.setLastSeq;
            update.addBindValue(it.value());
            update.addBindValue(it.key());
            if (!update.exec()) {
                failed = true;
                break;
            }
        }
    }
    if (!failed && !c.commit())
        failed = true;
    if (failed) {
        c.db.rollback();
        for (auto it = next.cbegin(); it != next.cend(); ++it)
            c.lastSeq.remove(it.key()); // reload from disk next time
        return answer; // not committed: every callback hears of the failure
    }
    for (auto it = next.cbegin(); it != next.cend(); ++it)
        c.lastSeq.insert(it.key(), it.value());
    answer.committed = true;
    answer.results = std::move(results);
    return answer;
}

StoreResult<SearchSlice> SqliteStore::search(const SearchRequest &request)
{
    // Every committed message is found: the queue is indexed first, on the writer (one FIFO with the writes).
    writeNow<bool>([this](Private &c) { return c.indexSearchQueue(); });
    return SqlReads::search(reading().db, request, SqlReads::SearchDialect::Sqlite);
}

void SqliteStore::readSearch(const SearchRequest &request, QObject *context, SearchCallback done)
{
    if (!m_reader)
        return Store::readSearch(request, context, std::move(done));
    // The queue indexed on the writer first (after the writes asked for before), then the read on the reader.
    // Were the indexing to fail, the search still runs, and finds what was indexed.
    m_group->after<bool>([this] { return w->indexSearchQueue(); },
                         [this, request, context = QPointer<QObject>(context), done = std::move(done)](bool) mutable {
                             if (!context || !m_reader)
                                 return;
                             m_reader->run<StoreResult<SearchSlice>>(
                                 [request](QSqlDatabase &db) {
                                     return SqlReads::search(db, request, SqlReads::SearchDialect::Sqlite);
                                 },
                                 context, std::move(done));
                         });
}

void SqliteStore::readHistory(const RoomRecord &room, std::optional<qint64> before, std::optional<qint64> after,
                              int limit, QObject *context, HistoryCallback done)
{
    if (!m_reader)
        return Store::readHistory(room, before, after, limit, context, std::move(done));
    m_reader->run<StoreResult<HistorySlice>>(
        [room, before, after, limit](QSqlDatabase &db) { return SqlReads::history(db, room, before, after, limit); },
        context, std::move(done));
}


void SqliteStore::setReadMarker(qint64 roomId, const QString &user, qint64 seq, ReadMarkerCallback done)
{
    Q_ASSERT(m_group);
    // On the writer, after what was queued before: the loop never waits for the disk or a lock.
    m_group->after<StoreResult<qint64>>(
        [this, roomId, user, seq] {
            return SqlReadMarkers::raise(w->db, SqlReadMarkers::Dialect::Sqlite, roomId, user, seq, nowMs());
        },
        std::move(done));
}

StoreResult<QHash<qint64, qint64>> SqliteStore::readMarkers(const QString &user)
{
    return SqlReadMarkers::of(d->db, user);
}

void SqliteStore::readReadMarkers(const QString &user, QObject *context, ReadMarkersCallback done)
{
    if (!m_reader)
        return Store::readReadMarkers(user, context, std::move(done));
    m_reader->run<StoreResult<QHash<qint64, qint64>>>(
        [user](QSqlDatabase &db) { return SqlReadMarkers::of(db, user); },
        context, std::move(done));
}

void SqliteStore::amend(const AmendRequest &r, AppendCallback done)
{
    Q_ASSERT(m_group);
    // On the writer, after what was queued before (those messages take their seqs first), in a transaction of
    // its own; `done` runs on the loop, in order with the appends' callbacks.
    m_group->after<StoreResult<AppendResult>>([this, r] { return amendOn(*w, r); }, std::move(done));
}

StoreResult<AppendResult> SqliteStore::amendOn(Private &c, const AmendRequest &r)
{
    using Protocol::MessageKind;
    const QString senderKey = Names::canonical(r.sender);
    const bool reaction = r.kind == MessageKind::React || r.kind == MessageKind::Unreact;
    const QString text = r.kind == MessageKind::Edit || reaction ? r.text : u""_s;
    const qint64 ts = nowMs();
    std::optional<StoreResult<AppendResult>> refused; // a retry or a refusal: nothing to commit
    qint64 seq = 0;
    QString deletedBy; // a moderator's deletion of someone else's message records who did it
    QStringList removedFiles; // a deletion's file, whose bytes go once it committed
    const bool committed = c.transaction([&] {
        bool ok = false;
        { // each SELECT is finished before the writes (an open statement holds back the commit)
            QSqlQuery known = c.run("SELECT r.name, " MESSAGE_COLUMNS " FROM messages m JOIN rooms r ON r.id = m.room_id"
                                     " WHERE m.sender_key = ? AND m.client_msg_id = ?",
                                     {senderKey, r.clientMsgId}, &ok);
            if (!ok)
                return false;
            if (known.next()) {
                refused = AppendResult{messageFrom(known, known.value(0).toString(), 1), true, 0};
                return false;
            }
        }
        if (reaction) {
            if (auto refusal = SqlReactions::refusal(c.db, r, &ok)) {
                refused = *refusal;
                return false;
            }
            if (!ok)
                return false;
        } else {
            QSqlQuery target = c.run("SELECT sender_key, kind, deleted FROM messages WHERE room_id = ? AND seq = ?",
                                      {r.room.id, r.target}, &ok);
            if (!ok)
                return false;
            if (!target.next()) {
                refused = Error{ErrorCode::NotFound, QStringLiteral("%1 has no message %2").arg(r.room.name).arg(r.target)};
                return false;
            }
            if (target.value(1).toInt() != int(MessageKind::Text)) {
                refused = Error{ErrorCode::BadRequest, QStringLiteral("%1 is an edit or a deletion, not a message").arg(r.target)};
                return false;
            }
            // A moderator of the room may delete (never edit) anyone's message; the handler checked the role.
            const bool moderated = r.asModerator && r.kind == MessageKind::Delete;
            if (target.value(0).toString() != senderKey && !moderated) {
                refused = Error{ErrorCode::Forbidden, u"only its sender may edit or delete a message"_s};
                return false;
            }
            if (target.value(0).toString() != senderKey && r.protectedSenders.contains(target.value(0).toString())) {
                refused = Error{ErrorCode::Forbidden, u"a moderator cannot delete the messages of the owner or of another moderator"_s};
                return false;
            }
            if (target.value(0).toString() != senderKey)
                deletedBy = r.sender;
            if (target.value(2).toBool()) {
                refused = Error{ErrorCode::NotFound, QStringLiteral("message %1 was deleted").arg(r.target)};
                return false;
            }
        }
        {
            QSqlQuery last = c.run("SELECT last_seq FROM rooms WHERE id = ?", {r.room.id}, &ok);
            if (!ok || !last.next())
                return false;
            seq = last.value(0).toLongLong() + 1;
        }
        c.write("INSERT INTO messages (room_id, seq, sender, sender_key, client_msg_id, text, ts, kind, target)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {r.room.id, seq, r.sender, senderKey, r.clientMsgId, text, ts, int(r.kind), r.target}, &ok);
        if (ok && reaction) {
            ok = SqlReactions::write(c.db, r, seq, ts);
        } else if (ok && r.kind == MessageKind::Edit) {
            c.write("UPDATE messages SET text = ?, edited_at = ?, edit_seq = ? WHERE room_id = ? AND seq = ?",
                     {text, ts, seq, r.room.id, r.target}, &ok);
        } else if (ok) {
            c.write("UPDATE messages SET text = '', file = '', deleted = 1, edit_seq = ?, deleted_by = ?"
                     " WHERE room_id = ? AND seq = ?",
                     {seq, notNull(deletedBy), r.room.id, r.target}, &ok);
            if (ok) { // its file goes with it (the bytes once this commits)
                const auto forgotten = SqlFiles::forget(c.db, r.room.id, r.target);
                ok = forgotten.has_value();
                if (ok)
                    removedFiles = *forgotten;
            }
            if (ok) // the earlier edits held its text too
                c.write("UPDATE messages SET text = '' WHERE room_id = ? AND target = ? AND kind = 1",
                         {r.room.id, r.target}, &ok);
            if (ok)
                ok = SqlReactions::clear(c.db, r.room.id, r.target);
        }
        if (ok)
            c.write("UPDATE rooms SET last_seq = ? WHERE id = ?", {seq, r.room.id}, &ok);
        return ok;
    });
    if (refused)
        return *refused;
    if (!committed) {
        c.lastSeq.remove(r.room.id); // reload from disk next time
        return Error{ErrorCode::Internal, u"the change could not be stored; retry"_s};
    }
    c.lastSeq.insert(r.room.id, seq);
    removeFileBytes(removedFiles);
    ChatMessage entry{r.room.name, seq, r.sender, text, r.clientMsgId, ts};
    entry.kind = r.kind;
    entry.target = r.target;
    return AppendResult{entry, false, 0};
}


QList<ChatMessage> SqliteStore::history(const RoomRecord &room, std::optional<qint64> before,
                                        std::optional<qint64> after, int limit, bool *hasMore)
{
    QSqlQuery q;
    if (after) {
        q = reading().run("SELECT " MESSAGE_COLUMNS " FROM messages m WHERE room_id = ? AND seq > ?"
                   " ORDER BY seq ASC LIMIT ?",
                   {room.id, *after, limit + 1});
    } else {
        q = reading().run("SELECT " MESSAGE_COLUMNS " FROM messages m WHERE room_id = ? AND seq < ?"
                   " ORDER BY seq DESC LIMIT ?",
                   {room.id, before.value_or(std::numeric_limits<qint64>::max()), limit + 1});
    }
    QList<ChatMessage> messages;
    while (q.next())
        messages.append(messageFrom(q, room.name));
    *hasMore = messages.size() > limit;
    if (*hasMore)
        messages.removeLast();
    if (!after)
        std::reverse(messages.begin(), messages.end());
    SqlReactions::attach(d->db, room.id, messages);
    return messages;
}

int SqliteStore::unsentFiles(const QString &uploader)
{
    return SqlFiles::unsentCount(reading().db, uploader);
}

// ---- profiles (issue 12) ----

bool SqliteStore::setDisplayName(const QString &user, const QString &displayName)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        const QSqlQuery &q = c.write(SqlAccounts::kSetDisplayName,
                                     {displayName.isEmpty() ? QString() : displayName, Names::canonical(user)}, &ok);
        return ok && q.numRowsAffected() == 1;
    });
}

QHash<QString, QString> SqliteStore::displayNames()
{
    QHash<QString, QString> names;
    QSqlQuery q = reading().run(SqlAccounts::kDisplayNames, {});
    while (q.next())
        names.insert(q.value(0).toString(), q.value(1).toString());
    return names;
}

// ---- avatar pictures (issue 12) ----

bool SqliteStore::setAvatar(const QString &user, const AvatarRecord &avatar)
{
    const QString key = Names::canonical(user);
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        const QSqlQuery &q = c.write(SqlAccounts::kSetAvatar,
                                     {key, avatar.version, avatar.type, avatar.bytes, avatar.updatedAt, key}, &ok);
        return ok && q.numRowsAffected() == 1;
    });
}

StoreResult<bool> SqliteStore::removeAvatar(const QString &user)
{
    return writeNow<StoreResult<bool>>([&](Private &c) -> StoreResult<bool> {
        bool ok = false;
        const QSqlQuery &q = c.write(SqlAccounts::kRemoveAvatar, {Names::canonical(user)}, &ok);
        if (!ok)
            return Error{ErrorCode::Internal, u"the picture could not be removed; retry"_s};
        return q.numRowsAffected() > 0;
    });
}

std::optional<AvatarRecord> SqliteStore::avatar(const QString &user)
{
    QSqlQuery q = reading().run(SqlAccounts::kAvatar, {Names::canonical(user)});
    if (!q.next())
        return std::nullopt;
    return AvatarRecord{q.value(0).toString(), q.value(1).toString(), q.value(2).toByteArray(), q.value(3).toLongLong()};
}

QHash<QString, QString> SqliteStore::avatarVersions()
{
    QHash<QString, QString> versions;
    QSqlQuery q = reading().run(SqlAccounts::kAvatarVersions, {});
    while (q.next())
        versions.insert(q.value(0).toString(), q.value(1).toString());
    return versions;
}

} // namespace Tertulia
