#include "app/ui/mainwindow.h"

#include "app/hosting/hostcontroller.h"
#include "app/lan/discoveredhostsmodel.h"
#include "app/lan/lanbrowser.h"
#include "app/models/roomlistmodel.h"
#include "app/net/certificatetrust.h"
#include "app/session/chatclient.h"
#include "app/session/chatfiles.h"
#include "app/session/chatroom.h"
#include "app/session/connectionmanager.h"
#include "app/session/mentions.h"
#include "app/session/outbox.h"
#include "app/session/roomdirectory.h"
#include "app/storage/serverlist.h"
#include "app/ui/accountdialog.h"
#include "app/ui/adminconsole.h"
#include "app/ui/appearance.h"
#include "app/ui/certificatedialog.h"
#include "app/ui/chatpage.h"
#include "app/ui/composer.h"
#include "app/ui/connectionindicator.h"
#include "app/ui/healthpanel.h"
#include "app/ui/icons.h"
#include "app/ui/languagemanager.h"
#include "app/ui/launchoptions.h"
#include "app/ui/notifier.h"
#include "app/ui/preferences.h"
#include "app/ui/preferencesdialog.h"
#include "app/ui/presentationmodel.h"
#include "app/ui/quickswitcher.h"
#include "app/ui/searchdialog.h"
#include "app/ui/sharecard.h"
#include "app/ui/signinpage.h"
#include "app/ui/uilogging.h"
#include "shared/names.h"
#include "shared/version.h"

#include <QtCore/QEvent>
#include <QtGui/QAction>
#include <QtGui/QCloseEvent>
#include <QtGui/QScreen>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QSystemTrayIcon>
#include <QtWidgets/QToolButton>

using namespace Qt::StringLiterals;

