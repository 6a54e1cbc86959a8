#include "app/ui/avatar.h"

#include "shared/identity.h"
#include "shared/names.h"

#include <QtGui/QFont>
#include <QtGui/QFontMetricsF>
#include <QtGui/QGuiApplication>
#include <QtGui/QPainter>
#include <QtGui/QPixmapCache>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

QColor Avatar::color(const QString &user, bool dark)
{
    const QColor base(Identity::avatarColor(Identity::avatarColorIndex(user)));
    return dark ? base.lighter(115) : base;
}

QPixmap Avatar::pixmap(const QString &user, const QString &shownName, int size, qreal devicePixelRatio, bool dark)
{
    const QString key = u"tertulia-avatar/%1/%2/%3/%4/%5"_s.arg(Names::canonical(user), shownName)
                            .arg(size)
                            .arg(devicePixelRatio)
                            .arg(dark ? 1 : 0);
    QPixmap cached;
    if (QPixmapCache::find(key, &cached))
        return cached;

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
