#pragma once

#include <QtWidgets/QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Tertulia {

/// Asks for a room to create (name, private) or join (name), or a user to invite to a room. The
/// dialog does not talk to the server: it emits submitted() and stays open, showing busy and then
/// either closing (finish()) or the server's answer in plain words (showError()).
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

    Mode m_mode;
    QString m_room;
    QLabel *m_intro;
    QLabel *m_nameLabel;
    QLineEdit *m_name;
    QCheckBox *m_private;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
};

} // namespace Tertulia
