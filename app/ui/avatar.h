#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtGui/QColor>
#include <QtGui/QImage>
#include <QtGui/QPixmap>

namespace Tertulia {

/// Avatars (issue 12). Generated ones: a circle in the person's colour with the initials of the name people see
/// (Identity::avatarInitials(): the first grapheme of the first two words, any script) in white. The colour
/// comes from the user name (Identity::avatarColorIndex()), so it survives a rename and the guest page draws
/// the same one. A person who uploaded a picture (docs/protocol.md#avatar-pictures) is shown by it instead, in
/// the same circle, once it is loaded (AvatarPictures); until then, and when it cannot be had, the generated one.
class Avatar
{
public:
    /// An uploaded picture: its version (part of the cache key) and the decoded image (null: not loaded).
    struct Picture
    {
        QString version;
        QImage image;
        bool isNull() const { return image.isNull(); }
    };

    /// The avatar of `user`, shown as `shownName`, `size` logical pixels wide, for a screen of
    /// `devicePixelRatio`; a little lighter on a dark palette (`dark`); the picture instead when one is given.
    /// Painted once per key and kept in QPixmapCache: a timeline repaints many rows each frame, and text layout
    /// and smooth scaling are what cost.
    static QPixmap pixmap(const QString &user, const QString &shownName, int size, qreal devicePixelRatio, bool dark,
                          const Picture &picture = {});
    /// The avatar's background colour.
    static QColor color(const QString &user, bool dark);

    /// The middle square of `image`, scaled (smoothly) to `side` pixels: what the apps upload and show.
    static QImage square(const QImage &image, int side);
    /// An image as the picture to upload: its middle square at Identity::kAvatarPictureSize pixels, as PNG.
    /// Empty for a null image.
    static QByteArray uploadBytes(const QImage &image);
};

} // namespace Tertulia
