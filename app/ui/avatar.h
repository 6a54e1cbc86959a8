#pragma once

#include <QtGui/QColor>
#include <QtGui/QPixmap>
#include <QtCore/QString>

namespace Tertulia {

/// Generated avatars (issue 12): a circle in the person's colour with the initials of the name people see
/// (Identity::avatarInitials(): the first grapheme of the first two words, any script) in white. The colour
/// comes from the user name (Identity::avatarColorIndex()), so it survives a rename and the guest page draws
/// the same one. An uploaded picture (not built yet: docs/protocol.md#profiles) would take this one's place
/// here, behind the same call.
class Avatar
{
public:
    /// The avatar of `user`, shown as `shownName`, `size` logical pixels wide, for a screen of
    /// `devicePixelRatio`; a little lighter on a dark palette (`dark`). Painted once per key and kept in
    /// QPixmapCache: a timeline repaints many rows each frame, and text layout is what costs.
    static QPixmap pixmap(const QString &user, const QString &shownName, int size, qreal devicePixelRatio, bool dark);
    /// The avatar's background colour.
    static QColor color(const QString &user, bool dark);
};

} // namespace Tertulia