namespace Tertulia {

MainWindow::MainWindow(const Profile &profile, CredentialStore &credentials, QWidget *parent)
    : QMainWindow(parent)
    , m_profile(profile)
    , m_credentials(credentials)
    , m_preferences(new Preferences(profile.settingsFile(), this))
    , m_language(new LanguageManager(this))
    , m_appearance(std::make_unique<Appearance>())
    , m_client(new ChatClient(credentials, this))
    , m_servers(new ServerList(profile.serversFile(), this))
    , m_host(new HostController(this))
    , m_lanBrowser(new LanBrowser(this))
    , m_lanHosts(new DiscoveredHostsModel(m_lanBrowser, this))
    , m_notifier(new Notifier(this))
    , m_pages(new QStackedWidget(this))
    , m_signIn(new SignInPage(this))
    , m_chat(new ChatPage(*m_client, *m_preferences, this))
    , m_health(new HealthPanel(*m_client, this))
{
    setObjectName(u"mainWindow"_s);
    setWindowIcon(Icons::app());
    m_client->setDataDirectory(profile.clientDataDir());
    m_chat->files()->fileClient()->setDiskCache(profile.filesCacheDir());
    m_client->certificateTrust()->setStorageFile(profile.pinsFile());
    m_language->setLanguage(m_preferences->language());
    if (m_preferences->theme() != Preferences::Theme::System)
        m_appearance->apply(m_preferences->theme());

    m_pages->addWidget(m_signIn);
    m_pages->addWidget(m_chat);
    setCentralWidget(m_pages);
    addDockWidget(Qt::RightDockWidgetArea, m_health);
    m_health->hide();

    m_signIn->setRecentServers(m_servers->entries());
    auto *lanRows = new PresentationModel(
        [](const QModelIndex &source, int role) -> std::optional<QVariant> {
            if (role == Qt::DecorationRole)
                return Icons::app();
            if (role != Qt::DisplayRole)
                return std::nullopt;
            // The address is in the tooltip (the model's) and goes into the Server field when chosen.
            return tr("%1 (people online: %2)")
                .arg(source.data(DiscoveredHostsModel::NameRole).toString())
                .arg(source.data(DiscoveredHostsModel::UsersRole).toInt());
        },
        this);
    lanRows->setSourceModel(m_lanHosts);
    m_signIn->setNetworkServers(lanRows, DiscoveredHostsModel::UrlRole);
    m_signIn->setHostPort(m_preferences->hostPort());
    m_signIn->setHostWebPage(m_preferences->hostWebPage());
    m_lanBrowser->setIgnoredInstanceId(m_host->instanceId());

    createActions();
    createMenus();
    createStatusBar();
    createTray();
    wireClient();
    wireHosting();

    connect(m_preferences, &Preferences::languageChanged, m_language, &LanguageManager::setLanguage);
    connect(m_preferences, &Preferences::themeChanged, this,
            [this](Preferences::Theme theme) { m_appearance->apply(theme); });
    connect(m_servers, &ServerList::changed, this, [this] { m_signIn->setRecentServers(m_servers->entries()); });
    connect(m_notifier, &Notifier::activated, this, &MainWindow::openRoomFromNotification);

    resize(1100, 720);
    if (const QByteArray geometry = m_preferences->windowGeometry(); !geometry.isEmpty())
        restoreGeometry(geometry);
    if (const QByteArray state = m_preferences->windowState(); !state.isEmpty())
        restoreState(state);
    fitToScreen();
    retranslate();
    showSignIn();
}

MainWindow::~MainWindow()
{
    // What is typed and not sent outlives the window (a quit closes it before the pause that saves it).
    m_chat->composer()->saveDraft();
    // The host's client first: it must not try to reach a server that is going away.
    m_client->connection()->stop();
    m_host->stop();
    // Then the views of the account, then the account, while this window is still whole: children
    // would otherwise go in creation order, the account before the widgets that watch it, and its
    // last signals would reach a window that is half destroyed.
    for (QObject *source : std::initializer_list<QObject *>{m_client, m_client->connection(), m_client->rooms(),
                                                            m_host, m_preferences, m_servers, m_notifier})
        source->disconnect(this);
    delete m_shareCard;
    delete m_preferencesDialog;
    delete m_accountDialog;
    delete m_adminConsole;
    delete m_health;
    delete m_pages;
    delete m_indicator;
    delete m_client;
}

// ---- construction ------------------------------------------------------------------------------

void MainWindow::createActions()
{
    const auto make = [this](QKeySequence shortcut = {}) {
        auto *action = new QAction(this);
        if (!shortcut.isEmpty())
            action->setShortcut(shortcut);
        addAction(action); // shortcuts work even while the menu bar is hidden
        return action;
    };
    m_shareAction = make();
    m_stopHostingAction = make();
    m_signOutAction = make();
    m_accountAction = make();
    m_adminAction = make();
    m_quitAction = make(QKeySequence::Quit);
    // Some platforms (Windows, the offscreen one) have no standard Quit key: Ctrl+Q everywhere.
    if (m_quitAction->shortcut().isEmpty())
        m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_newRoomAction = make(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_joinRoomAction = make(QKeySequence(Qt::CTRL | Qt::Key_J));
    m_newDirectAction = make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    m_leaveRoomAction = make();
    m_inviteAction = make(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_nextRoomAction = make();
    m_nextRoomAction->setShortcuts({QKeySequence(Qt::ALT | Qt::Key_Down), QKeySequence(Qt::CTRL | Qt::Key_PageDown)});
    m_previousRoomAction = make();
    m_previousRoomAction->setShortcuts({QKeySequence(Qt::ALT | Qt::Key_Up), QKeySequence(Qt::CTRL | Qt::Key_PageUp)});
    m_composerAction = make(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_switchRoomAction = make(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_searchAction = make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    m_firstUnreadAction = make(QKeySequence(Qt::SHIFT | Qt::Key_Escape));
    m_healthAction = m_health->toggleViewAction();
    m_healthAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H));
    addAction(m_healthAction);
    m_retryAction = make(QKeySequence(Qt::Key_F5));
    m_preferencesAction = make(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    m_aboutAction = make();
    m_aboutAction->setMenuRole(QAction::AboutRole);
    m_showAction = make();
    m_doNotDisturbAction = make();
    m_doNotDisturbAction->setCheckable(true);
    m_doNotDisturbAction->setChecked(m_preferences->doNotDisturb());

    connect(m_shareAction, &QAction::triggered, this, &MainWindow::showShareCard);
    connect(m_stopHostingAction, &QAction::triggered, this, &MainWindow::requestStopHosting);
    connect(m_signOutAction, &QAction::triggered, this, &MainWindow::signOut);
    connect(m_accountAction, &QAction::triggered, this, &MainWindow::showAccount);
    connect(m_adminAction, &QAction::triggered, this, &MainWindow::showAdminConsole);
    // Offered to administrators only (the server's hello says, and admin_changed at once when another
    // administrator promotes or demotes us); the server still decides every request of the console.
    m_adminAction->setVisible(m_client->isServerAdmin());
    connect(m_client, &ChatClient::serverAdminChanged, m_adminAction, &QAction::setVisible);
    // Demoted: a console left open closes now, not at its next refresh (which the server would refuse
    // anyway); what it showed is no longer this account's to see.
    connect(m_client, &ChatClient::serverAdminChanged, this, [this](bool admin) {
        if (!admin && m_adminConsole && m_adminClient && m_adminClient->server() == m_client->server())
            m_adminConsole->close();
    });
    connect(m_quitAction, &QAction::triggered, this, &MainWindow::quit);
    connect(m_newRoomAction, &QAction::triggered, m_chat, &ChatPage::createRoom);
    connect(m_joinRoomAction, &QAction::triggered, m_chat, [this] { m_chat->joinRoom(); });
    connect(m_newDirectAction, &QAction::triggered, m_chat, &ChatPage::newDirectMessage);
    connect(m_leaveRoomAction, &QAction::triggered, m_chat, &ChatPage::leaveRoom);
    connect(m_inviteAction, &QAction::triggered, m_chat, &ChatPage::inviteToRoom);
    connect(m_nextRoomAction, &QAction::triggered, m_chat, [this] { m_chat->selectRelativeRoom(1); });
    connect(m_previousRoomAction, &QAction::triggered, m_chat, [this] { m_chat->selectRelativeRoom(-1); });
    connect(m_composerAction, &QAction::triggered, m_chat, &ChatPage::focusComposer);
    connect(m_switchRoomAction, &QAction::triggered, this, &MainWindow::showQuickSwitcher);
    connect(m_searchAction, &QAction::triggered, this, &MainWindow::showSearch);
    connect(m_firstUnreadAction, &QAction::triggered, m_chat, &ChatPage::jumpToFirstUnread);
    connect(m_retryAction, &QAction::triggered, m_client->connection(), &ConnectionManager::retryNow);
    connect(m_preferencesAction, &QAction::triggered, this, &MainWindow::showPreferences);
    connect(m_doNotDisturbAction, &QAction::toggled, m_preferences, &Preferences::setDoNotDisturb);
    connect(m_preferences, &Preferences::doNotDisturbChanged, this, [this](bool enabled) {
        m_doNotDisturbAction->setChecked(enabled);
        updateDoNotDisturb();
    });
    m_notifier->setSoundEnabled(m_preferences->notificationSound());
    connect(m_preferences, &Preferences::notificationSoundChanged, m_notifier, &Notifier::setSoundEnabled);
    connect(m_aboutAction, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About Tertulia"),
                           tr("<p><b>Tertulia %1</b></p><p>Chat with the people around you, or on a server you "
                              "trust.</p><p>Built with Qt %2.</p>")
                               .arg(versionString(), QString::fromLatin1(qVersion())));
    });
    connect(m_showAction, &QAction::triggered, this, [this] {
        showNormal();
        raise();
        activateWindow();
    });
}

void MainWindow::createMenus()
{
    m_chatMenu = menuBar()->addMenu(QString());
    m_chatMenu->addAction(m_shareAction);
    m_chatMenu->addAction(m_stopHostingAction);
    m_chatMenu->addSeparator();
    m_chatMenu->addAction(m_accountAction);
    m_chatMenu->addAction(m_adminAction);
    m_chatMenu->addAction(m_signOutAction);
    m_chatMenu->addSeparator();
    m_chatMenu->addAction(m_quitAction);

    m_roomMenu = menuBar()->addMenu(QString());
    m_roomMenu->addAction(m_newRoomAction);
    m_roomMenu->addAction(m_joinRoomAction);
    m_roomMenu->addAction(m_newDirectAction);
    m_roomMenu->addAction(m_inviteAction);
    m_roomMenu->addAction(m_leaveRoomAction);
    m_roomMenu->addAction(m_chat->muteAction());
    m_roomMenu->addAction(m_chat->settingsAction());
    m_roomMenu->addSeparator();
    m_roomMenu->addAction(m_switchRoomAction);
    m_roomMenu->addAction(m_searchAction);
    m_roomMenu->addAction(m_nextRoomAction);
    m_roomMenu->addAction(m_previousRoomAction);
    m_roomMenu->addAction(m_firstUnreadAction);
    m_roomMenu->addAction(m_composerAction);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->addAction(m_healthAction);
    m_viewMenu->addAction(m_retryAction);

    m_settingsMenu = menuBar()->addMenu(QString());
    m_settingsMenu->addAction(m_preferencesAction);
    m_settingsMenu->addAction(m_doNotDisturbAction);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->addAction(m_aboutAction);
}

void MainWindow::createStatusBar()
{
    m_indicator = new ConnectionIndicator(*m_client, this);
    connect(m_indicator, &QToolButton::clicked, this, [this] {
        m_health->show();
        m_health->raise();
    });
    m_hostingStatus = new QToolButton(this);
    m_hostingStatus->setAutoRaise(true);
    m_hostingStatus->setVisible(false);
    connect(m_hostingStatus, &QToolButton::clicked, this, &MainWindow::showShareCard);
    m_doNotDisturbStatus = new QToolButton(this);
    m_doNotDisturbStatus->setAutoRaise(true);
    m_doNotDisturbStatus->setVisible(false);
    m_doNotDisturbStatus->setFocusPolicy(Qt::NoFocus);
    connect(m_doNotDisturbStatus, &QToolButton::clicked, this, [this] { m_preferences->setDoNotDisturb(false); });
    statusBar()->addPermanentWidget(m_doNotDisturbStatus);
    statusBar()->addPermanentWidget(m_hostingStatus);
    statusBar()->addPermanentWidget(m_indicator);
    // Out of the Tab chain, which otherwise went from the member list into the status bar before
    // coming back to the rooms: the keyboard reaches both through the menus (Ctrl+Shift+H, Share).
    m_indicator->setFocusPolicy(Qt::NoFocus);
    m_hostingStatus->setFocusPolicy(Qt::NoFocus);
}

void MainWindow::createTray()
{
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return; // the Notifier falls back to D-Bus notifications
    m_tray = new QSystemTrayIcon(Icons::app(), this);
    m_trayMenu = new QMenu(this);
    m_trayMenu->addAction(m_showAction);
    m_trayMenu->addAction(m_doNotDisturbAction);
    m_trayMenu->addAction(m_quitAction);
    m_tray->setContextMenu(m_trayMenu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            m_showAction->trigger();
    });
    m_tray->show();
    m_notifier->setTrayIcon(m_tray);
}

void MainWindow::wireClient()
{
    connect(m_signIn, &SignInPage::signInRequested, this,
            [this](const ServerLink &server, bool fromList, const QString &user, const QString &password, bool remember) {
                beginSignIn(server, fromList, user, password, remember, false);
            });
    connect(m_signIn, &SignInPage::createAccountRequested, this,
            [this](const ServerLink &server, bool fromList, const QString &user, const QString &password, bool remember) {
                beginSignIn(server, fromList, user, password, remember, true);
            });
    connect(m_signIn, &SignInPage::hostRequested, this, &MainWindow::startHosting);

    connect(m_client, &ChatClient::signedIn, this, [this] {
        m_pendingSignIn.reset();
        m_signIn->setBusy(false);
        m_signIn->clearPassword();
        if (!m_hostSession)
            m_servers->remember(m_client->server(), m_rememberRequested ? m_client->user() : QString());
        showChat();
    });
    connect(m_client, &ChatClient::signInFailed, this, [this](const AuthError &error) {
        m_signIn->setBusy(false);
        showSignIn();
        m_signIn->showAuthError(error);
        if (error.certificate && m_pendingSignIn) {
            // Stopped in the TLS handshake: nothing was sent. The person decides; trusting repeats the sign-in.
            reviewCertificate(*error.certificate, [this] { runSignIn(); });
            return;
        }
        m_pendingSignIn.reset();
    });
    connect(m_client, &ChatClient::savedSignInUnavailable, this, [this](const QString &reason) {
        m_signIn->setBusy(false);
        showSignIn();
        m_signIn->showError(reason);
        m_signIn->focusFirstEmpty();
    });
    connect(m_client, &ChatClient::credentialStorageUnavailable, m_chat, &ChatPage::showKeychainNotice);
    connect(m_client, &ChatClient::credentialStorageRecovered, m_chat, &ChatPage::hideKeychainNotice);
    connect(m_client, &ChatClient::signedOut, this, [this] {
        m_hostSession = false;
        if (m_accountDialog)
            m_accountDialog->close(); // its account is not this window's any more
        if (m_adminConsole)
            m_adminConsole->close();
        showSignIn();
    });
    connect(m_client, &ChatClient::accountDeleted, this, [this] {
        // The client signs out right after: the sign-in screen then says why, without the gone name.
        const ServerAddress server = m_client->server();
        if (server.isValid())
            m_servers->forgetUser(server);
        m_signIn->setUser(QString());
        m_signIn->showError(tr("The account %1 was deleted. Its messages stay in their rooms; the name cannot be "
                               "used again on this server.")
                                .arg(m_client->user()));
    });
    connect(m_client->connection(), &ConnectionManager::authenticated, this, [this](const Protocol::HelloInfo &hello) {
        // The server's own name, for the recent-servers list.
        if (!m_hostSession && m_client->isSignedIn())
            m_servers->remember(m_client->server(), m_rememberRequested ? m_client->user() : QString(),
                                hello.server.name);
    });
    connect(m_chat, &ChatPage::certificateReviewRequested, this, [this] {
        if (const auto problem = m_client->connection()->certificateProblem())
            reviewCertificate(*problem); // trusting it reconnects (ChatClient::trustCertificate)
    });
    connect(m_chat, &ChatPage::otherServerRequested, this, [this] {
        const QString user = m_client->user();
        signOut();
        m_signIn->setServer(QString());
        m_signIn->setUser(user);
        m_signIn->serverBox()->setFocus();
    });
    connect(m_chat, &ChatPage::signInAgainRequested, this, [this] {
        const ServerAddress server = m_client->server();
        const QString user = m_client->user();
        signOut();
        m_signIn->setServer(server.id());
        m_signIn->setUser(user);
        m_signIn->focusFirstEmpty();
    });
    connect(m_client, &ChatClient::messageArrived, this, [this](ChatRoom *room, const Protocol::ChatMessage &message) {
        onMessageArrived(*room, message.sender, message.text);
    });
    connect(m_client, &ChatClient::invited, this, [this](ChatRoom *room, const QString &by) {
        // Whether or not the window is in front: an invitation is rare and waits for an answer.
        if (m_preferences->notificationsEnabled() && !m_preferences->doNotDisturb())
            m_notifier->notify(room->name(), tr("Invitation to #%1").arg(room->name()),
                               tr("%1 invited you to this private room. Open it to join.").arg(by));
    });

    // After ChatPage's own choice of a room (connected first): a link's room wins.
    connect(m_client, &ChatClient::synced, this, &MainWindow::openPendingLinkRoom);

    // One number for the title and the tray: the same sum of the rooms' counts the badges show.
    connect(m_client->rooms(), &RoomDirectory::totalUnreadChanged, this, &MainWindow::updateTitle);
    connect(m_client, &ChatClient::currentRoomChanged, this, &MainWindow::updateTitle);
}

void MainWindow::wireHosting()
{
    connect(m_host, &HostController::started, this, [this](const QUrl &localUrl, const Protocol::TokenPair &tokens) {
        m_signIn->setHostBusy(false);
        const auto address = ServerAddress::parse(localUrl.toString());
        if (!address) {
            m_signIn->showError(tr("The chat started, but its address %1 cannot be used.").arg(localUrl.toString()));
            return;
        }
        // The host login is not remembered: the next start hosts afresh (or signs in elsewhere).
        m_hostSession = true;
        m_hostedRoomChecked = false;
        m_rememberRequested = false;
        // This app made the certificate: its own client connects to it pinned, without asking.
        m_client->certificateTrust()->expect(*address, m_host->fingerprint(), PinSource::OwnHost);
        m_client->signInWithTokens(*address, m_host->hostUser(), tokens, false);
        updateHostingStatus();
        showShareCard();
    });
    connect(m_host, &HostController::failed, this, [this](const QString &message) {
        m_signIn->setHostBusy(false);
        showSignIn();
        m_signIn->showError(message);
        updateHostingStatus();
    });
    connect(m_host, &HostController::stopped, this, &MainWindow::updateHostingStatus);
    connect(m_client, &ChatClient::synced, this, &MainWindow::ensureHostedRoom);
    connect(m_host, &HostController::onlineUsersChanged, this, &MainWindow::updateHostingStatus);
    updateHostingStatus();
}

void MainWindow::fitToScreen()
{
    // A size saved at another scale (QT_SCALE_FACTOR=2 halves the screen in logical pixels), on a
    // bigger monitor, or our own default on a small one, must not open larger than the screen.
    const QScreen *screen = this->screen();
    if (!screen)
        return;
    const QRect available = screen->availableGeometry();
    const QSize frameExtra = frameGeometry().size() - geometry().size();
    const QSize most = available.size() - frameExtra;
    if (width() > most.width() || height() > most.height())
        resize(std::min(width(), most.width()), std::min(height(), most.height()));
    QRect frame = frameGeometry();
    if (!available.contains(frame)) {
        frame.moveLeft(std::clamp(frame.left(), available.left(), std::max(available.left(), available.right() - frame.width() + 1)));
        frame.moveTop(std::clamp(frame.top(), available.top(), std::max(available.top(), available.bottom() - frame.height() + 1)));
        move(frame.topLeft());
    }
}

void MainWindow::ensureHostedRoom()
{
    // A chat hosted for the first time has no room, and its first guest would find nothing to join:
    // the host makes one (once per start, so a room deleted later is not made again behind their back).
    if (!m_hostSession || !m_host->isRunning() || std::exchange(m_hostedRoomChecked, true))
        return;
    if (m_client->rooms()->count() > 0)
        return;
    m_client->createRoom(kHostedRoomName, false, this,
                         [this](const std::optional<Protocol::Error> &error) {
        if (error) {
            qCInfo(lcUi) << "no default room in the hosted chat:" << Protocol::describe(*error);
            return;
        }
        if (!m_client->currentRoom() && !m_client->rooms()->joinedRooms().isEmpty())
            m_client->setCurrentRoom(m_client->rooms()->joinedRooms().first()->name());
    });
}

// ---- texts ----------------------------------------------------------------------------------------

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    m_chatMenu->setTitle(tr("&Chat"));
    m_roomMenu->setTitle(tr("&Room"));
    m_viewMenu->setTitle(tr("&View"));
    m_settingsMenu->setTitle(tr("&Settings"));
    m_helpMenu->setTitle(tr("&Help"));
    m_shareAction->setText(tr("&Share your chat…"));
    m_stopHostingAction->setText(tr("S&top hosting"));
    m_signOutAction->setText(tr("Sign &out"));
    m_accountAction->setText(tr("&Account…"));
    m_adminAction->setText(tr("Server a&dministration…"));
    m_quitAction->setText(tr("&Quit"));
    m_newRoomAction->setText(tr("&New room…"));
    m_joinRoomAction->setText(tr("&Join a room…"));
    m_newDirectAction->setText(tr("New &direct message…"));
    m_inviteAction->setText(tr("&Invite to this room…"));
    m_leaveRoomAction->setText(tr("&Leave this room"));
    m_nextRoomAction->setText(tr("Ne&xt room"));
    m_previousRoomAction->setText(tr("&Previous room"));
    m_composerAction->setText(tr("&Write a message"));
    m_switchRoomAction->setText(tr("&Go to a room…"));
    m_searchAction->setText(tr("&Search messages…"));
    m_firstUnreadAction->setText(tr("Jump to &first unread"));
    m_healthAction->setText(tr("Connection &health"));
    m_retryAction->setText(tr("&Reconnect now"));
    m_preferencesAction->setText(tr("&Preferences…"));
    m_aboutAction->setText(tr("&About Tertulia"));
    m_showAction->setText(tr("&Show Tertulia"));
    m_doNotDisturbAction->setText(tr("&Do not disturb"));
    m_doNotDisturbAction->setToolTip(tr("No notifications at all, not even for mentions, until turned off"));
    m_pages->setAccessibleName(tr("Tertulia"));
    updateTitle();
    updateHostingStatus();
    updateDoNotDisturb();
}

