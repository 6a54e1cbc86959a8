#include "server/store/sqlreactions.h"

#include "server/logging.h"
#include "server/store/sqlreads.h"
#include "shared/names.h"

#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia::SqlReactions {

using Protocol::ChatMessage;
using Protocol::Error;
using Protocol::ErrorCode;
using Protocol::MessageKind;

using SqlReads::run;

std::optional<Error> refusal(QSqlDatabase &db, const AmendRequest &change, bool *ok)
{
    QSqlQuery target(db);
    *ok = run(target, "SELECT kind, deleted FROM messages WHERE room_id = ? AND seq = ?", {change.room.id, change.target});
    if (!*ok)
        return std::nullopt;
    if (!target.next())
        return Error{ErrorCode::NotFound, QStringLiteral("%1 has no message %2").arg(change.room.name).arg(change.target)};
    if (target.value(0).toInt() != int(MessageKind::Text))
        return Error{ErrorCode::BadRequest, QStringLiteral("%1 is not a message one can react to").arg(change.target)};
    if (target.value(1).toBool())
        return Error{ErrorCode::NotFound, QStringLiteral("message %1 was deleted").arg(change.target)};
    if (change.kind != MessageKind::React)
        return std::nullopt;
    QSqlQuery given(db);
    *ok = run(given,
              "SELECT COUNT(DISTINCT reaction), SUM(CASE WHEN reaction = ? THEN 1 ELSE 0 END) FROM reactions"
              " WHERE room_id = ? AND seq = ?",
              {change.text, change.room.id, change.target});
    if (!*ok || !given.next())
        return std::nullopt;
    if (given.value(1).toLongLong() == 0 && given.value(0).toLongLong() >= kMaxPerMessage)
        return Error{ErrorCode::TooLarge,
                     QStringLiteral("message %1 has %2 different reactions already").arg(change.target).arg(kMaxPerMessage)};
    return std::nullopt;
}

bool write(QSqlDatabase &db, const AmendRequest &change, qint64 seq, qint64 ts)
{
    QSqlQuery query(db);
    const QString who = Names::canonical(change.sender);
    const bool ok = change.kind == MessageKind::React
                        ? run(query,
                              "INSERT INTO reactions (room_id, seq, user_key, user_name, reaction, ts, given_seq)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                              {change.room.id, change.target, who, change.sender, change.text, ts, seq})
                        : run(query, "DELETE FROM reactions WHERE room_id = ? AND seq = ? AND user_key = ? AND reaction = ?",
                              {change.room.id, change.target, who, change.text});
    QSqlQuery mark(db);
    return ok && run(mark, "UPDATE messages SET reaction_seq = ? WHERE room_id = ? AND seq = ?", {seq, change.room.id, change.target});
}

bool clear(QSqlDatabase &db, qint64 roomId, qint64 seq)
{
    QSqlQuery query(db);
    return run(query, "DELETE FROM reactions WHERE room_id = ? AND seq = ?", {roomId, seq});
}

bool attach(QSqlDatabase &db, qint64 roomId, QList<ChatMessage> &messages)
{
    if (messages.isEmpty())
        return true;
    // Pages are in ascending seq order: one range read for the page.
    QSqlQuery query(db);
    if (!run(query,
             "SELECT seq, reaction, user_name FROM reactions WHERE room_id = ? AND seq BETWEEN ? AND ?"
             " ORDER BY seq, given_seq",  // in the order they were given (two in one millisecond too)
             {roomId, messages.first().seq, messages.last().seq}))
        return false;
    auto message = messages.begin();
    while (query.next()) {
        const qint64 seq = query.value(0).toLongLong();
        message = std::lower_bound(message, messages.end(), seq, [](const ChatMessage &m, qint64 s) { return m.seq < s; });
        if (message == messages.end() || message->seq != seq)
            continue;
        const QString reaction = query.value(1).toString();
        auto it = std::find_if(message->reactions.begin(), message->reactions.end(),
                               [&reaction](const Protocol::Reaction &r) { return r.reaction == reaction; });
        if (it == message->reactions.end())
            it = message->reactions.insert(message->reactions.end(), Protocol::Reaction{reaction, {}});
        it->users.append(query.value(2).toString());
    }
    return true;
}

} // namespace Tertulia::SqlReactions
