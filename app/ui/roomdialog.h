#pragma once

#include <QtWidgets/QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace Tertulia {

/// Asks for a room to create (name, private) or join (name, or one picked from the rooms the person
/// is not in yet), or a user to invite to a room. Names are checked as they are typed: the rules are
/// shown from the start, a name that breaks them says why at once and cannot be submitted. The dialog
/// does not talk to the server: it emits submitted() and stays open, showing busy and then either
/// closing (finish()) or the server's answer in plain words (showError()).
class RoomDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomDialog)

public:
    enum class Mode { Create, Join, Invite };

    explicit RoomDialog(Mode mode, QWidget *parent = nullptr, const QString &room = {});

    Mode mode() const { return m_mode; }
    QString name() const;
    bool isPrivate() const;
    QLineEdit *nameEdit() const { return m_name; }
    QCheckBox *privateBox() const { return m_private; }
    QLabel *errorLabel() const { return m_error; }
    QLabel *rulesLabel() const { return m_rules; }
    /// Join: the rooms to pick from (filtered by what is typed).
    QListWidget *roomList() const { return m_rooms; }
    QPushButton *submitButton() const;

    /// Join: the rooms the person can join (public ones and private ones they were invited to).
    void setRoomChoices(const QStringList &rooms);

    void showError(const QString &message);
    /// The server said yes.
    void finish();

Q_SIGNALS:
    void submitted(const QString &name, bool isPrivate);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void submit();
    /// What is wrong with the typed name, or nothing.
    QString problem() const;
    void validate();
    void filterRooms();
    /// Grows the dialog to what its texts need now (a wrapped error line must not be cut off).
    void fitContents();

    Mode m_mode;
    QString m_room;
    QLabel *m_intro;
    QLabel *m_nameLabel;
    QLineEdit *m_name;
    QLabel *m_rules;
    QLabel *m_roomsLabel;
    QListWidget *m_rooms;
    QLabel *m_noRooms;
    QCheckBox *m_private;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    bool m_busy = false;
};

} // namespace Tertulia
