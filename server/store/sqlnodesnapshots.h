#pragma once

#include "server/store/store.h"

#include <QtCore/QList>
#include <QtCore/QString>

class QSqlDatabase;

/// Node snapshots in both SQL stores (schema 17, issue 13): the answers of a cluster's nodes to one admin
/// request, on the writer's connection given (Store::putNodeSnapshot(), Store::takeNodeSnapshots()). The same
/// SQL on SQLite and PostgreSQL.
namespace Tertulia::SqlNodeSnapshots {

/// Stores `snapshot`, replacing one of the same request and node; false when the database fails.
bool put(QSqlDatabase &db, const NodeSnapshot &snapshot);

/// Reads and removes the answers to `request` (by node), and drops every answer taken before `staleBefore`;
/// what could be read (nothing when the database fails).
QList<NodeSnapshot> take(QSqlDatabase &db, const QString &request, qint64 staleBefore);

} // namespace Tertulia::SqlNodeSnapshots
