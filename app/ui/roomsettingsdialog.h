#pragma once

#include "app/session/moderation.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>

#include <functional>
#include <optional>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Tertulia {

class ChatClient;
class ChatRoom;

/// "Room settings…" (issue 13): a room's topic, display name, privacy and archiving, and its deletion. Only
/// what the user's role allows is enabled (the topic for moderators and the owner; the rest for the owner),
/// mirroring the server's rules (docs/protocol.md#room-settings); the server decides every request. Save sends
/// update_room with what changed; a refusal shows in the dialog, which stays open. Delete asks first, saying
/// what happens to the history, then sends delete_room.
///
/// Two ways to the server: a room of the chat (ChatClient, over the chat protocol, as the user's role there
/// allows), or any room from the admin console (its AdminClient, over the admin API, as a server administrator,
/// who need not be in the room).
class RoomSettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomSettingsDialog)

public:
    /// A room's settings as the dialog starts from (the admin console's room list says them).
    struct Settings
    {
        QString name;
        QString title;
        QString topic;
        bool isPrivate = false;
        bool archived = false;
    };
    /// How the admin console sends the changes; each calls `done` once, with nothing or the refusal in words.
    using Done = std::function<void(const std::optional<QString> &error)>;
    struct AdminActions
    {
        std::function<void(const Protocol::UpdateRoomParams &, Done)> update;
        std::function<void(const Protocol::DeleteRoomParams &, Done)> remove;
    };

    /// A room of the chat the user is in, over the chat protocol.
    RoomSettingsDialog(ChatClient &client, ChatRoom &room, QWidget *parent = nullptr);
    /// Any room, as a server administrator, through the admin console.
    RoomSettingsDialog(const Settings &room, AdminActions actions, QWidget *parent = nullptr);

    /// The settings that differ from the room's now (nullopt: nothing to send).
    std::optional<Protocol::UpdateRoomParams> changes() const;

    QLineEdit *titleEdit() const { return m_title; }
    QLineEdit *topicEdit() const { return m_topic; }
    QCheckBox *privateBox() const { return m_private; }
    QCheckBox *archivedBox() const { return m_archived; }
    QLineEdit *reasonEdit() const { return m_reason; }
    QPushButton *saveButton() const;
    QPushButton *deleteButton() const { return m_delete; }
    QLabel *errorLabel() const { return m_error; }
    /// The open "Delete #room?" question, if any; its buttons: deleteWithHistoryButton(), keepHistoryButton().
    QMessageBox *deleteQuestion() const { return m_deleteQuestion; }
    QPushButton *deleteWithHistoryButton() const { return m_deleteAll; }
    QPushButton *keepHistoryButton() const { return m_keepHistory; }

    /// Sends delete_room (what the question's buttons do).
    void deleteRoom(bool keepHistory);

protected:
    void changeEvent(QEvent *event) override;

private:
    RoomSettingsDialog(const Settings &room, QWidget *parent);
    void retranslate();
    void save();
    void askDelete();
    void showError(const QString &text);
    void setBusy(bool busy);
    /// Enables what the user's role in the room allows (again when it changes, or once the member list that
    /// says it arrives), unless a request is under way.
    void updateEnabled();
    /// The room's settings now (the chat's room as it is, or those the console gave); nullopt: the room is gone.
    std::optional<Settings> current() const;
    /// Who the user is in the room: their role there, above it as a server administrator.
    Standing standing() const;
    /// What a request answered: closes the dialog, or shows the refusal.
    void finished(const std::optional<QString> &error);

    ChatClient *m_client = nullptr;   ///< the chat's way; null for the admin console's
    QPointer<ChatRoom> m_room;
    AdminActions m_admin;             ///< the admin console's way
    Settings m_given;                 ///< the admin console's room as it was when the dialog opened
    QString m_name;
    QLabel *m_address;
    QLabel *m_titleLabel;
    QLineEdit *m_title;
    QLabel *m_topicLabel;
    QLineEdit *m_topic;
    QCheckBox *m_private;
    QCheckBox *m_archived;
    QLabel *m_reasonLabel;
    QLineEdit *m_reason;
    QLabel *m_roleNote;
    QLabel *m_error;
    QPushButton *m_delete;
    QDialogButtonBox *m_buttons;
    bool m_busy = false;
    QPointer<QMessageBox> m_deleteQuestion;
    QPointer<QPushButton> m_deleteAll;
    QPointer<QPushButton> m_keepHistory;
};

} // namespace Tertulia
