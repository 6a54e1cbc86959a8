#pragma once

#include <QtCore/QStringList>
#include <QtWidgets/QFrame>

class QLineEdit;
class QListWidget;
class QTabBar;

namespace Tertulia {

/// A small popup grid of common emoji (about 150, as data in emojipicker.cpp), in categories on tabs, with
/// a search field that matches names in the current language and in English ("heart", "corazón"); the
/// emoji used last come first on their own tab. Choosing one (click, or Enter in the search field or the
/// grid) emits picked and closes. The picker keeps no settings: the list of recent emoji comes in with
/// setRecent and goes out with recentChanged (Preferences keeps it).
class EmojiPicker final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmojiPicker)

public:
    enum class Category { Recent, Smileys, People, Symbols, Nature, Food, Activities };

    struct Emoji
    {
        QString glyph;
        const char *name; ///< English; translated in the "EmojiPicker" context
        Category category;
    };

    /// How many recent emoji are remembered.
    static constexpr int kMaxRecent = 24;

    explicit EmojiPicker(QWidget *parent = nullptr);

    /// The whole set, in display order.
    static const QList<Emoji> &all();
    /// The emoji whose name (translated or English) contains every word of query, ignoring case and accents.
    static QStringList search(const QString &query);
    /// recent with emoji moved to its front, at most kMaxRecent long.
    static QStringList remember(QStringList recent, const QString &emoji);

    /// font, with the colour emoji fonts first (where installed).
    static QFont emojiFont(QFont font);

    void setRecent(const QStringList &recent);
    QStringList recent() const { return m_recent; }

    /// Shows the picker with its bottom-left corner at bottomLeft (global), search cleared and focused.
    void popupAt(QPoint bottomLeft);

    QLineEdit *searchField() const { return m_search; }
    QTabBar *tabs() const { return m_tabs; }
    QListWidget *grid() const { return m_grid; }

Q_SIGNALS:
    void picked(const QString &emoji);
    void recentChanged(const QStringList &recent);

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void retranslate();
    void fill();
    void choose(const QString &emoji);

    QLineEdit *m_search;
    QTabBar *m_tabs;
    QListWidget *m_grid;
    QStringList m_recent;
};

} // namespace Tertulia
