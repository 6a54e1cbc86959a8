#pragma once

#include <QtWidgets/QDialog>

#include <optional>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Tertulia {

/// Asks how long and why before banning or muting a member (the member list's Ban… and Mute…, the admin
/// console's Ban from room…), or why before removing one (the admin console's Remove from room…): a reason
/// the member sees and the audit log keeps (optional, at most 500 characters) and, for a ban or a mute, a
/// duration (1 hour, 1 day, 1 week, or until lifted). Given a list of rooms (setRooms()), it asks which room
/// too. It does not talk to the server: accepted() and the caller sends the request.
class ModerationDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModerationDialog)

public:
    enum class Kind { Ban, Mute, Remove };

    ModerationDialog(Kind kind, const QString &user, const QString &room, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    /// Offers these rooms to choose from (an editable list: a room not listed may be typed).
    void setRooms(const QStringList &rooms);
    /// The room chosen (or given).
    QString room() const;
    QComboBox *roomBox() const { return m_roomBox; }
    QString reason() const;
    /// Seconds; nullopt: until a moderator lifts it.
    std::optional<qint64> duration() const;
    QLineEdit *reasonEdit() const { return m_reason; }
    QComboBox *durationBox() const { return m_duration; }
    QPushButton *submitButton() const;

    /// The durations offered, in seconds; the last entry (none) is "until lifted".
    static QList<std::optional<qint64>> durations();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    Kind m_kind;
    QString m_user;
    QString m_room;
    QLabel *m_text;
    QLabel *m_roomLabel;
    QComboBox *m_roomBox;
    QLabel *m_reasonLabel;
    QLineEdit *m_reason;
    QLabel *m_durationLabel;
    QComboBox *m_duration;
    QDialogButtonBox *m_buttons;
};

} // namespace Tertulia
