#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

class QLabel;
class QPushButton;
class QTimer;

namespace Tertulia {

class ChatClient;
class ComposerEdit;

/// Writing a message to the current room: the editor, the Send button, and a line that says how
/// close the text is to the server's limit (ChatClient::maxTextBytes) before the server would refuse
/// it. Sending goes through ChatClient::checkMessage / sendMessage, so it works offline (the outbox
/// keeps it) and refuses exactly what the client would refuse. Also drives "is typing", and keeps
/// what was typed as the room's draft (ChatClient::setDraft): switching rooms swaps the text, so
/// nothing typed for one room can be sent into another.
class Composer final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Composer)

public:
    /// The limit line appears once the text uses this share of the limit.
    static constexpr double kShowLimitFrom = 0.8;

    explicit Composer(ChatClient &client, QWidget *parent = nullptr);

    void setRoom(const QString &room);
    QString room() const { return m_room; }

    ComposerEdit *editor() const { return m_edit; }
    QPushButton *sendButton() const { return m_send; }
    QLabel *limitLabel() const { return m_limit; }

    /// Sends the text if it can be sent; true when it went into the outbox.
    bool send();
    /// Keeps the text as the current room's draft now (typing saves it after a pause; closing the
    /// window should not wait for that).
    void saveDraft();

    /// Typing saves the draft after this pause.
    static constexpr int kDraftSaveDelayMs = 800;

Q_SIGNALS:
    void messageSent(const QString &room, const QString &clientMsgId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateState();

    ChatClient &m_client;
    QString m_room;
    ComposerEdit *m_edit;
    QPushButton *m_send;
    QLabel *m_limit;
    QTimer *m_draftTimer;
    /// Set while a draft is put into the editor: that is not the person typing.
    bool m_loadingDraft = false;
};

} // namespace Tertulia
