#include "app/ui/roomdialog.h"

#include "app/ui/appearance.h"
#include "app/ui/uitext.h"
#include "shared/names.h"

#include <QtCore/QEvent>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QPushButton>

namespace Tertulia {

RoomDialog::RoomDialog(Mode mode, QWidget *parent, const QString &room)
    : QDialog(parent), m_mode(mode), m_room(room), m_intro(new QLabel(this)), m_nameLabel(new QLabel(this)),
      m_name(new QLineEdit(this)), m_rules(new QLabel(this)), m_roomsLabel(new QLabel(this)),
      m_rooms(new QListWidget(this)), m_noRooms(new QLabel(this)), m_private(new QCheckBox(this)),
      m_error(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    auto *layout = new QFormLayout(this);
    // Long words (Spanish) wrap under the label rather than squeezing the field.
    layout->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_intro->setWordWrap(true);
    layout->addRow(m_intro);
    layout->addRow(m_nameLabel, m_name);
    m_rules->setWordWrap(true);
    QFont small = m_rules->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_rules->setFont(small);
    layout->addRow(m_rules);
    layout->addRow(m_roomsLabel);
    layout->addRow(m_rooms);
    m_noRooms->setWordWrap(true);
    layout->addRow(m_noRooms);
    const bool joining = mode == Mode::Join;
    m_roomsLabel->setVisible(joining);
    m_rooms->setVisible(joining);
    m_noRooms->setVisible(false);
    m_roomsLabel->setBuddy(m_rooms);
    m_rooms->setMaximumHeight(160);
    layout->addRow(m_private);
    m_private->setVisible(mode == Mode::Create);
    m_error->setWordWrap(true);
    m_error->setVisible(false);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addRow(m_error);
    layout->addRow(m_buttons);
    m_nameLabel->setBuddy(m_name);
    m_name->setMaxLength(mode == Mode::Invite ? Names::kMaxUserNameLength : Names::kMaxRoomNameLength);
    setMinimumWidth(380);
    setTabOrder(m_name, m_rooms);
    setTabOrder(m_rooms, m_private);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &RoomDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, [this] {
        validate();
        filterRooms();
    });
    connect(m_rooms, &QListWidget::currentTextChanged, this, [this](const QString &text) {
        if (!text.isEmpty() && m_rooms->hasFocus())
            m_name->setText(text);
    });
    connect(m_rooms, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        m_name->setText(item->text());
        submit();
    });
    m_name->setFocus();
    retranslate();
    validate();
}

QString RoomDialog::name() const { return m_name->text().trimmed(); }
bool RoomDialog::isPrivate() const { return m_mode == Mode::Create && m_private->isChecked(); }
QPushButton *RoomDialog::submitButton() const { return m_buttons->button(QDialogButtonBox::Ok); }

void RoomDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange)
        validate();
    QDialog::changeEvent(event);
}

void RoomDialog::retranslate()
{
    switch (m_mode) {
    case Mode::Create:
        setWindowTitle(tr("New room"));
        m_intro->setText(tr("Rooms are where people talk. Anyone on the server can find and join a public room."));
        m_nameLabel->setText(tr("Room &name:"));
        submitButton()->setText(tr("&Create"));
        break;
    case Mode::Join:
        setWindowTitle(tr("Join a room"));
        m_intro->setText(tr("Pick a room below or type its name: a public room, or a private room you were "
                            "invited to."));
        m_nameLabel->setText(tr("Room &name:"));
        submitButton()->setText(tr("&Join"));
        break;
    case Mode::Invite:
        setWindowTitle(tr("Invite to %1").arg(m_room));
        m_intro->setText(tr("Only people you invite can join the private room %1.").arg(m_room));
        m_nameLabel->setText(tr("&User name:"));
        submitButton()->setText(tr("&Invite"));
        break;
    }
    m_rules->setText(m_mode == Mode::Invite
                         ? tr("User names have %1 to %2 letters, digits, dots, dashes or underscores.")
                               .arg(Names::kMinUserNameLength)
                               .arg(Names::kMaxUserNameLength)
                         : tr("Up to %1 letters or digits, dots, dashes or underscores; no spaces.")
                               .arg(Names::kMaxRoomNameLength));
    m_roomsLabel->setText(tr("&Rooms you can join:"));
    m_rooms->setAccessibleName(tr("Rooms you can join"));
    m_noRooms->setText(tr("No other rooms yet: type the name of one you were told about, or create one."));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Cancel"));
    m_private->setText(tr("&Private: only people I invite can see and join it"));
    m_name->setAccessibleName(m_mode == Mode::Invite ? tr("User name") : tr("Room name"));
    m_name->setAccessibleDescription(m_rules->text());
    m_name->setPlaceholderText(m_mode == Mode::Invite ? tr("e.g. maria") : tr("e.g. general"));
    validate();
}

