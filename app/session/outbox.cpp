#include "app/session/outbox.h"

#include "app/logging.h"
#include "app/storage/clientdatabase.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTimeZone>
#include <QtCore/QUuid>

namespace Tertulia {

Outbox::Outbox(QObject *parent)
    : QObject(parent), m_newId([] { return QUuid::createUuid().toString(QUuid::WithoutBraces); })
{
}

Outbox::~Outbox() = default;

void Outbox::attach(ClientDatabase *database, const QString &account)
{
    detach();
    m_database = database;
    m_account = account;
    if (!m_database)
        return;
    for (const ClientDatabase::OutboxRow &row : m_database->outbox(account)) {
        OutboxEntry entry;
        entry.clientMsgId = row.clientMsgId;
        entry.room = row.room;
        entry.text = row.text;
        entry.createdAt = QDateTime::fromMSecsSinceEpoch(row.createdMs, QTimeZone::utc());
        entry.replyTo = row.replyTo;
        if (!row.uploadPath.isEmpty())
            entry.upload = PendingUpload{row.uploadName, row.uploadPath, row.uploadSize, {}};
        if (!row.file.isEmpty()) {
            const auto file = Protocol::FileInfo::fromJson(QJsonDocument::fromJson(row.file.toUtf8()).object());
            if (const auto *info = std::get_if<Protocol::FileInfo>(&file))
                entry.file = *info;
            else
                qCWarning(lcClientStorage) << "outbox entry" << row.clientMsgId << "has an unreadable file";
        }
        // Whatever was on the wire when the app stopped goes again (the server dedupes it).
        entry.state = row.failed ? OutboxEntry::State::Failed : OutboxEntry::State::Queued;
        if (row.failed) {
            const auto code = Protocol::parseErrorCode(row.errorCode);
            entry.error = Protocol::Error{code.value_or(Protocol::ErrorCode::Internal), row.errorMessage};
        }
        m_entries.append(entry);
        Q_EMIT entryAdded(entry);
    }
    qCInfo(lcClientStorage) << "outbox of" << account << "has" << m_entries.size() << "saved entries";
    if (m_lastUnsent != unsentCount())
        Q_EMIT unsentCountChanged(m_lastUnsent = unsentCount());
}

void Outbox::detach()
{
    Q_EMIT aboutToDetach();
    while (!m_entries.isEmpty()) {
        const OutboxEntry entry = m_entries.takeLast();
        Q_EMIT entryRemoved(entry);
    }
    m_database = nullptr;
    m_account.clear();
    if (m_lastUnsent != 0)
        Q_EMIT unsentCountChanged(m_lastUnsent = 0);
}

qsizetype Outbox::indexOf(const QString &clientMsgId) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).clientMsgId == clientMsgId)
            return i;
    }
    return -1;
}

std::optional<OutboxEntry> Outbox::find(const QString &clientMsgId) const
{
    const qsizetype index = indexOf(clientMsgId);
    if (index < 0)
        return std::nullopt;
    return m_entries.at(index);
}

QList<OutboxEntry> Outbox::entries(const QString &room) const
{
    QList<OutboxEntry> result;
    for (const OutboxEntry &entry : m_entries) {
        if (entry.room == room)
            result.append(entry);
    }
    return result;
}

int Outbox::unsentCount() const
{
    return int(std::count_if(m_entries.begin(), m_entries.end(), [](const OutboxEntry &e) { return e.isUnsent(); }));
}

int Outbox::unkeptCount(const QSet<QString> &copying) const
{
    return int(std::count_if(m_entries.begin(), m_entries.end(), [this, &copying](const OutboxEntry &e) {
        return e.isUnsent()
               && (!m_database || (e.upload && e.upload->path.isEmpty() && !copying.contains(e.clientMsgId)));
    }));
}

