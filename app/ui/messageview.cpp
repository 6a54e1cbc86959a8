#include "app/ui/messageview.h"

#include "app/models/messagelistmodel.h"
#include "app/session/chatroom.h"
#include "app/ui/messagedelegate.h"
#include "app/ui/emojipicker.h"

#include <QtCore/QEvent>
#include <QtCore/QSet>
#include <QtGui/QAction>
#include <QtGui/QClipboard>
#include <QtGui/QContextMenuEvent>
#include <QtGui/QDesktopServices>
#include <QtGui/QKeyEvent>
#include <QtGui/QMouseEvent>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QToolButton>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
constexpr int kBottomSlack = 8;
constexpr int kTopTrigger = 4;
} // namespace

MessageView::MessageView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this))
    , m_retryAction(new QAction(this))
    , m_discardAction(new QAction(this))
    , m_copyAction(new QAction(this))
    , m_editAction(new QAction(this))
    , m_deleteAction(new QAction(this))
    , m_replyAction(new QAction(this))
    , m_newBelow(new QToolButton(this))
    , m_reactionPicker(new EmojiPicker(this))
{
    connect(m_reactionPicker, &EmojiPicker::picked, this, [this](const QString &emoji) {
        if (m_reactingTo > 0)
            Q_EMIT reactionRequested(m_reactingTo, emoji, false);
        m_reactingTo = 0;
    });
    m_newBelow->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_newBelow->setCursor(Qt::PointingHandCursor);
    m_newBelow->setFocusPolicy(Qt::TabFocus);
    m_newBelow->hide();
    connect(m_newBelow, &QToolButton::clicked, this, &MessageView::scrollToNewest);
    setItemDelegate(m_delegate);
    setVerticalScrollMode(ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(Adjust);
    setUniformItemSizes(false);
    setWordWrap(true);
    setSelectionMode(SingleSelection);
    setEditTriggers(NoEditTriggers);
    setMouseTracking(true); // hover shows the time of grouped rows
    setFrameShape(QFrame::NoFrame);
    verticalScrollBar()->setSingleStep(24);

    connect(m_delegate, &MessageDelegate::retryRequested, this, &MessageView::retryRequested);
    connect(m_delegate, &MessageDelegate::discardRequested, this, &MessageView::discardRequested);
    connect(m_delegate, &MessageDelegate::reactionToggled, this, &MessageView::reactionRequested);
    m_openLink = [](const QUrl &url) { QDesktopServices::openUrl(url); };
    connect(m_delegate, &MessageDelegate::linkActivated, this, &MessageView::openLink);
    connect(m_delegate, &MessageDelegate::quoteClicked, this, [this](qint64 seq) {
        if (!showMessage(seq))
            Q_EMIT originalWanted(seq);
    });
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &MessageView::onRangeChanged);
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &MessageView::onScrolled);

    // Shortcuts that act on the selected message while the list has focus.
    m_retryAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_discardAction->setShortcut(QKeySequence::Delete);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_replyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    for (QAction *action : {m_retryAction, m_discardAction, m_copyAction, m_replyAction}) {
        action->setShortcutContext(Qt::WidgetShortcut);
        addAction(action);
    }
    connect(m_retryAction, &QAction::triggered, this, [this] {
        if (const QString id = currentFailedId(); !id.isEmpty())
            Q_EMIT retryRequested(id);
    });
    // Delete: a failed message is discarded; our own sent message is offered for deletion.
    connect(m_discardAction, &QAction::triggered, this, [this] {
        if (const QString id = currentFailedId(); !id.isEmpty())
            Q_EMIT discardRequested(id);
        else if (const qint64 seq = currentDeletableSeq())
            Q_EMIT deleteRequested(seq);
    });
    connect(m_editAction, &QAction::triggered, this, [this] {
        if (const qint64 seq = currentEditableSeq())
            Q_EMIT editRequested(seq, currentIndex().data(MessageListModel::TextRole).toString());
    });
    connect(m_deleteAction, &QAction::triggered, this, [this] {
        if (const qint64 seq = currentDeletableSeq())
            Q_EMIT deleteRequested(seq);
    });
    connect(m_replyAction, &QAction::triggered, this, [this] {
        if (const qint64 seq = currentRepliableSeq()) {
            const QModelIndex index = currentIndex();
            Q_EMIT replyRequested(seq, index.data(MessageListModel::SenderRole).toString(),
                                  index.data(MessageListModel::TextRole).toString());
        }
    });
    connect(m_copyAction, &QAction::triggered, this, &MessageView::copyCurrent);
    retranslate();
}

