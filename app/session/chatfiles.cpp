#include "app/session/chatfiles.h"

#include "app/session/chatclient.h"
#include "app/session/chatroom.h" // chatclient.h needs the complete type
#include "app/session/connectionmanager.h"
#include "app/session/displaynames.h"
#include "app/session/outbox.h"
#include "app/session/uploadcopies.h"
#include "app/storage/clientdatabase.h"
#include "app/logging.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
/// The reason an upload failed, as its message's failure in the outbox.
Protocol::Error outboxError(const FileError &error)
{
    using Protocol::ErrorCode;
    ErrorCode code = ErrorCode::BadRequest;
    switch (error.code) {
    case FileError::Code::TooLarge: code = ErrorCode::TooLarge; break;
    case FileError::Code::RateLimited: code = ErrorCode::RateLimited; break;
    case FileError::Code::Forbidden: code = ErrorCode::Forbidden; break;
    case FileError::Code::NotFound: code = ErrorCode::NotFound; break;
    case FileError::Code::SignedOut: code = ErrorCode::AuthFailed; break;
    case FileError::Code::Unreachable: code = ErrorCode::Unavailable; break;
    case FileError::Code::ServerError: code = ErrorCode::Internal; break;
    case FileError::Code::UnsupportedType:
    case FileError::Code::BadRequest:
    case FileError::Code::Canceled:
    case FileError::Code::WriteFailed: break;
    }
    return {code, error.text()};
}
} // namespace

ChatFiles::ChatFiles(ChatClient &client, QObject *parent)
    : QObject(parent), m_client(client), m_files(new FileClient(nullptr, this)), m_copies(new UploadCopies(this))
{
    m_files->setCertificateTrust(client.certificateTrust());
    connect(m_copies, &UploadCopies::copied, this, &ChatFiles::copied);
    connect(&client, &ChatClient::signedIn, this, &ChatFiles::sweepOnce);
    if (client.isSignedIn())
        sweepOnce();
    connect(client.connection(), &ConnectionManager::stateChanged, this, [this](ConnectionManager::State state) {
        if (state == ConnectionManager::State::Connected)
            startWaiting();
    });
    Outbox *outbox = client.outbox();
    // Signing out (or in as someone else) forgets the messages in memory: a copy under way names its own first.
    connect(outbox, &Outbox::aboutToDetach, this, &ChatFiles::finishCopies);
    connect(outbox, &Outbox::entryAdded, this, [this](const OutboxEntry &entry) {
        if (entry.awaitsUpload())
            Q_EMIT uploadsChanged();
    });
    connect(outbox, &Outbox::entryChanged, this, [this](const OutboxEntry &entry) {
        if (!entry.upload)
            return;
        if (!entry.awaitsUpload()) {
            if (m_transfers.contains(entry.clientMsgId) || m_done.contains(entry.clientMsgId)
                || m_errors.contains(entry.clientMsgId))
                forget(entry.clientMsgId);
            return;
        }
        // Retried (by the upload's line or the person's "retry" on its message): it goes again.
        if (entry.state == OutboxEntry::State::Queued && !m_transfers.contains(entry.clientMsgId)
            && m_client.connection()->state() == ConnectionManager::State::Connected)
            start(entry.clientMsgId);
        Q_EMIT uploadsChanged();
    });
    connect(outbox, &Outbox::entryRemoved, this, [this](const OutboxEntry &entry) {
        if (entry.upload)
            forget(entry.clientMsgId);
    });
}

ChatFiles::~ChatFiles()
{
    // Quitting mid-copy: the copy is finished and its message saved, while the outbox is still here (the window
    // deletes its pages before the client).
    finishCopies();
    for (const QPointer<FileTransfer> &transfer : std::as_const(m_transfers)) {
        if (transfer)
            transfer->disconnect(this);
    }
}

QString ChatFiles::keptDirectory() const
{
    const QString data = m_client.dataDirectory();
    return data.isEmpty() ? QString() : QDir(data).filePath(u"uploads"_s);
}

