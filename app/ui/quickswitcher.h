#pragma once

#include <QtWidgets/QDialog>

class QLabel;
class QLineEdit;
class QListWidget;

namespace Tertulia {

class RoomDirectory;

/// Ctrl+K: a room by typing part of its name. Rooms you are in come first (those with unread
/// messages at the top), then the ones you could join; Up/Down move through the list without leaving
/// the text field, Enter opens the highlighted room, Escape closes without changing anything.
class QuickSwitcher final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QuickSwitcher)

public:
    QuickSwitcher(const RoomDirectory &rooms, QWidget *parent = nullptr);

    QLineEdit *filterEdit() const { return m_filter; }
    QListWidget *roomList() const { return m_list; }

Q_SIGNALS:
    void roomChosen(const QString &room);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void fill(const RoomDirectory &rooms);
    void filter();
    void choose();

    QLabel *m_hint;
    QLineEdit *m_filter;
    QListWidget *m_list;
};

} // namespace Tertulia
