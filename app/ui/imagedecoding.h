#pragma once
// Decoding a downloaded image off the GUI thread: the one way FileThumbnails and AvatarPictures do it.

#include <QtCore/QByteArray>
#include <QtGui/QImage>

#include <algorithm>
#include <functional>

class QImageReader;
class QObject;

namespace Tertulia {

/// Decodes `data` on a worker thread (QtConcurrent): `read` gets a QImageReader over the bytes, with the
/// image's orientation applied, and returns the image (it may choose a scaled size first, or refuse with a null
/// image). `done` runs on `context`'s thread with the result (null when it could not be read), and not at all
/// once `context` is gone.
void decodeImageOffThread(QByteArray data, QObject *context, std::function<QImage(QImageReader &)> read,
                          std::function<void(const QImage &)> done);

/// What a decoded image costs in a QCache counted in KiB (at least 1).
inline qsizetype imageCacheCost(const QImage &image)
{
    return std::max<qsizetype>(1, image.sizeInBytes() / 1024);
}

} // namespace Tertulia
