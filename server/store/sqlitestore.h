#pragma once

#include "server/store/store.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <memory>

namespace Tertulia {

/// The Store on SQLite through QtSql, in WAL mode. Appends are grouped: everything queued during one pass
/// of the event loop is committed in one transaction, then every callback runs (each ack after its
/// commit). `synchronous=NORMAL` survives a killed process; FULL (configurable) also a power loss.
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
    };

    explicit SqliteStore(const Options &options, QObject *parent = nullptr);
    ~SqliteStore() override;

    bool open(QString *errorMessage) override;
    void close() override;

    std::optional<UserRecord> findUser(const QString &name) override;
    StoreResult<UserRecord> createUser(const UserRecord &user) override;
    int userCount() override;

    bool createLogin(const LoginRecord &login) override;
    std::optional<LoginRecord> findLogin(const QString &id) override;
    bool rotateLogin(const QString &id, const QString &expectedTokenId, const QString &newTokenId,
                     qint64 newExpiresAt) override;
    bool revokeLogin(const QString &id) override;
    QList<QString> revokedLogins(qint64 now) override;

    QList<RoomRecord> rooms() override;
    std::optional<RoomRecord> findRoom(const QString &name) override;
    StoreResult<RoomRecord> createRoom(const RoomRecord &room) override;
    QList<QString> members(qint64 roomId) override;
    bool addMember(qint64 roomId, const QString &user) override;
    bool removeMember(qint64 roomId, const QString &user) override;
    bool addInvite(qint64 roomId, const QString &user, const QString &by) override;
    bool hasInvite(qint64 roomId, const QString &user) override;
    QList<qint64> invitedRooms(const QString &user) override;

    void append(const AppendRequest &request, AppendCallback done) override;
    void flush() override;
    QList<Protocol::ChatMessage> history(const RoomRecord &room, std::optional<qint64> before,
                                         std::optional<qint64> after, int limit, bool *hasMore) override;

    /// Number of transactions committed by flush() so far (for metrics and tests of group commit).
    quint64 commitCount() const { return m_commits; }

private:
    struct Pending
    {
        AppendRequest request;
        AppendCallback done;
    };
    struct Private;

    void commitBatch(QList<Pending> batch);

    Options m_options;
    QString m_connectionName;
    std::unique_ptr<Private> d;
    QList<Pending> m_queue;
    QHash<qint64, qint64> m_lastSeq;   ///< room id -> last committed seq (single writer: this process)
    QTimer m_flushTimer;
    quint64 m_commits = 0;
};

} // namespace Tertulia
