#include "app/ui/searchdialog.h"

#include "app/session/chatclient.h"
#include "app/session/chatroom.h"
#include "app/session/displaynames.h"
#include "app/session/roomdirectory.h"
#include "app/ui/uitext.h"

#include <QtCore/QDateTime>
#include <QtCore/QEvent>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QPushButton>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
constexpr int kRoomRole = Qt::UserRole + 1;
constexpr int kSeqRole = Qt::UserRole + 2;

/// Excerpts are one line in the list.
QString oneLine(QString text)
{
    text.replace(u'\n', u' ');
    text.replace(u'\r', u' ');
    return text;
}
} // namespace

SearchDialog::SearchDialog(ChatClient &client, const QString &currentRoom, QWidget *parent)
    : QDialog(parent),
      m_client(client),
      m_currentRoom(currentRoom),
      m_hint(new QLabel(this)),
      m_query(new QLineEdit(this)),
      m_scope(new QComboBox(this)),
      m_status(new QLabel(this)),
      m_list(new QListWidget(this)),
      m_more(new QPushButton(this))
{
    auto *layout = new QVBoxLayout(this);
    m_hint->setWordWrap(true);
    m_hint->setBuddy(m_query);
    layout->addWidget(m_hint);
    auto *row = new QHBoxLayout;
    row->addWidget(m_query, 1);
    row->addWidget(m_scope);
    layout->addLayout(row);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_more, 0, Qt::AlignRight);
    m_query->setMaxLength(int(Protocol::kMaxSearchQueryLength));
    m_query->setClearButtonEnabled(true);
    m_list->setWordWrap(true);
    m_list->setAlternatingRowColors(true);
    m_more->setVisible(false);
    m_more->setAutoDefault(false);
    setMinimumSize(520, 420);
    connect(m_query, &QLineEdit::returnPressed, this, &SearchDialog::search);
    connect(m_scope, &QComboBox::activated, this, [this] {
        if (!m_query->text().trimmed().isEmpty())
            search();
    });
    connect(m_list, &QListWidget::itemActivated, this, &SearchDialog::choose);
    // The rows are labels: the selected one takes the selection's text colour, as a plain item would.
    connect(m_list, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *current, QListWidgetItem *previous) {
        if (auto *label = previous ? qobject_cast<QLabel *>(m_list->itemWidget(previous)) : nullptr)
            label->setForegroundRole(QPalette::Text);
        if (auto *label = current ? qobject_cast<QLabel *>(m_list->itemWidget(current)) : nullptr)
            label->setForegroundRole(QPalette::HighlightedText);
    });
    connect(m_more, &QPushButton::clicked, this, [this] { request(m_next); });
    retranslate();
}

QString SearchDialog::snippetHtml(const Protocol::SearchHit &hit)
{
    const QString &snippet = hit.snippet;
    QList<Protocol::TextRange> ranges = hit.highlights;
    std::sort(ranges.begin(), ranges.end(),
              [](const Protocol::TextRange &a, const Protocol::TextRange &b) { return a.start < b.start; });
    QString html;
    qsizetype at = 0;
    for (const Protocol::TextRange &range : ranges) {
        // Ranges from the server are checked by the codec; overlapping ones are merged into the first.
        if (range.start < at || range.start + range.length > snippet.size())
            continue;
        html += oneLine(snippet.mid(at, range.start - at)).toHtmlEscaped();
        html += u"<b>"_s + oneLine(snippet.mid(range.start, range.length)).toHtmlEscaped() + u"</b>"_s;
        at = range.start + range.length;
    }
    html += oneLine(snippet.mid(at)).toHtmlEscaped();
    return html;
}

void SearchDialog::search()
{
    m_asked = m_query->text().trimmed();
    m_next.clear();
    m_list->clear();
    m_more->setVisible(false);
    if (Protocol::searchTerms(m_asked).isEmpty()) {
        ++m_generation;
        m_status->setText(m_asked.isEmpty() ? tr("Type the words to look for and press Enter.")
                                            : tr("Type at least one word (letters or digits)."));
        return;
    }
    request({});
}

void SearchDialog::request(const QString &before)
{
    Protocol::SearchParams params;
    params.query = m_asked;
    params.room = m_scope->currentData().toString();
    params.before = before;
    params.limit = Protocol::kDefaultSearchPage;
    const int generation = ++m_generation;
    m_status->setText(tr("Searching…"));
    m_more->setEnabled(false);
    m_client.searchMessages(params, this, [this, generation](const auto &answer) {
        if (generation != m_generation)
            return; // a newer search (or page) was asked for meanwhile
        m_more->setEnabled(true);
        if (const auto *error = std::get_if<Protocol::Error>(&answer)) {
            m_status->setText(error->code == Protocol::ErrorCode::BadRequest
                                  ? tr("The search could not be made: %1").arg(error->message)
                                  : tr("The search failed. %1").arg(UiText::roomError(*error)));
            return;
        }
        append(std::get<Protocol::SearchResults>(answer));
    });
}

