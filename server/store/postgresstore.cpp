#include "server/store/postgresstore.h"

#include "server/cluster/messagesnotice.h"
#include "server/logging.h"
#include "server/store/groupcommit.h"
#include "server/store/migrations.h"
#include "server/store/sqlreads.h"
#include "server/store/sqlstatement.h"
#include "server/store/sqlreactions.h"
#include "server/store/sqlaccounts.h"
#include "server/store/sqlnodesnapshots.h"
#include "server/store/sqlreadmarkers.h"
#include "server/store/sqlrooms.h"
#include "server/store/sqlfiles.h"
#include "shared/names.h"

#include <QtCore/QDateTime>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QUrl>
#include <QtCore/QUrlQuery>
#include <QtCore/QUuid>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <limits>
#include <map>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::ChatMessage;
using Protocol::Error;
using Protocol::ErrorCode;

namespace {

/// Version 1: the SQLite schema in PostgreSQL's types, plus what several writers need: the global position of
/// every message (`gpos`, in commit order) and the one-row table that hands it out.
const char *const kSchemaV1[] = {
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO meta (key, value) VALUES ('schema_version', '0')",
    "CREATE TABLE users (key TEXT PRIMARY KEY, name TEXT NOT NULL, password_hash TEXT NOT NULL,"
    " is_admin BOOLEAN NOT NULL DEFAULT FALSE, created_at BIGINT NOT NULL)",
    "CREATE TABLE logins (id TEXT PRIMARY KEY, user_name TEXT NOT NULL, refresh_jti TEXT NOT NULL,"
    " revoked BOOLEAN NOT NULL DEFAULT FALSE, expires_at BIGINT NOT NULL)",
    "CREATE TABLE rooms (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL,"
    " key TEXT NOT NULL UNIQUE, private BOOLEAN NOT NULL, creator TEXT NOT NULL,"
    " last_seq BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL)",
    "CREATE TABLE members (room_id BIGINT NOT NULL REFERENCES rooms(id), user_key TEXT NOT NULL,"
    " user_name TEXT NOT NULL, joined_at BIGINT NOT NULL, PRIMARY KEY (room_id, user_key))",
    "CREATE TABLE invites (room_id BIGINT NOT NULL REFERENCES rooms(id), user_key TEXT NOT NULL,"
    " by_user TEXT NOT NULL, PRIMARY KEY (room_id, user_key))",
    "CREATE TABLE positions (id SMALLINT PRIMARY KEY CHECK (id = 1), gpos BIGINT NOT NULL)",
    "INSERT INTO positions (id, gpos) VALUES (1, 0)",
    "CREATE TABLE messages (room_id BIGINT NOT NULL REFERENCES rooms(id), seq BIGINT NOT NULL,"
    " gpos BIGINT NOT NULL UNIQUE, sender TEXT NOT NULL, sender_key TEXT NOT NULL,"
    " client_msg_id TEXT NOT NULL, text TEXT NOT NULL, ts BIGINT NOT NULL, PRIMARY KEY (room_id, seq))",
    "CREATE UNIQUE INDEX messages_by_client_id ON messages (sender_key, client_msg_id)",
};

/// Version 2, accounts (issue 11), as in SQLite: tombstones for deleted accounts (their names are never given
/// out again), and logins with their user's key, device, and creation and last-use times. User names are ASCII
/// (Names::isValidUserName); translate() folds them whatever the database's locale (lower() would follow
/// LC_CTYPE, and a Turkish one maps 'I' elsewhere).
const char *const kSchemaV2[] = {
    "ALTER TABLE users ADD COLUMN deleted_at BIGINT",
    "ALTER TABLE logins ADD COLUMN user_key TEXT NOT NULL DEFAULT ''",
    "UPDATE logins SET user_key = translate(user_name, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')",
    "ALTER TABLE logins ADD COLUMN device TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE logins ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE logins ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0",
    "CREATE INDEX logins_by_user ON logins (user_key)",
};

/// Version 3, edits and deletions (issue 12), as in SQLite: an edit or a deletion is a row of its own (kind 1
/// edit, 2 delete: int(Protocol::MessageKind)) with a global position like any message, naming the seq it
/// changes (`target`); the changed message records its state now. Constant defaults: no table rewrite.
const char *const kSchemaV3[] = {
    "ALTER TABLE messages ADD COLUMN kind SMALLINT NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN target BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN edited_at BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN edit_seq BIGINT NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE",
    "CREATE INDEX messages_by_target ON messages (room_id, target) WHERE target > 0",
};

/// Version 4, roles and moderation (issue 13), as in SQLite: owners and moderators of rooms (role 2 owner,
/// 1 moderator), bans and mutes (kind 1 ban, 2 mute; `until` 0: until lifted), the audit log, and who deleted
/// a message when a moderator did. The creator of each existing room owns it while the account exists.
const char *const kSchemaV4[] = {
    "CREATE TABLE room_roles (room_id BIGINT NOT NULL REFERENCES rooms(id), user_key TEXT NOT NULL,"
    " user_name TEXT NOT NULL, role SMALLINT NOT NULL, PRIMARY KEY (room_id, user_key))",
    "INSERT INTO room_roles (room_id, user_key, user_name, role) SELECT r.id, u.key, u.name, 2 FROM rooms r"
    " JOIN users u ON u.key = translate(r.creator, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    " AND u.deleted_at IS NULL",
    "CREATE TABLE room_sanctions (room_id BIGINT NOT NULL REFERENCES rooms(id), user_key TEXT NOT NULL,"
    " user_name TEXT NOT NULL, kind SMALLINT NOT NULL, until BIGINT NOT NULL DEFAULT 0, by_user TEXT NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '', at BIGINT NOT NULL, PRIMARY KEY (room_id, user_key, kind))",
    "CREATE TABLE audit_log (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL DEFAULT '', room TEXT NOT NULL DEFAULT '',"
    " reason TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '')",
    "ALTER TABLE messages ADD COLUMN deleted_by TEXT NOT NULL DEFAULT ''",
};

/// Version 5, disabled accounts (issue 13): an administrator disables an account, which then cannot sign in
/// or refresh; it keeps its name, rooms and messages.
const char *const kSchemaV5[] = {
    "ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE",
};

/// Version 6, replies (issue 12), as in SQLite: the seq of the message of the same room a message replies to.
const char *const kSchemaV6[] = {
    "ALTER TABLE messages ADD COLUMN reply_to BIGINT NOT NULL DEFAULT 0",
};

/// Version 7, reactions (issue 12), as in SQLite.
const char *const kSchemaV7[] = {
    "CREATE TABLE reactions (room_id BIGINT NOT NULL REFERENCES rooms(id), seq BIGINT NOT NULL,"
    " user_key TEXT NOT NULL, user_name TEXT NOT NULL, reaction TEXT NOT NULL, ts BIGINT NOT NULL,"
    " given_seq BIGINT NOT NULL,"
    " PRIMARY KEY (room_id, seq, user_key, reaction))",
    "ALTER TABLE messages ADD COLUMN reaction_seq BIGINT NOT NULL DEFAULT 0",
};

/// Version 8, search (issue 12): a text search configuration `tertulia_search` (the `simple` one, which folds
/// case and keeps every word, after `unaccent` when the extension can be had, so that "cafe" finds "Café"), a
/// generated tsvector of each message's text now (messages only, not deleted: an edit rewrites the text and
/// with it the vector, a deletion empties both), and a GIN index on it. unaccent comes with PostgreSQL (Debian:
/// in the server package) and is a trusted extension, so a database owner may create it; where it cannot be
/// created the search still works, without folding accents. Adding the column rewrites the messages table.
const char *const kSchemaV8[] = {
    "DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS unaccent; EXCEPTION WHEN OTHERS THEN"
    " RAISE NOTICE 'unaccent is not available: the search will not fold accents'; END $$",
    "CREATE TEXT SEARCH CONFIGURATION tertulia_search (COPY = pg_catalog.simple)",
    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN"
    " ALTER TEXT SEARCH CONFIGURATION tertulia_search ALTER MAPPING FOR asciiword, asciihword, hword_asciipart,"
    " word, hword, hword_part, numword, numhword, hword_numpart WITH unaccent, simple; END IF; END $$",
    "ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (CASE WHEN kind = 0 AND NOT deleted"
    " THEN to_tsvector('tertulia_search'::regconfig, text) END) STORED",
    "CREATE INDEX messages_search ON messages USING GIN (search)",
};

/// Version 9, read markers (issue 12): how far each user has read each room, synced between their devices.
const char *const kSchemaV9[] = {
    "CREATE TABLE read_markers (user_key TEXT NOT NULL, room_id BIGINT NOT NULL REFERENCES rooms(id),"
    " seq BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (user_key, room_id))",
};

/// Version 10, direct conversations (issue 12): which rooms are the direct conversation of which two users
/// (their keys, in order). The unique pair is what makes a conversation one per pair, however it is opened
/// and on however many nodes at once.
const char *const kSchemaV10[] = {
    "CREATE TABLE direct_rooms (room_id BIGINT PRIMARY KEY REFERENCES rooms(id), user_a TEXT NOT NULL,"
    " user_b TEXT NOT NULL, CHECK (user_a < user_b), UNIQUE (user_a, user_b))",
};

/// Version 11, room settings (issue 13), as in SQLite: `title` (a rename's display name), `topic`, `archived`
/// (read-only) and `deleted_at` (ms since the epoch; 0: live; the row stays and keeps the name reserved).
const char *const kSchemaV11[] = {
    "ALTER TABLE rooms ADD COLUMN title TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE rooms ADD COLUMN topic TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE rooms ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE",
    "ALTER TABLE rooms ADD COLUMN deleted_at BIGINT NOT NULL DEFAULT 0",
};

/// Version 12, files (issue 12), as in SQLite, with the bytes in the database (`data`): every node serves every
/// file, and a backup of the database holds them. A message keeps its file's description (FileInfo as JSON; ''
/// for none) beside its text.
const char *const kSchemaV12[] = {
    "CREATE TABLE files (id TEXT PRIMARY KEY, room_id BIGINT NOT NULL REFERENCES rooms(id),"
    " uploader TEXT NOT NULL, uploader_key TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL,"
    " size BIGINT NOT NULL, width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0,"
    " created_at BIGINT NOT NULL, seq BIGINT NOT NULL DEFAULT 0, data BYTEA)",
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
    "ALTER TABLE messages ADD COLUMN written_at BIGINT",
};

/// Version 15, avatar pictures (issue 12): one uploaded picture per account, its bytes in the row (small: the
/// avatar API's max_avatar_bytes) and named by `version` (Identity::avatarVersion() of the bytes).
const char *const kSchemaV15[] = {
    "CREATE TABLE avatars (user_key TEXT PRIMARY KEY, version TEXT NOT NULL, type TEXT NOT NULL,"
    " data BYTEA NOT NULL, updated_at BIGINT NOT NULL)",
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
    "CREATE TABLE node_snapshots (request TEXT NOT NULL, node TEXT NOT NULL, taken_at BIGINT NOT NULL,"
    " body BYTEA NOT NULL, PRIMARY KEY (request, node))",
    "CREATE INDEX node_snapshots_taken_at ON node_snapshots (taken_at)",
};

const Migration kMigrations[] = {
    {1, "users, logins, rooms, members, invites, messages with global positions", kSchemaV1},
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
};

/// The columns of a ChatMessage, in the order messageFrom() reads them (qualified: rooms is often joined).
#define MESSAGE_COLUMNS TERTULIA_MESSAGE_COLUMNS

using SqlReads::messageFrom;

/// The columns of a LoginRecord, in the order loginFrom() reads them.
#define LOGIN_COLUMNS "id, user_name, refresh_jti, revoked, expires_at, device, created_at, last_used_at"

/// Text for a NOT NULL column or a comparison: Qt binds a null QString as SQL NULL.
QString notNull(const QString &text) { return text.isNull() ? u""_s : text; }

LoginRecord loginFrom(const QSqlQuery &q)
{
    return LoginRecord{q.value(0).toString(),   q.value(1).toString(),    q.value(2).toString(),
                       q.value(3).toBool(),     q.value(4).toLongLong(),  q.value(5).toString(),
                       q.value(6).toLongLong(), q.value(7).toLongLong()};
}

/// Any number: the advisory lock nodes take while they migrate ("TERT" in ASCII).
constexpr qint64 kMigrationLock = 0x54455254;

/// SQLSTATE 23505: unique_violation.
bool isUniqueViolation(const QSqlError &error) { return error.nativeErrorCode() == u"23505"; }

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

/// The columns of a RoomRecord, in the order roomFrom() reads them.
#define ROOM_COLUMNS "id, name, private, creator, last_seq, created_at, title, topic, archived"

RoomRecord roomFrom(const QSqlQuery &q)
{
    return RoomRecord{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toBool(),
                      q.value(3).toString(),   q.value(4).toLongLong(), q.value(5).toLongLong(),
                      q.value(6).toString(),   q.value(7).toString(),   q.value(8).toBool()};
}

/// "?, ?, ?" repeated `rows` times as "(?, ?), (?, ?)".
QString placeholders(int rows, int columns)
{
    QString row = u"("_s;
    for (int c = 0; c < columns; ++c)
        row += c ? u", ?"_s : u"?"_s;
    row += u')';
    QStringList all;
    all.reserve(rows);
    for (int r = 0; r < rows; ++r)
        all.append(row);
    return all.join(u", "_s);
}
} // namespace