void RoomDialog::setRoomChoices(const QStringList &rooms)
{
    m_rooms->clear();
    m_rooms->addItems(rooms);
    m_noRooms->setVisible(m_mode == Mode::Join && rooms.isEmpty());
    m_rooms->setVisible(m_mode == Mode::Join && !rooms.isEmpty());
    m_roomsLabel->setVisible(m_mode == Mode::Join && !rooms.isEmpty());
    filterRooms();
    fitContents();
}

QString RoomDialog::problem() const
{
    const QString value = name();
    if (value.isEmpty())
        return {};
    if (m_mode == Mode::Invite) {
        return Names::isValidUserName(value)
                   ? QString()
                   : tr("That is not a user name: user names are letters, digits, dots, dashes or underscores.");
    }
    return Names::isValidRoomName(value) ? QString() : UiText::roomError({Protocol::ErrorCode::InvalidName, {}});
}

void RoomDialog::validate()
{
    const QString why = problem();
    submitButton()->setEnabled(!m_busy && !name().isEmpty() && why.isEmpty());
    // The rules in a muted tone while all is well; the problem, in the error's place, as soon as there is one.
    QPalette rulesPalette = palette();
    rulesPalette.setColor(QPalette::WindowText, Appearance::muted(palette()));
    m_rules->setPalette(rulesPalette);
    QPalette errorPalette = palette();
    errorPalette.setColor(QPalette::WindowText, Appearance::isDark(palette()) ? QColor(0xff, 0x8a, 0x80)
                                                                              : QColor(0xb7, 0x1c, 0x1c));
    m_error->setPalette(errorPalette);
    // The rules stay in view until the name breaks one; then the sentence that says which replaces them.
    m_rules->setVisible(why.isEmpty());
    if (!why.isEmpty()) {
        m_error->setText(why);
        m_error->setAccessibleName(why);
        m_error->setVisible(true);
    } else if (!m_busy) {
        m_error->setVisible(false);
    }
    fitContents();
}

void RoomDialog::filterRooms()
{
    const QString typed = name();
    for (int row = 0; row < m_rooms->count(); ++row) {
        QListWidgetItem *item = m_rooms->item(row);
        item->setHidden(!typed.isEmpty() && !item->text().contains(typed, Qt::CaseInsensitive));
    }
}

void RoomDialog::fitContents()
{
    if (!layout())
        return;
    layout()->activate();
    const int needed = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                     : layout()->totalSizeHint().height();
    if (needed > height())
        resize(width(), needed);
}

void RoomDialog::submit()
{
    if (m_busy)
        return;
    if (name().isEmpty())
        return;
    if (const QString why = problem(); !why.isEmpty()) {
        showError(why);
        return;
    }
    m_error->setVisible(false);
    m_busy = true;
    m_buttons->setEnabled(false);
    Q_EMIT submitted(name(), isPrivate());
}

void RoomDialog::showError(const QString &message)
{
    m_busy = false;
    m_buttons->setEnabled(true);
    m_error->setText(message);
    m_error->setVisible(true);
    m_error->setAccessibleName(message);
    validate();
    m_error->setText(message); // validate() may have put the typing rule there; the answer wins
    m_error->setVisible(true);
    fitContents();
    m_name->setFocus();
    m_name->selectAll();
}

void RoomDialog::finish()
{
    m_busy = false;
    m_buttons->setEnabled(true);
    accept();
}

} // namespace Tertulia