void MainWindow::updateTitle()
{
    // The app's name is not part of the title: the platform adds it with its own separator (the
    // application display name), and adding it here too showed it twice with two kinds of dash.
    QString title;
    if (const ChatRoom *room = m_client->currentRoom(); room && isShowingChat())
        title = room->label();
    if (!m_profile.name().isEmpty())
        title = title.isEmpty() ? tr("Profile %1").arg(m_profile.name())
                                : tr("%1 (profile %2)").arg(title, m_profile.name());
    if (title.isEmpty())
        title = tr("Tertulia"); // ends with the display name: platforms do not repeat it
    const int unread = totalUnread();
    if (unread > 0)
        title = tr("(%1) %2").arg(unread).arg(title);
    setWindowTitle(title);
    updateDoNotDisturb();
}

void MainWindow::updateDoNotDisturb()
{
    const bool quiet = m_preferences->doNotDisturb();
    m_doNotDisturbStatus->setVisible(quiet);
    m_doNotDisturbStatus->setText(tr("Do not disturb"));
    m_doNotDisturbStatus->setToolTip(tr("No notifications until you turn this off (click here)"));
    if (!m_tray)
        return;
    const int unread = totalUnread();
    QString tip = unread > 0 ? tr("Tertulia: %1 unread").arg(unread) : tr("Tertulia");
    if (quiet)
        tip = tr("%1 (do not disturb)").arg(tip);
    m_tray->setToolTip(tip);
}