// ---- address ----

std::optional<PostgresAddress> PostgresAddress::fromUrl(const QString &text, QString *errorMessage)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"postgres" && url.scheme() != u"postgresql")) {
        *errorMessage = QStringLiteral("'%1' is not a postgresql:// URL").arg(text);
        return std::nullopt;
    }
    PostgresAddress address;
    address.host = url.host();
    address.port = url.port(5432);
    address.database = url.path().mid(1);
    address.user = url.userName();
    address.password = url.password();
    QStringList options;
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == u"host")
            address.host = value;
        else if (key == u"port")
            address.port = value.toInt();
        else if (key == u"dbname")
            address.database = value;
        else if (key == u"user")
            address.user = value;
        else if (key == u"password")
            address.password = value;
        else if (!key.isEmpty() && !key.contains(u';') && !value.contains(u';'))
            options.append(key + u'=' + value);
    }
    address.options = options.join(u';');
    if (address.database.isEmpty()) {
        *errorMessage = QStringLiteral("'%1' names no database (postgresql://host/DATABASE)").arg(text);
        return std::nullopt;
    }
    if (address.port <= 0 || address.port > 65535) {
        *errorMessage = QStringLiteral("'%1' has no valid port").arg(text);
        return std::nullopt;
    }
    return address;
}

QString PostgresAddress::displayUrl() const
{
    QUrl url;
    url.setScheme(u"postgresql"_s);
    if (!host.startsWith(u'/'))
        url.setHost(host);
    url.setPort(port);
    url.setUserName(user);
    url.setPath(u'/' + database);
    if (host.startsWith(u'/'))
        url.setQuery(u"host="_s + host);
    return url.toString();
}

void PostgresAddress::applyTo(QSqlDatabase &db) const
{
    db.setHostName(host);
    db.setPort(port);
    db.setDatabaseName(database);
    db.setUserName(user);
    db.setPassword(password);
    db.setConnectOptions(options);
}

// ---- store ----

namespace {
/// Whether an error means the connection is gone (the server restarted, or an administrator ended it):
/// SQLSTATE classes 08 (connection exception) and 57P (operator intervention), or libpq's own words when the
/// socket closed before any SQLSTATE could arrive.
bool isConnectionLost(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    if (code.startsWith(u"08") || code.startsWith(u"57P"))
        return true;
    const QString text = error.databaseText() + u' ' + error.driverText();
    return text.contains(u"server closed the connection") || text.contains(u"no connection to the server")
        || text.contains(u"terminating connection") || text.contains(u"could not receive data from server")
        || text.contains(u"could not send data to server");
}
} // namespace
struct PostgresStore::Private
{
    QSqlDatabase db;
    bool connectionLost = false;   ///< a statement found the connection gone: reopen before the next one

    /// Reopens a lost connection (what was open in it is gone with it). False while the server is away.
    bool reconnect()
    {
        db.close();
        if (!db.open()) {
            qCWarning(lcStore) << "the database is still unreachable:" << db.lastError().text();
            return false;
        }
        qCInfo(lcStore) << "reconnected to the database";
        connectionLost = false;
        return true;
    }

    /// Before a statement or a transaction: a lost connection is reopened first.
    void ensureConnected()
    {
        if (connectionLost || !db.isOpen())
            reconnect();
    }
    /// After a failed BEGIN or COMMIT: was it the connection?
    void checkConnection()
    {
        if (isConnectionLost(db.lastError()) || !db.isOpen())
            connectionLost = true;
    }

