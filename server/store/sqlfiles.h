#pragma once

#include "server/store/store.h"

#include <QtCore/QStringList>
#include <QtCore/QVariant>

#include <optional>

class QSqlDatabase;

/// The statements of files (issue 12, schema version 12), the same SQL on SQLite and PostgreSQL, on the
/// connection given. Where the bytes live is the store's choice: the `data` column (PostgreSQL; SQLite in
/// memory), or a file under the data directory (SQLite on disk: `data` stays NULL).
namespace Tertulia::SqlFiles {

/// A message's `file` column: the FileInfo as compact JSON, or '' for none.
QString columnOf(const std::optional<Protocol::FileInfo> &file);
/// The FileInfo of a `file` column (nullopt for '' or anything unreadable).
std::optional<Protocol::FileInfo> fromColumn(const QString &column);

/// Inserts the record (seq 0) with `data` (a QByteArray, or a null QVariant when the bytes are elsewhere).
bool insert(QSqlDatabase &db, const FileRecord &file, const QVariant &data);

/// The record of a file of a live room; nullopt when there is none (`ok` false: the database could not be read).
std::optional<FileRecord> find(QSqlDatabase &db, const QString &id, bool *ok);

/// The `data` column of a file (nullopt: no row, NULL, or unreadable).
std::optional<QByteArray> data(QSqlDatabase &db, const QString &id);

/// Store::unsentFiles(): the user's uploads no message carries yet, in live rooms; -1 when unreadable.
int unsentCount(QSqlDatabase &db, const QString &uploader);

/// Store::append's check and claim, in the append's transaction: the file `r.fileId` was uploaded by
/// `r.sender` to `r.room` and no message carries it yet; it now belongs to message `seq`. The FileInfo to store
/// with the message, or NotFound (the file is unknown, someone else's, another room's, or already sent).
/// `ok` false when the database failed (the caller fails the batch).
std::variant<Protocol::FileInfo, Protocol::Error> attach(QSqlDatabase &db, const AppendRequest &r, qint64 seq, bool *ok);

/// Forgets the files of message `seq` of a room (a deletion), or of the whole room (seq nullopt: a room deleted
/// with its history): their rows go, and the answer names them so that a store keeping bytes on disk removes
/// those once the transaction committed. nullopt when a statement failed.
std::optional<QStringList> forget(QSqlDatabase &db, qint64 roomId, std::optional<qint64> seq);

} // namespace Tertulia::SqlFiles