int MainWindow::totalUnread() const { return m_client->rooms()->totalUnread(); }

void MainWindow::updateHostingStatus()
{
    const bool running = m_host->isRunning();
    m_hostingStatus->setVisible(running);
    m_shareAction->setEnabled(running);
    m_stopHostingAction->setEnabled(running);
    if (running) {
        const int others = std::max(0, m_host->onlineUsers() - 1);
        m_hostingStatus->setText(tr("Hosting on port %1 · others online: %2").arg(m_host->port()).arg(others));
        m_hostingStatus->setToolTip(tr("Show the addresses people can use to join"));
        m_hostingStatus->setAccessibleName(m_hostingStatus->text());
    }
}

// ---- pages --------------------------------------------------------------------------------------

bool MainWindow::isShowingChat() const { return m_pages->currentWidget() == m_chat; }

void MainWindow::showSignIn()
{
    m_pages->setCurrentWidget(m_signIn);
    for (QAction *action : {m_signOutAction, m_accountAction, m_adminAction, m_newRoomAction, m_joinRoomAction, m_inviteAction,
                            m_leaveRoomAction, m_nextRoomAction, m_previousRoomAction, m_composerAction, m_switchRoomAction,
                            m_searchAction, m_firstUnreadAction, m_newDirectAction})
        action->setEnabled(false);
    if (!m_lanBrowser->isActive() && !m_lanBrowser->start())
        qCInfo(lcUi) << "LAN discovery is off:" << m_lanBrowser->errorString();
    m_signIn->focusFirstEmpty();
    updateTitle();
}