    QSqlQuery run(const QString &sql, const QVariantList &values, bool *ok = nullptr)
    {
        ensureConnected();
        QSqlQuery query(db);
        const bool success = SqlStatement::execute(query, sql, values); // one round trip, not three
        if (!success && !isUniqueViolation(query.lastError()))
            qCWarning(lcStore) << "statement failed:" << sql << query.lastError().text();
        if (!success && isConnectionLost(query.lastError()))
            connectionLost = true;
        if (ok)
            *ok = success;
        return query;
    }
    QSqlQuery run(const char *sql, const QVariantList &values, bool *ok = nullptr)
    {
        return run(QString::fromLatin1(sql), values, ok);
    }
};

PostgresStore::PostgresStore(const Options &options, QObject *parent)
    : QObject(parent),
      m_options(options),
      m_connectionName(u"tertulia-pg-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces)),
      d(std::make_unique<Private>())
{
}

PostgresStore::~PostgresStore() { close(); }

std::span<const Migration> PostgresStore::migrations() { return kMigrations; }

bool PostgresStore::open(QString *errorMessage)
{
    const PostgresAddress &a = m_options.address;
    d->db = QSqlDatabase::addDatabase(u"QPSQL"_s, m_connectionName);
    if (!d->db.isValid()) {
        *errorMessage = u"Qt's PostgreSQL driver (QPSQL) is not installed (Debian: libqt6sql6-psql)"_s;
        d->db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        return false;
    }
    a.applyTo(d->db);
    if (!d->db.open()) {
        *errorMessage = QStringLiteral("cannot connect to %1: %2").arg(a.displayUrl(), d->db.lastError().text());
        return false;
    }
    QString migrationError;
    const MigrationOptions migration{QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kMigrationLock)};
    if (!applyMigrations(d->db, kMigrations, migration, &migrationError)) {
        *errorMessage = QStringLiteral("cannot prepare the database %1: %2").arg(a.displayUrl(), migrationError);
        return false;
    }

    // The writer: a second connection on a thread of its own (or this one, on the loop).
    const bool threaded = m_options.writeThread;
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
        if (!threaded)
            return true;
        w->db = QSqlDatabase::addDatabase(u"QPSQL"_s, writerName);
        a.applyTo(w->db);
        if (w->db.open())
            return true;
        writerError = w->db.lastError().text();
        w->db = QSqlDatabase();
        QSqlDatabase::removeDatabase(writerName);
        return false;
    });
    if (!started) {
        *errorMessage = QStringLiteral("cannot open a writer on %1: %2").arg(a.displayUrl(), writerError);
        m_writer.reset();
        m_writeConnection.reset();
        w = nullptr;
        return false;
    }
    m_group = std::make_unique<GroupCommit>(*m_writer, m_options.maxBatch,
                                            [this](const WriteBatch &batch) { return commitBatch(*w, batch); });

    if (m_options.readThread) {
        m_reader = std::make_unique<StoreReader>(u"QPSQL"_s, m_connectionName + u"-reader"_s,
                                                 [a](QSqlDatabase &db, QString *error) {
                                                     a.applyTo(db);
                                                     if (db.open())
                                                         return true;
                                                     *error = db.lastError().text();
                                                     return false;
                                                 });
        QString readerError;
        if (!m_reader->start(&readerError)) {
            *errorMessage = QStringLiteral("cannot open a reader on %1: %2").arg(a.displayUrl(), readerError);
            m_reader.reset();
            return false;
        }
    }
    qCInfo(lcStore).noquote() << "opened" << a.displayUrl()
                              << (m_writer->isThreaded() ? "writes on a writer thread" : "writes on the loop")
                              << (m_reader ? "reads on a reader thread" : "reads on the loop");
    return true;
}

void PostgresStore::close()
{
    if (!d->db.isValid())
        return;
    if (m_group)
        m_group->commitNow();
    if (m_writer) {
        const QString writerName = m_connectionName + u"-writer"_s;
        m_writer->stop([this, writerName] {
            if (w == d.get())
                return;
            w->db.close();
            w->db = QSqlDatabase();
            QSqlDatabase::removeDatabase(writerName);
        });
    }
    m_group.reset();
    m_writer.reset();
    m_writeConnection.reset();
    w = nullptr;
    m_reader.reset(); // closes its connection on its own thread
    d->db.close();
    d->db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

template<typename Result>
Result PostgresStore::writeNow(const std::function<Result(Private &)> &work)
{
    Q_ASSERT(m_group);
    if (m_writer->inJob())
        return work(*w); // a job of async(), on the writer: what was asked for before ran before it
    m_group->handOver(); // what was asked for before is written before (one FIFO)
    return m_writer->call<Result>([this, &work] { return work(*w); });
}

PostgresStore::Private &PostgresStore::reading() { return m_writer && m_writer->inJob() ? *w : *d; }

void PostgresStore::runJob(std::function<void()> job, QObject *context, std::function<void()> answer)
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

quint64 PostgresStore::commitCount() const { return m_group ? m_group->commits() : 0; }

// ---- users ----

std::optional<UserRecord> PostgresStore::findUser(const QString &name)
{
    QSqlQuery q = reading().run("SELECT name, password_hash, is_admin, created_at, disabled FROM users"
                         " WHERE key = ? AND deleted_at IS NULL",
                         {Names::canonical(name)});
    if (!q.next())
        return std::nullopt;
    return UserRecord{q.value(0).toString(), q.value(1).toByteArray(), q.value(2).toBool(), q.value(3).toLongLong(),
                      q.value(4).toBool()};
}

StoreResult<UserRecord> PostgresStore::createUser(const UserRecord &user)
{
    return writeNow<StoreResult<UserRecord>>([&](Private &c) -> StoreResult<UserRecord> {
        bool ok = false;
        const QSqlQuery q = c.run("INSERT INTO users (name, key, password_hash, is_admin, created_at) VALUES (?, ?, ?, ?, ?)",
                                   {user.name, Names::canonical(user.name), QString::fromLatin1(user.passwordHash),
                                    user.isAdmin, user.createdAt},
                                   &ok);
        if (ok)
            return user;
        if (isUniqueViolation(q.lastError()))
            return Error{ErrorCode::Conflict, QStringLiteral("the name '%1' is taken").arg(user.name)};
        return Error{ErrorCode::Internal, QStringLiteral("could not store the account")};
    });
}

int PostgresStore::userCount()
{
    QSqlQuery q = reading().run("SELECT COUNT(*) FROM users WHERE deleted_at IS NULL", {});
    return q.next() ? q.value(0).toInt() : 0;
}

bool PostgresStore::setPasswordHash(const QString &user, const QByteArray &passwordHash)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        const QSqlQuery q = c.run("UPDATE users SET password_hash = ? WHERE key = ? AND deleted_at IS NULL",
                                   {QString::fromLatin1(passwordHash), Names::canonical(user)}, &ok);
        return ok && q.numRowsAffected() == 1;
    });
}

StoreResult<bool> PostgresStore::setAdmin(const QString &user, bool admin)
{
    const QString key = Names::canonical(user);
    StoreResult<bool> notCommitted = Error{ErrorCode::Internal, u"could not store the change"_s};
    const bool committed = inTransaction([&](Private &c) {
        notCommitted = Error{ErrorCode::Internal, u"could not store the change"_s};
        bool ok = false;
        if (!admin) {
            // Several nodes write to one database: the administrators' rows are locked (in key order, so two
            // of these wait for each other instead of deadlocking) before they are counted. A demotion that
            // runs at the same time waits here, then sees the other's committed change (READ COMMITTED
            // rechecks a row it waited for), so two administrators demoting each other cannot both succeed,
            // and a concurrent deleteUser() of an administrator waits too.
            QSqlQuery admins = c.run("SELECT key FROM users WHERE is_admin AND deleted_at IS NULL"
                                     " ORDER BY key FOR UPDATE",
                                     {}, &ok);
            if (!ok)
                return false;
            QStringList keys;
            while (admins.next())
                keys.append(admins.value(0).toString());
            if (keys.contains(key) && keys.size() <= 1) {
                notCommitted = Error{ErrorCode::Conflict,
                                     QStringLiteral("%1 is the last administrator: make another account an "
                                                    "administrator first").arg(user)};
                return false;
            }
        }
        QSqlQuery target = c.run("SELECT is_admin FROM users WHERE key = ? AND deleted_at IS NULL FOR UPDATE",
                                 {key}, &ok);
        if (!ok)
            return false;
        if (!target.next()) {
            notCommitted = Error{ErrorCode::NotFound, QStringLiteral("no such user: %1").arg(user)};
            return false;
        }
        if (target.value(0).toBool() == admin) {
            notCommitted = false;
            return false;
        }
        const QSqlQuery update = c.run("UPDATE users SET is_admin = ? WHERE key = ? AND deleted_at IS NULL",
                                       {admin, key}, &ok);
        return ok && update.numRowsAffected() == 1;
    });
    if (committed)
        return true;
    return notCommitted;
}

