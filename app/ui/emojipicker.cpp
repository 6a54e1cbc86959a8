#include "app/ui/emojipicker.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtGui/QKeyEvent>
#include <QtWidgets/QBoxLayout>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QTabBar>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
using Category = EmojiPicker::Category;

/// Names are short English descriptions (Unicode's CLDR names, shortened), translated like any other string.
const QList<EmojiPicker::Emoji> kEmoji = {
    {u"😀"_s, QT_TRANSLATE_NOOP("EmojiPicker", "grinning face"), Category::Smileys},
    {u"😃"_s, QT_TRANSLATE_NOOP("EmojiPicker", "smiling face with big eyes"), Category::Smileys},
    {u"😄"_s, QT_TRANSLATE_NOOP("EmojiPicker", "smiling face with smiling eyes"), Category::Smileys},
    {u"😁"_s, QT_TRANSLATE_NOOP("EmojiPicker", "beaming face"), Category::Smileys},
    {u"😆"_s, QT_TRANSLATE_NOOP("EmojiPicker", "laughing"), Category::Smileys},
    {u"😅"_s, QT_TRANSLATE_NOOP("EmojiPicker", "sweat smile"), Category::Smileys},
    {u"😂"_s, QT_TRANSLATE_NOOP("EmojiPicker", "tears of joy"), Category::Smileys},
    {u"🤣"_s, QT_TRANSLATE_NOOP("EmojiPicker", "rolling on the floor laughing"), Category::Smileys},
    {u"🙂"_s, QT_TRANSLATE_NOOP("EmojiPicker", "slightly smiling face"), Category::Smileys},
    {u"🙃"_s, QT_TRANSLATE_NOOP("EmojiPicker", "upside-down face"), Category::Smileys},
    {u"😉"_s, QT_TRANSLATE_NOOP("EmojiPicker", "winking face"), Category::Smileys},
    {u"😊"_s, QT_TRANSLATE_NOOP("EmojiPicker", "blushing smile"), Category::Smileys},
    {u"😇"_s, QT_TRANSLATE_NOOP("EmojiPicker", "halo"), Category::Smileys},
    {u"🥰"_s, QT_TRANSLATE_NOOP("EmojiPicker", "smiling face with hearts"), Category::Smileys},
    {u"😍"_s, QT_TRANSLATE_NOOP("EmojiPicker", "heart eyes"), Category::Smileys},
    {u"😘"_s, QT_TRANSLATE_NOOP("EmojiPicker", "blowing a kiss"), Category::Smileys},
    {u"😋"_s, QT_TRANSLATE_NOOP("EmojiPicker", "yummy"), Category::Smileys},
    {u"😛"_s, QT_TRANSLATE_NOOP("EmojiPicker", "tongue out"), Category::Smileys},
    {u"😜"_s, QT_TRANSLATE_NOOP("EmojiPicker", "winking with tongue"), Category::Smileys},
    {u"🤔"_s, QT_TRANSLATE_NOOP("EmojiPicker", "thinking"), Category::Smileys},
    {u"🤨"_s, QT_TRANSLATE_NOOP("EmojiPicker", "raised eyebrow"), Category::Smileys},
    {u"😐"_s, QT_TRANSLATE_NOOP("EmojiPicker", "neutral face"), Category::Smileys},
    {u"😑"_s, QT_TRANSLATE_NOOP("EmojiPicker", "expressionless"), Category::Smileys},
    {u"🙄"_s, QT_TRANSLATE_NOOP("EmojiPicker", "rolling eyes"), Category::Smileys},
    {u"😏"_s, QT_TRANSLATE_NOOP("EmojiPicker", "smirk"), Category::Smileys},
    {u"😬"_s, QT_TRANSLATE_NOOP("EmojiPicker", "grimace"), Category::Smileys},
    {u"😌"_s, QT_TRANSLATE_NOOP("EmojiPicker", "relieved"), Category::Smileys},
    {u"😴"_s, QT_TRANSLATE_NOOP("EmojiPicker", "sleeping"), Category::Smileys},
    {u"😎"_s, QT_TRANSLATE_NOOP("EmojiPicker", "cool sunglasses"), Category::Smileys},
    {u"🤓"_s, QT_TRANSLATE_NOOP("EmojiPicker", "nerd"), Category::Smileys},
    {u"😕"_s, QT_TRANSLATE_NOOP("EmojiPicker", "confused"), Category::Smileys},
    {u"😟"_s, QT_TRANSLATE_NOOP("EmojiPicker", "worried"), Category::Smileys},
    {u"😮"_s, QT_TRANSLATE_NOOP("EmojiPicker", "open mouth"), Category::Smileys},
    {u"😲"_s, QT_TRANSLATE_NOOP("EmojiPicker", "astonished"), Category::Smileys},
    {u"😳"_s, QT_TRANSLATE_NOOP("EmojiPicker", "flushed"), Category::Smileys},
    {u"🥺"_s, QT_TRANSLATE_NOOP("EmojiPicker", "pleading"), Category::Smileys},
    {u"😢"_s, QT_TRANSLATE_NOOP("EmojiPicker", "crying"), Category::Smileys},
    {u"😭"_s, QT_TRANSLATE_NOOP("EmojiPicker", "sobbing"), Category::Smileys},
    {u"😱"_s, QT_TRANSLATE_NOOP("EmojiPicker", "screaming in fear"), Category::Smileys},
    {u"😤"_s, QT_TRANSLATE_NOOP("EmojiPicker", "huffing"), Category::Smileys},
    {u"😡"_s, QT_TRANSLATE_NOOP("EmojiPicker", "angry"), Category::Smileys},
    {u"🤯"_s, QT_TRANSLATE_NOOP("EmojiPicker", "mind blown"), Category::Smileys},
    {u"🥳"_s, QT_TRANSLATE_NOOP("EmojiPicker", "party face"), Category::Smileys},
    {u"😷"_s, QT_TRANSLATE_NOOP("EmojiPicker", "face with mask"), Category::Smileys},
    {u"🤒"_s, QT_TRANSLATE_NOOP("EmojiPicker", "sick"), Category::Smileys},
    {u"🤗"_s, QT_TRANSLATE_NOOP("EmojiPicker", "hug"), Category::Smileys},
    {u"🤫"_s, QT_TRANSLATE_NOOP("EmojiPicker", "shush"), Category::Smileys},
    {u"🤭"_s, QT_TRANSLATE_NOOP("EmojiPicker", "hand over mouth"), Category::Smileys},
    {u"👍"_s, QT_TRANSLATE_NOOP("EmojiPicker", "thumbs up"), Category::People},
    {u"👎"_s, QT_TRANSLATE_NOOP("EmojiPicker", "thumbs down"), Category::People},
    {u"👌"_s, QT_TRANSLATE_NOOP("EmojiPicker", "OK hand"), Category::People},
    {u"✌️"_s, QT_TRANSLATE_NOOP("EmojiPicker", "victory hand"), Category::People},
    {u"🤞"_s, QT_TRANSLATE_NOOP("EmojiPicker", "crossed fingers"), Category::People},
    {u"🤝"_s, QT_TRANSLATE_NOOP("EmojiPicker", "handshake"), Category::People},
    {u"👏"_s, QT_TRANSLATE_NOOP("EmojiPicker", "clapping"), Category::People},
    {u"🙌"_s, QT_TRANSLATE_NOOP("EmojiPicker", "raising hands"), Category::People},
    {u"👋"_s, QT_TRANSLATE_NOOP("EmojiPicker", "waving hand"), Category::People},
    {u"🙏"_s, QT_TRANSLATE_NOOP("EmojiPicker", "folded hands"), Category::People},
    {u"💪"_s, QT_TRANSLATE_NOOP("EmojiPicker", "flexed biceps"), Category::People},
    {u"👀"_s, QT_TRANSLATE_NOOP("EmojiPicker", "eyes"), Category::People},
    {u"🤷"_s, QT_TRANSLATE_NOOP("EmojiPicker", "shrug"), Category::People},
    {u"🤦"_s, QT_TRANSLATE_NOOP("EmojiPicker", "facepalm"), Category::People},
    {u"🙋"_s, QT_TRANSLATE_NOOP("EmojiPicker", "raising hand"), Category::People},
    {u"👉"_s, QT_TRANSLATE_NOOP("EmojiPicker", "pointing right"), Category::People},
    {u"👆"_s, QT_TRANSLATE_NOOP("EmojiPicker", "pointing up"), Category::People},
    {u"✍️"_s, QT_TRANSLATE_NOOP("EmojiPicker", "writing hand"), Category::People},
    {u"❤️"_s, QT_TRANSLATE_NOOP("EmojiPicker", "red heart"), Category::Symbols},
    {u"🧡"_s, QT_TRANSLATE_NOOP("EmojiPicker", "orange heart"), Category::Symbols},
    {u"💛"_s, QT_TRANSLATE_NOOP("EmojiPicker", "yellow heart"), Category::Symbols},
    {u"💚"_s, QT_TRANSLATE_NOOP("EmojiPicker", "green heart"), Category::Symbols},
    {u"💙"_s, QT_TRANSLATE_NOOP("EmojiPicker", "blue heart"), Category::Symbols},
    {u"💜"_s, QT_TRANSLATE_NOOP("EmojiPicker", "purple heart"), Category::Symbols},
    {u"🖤"_s, QT_TRANSLATE_NOOP("EmojiPicker", "black heart"), Category::Symbols},
    {u"💔"_s, QT_TRANSLATE_NOOP("EmojiPicker", "broken heart"), Category::Symbols},
    {u"✨"_s, QT_TRANSLATE_NOOP("EmojiPicker", "sparkles"), Category::Symbols},
    {u"🔥"_s, QT_TRANSLATE_NOOP("EmojiPicker", "fire"), Category::Symbols},
    {u"⭐"_s, QT_TRANSLATE_NOOP("EmojiPicker", "star"), Category::Symbols},
    {u"💯"_s, QT_TRANSLATE_NOOP("EmojiPicker", "hundred points"), Category::Symbols},
    {u"✅"_s, QT_TRANSLATE_NOOP("EmojiPicker", "check mark"), Category::Symbols},
    {u"❌"_s, QT_TRANSLATE_NOOP("EmojiPicker", "cross mark"), Category::Symbols},
    {u"❓"_s, QT_TRANSLATE_NOOP("EmojiPicker", "question mark"), Category::Symbols},
    {u"❗"_s, QT_TRANSLATE_NOOP("EmojiPicker", "exclamation mark"), Category::Symbols},
    {u"⚠️"_s, QT_TRANSLATE_NOOP("EmojiPicker", "warning"), Category::Symbols},
    {u"💡"_s, QT_TRANSLATE_NOOP("EmojiPicker", "light bulb"), Category::Symbols},
    {u"💬"_s, QT_TRANSLATE_NOOP("EmojiPicker", "speech balloon"), Category::Symbols},
    {u"🎉"_s, QT_TRANSLATE_NOOP("EmojiPicker", "party popper"), Category::Symbols},
    {u"🎂"_s, QT_TRANSLATE_NOOP("EmojiPicker", "birthday cake"), Category::Symbols},
    {u"🎁"_s, QT_TRANSLATE_NOOP("EmojiPicker", "gift"), Category::Symbols},
    {u"🐶"_s, QT_TRANSLATE_NOOP("EmojiPicker", "dog"), Category::Nature},
    {u"🐱"_s, QT_TRANSLATE_NOOP("EmojiPicker", "cat"), Category::Nature},
    {u"🐭"_s, QT_TRANSLATE_NOOP("EmojiPicker", "mouse"), Category::Nature},
    {u"🐰"_s, QT_TRANSLATE_NOOP("EmojiPicker", "rabbit"), Category::Nature},
    {u"🦊"_s, QT_TRANSLATE_NOOP("EmojiPicker", "fox"), Category::Nature},
    {u"🐻"_s, QT_TRANSLATE_NOOP("EmojiPicker", "bear"), Category::Nature},
    {u"🐼"_s, QT_TRANSLATE_NOOP("EmojiPicker", "panda"), Category::Nature},
    {u"🐸"_s, QT_TRANSLATE_NOOP("EmojiPicker", "frog"), Category::Nature},
    {u"🐵"_s, QT_TRANSLATE_NOOP("EmojiPicker", "monkey"), Category::Nature},
    {u"🐔"_s, QT_TRANSLATE_NOOP("EmojiPicker", "chicken"), Category::Nature},
    {u"🐧"_s, QT_TRANSLATE_NOOP("EmojiPicker", "penguin"), Category::Nature},
    {u"🦋"_s, QT_TRANSLATE_NOOP("EmojiPicker", "butterfly"), Category::Nature},
    {u"🐢"_s, QT_TRANSLATE_NOOP("EmojiPicker", "turtle"), Category::Nature},
    {u"🐙"_s, QT_TRANSLATE_NOOP("EmojiPicker", "octopus"), Category::Nature},
    {u"🌸"_s, QT_TRANSLATE_NOOP("EmojiPicker", "cherry blossom"), Category::Nature},
    {u"🌻"_s, QT_TRANSLATE_NOOP("EmojiPicker", "sunflower"), Category::Nature},
    {u"🌳"_s, QT_TRANSLATE_NOOP("EmojiPicker", "tree"), Category::Nature},
    {u"🍀"_s, QT_TRANSLATE_NOOP("EmojiPicker", "four-leaf clover"), Category::Nature},
    {u"☀️"_s, QT_TRANSLATE_NOOP("EmojiPicker", "sun"), Category::Nature},
    {u"🌙"_s, QT_TRANSLATE_NOOP("EmojiPicker", "moon"), Category::Nature},
    {u"🌈"_s, QT_TRANSLATE_NOOP("EmojiPicker", "rainbow"), Category::Nature},
    {u"☔"_s, QT_TRANSLATE_NOOP("EmojiPicker", "umbrella with rain"), Category::Nature},
    {u"❄️"_s, QT_TRANSLATE_NOOP("EmojiPicker", "snowflake"), Category::Nature},
    {u"🍎"_s, QT_TRANSLATE_NOOP("EmojiPicker", "apple"), Category::Food},
    {u"🍌"_s, QT_TRANSLATE_NOOP("EmojiPicker", "banana"), Category::Food},
    {u"🍓"_s, QT_TRANSLATE_NOOP("EmojiPicker", "strawberry"), Category::Food},
    {u"🍉"_s, QT_TRANSLATE_NOOP("EmojiPicker", "watermelon"), Category::Food},
    {u"🥑"_s, QT_TRANSLATE_NOOP("EmojiPicker", "avocado"), Category::Food},
    {u"🍅"_s, QT_TRANSLATE_NOOP("EmojiPicker", "tomato"), Category::Food},
    {u"🥖"_s, QT_TRANSLATE_NOOP("EmojiPicker", "baguette"), Category::Food},
    {u"🧀"_s, QT_TRANSLATE_NOOP("EmojiPicker", "cheese"), Category::Food},
    {u"🍕"_s, QT_TRANSLATE_NOOP("EmojiPicker", "pizza"), Category::Food},
    {u"🍔"_s, QT_TRANSLATE_NOOP("EmojiPicker", "hamburger"), Category::Food},
    {u"🌮"_s, QT_TRANSLATE_NOOP("EmojiPicker", "taco"), Category::Food},
    {u"🥘"_s, QT_TRANSLATE_NOOP("EmojiPicker", "paella"), Category::Food},
    {u"🍝"_s, QT_TRANSLATE_NOOP("EmojiPicker", "spaghetti"), Category::Food},
    {u"🍣"_s, QT_TRANSLATE_NOOP("EmojiPicker", "sushi"), Category::Food},
    {u"🍰"_s, QT_TRANSLATE_NOOP("EmojiPicker", "cake"), Category::Food},
    {u"🍫"_s, QT_TRANSLATE_NOOP("EmojiPicker", "chocolate"), Category::Food},
    {u"🍩"_s, QT_TRANSLATE_NOOP("EmojiPicker", "doughnut"), Category::Food},
    {u"☕"_s, QT_TRANSLATE_NOOP("EmojiPicker", "coffee"), Category::Food},
    {u"🍵"_s, QT_TRANSLATE_NOOP("EmojiPicker", "tea"), Category::Food},
    {u"🍺"_s, QT_TRANSLATE_NOOP("EmojiPicker", "beer"), Category::Food},
    {u"🍷"_s, QT_TRANSLATE_NOOP("EmojiPicker", "wine"), Category::Food},
    {u"🥂"_s, QT_TRANSLATE_NOOP("EmojiPicker", "toast"), Category::Food},
    {u"⚽"_s, QT_TRANSLATE_NOOP("EmojiPicker", "football"), Category::Activities},
    {u"🏀"_s, QT_TRANSLATE_NOOP("EmojiPicker", "basketball"), Category::Activities},
    {u"🎾"_s, QT_TRANSLATE_NOOP("EmojiPicker", "tennis"), Category::Activities},
    {u"🏆"_s, QT_TRANSLATE_NOOP("EmojiPicker", "trophy"), Category::Activities},
    {u"🎮"_s, QT_TRANSLATE_NOOP("EmojiPicker", "video game"), Category::Activities},
    {u"🎲"_s, QT_TRANSLATE_NOOP("EmojiPicker", "die"), Category::Activities},
    {u"🎵"_s, QT_TRANSLATE_NOOP("EmojiPicker", "music"), Category::Activities},
    {u"🎸"_s, QT_TRANSLATE_NOOP("EmojiPicker", "guitar"), Category::Activities},
    {u"🎬"_s, QT_TRANSLATE_NOOP("EmojiPicker", "cinema"), Category::Activities},
    {u"📚"_s, QT_TRANSLATE_NOOP("EmojiPicker", "books"), Category::Activities},
    {u"✈️"_s, QT_TRANSLATE_NOOP("EmojiPicker", "airplane"), Category::Activities},
    {u"🚗"_s, QT_TRANSLATE_NOOP("EmojiPicker", "car"), Category::Activities},
    {u"🚲"_s, QT_TRANSLATE_NOOP("EmojiPicker", "bicycle"), Category::Activities},
    {u"🏠"_s, QT_TRANSLATE_NOOP("EmojiPicker", "house"), Category::Activities},
    {u"🏖️"_s, QT_TRANSLATE_NOOP("EmojiPicker", "beach"), Category::Activities},
    {u"⏰"_s, QT_TRANSLATE_NOOP("EmojiPicker", "alarm clock"), Category::Activities},
    {u"📅"_s, QT_TRANSLATE_NOOP("EmojiPicker", "calendar"), Category::Activities},
    {u"💻"_s, QT_TRANSLATE_NOOP("EmojiPicker", "laptop"), Category::Activities},
    {u"📱"_s, QT_TRANSLATE_NOOP("EmojiPicker", "mobile phone"), Category::Activities},
    {u"📎"_s, QT_TRANSLATE_NOOP("EmojiPicker", "paperclip"), Category::Activities},
    {u"🔒"_s, QT_TRANSLATE_NOOP("EmojiPicker", "locked"), Category::Activities},
    {u"🚀"_s, QT_TRANSLATE_NOOP("EmojiPicker", "rocket"), Category::Activities},
};

