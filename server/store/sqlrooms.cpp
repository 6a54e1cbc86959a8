#include "server/store/sqlrooms.h"

#include "server/store/sqlreads.h"

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>

#include <vector>

using namespace Qt::StringLiterals;

namespace Tertulia::SqlRooms {

using SqlReads::run;

namespace {
/// An absent setting binds NULL (COALESCE keeps the stored value); a present text never does, even when empty
/// (Qt binds a null QString as NULL).
QVariant text(const std::optional<QString> &value) { return value ? QVariant(value->isNull() ? u""_s : *value) : QVariant(); }
QVariant flag(const std::optional<bool> &value) { return value ? QVariant(*value) : QVariant(); }
} // namespace

bool update(QSqlDatabase &db, qint64 roomId, const RoomChange &change)
{
    QSqlQuery q(db);
    return run(q,
               "UPDATE rooms SET title = COALESCE(?, title), topic = COALESCE(?, topic),"
               " private = COALESCE(?, private), archived = COALESCE(?, archived) WHERE id = ? AND deleted_at = 0",
               {text(change.title), text(change.topic), flag(change.isPrivate), flag(change.archived), roomId})
        && q.numRowsAffected() == 1;
}

bool remove(QSqlDatabase &db, qint64 roomId, qint64 deletedAt, bool keepHistory)
{
    QSqlQuery mark(db);
    if (!run(mark, "UPDATE rooms SET deleted_at = ? WHERE id = ? AND deleted_at = 0", {deletedAt, roomId})
        || mark.numRowsAffected() != 1)
        return false;
    // What belongs to the room's life, not to its history, goes in any case.
    std::vector<const char *> statements{
        "DELETE FROM members WHERE room_id = ?",        "DELETE FROM invites WHERE room_id = ?",
        "DELETE FROM room_roles WHERE room_id = ?",     "DELETE FROM room_sanctions WHERE room_id = ?",
        "DELETE FROM read_markers WHERE room_id = ?",
    };
    if (!keepHistory) // the search index follows the messages (SQLite's triggers; PostgreSQL's generated column)
        statements.insert(statements.end(), {"DELETE FROM reactions WHERE room_id = ?", "DELETE FROM messages WHERE room_id = ?"});
    for (const char *sql : statements) {
        QSqlQuery q(db);
        if (!run(q, sql, {roomId}))
            return false;
    }
    return true;
}

} // namespace Tertulia::SqlRooms