StoreResult<bool> PostgresStore::setDisabled(const QString &user, bool disabled)
{
    const QString key = Names::canonical(user);
    return writeNow<StoreResult<bool>>([&](Private &c) -> StoreResult<bool> {
        bool ok = false;
        // One statement: whether it existed and whether it changed, without a read in between.
        QSqlQuery q = c.run("UPDATE users SET disabled = ? WHERE key = ? AND deleted_at IS NULL"
                            " RETURNING (SELECT u.disabled FROM users u WHERE u.key = ?)",
                            {disabled, key, key}, &ok);
        if (!ok)
            return Error{ErrorCode::Internal, u"could not store the change"_s};
        if (!q.next())
            return Error{ErrorCode::NotFound, QStringLiteral("no such user: %1").arg(user)};
        return q.value(0).toBool() != disabled;
    });
}

bool PostgresStore::deleteUser(const QString &user, qint64 deletedAt)
{
    const QString key = Names::canonical(user);
    return inTransaction([&](Private &c) {
        bool ok = false;
        const QSqlQuery tombstone = c.run(SqlAccounts::kDeleteUserTombstone, {deletedAt, key}, &ok);
        if (!ok || tombstone.numRowsAffected() != 1)
            return false;
        for (const char *forget : SqlAccounts::kForgetDeletedUser) {
            c.run(forget, {key}, &ok);
            if (!ok)
                return false;
        }
        return true;
    });
}

bool PostgresStore::inTransaction(const std::function<bool(Private &)> &work)
{
    return writeNow<bool>([&work](Private &c) {
        c.ensureConnected();
        if (!c.db.transaction()) {
            qCWarning(lcStore) << "cannot begin a transaction:" << c.db.lastError().text();
            c.checkConnection();
            return false;
        }
        if (work(c) && c.db.commit())
            return true;
        c.checkConnection();
        c.db.rollback();
        return false;
    });
}

// ---- logins ----

bool PostgresStore::createLogin(const LoginRecord &login)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        c.run("INSERT INTO logins (id, user_name, user_key, refresh_jti, revoked, expires_at, device, created_at,"
               " last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {login.id, login.user, Names::canonical(login.user), login.refreshTokenId, login.revoked,
                login.expiresAt, notNull(login.device), login.createdAt, login.lastUsedAt},
               &ok);
        return ok;
    });
}

std::optional<LoginRecord> PostgresStore::findLogin(const QString &id)
{
    QSqlQuery q = reading().run("SELECT " LOGIN_COLUMNS " FROM logins WHERE id = ?", {id});
    if (!q.next())
        return std::nullopt;
    return loginFrom(q);
}

bool PostgresStore::rotateLogin(const QString &id, const QString &expectedTokenId, const QString &newTokenId,
                                qint64 newExpiresAt)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        const QSqlQuery q = c.run("UPDATE logins SET refresh_jti = ?, expires_at = ? WHERE id = ? AND refresh_jti = ?"
                                   " AND NOT revoked",
                                   {newTokenId, newExpiresAt, id, expectedTokenId}, &ok);
        return ok && q.numRowsAffected() == 1;
    });
}

bool PostgresStore::revokeLogin(const QString &id)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        c.run("UPDATE logins SET revoked = TRUE WHERE id = ?", {id}, &ok);
        return ok;
    });
}

QList<LoginRecord> PostgresStore::liveLogins(qint64 now)
{
    // Users are matched by Names::canonical(), which SQL cannot compute: the users' keys are read first.
    QSet<QString> users;
    QSqlQuery keys = reading().run("SELECT key FROM users WHERE deleted_at IS NULL", {});
    while (keys.next())
        users.insert(keys.value(0).toString());
    QList<LoginRecord> logins;
    QSqlQuery q = reading().run("SELECT " LOGIN_COLUMNS " FROM logins WHERE NOT revoked AND expires_at > ?", {now});
    while (q.next()) {
        if (users.contains(Names::canonical(q.value(1).toString())))
            logins.append(loginFrom(q));
    }
    return logins;
}

QList<LoginRecord> PostgresStore::loginsOf(const QString &user, qint64 now)
{
    QList<LoginRecord> logins;
    QSqlQuery q = reading().run("SELECT " LOGIN_COLUMNS " FROM logins WHERE user_key = ? AND NOT revoked AND expires_at > ?"
                         " ORDER BY created_at, id",
                         {Names::canonical(user), now});
    while (q.next())
        logins.append(loginFrom(q));
    return logins;
}

bool PostgresStore::touchLogin(const QString &id, qint64 lastUsedAt)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        c.run("UPDATE logins SET last_used_at = GREATEST(last_used_at, ?) WHERE id = ?", {lastUsedAt, id}, &ok);
        return ok;
    });
}

StoreResult<QList<QString>> PostgresStore::revokeLoginsOf(const QString &user, const QString &exceptId)
{
    const QString key = Names::canonical(user);
    QList<QString> ids;
    const bool done = inTransaction([&](Private &c) {
        bool ok = false;
        QSqlQuery q = c.run("UPDATE logins SET revoked = TRUE WHERE user_key = ? AND NOT revoked AND id <> ?"
                             " RETURNING id",
                             {key, notNull(exceptId)}, &ok);
        while (ok && q.next())
            ids.append(q.value(0).toString());
        return ok;
    });
    if (!done)
        return Error{ErrorCode::Internal, QStringLiteral("could not revoke the logins")};
    return ids;
}

// ---- rooms ----

QList<RoomRecord> PostgresStore::rooms()
{
    QList<RoomRecord> result;
    QSqlQuery q = reading().run("SELECT " ROOM_COLUMNS " FROM rooms WHERE deleted_at = 0 ORDER BY id", {});
    while (q.next())
        result.append(roomFrom(q));
    return result;
}

std::optional<RoomRecord> PostgresStore::findRoom(const QString &name)
{
    QSqlQuery q = reading().run("SELECT " ROOM_COLUMNS " FROM rooms WHERE key = ? AND deleted_at = 0",
                         {Names::canonical(name)});
    if (!q.next())
        return std::nullopt;
    return roomFrom(q);
}

StoreResult<RoomRecord> PostgresStore::createRoom(const RoomRecord &room)
{
    return writeNow<StoreResult<RoomRecord>>([&](Private &c) -> StoreResult<RoomRecord> {
        bool ok = false;
        // The room and its owner (the creator) in one statement: a room never exists without its owner.
        QSqlQuery q = c.run("WITH r AS (INSERT INTO rooms (name, key, private, creator, last_seq, created_at)"
                             " VALUES (?, ?, ?, ?, 0, ?) RETURNING id)"
                             " INSERT INTO room_roles (room_id, user_key, user_name, role) SELECT id, ?, ?, 2 FROM r"
                             " RETURNING room_id",
                             {room.name, Names::canonical(room.name), room.isPrivate, room.creator, room.createdAt,
                              Names::canonical(room.creator), room.creator}, &ok);
        if (!ok || !q.next()) {
            if (isUniqueViolation(q.lastError()))
                return Error{ErrorCode::Conflict, QStringLiteral("a room named '%1' exists").arg(room.name)};
            return Error{ErrorCode::Internal, QStringLiteral("could not store the room")};
        }
        RoomRecord created = room;
        created.id = q.value(0).toLongLong();
        created.lastSeq = 0;
        return created;
    });
}

QList<QString> PostgresStore::members(qint64 roomId)
{
    QList<QString> users;
    QSqlQuery q = reading().run("SELECT user_name FROM members WHERE room_id = ? ORDER BY joined_at, user_key", {roomId});
    while (q.next())
        users.append(q.value(0).toString());
    return users;
}

bool PostgresStore::addMember(qint64 roomId, const QString &user)
{
    // Group commit: written with the next batch (whenCommitted() tells when it is committed).
    Q_ASSERT(m_group);
    m_group->addMember(roomId, user, nowMs());
    return true;
}

bool PostgresStore::removeMember(qint64 roomId, const QString &user)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        c.run("DELETE FROM members WHERE room_id = ? AND user_key = ?", {roomId, Names::canonical(user)}, &ok);
        return ok;
    });
}

