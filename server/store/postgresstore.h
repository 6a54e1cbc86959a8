#pragma once

#include "server/store/migrations.h"
#include "server/store/sharedtransaction.h"
#include "server/store/store.h"
#include "server/store/storereader.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <functional>
#include <memory>

class QSqlDatabase;

namespace Tertulia {

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
};

/// The Store on PostgreSQL through QtSql's QPSQL driver, for several nodes sharing one database
/// (docs/scaling.md). The same contract as SqliteStore, with the differences several writers need:
///
/// - Appends are grouped per pass of the event loop into one transaction, as in SQLite. Sequence numbers come
///   from the database, never from a cache: the transaction locks the global position row first (so batches of
///   all nodes commit one after the other, and the global position `gpos` of every message follows commit
///   order), then the rooms it writes in ascending id order, reads their last_seq, finds retries already
///   stored (by any node) and numbers the rest. A retry that raced another node's copy of the same message
///   makes the batch roll back and run again, so a seq is never skipped.
/// - Memberships share an open transaction until the next flush, as in SQLite (whenCommitted()).
/// - Migrations run under an advisory lock, so nodes that start together migrate once.
/// - readHistory() and readMessagesAfter() run on a second connection on a thread of its own (StoreReader),
///   which reconnects once and reads again when a read fails (the server restarted).
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
        /// (`NOTIFY tertulia, 'm|<node>|<first position>|<last position>'`, in the same transaction).
        QString notifyNode;
        /// readHistory() and readMessagesAfter() on a second connection on a thread of its own
        /// (StoreReader); false: on the loop, as history() and messagesAfter() (the benchmark's "before").
        bool readThread = true;

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

    void append(const AppendRequest &request, AppendCallback done) override;
    void amend(const AmendRequest &request, AppendCallback done) override;
    void flush() override;
    void whenCommitted(std::function<void(bool committed)> done) override;
    QList<Protocol::ChatMessage> history(const RoomRecord &room, std::optional<qint64> before,
                                         std::optional<qint64> after, int limit, bool *hasMore) override;

    /// Transactions committed by flush() so far (metrics, tests of group commit).
    quint64 commitCount() const override { return m_commits; }

    void notify(const QByteArray &payload) override;
    qint64 lastPosition() override;
    std::optional<QList<PositionedMessage>> messagesAfter(qint64 position, int limit) override;
    std::optional<QHash<qint64, qint64>> seqsAtPosition(qint64 position, const QList<qint64> &roomIds) override;
    void readHistory(const RoomRecord &room, std::optional<qint64> before, std::optional<qint64> after, int limit,
                     QObject *context, HistoryCallback done) override;
    void readMessagesAfter(qint64 position, int limit, QObject *context, MessagesAfterCallback done) override;
    /// Batches that rolled back and ran again because another node stored a retry of one of their messages.
    quint64 retriedBatches() const { return m_retriedBatches; }

private:
    struct Pending
    {
        AppendRequest request;
        AppendCallback done;
    };
    struct Private;
    enum class BatchOutcome { Committed, Retry, Failed };

    void commitBatch(QList<Pending> batch);
    /// One attempt at the batch's transaction (`inTransaction`: continue the open shared one).
    BatchOutcome tryBatch(const QList<Pending> &batch, QList<AppendResult> &results, bool inTransaction);
    bool beginShared();
    /// A write that must be durable when it returns commits the shared transaction first.
    void commitShared(bool settleNow);
    /// Several writes that must be durable together: commits the shared transaction, then runs `work` in a
    /// transaction of its own, committed when it returns true and rolled back otherwise.
    bool inTransaction(const std::function<bool()> &work);

    Options m_options;
    QString m_connectionName;
    std::unique_ptr<Private> d;
    QList<Pending> m_queue;
    QTimer m_flushTimer;
    quint64 m_commits = 0;
    quint64 m_retriedBatches = 0;
    SharedTransaction m_shared{*this};   ///< memberships wait in an open transaction
    std::unique_ptr<StoreReader> m_reader;
};

} // namespace Tertulia
