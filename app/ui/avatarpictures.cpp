#include "app/ui/avatarpictures.h"

#include "app/session/chatfiles.h"
#include "app/session/displaynames.h"
#include "app/ui/imagedecoding.h"
#include "shared/identity.h"
#include "shared/names.h"

#include <QtGui/QImageReader>

using namespace Qt::StringLiterals;

namespace Tertulia {

AvatarPictures::AvatarPictures(ChatFiles &files, DisplayNames &names, QObject *parent)
    : QObject(parent), m_files(files), m_names(names)
{
}

AvatarPictures::~AvatarPictures() = default;

QString AvatarPictures::keyOf(const QString &user, const QString &version) const
{
    return Names::canonical(user) + u'/' + version;
}

bool AvatarPictures::isLoading(const QString &user) const
{
    const QString version = m_names.avatarOf(user);
    return !version.isEmpty() && m_loading.contains(keyOf(user, version));
}

void AvatarPictures::retryFailed() { m_failed.clear(); }

void AvatarPictures::insert(const QString &user, const QString &version, const QImage &image)
{
    if (version.isEmpty() || image.isNull())
        return;
    const QString key = keyOf(user, version);
    m_failed.remove(key);
    m_cache.insert(key, new QImage(image), std::max<qsizetype>(1, image.sizeInBytes() / 1024));
    Q_EMIT pictureChanged(user);
}

Avatar::Picture AvatarPictures::picture(const QString &user)
{
    const QString version = m_names.avatarOf(user);
    // The version goes into a URL: only the shape the server makes (the parser checked it already).
    if (version.isEmpty() || !Identity::isAvatarVersion(version))
        return {};
    const QString key = keyOf(user, version);
    if (const QImage *image = m_cache.object(key))
        return {version, *image};
    if (m_loading.contains(key) || m_failed.contains(key))
        return {version, {}};
    m_loading.insert(key);
    FileTransfer *transfer = m_files.downloadAvatar(user, version);
    connect(transfer, &FileTransfer::finished, this, [this, transfer, key, user] {
        if (transfer->error()) {
            // Shown generated; tried again at the next version, or once the connection is back.
            m_loading.remove(key);
            m_failed.insert(key);
            return;
        }
        // Decoded on a worker thread, straight to the size shown: a picture from the server is small already,
        // but only its header was checked there.
        decodeImageOffThread(
            transfer->data(), this,
            [](QImageReader &reader) {
                const QSize size = reader.size();
                if (!size.isValid() || size.width() > Identity::kMaxAvatarPictureSide
                    || size.height() > Identity::kMaxAvatarPictureSide)
                    return QImage();
                const int edge = std::min(size.width(), size.height());
                if (edge > kDecodedSide)
                    reader.setScaledSize(size * (double(kDecodedSide) / edge));
                return Avatar::square(reader.read(), std::min(edge, kDecodedSide));
            },
            [this, key, user](const QImage &image) {
                m_loading.remove(key);
                if (image.isNull()) {
                    m_failed.insert(key);
                    return;
                }
                m_cache.insert(key, new QImage(image), imageCacheCost(image));
                Q_EMIT pictureChanged(user);
            });
    });
    return {version, {}};
}

} // namespace Tertulia