void MainWindow::showChat()
{
    m_pages->setCurrentWidget(m_chat);
    for (QAction *action : {m_signOutAction, m_accountAction, m_adminAction, m_newRoomAction, m_joinRoomAction, m_inviteAction,
                            m_leaveRoomAction, m_nextRoomAction, m_previousRoomAction, m_composerAction, m_switchRoomAction,
                            m_searchAction, m_firstUnreadAction, m_newDirectAction})
        action->setEnabled(true);
    m_lanBrowser->stop();
    m_chat->focusComposer();
    updateTitle();
}

// ---- account ------------------------------------------------------------------------------------

void MainWindow::start(const LaunchOptions &options)
{
    if (options.host) {
        startHosting(options.hostPort.value_or(m_preferences->hostPort()), m_preferences->hostWebPage());
        return;
    }
    if (options.connect) {
        if (!options.connectRoom.isEmpty())
            m_linkRoom = LinkRoom{*options.connect, options.connectRoom};
        const auto known = m_servers->find(*options.connect);
        // A link with a fingerprint goes into the Server field whole, so signing in expects that certificate.
        m_signIn->setServer(options.connectFingerprint
                                ? ServerLink{*options.connect, options.connectFingerprint, {}}.webUrl().toString()
                                : options.connect->id());
        m_signIn->setUser(known ? known->lastUser : QString());
        showSignIn();
        if (known && !known->lastUser.isEmpty()) {
            // Its sign-in was remembered: the link signs in as the last-server start below does. If the
            // keychain no longer has it, the sign-in screen (filled in above) says so and asks.
            if (options.connectFingerprint)
                m_client->certificateTrust()->expect(*options.connect, *options.connectFingerprint, PinSource::Link);
            m_signIn->setBusy(true, tr("Signing in to %1 as %2…").arg(options.connect->id(), known->lastUser));
            m_rememberRequested = true;
            m_hostSession = false;
            m_client->resumeSavedSignIn(*options.connect, known->lastUser);
            return;
        }
        m_signIn->focusFirstEmpty();
        return;
    }
    if (const auto last = m_servers->last(); last && !last->lastUser.isEmpty()) {
        m_signIn->setServer(last->address.id());
        m_signIn->setUser(last->lastUser);
        m_signIn->setBusy(true, tr("Signing in to %1 as %2…").arg(last->address.id(), last->lastUser));
        m_rememberRequested = true;
        m_hostSession = false;
        m_client->resumeSavedSignIn(last->address, last->lastUser);
    }
}