void ChatFiles::keepCopy(const QString &clientMsgId, const QByteArray &data)
{
    const QString directory = keptDirectory();
    // Without a saved outbox the copy would outlive the message that names it.
    if (directory.isEmpty() || !m_client.outbox()->isPersistent())
        return;
    m_copying.insert(clientMsgId);
    m_copies->copy(clientMsgId, data, directory, kMaxKeptBytes);
}

void ChatFiles::copied(const QString &clientMsgId, const QString &path)
{
    m_copying.remove(clientMsgId);
    // Sent, discarded or signed out meanwhile: nothing will name the copy.
    if (!path.isEmpty() && !m_client.outbox()->keepUploadCopy(clientMsgId, path) && !QFile::remove(path))
        qCWarning(lcClientStorage) << "cannot remove the unneeded copy" << path;
}

void ChatFiles::finishCopies()
{
    m_copies->waitForDone();
    // Their results are queued to this thread (maybe delivered to UploadCopies' count already, not yet here):
    // deliver them now, before the messages they name are forgotten.
    QCoreApplication::sendPostedEvents(m_copies, QEvent::MetaCall);
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

void ChatFiles::sweepOnce()
{
    const QString directory = keptDirectory();
    if (directory.isEmpty() || directory == m_swept || !m_client.outbox()->isPersistent())
        return;
    m_swept = directory;
    if (!QFileInfo(directory).isDir())
        return;
    // Every account's saved messages share the directory: only a copy none of them names goes. Read in the
    // sweep's job (the GUI thread does not wait for the database), which the database outlives: signing out or
    // in again (Outbox::aboutToDetach) and ~ChatFiles wait for the jobs.
    const ClientDatabase *database = m_client.outbox()->database();
    m_copies->sweep(directory, [database] { return database->uploadPathsOnThisThread(); });
}

int ChatFiles::add(const QString &room, const QString &name, const QByteArray &data, const QString &caption)
{
    // In the outbox at once, with the bytes in memory (so it keeps its place and can go right away); saved once
    // its copy is complete.
    const auto clientMsgId = m_client.queueFile(room, caption, PendingUpload{name, {}, data.size(), data});
    if (!clientMsgId)
        return 0;
    keepCopy(*clientMsgId, data);
    const int id = idFor(*clientMsgId);
    if (m_client.connection()->state() == ConnectionManager::State::Connected)
        start(*clientMsgId);
    return id;
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
    const int id = add(room, QFileInfo(path).fileName(), file.readAll(), caption);
    if (id == 0 && error)
        *error = tr("%1 cannot be sent: you are signed out.").arg(QFileInfo(path).fileName());
    return id;
}

int ChatFiles::idFor(const QString &clientMsgId) const
{
    auto it = m_ids.constFind(clientMsgId);
    if (it == m_ids.cend())
        it = m_ids.insert(clientMsgId, m_nextId++);
    return *it;
}

QString ChatFiles::clientMsgIdOf(int id) const
{
    for (auto it = m_ids.cbegin(); it != m_ids.cend(); ++it) {
        if (*it == id)
            return it.key();
    }
    return {};
}

QList<ChatFiles::Upload> ChatFiles::uploads() const
{
    QList<Upload> result;
    for (const OutboxEntry &entry : m_client.outbox()->entries()) {
        if (!entry.awaitsUpload())
            continue;
        Upload upload;
        upload.id = idFor(entry.clientMsgId);
        upload.clientMsgId = entry.clientMsgId;
        upload.room = entry.room;
        upload.name = entry.upload->name;
        upload.caption = entry.text;
        upload.size = entry.upload->size;
        upload.done = m_done.value(entry.clientMsgId);
        if (m_transfers.contains(entry.clientMsgId)) {
            upload.state = State::Uploading;
        } else if (entry.state == OutboxEntry::State::Failed) {
            upload.state = State::Failed;
            // The reason as the server gave it, or as it was saved before a restart.
            upload.error = m_errors.contains(entry.clientMsgId)
                               ? m_errors.value(entry.clientMsgId)
                               : FileError{FileError::Code::ServerError, 0, entry.error ? entry.error->message : QString()};
        } else {
            upload.state = State::Waiting;
            if (m_errors.contains(entry.clientMsgId))
                upload.error = m_errors.value(entry.clientMsgId);
        }
        result.append(upload);
    }
    return result;
}

std::optional<ChatFiles::Upload> ChatFiles::find(int id) const
{
    for (const Upload &upload : uploads()) {
        if (upload.id == id)
            return upload;
    }
    return std::nullopt;
}

void ChatFiles::cancel(int id)
{
    const QString clientMsgId = clientMsgIdOf(id);
    if (clientMsgId.isEmpty())
        return;
    forget(clientMsgId);
    m_client.discardMessage(clientMsgId); // removes its copy too
    Q_EMIT uploadsChanged();
}

void ChatFiles::retry(int id)
{
    const QString clientMsgId = clientMsgIdOf(id);
    const auto entry = m_client.outbox()->find(clientMsgId);
    if (!entry || !entry->awaitsUpload() || entry->state != OutboxEntry::State::Failed)
        return;
    m_errors.remove(clientMsgId);
    m_client.retryMessage(clientMsgId); // back to Queued: started by entryChanged when connected
    Q_EMIT uploadsChanged();
}

void ChatFiles::forget(const QString &clientMsgId)
{
    if (QPointer<FileTransfer> transfer = m_transfers.take(clientMsgId)) {
        transfer->disconnect(this);
        transfer->cancel();
    }
    m_done.remove(clientMsgId);
    m_errors.remove(clientMsgId);
    Q_EMIT uploadsChanged();
}

void ChatFiles::startWaiting()
{
    for (const OutboxEntry &entry : m_client.outbox()->entries()) {
        if (entry.awaitsUpload() && entry.state == OutboxEntry::State::Queued)
            start(entry.clientMsgId);
    }
}

void ChatFiles::start(const QString &clientMsgId)
{
    const auto entry = m_client.outbox()->find(clientMsgId);
    if (!entry || !entry->awaitsUpload() || entry->state != OutboxEntry::State::Queued
        || m_transfers.contains(clientMsgId))
        return;
    QByteArray data = entry->upload->data;
    if (!entry->upload->path.isEmpty()) {
        QFile copy(entry->upload->path);
        if (!copy.open(QIODevice::ReadOnly)) {
            const FileError error{FileError::Code::NotFound, 0, copy.errorString()};
            m_errors.insert(clientMsgId, error);
            m_client.outbox()->markFailed(clientMsgId, outboxError(error));
            return;
        }
        data = copy.readAll();
    }
    m_done.insert(clientMsgId, 0);
    m_errors.remove(clientMsgId);
    FileTransfer *transfer = m_files->upload(m_client.server(), m_client.connection()->credentials().accessToken,
                                             entry->room, entry->upload->name, data);
    m_transfers.insert(clientMsgId, transfer);
    connect(transfer, &FileTransfer::progress, this, [this, clientMsgId](qint64 done, qint64) {
        if (!m_transfers.contains(clientMsgId))
            return;
        m_done.insert(clientMsgId, done);
        Q_EMIT uploadsChanged();
    });
    connect(transfer, &FileTransfer::finished, this,
            [this, clientMsgId, transfer] { finished(clientMsgId, transfer); });
    Q_EMIT uploadsChanged();
}

void ChatFiles::finished(const QString &clientMsgId, FileTransfer *transfer)
{
    m_transfers.remove(clientMsgId);
    const auto entry = m_client.outbox()->find(clientMsgId);
    if (!entry || !entry->awaitsUpload())
        return;
    if (const auto &error = transfer->error()) {
        // Lost the connection (or the token with it): wait for the next one. Anything else is the person's call.
        const bool offline = m_client.connection()->state() != ConnectionManager::State::Connected;
        const bool transient = error->code == FileError::Code::Unreachable || error->code == FileError::Code::SignedOut;
        m_errors.insert(clientMsgId, *error);
        if (!(offline && transient))
            m_client.outbox()->markFailed(clientMsgId, outboxError(*error));
        Q_EMIT uploadsChanged();
        return;
    }
    const int id = idFor(clientMsgId);
    m_done.remove(clientMsgId);
    m_client.fileUploaded(clientMsgId, transfer->file());
    Q_EMIT uploadsChanged();
    Q_EMIT uploaded(id, entry->room, clientMsgId);
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