namespace {
/// A file held in memory only (no copy on disk) is lost with the app: its message is not saved either.
bool savable(const OutboxEntry &entry) { return !(entry.upload && entry.upload->path.isEmpty()); }

ClientDatabase::OutboxRow rowOf(const OutboxEntry &entry)
{
    return ClientDatabase::OutboxRow{entry.clientMsgId,
                                     entry.room,
                                     entry.text,
                                     entry.createdAt.toMSecsSinceEpoch(),
                                     entry.state == OutboxEntry::State::Failed,
                                     entry.error ? Protocol::errorCodeName(entry.error->code) : QString(),
                                     entry.error ? entry.error->message : QString(),
                                     entry.replyTo,
                                     entry.upload ? entry.upload->path : QString(),
                                     entry.upload ? entry.upload->name : QString(),
                                     entry.upload ? entry.upload->size : 0,
                                     entry.file ? QString::fromUtf8(QJsonDocument(entry.file->toJson())
                                                                        .toJson(QJsonDocument::Compact))
                                                : QString()};
}
} // namespace

void Outbox::save(const OutboxEntry &entry, bool added)
{
    if (!m_database || !savable(entry))
        return;
    if (entry.state == OutboxEntry::State::Sent) {
        m_database->removeOutbox(m_account, entry.clientMsgId);
        return;
    }
    const ClientDatabase::OutboxRow row = rowOf(entry);
    if (added)
        m_database->addOutbox(m_account, row);
    else
        m_database->updateOutbox(m_account, row);
}

QString Outbox::enqueue(const QString &room, const QString &text, const QDateTime &createdAt, qint64 replyTo,
                        const std::optional<Protocol::FileInfo> &file)
{
    OutboxEntry entry;
    entry.room = room;
    entry.text = text;
    entry.createdAt = createdAt;
    entry.replyTo = replyTo;
    entry.file = file;
    return addEntry(std::move(entry));
}

QString Outbox::enqueueUpload(const QString &room, const QString &caption, const QDateTime &createdAt,
                              const PendingUpload &upload)
{
    OutboxEntry entry;
    entry.room = room;
    entry.text = caption;
    entry.createdAt = createdAt;
    entry.upload = upload;
    return addEntry(std::move(entry));
}

bool Outbox::keepUploadCopy(const QString &clientMsgId, const QString &path)
{
    const qsizetype index = indexOf(clientMsgId);
    if (index < 0 || !m_database)
        return false;
    OutboxEntry &entry = m_entries[index];
    if (!entry.upload || !entry.upload->path.isEmpty() || entry.state == OutboxEntry::State::Sent)
        return false;
    entry.upload->path = path;
    entry.upload->data = {};
    // Its first row (an entry whose file was in memory only was never saved), and the rows of the entries written
    // after it go after it again: a restart sends them in the order they were written.
    save(entry, true);
    for (qsizetype later = index + 1; later < m_entries.size(); ++later) {
        const OutboxEntry &next = m_entries.at(later);
        if (savable(next) && next.state != OutboxEntry::State::Sent)
            m_database->putOutboxLast(m_account, rowOf(next));
    }
    return true;
}

QSet<QString> Outbox::savedUploadPaths() const
{
    return m_database ? m_database->uploadPaths() : QSet<QString>();
}

QString Outbox::addEntry(OutboxEntry entry)
{
    // Ids must be unique within the account; a generator collision (tests) gets a fresh one.
    do {
        entry.clientMsgId = m_newId();
    } while (indexOf(entry.clientMsgId) >= 0);
    m_entries.append(entry);
    save(entry, true);
    Q_EMIT entryAdded(entry);
    Q_EMIT unsentCountChanged(m_lastUnsent = unsentCount());
    return entry.clientMsgId;
}

void Outbox::dropUploadCopy(const OutboxEntry &entry)
{
    if (entry.upload && !entry.upload->path.isEmpty() && QFile::exists(entry.upload->path)
        && !QFile::remove(entry.upload->path))
        qCWarning(lcClientStorage) << "cannot remove the copy" << entry.upload->path << "of a sent file";
}

