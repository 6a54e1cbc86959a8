#include "server/store/sqlreads.h"

#include "server/logging.h"
#include "server/store/sqlfiles.h"
#include "server/store/sqlreactions.h"
#include "server/store/sqlstatement.h"
#include "shared/names.h"

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>
#include <QtCore/QStringList>

#include <algorithm>
#include <limits>
#include <numeric>
#include <tuple>

using namespace Qt::StringLiterals;

namespace Tertulia::SqlReads {

using Protocol::ChatMessage;
using Protocol::Error;
using Protocol::ErrorCode;

bool run(QSqlQuery &query, const char *sql, const QVariantList &values)
{
    const bool ok = SqlStatement::execute(query, QString::fromLatin1(sql), values);
    if (!ok)
        qCWarning(lcStore) << "statement failed:" << sql << query.lastError().text();
    return ok;
}

StoreResult<QStringList> directPair(const QString &user, const QString &other)
{
    const QStringList pair = Names::directUsers(Names::directAddress(user, other));
    if (pair.isEmpty())
        return Protocol::Error{Protocol::ErrorCode::BadRequest,
                               QStringLiteral("no direct conversation between '%1' and '%2'").arg(user, other)};
    return pair;
}

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
    m.file = SqlFiles::fromColumn(q.value(first + 13).toString());
    m.writtenAt = q.value(first + 14).toLongLong(); // NULL: 0, none
    return m;
}

QVariant writtenAtColumn(qint64 writtenAt)
{
    return writtenAt > 0 ? QVariant(writtenAt) : QVariant(QMetaType::fromType<qint64>());
}

QVariant traceparentColumn(const AppendRequest &request)
{
    return request.trace.isValid() ? QVariant(request.trace.traceparent()) : QVariant(QMetaType::fromType<QString>());
}

QVariant traceNodeColumn(const AppendRequest &request)
{
    return request.trace.isValid() && !request.traceNode.isEmpty() ? QVariant(request.traceNode)
                                                                   : QVariant(QMetaType::fromType<QString>());
}