bool PostgresStore::addInvite(qint64 roomId, const QString &user, const QString &by)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        c.run("INSERT INTO invites (room_id, user_key, by_user) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
               {roomId, Names::canonical(user), by}, &ok);
        return ok;
    });
}

bool PostgresStore::hasInvite(qint64 roomId, const QString &user)
{
    QSqlQuery q = reading().run("SELECT 1 FROM invites WHERE room_id = ? AND user_key = ?", {roomId, Names::canonical(user)});
    return q.next();
}

bool PostgresStore::removeInvite(qint64 roomId, const QString &user)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        c.run("DELETE FROM invites WHERE room_id = ? AND user_key = ?", {roomId, Names::canonical(user)}, &ok);
        return ok;
    });
}

QList<qint64> PostgresStore::invitedRooms(const QString &user)
{
    QList<qint64> ids;
    QSqlQuery q = reading().run("SELECT room_id FROM invites WHERE user_key = ?", {Names::canonical(user)});
    while (q.next())
        ids.append(q.value(0).toLongLong());
    return ids;
}

StoreResult<DirectRoom> PostgresStore::openDirect(const QString &user, const QString &other, qint64 now)
{
    const StoreResult<QStringList> checked = SqlReads::directPair(user, other);
    if (const auto *error = std::get_if<Error>(&checked))
        return *error;
    const QStringList pair = std::get<QStringList>(checked);
    const QString address = Names::directAddress(user, other);
    return writeNow<StoreResult<DirectRoom>>([&](Private &c) -> StoreResult<DirectRoom> {
        const Error internal{ErrorCode::Internal, QStringLiteral("could not open the conversation")};
        const auto existing = [&]() -> std::optional<RoomRecord> {
            QSqlQuery q = c.run(TERTULIA_DIRECT_ROOM_SELECT,
                                {pair[0], pair[1]});
            return q.next() ? std::optional<RoomRecord>(roomFrom(q)) : std::nullopt;
        };
        if (const auto room = existing())
            return DirectRoom{*room, false};
        // The room, the pair and both memberships in one statement. Another node opening the same pair at once
        // waits on the unique keys until this commits and then fails: it reads the room this one made.
        bool ok = false;
        QSqlQuery q = c.run("WITH r AS (INSERT INTO rooms (name, key, private, creator, last_seq, created_at)"
                            " VALUES (?, ?, TRUE, ?, 0, ?) RETURNING id),"
                            " d AS (INSERT INTO direct_rooms (room_id, user_a, user_b) SELECT id, ?, ? FROM r),"
                            " m AS (INSERT INTO members (room_id, user_key, user_name, joined_at)"
                            " SELECT id, ?::text, ?::text, ?::bigint FROM r UNION ALL SELECT id, ?::text, ?::text, ?::bigint FROM r)"
                            " SELECT id FROM r",
                            {address, address, user, now, pair[0], pair[1], Names::canonical(user), user, now,
                             Names::canonical(other), other, now},
                            &ok);
        if (ok && q.next())
            return DirectRoom{RoomRecord{q.value(0).toLongLong(), address, true, user, 0, now}, true};
        if (isUniqueViolation(q.lastError())) {
            if (const auto room = existing())
                return DirectRoom{*room, false};
        }
        return internal;
    });
}

std::optional<RoomRecord> PostgresStore::updateRoom(qint64 roomId, const RoomChange &change)
{
    if (!writeNow<bool>([&](Private &c) { return SqlRooms::update(c.db, roomId, change); }))
        return std::nullopt;
    QSqlQuery q = reading().run("SELECT " ROOM_COLUMNS " FROM rooms WHERE id = ? AND deleted_at = 0", {roomId});
    if (!q.next())
        return std::nullopt;
    return roomFrom(q);
}

bool PostgresStore::deleteRoom(qint64 roomId, qint64 deletedAt, bool keepHistory)
{
    return inTransaction([&](Private &c) {
        // Without its history, a room's files go too.
        if (!keepHistory && !SqlFiles::forget(c.db, roomId, std::nullopt))
            return false;
        return SqlRooms::remove(c.db, roomId, deletedAt, keepHistory);
    });
}

// ---- files (issue 12): the bytes in the database ----

StoreResult<FileRecord> PostgresStore::storeFile(const FileRecord &file, const QByteArray &bytes)
{
    if (!writeNow<bool>([&](Private &c) {
            c.ensureConnected();
            return SqlFiles::insert(c.db, file, QVariant(bytes));
        }))
        return Error{ErrorCode::Internal, u"the file could not be stored; retry"_s};
    return file;
}

std::optional<FileRecord> PostgresStore::findFile(const QString &id)
{
    bool ok = false;
    return SqlFiles::find(reading().db, id, &ok);
}

std::optional<QByteArray> PostgresStore::fileBytes(const QString &id)
{
    return SqlFiles::data(reading().db, id);
}

// ---- roles, sanctions, audit ----

QList<RoomRoleRecord> PostgresStore::roomRoles(qint64 roomId)
{
    QList<RoomRoleRecord> roles;
    QSqlQuery q = reading().run("SELECT user_name, role FROM room_roles WHERE room_id = ? ORDER BY user_key", {roomId});
    while (q.next())
        roles.append(RoomRoleRecord{q.value(0).toString(), RoomRole(q.value(1).toInt())});
    return roles;
}

bool PostgresStore::setRoomRole(qint64 roomId, const QString &user, RoomRole role)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        if (role == RoomRole::Member)
            c.run("DELETE FROM room_roles WHERE room_id = ? AND user_key = ?", {roomId, Names::canonical(user)}, &ok);
        else
            c.run("INSERT INTO room_roles (room_id, user_key, user_name, role) VALUES (?, ?, ?, ?)"
                  " ON CONFLICT (room_id, user_key) DO UPDATE SET role = excluded.role",
                  {roomId, Names::canonical(user), user, int(role)}, &ok);
        return ok;
    });
}

bool PostgresStore::transferOwnership(qint64 roomId, const QString &from, const QString &to)
{
    Q_UNUSED(from); // every other owner steps down, whoever they are
    return inTransaction([&](Private &c) {
        bool ok = false;
        c.run("UPDATE room_roles SET role = ? WHERE room_id = ? AND role = ?",
              {int(RoomRole::Moderator), roomId, int(RoomRole::Owner)}, &ok);
        if (ok)
            c.run("INSERT INTO room_roles (room_id, user_key, user_name, role) VALUES (?, ?, ?, ?)"
                  " ON CONFLICT (room_id, user_key) DO UPDATE SET role = excluded.role",
                  {roomId, Names::canonical(to), to, int(RoomRole::Owner)}, &ok);
        return ok;
    });
}

QList<SanctionRecord> PostgresStore::sanctions(qint64 roomId)
{
    QList<SanctionRecord> found;
    QSqlQuery q = reading().run("SELECT user_name, kind, until, by_user, reason, at FROM room_sanctions WHERE room_id = ?"
                         " ORDER BY user_key, kind",
                         {roomId});
    while (q.next())
        found.append(SanctionRecord{roomId, q.value(0).toString(), SanctionKind(q.value(1).toInt()),
                                    q.value(2).toLongLong(), q.value(3).toString(), q.value(4).toString(),
                                    q.value(5).toLongLong()});
    return found;
}

bool PostgresStore::setSanction(const SanctionRecord &r)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        c.run("INSERT INTO room_sanctions (room_id, user_key, user_name, kind, until, by_user, reason, at)"
              " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (room_id, user_key, kind) DO UPDATE SET"
              " until = excluded.until, by_user = excluded.by_user, reason = excluded.reason, at = excluded.at",
              {r.roomId, Names::canonical(r.user), r.user, int(r.kind), r.until, notNull(r.by), notNull(r.reason), r.at},
              &ok);
        return ok;
    });
}

bool PostgresStore::removeSanction(qint64 roomId, const QString &user, SanctionKind kind)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        c.run("DELETE FROM room_sanctions WHERE room_id = ? AND user_key = ? AND kind = ?",
              {roomId, Names::canonical(user), int(kind)}, &ok);
        return ok;
    });
}

bool PostgresStore::appendAudit(const AuditRecord &r)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        c.run("INSERT INTO audit_log (at, actor, action, target, room, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
              {r.at, notNull(r.actor), notNull(r.action), notNull(r.target), notNull(r.room), notNull(r.reason),
               notNull(r.detail)},
              &ok);
        return ok;
    });
}

