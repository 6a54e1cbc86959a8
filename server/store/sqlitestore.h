#pragma once

#include "server/store/migrations.h"
#include "server/store/store.h"
#include "server/store/storereader.h"
#include "server/store/storewriter.h"

#include <QtCore/QObject>

#include <functional>
#include <memory>

class QSqlQuery;

namespace Tertulia {

class GroupCommit;
struct BatchAnswer;
struct WriteBatch;

/// The Store on SQLite through QtSql, in WAL mode, with three connections to the file:
/// - The writer's, on a thread of its own (StoreWriter): every write runs there, one after the other, so a
///   commit that waits for the disk (fsync) never stalls the event loop. Appends are grouped (GroupCommit):
///   everything queued during one pass of the event loop is handed to the writer as one batch and committed
///   in one transaction; the answer comes back to the loop, where every callback runs (each ack after its
///   commit). While a batch commits the next one gathers. Memberships (addMember) join the batch: a connect
///   storm made one commit per join (~6 lock calls and 2-3 writes each); whenCommitted() tells when they are
///   safe to acknowledge. Every other write is synchronous: it queues behind what was asked for before
///   (the same FIFO, so a membership queued before a removeMember() is written before it) and the loop
///   waits for it, durable when it returns. Those are rare (sign-in, accounts, rooms, invitations): the
///   price is that such a write also waits for the batch in flight.
/// - The loop's: the synchronous point reads (read-only; in WAL mode it sees the last commit and never
///   waits for the writer). What is queued and not committed yet is not seen.
/// - readHistory()'s, read-only on a thread of its own (StoreReader).
/// One connection that writes, not two that take turns with busy_timeout: SQLite has one writer at a time
/// anyway, and one FIFO keeps the order of queued and synchronous writes without a lock to wait for.
/// `synchronous=NORMAL` survives a killed process; FULL (configurable) also a power loss (both per
/// connection: the writer's is configured as the loop's).
/// A database in memory exists only in the connection that made it: there (and with writeThread false) the
/// loop's connection does everything and the writer runs on the loop thread; answers still come from the
/// event loop, as with the thread.
/// Lives on one thread: the QSqlDatabase connection belongs to the thread that opened it.
class SqliteStore final : public QObject, public Store
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqliteStore)

public:
    struct Options
    {
        QString path;                  ///< database file
        bool fullSync = false;         ///< PRAGMA synchronous=FULL instead of NORMAL
        int maxBatch = 512;            ///< appends per transaction at most
        /// readHistory() on a reader connection and thread of its own (StoreReader); false: on the loop, as
        /// history() (the benchmark's "before", and a database in memory, which a second connection
        /// cannot see).
        bool readThread = true;
        /// Writes on a writer connection and thread of its own (StoreWriter); false: on the loop (the
        /// benchmark's "before"; a database in memory always).
        bool writeThread = true;
    };

    /// Messages wait in the search queue until this many are there, or a search comes (schema version 18):
    /// each indexing writes one FTS5 segment, so the fewer the cheaper, and a search indexes at most this many
    /// before it reads. 50 divides the benchmark's lockstep window of 100 messages, which therefore counts
    /// exactly its share of the indexing (docs/benchmarks.md).
    static constexpr qsizetype kSearchBatch = 50;

    explicit SqliteStore(const Options &options, QObject *parent = nullptr);
    ~SqliteStore() override;

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
    StoreResult<SearchSlice> search(const SearchRequest &request) override;
    void readSearch(const SearchRequest &request, QObject *context, SearchCallback done) override;
    void readHistory(const RoomRecord &room, std::optional<qint64> before, std::optional<qint64> after, int limit,
                     QObject *context, HistoryCallback done) override;

    void runJob(std::function<void()> job, QObject *context, std::function<void()> answer) override;

    StoreResult<FileRecord> storeFile(const FileRecord &file, const QByteArray &bytes) override;
    std::optional<FileRecord> findFile(const QString &id) override;
    std::optional<QByteArray> fileBytes(const QString &id) override;
    int unsentFiles(const QString &uploader) override;

    /// Number of group-commit transactions so far (for metrics and tests of group commit).
    quint64 commitCount() const override;

private:
    struct Private;

    /// On the writer: one batch in one transaction.
    BatchAnswer commitBatch(Private &c, const WriteBatch &batch);
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
    /// Files (issue 12): where an upload's bytes are (m_filesDir/<id>), and removing those of forgotten files.
    QString filePath(const QString &id) const;
    void removeFileBytes(const QStringList &ids) const;

    Options m_options;
    QString m_connectionName;
    QString m_filesDir;                          ///< <database's directory>/files; empty in memory (bytes in rows)
    std::unique_ptr<Private> d;                  ///< the loop's connection
    std::unique_ptr<Private> m_writeConnection;  ///< the writer's, used only on its thread (threaded)
    Private *w = nullptr;                        ///< the connection that writes: m_writeConnection or d
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<GroupCommit> m_group;
    std::unique_ptr<StoreReader> m_reader;       ///< WAL lets it read beside the writer
};

} // namespace Tertulia
