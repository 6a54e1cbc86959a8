#pragma once

#include "app/session/chatroom.h"
#include "app/ui/moderationdialog.h"
#include "app/ui/roomdialog.h"
#include "app/ui/sanctionsdialog.h"
#include "app/ui/roomsettingsdialog.h"
#include "shared/protocol/messagetype.h"

#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtWidgets/QInputDialog>
#include <QtCore/QSet>
#include <QtWidgets/QMenu>
#include <QtWidgets/QWidget>

class QAction;
class QDragEnterEvent;
class QDropEvent;
class QMimeData;

class QLabel;
class QListView;
class QMessageBox;
class QTimer;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QToolButton;

namespace Tertulia {

class ChatClient;
class ChatFiles;
class Composer;
class AvatarPictures;
class FileThumbnails;
class FileTransfer;
class FileViewer;
class ConnectionBanner;
class MessageView;
class Preferences;
class PresentationModel;

/// The signed-in screen: the connection banner, the room list (unread badges, private rooms
/// marked, create and join), the current room's timeline and composer, who is typing, and the
/// members with their presence. Everything binds to the ChatClient's models and signals.
class ChatPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatPage)

public:
    ChatPage(ChatClient &client, Preferences &preferences, QWidget *parent = nullptr);
    ~ChatPage() override;

    ConnectionBanner *banner() const { return m_banner; }
    QListView *roomList() const { return m_rooms; }
    MessageView *messageView() const { return m_messages; }
    QListView *memberList() const { return m_members; }
    Composer *composer() const { return m_composer; }
    QLabel *typingLabel() const { return m_typing; }
    QLabel *keychainNotice() const { return m_keychainText; }
    QPushButton *joinButton() const { return m_join; }
    /// The text of the central "not in this room" page.
    QLabel *notJoinedLabel() const { return m_notJoinedText; }
    /// A short-lived line under the room header: what just happened (an invitation sent or received).
    QLabel *noticeLabel() const { return m_notice; }
    /// The open "Leave this room?" question, if any.
    QMessageBox *leaveQuestion() const { return m_leaveQuestion; }
    /// The open "Delete this message?" question, if any.
    QMessageBox *deleteQuestion() const { return m_deleteQuestion; }
    /// Mutes or unmutes the open room (checked: muted). In the room header and the Room menu.
    QAction *muteAction() const { return m_muteAction; }
    /// Scrolls the timeline to the "New messages" line (the first message unread when the room was opened);
    /// false when there is none.
    bool jumpToFirstUnread();
    QToolButton *muteButton() const { return m_mute; }
    /// The room list's context menu while open (right click, Shift+F10 or the Menu key on a room).
    QMenu *roomContextMenu() const { return m_roomMenu; }
    /// The member list's context menu while open (right click, Shift+F10 or the Menu key on a member).
    QMenu *memberContextMenu() const { return m_memberMenu; }
    /// The open Ban… or Mute… dialog, if any.
    ModerationDialog *moderationDialog() const { return m_moderationDialog; }
    /// The open "Unban someone" question (the room list's menu, for owners and moderators), if any.
    /// The open "New direct message" question (a user name), if any.
    QInputDialog *directDialog() const { return m_directDialog; }
    SanctionsDialog *sanctionsDialog() const { return m_sanctionsDialog; }
    /// The open "Make … the owner?" question, if any.
    QMessageBox *transferQuestion() const { return m_transferQuestion; }
    /// Why the composer is off while a moderator muted us in the open room, or while it is archived (hidden
    /// otherwise).
    QLabel *mutedLabel() const { return m_mutedText; }
    /// The open room's topic under its name (hidden when it has none).
    QLabel *topicLabel() const { return m_topic; }
    /// "Room settings…" of the open room (the Room menu); the room list's menu has it for any room.
    QAction *settingsAction() const { return m_settingsAction; }
    /// Opens the settings of the room `name` (empty: the open room).
    void openRoomSettings(const QString &name = {});
    /// The open Room settings dialog, if any.
    RoomSettingsDialog *roomSettingsDialog() const { return m_settingsDialog; }
    /// Opens the member list's context menu for the member at `index` of memberList()'s model.
    void showMemberMenu(const QModelIndex &index, const QPoint &globalPos);
    /// The room's bans and mutes (list_sanctions), to lift one (the room list's Bans and mutes…).
    void showSanctions(const QString &room);
    /// How long a notice stays.
    static constexpr int kNoticeMs = 12000;

    void showNotice(const QString &text);

    /// "No keychain": the sign-in lasts until the app quits.
    void showKeychainNotice(const QString &message);
    void hideKeychainNotice();

    void createRoom();
    void joinRoom(const QString &name = {});
    /// A link's room: shown when joined; joined first when the server lets this account in (a public
    /// room, or a private one it was invited to); otherwise the notice says why it cannot be opened and
    /// the current room stays.
    void openRoom(const QString &name);
    /// Asks first, then leaves the open room.
    void leaveRoom();
    /// Opens (the first time: starts) the direct conversation with `user` and shows it (issue 12).
    void messageUser(const QString &user);
    /// Asks for a user name (known people offered), then messageUser().
    void newDirectMessage();
    /// Asks first, then deletes our message `seq` of the open room.
    void deleteMessage(qint64 seq);
    /// Shows the open room's message `seq` (a reply's original): loads older pages until it is there (at most
    /// kMaxOriginalPages), or says in the notice that it cannot be shown.
    void showOriginal(qint64 seq);
    /// Shows the open room's message `seq` (a search result), as showOriginal() does, with a fresh count of
    /// pages to load for it.
    void showMessage(qint64 seq);
    /// Pages of older history loaded at most to find a reply's original.
    static constexpr int kMaxOriginalPages = 20;
    void inviteToRoom();
    /// Moves the room selection up or down the list (wrapping).
    void selectRelativeRoom(int delta);
    void focusComposer();
    /// The dialog currently open (create, join, invite), for tests.
    RoomDialog *openDialog() const { return m_dialog; }

    // ---- files (issue 12) ----
    ChatFiles *files() const { return m_files; }
    FileThumbnails *thumbnails() const { return m_thumbnails; }
    AvatarPictures *avatarPictures() const { return m_pictures; }
    /// Files dropped on the page (or pasted): sent into the open room (Composer::attachMimeData).
    bool dropFiles(const QMimeData *source);
    /// A file of the timeline was clicked: an image opens in a FileViewer, any other file asks where to save it.
    void openFile(const QVariantMap &file);
    /// Downloads the file to path (Save as…); a failure is shown in its row.
    FileTransfer *saveFileTo(const QVariantMap &file, const QString &path);
    /// The open image viewer, if any.
    FileViewer *fileViewer() const;