QList<UserRecord> PostgresStore::users(const QString &afterKey, int limit)
{
    return SqlReads::users(reading().db, afterKey, limit);
}

QList<AuditRecord> PostgresStore::auditLog(qint64 beforeId, int limit)
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

bool PostgresStore::putNodeSnapshot(const NodeSnapshot &snapshot)
{
    return writeNow<bool>([&](Private &c) {
        c.ensureConnected();
        return SqlNodeSnapshots::put(c.db, snapshot);
    });
}

QList<NodeSnapshot> PostgresStore::takeNodeSnapshots(const QString &request, qint64 staleBefore)
{
    return writeNow<QList<NodeSnapshot>>([&](Private &c) {
        c.ensureConnected();
        return SqlNodeSnapshots::take(c.db, request, staleBefore);
    });
}

// ---- group commit ----

void PostgresStore::whenCommitted(std::function<void(bool committed)> done)
{
    if (!m_group)
        return done(true);
    m_group->whenCommitted(std::move(done));
}

// ---- messages ----

void PostgresStore::append(const AppendRequest &request, AppendCallback done)
{
    Q_ASSERT(m_group);
    m_group->append(request, std::move(done));
}

void PostgresStore::flush()
{
    if (m_group)
        m_group->commitNow();
}

BatchAnswer PostgresStore::commitBatch(Private &c, const WriteBatch &batch)
{
    BatchAnswer answer;
    BatchOutcome outcome = BatchOutcome::Retry;
    // Another node can commit a retry of one of these messages between our duplicate check and our insert
    // only if it did not take the position lock, which every writer takes: a retry here is a safety net. A
    // retry runs the whole batch again, memberships and notices included (the rollback took them too).
    QList<StoreResult<AppendResult>> results;
    for (int attempt = 0; attempt < 3 && outcome == BatchOutcome::Retry; ++attempt) {
        results.clear();
        outcome = tryBatch(c, batch, results);
        if (outcome == BatchOutcome::Retry)
            ++m_retriedBatches;
    }
    if (outcome != BatchOutcome::Committed)
        return answer; // every callback hears of the failure, every waiter that nothing was committed
    answer.committed = true;
    answer.results = std::move(results);
    return answer;
}

PostgresStore::BatchOutcome PostgresStore::tryBatch(Private &c, const WriteBatch &batch,
                                                   QList<StoreResult<AppendResult>> &results)
{
    c.ensureConnected();
    if (!c.db.transaction()) {
        qCWarning(lcStore) << "cannot begin a transaction:" << c.db.lastError().text();
        c.checkConnection();
        return BatchOutcome::Failed;
    }
    auto fail = [&c](BatchOutcome outcome) {
        c.db.rollback();
        return outcome;
    };
    bool ok = false;

    // 0. Memberships and notices, in the order they were asked for: a notice follows the memberships it is
    // about, and every notice of the transaction is delivered at its commit, before those of later commits.
    for (const WriteBatch::Write &write : batch.writes) {
        if (const auto *member = std::get_if<WriteBatch::Membership>(&write)) {
            c.run("INSERT INTO members (room_id, user_key, user_name, joined_at) VALUES (?, ?, ?, ?)"
                  " ON CONFLICT DO NOTHING",
                  {member->roomId, Names::canonical(member->user), member->user, member->joinedAt}, &ok);
        } else {
            c.run("SELECT pg_notify(?, ?)",
                  {QString::fromLatin1(kNotifyChannel), QString::fromUtf8(std::get<QByteArray>(write))}, &ok);
        }
        if (!ok)
            return fail(BatchOutcome::Failed);
    }
    if (batch.appends.isEmpty()) {
        if (!c.db.commit()) {
            qCWarning(lcStore) << "commit failed:" << c.db.lastError().text();
            c.checkConnection();
            return fail(BatchOutcome::Failed);
        }
        return BatchOutcome::Committed;
    }

    // 1. The global position: locked until COMMIT, so positions follow commit order across nodes.
    QSqlQuery position = c.run("SELECT gpos FROM positions WHERE id = 1 FOR UPDATE", {}, &ok);
    if (!ok || !position.next())
        return fail(BatchOutcome::Failed);
    qint64 gpos = position.value(0).toLongLong();

    // 2. The rooms written, in ascending id order, with their last sequence numbers.
    std::map<qint64, qint64> lastSeq; // ordered: the lock order
    for (const AppendRequest &r : batch.appends)
        lastSeq.emplace(r.room.id, 0);
    QStringList ids;
    for (const auto &[id, seq] : lastSeq)
        ids.append(QString::number(id));
    QSqlQuery rooms = c.run(u"SELECT id, last_seq FROM rooms WHERE id IN ("_s + ids.join(u',')
                                 + u") ORDER BY id FOR UPDATE"_s,
                             {}, &ok);
    if (!ok)
        return fail(BatchOutcome::Failed);
    while (rooms.next())
        lastSeq[rooms.value(0).toLongLong()] = rooms.value(1).toLongLong();

    // 3. Retries already stored, by this node or another.
    QVariantList keys;
    for (const AppendRequest &r : batch.appends)
        keys << Names::canonical(r.sender) << r.clientMsgId;
    QSqlQuery stored = c.run(u"SELECT m.sender_key, r.name, " MESSAGE_COLUMNS
                              " FROM messages m JOIN rooms r ON r.id = m.room_id"
                              " WHERE (m.sender_key, m.client_msg_id) IN ("_s
                                  + placeholders(int(batch.appends.size()), 2) + u')',
                              keys, &ok);
    if (!ok)
        return fail(BatchOutcome::Failed);
    QHash<QPair<QString, QString>, AppendResult> known;
    while (stored.next()) {
        const ChatMessage message = messageFrom(stored, stored.value(1).toString(), 2);
        known.insert({stored.value(0).toString(), message.clientMsgId}, AppendResult{message, true, 0});
    }

    // 4. Number the new ones; a message repeated within the batch is a duplicate of its first copy.
    const qint64 ts = nowMs();
    QVariantList rows;
    int newRows = 0;
    QSet<QPair<qint64, qint64>> numbered; // (room id, seq) of the messages of this batch: replies may name them
    QList<MessagesNotice::Traced> traced; // the traced messages' positions and contexts, for the notice
    for (const AppendRequest &r : batch.appends) {
        const QPair<QString, QString> key{Names::canonical(r.sender), r.clientMsgId};
        if (auto it = known.constFind(key); it != known.cend()) {
            results.append(*it);
            continue;
        }
        if (r.replyTo > 0 && !numbered.contains({r.room.id, r.replyTo})) {
            if (auto refusal = SqlReads::replyRefusal(c.db, r.room, r.replyTo, &ok)) {
                results.append(*refusal);
                continue;
            }
            if (!ok)
                return fail(BatchOutcome::Failed);
        }
        std::optional<Protocol::FileInfo> file;
        if (!r.fileId.isEmpty()) {
            auto attached = SqlFiles::attach(c.db, r, lastSeq[r.room.id] + 1, &ok);
            if (!ok)
                return fail(BatchOutcome::Failed);
            if (auto *refusal = std::get_if<Error>(&attached)) {
                results.append(*refusal);
                continue;
            }
            file = std::get<Protocol::FileInfo>(std::move(attached));
        }
        const qint64 seq = ++lastSeq[r.room.id];
        numbered.insert({r.room.id, seq});
        rows << r.room.id << seq << ++gpos << r.sender << key.first << r.clientMsgId << r.text << ts << r.replyTo
             << SqlFiles::columnOf(file) << SqlReads::writtenAtColumn(r.writtenAt) << SqlReads::traceparentColumn(r)
             << SqlReads::traceNodeColumn(r);
        ++newRows;
        if (r.trace.isValid())
            traced.append({gpos, r.trace});
        ChatMessage message{r.room.name, seq, r.sender, r.text, r.clientMsgId, ts};
        message.replyTo = r.replyTo;
        message.file = file;
        message.writtenAt = r.writtenAt;
        const AppendResult result{message, false, gpos};
        results.append(result);
        known.insert(key, AppendResult{result.message, true, gpos});
    }

    if (newRows > 0) {
        const QSqlQuery insert = c.run(u"INSERT INTO messages (room_id, seq, gpos, sender, sender_key, client_msg_id,"
                                        " text, ts, reply_to, file, written_at, traceparent, trace_node) VALUES "_s
                                            + placeholders(newRows, 13),
                                        rows, &ok);
        if (!ok)
            return fail(isUniqueViolation(insert.lastError()) ? BatchOutcome::Retry : BatchOutcome::Failed);
        for (const auto &[id, seq] : lastSeq) {
            c.run("UPDATE rooms SET last_seq = ? WHERE id = ?", {seq, id}, &ok);
            if (!ok)
                return fail(BatchOutcome::Failed);
        }
        c.run("UPDATE positions SET gpos = ? WHERE id = 1", {gpos}, &ok);
        if (!ok)
            return fail(BatchOutcome::Failed);
        // Transactional: the other nodes hear of these messages once they are committed, in commit order, with
        // the traced ones' contexts (a notice more per kMaxTraced of them).
        if (!m_options.notifyNode.isEmpty()) {
            for (const QByteArray &notice : MessagesNotice::encode(m_options.notifyNode, gpos - newRows + 1, gpos, traced)) {
                c.run("SELECT pg_notify(?, ?)", {QString::fromLatin1(kNotifyChannel), QString::fromLatin1(notice)}, &ok);
                if (!ok)
                    return fail(BatchOutcome::Failed);
            }
        }
    }
    if (!c.db.commit()) {
        qCWarning(lcStore) << "commit failed:" << c.db.lastError().text();
        c.checkConnection();
        return fail(BatchOutcome::Failed);
    }
    return BatchOutcome::Committed;
}

