#include "server/store/sqlfiles.h"

#include "server/store/sqlreads.h"
#include "shared/names.h"

#include <QtCore/QJsonDocument>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>

using namespace Qt::StringLiterals;

namespace Tertulia::SqlFiles {

using Protocol::Error;
using Protocol::ErrorCode;
using Protocol::FileInfo;

QString columnOf(const std::optional<FileInfo> &file)
{
    if (!file)
        return u""_s;
    return QString::fromUtf8(QJsonDocument(file->toJson()).toJson(QJsonDocument::Compact));
}

std::optional<FileInfo> fromColumn(const QString &column)
{
    if (column.isEmpty())
        return std::nullopt;
    auto parsed = FileInfo::fromJson(QJsonDocument::fromJson(column.toUtf8()).object());
    if (auto *info = std::get_if<FileInfo>(&parsed))
        return std::move(*info);
    return std::nullopt;
}

bool insert(QSqlDatabase &db, const FileRecord &file, const QVariant &data)
{
    QSqlQuery q(db);
    return SqlReads::run(q,
                         "INSERT INTO files (id, room_id, uploader, uploader_key, name, type, size, width, height,"
                         " created_at, seq, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                         {file.info.id, file.roomId, file.uploader, Names::canonical(file.uploader), file.info.name,
                          file.info.type, file.info.size, file.info.width, file.info.height, file.createdAt, data});
}

std::optional<FileRecord> find(QSqlDatabase &db, const QString &id, bool *ok)
{
    QSqlQuery q(db);
    *ok = SqlReads::run(q,
                        "SELECT f.id, f.name, f.type, f.size, f.width, f.height, f.room_id, r.name, f.uploader, f.seq,"
                        " f.created_at FROM files f JOIN rooms r ON r.id = f.room_id"
                        " WHERE f.id = ? AND r.deleted_at = 0",
                        {id});
    if (!*ok || !q.next())
        return std::nullopt;
    FileRecord f;
    f.info = FileInfo{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                      q.value(3).toLongLong(), q.value(4).toInt(), q.value(5).toInt()};
    f.roomId = q.value(6).toLongLong();
    f.room = q.value(7).toString();
    f.uploader = q.value(8).toString();
    f.seq = q.value(9).toLongLong();
    f.createdAt = q.value(10).toLongLong();
    return f;
}

std::optional<QByteArray> data(QSqlDatabase &db, const QString &id)
{
    QSqlQuery q(db);
    if (!SqlReads::run(q, "SELECT data FROM files WHERE id = ?", {id}) || !q.next() || q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toByteArray();
}

int unsentCount(QSqlDatabase &db, const QString &uploader)
{
    QSqlQuery q(db);
    if (!SqlReads::run(q,
                       "SELECT COUNT(*) FROM files f JOIN rooms r ON r.id = f.room_id"
                       " WHERE f.uploader_key = ? AND f.seq = 0 AND r.deleted_at = 0",
                       {Names::canonical(uploader)})
        || !q.next())
        return -1;
    return q.value(0).toInt();
}

std::variant<FileInfo, Error> attach(QSqlDatabase &db, const AppendRequest &r, qint64 seq, bool *ok)
{
    const Error unknown{ErrorCode::NotFound,
                        QStringLiteral("no file '%1' waits to be sent in '%2': upload it to this room first "
                                       "(each upload is sent once, by its uploader)")
                            .arg(r.fileId, r.room.name)};
    FileInfo info;
    {
        QSqlQuery q(db);
        *ok = SqlReads::run(q,
                            "SELECT name, type, size, width, height FROM files"
                            " WHERE id = ? AND room_id = ? AND uploader_key = ? AND seq = 0",
                            {r.fileId, r.room.id, Names::canonical(r.sender)});
        if (!*ok)
            return unknown;
        if (!q.next())
            return unknown;
        info = FileInfo{r.fileId, q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong(),
                        q.value(3).toInt(), q.value(4).toInt()};
    }
    QSqlQuery claim(db);
    *ok = SqlReads::run(claim, "UPDATE files SET seq = ? WHERE id = ? AND seq = 0", {seq, r.fileId});
    return info;
}

std::optional<QStringList> forget(QSqlDatabase &db, qint64 roomId, std::optional<qint64> seq)
{
    QStringList ids;
    {
        QSqlQuery q(db);
        const bool ran = seq ? SqlReads::run(q, "SELECT id FROM files WHERE room_id = ? AND seq = ?", {roomId, *seq})
                             : SqlReads::run(q, "SELECT id FROM files WHERE room_id = ?", {roomId});
        if (!ran)
            return std::nullopt;
        while (q.next())
            ids.append(q.value(0).toString());
    }
    if (ids.isEmpty())
        return ids;
    QSqlQuery remove(db);
    const bool removed = seq ? SqlReads::run(remove, "DELETE FROM files WHERE room_id = ? AND seq = ?", {roomId, *seq})
                             : SqlReads::run(remove, "DELETE FROM files WHERE room_id = ?", {roomId});
    if (!removed)
        return std::nullopt;
    return ids;
}

} // namespace Tertulia::SqlFiles