void SearchDialog::append(const Protocol::SearchResults &page)
{
    for (const Protocol::SearchHit &hit : page.results) {
        const Protocol::ChatMessage &m = hit.message;
        // The room as the room list calls it ("@Bob" for a direct conversation, a renamed room's title), and the
        // sender by their display name: the page carried it (ChatClient::searchMessages() learnt it).
        const ChatRoom *known = m_client.rooms()->find(m.room);
        const QString room = known ? known->label() : u'#' + m.room;
        const QString sender = m_client.displayNames()->shown(m.sender);
        // When it was written, as the timeline shows it: a message that waited offline by its written time, with
        // when it reached the server beside it.
        const QDateTime stored = QDateTime::fromMSecsSinceEpoch(m.timestamp);
        const QDateTime written = m.writtenAt > 0 ? QDateTime::fromMSecsSinceEpoch(m.writtenAt) : QDateTime();
        const QString when = UiText::dateTime(written.isValid() ? written : stored);
        const QString sent = !written.isValid() ? QString()
            : tr("sent %1", "beside the time a message was written: when it reached the server")
                  .arg(stored.date() == written.date() ? UiText::time(stored) : UiText::dateTime(stored));
        auto *item = new QListWidgetItem(m_list);
        item->setData(kRoomRole, m.room);
        item->setData(kSeqRole, m.seq);
        // The label draws the row; screen readers and tests read the plain text.
        const QString plain = tr("%1, %2, %3: %4", "a search result: room, sender, time, excerpt")
                                  .arg(room, sender, sent.isEmpty() ? when : when + u", "_s + sent, oneLine(hit.snippet));
        item->setData(Qt::AccessibleTextRole, plain);
        item->setToolTip(plain);
        auto *label = new QLabel(m_list);
        label->setTextFormat(Qt::RichText);
        label->setWordWrap(false); // one line each: the header, then the excerpt
        label->setContentsMargins(6, 4, 6, 4);
        label->setAttribute(Qt::WA_TransparentForMouseEvents);
        label->setForegroundRole(QPalette::Text);
        const QString time = sent.isEmpty() ? when.toHtmlEscaped()
                                            : when.toHtmlEscaped() + u" <i>· "_s + sent.toHtmlEscaped() + u"</i>"_s;
        label->setText(u"%1 · %2 · %3<br>%4"_s.arg(room.toHtmlEscaped(), sender.toHtmlEscaped(), time, snippetHtml(hit)));
        item->setSizeHint(label->sizeHint());
        m_list->setItemWidget(item, label);
    }
    m_next = page.next;
    m_more->setVisible(!m_next.isEmpty());
    if (m_list->count() == 0)
        m_status->setText(tr("No messages match “%1”.").arg(m_asked));
    else
        m_status->setText(tr("Messages found: %1.").arg(m_list->count())
                          + (m_next.isEmpty() ? QString() : u' ' + tr("There are more: “More results” shows them.")));
    if (!m_list->currentItem() && m_list->count() > 0)
        m_list->setCurrentRow(0);
}

void SearchDialog::choose()
{
    const QListWidgetItem *item = m_list->currentItem();
    if (!item)
        return;
    Q_EMIT messageChosen(item->data(kRoomRole).toString(), item->data(kSeqRole).toLongLong());
    accept();
}

void SearchDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void SearchDialog::retranslate()
{
    setWindowTitle(tr("Search messages"));
    m_hint->setText(tr("Search &for words in messages (accents and capitals do not matter):"));
    m_query->setPlaceholderText(tr("Words to look for"));
    const int chosen = m_scope->currentIndex();
    m_scope->clear();
    m_scope->addItem(tr("All my rooms"), QString());
    if (!m_currentRoom.isEmpty())
        m_scope->addItem(tr("Only #%1").arg(m_currentRoom), m_currentRoom);
    m_scope->setCurrentIndex(chosen >= 0 ? chosen : m_scope->count() - 1);
    m_scope->setAccessibleName(tr("Where to search"));
    m_list->setAccessibleName(tr("Search results"));
    m_more->setText(tr("&More results"));
    if (m_asked.isEmpty())
        m_status->setText(tr("Type the words to look for and press Enter."));
}

} // namespace Tertulia
