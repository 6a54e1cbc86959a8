#include "server/store/sqlreads.h"

#include "server/logging.h"
#include "server/store/sqlreactions.h"

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>
#include <QtCore/QStringList>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace Tertulia::SqlReads {

using Protocol::ChatMessage;
using Protocol::Error;
using Protocol::ErrorCode;

namespace {
bool run(QSqlQuery &query, const char *sql, const QVariantList &values)
{
    query.setForwardOnly(true);
    bool ok = query.prepare(QString::fromLatin1(sql));
    for (const QVariant &value : values)
        query.addBindValue(value);
    ok = ok && query.exec();
    if (!ok)
        qCWarning(lcStore) << "read failed:" << sql << query.lastError().text();
    return ok;
}
} // namespace

ChatMessage messageFrom(const QSqlQuery &q, const QString &room, int first)
{
    ChatMessage m{room, q.value(first).toLongLong(), q.value(first + 1).toString(), q.value(first + 2).toString(),
                  q.value(first + 3).toString(), q.value(first + 4).toLongLong()};
    m.kind = Protocol::MessageKind(q.value(first + 5).toInt());
    m.target = q.value(first + 6).toLongLong();
    m.editedAt = q.value(first + 7).toLongLong();
    m.editSeq = q.value(first + 8).toLongLong();
    m.deleted = q.value(first + 9).toBool();
    m.deletedBy = q.value(first + 10).toString();
    m.replyTo = q.value(first + 11).toLongLong();
    m.reactionSeq = q.value(first + 12).toLongLong();
    return m;
}

std::optional<Error> replyRefusal(QSqlDatabase &db, const RoomRecord &room, qint64 replyTo, bool *ok)
{
    QSqlQuery q(db);
    *ok = run(q, "SELECT kind, deleted FROM messages WHERE room_id = ? AND seq = ?", {room.id, replyTo});
    if (!*ok)
        return std::nullopt;
    if (!q.next())
        return Error{ErrorCode::NotFound, QStringLiteral("%1 has no message %2 to reply to").arg(room.name).arg(replyTo)};
    if (q.value(0).toInt() != int(Protocol::MessageKind::Text))
        return Error{ErrorCode::BadRequest,
                     QStringLiteral("%1 is an edit or a deletion, not a message to reply to").arg(replyTo)};
    if (q.value(1).toBool())
        return Error{ErrorCode::NotFound, QStringLiteral("message %1 was deleted").arg(replyTo)};
    return std::nullopt;
}

StoreResult<HistorySlice> history(QSqlDatabase &db, const RoomRecord &room, std::optional<qint64> before,
                                  std::optional<qint64> after, int limit)
{
    QSqlQuery q(db);
    const bool ok = after ? run(q,
                                "SELECT " TERTULIA_MESSAGE_COLUMNS " FROM messages m WHERE m.room_id = ? AND m.seq > ?"
                                " ORDER BY m.seq ASC LIMIT ?",
                                {room.id, *after, limit + 1})
                          : run(q,
                                "SELECT " TERTULIA_MESSAGE_COLUMNS " FROM messages m WHERE m.room_id = ? AND m.seq < ?"
                                " ORDER BY m.seq DESC LIMIT ?",
                                {room.id, before.value_or(std::numeric_limits<qint64>::max()), limit + 1});
    if (!ok)
        return Error{ErrorCode::Internal, QStringLiteral("the history could not be read; retry")};
    HistorySlice slice;
    while (q.next())
        slice.messages.append(messageFrom(q, room.name));
    slice.hasMore = slice.messages.size() > limit;
    if (slice.hasMore)
        slice.messages.removeLast();
    if (!after)
        std::reverse(slice.messages.begin(), slice.messages.end());
    if (!SqlReactions::attach(db, room.id, slice.messages))
        return Error{ErrorCode::Internal, QStringLiteral("the history could not be read; retry")};
    return slice;
}

std::optional<QList<PositionedMessage>> messagesAfter(QSqlDatabase &db, qint64 position, int limit)
{
    QSqlQuery q(db);
    if (!run(q,
             "SELECT m.gpos, r.id, r.name, r.private, r.creator, r.created_at, " TERTULIA_MESSAGE_COLUMNS
             " FROM messages m JOIN rooms r ON r.id = m.room_id"
             " WHERE m.gpos > ? ORDER BY m.gpos LIMIT ?",
             {position, limit}))
        return std::nullopt;
    QList<PositionedMessage> found;
    while (q.next()) {
        PositionedMessage p;
        p.position = q.value(0).toLongLong();
        p.room = RoomRecord{q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toBool(), q.value(4).toString(),
                            0, q.value(5).toLongLong()};
        p.message = messageFrom(q, p.room.name, 6);
        found.append(p);
    }
    return found;
}

std::optional<QHash<qint64, qint64>> seqsAtPosition(QSqlDatabase &db, qint64 position, const QList<qint64> &roomIds)
{
    QSqlQuery last(db);
    if (!run(last, "SELECT gpos FROM positions WHERE id = 1", {}) || !last.next()
        || position > last.value(0).toLongLong())
        return std::nullopt;
    QHash<qint64, qint64> seqs;
    if (roomIds.isEmpty())
        return seqs;
    QStringList ids; // integers from our own records: safe to list in the statement
    for (const qint64 id : roomIds)
        ids.append(QString::number(id));
    // Per room, walk its (room_id, seq) index down from the newest message to the first at or below the
    // position: as long as what the client missed, not the room's whole history.
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.prepare(QStringLiteral("SELECT r.id, (SELECT m.seq FROM messages m WHERE m.room_id = r.id AND m.gpos <= ?"
                                  " ORDER BY m.seq DESC LIMIT 1) FROM rooms r WHERE r.id IN (%1)")
                       .arg(ids.join(u','))))
        return std::nullopt;
    q.addBindValue(position);
    if (!q.exec()) {
        qCWarning(lcStore) << "read failed: the seqs at a position:" << q.lastError().text();
        return std::nullopt;
    }
    while (q.next())
        seqs.insert(q.value(0).toLongLong(), q.value(1).isNull() ? 0 : q.value(1).toLongLong());
    return seqs;
}

} // namespace Tertulia::SqlReads
