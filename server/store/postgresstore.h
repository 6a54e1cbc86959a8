#pragma once

#include "server/store/migrations.h"
#include "server/store/store.h"
#include "server/store/storereader.h"
#include "server/store/storewriter.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

#include <atomic>
#include <functional>
#include <memory>

class QSqlDatabase;

namespace Tertulia {

class GroupCommit;
struct BatchAnswer;
struct WriteBatch;

/// Where a PostgreSQL database is, from a libpq-style URL:
///   postgresql://user:password@host:5432/dbname?application_name=x&sslmode=require
///   postgresql:///dbname?host=/run/postgresql&port=5433      (a Unix socket directory)
struct PostgresAddress
{
    QString host;              ///< a name, an address, or a socket directory (starts with '/')
    int port = 5432;
    QString database;
    QString user;
    QString password;
    QString options;           ///< further libpq keywords, "key=value;key=value" as QPSQL takes them

    /// nullopt with `errorMessage` when the URL is not a postgres:// or postgresql:// URL with a database.
    static std::optional<PostgresAddress> fromUrl(const QString &url, QString *errorMessage);
    /// The URL again, without the password (for logs).
    QString displayUrl() const;
    /// Points a QPSQL connection at this address (before open()).
    void applyTo(QSqlDatabase &db) const;
};

/// The Store on PostgreSQL through QtSql's QPSQL driver, for several nodes sharing one database
/// (docs/scaling.md). The same contract as SqliteStore, with the differences several writers need:
///
/// - Every write runs on a second connection on a thread of its own (StoreWriter), as in SQLite: a commit
///   that waits for another node's lock, the disk or a restarting server never stalls the event loop.
///   Synchronous point reads stay on the loop's connection (they see what is committed).
/// - Appends are grouped per pass of the event loop into one transaction, as in SQLite. Sequence numbers come
///   from the database, never from a cache: the transaction locks the global position row first (so batches of
///   all nodes commit one after the other, and the global position `gpos` of every message follows commit
///   order), then the rooms it writes in ascending id order, reads their last_seq, finds retries already
///   stored (by any node) and numbers the rest. A retry that raced another node's copy of the same message
///   makes the batch roll back and run again, so a seq is never skipped.
/// - Memberships and notify()'s notices join the next batch's transaction, in the order asked for, as in
///   SQLite (whenCommitted()); a batch that retries writes them again.
/// - A statement that finds its connection gone marks it lost; the next one reconnects first (on each
///   connection: the loop's, the writer's; the reader reads once more on a fresh one).
/// - Migrations run under an advisory lock, so nodes that start together migrate once.
/// - readHistory(), readMessagesAfter() and readSeqsAtPosition() run on a second connection on a thread of
///   its own (StoreReader), which reconnects once and reads again when a read fails (the server restarted).
///
/// Lives on one thread: the QSqlDatabase connection belongs to the thread that opened it.
class PostgresStore final : public QObject, public Store
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PostgresStore)

