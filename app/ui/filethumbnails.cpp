#include "app/ui/filethumbnails.h"

#include "app/session/chatfiles.h"
#include "app/ui/imagedecoding.h"

#include <QtGui/QImageReader>

using namespace Qt::StringLiterals;

namespace Tertulia {

FileThumbnails::FileThumbnails(ChatFiles &files, QObject *parent) : QObject(parent), m_files(files) { }

FileThumbnails::~FileThumbnails() = default;

QSize FileThumbnails::boxFor(QSize size)
{
    if (size.isEmpty())
        return kMaxBox;
    return size.width() <= kMaxBox.width() && size.height() <= kMaxBox.height()
               ? size
               : size.scaled(kMaxBox, Qt::KeepAspectRatio).expandedTo(QSize(1, 1));
}

QImage FileThumbnails::thumbnail(const QString &fileId)
{
    if (const QImage *image = m_cache.object(fileId))
        return *image;
    if (m_loading.contains(fileId) || m_errors.contains(fileId) || fileId.isEmpty())
        return {};
    m_loading.insert(fileId, true);
    FileTransfer *transfer = m_files.download(fileId);
    connect(transfer, &FileTransfer::finished, this, [this, transfer, fileId] {
        if (const auto &error = transfer->error()) {
            m_loading.remove(fileId);
            m_errors.insert(fileId, error->text());
            Q_EMIT thumbnailChanged(fileId);
            return;
        }
        // Decoding is the slow part of a large image: a worker thread does it, reading only what the box needs.
        decodeImageOffThread(
            transfer->data(), this,
            [](QImageReader &reader) {
                const QSize size = reader.size();
                if (size.isValid())
                    reader.setScaledSize(boxFor(size) * 2); // sharp on a high-density screen
                return reader.read();
            },
            [this, fileId](const QImage &image) {
                m_loading.remove(fileId);
                if (image.isNull())
                    m_errors.insert(fileId, tr("The image cannot be shown."));
                else
                    m_cache.insert(fileId, new QImage(image), imageCacheCost(image));
                Q_EMIT thumbnailChanged(fileId);
            });
    });
    return {};
}

void FileThumbnails::noteError(const QString &fileId, const QString &text)
{
    m_errors.insert(fileId, text);
    Q_EMIT thumbnailChanged(fileId);
}

void FileThumbnails::forget(const QString &fileId)
{
    m_errors.remove(fileId);
    m_cache.remove(fileId);
}

} // namespace Tertulia
