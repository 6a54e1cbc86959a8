#include "app/ui/icons.h"

#include <QtGui/QPainter>
#include <QtGui/QPainterPath>
#include <QtGui/QPixmap>

#include <functional>

using namespace Qt::StringLiterals;

namespace Tertulia::Icons {

namespace {
/// A 16 px icon with its @2x file added explicitly: QIcon only looks for @2x variants at the device
/// pixel ratio in force when the file is added, and screens can change.
QIcon smallIcon(const QString &name)
{
    QIcon icon;
    icon.addFile(u":/icons/%1.png"_s.arg(name), QSize(16, 16));
    icon.addFile(u":/icons/%1@2x.png"_s.arg(name), QSize(32, 32));
    return icon;
}

/// A 16 px icon drawn in the lock's grey on a 16×16 canvas, at 1× and 2×.
QIcon drawnIcon(const std::function<void(QPainter &painter, const QColor &grey)> &draw)
{
    QIcon icon;
    for (const int size : {16, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(size / 16.0, size / 16.0);
        draw(painter, QColor(0x8d, 0x93, 0x9c)); // the lock's grey
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}
} // namespace

QIcon app()
{
    QIcon icon;
    for (const int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(u":/icons/tertulia-%1.png"_s.arg(size), QSize(size, size));
    return icon;
}

QIcon lock() { return smallIcon(u"lock"_s); }

QIcon muted()
{
    return drawnIcon([](QPainter &painter, const QColor &grey) {
        QPainterPath speaker;
        speaker.moveTo(2, 6);
        speaker.lineTo(5, 6);
        speaker.lineTo(9, 2.5);
        speaker.lineTo(9, 13.5);
        speaker.lineTo(5, 10);
        speaker.lineTo(2, 10);
        speaker.closeSubpath();
        painter.fillPath(speaker, grey);
        painter.setPen(QPen(grey, 1.6, Qt::SolidLine, Qt::RoundCap));
        painter.drawLine(QPointF(11, 5.5), QPointF(15, 10.5));
        painter.drawLine(QPointF(15, 5.5), QPointF(11, 10.5));
    });
}

QIcon person()
{
    return drawnIcon([](QPainter &painter, const QColor &grey) {
        painter.setPen(Qt::NoPen);
        painter.setBrush(grey);
        painter.drawEllipse(QPointF(8, 5), 3, 3);
        QPainterPath shoulders;
        shoulders.moveTo(2.5, 15);
        shoulders.cubicTo(2.5, 10, 5, 9, 8, 9);
        shoulders.cubicTo(11, 9, 13.5, 10, 13.5, 15);
        shoulders.closeSubpath();
        painter.fillPath(shoulders, grey);
    });
}

QIcon presence(Protocol::PresenceStatus status)
{
    switch (status) {
    case Protocol::PresenceStatus::Online: return smallIcon(u"presence-online"_s);
    case Protocol::PresenceStatus::Away: return smallIcon(u"presence-away"_s);
    case Protocol::PresenceStatus::Offline: break;
    }
    return smallIcon(u"presence-offline"_s);
}

} // namespace Tertulia::Icons