MessageView::~MessageView() = default;

void MessageView::retranslate()
{
    m_retryAction->setText(tr("&Retry sending"));
    m_discardAction->setText(tr("&Discard"));
    m_copyAction->setText(tr("&Copy text"));
    m_editAction->setText(tr("&Edit"));
    m_deleteAction->setText(tr("De&lete…"));
    m_replyAction->setText(tr("Re&ply"));
    setAccessibleName(tr("Messages"));
    m_newBelow->setText(tr("New messages below ↓"));
    m_newBelow->setToolTip(tr("Scroll to the newest message"));
    m_newBelow->adjustSize();
    placeNewMessagesButton();
}

void MessageView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        // Day separators and status lines are drawn in the current language.
        scheduleDelayedItemsLayout();
        viewport()->update();
    }
    QListView::changeEvent(event);
}

void MessageView::setModel(QAbstractItemModel *newModel)
{
    if (model())
        model()->disconnect(this);
    QListView::setModel(newModel);
    if (!newModel)
        return;
    connect(newModel, &QAbstractItemModel::modelReset, this, [this] {
        m_keepFromBottom.reset();
        scrollToNewest();
    });
    connect(newModel, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &, int, int last) {
        // New rows at the end while the reader is elsewhere: point at them rather than jump.
        if (!m_followBottom && last == model()->rowCount() - 1) {
            placeNewMessagesButton();
            m_newBelow->show();
            m_newBelow->raise();
        }
    });
    connect(newModel, &QAbstractItemModel::rowsAboutToBeInserted, this, [this](const QModelIndex &, int first) {
        // Rows above the reader's place (a page of older messages): keep what they are reading
        // where it is by restoring the distance from the bottom once the range has grown.
        if (!m_followBottom && first == 0)
            m_keepFromBottom = verticalScrollBar()->maximum() - verticalScrollBar()->value();
    });
}

MessageDelegate::Layout MessageView::rowLayout(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.rect = visualRect(index);
    return m_delegate->layout(option, index, option.rect.topLeft());
}

bool MessageView::isAtBottom() const
{
    const QScrollBar *bar = verticalScrollBar();
    return bar->value() >= bar->maximum() - kBottomSlack;
}

void MessageView::scrollToNewest()
{
    scrollToBottom();
    setFollowing(true);
}

void MessageView::setFollowing(bool following)
{
    if (following)
        m_newBelow->hide();
    if (following == m_followBottom)
        return;
    m_followBottom = following;
    Q_EMIT followingChanged(following);
}

void MessageView::placeNewMessagesButton()
{
    const QSize size = m_newBelow->sizeHint();
    const QRect area = viewport()->geometry();
    m_newBelow->setGeometry(area.center().x() - size.width() / 2, area.bottom() - size.height() - 8, size.width(),
                            size.height());
}

void MessageView::resizeEvent(QResizeEvent *event)
{
    const bool follow = m_followBottom;
    QListView::resizeEvent(event);
    if (follow)
        scrollToNewest();
    placeNewMessagesButton();
}

void MessageView::onRangeChanged(int, int max)
{
    if (m_keepFromBottom) {
        verticalScrollBar()->setValue(max - *m_keepFromBottom);
        m_keepFromBottom.reset();
        return;
    }
    if (m_followBottom)
        verticalScrollBar()->setValue(max);
}

void MessageView::onScrolled(int value)
{
    setFollowing(isAtBottom());
    if (value <= verticalScrollBar()->minimum() + kTopTrigger && verticalScrollBar()->maximum() > 0)
        Q_EMIT olderMessagesWanted();
}

QString MessageView::currentFailedId() const
{
    const QModelIndex index = currentIndex();
    if (!index.isValid()
        || TimelineItem::Delivery(index.data(MessageListModel::DeliveryRole).toInt()) != TimelineItem::Delivery::Failed)
        return {};
    return index.data(MessageListModel::ClientMsgIdRole).toString();
}