/// Lowercase without accents, so that "corazon" finds "corazón" and "CAFE" finds "café".
QString folded(const QString &text)
{
    const QString decomposed = text.toLower().normalized(QString::NormalizationForm_D);
    QString out;
    out.reserve(decomposed.size());
    for (const QChar c : decomposed) {
        if (c.category() != QChar::Mark_NonSpacing)
            out.append(c);
    }
    return out;
}

QString translatedName(const EmojiPicker::Emoji &emoji)
{
    return QCoreApplication::translate("EmojiPicker", emoji.name);
}

constexpr int kGlyphRole = Qt::UserRole + 1;
} // namespace

QFont EmojiPicker::emojiFont(QFont font)
{
    // A colour emoji font first where there is one: Qt 6.4 picks fonts per character, not by the emoji
    // presentation selector (U+FE0F), and "❤️" would come out as a black text heart from DejaVu.
    font.setFamilies({u"Noto Color Emoji"_s, u"Apple Color Emoji"_s, u"Segoe UI Emoji"_s, font.family()});
    return font;
}

EmojiPicker::EmojiPicker(QWidget *parent)
    : QFrame(parent, Qt::Popup), m_search(new QLineEdit(this)), m_tabs(new QTabBar(this)), m_grid(new QListWidget(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAttribute(Qt::WA_WindowPropagation);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addWidget(m_search);
    layout->addWidget(m_tabs);
    layout->addWidget(m_grid, 1);
    m_search->setClearButtonEnabled(true);
    m_tabs->setExpanding(false);
    m_tabs->setDrawBase(false);
    m_tabs->setUsesScrollButtons(false);
    for (const QString &glyph : {u"🕘"_s, u"🙂"_s, u"👍"_s, u"❤️"_s, u"🌳"_s, u"🍕"_s, u"⚽"_s})
        m_tabs->addTab(glyph);
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setUniformItemSizes(true);
    m_grid->setWrapping(true);
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    QFont big = emojiFont(m_grid->font());
    big.setPointSizeF(big.pointSizeF() * 1.6);
    m_grid->setFont(big);
    m_tabs->setFont(emojiFont(m_tabs->font()));
    const int cell = QFontMetrics(big).height() + 12;
    m_grid->setGridSize(QSize(cell, cell));
    setMinimumSize(cell * 8 + 40, cell * 5 + 90);
    resize(minimumSize());

    connect(m_search, &QLineEdit::textChanged, this, &EmojiPicker::fill);
    connect(m_tabs, &QTabBar::currentChanged, this, [this] {
        if (!m_search->text().isEmpty())
            m_search->clear(); // a tab is chosen: show it, not the search
        else
            fill();
    });
    // A click chooses (not itemActivated: where a click also activates, the emoji would come twice).
    connect(m_grid, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { choose(item->data(kGlyphRole).toString()); });
    // Enter in the search field takes the first match, in the grid the current one; Down goes to the grid.
    m_search->installEventFilter(this);
    m_grid->installEventFilter(this);
    retranslate();
}

const QList<EmojiPicker::Emoji> &EmojiPicker::all() { return kEmoji; }

QStringList EmojiPicker::search(const QString &query)
{
    const QStringList words = folded(query).split(u' ', Qt::SkipEmptyParts);
    QStringList found;
    for (const Emoji &emoji : kEmoji) {
        const QString names = folded(translatedName(emoji)) + u'\n' + folded(QString::fromUtf8(emoji.name));
        bool all = true;
        for (const QString &word : words)
            all = all && names.contains(word);
        if (all)
            found.append(emoji.glyph);
    }
    return found;
}

QStringList EmojiPicker::remember(QStringList recent, const QString &emoji)
{
    recent.removeAll(emoji);
    recent.prepend(emoji);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    return recent;
}

void EmojiPicker::setRecent(const QStringList &recent)
{
    // Only what the set knows: the settings file is the person's to edit, not a way to add text.
    QStringList known;
    for (const QString &glyph : recent) {
        const bool inSet = std::any_of(kEmoji.cbegin(), kEmoji.cend(), [&](const Emoji &e) { return e.glyph == glyph; });
        if (inSet && !known.contains(glyph) && known.size() < kMaxRecent)
            known.append(glyph);
    }
    if (known == m_recent)
        return; // the picker that just chose: its grid is still handling the click
    m_recent = known;
    if (!isVisible())
        return; // filled when shown
    fill();
}

void EmojiPicker::popupAt(QPoint bottomLeft)
{
    m_search->clear();
    m_tabs->setCurrentIndex(m_recent.isEmpty() ? int(Category::Smileys) : int(Category::Recent));
    fill();
    move(bottomLeft - QPoint(0, height()));
    show();
    raise();
    activateWindow();
    m_search->setFocus(Qt::PopupFocusReason);
}

void EmojiPicker::fill()
{
    QStringList glyphs;
    if (!m_search->text().trimmed().isEmpty()) {
        glyphs = search(m_search->text());
    } else if (m_tabs->currentIndex() == int(Category::Recent)) {
        glyphs = m_recent;
    } else {
        for (const Emoji &emoji : kEmoji) {
            if (int(emoji.category) == m_tabs->currentIndex())
                glyphs.append(emoji.glyph);
        }
    }
    m_grid->clear();
    for (const QString &glyph : std::as_const(glyphs)) {
        const auto it = std::find_if(kEmoji.cbegin(), kEmoji.cend(), [&](const Emoji &e) { return e.glyph == glyph; });
        auto *item = new QListWidgetItem(glyph, m_grid);
        item->setData(kGlyphRole, glyph);
        item->setTextAlignment(Qt::AlignCenter);
        if (it != kEmoji.cend()) {
            item->setToolTip(translatedName(*it));
            item->setData(Qt::AccessibleTextRole, translatedName(*it));
        }
    }
    if (m_grid->count() > 0)
        m_grid->setCurrentRow(0);
}

void EmojiPicker::choose(const QString &emoji)
{
    if (emoji.isEmpty())
        return;
    m_recent = remember(m_recent, emoji);
    Q_EMIT recentChanged(m_recent);
    Q_EMIT picked(emoji);
    close();
}

bool EmojiPicker::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_search || watched == m_grid) && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && m_grid->currentItem()) {
            choose(m_grid->currentItem()->data(kGlyphRole).toString());
            return true;
        }
        if (watched == m_search && key->key() == Qt::Key_Down && m_grid->count() > 0) {
            m_grid->setFocus(Qt::TabFocusReason);
            return true;
        }
    }
    return QFrame::eventFilter(watched, event);
}

void EmojiPicker::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
        fill();
    }
    QFrame::changeEvent(event);
}

void EmojiPicker::retranslate()
{
    setAccessibleName(tr("Emoji"));
    m_search->setPlaceholderText(tr("Search emoji"));
    m_search->setAccessibleName(tr("Search emoji"));
    m_grid->setAccessibleName(tr("Emoji"));
    const QStringList names{tr("Recently used"), tr("Smileys"), tr("People and gestures"), tr("Hearts and symbols"),
                            tr("Animals and nature"), tr("Food and drink"), tr("Activities, travel and objects")};
    for (int i = 0; i < names.size() && i < m_tabs->count(); ++i) {
        m_tabs->setTabToolTip(i, names.at(i));
        m_tabs->setAccessibleTabName(i, names.at(i));
    }
}

} // namespace Tertulia
