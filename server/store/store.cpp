#include "server/store/store.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

namespace Tertulia {

void Store::readHistory(const RoomRecord &room, std::optional<qint64> before, std::optional<qint64> after, int limit,
                        QObject *context, HistoryCallback done)
{
    HistorySlice slice;
    slice.messages = history(room, before, after, limit, &slice.hasMore);
    QMetaObject::invokeMethod(
        context, [slice = std::move(slice), done = std::move(done)] { done(slice); }, Qt::QueuedConnection);
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
