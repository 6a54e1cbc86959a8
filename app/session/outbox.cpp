#include "app/session/outbox.h"

#include "app/logging.h"
#include "app/storage/clientdatabase.h"

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

void Outbox::save(const OutboxEntry &entry, bool added)
{
    // A message with a file is not saved (schema 4 has no column for it): it is held in memory until sent.
    if (!m_database || entry.file)
        return;
    if (entry.state == OutboxEntry::State::Sent) {
        m_database->removeOutbox(m_account, entry.clientMsgId);
        return;
    }
    const ClientDatabase::OutboxRow row{entry.clientMsgId,
                                        entry.room,
                                        entry.text,
                                        entry.createdAt.toMSecsSinceEpoch(),
                                        entry.state == OutboxEntry::State::Failed,
                                        entry.error ? Protocol::errorCodeName(entry.error->code) : QString(),
                                        entry.error ? entry.error->message : QString(),
                                        entry.replyTo};
    if (added)
        m_database->addOutbox(m_account, row);
    else
        m_database->updateOutbox(m_account, row);
}

QString Outbox::enqueue(const QString &room, const QString &text, const QDateTime &createdAt, qint64 replyTo,
                        const std::optional<Protocol::FileInfo> &file)
{
    OutboxEntry entry;
    // Ids must be unique within the account; a generator collision (tests) gets a fresh one.
    do {
        entry.clientMsgId = m_newId();
    } while (indexOf(entry.clientMsgId) >= 0);
    entry.room = room;
    entry.text = text;
    entry.createdAt = createdAt;
    entry.replyTo = replyTo;
    entry.file = file;
    m_entries.append(entry);
    save(entry, true);
    Q_EMIT entryAdded(entry);
    Q_EMIT unsentCountChanged(m_lastUnsent = unsentCount());
    return entry.clientMsgId;
}

void Outbox::change(qsizetype index, const std::function<void(OutboxEntry &)> &update)
{
    OutboxEntry &entry = m_entries[index];
    const bool wasFailed = entry.state == OutboxEntry::State::Failed;
    update(entry);
    const OutboxEntry copy = entry;
    // The file only cares about "failed or not" and "acknowledged": skip writes for Sending.
    if (copy.state == OutboxEntry::State::Sent || wasFailed != (copy.state == OutboxEntry::State::Failed))
        save(copy, false);
    Q_EMIT entryChanged(copy);
    if (m_lastUnsent != unsentCount())
        Q_EMIT unsentCountChanged(m_lastUnsent = unsentCount());
}

void Outbox::remove(qsizetype index)
{
    const OutboxEntry entry = m_entries.takeAt(index);
    if (m_database && entry.state != OutboxEntry::State::Sent)
        m_database->removeOutbox(m_account, entry.clientMsgId);
    Q_EMIT entryRemoved(entry);
    if (m_lastUnsent != unsentCount())
        Q_EMIT unsentCountChanged(m_lastUnsent = unsentCount());
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