void PostgresStore::setReadMarker(qint64 roomId, const QString &user, qint64 seq, ReadMarkerCallback done)
{
    Q_ASSERT(m_group);
    // On the writer, after what was queued before: the loop never waits for the disk or a lock.
    m_group->after<StoreResult<qint64>>(
        [this, roomId, user, seq] {
            return SqlReadMarkers::raise(w->db, SqlReadMarkers::Dialect::Postgres, roomId, user, seq, nowMs());
        },
        std::move(done));
}

StoreResult<QHash<qint64, qint64>> PostgresStore::readMarkers(const QString &user)
{
    return SqlReadMarkers::of(d->db, user);
}

void PostgresStore::amend(const AmendRequest &r, AppendCallback done)
{
    Q_ASSERT(m_group);
    // On the writer, after what was queued before (those messages take their seqs first, the memberships
    // commit with them), in a transaction of its own; `done` runs on the loop, in order with the appends'.
    m_group->after<StoreResult<AppendResult>>([this, r] { return amendOn(*w, r); }, std::move(done));
}

StoreResult<AppendResult> PostgresStore::amendOn(Private &c, const AmendRequest &r)
{
    using Protocol::MessageKind;
    const QString senderKey = Names::canonical(r.sender);
    const bool reaction = r.kind == MessageKind::React || r.kind == MessageKind::Unreact;
    const QString text = r.kind == MessageKind::Edit || reaction ? r.text : u""_s;
    const qint64 ts = nowMs();
    const Error internal{ErrorCode::Internal, u"the change could not be stored; retry"_s};
    c.ensureConnected();
    if (!c.db.transaction()) {
        c.checkConnection();
        return internal;
    }
    // A refusal or a failure: nothing was written, roll back (and let go of the locks).
    auto finish = [&c](const StoreResult<AppendResult> &result) {
        c.db.rollback();
        return result;
    };
    bool ok = false;
    // The same locks in the same order as a batch of messages: the global position, then the room.
    QSqlQuery position = c.run("SELECT gpos FROM positions WHERE id = 1 FOR UPDATE", {}, &ok);
    if (!ok || !position.next())
        return finish(internal);
    const qint64 gpos = position.value(0).toLongLong() + 1;
    QSqlQuery room = c.run("SELECT last_seq FROM rooms WHERE id = ? FOR UPDATE", {r.room.id}, &ok);
    if (!ok || !room.next())
        return finish(internal);
    const qint64 seq = room.value(0).toLongLong() + 1;
    QSqlQuery known = c.run("SELECT r.name, " MESSAGE_COLUMNS " FROM messages m JOIN rooms r ON r.id = m.room_id"
                             " WHERE m.sender_key = ? AND m.client_msg_id = ?",
                             {senderKey, r.clientMsgId}, &ok);
    if (!ok)
        return finish(internal);
    if (known.next())
        return finish(AppendResult{messageFrom(known, known.value(0).toString(), 1), true, 0});
    QString deletedBy; // a moderator's deletion names the moderator
    if (reaction) {
        if (auto refusal = SqlReactions::refusal(c.db, r, &ok))
            return finish(*refusal);
        if (!ok)
            return finish(internal);
    } else {
        QSqlQuery target = c.run("SELECT sender_key, kind, deleted FROM messages WHERE room_id = ? AND seq = ?",
                                  {r.room.id, r.target}, &ok);
        if (!ok)
            return finish(internal);
        if (!target.next())
            return finish(Error{ErrorCode::NotFound, QStringLiteral("%1 has no message %2").arg(r.room.name).arg(r.target)});
        if (target.value(1).toInt() != int(MessageKind::Text))
            return finish(Error{ErrorCode::BadRequest, QStringLiteral("%1 is an edit or a deletion, not a message").arg(r.target)});
        // A moderator of the room may delete (never edit) anyone's message; the handler checked the role.
        const bool moderated = r.asModerator && r.kind == MessageKind::Delete;
        if (target.value(0).toString() != senderKey && !moderated)
            return finish(Error{ErrorCode::Forbidden, u"only its sender may edit or delete a message"_s});
        if (target.value(0).toString() != senderKey && r.protectedSenders.contains(target.value(0).toString()))
            return finish(Error{ErrorCode::Forbidden, u"a moderator cannot delete the messages of the owner or of another moderator"_s});
        if (target.value(0).toString() != senderKey)
            deletedBy = r.sender;
        if (target.value(2).toBool())
            return finish(Error{ErrorCode::NotFound, QStringLiteral("message %1 was deleted").arg(r.target)});
    }

    c.run("INSERT INTO messages (room_id, seq, gpos, sender, sender_key, client_msg_id, text, ts, kind, target)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
           {r.room.id, seq, gpos, r.sender, senderKey, r.clientMsgId, text, ts, int(r.kind), r.target}, &ok);
    if (ok && reaction) {
        ok = SqlReactions::write(c.db, r, seq, ts);
    } else if (ok && r.kind == MessageKind::Edit) {
        c.run("UPDATE messages SET text = ?, edited_at = ?, edit_seq = ? WHERE room_id = ? AND seq = ?",
               {text, ts, seq, r.room.id, r.target}, &ok);
    } else if (ok) {
        c.run("UPDATE messages SET text = '', file = '', deleted = TRUE, edit_seq = ?, deleted_by = ?"
              " WHERE room_id = ? AND seq = ?",
               {seq, notNull(deletedBy), r.room.id, r.target}, &ok);
        if (ok) // its file goes with it, bytes and all
            ok = SqlFiles::forget(c.db, r.room.id, r.target).has_value();
        if (ok) // the earlier edits held its text too
            c.run("UPDATE messages SET text = '' WHERE room_id = ? AND target = ? AND kind = 1", {r.room.id, r.target}, &ok);
        if (ok)
            ok = SqlReactions::clear(c.db, r.room.id, r.target);
    }
    if (ok)
        c.run("UPDATE rooms SET last_seq = ? WHERE id = ?", {seq, r.room.id}, &ok);
    if (ok)
        c.run("UPDATE positions SET gpos = ? WHERE id = 1", {gpos}, &ok);
    // The other nodes hear of it as of any message: it has a position, and their delivery reads it from there.
    if (ok && !m_options.notifyNode.isEmpty()) {
        const QString notice = QStringLiteral("m|%1|%2|%3").arg(m_options.notifyNode).arg(gpos).arg(gpos);
        c.run("SELECT pg_notify(?, ?)", {QString::fromLatin1(kNotifyChannel), notice}, &ok);
    }
    if (!ok)
        return finish(internal);
    if (!c.db.commit()) {
        qCWarning(lcStore) << "commit failed:" << c.db.lastError().text();
        c.checkConnection();
        return finish(internal);
    }
    ChatMessage entry{r.room.name, seq, r.sender, text, r.clientMsgId, ts};
    entry.kind = r.kind;
    entry.target = r.target;
    return AppendResult{entry, false, gpos};
}

void PostgresStore::notify(const QByteArray &payload)
{
    // NOTIFY payloads are limited to 8000 bytes; facts are far smaller (message bodies never travel this way).
    if (payload.size() >= 8000) {
        qCWarning(lcStore) << "a notice of" << payload.size() << "bytes is too large for NOTIFY; dropped";
        return;
    }
    // In the next batch's transaction, after the writes asked for before it: the notice follows the
    // memberships it is about and the messages committed before, and goes once they are committed.
    Q_ASSERT(m_group);
    m_group->notice(payload);
}

