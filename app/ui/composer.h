#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

class QCompleter;
class QHBoxLayout;
class QLabel;
class QMimeData;
class QStringListModel;
class QPushButton;
class QTimer;
class QToolButton;

namespace Tertulia {

class ChatClient;
class ChatFiles;
class ComposerEdit;
class UploadBar;
class EmojiPicker;

/// Writing a message to the current room: the editor, the Send button, and a line that says how
/// close the text is to the server's limit (ChatClient::maxTextBytes) before the server would refuse
/// it. Sending goes through ChatClient::checkMessage / sendMessage, so it works offline (the outbox
/// keeps it) and refuses exactly what the client would refuse. Also drives "is typing", and keeps
/// what was typed as the room's draft (ChatClient::setDraft): switching rooms swaps the text, so
/// nothing typed for one room can be sent into another. It also edits our own messages in place of
/// writing a new one (startEditing; Up in an empty box edits the last one, Escape cancels): the text
/// being written waits and comes back when the edit is saved or cancelled. Typing `@` and the start of
/// a name opens a list of the room's members that match (Mentions::partialAt, Mentions::complete);
/// Tab or Enter takes the chosen name, Escape closes the list. A reply (startReply) shows a quote bar above the
/// box with the original's sender and first line; the next message sent replies to it; the bar's ✕ or Escape
/// cancels it (it belongs to its room: switching rooms cancels it too). The emoji button (or Ctrl+E, or
/// Ctrl+;) opens an EmojiPicker; the chosen emoji goes in at the cursor.
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
    /// Completes `@name` from the room's members while a mention is being typed.
    QCompleter *mentionCompleter() const { return m_completer; }

    /// Sends the text if it can be sent; true when it went into the outbox (or, while editing, when the
    /// edit was sent to the server).
    bool send();

    /// Edits our message `seq` of the current room: the box holds its text until saved or cancelled.
    void startEditing(qint64 seq, const QString &text);
    void cancelEditing();
    /// The seq being edited; 0 when writing a new message.
    qint64 editingSeq() const { return m_editingSeq; }
    QLabel *editingLabel() const { return m_editing; }

    /// The next message replies to `seq` of the current room (from `sender`, beginning with `text`).
    void startReply(qint64 seq, const QString &sender, const QString &text);
    void cancelReply();
    /// The seq being replied to; 0 when not replying.
    qint64 replyingTo() const { return m_replyTo; }
    /// The quote bar shown while replying, its text and its cancel button.
    QWidget *replyBar() const { return m_replyBar; }
    QLabel *replyLabel() const { return m_replyLabel; }
    QToolButton *replyCancelButton() const { return m_replyCancel; }
    /// The button that opens the emoji picker, and the picker.
    QToolButton *emojiButton() const { return m_emojiButton; }
    EmojiPicker *emojiPicker() const { return m_emojiPicker; }
    /// Opens the emoji picker above the box; the chosen emoji is inserted at the cursor.
    void openEmojiPicker();
    /// Keeps the text as the current room's draft now (typing saves it after a pause; closing the
    /// window should not wait for that).
    void saveDraft();

    /// Typing saves the draft after this pause.
    static constexpr int kDraftSaveDelayMs = 800;

    // ---- files (issue 12) ----
    /// Sends files through `files`: adds the attach button (and Ctrl+Shift+U) and the upload bar.
    void setFiles(ChatFiles *files);
    QToolButton *attachButton() const { return m_attachButton; }
    UploadBar *uploadBar() const { return m_uploadBar; }
    /// Sends what was pasted or dropped: an image (as PNG) or local files, with the text in the box as the
    /// caption of the first. False when it carries neither, or there is no room to send to.
    bool attachMimeData(const QMimeData *source);
    /// Sends local files into the current room, the text in the box as the first one's caption; false when none
    /// could be read (the reason goes to changeFailed).
    bool attachFiles(const QStringList &paths);
    /// The attach button: chooses files to send.
    void chooseFiles();

Q_SIGNALS:
    void messageSent(const QString &room, const QString &clientMsgId);
    /// The server refused an edit; the text says why, for the person.
    void changeFailed(const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateState();
    /// Opens, narrows or closes the `@name` list for the text before the cursor.
    void updateCompletion();
    /// Puts the chosen name in place of the partial one being typed.
    void insertMention(const QString &name);

    ChatClient &m_client;
    QString m_room;
    ComposerEdit *m_edit;
    QPushButton *m_send;
    QLabel *m_limit;
    QLabel *m_editing;
    qint64 m_editingSeq = 0;
    QWidget *m_replyBar;
    QLabel *m_replyLabel;
    QToolButton *m_replyCancel;
    QToolButton *m_emojiButton;
    EmojiPicker *m_emojiPicker;
    qint64 m_replyTo = 0;
    QString m_replySender;
    QString m_replyExcerpt;
    QString m_textBeforeEditing; ///< what was being written when the edit began
    QTimer *m_draftTimer;
    QStringListModel *m_candidates;
    QCompleter *m_completer;
    /// Set while a draft is put into the editor: that is not the person typing.
    bool m_loadingDraft = false;
    QHBoxLayout *m_row = nullptr;
    // files (issue 12)
    /// The text in the box, taken (and cleared) as the caption of a file being sent.
    QString takeCaption();
    QPointer<ChatFiles> m_files;
    QToolButton *m_attachButton = nullptr;
    UploadBar *m_uploadBar = nullptr;
};

} // namespace Tertulia
