#pragma once

#include "app/ui/messagedelegate.h"

#include <QtWidgets/QListView>

#include <optional>

namespace Tertulia {

/// The timeline list: follows new messages while the reader is at the bottom and stays put while
/// they read older ones, asks for older history when scrolled to the top (olderMessagesWanted), and
/// keeps the reader's place when a page of older messages is inserted above. Failed messages can be
/// retried or discarded with the mouse (links on the row), the context menu, or Ctrl+R / Delete.
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

Q_SIGNALS:
    void olderMessagesWanted();
    void retryRequested(const QString &clientMsgId);
    void discardRequested(const QString &clientMsgId);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void onRangeChanged(int min, int max);
    void onScrolled(int value);
    /// The failed message at the current row, if it is one.
    QString currentFailedId() const;
    void copyCurrent();

    MessageDelegate *m_delegate;
    QAction *m_retryAction;
    QAction *m_discardAction;
    QAction *m_copyAction;
    bool m_followBottom = true;
    /// Distance from the bottom to restore after rows went in above the reader's place.
    std::optional<int> m_keepFromBottom;
};

} // namespace Tertulia