void MainWindow::handleSecondLaunch(const QStringList &arguments)
{
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    show();
    raise();
    activateWindow();
    const auto parsed = LaunchOptions::parse(arguments);
    const auto *options = std::get_if<LaunchOptions>(&parsed);
    if (!options) {
        qCWarning(lcUi) << "a second launch's arguments were not understood:" << std::get<QString>(parsed);
        return;
    }
    if (!options->connect && !options->host) {
        qCInfo(lcUi) << "a second launch brought the window forward";
        return;
    }
    const QString asked = arguments.mid(1).join(u' ');
    if (m_signIn->isVisible() && !m_signIn->isBusy()) {
        qCInfo(lcUi).noquote() << "a second launch handed over:" << asked;
        start(*options);
        return;
    }
    // Signed in (or signing in): the window keeps its session. A link to the same server opens its room.
    if (options->connect && *options->connect == m_client->server() && !options->connectRoom.isEmpty()) {
        qCInfo(lcUi).noquote() << "a second launch opens a room of this server:" << asked;
        openLinkRoom(*options->connect, options->connectRoom);
        return;
    }
    qCInfo(lcUi).noquote() << "a second launch asked for" << asked << "while signed in: the window stays as it is";
    if (options->connect && *options->connect != m_client->server() && isShowingChat()) {
        m_chat->showNotice(tr("That link is for the server %1. You are signed in to %2: sign out first to open it.")
                               .arg(options->connect->id(), m_client->server().id()));
    }
}

void MainWindow::openLinkRoom(const ServerAddress &server, const QString &room)
{
    m_linkRoom = LinkRoom{server, room};
    if (m_client->isSignedIn() && m_client->connection()->state() == ConnectionManager::State::Connected)
        openPendingLinkRoom();
    // Otherwise the next sync (ChatClient::synced) opens it.
}

void MainWindow::openPendingLinkRoom()
{
    if (!m_linkRoom)
        return;
    const LinkRoom link = *std::exchange(m_linkRoom, std::nullopt);
    if (link.server != m_client->server()) {
        qCInfo(lcUi) << "signed in to another server than the link's: its room" << link.room << "is not opened";
        return;
    }
    showChat();
    m_chat->openRoom(link.room);
}

void MainWindow::beginSignIn(const ServerLink &server, bool fromNetworkList, const QString &user,
                             const QString &password, bool remember, bool create)
{
    if (server.fingerprint) {
        // The link or the LAN announcement says which certificate to expect: no question if it matches.
        m_client->certificateTrust()->expect(server.address, *server.fingerprint,
                                             fromNetworkList ? PinSource::Discovery : PinSource::Link);
    }
    m_pendingSignIn = PendingSignIn{server.address, user, password, remember, create};
    runSignIn();
}

void MainWindow::runSignIn()
{
    if (!m_pendingSignIn)
        return;
    const PendingSignIn &pending = *m_pendingSignIn;
    m_hostSession = false;
    m_rememberRequested = pending.remember;
    m_signIn->setBusy(true, pending.create ? tr("Creating your account on %1…").arg(pending.server.id())
                                           : tr("Signing in to %1…").arg(pending.server.id()));
    if (pending.create)
        m_client->createAccount(pending.server, pending.user, pending.password, pending.remember);
    else
        m_client->signIn(pending.server, pending.user, pending.password, pending.remember);
}

void MainWindow::reviewCertificate(const CertificateCheck &check, std::function<void()> onTrusted)
{
    if (m_certificateDialog)
        m_certificateDialog->close();
    auto *dialog = new CertificateDialog(check, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, check, onTrusted = std::move(onTrusted)] {
        m_client->trustCertificate(check);
        if (onTrusted)
            onTrusted();
    });
    connect(dialog, &QDialog::rejected, this, [this] {
        m_pendingSignIn.reset();
        m_signIn->focusFirstEmpty();
    });
    m_certificateDialog = dialog;
    dialog->open();
}