public:
    struct Options
    {
        PostgresAddress address;
        int maxBatch = 512;            ///< appends per transaction at most
        /// This node's id: when set, every committed batch of messages tells the listening nodes
        /// (`NOTIFY tertulia, 'm|<node>|<first position>|<last position>'`, in the same transaction), with
        /// the traced messages' contexts (AppendRequest::trace; MessagesNotice).
        QString notifyNode;
        /// readHistory(), readMessagesAfter() and readSeqsAtPosition() on a second connection on a thread of
        /// its own (StoreReader); false: on the loop, as history() and messagesAfter() (the benchmark's
        /// "before").
        bool readThread = true;
        /// Writes on a second connection on a thread of its own (StoreWriter); false: on the loop's
        /// connection and thread (the benchmark's "before").
        bool writeThread = true;

        static Options at(const PostgresAddress &address, int maxBatch = 512)
        {
            Options options;
            options.address = address;
            options.maxBatch = maxBatch;
            return options;
        }
    };
    /// The channel of every notice (committed messages, facts of PgNotifyBus).
    static constexpr char kNotifyChannel[] = "tertulia";

    explicit PostgresStore(const Options &options, QObject *parent = nullptr);
    ~PostgresStore() override;

    /// The schema's numbered steps (migrations.h), for tests that build a database of an older version.
    static std::span<const Migration> migrations();

    bool open(QString *errorMessage) override;
    void close() override;

    std::optional<UserRecord> findUser(const QString &name) override;
    StoreResult<UserRecord> createUser(const UserRecord &user) override;
    int userCount() override;
    bool setPasswordHash(const QString &user, const QByteArray &passwordHash) override;
    StoreResult<bool> setAdmin(const QString &user, bool admin) override;
    StoreResult<bool> setDisabled(const QString &user, bool disabled) override;
    bool deleteUser(const QString &user, qint64 deletedAt) override;

    bool createLogin(const LoginRecord &login) override;
    std::optional<LoginRecord> findLogin(const QString &id) override;
    bool rotateLogin(const QString &id, const QString &expectedTokenId, const QString &newTokenId,
                     qint64 newExpiresAt) override;
    bool revokeLogin(const QString &id) override;
    QList<LoginRecord> liveLogins(qint64 now) override;
    QList<LoginRecord> loginsOf(const QString &user, qint64 now) override;
    bool touchLogin(const QString &id, qint64 lastUsedAt) override;
    StoreResult<QList<QString>> revokeLoginsOf(const QString &user, const QString &exceptId) override;

    QList<RoomRecord> rooms() override;
    std::optional<RoomRecord> findRoom(const QString &name) override;
    StoreResult<RoomRecord> createRoom(const RoomRecord &room) override;
    QList<QString> members(qint64 roomId) override;
    bool addMember(qint64 roomId, const QString &user) override;
    bool removeMember(qint64 roomId, const QString &user) override;
    bool addInvite(qint64 roomId, const QString &user, const QString &by) override;
    bool hasInvite(qint64 roomId, const QString &user) override;
    bool removeInvite(qint64 roomId, const QString &user) override;
    QList<qint64> invitedRooms(const QString &user) override;
    StoreResult<DirectRoom> openDirect(const QString &user, const QString &other, qint64 now) override;
    std::optional<RoomRecord> updateRoom(qint64 roomId, const RoomChange &change) override;
    bool deleteRoom(qint64 roomId, qint64 deletedAt, bool keepHistory) override;

    QList<RoomRoleRecord> roomRoles(qint64 roomId) override;
    bool setRoomRole(qint64 roomId, const QString &user, RoomRole role) override;
    bool transferOwnership(qint64 roomId, const QString &from, const QString &to) override;
    QList<SanctionRecord> sanctions(qint64 roomId) override;
    bool setSanction(const SanctionRecord &sanction) override;
    bool removeSanction(qint64 roomId, const QString &user, SanctionKind kind) override;
    bool appendAudit(const AuditRecord &record) override;
    QList<AuditRecord> auditLog(qint64 beforeId, int limit) override;
    bool putNodeSnapshot(const NodeSnapshot &snapshot) override;
    QList<NodeSnapshot> takeNodeSnapshots(const QString &request, qint64 staleBefore) override;
    QList<UserRecord> users(const QString &afterKey, int limit) override;
    bool setDisplayName(const QString &user, const QString &displayName) override;
    QHash<QString, QString> displayNames() override;
    bool setAvatar(const QString &user, const AvatarRecord &avatar) override;
    StoreResult<bool> removeAvatar(const QString &user) override;
    std::optional<AvatarRecord> avatar(const QString &user) override;
    QHash<QString, QString> avatarVersions() override;

    void append(const AppendRequest &request, AppendCallback done) override;
    void amend(const AmendRequest &request, AppendCallback done) override;
    void setReadMarker(qint64 roomId, const QString &user, qint64 seq, ReadMarkerCallback done) override;
    StoreResult<QHash<qint64, qint64>> readMarkers(const QString &user) override;
    void readReadMarkers(const QString &user, QObject *context, ReadMarkersCallback done) override;
    void flush() override;
    void whenCommitted(std::function<void(bool committed)> done) override;
    QList<Protocol::ChatMessage> history(const RoomRecord &room, std::optional<qint64> before,
                                         std::optional<qint64> after, int limit, bool *hasMore) override;

    /// Group-commit transactions so far (metrics, tests of group commit).
    void runJob(std::function<void()> job, QObject *context, std::function<void()> answer) override;

    StoreResult<FileRecord> storeFile(const FileRecord &file, const QByteArray &bytes) override;
    std::optional<FileRecord> findFile(const QString &id) override;
    std::optional<QByteArray> fileBytes(const QString &id) override;
    int unsentFiles(const QString &uploader) override;
    quint64 commitCount() const override;

    void notify(const QByteArray &payload) override;
    qint64 lastPosition() override;
    std::optional<QList<PositionedMessage>> messagesAfter(qint64 position, int limit) override;
    std::optional<QHash<qint64, qint64>> seqsAtPosition(qint64 position, const QList<qint64> &roomIds) override;
    void readSeqsAtPosition(qint64 position, const QList<qint64> &roomIds, QObject *context,
                            SeqsCallback done) override;
    StoreResult<SearchSlice> search(const SearchRequest &request) override;
    void readSearch(const SearchRequest &request, QObject *context, SearchCallback done) override;
    void readHistory(const RoomRecord &room, std::optional<qint64> before, std::optional<qint64> after, int limit,
                     QObject *context, HistoryCallback done) override;
    void readMessagesAfter(qint64 position, int limit, QObject *context, MessagesAfterCallback done) override;
    /// Batches that rolled back and ran again because another node stored a retry of one of their messages.
    quint64 retriedBatches() const { return m_retriedBatches; }

private:
    struct Private;
    enum class BatchOutcome { Committed, Retry, Failed };

    /// On the writer: one batch in one transaction, run again when it raced another node's retry.
    BatchAnswer commitBatch(Private &c, const WriteBatch &batch);
    /// One attempt at the batch's transaction.
    BatchOutcome tryBatch(Private &c, const WriteBatch &batch, QList<StoreResult<AppendResult>> &results);
    /// On the writer: an edit or a deletion in a transaction of its own.
    StoreResult<AppendResult> amendOn(Private &c, const AmendRequest &r);
    /// A write that must be durable when it returns: runs `work` on the writer after everything asked for
    /// before, and waits for it.
    template<typename Result>
    Result writeNow(const std::function<Result(Private &)> &work);
    /// writeNow() of several writes that must be durable together: `work` runs in a transaction of its own,
    /// committed when it returns true and rolled back otherwise.
    bool inTransaction(const std::function<bool(Private &)> &work);

    /// The connection a point read uses: the writer's inside a job of async() (on its thread; it sees the
    /// writes asked for before), the loop's otherwise.
    Private &reading();

    Options m_options;
    QString m_connectionName;
    std::unique_ptr<Private> d;                  ///< the loop's connection
    std::unique_ptr<Private> m_writeConnection;  ///< the writer's, used only on its thread (threaded)
    Private *w = nullptr;                        ///< the connection that writes: m_writeConnection or d
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<GroupCommit> m_group;
    std::atomic<quint64> m_retriedBatches{0};    ///< counted on the writer
    std::unique_ptr<StoreReader> m_reader;
};

} // namespace Tertulia
