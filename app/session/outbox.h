#pragma once

#include "shared/protocol/errorcode.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QSet>

#include <functional>
#include <optional>

namespace Tertulia {

class ClientDatabase;

/// A file a message waits to upload before it goes (issue 12).
struct PendingUpload
{
    QString name;     ///< the file's name as shown and uploaded
    QString path;     ///< the copy kept under the data directory (survives a restart); empty: held in `data`
    qint64 size = 0;
    QByteArray data;  ///< the bytes, when there is no copy (no data directory, or over its bound): this run only
    friend bool operator==(const PendingUpload &, const PendingUpload &) = default;
};

/// One message on its way to the server.
struct OutboxEntry
{
    enum class State {
        Queued,  ///< waiting for a connection (or for its turn)
        Sending, ///< on the wire, no reply yet
        Sent,    ///< acknowledged with a seq; waiting to appear in the room's timeline
        Failed,  ///< refused by the server; the user retries or discards it
    };

    QString clientMsgId;
    QString room;
    QString text;
    QDateTime createdAt;
    State state = State::Queued;
    qint64 seq = 0;                      ///< once Sent
    std::optional<Protocol::Error> error; ///< once Failed
    int transientFailures = 0;           ///< rate-limited or internal errors in a row
    qint64 replyTo = 0;                  ///< the seq of the message of `room` it replies to; 0: none
    /// The file it carries (issue 12): to upload first (`upload`), then, once the server has it, its description
    /// (`file`), so a restart after the upload does not upload it again. The message goes only with `file` set.
    std::optional<PendingUpload> upload{};
    std::optional<Protocol::FileInfo> file{};

    bool isUnsent() const { return state != State::Sent; }
    /// Its file is not on the server yet: ChatFiles uploads it; until then the message waits (and so do the
    /// messages written after it in its room, to keep their order).
    bool awaitsUpload() const { return upload && !file; }
    friend bool operator==(const OutboxEntry &, const OutboxEntry &) = default;
};

/// Messages the server has not acknowledged yet, in the order they were written. Every message gets
/// a client message id when it enters; resends reuse it, so the server stores it once whatever
/// happens to the connection. Unacknowledged entries are written to the ClientDatabase at once and
/// come back after a restart; an acknowledged one leaves the file (the server has it) and leaves the
/// outbox when its message shows up in the room. A message with a file to upload is one entry from the
/// start (enqueueUpload()): the copy of the file it names is removed when it is sent or discarded.
class Outbox final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Outbox)

public:
    using IdGenerator = std::function<QString()>;

    explicit Outbox(QObject *parent = nullptr);
    ~Outbox() override;

    /// Deterministic ids for tests; the default is a random UUID.
    void setIdGenerator(IdGenerator generator) { m_newId = std::move(generator); }

    /// Loads the account's saved entries (replacing the current ones) and saves from now on.
    /// database may be null: then the outbox lives in memory only.
    void attach(ClientDatabase *database, const QString &account);
    /// Forgets the in-memory entries (signing out, switching accounts); saved ones stay saved.
    void detach();
    bool isPersistent() const { return m_database != nullptr; }
    /// The database it saves to (null: in memory only), until aboutToDetach().
    const ClientDatabase *database() const { return m_database; }

    /// Adds a message (a reply to `replyTo` when not 0); returns its client message id.
    QString enqueue(const QString &room, const QString &text, const QDateTime &createdAt, qint64 replyTo = 0,
                    const std::optional<Protocol::FileInfo> &file = std::nullopt);

    /// Adds a message that carries a file still to upload (issue 12), with `caption` as its text; its client
    /// message id. It is saved (and comes back after a restart) when the upload has a copy on disk.
    QString enqueueUpload(const QString &room, const QString &caption, const QDateTime &createdAt,
                          const PendingUpload &upload);
    /// The server has the entry's file: the message may go.
    bool setUploaded(const QString &clientMsgId, const Protocol::FileInfo &file);
    /// The entry's file, held in memory so far, has a complete copy at `path` now: the entry names it (the bytes
    /// leave memory) and is saved. False when there is no such entry still to send, or it names a copy already.
    bool keepUploadCopy(const QString &clientMsgId, const QString &path);
    /// The copies the saved entries of every account name (what a sweep of the copies keeps).
    QSet<QString> savedUploadPaths() const;

    bool markSending(const QString &clientMsgId);
    /// The server stored it under seq (a duplicate reply counts the same).
    bool markSent(const QString &clientMsgId, qint64 seq);
    bool markFailed(const QString &clientMsgId, const Protocol::Error &error);
    /// Back to the queue without blame (the connection ended before the reply, or a transient
    /// server error worth another try). Counts transient failures when asked.
    bool requeue(const QString &clientMsgId, bool countFailure = false);
    /// The user's "retry" on a failed entry.
    bool retry(const QString &clientMsgId);
    /// The user's "discard" on a queued or failed entry (not one on the wire).
    bool discard(const QString &clientMsgId);
    /// The message is in the room's timeline: the entry is done.
    bool confirm(const QString &clientMsgId);

    QList<OutboxEntry> entries() const { return m_entries; }
    QList<OutboxEntry> entries(const QString &room) const;
    std::optional<OutboxEntry> find(const QString &clientMsgId) const;
    /// Entries not yet acknowledged (queued, sending or failed, with or without a file still uploading): the
    /// "outbox length".
    int unsentCount() const;
    /// Unsent entries that would not survive a restart: not saved (no database), or with a file held in memory
    /// only (its copy could not be kept). One whose copy is being written (its client message id in `copying`)
    /// is not counted: quitting waits for the copy, and the entry is saved with it.
    int unkeptCount(const QSet<QString> &copying = {}) const;
    bool isEmpty() const { return m_entries.isEmpty(); }

Q_SIGNALS:
    void entryAdded(const Tertulia::OutboxEntry &entry);
    void entryChanged(const Tertulia::OutboxEntry &entry);
    void entryRemoved(const Tertulia::OutboxEntry &entry);
    void unsentCountChanged(int count);
    /// detach() is about to forget the entries in memory (still all there).
    void aboutToDetach();

private:
    qsizetype indexOf(const QString &clientMsgId) const;
    void change(qsizetype index, const std::function<void(OutboxEntry &)> &update);
    void remove(qsizetype index);
    void save(const OutboxEntry &entry, bool added);
    /// The entry's copy of its file is no longer needed (sent, discarded).
    static void dropUploadCopy(const OutboxEntry &entry);
    QString addEntry(OutboxEntry entry);

    ClientDatabase *m_database = nullptr;
    QString m_account;
    QList<OutboxEntry> m_entries;
    IdGenerator m_newId;
    int m_lastUnsent = 0;
};

} // namespace Tertulia
