#pragma once

#include "server/store/store.h"

#include <QtCore/QVariant>

#include <string_view>

class QSqlDatabase;
class QSqlQuery;

/// The columns of a ChatMessage in the order SqlReads::messageFrom() reads them, of the messages table named
/// `m` (both stores write their message queries with it).
#define TERTULIA_MESSAGE_COLUMNS \
    "m.seq, m.sender, m.text, m.client_msg_id, m.ts, m.kind, m.target, m.edited_at, m.edit_seq, m.deleted, m.deleted_by," \
    " m.reply_to, m.reaction_seq, m.file, m.written_at"

/// The room (id, name, private, creator, last_seq, created_at and the settings) of the direct conversation of a pair of user
/// keys, bound in order (Store::openDirect on both stores).
#define TERTULIA_DIRECT_ROOM_SELECT \
    "SELECT r.id, r.name, r.private, r.creator, r.last_seq, r.created_at, r.title, r.topic, r.archived" \
    " FROM direct_rooms d" \
    " JOIN rooms r ON r.id = d.room_id WHERE d.user_a = ? AND d.user_b = ?"

namespace Tertulia::SqlReads {

/// How many columns TERTULIA_MESSAGE_COLUMNS names: the columns a query selects after them start there.
inline constexpr int kMessageColumnCount = [] {
    int columns = 1;
    for (const char c : std::string_view(TERTULIA_MESSAGE_COLUMNS))
        columns += c == ',' ? 1 : 0;
    return columns;
}();

/// The keys, in order, of the direct conversation of `user` and `other` (Names::directUsers() of their address),
/// or BadRequest when they are not two different valid users.
StoreResult<QStringList> directPair(const QString &user, const QString &other);

/// Runs `sql` (one statement, the same text on both stores) with `values` in order through
/// SqlStatement::execute() (one round trip on PostgreSQL), forward-only; false, and the SQL and the error in the log, when it fails. What every shared statement
/// (these reads, SqlReactions, SqlReadMarkers) runs through.
bool run(QSqlQuery &query, const char *sql, const QVariantList &values);

/// The message in TERTULIA_MESSAGE_COLUMNS of the query's current row, from column `first` on.
Protocol::ChatMessage messageFrom(const QSqlQuery &q, const QString &room, int first = 0);
/// `messages.written_at` (schema 14) for a message's written time: NULL for 0 (none).
QVariant writtenAtColumn(qint64 writtenAt);
/// `messages.traceparent` and `messages.trace_node` (schema 16) of an append: the traced message's context
/// and the node that received it; NULL for both when it is not traced (an invalid AppendRequest::trace).
QVariant traceparentColumn(const AppendRequest &request);
QVariant traceNodeColumn(const AppendRequest &request);

/// The statements both SQL stores read with, on whichever connection is given (the store's own, or its
/// StoreReader's on the reader thread). Same SQL on SQLite and PostgreSQL.

/// Store::users(): a page of the accounts that exist, in canonical name order, after `afterKey` (empty: from
/// the first).
QList<UserRecord> users(QSqlDatabase &db, const QString &afterKey, int limit);

/// Why a reply to `replyTo` in `room` cannot be stored (Store::append), or nullopt when it can: NotFound when
/// the room has no such message or it is deleted, BadRequest when it is an edit or a deletion. `ok` false when
/// the database could not be read. Read in the writer's transaction, so a message stored earlier in the same
/// transaction counts.
std::optional<Protocol::Error> replyRefusal(QSqlDatabase &db, const RoomRecord &room, qint64 replyTo, bool *ok);

/// A page of `room`'s history (`before`/`after` as in the protocol's history request), ascending seq order.
StoreResult<HistorySlice> history(QSqlDatabase &db, const RoomRecord &room, std::optional<qint64> before,
                                  std::optional<qint64> after, int limit);

/// Messages of every room above the global position `position`, in position order, at most `limit`
/// (PostgreSQL: SQLite keeps no positions), traced ones with their trace context and node. nullopt when the
/// database could not be read.
std::optional<QList<PositionedMessage>> messagesAfter(QSqlDatabase &db, qint64 position, int limit);
/// messagesAfter()'s statement (binds the position and the limit) and the PositionedMessage of its current
/// row, for a store that runs it on a connection of its own.
extern const char *const kMessagesAfterSql;
PositionedMessage positionedFrom(const QSqlQuery &q);

/// For each room of `roomIds`: the seq of its last message at or below the global position (0: none);
/// nullopt when `position` is above the store's last position (never given out) or the database could not
/// be read (PostgreSQL: SQLite keeps no positions).
std::optional<QHash<qint64, qint64>> seqsAtPosition(QSqlDatabase &db, qint64 position, const QList<qint64> &roomIds);

/// The SQL a search needs differs between the stores (FTS5 against a tsvector column); the rest is shared.
enum class SearchDialect { Sqlite, Postgres };

/// A search (Store::search) on `db`: SQLite matches the FTS5 table message_search, PostgreSQL the messages'
/// `search` tsvector; both order by (ts, room id, seq) descending and give each message its reactions.
StoreResult<SearchSlice> search(QSqlDatabase &db, const SearchRequest &request, SearchDialect dialect);

/// The store's match marks in a snippet (U+0002 before a match, U+0003 after it) turned into ranges of the
/// plain snippet; stray marks are dropped. Exposed for its test.
Protocol::SearchHit highlighted(const QString &markedSnippet);

} // namespace Tertulia::SqlReads
