#include "server/store/store.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Tertulia {

void Store::runJob(std::function<void()> job, QObject *context, std::function<void()> answer)
{
    job();
    // Queued on `context` itself: deleting it drops the answer with its other posted events.
    QMetaObject::invokeMethod(context, std::move(answer), Qt::QueuedConnection);
}

void Store::readHistory(const RoomRecord &room, std::optional<qint64> before, std::optional<qint64> after, int limit,
                        QObject *context, HistoryCallback done)
{
    HistorySlice slice;
    slice.messages = history(room, before, after, limit, &slice.hasMore);
    QMetaObject::invokeMethod(
        context, [slice = std::move(slice), done = std::move(done)] { done(slice); }, Qt::QueuedConnection);
}

void Store::readSearch(const SearchRequest &request, QObject *context, SearchCallback done)
{
    auto read = search(request);
    QMetaObject::invokeMethod(
        context, [read = std::move(read), done = std::move(done)] { done(read); }, Qt::QueuedConnection);
}

QString SearchCursor::toString() const
{
    return QStringLiteral("%1.%2.%3").arg(ts).arg(roomId).arg(seq);
}

std::optional<SearchCursor> SearchCursor::parse(const QString &text)
{
    const QStringList parts = text.split(u'.');
    if (parts.size() != 3)
        return std::nullopt;
    SearchCursor cursor;
    qint64 *fields[] = {&cursor.ts, &cursor.roomId, &cursor.seq};
    for (int i = 0; i < 3; ++i) {
        bool ok = false;
        *fields[i] = parts.at(i).toLongLong(&ok);
        // Exactly what toString() writes: digits only, no sign, no leading zeros (one text per cursor).
        if (!ok || *fields[i] < 0 || parts.at(i) != QString::number(*fields[i]))
            return std::nullopt;
    }
    return cursor;
}

void Store::readMessagesAfter(qint64 position, int limit, QObject *context, MessagesAfterCallback done)
{
    auto read = messagesAfter(position, limit);
    QMetaObject::invokeMethod(
        context, [read = std::move(read), done = std::move(done)] { done(read); }, Qt::QueuedConnection);
}

void Store::readSeqsAtPosition(qint64 position, const QList<qint64> &roomIds, QObject *context, SeqsCallback done)
{
    auto read = position > lastPosition() ? std::nullopt : seqsAtPosition(position, roomIds);
    QMetaObject::invokeMethod(
        context, [read = std::move(read), done = std::move(done)] { done(read); }, Qt::QueuedConnection);
}

void Store::readReadMarkers(const QString &user, QObject *context, ReadMarkersCallback done)
{
    StoreResult<QHash<qint64, qint64>> read = readMarkers(user);
    QMetaObject::invokeMethod(
        context, [read = std::move(read), done = std::move(done)] { done(read); }, Qt::QueuedConnection);
}

} // namespace Tertulia