qint64 MessageView::currentEditableSeq() const
{
    const QModelIndex index = currentIndex();
    if (!index.isValid() || !index.data(MessageListModel::OwnRole).toBool()
        || index.data(MessageListModel::PendingRole).toBool() || index.data(MessageListModel::DeletedRole).toBool())
        return 0;
    return index.data(MessageListModel::SeqRole).toLongLong();
}

qint64 MessageView::currentDeletableSeq() const
{
    if (const qint64 own = currentEditableSeq())
        return own;
    const qint64 seq = currentRepliableSeq();
    return seq > 0 && canDeleteOf(currentIndex().data(MessageListModel::SenderRole).toString()) ? seq : 0;
}

QStringList MessageView::quickReactions()
{
    return {u"👍"_s, u"❤️"_s, u"😂"_s, u"🎉"_s, u"😮"_s, u"😢"_s};
}

qint64 MessageView::currentRepliableSeq() const
{
    const QModelIndex index = currentIndex();
    if (!index.isValid() || index.data(MessageListModel::PendingRole).toBool()
        || index.data(MessageListModel::DeletedRole).toBool())
        return 0;
    return index.data(MessageListModel::SeqRole).toLongLong();
}

bool MessageView::showMessage(qint64 seq)
{
    if (!model() || seq <= 0)
        return false;
    // Replies usually answer something recent: look from the newest row up.
    for (int row = model()->rowCount() - 1; row >= 0; --row) {
        const QModelIndex index = model()->index(row, 0);
        if (index.data(MessageListModel::PendingRole).toBool()
            || index.data(MessageListModel::SeqRole).toLongLong() != seq)
            continue;
        setCurrentIndex(index);
        scrollTo(index, PositionAtCenter);
        setFollowing(isAtBottom());
        return true;
    }
    return false;
}

void MessageView::copyCurrent()
{
    const QModelIndex index = currentIndex();
    if (index.isValid())
        QGuiApplication::clipboard()->setText(index.data(MessageListModel::TextRole).toString());
}

void MessageView::openLink(const MarkdownLite::Link &link, const QString &text)
{
    const QUrl url(link.url, QUrl::StrictMode);
    if (!MarkdownLite::isAllowedUrl(link.url))
        return;
    if (link.bare) {
        m_openLink(url);
        return;
    }
    // The text is the sender's to choose ("your bank"): say where the link really goes before going.
    if (m_linkQuestion)
        m_linkQuestion->close();
    auto *question = new QMessageBox(QMessageBox::Question, tr("Open this link?"), tr("Open this link?"),
                                     QMessageBox::NoButton, this);
    question->setInformativeText(tr("The text “%1” leads to:\n%2").arg(text, link.url));
    QPushButton *open = question->addButton(tr("&Open link"), QMessageBox::AcceptRole);
    question->addButton(QMessageBox::Cancel);
    question->setDefaultButton(open);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this, [this, open, url](QAbstractButton *button) {
        if (button == open)
            m_openLink(url);
    });
    m_linkQuestion = question;
    question->open();
}

QMessageBox *MessageView::linkQuestion() const { return m_linkQuestion; }

void MessageView::mouseMoveEvent(QMouseEvent *event)
{
    QListView::mouseMoveEvent(event);
    // A pointing hand over what a click acts on: links, reaction chips, a reply's quote, Retry and Discard.
    bool clickable = false;
    if (const QModelIndex index = indexAt(event->position().toPoint()); index.isValid()) {
        const MessageDelegate::Layout rows = rowLayout(index);
        const QPoint at = event->position().toPoint();
        for (const auto &link : rows.links)
            clickable = clickable || link.first.contains(at);
        for (const auto &chip : rows.chips)
            clickable = clickable || chip.first.contains(at);
        clickable = clickable || rows.quote.contains(at) || rows.retry.contains(at) || rows.discard.contains(at);
    }
    if (clickable)
        viewport()->setCursor(Qt::PointingHandCursor);
    else
        viewport()->unsetCursor();
}