qint64 PostgresStore::lastPosition()
{
    QSqlQuery q = reading().run("SELECT gpos FROM positions WHERE id = 1", {});
    return q.next() ? q.value(0).toLongLong() : 0;
}

std::optional<QList<PositionedMessage>> PostgresStore::messagesAfter(qint64 position, int limit)
{
    QList<PositionedMessage> found;
    bool ok = false;
    QSqlQuery q = reading().run(SqlReads::kMessagesAfterSql, {position, limit}, &ok);
    if (!ok)
        return std::nullopt;
    while (q.next())
        found.append(SqlReads::positionedFrom(q));
    return found;
}

namespace {
/// On the reader thread: a read that failed is read once more on a fresh connection (the server may have
/// restarted since the last read; a second failure is the caller's to retry later).
template<typename Read>
auto readReconnecting(QSqlDatabase &db, const Read &read)
{
    auto result = read(db);
    if (std::holds_alternative<Error>(result)) {
        db.close();
        if (db.open())
            result = read(db);
    }
    return result;
}
} // namespace

StoreResult<SearchSlice> PostgresStore::search(const SearchRequest &request)
{
    return SqlReads::search(d->db, request, SqlReads::SearchDialect::Postgres);
}

void PostgresStore::readSearch(const SearchRequest &request, QObject *context, SearchCallback done)
{
    if (!m_reader)
        return Store::readSearch(request, context, std::move(done));
    m_reader->run<StoreResult<SearchSlice>>(
        [request](QSqlDatabase &db) {
            return readReconnecting(db, [&](QSqlDatabase &c) { return SqlReads::search(c, request, SqlReads::SearchDialect::Postgres); });
        },
        context, std::move(done));
}

void PostgresStore::readReadMarkers(const QString &user, QObject *context, ReadMarkersCallback done)
{
    if (!m_reader)
        return Store::readReadMarkers(user, context, std::move(done));
    m_reader->run<StoreResult<QHash<qint64, qint64>>>(
        [user](QSqlDatabase &db) {
            return readReconnecting(db, [&](QSqlDatabase &c) { return SqlReadMarkers::of(c, user); });
        },
        context, std::move(done));
}

void PostgresStore::readHistory(const RoomRecord &room, std::optional<qint64> before, std::optional<qint64> after,
                                int limit, QObject *context, HistoryCallback done)
{
    if (!m_reader)
        return Store::readHistory(room, before, after, limit, context, std::move(done));
    m_reader->run<StoreResult<HistorySlice>>(
        [room, before, after, limit](QSqlDatabase &db) {
            return readReconnecting(db, [&](QSqlDatabase &c) { return SqlReads::history(c, room, before, after, limit); });
        },
        context, std::move(done));
}

void PostgresStore::readMessagesAfter(qint64 position, int limit, QObject *context, MessagesAfterCallback done)
{
    if (!m_reader)
        return Store::readMessagesAfter(position, limit, context, std::move(done));
    using Read = std::optional<QList<PositionedMessage>>;
    m_reader->run<Read>(
        [position, limit](QSqlDatabase &db) {
            Read found = SqlReads::messagesAfter(db, position, limit);
            if (!found) {
                db.close();
                if (db.open())
                    found = SqlReads::messagesAfter(db, position, limit);
            }
            return found;
        },
        context, std::move(done));
}

void PostgresStore::readSeqsAtPosition(qint64 position, const QList<qint64> &roomIds, QObject *context,
                                       SeqsCallback done)
{
    if (!m_reader)
        return Store::readSeqsAtPosition(position, roomIds, context, std::move(done));
    using Read = std::optional<QHash<qint64, qint64>>;
    m_reader->run<Read>(
        [position, roomIds](QSqlDatabase &db) {
            Read seqs = SqlReads::seqsAtPosition(db, position, roomIds);
            // Once more on a fresh connection (the server may have restarted). nullopt is also an offset never
            // given, read twice then: rare, and cheap.
            if (!seqs) {
                db.close();
                if (db.open())
                    seqs = SqlReads::seqsAtPosition(db, position, roomIds);
            }
            return seqs;
        },
        context, std::move(done));
}

std::optional<QHash<qint64, qint64>> PostgresStore::seqsAtPosition(qint64 position, const QList<qint64> &roomIds)
{
    QHash<qint64, qint64> seqs;
    if (roomIds.isEmpty())
        return seqs;
    QStringList ids; // integers from our own records: safe to list in the statement
    for (const qint64 id : roomIds)
        ids.append(QString::number(id));
    // Per room, walk its (room_id, seq) index down from the newest message to the first at or below the
    // position: as long as what the client missed, not the room's whole history.
    bool ok = false;
    QSqlQuery q = reading().run(QStringLiteral("SELECT r.id, (SELECT m.seq FROM messages m WHERE m.room_id = r.id AND m.gpos <= ?"
                                        " ORDER BY m.seq DESC LIMIT 1) FROM rooms r WHERE r.id IN (%1)")
                             .arg(ids.join(u',')),
                         {position}, &ok);
    if (!ok)
        return std::nullopt;
    while (q.next())
        seqs.insert(q.value(0).toLongLong(), q.value(1).isNull() ? 0 : q.value(1).toLongLong());
    return seqs;
}

QList<ChatMessage> PostgresStore::history(const RoomRecord &room, std::optional<qint64> before,
                                          std::optional<qint64> after, int limit, bool *hasMore)
{
    QSqlQuery q;
    if (after) {
        q = reading().run("SELECT " MESSAGE_COLUMNS " FROM messages m WHERE m.room_id = ? AND m.seq > ?"
                   " ORDER BY m.seq ASC LIMIT ?",
                   {room.id, *after, limit + 1});
    } else {
        q = reading().run("SELECT " MESSAGE_COLUMNS " FROM messages m WHERE m.room_id = ? AND m.seq < ?"
                   " ORDER BY m.seq DESC LIMIT ?",
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

int PostgresStore::unsentFiles(const QString &uploader)
{
    return SqlFiles::unsentCount(reading().db, uploader);
}

// ---- profiles (issue 12) ----

bool PostgresStore::setDisplayName(const QString &user, const QString &displayName)
{
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        const QSqlQuery &q = c.run(SqlAccounts::kSetDisplayName,
                                     {displayName.isEmpty() ? QString() : displayName, Names::canonical(user)}, &ok);
        return ok && q.numRowsAffected() == 1;
    });
}

QHash<QString, QString> PostgresStore::displayNames()
{
    QHash<QString, QString> names;
    QSqlQuery q = reading().run(SqlAccounts::kDisplayNames, {});
    while (q.next())
        names.insert(q.value(0).toString(), q.value(1).toString());
    return names;
}

// ---- avatar pictures (issue 12) ----

bool PostgresStore::setAvatar(const QString &user, const AvatarRecord &avatar)
{
    const QString key = Names::canonical(user);
    return writeNow<bool>([&](Private &c) -> bool {
        bool ok = false;
        const QSqlQuery &q = c.run(SqlAccounts::kSetAvatar,
                                     {key, avatar.version, avatar.type, avatar.bytes, avatar.updatedAt, key}, &ok);
        return ok && q.numRowsAffected() == 1;
    });
}

StoreResult<bool> PostgresStore::removeAvatar(const QString &user)
{
    return writeNow<StoreResult<bool>>([&](Private &c) -> StoreResult<bool> {
        bool ok = false;
        const QSqlQuery &q = c.run(SqlAccounts::kRemoveAvatar, {Names::canonical(user)}, &ok);
        if (!ok)
            return Error{ErrorCode::Internal, u"the picture could not be removed; retry"_s};
        return q.numRowsAffected() > 0;
    });
}

std::optional<AvatarRecord> PostgresStore::avatar(const QString &user)
{
    QSqlQuery q = reading().run(SqlAccounts::kAvatar, {Names::canonical(user)});
    if (!q.next())
        return std::nullopt;
    return AvatarRecord{q.value(0).toString(), q.value(1).toString(), q.value(2).toByteArray(), q.value(3).toLongLong()};
}

QHash<QString, QString> PostgresStore::avatarVersions()
{
    QHash<QString, QString> versions;
    QSqlQuery q = reading().run(SqlAccounts::kAvatarVersions, {});
    while (q.next())
        versions.insert(q.value(0).toString(), q.value(1).toString());
    return versions;
}

} // namespace Tertulia
