#pragma once

#include "server/store/store.h"

class QSqlDatabase;

/// Reactions in both SQL stores (same SQL on SQLite and PostgreSQL), on whichever connection is given: the
/// writer's, inside Store::amend()'s transaction, and the readers' for history.
namespace Tertulia::SqlReactions {

/// A message has at most this many different reactions (a new one beyond is refused; more people may still
/// give the ones it has).
inline constexpr int kMaxPerMessage = 20;

/// Why the reaction `change` (React or Unreact) cannot be stored, or nullopt when it can: NotFound when the
/// room has no message `change.target` or it is deleted, BadRequest when that is an edit, deletion or
/// reaction, TooLarge when it would be the message's kMaxPerMessage + 1st different reaction. `ok` is false
/// when the database could not be read.
std::optional<Protocol::Error> refusal(QSqlDatabase &db, const AmendRequest &change, bool *ok);

/// Gives or takes back the reaction on its target (the reactions row) and records `seq` as the target's
/// reaction_seq; false on a database error.
bool write(QSqlDatabase &db, const AmendRequest &change, qint64 seq, qint64 ts);

/// Forgets every reaction of message `seq` (it was deleted); false on a database error.
bool clear(QSqlDatabase &db, qint64 roomId, qint64 seq);

/// Fills in the reactions of the messages (not entries) among `messages` of room `roomId`, as they are now.
/// False when the database could not be read (the messages keep none).
bool attach(QSqlDatabase &db, qint64 roomId, QList<Protocol::ChatMessage> &messages);

} // namespace Tertulia::SqlReactions
