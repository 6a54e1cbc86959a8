#include "app/ui/roomdialog.h"

#include "app/ui/uitext.h"
#include "shared/names.h"

#include <QtCore/QEvent>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

namespace Tertulia {

RoomDialog::RoomDialog(Mode mode, QWidget *parent, const QString &room)
    : QDialog(parent), m_mode(mode), m_room(room), m_intro(new QLabel(this)), m_nameLabel(new QLabel(this)),
      m_name(new QLineEdit(this)), m_private(new QCheckBox(this)), m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    auto *layout = new QFormLayout(this);
    m_intro->setWordWrap(true);
    layout->addRow(m_intro);
    layout->addRow(m_nameLabel, m_name);
    layout->addRow(m_private);
    m_private->setVisible(mode == Mode::Create);
    m_error->setWordWrap(true);
    m_error->setVisible(false);
    layout->addRow(m_error);
    layout->addRow(m_buttons);
    m_nameLabel->setBuddy(m_name);
    m_name->setMaxLength(mode == Mode::Invite ? Names::kMaxUserNameLength : Names::kMaxRoomNameLength);
    setMinimumWidth(360);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &RoomDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, [this] {
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_name->text().trimmed().isEmpty());
    });
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    m_name->setFocus();
    retranslate();
}

QString RoomDialog::name() const { return m_name->text().trimmed(); }
bool RoomDialog::isPrivate() const { return m_mode == Mode::Create && m_private->isChecked(); }

void RoomDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void RoomDialog::retranslate()
{
    switch (m_mode) {
    case Mode::Create:
        setWindowTitle(tr("New room"));
        m_intro->setText(tr("Rooms are where people talk. Anyone on the server can find and join a public room."));
        m_nameLabel->setText(tr("Room &name:"));
        m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Create"));
        break;
    case Mode::Join:
        setWindowTitle(tr("Join a room"));
        m_intro->setText(tr("Type the name of a public room, or of a private room you were invited to."));
        m_nameLabel->setText(tr("Room &name:"));
        m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Join"));
        break;
    case Mode::Invite:
        setWindowTitle(tr("Invite to %1").arg(m_room));
        m_intro->setText(tr("Only people you invite can join the private room %1.").arg(m_room));
        m_nameLabel->setText(tr("&User name:"));
        m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Invite"));
        break;
    }
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    m_private->setText(tr("&Private: only people I invite can see and join it"));
    m_name->setAccessibleName(m_mode == Mode::Invite ? tr("User name") : tr("Room name"));
    m_name->setPlaceholderText(m_mode == Mode::Invite ? tr("e.g. maria") : tr("e.g. general"));
}

void RoomDialog::submit()
{
    const QString value = name();
    const bool valid = m_mode == Mode::Invite ? Names::isValidUserName(value) : Names::isValidRoomName(value);
    if (!valid) {
        showError(m_mode == Mode::Invite
                      ? tr("That is not a user name: user names are letters, digits, dots, dashes or underscores.")
                      : UiText::roomError({Protocol::ErrorCode::InvalidName, {}}));
        return;
    }
    m_error->setVisible(false);
    m_buttons->setEnabled(false);
    Q_EMIT submitted(value, isPrivate());
}

void RoomDialog::showError(const QString &message)
{
    m_buttons->setEnabled(true);
    m_error->setText(message);
    m_error->setVisible(true);
    m_error->setAccessibleName(message);
    m_name->setFocus();
    m_name->selectAll();
}

void RoomDialog::finish()
{
    m_buttons->setEnabled(true);
    accept();
}

} // namespace Tertulia
