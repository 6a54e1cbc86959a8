#include "app/ui/roomdelegate.h"

#include "app/models/roomlistmodel.h"
#include "app/session/roomdirectory.h" // roomlistmodel.h needs the complete type
#include "app/ui/appearance.h"
#include "app/ui/icons.h"

#include <QtGui/QPainter>
#include <QtWidgets/QApplication>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
constexpr int kHorizontalMargin = 8;
constexpr int kIconSize = 16;
constexpr int kSpacing = 6;
} // namespace

QString RoomDelegate::badgeText(int unread) { return unread > 99 ? u"99+"_s : QString::number(unread); }

QString RoomDelegate::mentionBadgeText(int mentions) { return u"@"_s + badgeText(mentions); }

QSize RoomDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const QFontMetrics metrics(option.font);
    return {kHorizontalMargin * 2 + kIconSize + kSpacing + metrics.horizontalAdvance(u"general-room"_s),
            std::max(metrics.height() + 14, kIconSize + 12)};
}

void RoomDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();

    // Background, selection and focus come from the style, so they match the platform and palette.
    opt.text.clear();
    opt.icon = QIcon();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = (opt.state & QStyle::State_Enabled) ? QPalette::Normal : QPalette::Disabled;
    const QColor textColor = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    const bool joined = index.data(RoomListModel::JoinedRole).toBool();
    const int unread = joined ? index.data(RoomListModel::UnreadCountRole).toInt() : 0;

    painter->save();
    QRect rect = opt.rect.adjusted(kHorizontalMargin, 0, -kHorizontalMargin, 0);

    const QRect iconRect(rect.left(), rect.center().y() - kIconSize / 2 + 1, kIconSize, kIconSize);
    if (index.data(RoomListModel::DirectRole).toBool()) {
        Icons::person().paint(painter, iconRect);
    } else if (index.data(RoomListModel::PrivateRole).toBool()) {
        Icons::lock().paint(painter, iconRect);
    } else {
        QFont hashFont = opt.font;
        hashFont.setBold(true);
        painter->setFont(hashFont);
        painter->setPen(Appearance::muted(opt.palette, 0.45, selected));
        painter->drawText(iconRect, Qt::AlignCenter, u"#"_s);
    }
    rect.setLeft(iconRect.right() + 1 + kSpacing);

    const bool muted = index.data(RoomListModel::MutedRole).toBool();
    const int mentions = joined ? index.data(RoomListModel::MentionCountRole).toInt() : 0;
    QFont badgeFont = opt.font;
    badgeFont.setBold(true);
    badgeFont.setPointSizeF(opt.font.pointSizeF() * 0.85);
    const QFontMetrics badgeMetrics(badgeFont);
    painter->setRenderHint(QPainter::Antialiasing);
    // Right to left: the unread badge at the edge, the mention badge before it, the muted mark before both.
    const auto drawBadge = [&](const QString &text, const QColor &fill, const QColor &ink) {
        const int height = badgeMetrics.height() + 2;
        const int width = std::max(height, badgeMetrics.horizontalAdvance(text) + 12);
        const QRect badge(rect.right() - width + 1, rect.center().y() - height / 2 + 1, width, height);
        painter->setPen(Qt::NoPen);
        painter->setBrush(fill);
        painter->drawRoundedRect(badge, height / 2.0, height / 2.0);
        painter->setPen(ink);
        painter->setFont(badgeFont);
        painter->drawText(badge, Qt::AlignCenter, text);
        rect.setRight(badge.left() - kSpacing / 2);
    };
    if (unread > 0) {
        const QColor highlight = opt.palette.color(group, QPalette::Highlight);
        const QColor highlightedText = opt.palette.color(group, QPalette::HighlightedText);
        if (muted) // quiet: counted, but it does not call for attention
            drawBadge(badgeText(unread), Appearance::muted(opt.palette, 0.75, selected),
                      selected ? highlight : opt.palette.color(group, QPalette::Base));
        else
            drawBadge(badgeText(unread), selected ? highlightedText : highlight,
                      selected ? highlight : highlightedText);
    }
    if (mentions > 0) {
        const QColor mention = Appearance::mention(opt.palette);
        drawBadge(mentionBadgeText(mentions), selected ? opt.palette.color(group, QPalette::HighlightedText) : mention,
                  selected ? mention : QColor(Qt::white));
    }
    if (muted) {
        const QRect mark(rect.right() - kIconSize + 1, rect.center().y() - kIconSize / 2 + 1, kIconSize, kIconSize);
        Icons::muted().paint(painter, mark);
        rect.setRight(mark.left() - kSpacing / 2);
    }
    if (unread > 0 || mentions > 0 || muted)
        rect.setRight(rect.right() - kSpacing / 2);

    QFont nameFont = opt.font;
    nameFont.setBold((unread > 0 && !muted) || mentions > 0);
    nameFont.setItalic(!joined);
    painter->setFont(nameFont);
    painter->setPen(joined ? textColor : Appearance::muted(opt.palette, 0.4, selected));
    const QString name = index.data(Qt::DisplayRole).toString(); // the other person of a direct conversation, a renamed room's title
    painter->drawText(rect, Qt::AlignVCenter | Qt::AlignLeft,
                      QFontMetrics(nameFont).elidedText(name, Qt::ElideRight, rect.width()));
    painter->restore();
}

} // namespace Tertulia
