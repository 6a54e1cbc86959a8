#pragma once

#include <QtCore/QCache>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSize>
#include <QtGui/QImage>

namespace Tertulia {

class ChatFiles;

/// The inline images of the timeline (issue 12): each downloaded once with the session's token, decoded off the
/// GUI thread (QtConcurrent) straight to at most kMaxBox (QImageReader::setScaledSize: a large image is never
/// decoded at full size), and kept in a QCache bounded by memory. A failed download (403 after a ban, 404
/// after a deletion) is remembered with its reason, shown in the row; forget() lets it be tried again.
class FileThumbnails final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileThumbnails)

public:
    /// The largest thumbnail, in device-independent pixels.
    static constexpr QSize kMaxBox{360, 240};
    /// Memory for decoded thumbnails, in KiB.
    static constexpr int kCacheKiB = 32 * 1024;

    explicit FileThumbnails(ChatFiles &files, QObject *parent = nullptr);
    ~FileThumbnails() override;

    /// The size an image of `size` is shown at: scaled down to fit kMaxBox, never up.
    static QSize boxFor(QSize size);

    /// The thumbnail when it is loaded; otherwise a null image, and it starts loading (once).
    QImage thumbnail(const QString &fileId);
    bool isLoading(const QString &fileId) const { return m_loading.contains(fileId); }
    /// Why it could not be loaded (translated), empty when it did not fail.
    QString error(const QString &fileId) const { return m_errors.value(fileId); }
    /// Remembers why a file could not be had (a failed Save as…), to show in its row.
    void noteError(const QString &fileId, const QString &text);
    /// Forgets a failure (and the image), so the next thumbnail() tries again.
    void forget(const QString &fileId);

Q_SIGNALS:
    /// A thumbnail was loaded, or failed: repaint the rows that show it.
    void thumbnailChanged(const QString &fileId);

private:
    ChatFiles &m_files;
    QCache<QString, QImage> m_cache{kCacheKiB};
    QHash<QString, QString> m_errors;
    QHash<QString, bool> m_loading;
};

} // namespace Tertulia
