#pragma once

#include "app/net/fileclient.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtCore/QObject>

#include <optional>

namespace Tertulia {

class ChatClient;

/// The files of one signed-in client (issue 12): uploads on their way into a room, and downloads, over HTTP with
/// the connection's current access token (FileClient).
///
/// An upload runs only while the client is connected: one added offline waits and starts when the connection
/// is back (so the token is fresh and the room's membership known). When the server took it, the message that
/// carries it goes through the ordinary outbox (ChatClient::sendFile), with the caption as its text, so it is
/// acknowledged like any message; the outbox never holds a file id the server does not have. A refused upload
/// stays, failed, with the server's reason, until retried or cancelled; one that lost the connection waits
/// again. Uploads live in memory: they do not survive a restart.
class ChatFiles final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatFiles)

public:
    enum class State { Waiting, Uploading, Failed };
    Q_ENUM(State)

    struct Upload
    {
        int id = 0;
        QString room;
        QString name;
        QString caption;
        QByteArray data;
        State state = State::Waiting;
        qint64 done = 0;
        std::optional<FileError> error;
    };

    /// Files larger than this are refused here, before any byte is read into memory or sent.
    static constexpr qint64 kMaxReadBytes = 256LL * 1024 * 1024;

    explicit ChatFiles(ChatClient &client, QObject *parent = nullptr);
    ~ChatFiles() override;

    FileClient *fileClient() const { return m_files; }

    /// Queues `data` as a file called `name` for `room`, with a caption (may be empty); its upload id.
    int add(const QString &room, const QString &name, const QByteArray &data, const QString &caption = {});
    /// Reads a local file and queues it; 0 (and *error) when it cannot be read or is larger than kMaxReadBytes.
    int addFile(const QString &room, const QString &path, const QString &caption = {}, QString *error = nullptr);
    /// Stops and forgets an upload (its message is not sent).
    void cancel(int id);
    /// Tries a failed upload again.
    void retry(int id);
    QList<Upload> uploads() const { return m_uploads; }
    std::optional<Upload> find(int id) const;

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
    /// The upload is done and its message is in the outbox.
    void uploaded(int id, const QString &room, const QString &clientMsgId);

private:
    void startWaiting();
    void start(int id);
    void finished(int id, FileTransfer *transfer);
    qsizetype indexOf(int id) const;

    ChatClient &m_client;
    FileClient *m_files;
    QList<Upload> m_uploads;
    QHash<int, QPointer<FileTransfer>> m_transfers;
    int m_nextId = 1;
};

} // namespace Tertulia
