#include "app/session/outboxsender.h"

#include "app/logging.h"
#include "app/net/clock.h"
#include "app/session/connectionmanager.h"
#include "app/session/outbox.h"
#include "shared/names.h"

#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::ErrorCode;
using Protocol::Reply;
using Protocol::Request;

OutboxSender::OutboxSender(ConnectionManager &connection, Outbox &outbox, Clock &clock, QObject *parent)
    : QObject(parent), m_connection(connection), m_clock(clock), m_outbox(outbox)
{
    m_retryTimer = clock.createTimer(this, [this] {
        if (m_connection.state() == ConnectionManager::State::Connected)
            flush();
    });
}

OutboxSender::~OutboxSender() = default;

qint64 OutboxSender::maxTextBytes() const
{
    const qint64 limit = m_connection.hello().server.maxTextBytes;
    return limit > 0 ? limit : kDefaultMaxTextBytes;
}

void OutboxSender::flush()
{
    if (!m_connection.isAuthenticated())
        return;
    // A message whose file is still uploading holds back the ones written after it in its room, so the room
    // gets them in the order they were written (a failed upload holds nothing: it waits for the person).
    QSet<QString> waitingRooms;
    for (const OutboxEntry &entry : m_outbox.entries()) {
        const QString room = Names::canonical(entry.room);
        if (entry.awaitsUpload() && entry.state != OutboxEntry::State::Failed)
            waitingRooms.insert(room);
        else if (entry.state == OutboxEntry::State::Queued && !waitingRooms.contains(room))
            send(entry);
    }
}

qint64 OutboxSender::writtenAt(const OutboxEntry &entry) const
{
    if (!entry.createdAt.isValid())
        return 0;
    const qint64 written = entry.createdAt.toMSecsSinceEpoch();
    return m_clock.currentDateTime().toMSecsSinceEpoch() - written > Protocol::kWrittenAtMinDelayMs ? written : 0;
}

void OutboxSender::send(const OutboxEntry &entry)
{
    const QString id = entry.clientMsgId;
    if (entry.text.toUtf8().size() > maxTextBytes()) {
        m_outbox.markFailed(id, {ErrorCode::TooLarge, tr("The message is longer than this server allows")});
        return;
    }
    m_outbox.markSending(id);
    Protocol::SendParams params{entry.room, entry.text, id, entry.replyTo, entry.file ? entry.file->id : QString()};
    params.writtenAt = writtenAt(entry);
    const bool sent = m_connection.request(Request::send({}, params), this, [this, id](const Reply &reply) {
        if (reply.isOk()) {
            const auto result = Protocol::SendResult::fromJson(reply.data);
            if (const auto *stored = std::get_if<Protocol::SendResult>(&result)) {
                m_outbox.markSent(id, stored->seq);
                Q_EMIT messageStored();
            } else {
                qCWarning(lcClientSession) << "unreadable send reply:" << std::get<Protocol::Error>(result).message;
            }
            return;
        }
        const ErrorCode code = reply.error->code;
        const bool transient = code == ErrorCode::Unavailable || code == ErrorCode::RateLimited
                               || code == ErrorCode::Internal;
        if (!transient) {
            m_outbox.markFailed(id, *reply.error);
            return;
        }
        // Connection gone: wait for the next sync. Otherwise the server asked to wait: try again
        // in a moment, and give up (visibly) after a few times.
        const bool connected = m_connection.isAuthenticated();
        m_outbox.requeue(id, connected);
        const auto entryNow = m_outbox.find(id);
        if (connected && entryNow && entryNow->transientFailures >= kMaxTransientFailures) {
            m_outbox.markFailed(id, *reply.error);
        } else if (connected && entryNow) {
            m_retryTimer->start(std::chrono::seconds(entryNow->transientFailures));
        }
    });
    if (!sent) {
        if (m_connection.isAuthenticated())
            m_outbox.markFailed(id, {ErrorCode::TooLarge, tr("The message is too large to send")});
        else
            m_outbox.requeue(id);
    }
}

} // namespace Tertulia
