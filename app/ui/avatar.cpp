#include "app/ui/avatar.h"

#include "shared/identity.h"
#include "shared/names.h"

#include <QtCore/QBuffer>
#include <QtGui/QFont>
#include <QtGui/QFontMetricsF>
#include <QtGui/QGuiApplication>
#include <QtGui/QPainter>
#include <QtGui/QPainterPath>
#include <QtGui/QPixmapCache>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Tertulia {

QColor Avatar::color(const QString &user, bool dark)
{
    const QColor base(Identity::avatarColor(Identity::avatarColorIndex(user)));
    return dark ? base.lighter(115) : base;
}

QImage Avatar::square(const QImage &image, int side)
{
    if (image.isNull() || side <= 0)
        return {};
    const int edge = std::min(image.width(), image.height());
    const QRect middle((image.width() - edge) / 2, (image.height() - edge) / 2, edge, edge);
    return image.copy(middle).scaled(side, side, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
}

QByteArray Avatar::uploadBytes(const QImage &image)
{
    const QImage picture = square(image, Identity::kAvatarPictureSize);
    if (picture.isNull())
        return {};
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!picture.save(&buffer, "PNG"))
        return {};
    return bytes;
}

QPixmap Avatar::pixmap(const QString &user, const QString &shownName, int size, qreal devicePixelRatio, bool dark,
                       const Picture &picture)
{
    // A picture is keyed by its version (what it shows does not depend on the name); a generated one by the name.
    const QString key = picture.isNull()
        ? u"tertulia-avatar/%1/%2/%3/%4/%5"_s.arg(Names::canonical(user), shownName)
              .arg(size)
              .arg(devicePixelRatio)
              .arg(dark ? 1 : 0)
        : u"tertulia-avatar-picture/%1/%2/%3/%4"_s.arg(Names::canonical(user), picture.version)
              .arg(size)
              .arg(devicePixelRatio);
    QPixmap cached;
    if (QPixmapCache::find(key, &cached))
        return cached;

    if (!picture.isNull()) {
        QPixmap pixmap(QSize(size, size) * devicePixelRatio);
        pixmap.setDevicePixelRatio(devicePixelRatio);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        QPainterPath circle;
        circle.addEllipse(QRectF(0, 0, size, size));
        painter.setClipPath(circle);
        const int pixels = int(std::ceil(size * devicePixelRatio));
        painter.drawImage(QRectF(0, 0, size, size), square(picture.image, pixels));
        painter.end();
        QPixmapCache::insert(key, pixmap);
        return pixmap;
    }

    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color(user, dark));
    const QRectF circle(0, 0, size, size);
    painter.drawEllipse(circle);

    const QString initials = Identity::avatarInitials(shownName.isEmpty() ? user : shownName);
    QFont font = QGuiApplication::font();
    font.setBold(true);
    // Two initials take about half the circle's width; scripts with tall glyphs get the same box.
    font.setPixelSize(std::max(6, int(size * (initials.size() > 2 ? 0.36 : 0.42))));
    const qreal room = size * 0.78;
    if (const qreal width = QFontMetricsF(font).horizontalAdvance(initials); width > room)
        font.setPixelSize(std::max(6, int(font.pixelSize() * room / width)));
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(circle, Qt::AlignCenter, initials);
    painter.end();
    QPixmapCache::insert(key, pixmap);
    return pixmap;
}

} // namespace Tertulia
