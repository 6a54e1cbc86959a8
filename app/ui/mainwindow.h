#pragma once

#include "app/net/certificatecheck.h"
#include "app/net/serveraddress.h"
#include "app/net/serverlink.h"
#include "app/ui/certificatedialog.h"
#include "app/ui/accountdialog.h"
#include "app/ui/preferencesdialog.h"
#include "app/ui/profile.h"
#include "app/ui/quickswitcher.h"
#include "app/ui/searchdialog.h"
#include "app/ui/sharecard.h"

#include <QtCore/QPointer>
#include <QtWidgets/QMainWindow>
#include <QtWidgets/QMessageBox>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QStackedWidget;
class QSystemTrayIcon;
class QToolButton;

namespace Tertulia {

class AdminClient;
class AdminConsole;
class Appearance;
class ChatClient;
class ChatRoom;
class ChatPage;
class ConnectionIndicator;
class CredentialStore;
class DiscoveredHostsModel;
class HealthPanel;
class HostController;
class LanBrowser;
class LanguageManager;
class Notifier;
class Preferences;

class ServerList;
class SignInPage;
struct LaunchOptions;

/// The app's one window. It owns the account (ChatClient), the remembered servers, hosting and LAN
/// discovery for this profile, and switches between the sign-in screen and the chat. Menus and
/// shortcuts reach every action; the status bar always shows the connection (and hosting).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    /// credentials: the OS keychain in the app, a memory store in tests.
    MainWindow(const Profile &profile, CredentialStore &credentials, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// What to do first: host (--host), go to a server (--connect or a tertulia:// link: signs in
    /// silently when that server's sign-in was remembered, otherwise opens the sign-in screen for it, and
    /// opens the link's room once signed in), or sign in silently to the last server when its sign-in was
    /// remembered.
    void start(const LaunchOptions &options);
    /// A later launch of this profile handed its arguments over (program name first), or macOS handed
    /// over a link: brings the window forward; on the sign-in screen does what start() does; signed in to
    /// the link's server opens its room; signed in elsewhere says so and keeps the session.
    void handleSecondLaunch(const QStringList &arguments);

    void startHosting(quint16 port, bool webPage);
    /// Asks first when other people are connected; then signs the host out and stops the server.
    void requestStopHosting();
    void showShareCard();
    void showPreferences();
    /// Ctrl+K: go to a room by typing part of its name.
    void showQuickSwitcher();
    /// Ctrl+Shift+F: search messages in the open room or in every room; a result opens its room at it.
    void showSearch();
    /// The signed-in account's own settings: devices, password, deletion.
    void showAccount();
    /// Chat → Server administration…: the admin console of the server signed in to.
    void showAdminConsole();
    void signOut();
    /// Quits: closes the window even when closing would keep Tertulia in the tray; asks first when
    /// messages have not been sent yet.
    void quit();

    const Profile &profile() const { return m_profile; }
    ChatClient *client() const { return m_client; }
    Preferences *preferences() const { return m_preferences; }
    LanguageManager *languageManager() const { return m_language; }
    HostController *hostController() const { return m_host; }
    Notifier *notifier() const { return m_notifier; }
    ServerList *serverList() const { return m_servers; }
    SignInPage *signInPage() const { return m_signIn; }
    ChatPage *chatPage() const { return m_chat; }
    HealthPanel *healthPanel() const { return m_health; }
    ShareCard *shareCard() const { return m_shareCard; }
    ConnectionIndicator *connectionIndicator() const { return m_indicator; }
    QMessageBox *stopHostingQuestion() const { return m_stopQuestion; }
    /// The open certificate question (first use or a change), if any.
    CertificateDialog *certificateDialog() const { return m_certificateDialog; }
    /// Shows what the connection stopped at; accepting pins the certificate and then runs onTrusted.
    void reviewCertificate(const CertificateCheck &check, std::function<void()> onTrusted = {});
    PreferencesDialog *preferencesDialog() const { return m_preferencesDialog; }
    /// The open "Quit with unsent messages?" question, if any.
    QMessageBox *quitQuestion() const { return m_quitQuestion; }
    QAction *quitAction() const { return m_quitAction; }
    /// The open Ctrl+K switcher, if any.
    QuickSwitcher *quickSwitcher() const { return m_quickSwitcher; }
    /// The open Ctrl+Shift+F search, if any.
    SearchDialog *searchDialog() const { return m_searchDialog; }
    QAction *searchAction() const { return m_searchAction; }
    /// Room ▸ New direct message… (Ctrl+Shift+N).
    QAction *newDirectAction() const { return m_newDirectAction; }
    AccountDialog *accountDialog() const { return m_accountDialog; }
    AdminConsole *adminConsole() const;
    QAction *adminAction() const { return m_adminAction; }
    QAction *accountAction() const { return m_accountAction; }
    bool isShowingChat() const;
    /// The room a chat hosted for the first time starts with (a name, the same in every language).
    static inline const QString kHostedRoomName = QStringLiteral("general");
    /// Unread messages in all joined rooms (the title shows it).
    int totalUnread() const;

    QAction *healthAction() const { return m_healthAction; }
    QAction *retryAction() const { return m_retryAction; }
    QAction *doNotDisturbAction() const { return m_doNotDisturbAction; }
    /// Shown in the status bar while do-not-disturb is on; clicking it turns it off.
    QToolButton *doNotDisturbStatus() const { return m_doNotDisturbStatus; }

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void createMenus();
    void createStatusBar();
    void createTray();
    void wireClient();
    void wireHosting();
    void retranslate();
    void showSignIn();
    void showChat();
    void updateTitle();
    void updateHostingStatus();
    void onMessageArrived(const ChatRoom &room, const QString &sender, const QString &text);
    /// The tray's tooltip and the status bar's "Do not disturb" indicator.
    void updateDoNotDisturb();
    void openRoomFromNotification(const QString &room);
    void beginSignIn(const ServerLink &server, bool fromNetworkList, const QString &user, const QString &password,
                     bool remember, bool create);
    void runSignIn();
    /// The host's first sync of a chat with no room: makes one everybody can join.
    void ensureHostedRoom();
    /// Shrinks and moves the window onto its screen's available area when it would not fit.
    void fitToScreen();
    /// Opens "Quit with unsent messages?" when there are some; false when there is nothing to ask.
    bool askAboutUnsent();
    /// Opens the room of a link to `server` now if signed in to it and synced, else once that is so.
    void openLinkRoom(const ServerAddress &server, const QString &room);
    /// After a sync: opens the room a link asked for, if the session is on the link's server.
    void openPendingLinkRoom();

    /// The sign-in in flight, kept only until it is answered, so that it can be repeated once the person
    /// accepted the server's certificate (the password stays in memory no longer than the sign-in screen
    /// keeps it in its field).
    struct PendingSignIn
    {
        ServerAddress server;
        QString user;
        QString password;
        bool remember = false;
        bool create = false;
    };
    std::optional<PendingSignIn> m_pendingSignIn;

    /// The room a tertulia:// link named, until the session on the link's server has synced (the room
    /// list is then known). Dropped when the person signs in somewhere else instead.
    struct LinkRoom
    {
        ServerAddress server;
        QString room;
    };
    std::optional<LinkRoom> m_linkRoom;

    Profile m_profile;
    CredentialStore &m_credentials;
    Preferences *m_preferences;
    LanguageManager *m_language;
    std::unique_ptr<Appearance> m_appearance;
    ChatClient *m_client;
    ServerList *m_servers;
    HostController *m_host;
    LanBrowser *m_lanBrowser;
    DiscoveredHostsModel *m_lanHosts;
    Notifier *m_notifier;
    QSystemTrayIcon *m_tray = nullptr;

    QStackedWidget *m_pages;
    SignInPage *m_signIn;
    ChatPage *m_chat;
    HealthPanel *m_health;
    QPointer<ShareCard> m_shareCard;
    QPointer<QMessageBox> m_stopQuestion;
    QPointer<QMessageBox> m_quitQuestion;
    QPointer<QuickSwitcher> m_quickSwitcher;
    QPointer<SearchDialog> m_searchDialog;
    QPointer<PreferencesDialog> m_preferencesDialog;
    QPointer<CertificateDialog> m_certificateDialog;
    QPointer<AccountDialog> m_accountDialog;
    QPointer<AdminConsole> m_adminConsole;
    QPointer<AdminClient> m_adminClient;
    ConnectionIndicator *m_indicator = nullptr;
    QToolButton *m_hostingStatus = nullptr;
    QToolButton *m_doNotDisturbStatus = nullptr;

    QMenu *m_chatMenu = nullptr;
    QMenu *m_roomMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_settingsMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QMenu *m_trayMenu = nullptr;
    QAction *m_shareAction = nullptr;
    QAction *m_stopHostingAction = nullptr;
    QAction *m_signOutAction = nullptr;
    QAction *m_accountAction = nullptr;
    QAction *m_adminAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_newRoomAction = nullptr;
    QAction *m_joinRoomAction = nullptr;
    QAction *m_newDirectAction = nullptr;
    QAction *m_leaveRoomAction = nullptr;
    QAction *m_inviteAction = nullptr;
    QAction *m_nextRoomAction = nullptr;
    QAction *m_previousRoomAction = nullptr;
    QAction *m_composerAction = nullptr;
    QAction *m_switchRoomAction = nullptr;
    QAction *m_searchAction = nullptr;
    QAction *m_firstUnreadAction = nullptr; ///< Room → Jump to first unread (Shift+Esc)
    QAction *m_healthAction = nullptr;
    QAction *m_retryAction = nullptr;
    QAction *m_preferencesAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_showAction = nullptr;
    QAction *m_doNotDisturbAction = nullptr;

    /// The current session is the embedded server's host login (not remembered, not listed).
    bool m_hostSession = false;
    bool m_rememberRequested = false;
    /// Closing the window waits for the answer to "Stop hosting?".
    bool m_closeAfterStop = false;
    /// Whether this hosting run already looked for (or made) a room.
    bool m_hostedRoomChecked = false;
    /// Closing because the person quit (not to the tray).
    bool m_quitting = false;
    /// They chose to quit with messages unsent.
    bool m_unsentConfirmed = false;
};

} // namespace Tertulia
