#include "app/session/chatfiles.h"

#include "app/session/chatclient.h"
#include "app/session/chatroom.h" // chatclient.h needs the complete type
#include "app/session/connectionmanager.h"
#include "app/session/displaynames.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

namespace Tertulia {

ChatFiles::ChatFiles(ChatClient &client, QObject *parent)
    : QObject(parent), m_client(client), m_files(new FileClient(nullptr, this))
{
    m_files->setCertificateTrust(client.certificateTrust());
    connect(client.connection(), &ConnectionManager::stateChanged, this, [this](ConnectionManager::State state) {
        if (state == ConnectionManager::State::Connected)
            startWaiting();
    });
}

ChatFiles::~ChatFiles()
{
    for (const QPointer<FileTransfer> &transfer : std::as_const(m_transfers)) {
        if (transfer)
            transfer->disconnect(this);
    }
}

int ChatFiles::add(const QString &room, const QString &name, const QByteArray &data, const QString &caption)
{
    Upload upload;
    upload.id = m_nextId++;
    upload.room = room;
    upload.name = name;
    upload.caption = caption;
    upload.data = data;
    m_uploads.append(upload);
    Q_EMIT uploadsChanged();
    if (m_client.connection()->state() == ConnectionManager::State::Connected)
        start(upload.id);
    return upload.id;
}

int ChatFiles::addFile(const QString &room, const QString &path, const QString &caption, QString *error)
{
    QFile file(path);
    if (QFileInfo(path).size() > kMaxReadBytes) {
        if (error)
            *error = tr("%1 is too large to send.").arg(QFileInfo(path).fileName());
        return 0;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("%1 cannot be read: %2").arg(QFileInfo(path).fileName(), file.errorString());
        return 0;
    }
    return add(room, QFileInfo(path).fileName(), file.readAll(), caption);
}

std::optional<ChatFiles::Upload> ChatFiles::find(int id) const
{
    const qsizetype index = indexOf(id);
    return index < 0 ? std::nullopt : std::optional<Upload>(m_uploads.at(index));
}

qsizetype ChatFiles::indexOf(int id) const
{
    for (qsizetype i = 0; i < m_uploads.size(); ++i) {
        if (m_uploads.at(i).id == id)
            return i;
    }
    return -1;
}

void ChatFiles::cancel(int id)
{
    const qsizetype index = indexOf(id);
    if (index < 0)
        return;
    if (QPointer<FileTransfer> transfer = m_transfers.take(id)) {
        transfer->disconnect(this);
        transfer->cancel();
    }
    m_uploads.removeAt(index);
    Q_EMIT uploadsChanged();
}

void ChatFiles::retry(int id)
{
    const qsizetype index = indexOf(id);
    if (index < 0 || m_uploads.at(index).state != State::Failed)
        return;
    m_uploads[index].state = State::Waiting;
    m_uploads[index].error.reset();
    Q_EMIT uploadsChanged();
    if (m_client.connection()->state() == ConnectionManager::State::Connected)
        start(id);
}

void ChatFiles::startWaiting()
{
    const QList<Upload> uploads = m_uploads;
    for (const Upload &upload : uploads) {
        if (upload.state == State::Waiting)
            start(upload.id);
    }
}

void ChatFiles::start(int id)
{
    const qsizetype index = indexOf(id);
    if (index < 0 || m_uploads.at(index).state == State::Uploading)
        return;
    Upload &upload = m_uploads[index];
    upload.state = State::Uploading;
    upload.done = 0;
    upload.error.reset();
    FileTransfer *transfer = m_files->upload(m_client.server(), m_client.connection()->credentials().accessToken,
                                             upload.room, upload.name, upload.data);
    m_transfers.insert(id, transfer);
    connect(transfer, &FileTransfer::progress, this, [this, id](qint64 done, qint64) {
        const qsizetype at = indexOf(id);
        if (at < 0)
            return;
        m_uploads[at].done = done;
        Q_EMIT uploadsChanged();
    });
    connect(transfer, &FileTransfer::finished, this, [this, id, transfer] { finished(id, transfer); });
    Q_EMIT uploadsChanged();
}

void ChatFiles::finished(int id, FileTransfer *transfer)
{
    m_transfers.remove(id);
    const qsizetype index = indexOf(id);
    if (index < 0)
        return;
    Upload &upload = m_uploads[index];
    if (const auto &error = transfer->error()) {
        // Lost the connection (or the token with it): wait for the next one. Anything else is the person's call.
        const bool offline = m_client.connection()->state() != ConnectionManager::State::Connected;
        const bool transient = error->code == FileError::Code::Unreachable || error->code == FileError::Code::SignedOut;
        upload.state = offline && transient ? State::Waiting : State::Failed;
        upload.error = *error;
        Q_EMIT uploadsChanged();
        return;
    }
    const Upload done = m_uploads.takeAt(index);
    const auto clientMsgId = m_client.sendFile(done.room, done.caption, transfer->file());
    if (!clientMsgId) {
        Upload failed = done;
        failed.state = State::Failed;
        failed.error = FileError{FileError::Code::Forbidden, 0, tr("you are not in %1").arg(done.room)};
        m_uploads.insert(index, failed);
        Q_EMIT uploadsChanged();
        return;
    }
    Q_EMIT uploadsChanged();
    Q_EMIT uploaded(id, done.room, *clientMsgId);
}

FileTransfer *ChatFiles::download(const QString &fileId, const QString &savePath)
{
    return m_files->download(m_client.server(), m_client.connection()->credentials().accessToken, fileId, savePath);
}

FileTransfer *ChatFiles::changeAvatar(const QByteArray &image)
{
    FileTransfer *transfer = m_files->changeAvatar(m_client.server(), m_client.connection()->credentials().accessToken,
                                                   image);
    // Connected first, so the version is known before whoever asked hears finished().
    connect(transfer, &FileTransfer::finished, this, [this, transfer] {
        if (!transfer->error()) {
            const Protocol::ProfileEvent &profile = transfer->profile();
            m_client.displayNames()->setProfile(profile.user, profile.displayName, profile.avatar);
        }
    });
    return transfer;
}

FileTransfer *ChatFiles::downloadAvatar(const QString &user, const QString &version)
{
    return m_files->downloadAvatar(m_client.server(), m_client.connection()->credentials().accessToken, user,
                                   version);
}

} // namespace Tertulia
