#pragma once

#include "shared/protocol/payloads.h"

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>

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
class RoomSettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomSettingsDialog)

public:
    RoomSettingsDialog(ChatClient &client, ChatRoom &room, QWidget *parent = nullptr);

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
    void retranslate();
    void save();
    void askDelete();
    void showError(const Protocol::Error &error);
    void setBusy(bool busy);
    /// Enables what the user's role in the room allows (again when it changes, or once the member list that
    /// says it arrives), unless a request is under way.
    void updateEnabled();

    ChatClient &m_client;
    QPointer<ChatRoom> m_room;
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
