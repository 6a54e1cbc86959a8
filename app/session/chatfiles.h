#pragma once

#include "app/net/fileclient.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>

#include <optional>

namespace Tertulia {

class ChatClient;
class UploadCopies;

/// The files of one signed-in client (issue 12): uploads on their way into a room, and downloads, over HTTP with
/// the connection's current access token (FileClient).
///
/// A file to send is a message in the outbox from the start (ChatClient::queueFile, Outbox::enqueueUpload), with
/// the caption as its text, so it keeps its place among the room's other pending messages, counts as unsent
/// (quitting warns), and survives a restart: its bytes are copied under the data directory (`uploads/`, at most
/// kMaxKeptBytes for all files waiting together; past that, or without a data directory, they are held in memory
/// for this run only). The copy is written off the GUI thread (UploadCopies): the message holds the bytes in
/// memory until it is complete, then names it and is saved; a quit or a sign-out waits for a copy under way.
/// At the first sign-in with a data directory, copies no saved message names (a crash between writing a copy
/// and saving its message) and partial ones are removed, off the GUI thread too. ChatFiles uploads what the outbox holds while the client is connected (so the token is
/// fresh and the room's membership known), then lets the message go (ChatClient::fileUploaded); the outbox never
/// sends a file id the server does not have, and removes the copy once the message is sent or discarded. A
/// refused upload fails its message, with the server's reason, until retried or cancelled; one that lost the
/// connection waits again.
class ChatFiles final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatFiles)

public:
    enum class State { Waiting, Uploading, Failed };
    Q_ENUM(State)

    struct Upload
    {
        int id = 0;          ///< this run's handle (retry(), cancel(), UploadBar's lines)
        QString clientMsgId; ///< its message in the outbox
        QString room;
        QString name;
        QString caption;
        qint64 size = 0;
        State state = State::Waiting;
        qint64 done = 0;
        std::optional<FileError> error;
    };

    /// Files larger than this are refused here, before any byte is read into memory or sent.
    static constexpr qint64 kMaxReadBytes = 256LL * 1024 * 1024;
    /// The copies of files waiting to be sent take at most this much of the data directory, all accounts of the
    /// profile together; a file past it is held in memory and lost if the app quits before it is sent.
    static constexpr qint64 kMaxKeptBytes = 512LL * 1024 * 1024;

    explicit ChatFiles(ChatClient &client, QObject *parent = nullptr);
    ~ChatFiles() override;

    FileClient *fileClient() const { return m_files; }

    /// Queues `data` as a file called `name` for `room`, with a caption (may be empty); its upload id, or 0 when
    /// signed out.
    int add(const QString &room, const QString &name, const QByteArray &data, const QString &caption = {});
    /// Reads a local file and queues it; 0 (and *error) when it cannot be read or is larger than kMaxReadBytes.
    int addFile(const QString &room, const QString &path, const QString &caption = {}, QString *error = nullptr);
    /// Stops and forgets an upload (its message is not sent).
    void cancel(int id);
    /// Tries a failed upload again.
    void retry(int id);
    /// The files waiting to be uploaded, in the order they were added (restored ones first).
    QList<Upload> uploads() const;
    std::optional<Upload> find(int id) const;
    /// Where the copies are kept: `<data directory>/uploads`; empty without a data directory.
    QString keptDirectory() const;
    /// The disk work (copies, the sweep at sign-in), for tests that wait for it.
    UploadCopies *copies() const { return m_copies; }
    /// The messages (client message ids) whose file's copy is being written: not lost by quitting now, which
    /// waits for the copy (~ChatFiles) and saves the message with it.
    QSet<QString> copying() const { return m_copying; }

    /// Downloads a file by id from the client's server with its current token (and saves it at savePath if given).
    FileTransfer *download(const QString &fileId, const QString &savePath = {});

    /// Avatar pictures (issue 12): sets the user's own picture to `image` (bytes of an image the server takes;
    /// the UI sends a square PNG), or removes it (`image` null). When the server took it, the client's
    /// DisplayNames know the new version at once (the other sessions hear `profile_updated`).
    FileTransfer *changeAvatar(const QByteArray &image);
    /// Downloads someone's picture of that version.
    FileTransfer *downloadAvatar(const QString &user, const QString &version);

Q_SIGNALS:
    void uploadsChanged();
    /// The server has the file: its message (already in the outbox) goes.
    void uploaded(int id, const QString &room, const QString &clientMsgId);

private:
    void startWaiting();
    void start(const QString &clientMsgId);
    void finished(const QString &clientMsgId, FileTransfer *transfer);
    void forget(const QString &clientMsgId);
    /// Starts a copy of the bytes under keptDirectory() for the message, when it may be kept there.
    void keepCopy(const QString &clientMsgId, const QByteArray &data);
    /// A copy is complete (`path`; empty: not kept): its message names it from now on.
    void copied(const QString &clientMsgId, const QString &path);
    /// Delivers the copies under way before the outbox forgets their messages (quit, sign-out).
    void finishCopies();
    /// Once, at the first sign-in with a data directory: removes the copies no saved message names.
    void sweepOnce();
    int idFor(const QString &clientMsgId) const;
    QString clientMsgIdOf(int id) const;

    ChatClient &m_client;
    FileClient *m_files;
    UploadCopies *m_copies;
    QString m_swept; ///< the directory swept already (once per run)
    QSet<QString> m_copying; ///< keepCopy() asked, copied() not reported yet
    mutable QHash<QString, int> m_ids; ///< client message id → upload id, handed out as they are first seen
    mutable int m_nextId = 1;
    QHash<QString, QPointer<FileTransfer>> m_transfers;
    QHash<QString, qint64> m_done;
    QHash<QString, FileError> m_errors;
};

} // namespace Tertulia
