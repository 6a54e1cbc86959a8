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

class QSqlQuery;

namespace Tertulia {

/// The Store on SQLite through QtSql, in WAL mode. Appends are grouped: everything queued during one pass
/// of the event loop is committed in one transaction, then every callback runs (each ack after its
/// commit). Memberships (addMember) join that transaction too: a connect storm made one commit per join
/// (~6 lock calls and 2-3 writes each); whenCommitted() tells when they are safe to acknowledge. Every
/// other write commits what is open first and then runs on its own, durable when it returns.
/// `synchronous=NORMAL` survives a killed process; FULL (configurable) also a power loss.
/// readHistory() runs on a second, read-only connection on a thread of its own (StoreReader): in WAL mode a
/// reader sees the last commit and neither waits for the writer nor holds it back.
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
    };

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
    void readHistory(const RoomRecord &room, std::optional<qint64> before, std::optional<qint64> after, int limit,
                     QObject *context, HistoryCallback done) override;

    /// Number of transactions committed by flush() so far (for metrics and tests of group commit).
    quint64 commitCount() const override { return m_commits; }

private:
    struct Pending
    {
        AppendRequest request;
        AppendCallback done;
    };
    struct Private;

    void commitBatch(QList<Pending> batch);
    /// Opens the transaction that memberships share until the next flush.
    bool beginShared();
    /// A write that must be durable when it returns: commits the shared transaction first.
    QSqlQuery &writeNow(const char *sql, const QVariantList &values, bool *ok = nullptr);
    /// Several writes that must be durable together: commits the shared transaction, then runs `work` in a
    /// transaction of its own, committed when it returns true and rolled back otherwise.
    bool inTransaction(const std::function<bool()> &work);

    Options m_options;
    QString m_connectionName;
    std::unique_ptr<Private> d;
    QList<Pending> m_queue;
    QHash<qint64, qint64> m_lastSeq;   ///< room id -> last committed seq (single writer: this process)
    QTimer m_flushTimer;
    quint64 m_commits = 0;
    SharedTransaction m_shared{*this};                         ///< memberships wait in an open transaction
    std::unique_ptr<StoreReader> m_reader;                     ///< WAL lets it read beside the writer
};

} // namespace Tertulia
