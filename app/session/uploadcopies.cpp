#include "app/session/uploadcopies.h"

#include "app/logging.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QRunnable>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
bool isPartial(const QString &name) { return name.endsWith(QLatin1StringView(UploadCopies::kPartialSuffix)); }

/// Runs on the pool's thread: writes `<id>.part`, flushes it, renames it to `<id>`; the path, or "" when it
/// was not kept.
QString writeCopy(const QByteArray &data, const QString &directory, qint64 maxKeptBytes)
{
    if (!QDir().mkpath(directory)) {
        qCWarning(lcClientStorage) << "cannot create" << directory << "- the file is kept in memory";
        return {};
    }
    qint64 kept = 0;
    for (const QFileInfo &copy : QDir(directory).entryInfoList(QDir::Files)) {
        if (!isPartial(copy.fileName()))
            kept += copy.size();
    }
    if (kept + data.size() > maxKeptBytes) {
        qCWarning(lcClientStorage) << "files waiting to be sent take" << kept << "bytes already: this one is kept in"
                                   << "memory and is lost if the app quits before it is sent";
        return {};
    }
    const QString path = QDir(directory).filePath(QUuid::createUuid().toString(QUuid::WithoutBraces));
    const QString partial = path + QLatin1StringView(UploadCopies::kPartialSuffix);
    QFile file(partial);
    const bool written = file.open(QIODevice::WriteOnly | QIODevice::NewOnly) && file.write(data) == data.size()
                         && file.flush();
    const QString error = file.errorString();
    file.close();
    if (!written || file.error() != QFileDevice::NoError || !QFile::rename(partial, path)) {
        qCWarning(lcClientStorage) << "cannot keep a copy at" << path << (written ? u"(rename failed)"_s : error);
        QFile::remove(partial);
        return {};
    }
    return path;
}

/// Runs on the pool's thread: what sweep() removes; how many went.
int removeUnreferenced(const QString &directory, const QSet<QString> &referenced, const QDateTime &before)
{
    int removed = 0;
    const QDir dir(directory);
    for (const QFileInfo &file : dir.entryInfoList(QDir::Files | QDir::Hidden | QDir::System)) {
        const QString path = QDir::cleanPath(file.absoluteFilePath());
        if (file.lastModified() >= before || (!isPartial(file.fileName()) && referenced.contains(path)))
            continue;
        if (QFile::remove(path)) {
            ++removed;
            qCInfo(lcClientStorage) << "removed" << path << (isPartial(path) ? "(a partial copy)" : "(nothing sends it)");
        } else {
            qCWarning(lcClientStorage) << "cannot remove the unused copy" << path;
        }
    }
    return removed;
}
} // namespace

UploadCopies::UploadCopies(QObject *parent) : QObject(parent)
{
    // One at a time, in order: a sweep asked for first never sees a copy asked for after it half written,
    // and copies count the directory's bytes one after the other.
    m_pool.setMaxThreadCount(1);
    m_pool.setObjectName(u"tertulia-upload-copies"_s);
    // Emitted on the pool's thread: queued to this one, where the count lives.
    connect(this, &UploadCopies::copied, this, [this] { --m_pending; });
    connect(this, &UploadCopies::swept, this, [this] { --m_pending; });
}

UploadCopies::~UploadCopies() { m_pool.waitForDone(); }

void UploadCopies::copy(const QString &key, const QByteArray &data, const QString &directory, qint64 maxKeptBytes)
{
    ++m_pending;
    // `data` is implicitly shared: the job holds the bytes without copying them, and nobody changes them.
    m_pool.start(QRunnable::create([this, key, data, directory, maxKeptBytes] {
        Q_EMIT copied(key, writeCopy(data, directory, maxKeptBytes));
    }));
}

void UploadCopies::sweep(const QString &directory, Referenced referenced)
{
    ++m_pending;
    m_pool.start(QRunnable::create(
        [this, directory, referenced = std::move(referenced), before = QDateTime::currentDateTimeUtc()] {
            const std::optional<QSet<QString>> paths = referenced();
            if (!paths) {
                qCWarning(lcClientStorage) << "cannot tell which copies in" << directory << "are in use: none removed";
                Q_EMIT swept(directory, 0);
                return;
            }
            QSet<QString> cleaned;
            for (const QString &path : *paths)
                cleaned.insert(QDir::cleanPath(QFileInfo(path).absoluteFilePath()));
            Q_EMIT swept(directory, removeUnreferenced(directory, cleaned, before));
        }));
}

void UploadCopies::waitForDone() { m_pool.waitForDone(); }

} // namespace Tertulia