void MainWindow::signOut()
{
    if (m_hostSession && m_host->isRunning()) {
        // The host's own login: signing out of the chat you host means stopping it.
        requestStopHosting();
        return;
    }
    const ServerAddress server = m_client->server();
    m_client->signOut();
    if (server.isValid())
        m_servers->forgetUser(server);
}

// ---- hosting ------------------------------------------------------------------------------------

void MainWindow::startHosting(quint16 port, bool webPage)
{
    if (m_host->state() != HostController::State::Stopped)
        return;
    m_preferences->setHostPort(port);
    m_preferences->setHostWebPage(webPage);
    m_signIn->setHostPort(port);
    m_signIn->setHostWebPage(webPage);
    m_signIn->setHostBusy(true, tr("Starting the chat on port %1…").arg(port));
    showSignIn();
    HostOptions options;
    options.port = port;
    options.dataDir = m_profile.hostDataDir();
    options.webPage = webPage;
    options.allowPlainHttp = m_preferences->hostAllowPlainHttp();
    // The name typed on the sign-in screen, if it is one; otherwise the OS account's.
    if (const QString typed = m_signIn->userEdit()->text().trimmed(); Names::isValidUserName(typed))
        options.hostUser = typed;
    m_host->start(options);
}

void MainWindow::requestStopHosting()
{
    if (!m_host->isRunning())
        return;
    const auto stop = [this] {
        if (m_hostSession)
            m_client->signOut();
        m_host->stop();
        if (m_shareCard)
            m_shareCard->close();
        showSignIn();
    };
    const int others = std::max(0, m_host->onlineUsers() - 1);
    if (others == 0) {
        stop();
        if (std::exchange(m_closeAfterStop, false))
            close();
        return;
    }
    if (m_stopQuestion)
        m_stopQuestion->close();
    auto *question = new QMessageBox(QMessageBox::Warning, tr("Stop hosting?"),
                                     others == 1 ? tr("1 other person is connected to your chat.")
                                                 : tr("%1 other people are connected to your chat.").arg(others),
                                     QMessageBox::NoButton, this);
    question->setInformativeText(tr("Stopping disconnects them. They can come back when you host again."));
    QPushButton *stopButton = question->addButton(tr("&Stop hosting"), QMessageBox::DestructiveRole);
    question->addButton(tr("&Keep hosting"), QMessageBox::RejectRole);
    question->setDefaultButton(qobject_cast<QPushButton *>(question->buttons().last()));
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this, [this, stop, stopButton](QAbstractButton *button) {
        const bool closeNow = std::exchange(m_closeAfterStop, false);
        if (button != stopButton)
            return;
        stop();
        if (closeNow) {
            m_closeAfterStop = true; // the hosting question is answered: let closeEvent through
            close();
            m_closeAfterStop = false;
        }
    });
    m_stopQuestion = question;
    question->open();
}

void MainWindow::showShareCard()
{
    if (!m_host->isRunning())
        return;
    if (!m_shareCard) {
        m_shareCard = new ShareCard(*m_host, this);
        connect(m_shareCard, &ShareCard::stopRequested, this, &MainWindow::requestStopHosting);
    }
    m_shareCard->show();
    m_shareCard->raise();
    m_shareCard->activateWindow();
}

AdminConsole *MainWindow::adminConsole() const { return m_adminConsole; }

void MainWindow::showAdminConsole()
{
    if (!m_client->isSignedIn())
        return;
    // One console per server: a new sign-in (another server) gets a new one.
    if (m_adminConsole && !(m_adminClient && m_adminClient->server() == m_client->server()))
        m_adminConsole->close();
    if (!m_adminConsole) {
        ChatClient *client = m_client;
        m_adminClient = new AdminClient(m_client->server(),
                                        [client] { return client->connection()->credentials().accessToken; }, nullptr,
                                        this);
        m_adminClient->setCertificateTrust(m_client->certificateTrust());
        m_adminConsole = new AdminConsole(*m_adminClient, this);
        m_adminConsole->setAttribute(Qt::WA_DeleteOnClose);
        // The client goes with its console, in the same destruction: its requests' answers call back into the
        // console, so a client outliving it (a deleteLater) could hand a reply to a console already gone.
        m_adminClient->setParent(m_adminConsole);
    }
    m_adminConsole->show();
    m_adminConsole->raise();
    m_adminConsole->activateWindow();
}

void MainWindow::showAccount()
{
    if (!m_client->isSignedIn())
        return;
    if (!m_accountDialog) {
        m_accountDialog = new AccountDialog(*m_client, this);
        m_accountDialog->setAttribute(Qt::WA_DeleteOnClose);
        if (m_chat)
            m_accountDialog->setAvatarPictures(m_chat->avatarPictures());
        connect(m_accountDialog, &AccountDialog::signOutRequested, this, &MainWindow::signOut);
    }
    m_accountDialog->show();
    m_accountDialog->raise();
    m_accountDialog->activateWindow();
}

void MainWindow::showQuickSwitcher()
{
    if (!isShowingChat())
        return;
    if (m_quickSwitcher)
        m_quickSwitcher->close();
    auto *switcher = new QuickSwitcher(*m_client->rooms(), this);
    switcher->setAttribute(Qt::WA_DeleteOnClose);
    connect(switcher, &QuickSwitcher::roomChosen, this, [this](const QString &room) {
        m_client->setCurrentRoom(room);
        m_chat->focusComposer();
    });
    m_quickSwitcher = switcher;
    switcher->open();
}