Q_SIGNALS:
    void signInAgainRequested();
    /// The banner's "Review the certificate…".
    void certificateReviewRequested();
    /// The banner's "Use another server…".
    void otherServerRequested();

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void retranslate();
    void tintNotice();
    void onCurrentRoomChanged(ChatRoom *room);
    void onRoomSelected(const QModelIndex &index);
    void updateHeader();
    void updateTyping();
    void chooseRoomAfterSync();
    QString accountKey() const;
    void showDialog(RoomDialog *dialog);
    /// Opens the context menu of the room at index (mute, mark as read).
    void showRoomMenu(const QModelIndex &index, const QPoint &globalPos);
    /// Sends a moderation request for the open room; a refusal shows in the notice.
    void moderate(Protocol::RequestType type, const QString &user, std::optional<Protocol::Role> role = {},
                  std::optional<qint64> duration = {}, const QString &reason = {}, const QString &room = {});
    void loadSanctions();
    void askModeration(bool ban, const QString &user);
    void askTransfer(const QString &user);
    /// What a moderator did to us (removed, banned, muted, ...): said in the notice and the room's page.
    void onModerated(const QString &room, const Protocol::ModerationEvent &event);
    void updateMuted();

    ChatClient &m_client;
    Preferences &m_preferences;
    QPointer<ChatRoom> m_room;
    QPointer<RoomDialog> m_dialog;
    QPointer<QMessageBox> m_leaveQuestion;
    QPointer<QMessageBox> m_deleteQuestion;
    QPointer<QMenu> m_roomMenu;
    QPointer<QMenu> m_memberMenu;
    QPointer<ModerationDialog> m_moderationDialog;
    QPointer<QMessageBox> m_transferQuestion;
    QPointer<QInputDialog> m_directDialog;
    QPointer<SanctionsDialog> m_sanctionsDialog;
    QPointer<RoomSettingsDialog> m_settingsDialog;
    /// Rooms (canonical) a moderator removed us from in this session, with what their page says.
    QHash<QString, QString> m_removedRooms;
    /// Rooms (canonical) left in this session: their page says so rather than "not in it yet".
    QSet<QString> m_leftRooms;
    /// The reply's original being looked for in older pages (0: none), and how many pages were loaded for it.
    qint64 m_wantedOriginal = 0;
    int m_originalPages = 0;

    ConnectionBanner *m_banner;
    QWidget *m_keychainBar;
    QLabel *m_keychainText;
    QToolButton *m_keychainClose;
    QSplitter *m_splitter;

    QLabel *m_roomsTitle;
    QListView *m_rooms;
    PresentationModel *m_roomsModel;
    QPushButton *m_newRoom;
    QPushButton *m_joinRoom;

    QLabel *m_roomName;
    QLabel *m_roomLock;
    QLabel *m_roomInfo;
    QPushButton *m_invite;
    QToolButton *m_mute;
    QAction *m_muteAction;
    QAction *m_settingsAction;
    QLabel *m_topic;
    QLabel *m_notice;
    QTimer *m_noticeTimer;
    QStackedWidget *m_centre;
    QLabel *m_olderStatus;
    MessageView *m_messages;
    QLabel *m_typing;
    QLabel *m_mutedText;
    Composer *m_composer;
    // files (issue 12)
    ChatFiles *m_files = nullptr;
    FileThumbnails *m_thumbnails = nullptr;
    AvatarPictures *m_pictures = nullptr;
    QPointer<FileViewer> m_fileViewer;
    QLabel *m_notJoinedText;
    QPushButton *m_join;
    QLabel *m_welcomeText;
    QPushButton *m_welcomeCreate;
    QPushButton *m_welcomeJoin;

    QLabel *m_membersTitle;
    QListView *m_members;
    PresentationModel *m_membersModel;
    PresentationModel *m_messagesModel;
};

} // namespace Tertulia
