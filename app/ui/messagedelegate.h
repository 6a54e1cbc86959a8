#pragma once

#include "app/session/markdownlite.h"

#include <QtCore/QCache>
#include <QtCore/QPointer>
#include <QtWidgets/QStyledItemDelegate>

class QAbstractItemView;

namespace Tertulia {

class AvatarPictures;
class FileThumbnails;

/// Draws one row of the timeline (MessageListModel): a day separator when the row starts a new day,
/// the sender's avatar, name and time unless the row continues the sender's group, the text wrapped
/// to the view's width, and for our own messages on their way "Sending…" or "Not sent" with Retry
/// and Discard links (clicks emit retryRequested / discardRequested). A reply starts with a one-line quote of
/// its original (sender and first line; a click emits quoteClicked). Reactions show as chips under the text
/// ("👍 2", ours marked; the tooltip says who; a click emits reactionToggled). The text is shown with the
/// Markdown subset of MarkdownLite (bold, italic, strike, code, code blocks on a band in a monospace font,
/// links): a link's tooltip is its address and a click emits linkActivated. A message with a file (issue 12)
/// shows an image inline below its text, in a box of the image's own proportions from the start (so the rows do
/// not jump when it loads), or a line with the file's icon, name and size; a click emits fileActivated.
class MessageDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageDelegate)

public:
    /// Where each part of a row goes, computed the same way for sizing, painting and clicks.
    struct Layout
    {
        int height = 0;
        QRect separator; ///< the day separator band (empty when none)
        QRect unreadLine; ///< the "New messages" line above the first unread message (empty when none)
        QRect avatar;    ///< empty when grouped with the row above
        QRect header;    ///< sender and time (empty when grouped)
        QRect gutter;    ///< left of the text on grouped rows: the time shows here on hover
        QRect quote;     ///< a reply's quote of its original, above the text (empty when not a reply)
        QRect text;
        /// The links in the text, each part of a wrapped link with its own rectangle.
        QList<std::pair<QRect, MarkdownLite::Link>> links;
        /// The reaction chips under the text ("👍 2"), each with its reaction.
        QList<std::pair<QRect, QString>> chips;
        QRect status;    ///< "Sending…" / "Not sent: …" (empty when delivered)
        QRect retry;     ///< the Retry link (failed rows)
        QRect discard;   ///< the Discard link (failed rows)
        QRect file;      ///< the attached file (issue 12): an image's thumbnail box, or a file's line (empty: none)
    };

    /// view: the list the rows are wrapped to (its viewport's width).
    explicit MessageDelegate(QAbstractItemView *view);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;

    /// The layout of a row whose top-left corner is at topLeft.
    Layout layout(const QStyleOptionViewItem &option, const QModelIndex &index, QPoint topLeft) const;

    /// The quote line of a reply (MessageListModel::ReplyQuoteRole): the original's sender and first line, or
    /// why it cannot be shown; empty when the row is no reply.
    static QString quoteText(const QModelIndex &index);

    /// For a message sent long after it was written (MessageListModel::WrittenRole): the small note the header draws
    /// after its written time ("sent 10:15"); empty for every other row.
    static QString sentLaterNote(const QModelIndex &index);
    /// The row's time as its tooltip says it: "Written 10:02, sent 10:15 when the connection returned" for a
    /// message sent long after it was written, else the time it was stored.
    static QString timeText(const QModelIndex &index);

    /// A stable colour per sender (same hue everywhere), readable on this palette.
    static QColor senderColor(const QString &sender, const QPalette &palette);

    /// Where inline images come from (issue 12); without it, images show as placeholders of their size.
    void setThumbnails(FileThumbnails *thumbnails);
    /// Where senders' uploaded pictures come from (issue 12); without it, generated avatars only.
    void setAvatarPictures(AvatarPictures *pictures);

Q_SIGNALS:
    void retryRequested(const QString &clientMsgId);
    void discardRequested(const QString &clientMsgId);
    /// A reply's quote was clicked: show its original, message `seq`.
    void quoteClicked(qint64 seq);
    /// A reaction chip was clicked: give the reaction to message `seq`, or take ours back (`remove`).
    void reactionToggled(qint64 seq, const QString &reaction, bool remove);
    /// A link in a message was clicked (its text is `text`; only http, https and mailto are links).
    void linkActivated(const MarkdownLite::Link &link, const QString &text);
    /// The attached file was clicked (MessageListModel::FileRole): open an image, save a file.
    void fileActivated(const QVariantMap &file);

protected:
    bool editorEvent(QEvent *event, QAbstractItemModel *model, const QStyleOptionViewItem &option,
                     const QModelIndex &index) override;

private:
    int availableWidth(const QStyleOptionViewItem &option) const;
    QString statusText(const QModelIndex &index) const;
    /// MarkdownLite::parse, remembered for the rows seen last.
    MarkdownLite::Rendered parsed(const QString &text) const;

    static constexpr qsizetype kParsedRows = 512;
    QAbstractItemView *m_view;
    mutable QCache<QString, MarkdownLite::Rendered> m_parsed;
    QPointer<FileThumbnails> m_thumbnails; // files (issue 12)
    QPointer<AvatarPictures> m_pictures;   // avatar pictures (issue 12)
    void paintFile(QPainter *painter, const QStyleOptionViewItem &option, const QRect &area,
                   const QVariantMap &file) const;
};

} // namespace Tertulia