QList<UserRecord> users(QSqlDatabase &db, const QString &afterKey, int limit)
{
    QList<UserRecord> users;
    QSqlQuery q(db);
    // From the first: no bound empty string (a null QString binds as NULL, which nothing is greater than).
    const bool ran = afterKey.isEmpty()
        ? run(q, "SELECT name, password_hash, is_admin, created_at, disabled FROM users"
                 " WHERE deleted_at IS NULL ORDER BY key LIMIT ?",
              {limit})
        : run(q, "SELECT name, password_hash, is_admin, created_at, disabled FROM users"
                 " WHERE key > ? AND deleted_at IS NULL ORDER BY key LIMIT ?",
              {afterKey, limit});
    while (ran && q.next())
        users.append(UserRecord{q.value(0).toString(), q.value(1).toByteArray(), q.value(2).toBool(),
                                q.value(3).toLongLong(), q.value(4).toBool()});
    return users;
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

const char *const kMessagesAfterSql =
    "SELECT m.gpos, r.id, r.name, r.private, r.creator, r.created_at, " TERTULIA_MESSAGE_COLUMNS
    ", m.traceparent, m.trace_node FROM messages m JOIN rooms r ON r.id = m.room_id"
    " WHERE m.gpos > ? ORDER BY m.gpos LIMIT ?";

PositionedMessage positionedFrom(const QSqlQuery &q)
{
    PositionedMessage p;
    p.position = q.value(0).toLongLong();
    p.room = RoomRecord{q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toBool(), q.value(4).toString(),
                        0, q.value(5).toLongLong()};
    p.message = messageFrom(q, p.room.name, 6);
    // The database is trusted no more than a notice: a context that does not parse leaves the message untraced.
    constexpr int traceparentColumn = 6 + kMessageColumnCount;
    if (const QVariant traceparent = q.value(traceparentColumn); !traceparent.isNull()) {
        if (const auto context = Trace::TraceContext::parse(traceparent.toString())) {
            p.trace = *context;
            p.traceNode = q.value(traceparentColumn + 1).toString();
        }
    }
    return p;
}

std::optional<QList<PositionedMessage>> messagesAfter(QSqlDatabase &db, qint64 position, int limit)
{
    QSqlQuery q(db);
    if (!run(q, kMessagesAfterSql, {position, limit}))
        return std::nullopt;
    QList<PositionedMessage> found;
    while (q.next())
        found.append(positionedFrom(q));
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
    if (!SqlStatement::execute(q,
                               QStringLiteral("SELECT r.id, (SELECT m.seq FROM messages m WHERE m.room_id = r.id AND m.gpos <= ?"
                                              " ORDER BY m.seq DESC LIMIT 1) FROM rooms r WHERE r.id IN (%1)")
                                   .arg(ids.join(u',')),
                               {position})) {
        qCWarning(lcStore) << "read failed: the seqs at a position:" << q.lastError().text();
        return std::nullopt;
    }
    while (q.next())
        seqs.insert(q.value(0).toLongLong(), q.value(1).isNull() ? 0 : q.value(1).toLongLong());
    return seqs;
}

Protocol::SearchHit highlighted(const QString &markedSnippet)
{
    Protocol::SearchHit hit;
    hit.snippet.reserve(markedSnippet.size());
    int start = -1;
    for (const QChar c : markedSnippet) {
        if (c == QChar(0x02)) {
            start = int(hit.snippet.size());
        } else if (c == QChar(0x03)) {
            if (start >= 0 && hit.snippet.size() > start)
                hit.highlights.append({start, int(hit.snippet.size()) - start});
            start = -1;
        } else {
            hit.snippet.append(c);
        }
    }
    return hit;
}

StoreResult<SearchSlice> search(QSqlDatabase &db, const SearchRequest &request, SearchDialect dialect)
{
    const Error failed{ErrorCode::Internal, QStringLiteral("the search could not be read; retry")};
    SearchSlice slice;
    if (request.rooms.isEmpty() || request.terms.isEmpty())
        return slice;
    QStringList ids; // integers from our own records: safe to list in the statement
    QHash<qint64, QString> names;
    for (const RoomRecord &room : request.rooms) {
        ids.append(QString::number(room.id));
        names.insert(room.id, room.name);
    }
    // Each term is a prefix of a word. The terms hold letters, digits and combining marks only
    // (Protocol::searchTerms), so neither quoting nor query syntax can be smuggled in through them.
    QStringList parts;
    for (const QString &term : request.terms)
        parts.append(dialect == SearchDialect::Sqlite ? u'"' + term + u"\"*"_s : term + u":*"_s);
    const SearchCursor before = request.before.value_or(
        SearchCursor{std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::max(), 0});
    // The cursor's row comparison, written out: SQLite has row values, but the planner uses them less well.
    const QString below = u" AND (m.ts < ? OR (m.ts = ? AND (m.room_id < ? OR (m.room_id = ? AND m.seq < ?))))"_s;
    const auto run = [](const QString &sql, const QVariantList &values, QSqlQuery &q) {
        const bool ok = SqlStatement::execute(q, sql, values);
        if (!ok)
            qCWarning(lcStore) << "read failed: a search:" << q.lastError().text();
        return ok;
    };
    const auto collect = [&slice, &names](QSqlQuery &q) {
        while (q.next()) {
            const qint64 roomId = q.value(0).toLongLong();
            Protocol::SearchHit hit = highlighted(q.value(1).toString());
            hit.message = messageFrom(q, names.value(roomId), 2);
            slice.positions.append(SearchCursor{hit.message.timestamp, roomId, hit.message.seq});
            slice.hits.append(hit);
        }
    };
    const QVariantList cursorValues{before.ts, before.ts, before.roomId, before.roomId, before.seq};
    if (dialect == SearchDialect::Sqlite) {
        // One query per room, each walking the room's part of the index from its newest entry down (rowid
        // room_id * 2^40 + seq, migration 8 in sqlitestore.cpp) and stopping after a page: a word found in
        // most messages costs a page, not a sort of every match (100 000 matches: 1.7 s sorted, 0.04 s so).
        // Within a room seq order is time order; the pages of the rooms are merged by time below.
        const QString sql = u"SELECT m.room_id, snippet(message_search, 0, ?, ?, ?, 16), " TERTULIA_MESSAGE_COLUMNS
                            " FROM message_search JOIN messages m ON m.room_id = (message_search.rowid >> 40)"
                            " AND m.seq = (message_search.rowid & 1099511627775)"
                            " WHERE message_search MATCH ? AND message_search.rowid BETWEEN ? AND ?"_s
            + below + u" ORDER BY message_search.rowid DESC LIMIT ?"_s;
        constexpr qint64 kRoomSpan = qint64(1) << 40;
        for (const RoomRecord &room : request.rooms) {
            if (room.id <= 0 || room.id >= (qint64(1) << 23))
                continue; // not indexed (see migration 8)
            qint64 last = room.id * kRoomSpan + kRoomSpan - 1;
            if (request.before && request.before->roomId == room.id)
                last = room.id * kRoomSpan + std::max<qint64>(request.before->seq, 0) - 1;
            QSqlQuery q(db);
            if (!run(sql,
                     QVariantList{QString(QChar(0x02)), QString(QChar(0x03)), u"\u2026"_s, parts.join(u' '),
                                  room.id * kRoomSpan, last}
                         + cursorValues + QVariantList{request.limit + 1},
                     q))
                return failed;
            collect(q);
        }
        // Newest first across the rooms, as PostgreSQL orders them.
        QList<qsizetype> order(slice.hits.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&slice](qsizetype a, qsizetype b) {
            const SearchCursor &x = slice.positions.at(a);
            const SearchCursor &y = slice.positions.at(b);
            return std::tie(x.ts, x.roomId, x.seq) > std::tie(y.ts, y.roomId, y.seq);
        });
        SearchSlice sorted;
        for (qsizetype i = 0; i < order.size() && i <= request.limit; ++i) {
            sorted.hits.append(slice.hits.at(order.at(i)));
            sorted.positions.append(slice.positions.at(order.at(i)));
        }
        slice = sorted;
    } else {
        // One query: the GIN index finds the matches, then the newest page of them.
        const QString sql = u"SELECT m.room_id, ts_headline('tertulia_search', m.text, q.query, ?), " TERTULIA_MESSAGE_COLUMNS
                            " FROM messages m, (SELECT to_tsquery('tertulia_search', ?) AS query) q"
                            " WHERE m.search @@ q.query AND m.room_id IN (%1)"_s.arg(ids.join(u','))
            + below + u" ORDER BY m.ts DESC, m.room_id DESC, m.seq DESC LIMIT ?"_s;
        // ts_headline's default (one excerpt, not fragments): it keeps the punctuation around the words.
        QSqlQuery q(db);
        if (!run(sql,
                 QVariantList{u"StartSel=\x02, StopSel=\x03, MaxWords=24, MinWords=12, ShortWord=0"_s, parts.join(u" & "_s)}
                     + cursorValues + QVariantList{request.limit + 1},
                 q))
            return failed;
        collect(q);
    }
    slice.hasMore = slice.hits.size() > request.limit;
    if (slice.hasMore) {
        slice.hits.removeLast();
        slice.positions.removeLast();
    }
    // Each message as history shows it: with its reactions (read per room, as a history page).
    QHash<qint64, QList<qsizetype>> byRoom;
    for (qsizetype i = 0; i < slice.positions.size(); ++i)
        byRoom[slice.positions.at(i).roomId].append(i);
    for (auto it = byRoom.begin(); it != byRoom.end(); ++it) {
        // Hits come by time; SqlReactions::attach() wants a room's messages in ascending seq order.
        std::sort(it.value().begin(), it.value().end(), [&slice](qsizetype a, qsizetype b) {
            return slice.positions.at(a).seq < slice.positions.at(b).seq;
        });
        QList<ChatMessage> messages;
        for (const qsizetype i : it.value())
            messages.append(slice.hits.at(i).message);
        if (!SqlReactions::attach(db, it.key(), messages))
            return failed;
        for (qsizetype k = 0; k < messages.size(); ++k)
            slice.hits[it.value().at(k)].message = messages.at(k);
    }
    return slice;
}

} // namespace Tertulia::SqlReads
