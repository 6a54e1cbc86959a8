#pragma once

#include "app/ui/messagedelegate.h"

#include <QtCore/QPointer>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>


class QToolButton;

#include <functional>
#include <optional>

class QMessageBox;

namespace Tertulia {
class EmojiPicker;
}

namespace Tertulia {

/// The timeline list: follows new messages while the reader is at the bottom and stays put while
/// they read older ones, asks for older history when scrolled to the top (olderMessagesWanted), and
/// keeps the reader's place when a page of older messages is inserted above. Failed messages can be
/// retried or discarded with the mouse (links on the row), the context menu, or Ctrl+R / Delete. Our own
/// sent messages can be edited or deleted from the context menu (Delete asks for deletion too). Any message
/// the server has can be replied to (context menu or Ctrl+Shift+R), and a click on a reply's quote shows its
/// original (showMessage) or, when it is not loaded, asks for it (originalWanted). Links in messages show
/// a pointing hand; a click (or the context menu's "Open …", for the keyboard) opens them through the link
/// opener (QDesktopServices by default), after asking when the link's text is not its address.
/// Messages that arrive while the reader is scrolled up show a "New messages below" button instead
/// of moving the view, and the view says whether the newest message is in sight (followingChanged)
/// so that the room counts as read only then.
class MessageView final : public QListView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageView)

public:
    explicit MessageView(QWidget *parent = nullptr);
    ~MessageView() override;

    void setModel(QAbstractItemModel *model) override;
    MessageDelegate *messageDelegate() const { return m_delegate; }

    /// Where the parts of a row are drawn right now, in viewport coordinates (links, hit tests).
    MessageDelegate::Layout rowLayout(const QModelIndex &index) const;

    /// Whether the view shows the newest message (within a few pixels).
    bool isAtBottom() const;
    void scrollToNewest();
    /// Whether the view keeps to the newest message (false while the reader is scrolled up).
    bool isFollowing() const { return m_followBottom; }
    /// "New messages below": shown while messages arrived below the reader's place.
    QToolButton *newMessagesButton() const { return m_newBelow; }
    /// The open context menu of a message (mouse, Menu key or Shift+F10), if any.
    QMenu *contextMenu() const { return m_menu; }
    /// The reactions the message menu offers (React ▸).
    static QStringList quickReactions();
    /// Opens the context menu of the current message under it, as the keyboard does.
    void openContextMenuForCurrent();
    /// Scrolls to the loaded message `seq`, makes it current and selects it (the reader sees which one);
    /// false when it is not loaded.
    bool showMessage(qint64 seq);
    QAction *replyAction() const { return m_replyAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    /// Owners and moderators may delete others' messages (those of people below them): the menu and the Delete
    /// key offer it for the senders this says yes to (none when unset).
    void setCanDeleteOf(std::function<bool(const QString &sender)> canDelete) { m_canDeleteOf = std::move(canDelete); }
    bool canDeleteOf(const QString &sender) const { return m_canDeleteOf && m_canDeleteOf(sender); }

    /// What opens a link that was clicked (QDesktopServices::openUrl unless replaced: tests observe it).
    void setLinkOpener(std::function<void(const QUrl &)> opener) { m_openLink = std::move(opener); }
    /// Opens link, shown as text: at once when the text is the address, else after a question (linkQuestion).
    void openLink(const MarkdownLite::Link &link, const QString &text);
    /// The open "Open this link?" question, if any.
    QMessageBox *linkQuestion() const;
    /// The picker that "React ▸ More…" opens (its choice reacts to the message the menu was for).
    EmojiPicker *reactionPicker() const { return m_reactionPicker; }

Q_SIGNALS:
    void olderMessagesWanted();
    void retryRequested(const QString &clientMsgId);
    void discardRequested(const QString &clientMsgId);
    /// Edit our own message `seq`, or delete it (or anyone's, for a moderator); the page edits in the composer,
    /// and asks before deleting.
    void editRequested(qint64 seq, const QString &text);
    void deleteRequested(qint64 seq);
    /// Reply to message `seq` (the page puts its quote above the composer).
    void replyRequested(qint64 seq, const QString &sender, const QString &text);
    /// A reply's original `seq` was asked for and is not loaded.
    void originalWanted(qint64 seq);
    /// Give (or take back, `remove`) our reaction to message `seq`: a chip's click or the menu's React.
    void reactionRequested(qint64 seq, const QString &reaction, bool remove);
    void followingChanged(bool following);
    /// Escape in the timeline: the person is done reading and wants to write.
    void leaveRequested();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;

private:
    void retranslate();
    void onRangeChanged(int min, int max);
    void onScrolled(int value);
    void setFollowing(bool following);
    void placeNewMessagesButton();
    /// The failed message at the current row, if it is one.
    QString currentFailedId() const;
    /// The seq of the current row if it is our own sent message that is not deleted; 0 otherwise.
    qint64 currentEditableSeq() const;
    /// The seq of the current row if it is a message the server has that is not deleted; 0 otherwise.
    qint64 currentRepliableSeq() const;
    /// The seq of the current row if we may delete it (ours, or anyone's for a moderator); 0 otherwise.
    qint64 currentDeletableSeq() const;
    void copyCurrent();

    MessageDelegate *m_delegate;
    QAction *m_retryAction;
    QAction *m_discardAction;
    QAction *m_copyAction;
    QAction *m_editAction;
    QAction *m_deleteAction;
    QAction *m_replyAction;
    QToolButton *m_newBelow;
    QPointer<QMenu> m_menu;
    QPointer<QMessageBox> m_linkQuestion;
    EmojiPicker *m_reactionPicker;
    qint64 m_reactingTo = 0; ///< the message "More…" was chosen for
    std::function<void(const QUrl &)> m_openLink;
    bool m_followBottom = true;
    std::function<bool(const QString &)> m_canDeleteOf;
    /// Distance from the bottom to restore after rows went in above the reader's place.
    std::optional<int> m_keepFromBottom;
};

} // namespace Tertulia
