#pragma once

#include "server/store/store.h"

class QSqlDatabase;

/// The writes of room settings (schema version 11), the same SQL on SQLite and PostgreSQL, on the connection
/// given (the store's writer). The stores wrap them in their own write and transaction helpers.
namespace Tertulia::SqlRooms {

/// Store::updateRoom()'s change: only the settings given (COALESCE keeps the others as stored). True when the
/// live room `roomId` was updated.
bool update(QSqlDatabase &db, qint64 roomId, const RoomChange &change);

/// Store::deleteRoom()'s statements, to run in one transaction: marks the room deleted (its row, and so its
/// name, stays), drops what belongs to its life (members, invitations, roles, sanctions, read markers) and,
/// unless `keepHistory`, its messages and reactions. False when there is no such live room or a statement
/// failed (the caller rolls back).
bool remove(QSqlDatabase &db, qint64 roomId, qint64 deletedAt, bool keepHistory);

} // namespace Tertulia::SqlRooms
