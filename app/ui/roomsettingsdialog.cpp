#include "app/ui/roomsettingsdialog.h"

#include "app/session/chatclient.h"
#include "app/session/chatroom.h"
#include "app/session/moderation.h"
#include "app/ui/appearance.h"
#include "app/ui/uitext.h"

#include <QtCore/QEvent>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Tertulia {

RoomSettingsDialog::RoomSettingsDialog(ChatClient &client, ChatRoom &room, QWidget *parent)
    : RoomSettingsDialog(Settings{room.name(), room.title(), room.topic(), room.isPrivate(), room.isArchived()}, parent)
{
    m_client = &client;
    m_room = &room;
    // Our role comes with the member list: a room other than the open one may not have it yet.
    connect(&room, &ChatRoom::ownRoleChanged, this, [this] {
        updateEnabled();
        retranslate();
    });
    client.loadMembers(room.name());
    // A server administrator outranks the owner: promoted or demoted while the dialog is open, it follows.
    connect(&client, &ChatClient::serverAdminChanged, this, [this] {
        updateEnabled();
        retranslate();
    });
    // The room went (deleted by someone else, or we left it): nothing left to set.
    connect(&room, &QObject::destroyed, this, &QDialog::reject);
    updateEnabled();
    retranslate();
}

RoomSettingsDialog::RoomSettingsDialog(const Settings &room, AdminActions actions, QWidget *parent)
    : RoomSettingsDialog(room, parent)
{
    m_admin = std::move(actions);
    m_given = room;
    updateEnabled();
    retranslate();
}

RoomSettingsDialog::RoomSettingsDialog(const Settings &room, QWidget *parent)
    : QDialog(parent), m_name(room.name), m_address(new QLabel),
      m_titleLabel(new QLabel), m_title(new QLineEdit), m_topicLabel(new QLabel), m_topic(new QLineEdit),
      m_private(new QCheckBox), m_archived(new QCheckBox), m_reasonLabel(new QLabel), m_reason(new QLineEdit),
      m_roleNote(new QLabel), m_error(new QLabel), m_delete(new QPushButton),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel))
{
    m_title->setText(room.title);
    m_title->setPlaceholderText(room.name);
    m_title->setMaxLength(int(Protocol::kMaxTitleLength));
    m_topic->setText(room.topic);
    m_topic->setMaxLength(int(Protocol::kMaxTopicLength));
    m_topic->setClearButtonEnabled(true);
    m_private->setChecked(room.isPrivate);
    m_archived->setChecked(room.archived);
    m_reason->setMaxLength(int(Protocol::kMaxReasonLength));
    m_titleLabel->setBuddy(m_title);
    m_topicLabel->setBuddy(m_topic);
    m_reasonLabel->setBuddy(m_reason);
    for (QLabel *label : {m_address, m_roleNote, m_error})
        label->setWordWrap(true);
    m_error->setVisible(false);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *form = new QFormLayout;
    form->addRow(m_titleLabel, m_title);
    form->addRow(m_topicLabel, m_topic);
    form->addRow(QString(), m_private);
    form->addRow(QString(), m_archived);
    form->addRow(m_reasonLabel, m_reason);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_address);
    layout->addLayout(form);
    layout->addWidget(m_roleNote);
    layout->addWidget(m_error);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_delete);
    bottom->addStretch(1);
    bottom->addWidget(m_buttons);
    layout->addLayout(bottom);
    m_delete->setAutoDefault(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &RoomSettingsDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_delete, &QPushButton::clicked, this, &RoomSettingsDialog::askDelete);
    setMinimumWidth(480);
}

std::optional<RoomSettingsDialog::Settings> RoomSettingsDialog::current() const
{
    if (!m_client)
        return m_given;
    if (!m_room)
        return std::nullopt;
    return Settings{m_room->name(), m_room->title(), m_room->topic(), m_room->isPrivate(), m_room->isArchived()};
}

Standing RoomSettingsDialog::standing() const
{
    // The admin console's way is an administrator's (the API refuses anyone else).
    if (!m_client)
        return Standing::Administrator;
    return standingOf(m_room ? m_room->ownRole() : Protocol::Role::Member, m_client->isServerAdmin());
}

void RoomSettingsDialog::updateEnabled()
{
    // The server's rules (docs/protocol.md#room-settings), so nobody is offered what would only be refused: a
    // server administrator outranks the owner.
    const Standing standing = this->standing();
    const bool owner = standing >= Standing::Owner;
    const bool moderates = standing != Standing::Member;
    m_topic->setEnabled(moderates);
    m_reason->setEnabled(moderates);
    for (QWidget *widget : std::initializer_list<QWidget *>{m_title, m_private, m_archived})
        widget->setEnabled(owner);
    m_delete->setEnabled(owner && !m_busy);
    saveButton()->setEnabled(moderates && !m_busy);
    m_buttons->button(QDialogButtonBox::Cancel)->setEnabled(!m_busy);
}

QPushButton *RoomSettingsDialog::saveButton() const { return m_buttons->button(QDialogButtonBox::Save); }