void Outbox::change(qsizetype index, const std::function<void(OutboxEntry &)> &update)
{
    OutboxEntry &entry = m_entries[index];
    const bool wasFailed = entry.state == OutboxEntry::State::Failed;
    const bool hadFile = entry.file.has_value();
    update(entry);
    const OutboxEntry copy = entry;
    // The file only cares about "failed or not", the uploaded file and "acknowledged": skip writes for Sending.
    if (copy.state == OutboxEntry::State::Sent || wasFailed != (copy.state == OutboxEntry::State::Failed)
        || hadFile != copy.file.has_value())
        save(copy, false);
    if (copy.state == OutboxEntry::State::Sent)
        dropUploadCopy(copy);
    Q_EMIT entryChanged(copy);
    if (m_lastUnsent != unsentCount())
        Q_EMIT unsentCountChanged(m_lastUnsent = unsentCount());
}

void Outbox::remove(qsizetype index)
{
    const OutboxEntry entry = m_entries.takeAt(index);
    if (m_database && entry.state != OutboxEntry::State::Sent)
        m_database->removeOutbox(m_account, entry.clientMsgId);
    dropUploadCopy(entry);
    Q_EMIT entryRemoved(entry);
    if (m_lastUnsent != unsentCount())
        Q_EMIT unsentCountChanged(m_lastUnsent = unsentCount());
}

bool Outbox::setUploaded(const QString &clientMsgId, const Protocol::FileInfo &file)
{
    const qsizetype index = indexOf(clientMsgId);
    if (index < 0 || !m_entries.at(index).awaitsUpload())
        return false;
    change(index, [&file](OutboxEntry &e) { e.file = file; });
    return true;
}

bool Outbox::markSending(const QString &clientMsgId)
{
    const qsizetype index = indexOf(clientMsgId);
    if (index < 0 || m_entries.at(index).state != OutboxEntry::State::Queued)
        return false;
    change(index, [](OutboxEntry &e) { e.state = OutboxEntry::State::Sending; });
    return true;
}

bool Outbox::markSent(const QString &clientMsgId, qint64 seq)
{
    const qsizetype index = indexOf(clientMsgId);
    if (index < 0 || m_entries.at(index).state == OutboxEntry::State::Sent)
        return false;
    change(index, [seq](OutboxEntry &e) {
        e.state = OutboxEntry::State::Sent;
        e.seq = seq;
        e.error.reset();
    });
    return true;
}

bool Outbox::markFailed(const QString &clientMsgId, const Protocol::Error &error)
{
    const qsizetype index = indexOf(clientMsgId);
    if (index < 0 || m_entries.at(index).state == OutboxEntry::State::Sent)
        return false;
    change(index, [&error](OutboxEntry &e) {
        e.state = OutboxEntry::State::Failed;
        e.error = error;
    });
    return true;
}

bool Outbox::requeue(const QString &clientMsgId, bool countFailure)
{
    const qsizetype index = indexOf(clientMsgId);
    if (index < 0 || m_entries.at(index).state != OutboxEntry::State::Sending)
        return false;
    change(index, [countFailure](OutboxEntry &e) {
        e.state = OutboxEntry::State::Queued;
        if (countFailure)
            ++e.transientFailures;
    });
    return true;
}

bool Outbox::retry(const QString &clientMsgId)
{
    const qsizetype index = indexOf(clientMsgId);
    if (index < 0 || m_entries.at(index).state != OutboxEntry::State::Failed)
        return false;
    change(index, [](OutboxEntry &e) {
        e.state = OutboxEntry::State::Queued;
        e.error.reset();
        e.transientFailures = 0;
    });
    return true;
}

bool Outbox::discard(const QString &clientMsgId)
{
    const qsizetype index = indexOf(clientMsgId);
    // What is on the wire (or acknowledged) cannot be taken back.
    if (index < 0 || m_entries.at(index).state == OutboxEntry::State::Sent
        || m_entries.at(index).state == OutboxEntry::State::Sending)
        return false;
    remove(index);
    return true;
}

bool Outbox::confirm(const QString &clientMsgId)
{
    const qsizetype index = indexOf(clientMsgId);
    if (index < 0)
        return false;
    remove(index);
    return true;
}

} // namespace Tertulia
