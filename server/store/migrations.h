#pragma once

#include <QtCore/QString>

#include <span>

class QSqlDatabase;

namespace Tertulia {

/// One numbered step of a store's schema. Steps are only ever appended: a database records the highest
/// step applied (`meta.schema_version`) and a newer server applies the ones after it, each in its own
/// transaction, when it opens the store.
struct Migration
{
    int version;               ///< 1, 2, 3, ... in order
    const char *description;   ///< for the log
    std::span<const char *const> statements;
};

struct MigrationOptions
{
    /// Runs first inside every migration transaction (PostgreSQL: an advisory lock, so that nodes starting
    /// together migrate one after the other). Empty: nothing.
    QString lockStatement;
};

/// Brings the database to the last migration's version. A database written by a newer server (a version
/// above the last one known here) is refused rather than used: its schema may mean something this code
/// does not know. False with `errorMessage` on failure; a failed step is rolled back.
bool applyMigrations(QSqlDatabase &db, std::span<const Migration> migrations, const MigrationOptions &options,
                     QString *errorMessage);

/// The schema version recorded in the database (0 for an empty one).
int schemaVersion(QSqlDatabase &db);

} // namespace Tertulia