std::optional<Protocol::UpdateRoomParams> RoomSettingsDialog::changes() const
{
    const std::optional<Settings> now = current();
    if (!now)
        return std::nullopt;
    Protocol::UpdateRoomParams params;
    params.room = m_name;
    if (const QString title = m_title->text().trimmed(); title != now->title)
        params.title = title;
    if (const QString topic = m_topic->text().trimmed(); topic != now->topic)
        params.topic = topic;
    if (m_private->isChecked() != now->isPrivate)
        params.isPrivate = m_private->isChecked();
    if (m_archived->isChecked() != now->archived)
        params.archived = m_archived->isChecked();
    if (!params.title && !params.topic && !params.isPrivate && !params.archived)
        return std::nullopt;
    params.reason = m_reason->text().trimmed();
    return params;
}

void RoomSettingsDialog::save()
{
    const auto params = changes();
    if (!params) {
        accept();
        return;
    }
    setBusy(true);
    if (!m_client) {
        m_admin.update(*params, [dialog = QPointer<RoomSettingsDialog>(this)](const std::optional<QString> &error) {
            if (dialog)
                dialog->finished(error);
        });
        return;
    }
    m_client->updateRoom(*params, this, [this](const std::optional<Protocol::Error> &error) {
        finished(error ? std::optional(UiText::moderationError(*error)) : std::nullopt);
    });
}

void RoomSettingsDialog::finished(const std::optional<QString> &error)
{
    setBusy(false);
    if (error)
        showError(*error);
    else
        accept();
}

void RoomSettingsDialog::askDelete()
{
    auto *question = new QMessageBox(QMessageBox::Warning, tr("Delete #%1?").arg(m_name),
                                     tr("Delete #%1 for everyone?").arg(m_name), QMessageBox::NoButton, this);
    question->setInformativeText(
        tr("Its members leave it at once and it disappears from every room list. Its name stays taken, so "
           "links to it never lead to another room.\n\n"
           "Delete its messages too, or keep them in the server's database, where only the server's "
           "administrators can reach them (no one can read them in the app)."));
    m_deleteAll = question->addButton(tr("Delete the room and its &messages"), QMessageBox::DestructiveRole);
    m_keepHistory = question->addButton(tr("Delete the room, &keep its messages"), QMessageBox::AcceptRole);
    QPushButton *cancel = question->addButton(QMessageBox::Cancel);
    question->setDefaultButton(cancel); // nothing here can be undone
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this, [this](QAbstractButton *button) {
        if (button == m_deleteAll || button == m_keepHistory)
            deleteRoom(button == m_keepHistory);
    });
    m_deleteQuestion = question;
    question->open();
}

void RoomSettingsDialog::deleteRoom(bool keepHistory)
{
    setBusy(true);
    const Protocol::DeleteRoomParams params{m_name, keepHistory, m_reason->text().trimmed()};
    if (!m_client) {
        m_admin.remove(params, [dialog = QPointer<RoomSettingsDialog>(this)](const std::optional<QString> &error) {
            if (dialog)
                dialog->finished(error);
        });
        return;
    }
    m_client->deleteRoom(params, this, [this](const std::optional<Protocol::Error> &error) {
        finished(error ? std::optional(UiText::moderationError(*error)) : std::nullopt);
    });
}

void RoomSettingsDialog::showError(const QString &text)
{
    // In the error colour the other dialogs use (RoomDialog), readable on light and dark palettes.
    QPalette errorPalette = palette();
    errorPalette.setColor(QPalette::WindowText, Appearance::isDark(palette()) ? QColor(0xff, 0x8a, 0x80)
                                                                              : QColor(0xb7, 0x1c, 0x1c));
    m_error->setPalette(errorPalette);
    m_error->setText(text);
    m_error->setAccessibleName(text);
    m_error->setVisible(true);
}

void RoomSettingsDialog::setBusy(bool busy)
{
    m_busy = busy;
    updateEnabled();
}

void RoomSettingsDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QDialog::changeEvent(event);
}

void RoomSettingsDialog::retranslate()
{
    setWindowTitle(tr("Settings of #%1").arg(m_name));
    m_address->setText(tr("The room's address stays #%1 whatever its name: links, drafts and unread markers keep "
                          "working.")
                           .arg(m_name));
    m_titleLabel->setText(tr("&Name:"));
    m_topicLabel->setText(tr("&Topic:"));
    m_topic->setPlaceholderText(tr("What the room is about (up to %1 characters)").arg(Protocol::kMaxTopicLength));
    m_private->setText(tr("&Private: only invited people can see and join it"));
    m_archived->setText(tr("&Archived: read-only, nobody can write in it"));
    m_reasonLabel->setText(tr("&Reason (for the audit log):"));
    m_delete->setText(tr("&Delete room…"));
    saveButton()->setText(tr("&Save"));
    const Standing standing = this->standing();
    m_roleNote->setText(standing == Standing::Owner ? QString()
                        : standing == Standing::Administrator
                            ? tr("As a server administrator you can change every setting of this room.")
                        : standing == Standing::Moderator
                            ? tr("As a moderator you can change the topic; the rest is for the room's owner.")
                            : tr("Only the room's owner and moderators can change its settings."));
    m_roleNote->setVisible(standing != Standing::Owner);
}

} // namespace Tertulia