void MainWindow::showSearch()
{
    if (!isShowingChat())
        return;
    if (m_searchDialog) {
        m_searchDialog->raise();
        m_searchDialog->activateWindow();
        m_searchDialog->queryEdit()->setFocus();
        return;
    }
    const ChatRoom *current = m_client->currentRoom();
    auto *dialog = new SearchDialog(*m_client, current && current->isJoined() ? current->name() : QString(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SearchDialog::messageChosen, this, [this](const QString &room, qint64 seq) {
        // Results come from rooms we can read; the page finds the message as it finds a reply's original.
        m_client->setCurrentRoom(room);
        m_chat->showMessage(seq);
    });
    m_searchDialog = dialog;
    dialog->show();
}

void MainWindow::showPreferences()
{
    if (!m_preferencesDialog) {
        m_preferencesDialog = new PreferencesDialog(*m_preferences, this);
        m_preferencesDialog->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_preferencesDialog->show();
    m_preferencesDialog->raise();
    m_preferencesDialog->activateWindow();
}

// ---- notifications ------------------------------------------------------------------------------

void MainWindow::onMessageArrived(const ChatRoom &room, const QString &sender, const QString &text)
{
    const ChatRoom *current = m_client->currentRoom();
    NotificationCase what;
    what.enabled = m_preferences->notificationsEnabled();
    what.doNotDisturb = m_preferences->doNotDisturb();
    what.looking = current == &room && isActiveWindow() && !isMinimized() && isShowingChat();
    what.muted = room.isMuted();
    // A direct message is written to us, like a mention: it notifies even in a muted conversation.
    const bool direct = room.isDirect() && Names::canonical(sender) != Names::canonical(m_client->user());
    what.mentionsYou = direct
                       || (Names::canonical(sender) != Names::canonical(m_client->user())
                           && Mentions::mentions(text, m_client->user()));
    if (!shouldNotify(what))
        return;
    const QString name = room.name();
    const QString who = room.shownName(sender); // issue 12: the display name people chose
    m_notifier->notify(name, direct ? tr("%1 (direct message)").arg(who)
                             : what.mentionsYou ? tr("%1 mentioned you in #%2").arg(who, name)
                                                : tr("%1 in #%2").arg(who, name),
                       text);
}

void MainWindow::openRoomFromNotification(const QString &room)
{
    m_showAction->trigger();
    if (m_client->rooms()->find(room))
        m_client->setCurrentRoom(room);
}

// ---- closing ------------------------------------------------------------------------------------

void MainWindow::quit()
{
    m_quitting = true;
    const bool wasHidden = !isVisible();
    if (wasHidden && m_client->outbox()->unsentCount() > 0)
        showNormal(); // the question about unsent messages needs a window to sit on
    const bool closed = close();
    m_quitting = false;
    // From the tray, with the window already hidden, closing it is not the last window closing.
    if (closed && wasHidden)
        QCoreApplication::quit();
}

bool MainWindow::askAboutUnsent()
{
    const int unsent = m_client->isSignedIn() ? m_client->outbox()->unsentCount() : 0;
    if (unsent == 0)
        return false;
    if (m_quitQuestion)
        m_quitQuestion->close();
    auto *question = new QMessageBox(QMessageBox::Warning, tr("Quit with unsent messages?"),
                                     unsent == 1 ? tr("1 message has not been sent yet.")
                                                 : tr("%1 messages have not been sent yet.").arg(unsent),
                                     QMessageBox::NoButton, this);
    // Files waiting to upload are messages of the outbox too (issue 12): counted above, and kept like the rest
    // unless their copy could not be kept (or there is no saved outbox at all). A copy still being written is
    // kept: quitting waits for it.
    const int unkept = m_client->outbox()->unkeptCount(m_chat->files()->copying());
    QString informative = tr("They are kept on this computer and sent the next time you sign in to %1.")
                              .arg(m_client->server().id());
    if (unkept == unsent)
        informative = unsent == 1 ? tr("It cannot be kept: it is lost if you quit now.")
                                  : tr("They cannot be kept: they are lost if you quit now.");
    else if (unkept > 0)
        informative += u' '
                       + (unkept == 1 ? tr("One of them, a file, cannot be kept: it is lost if you quit now.")
                                      : tr("%1 of them cannot be kept: they are lost if you quit now.").arg(unkept));
    question->setInformativeText(informative);
    QPushButton *quitButton = question->addButton(tr("&Quit anyway"), QMessageBox::DestructiveRole);
    QPushButton *stay = question->addButton(tr("&Keep Tertulia open"), QMessageBox::RejectRole);
    question->setDefaultButton(stay);
    question->setAttribute(Qt::WA_DeleteOnClose);
    connect(question, &QMessageBox::buttonClicked, this, [this, quitButton](QAbstractButton *button) {
        if (button != quitButton)
            return;
        m_unsentConfirmed = true;
        quit();
        m_unsentConfirmed = false;
    });
    m_quitQuestion = question;
    question->open();
    return true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    const bool toTray = m_tray && m_tray->isVisible() && m_preferences->closeToTray() && !m_quitting;
    if (toTray) {
        // Closing the window is not quitting: the chat keeps running (and notifying) in the tray.
        m_chat->composer()->saveDraft();
        m_preferences->setWindowGeometry(saveGeometry(), saveState());
        event->ignore();
        hide();
        if (!m_preferences->closeToTrayExplained()) {
            m_preferences->setCloseToTrayExplained();
            m_tray->showMessage(tr("Tertulia is still running"),
                                tr("It keeps you connected here. Quit it from this icon's menu, or turn this off "
                                   "in Preferences."));
        }
        return;
    }
    if (!m_unsentConfirmed && askAboutUnsent()) {
        event->ignore();
        return;
    }
    if (m_host->isRunning() && m_host->onlineUsers() > 1 && !m_closeAfterStop) {
        // Ask first; the window closes once hosting has stopped, and stays if they keep hosting.
        event->ignore();
        m_closeAfterStop = true;
        requestStopHosting();
        return;
    }
    m_chat->composer()->saveDraft();
    m_preferences->setWindowGeometry(saveGeometry(), saveState());
    QMainWindow::closeEvent(event);
}

} // namespace Tertulia
