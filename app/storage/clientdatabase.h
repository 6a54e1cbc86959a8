#pragma once

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtCore/QVariantList>

class QThread;

#include <memory>
#include <optional>

namespace Tertulia {

/// The client's own small SQLite file in the profile's data directory: the outbox (messages not yet
/// acknowledged by the server, so they survive a restart), read markers (for unread counts
/// across restarts), drafts (what was typed in a room and not sent) and muted rooms. Rows are scoped by account
/// ("<server id>/<user>") so several accounts can share a profile. No secrets here: tokens live in the
/// CredentialStore.
///
/// Writes do not run on the calling (GUI) thread: they are queued to one writer thread shared by every
/// instance in the process, in the order they were asked for, and return at once (true: queued; an SQL
/// error is logged there). Reads wait for the queued writes first, so a read always sees every write
/// asked for before it, and closing a database waits for its writes to be on disk.
class ClientDatabase
{
public:
    struct OutboxRow
    {
        QString clientMsgId;
        QString room;
        QString text;
        qint64 createdMs = 0; ///< wall clock, ms since the epoch (UTC)
        bool failed = false;
        QString errorCode;    ///< protocol error code name when failed
        QString errorMessage;
        qint64 replyTo = 0;   ///< the seq of the message it replies to (0: none); schema 4
        /// Schema 5 (issue 12): a file to upload before the message goes. The copy kept under the data directory
        /// (Outbox removes it once the message is sent or discarded), its name and size; empty: none.
        QString uploadPath{};
        QString uploadName{};
        qint64 uploadSize = 0;
        QString file{};       ///< the uploaded file's description (Protocol::FileInfo as compact JSON); empty: none
        friend bool operator==(const OutboxRow &, const OutboxRow &) = default;
    };

    /// The schema this code writes (SQLite's user_version; 0 is a file from before versions were kept, which
    /// migrates to 1 with its rows). Numbered steps, only appended (clientdatabase.cpp).
    static constexpr int kSchemaVersion = 5;

    ~ClientDatabase();

    /// Opens (creating when needed) the file at path and migrates it to kSchemaVersion; null with *error on
    /// failure, and for a file from a newer Tertulia (left untouched: the error says so).
    static std::unique_ptr<ClientDatabase> open(const QString &path, QString *error = nullptr);

    QString path() const { return m_path; }
    /// The version recorded in the file (kSchemaVersion once open() succeeded).
    int schemaVersion() const;
    /// Waits until every write queued so far (by any instance) is done.
    void flush() const;
    /// The thread that writes (while a database is open), for diagnostics and tests.
    static QThread *writerThread();

    /// Rows of the account in the order they were added.
    QList<OutboxRow> outbox(const QString &account) const;
    bool addOutbox(const QString &account, const OutboxRow &row);
    /// Writes the row after every other row (replacing the account's row of that client message id, if any, in
    /// the same statement): an entry saved late keeps its place in the order the outbox holds.
    bool putOutboxLast(const QString &account, const OutboxRow &row);
    /// Updates the row's failure and file (what changes after it was added).
    bool updateOutbox(const QString &account, const OutboxRow &row);
    bool removeOutbox(const QString &account, const QString &clientMsgId);
    /// The copies of files the outbox rows of every account name (schema 5's upload_path).
    QSet<QString> uploadPaths() const;
    /// uploadPaths() read on a thread other than the one that opened the database (a job of a thread pool), on
    /// a connection of its own made and removed here; like every read it sees every write asked for before it.
    /// nullopt when the file cannot be read.
    std::optional<QSet<QString>> uploadPathsOnThisThread() const;

    QHash<QString, qint64> readMarkers(const QString &account) const;
    bool setReadMarker(const QString &account, const QString &room, qint64 seq);

    /// Unsent text per room (canonical name) of the account.
    QHash<QString, QString> drafts(const QString &account) const;
    /// Keeps the room's draft; an empty text removes it.
    bool setDraft(const QString &account, const QString &room, const QString &text);

    /// The rooms (canonical names) the account muted.
    QSet<QString> mutedRooms(const QString &account) const;
    bool setRoomMuted(const QString &account, const QString &room, bool muted);

private:
    ClientDatabase(QString connectionName, QString path);
    bool exec(const QString &statement) const;
    int userVersion() const;
    /// Queues one statement with its values to the writer thread.
    void write(QString statement, QVariantList values) const;

    QString m_connection;       ///< this thread's connection: reads, and the schema at open
    QString m_writerConnection; ///< the writer thread's connection to the same file
    QString m_path;
};

} // namespace Tertulia
