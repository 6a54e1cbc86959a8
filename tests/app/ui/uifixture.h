#pragma once

#include "app/net/serveraddress.h"
#include "app/session/chatclient.h"
#include "app/session/chatroom.h"
#include "app/storage/memorycredentialstore.h"
#include "app/ui/mainwindow.h"
#include "support/tcpproxy.h"
#include "support/testserver.h"

#include <QtCore/QTemporaryDir>

class QMenu;

#include <memory>

class QAbstractItemModel;
class QAbstractItemView;
class QWidget;

namespace Tertulia::Testing {

/// What every window test needs: a real server in this process (127.0.0.1:0), a TCP relay in front
/// of it that the test can cut, a fresh profile per window, and other people as plain ChatClients.
class UiFixture
{
public:
    static constexpr int kTimeoutMs = 20000;
    static inline const QString kPassword = QStringLiteral("password123");

    explicit UiFixture(const ServerConfig &config = Test::TestServer::testConfig());
    ~UiFixture();

    Test::TestServer &server() { return *m_server; }
    TcpProxy &proxy() { return *m_proxy; }
    /// The server as the window reaches it: through the relay (https:// when the server has TLS).
    ServerAddress address() const;
    /// The server's certificate fingerprint (null without TLS).
    CertificateFingerprint fingerprint() const;
    MemoryCredentialStore &store() { return m_store; }
    QString path(const QString &name) const { return m_dir.filePath(name); }

    /// A shown, exposed, active window on a new profile; quick reconnects (tests of the backoff set
    /// their own).
    std::unique_ptr<MainWindow> openWindow(const QString &profileName = QStringLiteral("ui"));
    /// The same, on exactly this profile (to reopen one, like an app restart).
    std::unique_ptr<MainWindow> reopenWindow(const QString &profileName);

    /// Types server, user and password into the sign-in screen with key events and clicks Sign in
    /// (or Create account, then the password again when asked for it).
    static void typeSignIn(MainWindow &window, const QString &server, const QString &user, const QString &password,
                           bool create = false);
    /// Registers user on the server, signs in through the screen and waits for Connected.
    bool signIn(MainWindow &window, const QString &user);

    /// Another person, signed up and connected straight to the server (not through the relay).
    std::unique_ptr<ChatClient> person(const QString &user);
    /// Runs a room call of the core and waits for its answer; true on success.
    static bool expectOk(const std::function<void(QObject *, ChatClient::ResultCallback)> &call);
    /// Sends and waits until the server has it.
    static bool say(ChatClient &client, const QString &room, const QString &text);
    /// `creator` creates the public `room` and `joiner` joins it; both open it and see both members there.
    static bool shareRoom(ChatClient &creator, ChatClient &joiner, const QString &room);

    static bool waitConnected(const ChatClient &client, int timeoutMs = kTimeoutMs);
    /// Clicks the middle of a row of a list view.
    static void clickRow(QAbstractItemView *view, int row);
    /// Alt+letter mnemonics used twice among the visible controls and menu titles of a window (two
    /// controls on one letter make Alt+letter cycle instead of act), as "letter: text, text".
    static QStringList mnemonicClashes(QWidget *window);
    /// The row of a list model whose role equals value (case-insensitive for strings), -1 if none.
    static int findRow(const QAbstractItemModel *model, int role, const QVariant &value);
    /// Opens the member list's menu on `user` with Shift+F10, as the keyboard does (waiting for the member to be
    /// listed); null when it does not open.
    static QMenu *openMemberMenu(ChatPage &page, const QString &user);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Test::TestServer> m_server;
    std::unique_ptr<TcpProxy> m_proxy;
    MemoryCredentialStore m_store;
    MemoryCredentialStore m_peopleStore;
    int m_windows = 0;
};

} // namespace Tertulia::Testing
