#include "app/ui/quickswitcher.h"

#include "app/session/chatroom.h"
#include "app/session/roomdirectory.h"

#include <QtCore/QEvent>
#include <QtGui/QKeyEvent>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>

#include <algorithm>

namespace Tertulia {

namespace {
constexpr int kNameRole = Qt::UserRole + 1;
} // namespace

QuickSwitcher::QuickSwitcher(const RoomDirectory &rooms, QWidget *parent)
    : QDialog(parent), m_hint(new QLabel(this)), m_filter(new QLineEdit(this)), m_list(new QListWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    m_hint->setWordWrap(true);
    m_hint->setBuddy(m_filter);
    layout->addWidget(m_hint);
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    m_list->setFocusPolicy(Qt::NoFocus); // typing stays in the field; arrows move the list from there
    m_list->setUniformItemSizes(true);
    m_filter->installEventFilter(this);
    setMinimumSize(340, 300);
    fill(rooms);
    connect(m_filter, &QLineEdit::textChanged, this, &QuickSwitcher::filter);
    connect(m_filter, &QLineEdit::returnPressed, this, &QuickSwitcher::choose);
    connect(m_list, &QListWidget::itemActivated, this, &QuickSwitcher::choose);
    retranslate();
    filter();
}

void QuickSwitcher::fill(const RoomDirectory &rooms)
{
    const QList<ChatRoom *> all = rooms.rooms();
    QList<const ChatRoom *> sorted(all.cbegin(), all.cend());
    // Joined before not joined, unread before read, then by name.
    std::stable_sort(sorted.begin(), sorted.end(), [](const ChatRoom *a, const ChatRoom *b) {
        if (a->isJoined() != b->isJoined())
            return a->isJoined();
        if ((a->unreadCount() > 0) != (b->unreadCount() > 0))
            return a->unreadCount() > 0;
        return QString::compare(a->name(), b->name(), Qt::CaseInsensitive) < 0;
    });
    for (const ChatRoom *room : sorted) {
        auto *item = new QListWidgetItem(m_list);
        item->setData(kNameRole, room->name());
        QString text = u'#' + room->name();
        if (!room->isJoined())
            text = tr("%1 (not joined)").arg(text);
        else if (room->unreadCount() > 0)
            text = tr("%1 (%2 unread)").arg(text).arg(room->unreadCount());
        item->setText(text);
    }
}

void QuickSwitcher::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void QuickSwitcher::retranslate()
{
    setWindowTitle(tr("Go to a room"));
    m_hint->setText(tr("&Type part of a room's name, then Enter. Escape closes."));
    m_filter->setAccessibleName(tr("Room name"));
    m_list->setAccessibleName(tr("Matching rooms"));
}

void QuickSwitcher::filter()
{
    const QString typed = m_filter->text().trimmed().remove(u'#');
    QListWidgetItem *first = nullptr;
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        const bool match = item->data(kNameRole).toString().contains(typed, Qt::CaseInsensitive);
        item->setHidden(!match);
        if (match && !first)
            first = item;
    }
    m_list->setCurrentItem(first);
}

bool QuickSwitcher::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up) {
            const int step = key->key() == Qt::Key_Down ? 1 : -1;
            for (int row = m_list->currentRow() + step; row >= 0 && row < m_list->count(); row += step) {
                if (!m_list->item(row)->isHidden()) {
                    m_list->setCurrentRow(row);
                    break;
                }
            }
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void QuickSwitcher::choose()
{
    const QListWidgetItem *item = m_list->currentItem();
    if (!item || item->isHidden())
        return;
    const QString name = item->data(kNameRole).toString();
    accept();
    Q_EMIT roomChosen(name);
}

} // namespace Tertulia