void MessageView::contextMenuEvent(QContextMenuEvent *event)
{
    if (event->reason() != QContextMenuEvent::Mouse) {
        openContextMenuForCurrent();
        return;
    }
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid())
        return;
    setCurrentIndex(index);
    if (m_menu)
        m_menu->close();
    m_menu = new QMenu(this);
    m_menu->setAttribute(Qt::WA_DeleteOnClose);
    const bool failed = !currentFailedId().isEmpty();
    m_retryAction->setEnabled(failed);
    m_discardAction->setEnabled(failed);
    m_copyAction->setEnabled(!index.data(MessageListModel::DeletedRole).toBool());
    m_menu->addAction(m_copyAction);
    // The links of the message, for the keyboard (and to see an address in full before opening it).
    if (!index.data(MessageListModel::DeletedRole).toBool()) {
        const MarkdownLite::Rendered shown = MarkdownLite::parse(index.data(MessageListModel::TextRole).toString());
        const QFontMetrics metrics(m_menu->font());
        for (qsizetype i = 0; i < shown.links.size() && i < 5; ++i) {
            const MarkdownLite::Link link = shown.links.at(i);
            const QString label = tr("Open %1").arg(metrics.elidedText(link.url, Qt::ElideMiddle, 320).replace(u'&', u"&&"_s));
            QAction *action = m_menu->addAction(label);
            connect(action, &QAction::triggered, this, [this, link, text = shown.text.mid(link.start, link.length)] {
                openLink(link, text);
            });
        }
    }
    if (const qint64 seq = currentRepliableSeq(); seq > 0) {
        m_menu->addAction(m_replyAction);
        QMenu *react = m_menu->addMenu(tr("Re&act"));
        QSet<QString> mine;
        for (const QVariant &entry : index.data(MessageListModel::ReactionsRole).toList()) {
            if (entry.toMap().value(u"mine"_s).toBool())
                mine.insert(entry.toMap().value(u"reaction"_s).toString());
        }
        for (const QString &reaction : quickReactions()) {
            QAction *action = react->addAction(reaction);
            action->setCheckable(true);
            action->setChecked(mine.contains(reaction)); // checked: ours, and choosing it takes it back
            connect(action, &QAction::triggered, this, [this, seq, reaction, taken = mine.contains(reaction)] {
                Q_EMIT reactionRequested(seq, reaction, taken);
            });
        }
        react->addSeparator();
        connect(react->addAction(tr("&More…")), &QAction::triggered, this, [this, seq, at = event->globalPos()] {
            m_reactingTo = seq;
            m_reactionPicker->popupAt(at);
        });
    }
    if (currentEditableSeq() > 0) {
        m_menu->addSeparator();
        m_menu->addAction(m_editAction);
        m_menu->addAction(m_deleteAction);
    } else if (currentDeletableSeq() > 0) {
        m_menu->addSeparator();
        m_menu->addAction(m_deleteAction); // a moderator's: anyone's message
    }
    if (failed) {
        m_menu->addSeparator();
        m_menu->addAction(m_retryAction);
        m_menu->addAction(m_discardAction);
    }
    m_menu->popup(event->globalPos());
}

void MessageView::openContextMenuForCurrent()
{
    QModelIndex index = currentIndex();
    if (!index.isValid() && model() && model()->rowCount() > 0)
        index = model()->index(model()->rowCount() - 1, 0); // nothing chosen yet: the newest
    if (!index.isValid())
        return;
    setCurrentIndex(index);
    scrollTo(index);
    const QRect rect = visualRect(index).intersected(viewport()->rect());
    const QPoint at = rect.topLeft() + QPoint(24, std::min(rect.height(), 24));
    QContextMenuEvent mouseLike(QContextMenuEvent::Mouse, at, viewport()->mapToGlobal(at));
    contextMenuEvent(&mouseLike);
}

void MessageView::keyPressEvent(QKeyEvent *event)
{
    // Shift+F10 is the keyboard's context menu key on every desktop; Qt only maps it on Windows.
    if ((event->key() == Qt::Key_F10 && event->modifiers() == Qt::ShiftModifier) || event->key() == Qt::Key_Menu) {
        openContextMenuForCurrent();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        scrollToNewest();
        Q_EMIT leaveRequested();
        event->accept();
        return;
    }
    QListView::keyPressEvent(event);
}

} // namespace Tertulia
