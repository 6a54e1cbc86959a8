#pragma once

#include <QtWidgets/QStyledItemDelegate>

namespace Tertulia {

/// Draws one row of the room list (RoomListModel): a lock for private rooms, the name in bold while
/// it has unread messages, the unread count as a badge, and rooms we have not joined in a muted style.
/// Unread mentions of us get a badge of their own ("@2", in the mention colour) before the unread one;
/// a muted room's unread badge is quiet (grey, the name not bold) and a bell with a stroke marks it.
class RoomDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    /// The badge text: the count, capped at "99+".
    static QString badgeText(int unread);
    /// The mention badge's text: "@" and the count, capped the same way.
    static QString mentionBadgeText(int mentions);
};

} // namespace Tertulia
