// The client core against the real server: two (or three) real clients, a real ChatServer in this
// process, and a TCP relay between them that the tests cut. Whatever happens to the network or the
// server, every client must end with exactly the server's messages, in order, and an empty outbox.
#include "app/models/memberlistmodel.h"
#include "app/models/messagelistmodel.h"
#include "app/models/roomlistmodel.h"
#include "app/net/authclient.h"
#include "app/net/chatconnection.h"
#include "app/net/clock.h"
#include "app/session/chatclient.h"
#include "app/session/chatroom.h"
#include "app/session/connectionmanager.h"
#include "app/session/outbox.h"
#include "app/session/roomdirectory.h"
#include "app/storage/credentialstore.h"
#include "app/storage/memorycredentialstore.h"
#include "server/session/monotonicclock.h"
#include "support/printers.h"
#include "support/tcpproxy.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Protocol::ChatMessage;
using State = ConnectionManager::State;

Q_DECLARE_METATYPE(Tertulia::DisconnectInfo)

namespace {
constexpr int kTimeoutMs = 30000;
const QString kPassword = u"password123"_s;

/// One client app: a ChatClient with real connections, its own data directory and model testers.
struct App
{
    App(CredentialStore &store, const QString &dataDirectory)
        : client(store, SystemClock::instance(),
                 [] { return std::unique_ptr<Transport>(std::make_unique<ChatConnection>()); })
    {
        client.setDataDirectory(dataDirectory);
        // Short waits between attempts keep the test quick; the real schedule is unit-tested.
        client.connection()->setBackoff(Backoff({20ms, 400ms}));
        using Mode = QAbstractItemModelTester::FailureReportingMode;
        testers.push_back(std::make_unique<QAbstractItemModelTester>(client.roomListModel(), Mode::QtTest));
        testers.push_back(std::make_unique<QAbstractItemModelTester>(client.messageModel(), Mode::QtTest));
        testers.push_back(std::make_unique<QAbstractItemModelTester>(client.memberModel(), Mode::QtTest));
    }

    ChatClient client;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;

    State state() const { return client.connection()->state(); }
    ChatRoom *room(const QString &name) const { return client.rooms()->find(name); }
    /// Sends through the composer's path; false (with the reason logged) when refused.
    bool send(const QString &roomName, const QString &text)
    {
        const auto check = client.checkMessage(roomName, text);
        if (check != ChatClient::SendCheck::Ok) {
            qWarning() << client.user() << "cannot send to" << roomName << ":" << check;
            return false;
        }
        return client.sendMessage(roomName, text).has_value();
    }
};

QString describe(const QList<ChatMessage> &messages)
{
    QStringList lines;
    for (const ChatMessage &message : messages)
        lines << Protocol::describe(message);
    return lines.join(u'\n');
}
} // namespace

class TestEndToEnd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    /*! Two clients in one room see each other's messages, exactly the server's, in order. */
    void twoClientsConverge();
    /*! The network breaks (reset connections, then refused ones); both clients write meanwhile,
     *  a third writes on the server; after reconnect + resume everyone has exactly the server's
     *  messages and empty outboxes, including a send cut at the moment it left. */
    void networkCutAndSendWhileDisconnected();
    /*! The server stops (close 1001) and comes back on the same data; nothing is lost or doubled. */
    void serverRestart();
    /*! The app quits with unsent messages; the next start signs in from the saved token and sends
     *  them, once. */
    void outboxSurvivesAppRestart();
    /*! Account errors in plain codes: name taken, wrong password, unreachable. */
    void accountErrors();
    /*! Short-lived tokens refresh in-band and the stored refresh token follows; reusing an old one
     *  revokes the login and the client stops for good; sign-out deletes the stored token. */
    void tokenRotationAndRevocation();
    /*! A connection that silently stops carrying data is noticed by its pings and replaced. */
    void frozenConnectionIsReplaced();
    /*! RTT, traffic and server identity are measured on a live connection. */
    void healthIsMeasured();
    /*! The account's own settings from the client core: the device list names this app
     *  (ChatClient::deviceLabel()) and marks it current; a wrong current password is told apart; changing the
     *  password signs the other device out (it fails with LoginRevoked, its saved sign-in leaves the keychain,
     *  and it does not retry) while this one stays connected, and the new password signs in; signing one
     *  device out, and every other one, works the same way. */
    void accountSettings();
    /*! Deleting the account from one device signs every device of it out cleanly: accountDeleted, then
     *  signedOut, the saved sign-ins leave the keychain, unsent messages are discarded, no sign-out request
     *  is sent for logins that no longer exist, and the name cannot be registered again. */
    void accountDeletion();

    /*! Read markers follow the user (issue 12): alice reads general on one device and the unread badge on
        her other device clears; a device that signs in later starts with the room read; bob's is his own. */
    void readMarkersFollowTheUser();

private:
    std::unique_ptr<App> makeApp(const QString &name);
    /// Registers (first time) or signs in through the relay and waits for Connected.
    bool signUp(App &app, const QString &user);
    bool waitConnected(App &app, int timeoutMs = kTimeoutMs);
    /// Alice creates `general`, the others join, everyone opens it.
    void meetInGeneral(const QList<App *> &apps);
    /// Two signed-up users with `general` open.
    void aliceAndBobInGeneral(std::unique_ptr<App> &alice, std::unique_ptr<App> &bob);
    /// The room's messages as the server serves them to an independent client.
    QList<ChatMessage> serverMessages(const QString &room);
    /// Waits until every app shows exactly the server's messages and has nothing left to send.
    void expectConverged(const QList<App *> &apps, const QString &room, const QStringList &expectedTexts);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Test::TestServer> m_server;
    std::unique_ptr<TcpProxy> m_proxy;
    MemoryCredentialStore m_store;
    ServerAddress m_address;
    int m_apps = 0;
};

void TestEndToEnd::initTestCase() { QStandardPaths::setTestModeEnabled(true); }

void TestEndToEnd::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_server = std::make_unique<Test::TestServer>();
    m_proxy = std::make_unique<TcpProxy>();
    QVERIFY(m_proxy->start(m_server->server().port()));
    m_address = ServerAddress(u"127.0.0.1"_s, m_proxy->port(), false);
    m_store = MemoryCredentialStore();
}

void TestEndToEnd::cleanup()
{
    m_proxy.reset();
    m_server.reset();
    m_dir.reset();
}

std::unique_ptr<App> TestEndToEnd::makeApp(const QString &name)
{
    return std::make_unique<App>(m_store, m_dir->filePath(u"%1-%2"_s.arg(name).arg(++m_apps)));
}

bool TestEndToEnd::waitConnected(App &app, int timeoutMs)
{
    return QTest::qWaitFor([&app] { return app.state() == State::Connected; }, timeoutMs);
}

bool TestEndToEnd::signUp(App &app, const QString &user)
{
    QSignalSpy failed(&app.client, &ChatClient::signInFailed);
    app.client.createAccount(m_address, user, kPassword, true);
    if (!waitConnected(app)) {
        qWarning() << user << "did not connect:" << app.state()
                   << (failed.isEmpty() ? QString() : failed.first().first().value<AuthError>().message() + u" "_s + failed.first().first().value<AuthError>().detail);
        return false;
    }
    return true;
}

void TestEndToEnd::meetInGeneral(const QList<App *> &apps)
{
    std::optional<std::optional<Protocol::Error>> created;
    apps.first()->client.createRoom(u"general"_s, false, this, [&created](const auto &error) { created = error; });
    QTRY_VERIFY_WITH_TIMEOUT(created.has_value(), kTimeoutMs);
    QVERIFY2(!*created, qPrintable(Protocol::describe(**created)));
    for (App *app : apps.mid(1)) {
        std::optional<std::optional<Protocol::Error>> joined;
        app->client.joinRoom(u"general"_s, this, [&joined](const auto &error) { joined = error; });
        QTRY_VERIFY_WITH_TIMEOUT(joined.has_value(), kTimeoutMs);
        QVERIFY2(!*joined, qPrintable(Protocol::describe(**joined)));
    }
    for (App *app : apps) {
        app->client.setCurrentRoom(u"general"_s);
        QTRY_VERIFY_WITH_TIMEOUT(app->room(u"general"_s) && app->room(u"general"_s)->isLoaded(), kTimeoutMs);
    }
}

void TestEndToEnd::aliceAndBobInGeneral(std::unique_ptr<App> &alice, std::unique_ptr<App> &bob)
{
    alice = makeApp(u"alice"_s);
    bob = makeApp(u"bob"_s);
    QVERIFY(signUp(*alice, u"alice"_s));
    QVERIFY(signUp(*bob, u"bob"_s));
    meetInGeneral({alice.get(), bob.get()});
}

QList<ChatMessage> TestEndToEnd::serverMessages(const QString &room)
{
    const Protocol::TokenPair tokens = m_server->login(u"auditor"_s);
    Test::WsClient auditor;
    if (!auditor.openAndAuth(m_server->url(), tokens.accessToken))
        return {};
    auditor.request(Protocol::Request::join(auditor.nextId(), room));
    QList<ChatMessage> all;
    qint64 after = 0;
    for (int page = 0; page < 1000; ++page) {
        Protocol::HistoryParams params;
        params.room = room;
        params.after = after;
        params.limit = Protocol::kMaxHistoryPage;
        const Protocol::Reply reply = auditor.request(Protocol::Request::history(auditor.nextId(), params));
        auto parsed = Protocol::HistoryPage::fromJson(reply.data);
        if (!reply.isOk() || !std::holds_alternative<Protocol::HistoryPage>(parsed))
            break;
        const auto history = std::get<Protocol::HistoryPage>(parsed);
        all += history.messages;
        if (!history.hasMore || history.messages.isEmpty())
            break;
        after = history.messages.last().seq;
    }
    return all;
}

void TestEndToEnd::expectConverged(const QList<App *> &apps, const QString &room, const QStringList &expectedTexts)
{
    for (App *app : apps) {
        QVERIFY(waitConnected(*app));
        QTRY_VERIFY_WITH_TIMEOUT(app->client.outbox()->isEmpty(), kTimeoutMs);
    }
    const QList<ChatMessage> server = serverMessages(room);
    // Every text written exactly once on the server, none lost, none doubled.
    QStringList texts;
    for (const ChatMessage &message : server)
        texts << message.text;
    QStringList sortedTexts = texts;
    QStringList sortedExpected = expectedTexts;
    sortedTexts.sort();
    sortedExpected.sort();
    QCOMPARE(sortedTexts, sortedExpected);
    for (qsizetype i = 0; i < server.size(); ++i)
        QCOMPARE(server.at(i).seq, i + 1);

    for (App *app : apps) {
        ChatRoom *chatRoom = app->room(room);
        QVERIFY(chatRoom);
        // The client's timeline starts at the page it loaded first; scroll back to the beginning.
        for (int guard = 0; guard < 100 && chatRoom->hasOlder(); ++guard) {
            const qint64 first = chatRoom->firstLoadedSeq();
            app->client.loadOlderMessages(room);
            QTRY_VERIFY_WITH_TIMEOUT(chatRoom->firstLoadedSeq() < first, kTimeoutMs);
        }
        QTRY_COMPARE_WITH_TIMEOUT(chatRoom->messages().size(), server.size(), kTimeoutMs);
        QVERIFY2(chatRoom->messages() == server,
                 qPrintable(u"client:\n%1\nserver:\n%2"_s.arg(describe(chatRoom->messages()), describe(server))));
        QCOMPARE(chatRoom->pendingCount(), 0);
        QCOMPARE(app->client.messageModel()->rowCount(), int(server.size()));
        QCOMPARE(app->client.health()->outboxLength(), 0);
    }
}

void TestEndToEnd::twoClientsConverge()
{
    std::unique_ptr<App> alice;
    std::unique_ptr<App> bob;
    aliceAndBobInGeneral(alice, bob);
    if (QTest::currentTestFailed())
        return;

    QStringList written;
    for (int i = 0; i < 10; ++i) {
        App &app = i % 2 ? *bob : *alice;
        const QString text = u"%1 says %2 ¡ñ!"_s.arg(i % 2 ? u"bob"_s : u"alice"_s).arg(i);
        QVERIFY(app.send(u"general"_s, text));
        written << text;
    }
    QTRY_COMPARE_WITH_TIMEOUT(alice->client.memberModel()->rowCount(), 2, kTimeoutMs);
    expectConverged({alice.get(), bob.get()}, u"general"_s, written);
    QCOMPARE(bob->room(u"general"_s)->unreadCount(), 0); // bob is looking at it
}

void TestEndToEnd::networkCutAndSendWhileDisconnected()
{
    std::unique_ptr<App> alice;
    std::unique_ptr<App> bob;
    aliceAndBobInGeneral(alice, bob);
    if (QTest::currentTestFailed())
        return;
    QStringList written;
    for (const QString &text : {u"before 1"_s, u"before 2"_s}) {
        QVERIFY(alice->send(u"general"_s, text));
        written << text;
    }
    QTRY_VERIFY_WITH_TIMEOUT(alice->client.outbox()->isEmpty(), kTimeoutMs);

    // Carol writes straight to the server (not through the relay) while the others are cut off.
    const Protocol::TokenPair carolTokens = m_server->login(u"carol"_s);
    Test::WsClient carol;
    QVERIFY(carol.openAndAuth(m_server->url(), carolTokens.accessToken));
    QVERIFY(carol.request(Protocol::Request::join(carol.nextId(), u"general"_s)).isOk());

    // A send that leaves at the very moment the network dies: it may or may not have reached
    // the server; either way it must end up there exactly once.
    QVERIFY(alice->send(u"general"_s, u"racing the cut"_s));
    written << u"racing the cut"_s;
    m_proxy->setAccepting(false);
    m_proxy->cutAll();
    QTRY_VERIFY_WITH_TIMEOUT(alice->state() == State::Reconnecting && bob->state() == State::Reconnecting, kTimeoutMs);

    for (int i = 0; i < 3; ++i) {
        for (App *app : {alice.get(), bob.get()}) {
            const QString text = u"offline %1 from %2"_s.arg(i).arg(app->client.user());
            QVERIFY(app->send(u"general"_s, text));
            written << text;
        }
        const QString carolText = u"carol while they are away %1"_s.arg(i);
        QVERIFY(carol.request(Protocol::Request::send(carol.nextId(), {u"general"_s, carolText, u"carol-%1"_s.arg(i)})).isOk());
        written << carolText;
    }
    QVERIFY(alice->client.outbox()->unsentCount() >= 3);
    QCOMPARE(bob->client.outbox()->unsentCount(), 3);
    // Refused attempts keep coming while the relay refuses connections.
    QTRY_VERIFY_WITH_TIMEOUT(alice->client.connection()->attempt() >= 3, kTimeoutMs);

    m_proxy->setAccepting(true);
    expectConverged({alice.get(), bob.get()}, u"general"_s, written);
    for (App *app : {alice.get(), bob.get()}) {
        QVERIFY(app->client.health()->reconnectCount() >= 1);
        QVERIFY(app->client.health()->lastResume()->recovered());
        QCOMPARE(app->client.health()->lastResume()->rooms, 1);
        QVERIFY(app->client.health()->lastDisconnect().has_value());
    }
    // Bob missed alice's offline messages and carol's: the resume replayed them.
    QVERIFY(bob->client.health()->lastResume()->replayed >= 3);
}

void TestEndToEnd::serverRestart()
{
    std::unique_ptr<App> alice;
    std::unique_ptr<App> bob;
    aliceAndBobInGeneral(alice, bob);
    if (QTest::currentTestFailed())
        return;
    QStringList written{u"first"_s};
    QVERIFY(bob->send(u"general"_s, u"first"_s));
    QTRY_VERIFY_WITH_TIMEOUT(bob->client.outbox()->isEmpty(), kTimeoutMs);

    QSignalSpy aliceLost(alice->client.connection(), &ConnectionManager::connectionLost);
    m_server->server().stop(); // every session closes with 1001
    QTRY_VERIFY_WITH_TIMEOUT(!aliceLost.isEmpty(), kTimeoutMs);
    // The first loss is the server's goodbye; refused attempts follow while it is down.
    QCOMPARE(aliceLost.first().first().value<DisconnectInfo>().closeCode, 1001);
    QTRY_VERIFY_WITH_TIMEOUT(bob->state() == State::Reconnecting || bob->state() == State::Connecting, kTimeoutMs);
    for (App *app : {alice.get(), bob.get()}) {
        for (int i = 0; i < 2; ++i) {
            const QString text = u"%1 during the restart %2"_s.arg(app->client.user()).arg(i);
            QVERIFY(app->send(u"general"_s, text));
            written << text;
        }
    }
    QVERIFY(m_server->restart());
    expectConverged({alice.get(), bob.get()}, u"general"_s, written);
}

void TestEndToEnd::outboxSurvivesAppRestart()
{
    const QString dataDirectory = m_dir->filePath(u"alice-profile"_s);
    QStringList written;
    {
        App alice(m_store, dataDirectory);
        alice.client.connection()->setBackoff(Backoff({20ms, 400ms}));
        QVERIFY(signUp(alice, u"alice"_s));
        meetInGeneral({&alice});
        if (QTest::currentTestFailed())
            return;
        m_proxy->setAccepting(false);
        m_proxy->cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(alice.state() == State::Reconnecting, kTimeoutMs);
        for (const QString &text : {u"written offline"_s, u"and then the app quit"_s}) {
            QVERIFY(alice.send(u"general"_s, text));
            written << text;
        }
        QCOMPARE(alice.client.outbox()->unsentCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(alice.client.isRemembered(), kTimeoutMs);
    } // the app quits

    App again(m_store, dataDirectory);
    QSignalSpy unavailable(&again.client, &ChatClient::savedSignInUnavailable);
    again.client.resumeSavedSignIn(m_address, u"alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(again.client.outbox()->unsentCount(), 2, kTimeoutMs);
    QVERIFY(unavailable.isEmpty());
    // Still offline: the token refresh cannot reach the server, so it keeps trying by itself.
    QTRY_VERIFY_WITH_TIMEOUT(again.state() == State::Reconnecting, kTimeoutMs);
    m_proxy->setAccepting(true);
    QVERIFY(waitConnected(again));
    again.client.setCurrentRoom(u"general"_s);
    expectConverged({&again}, u"general"_s, written);
}

void TestEndToEnd::accountErrors()
{
    auto alice = makeApp(u"alice"_s);
    QVERIFY(signUp(*alice, u"alice"_s));
    auto other = makeApp(u"other"_s);
    QSignalSpy failed(&other->client, &ChatClient::signInFailed);
    other->client.createAccount(m_address, u"ALICE"_s, kPassword, false);
    QVERIFY(failed.wait(kTimeoutMs));
    QCOMPARE(failed.last().first().value<AuthError>().code, AuthError::Code::NameTaken);
    other->client.signIn(m_address, u"alice"_s, u"wrong password"_s, false);
    QVERIFY(failed.wait(kTimeoutMs));
    QCOMPARE(failed.last().first().value<AuthError>().code, AuthError::Code::WrongCredentials);
    other->client.createAccount(m_address, u"x"_s, kPassword, false);
    QVERIFY(failed.wait(kTimeoutMs));
    QCOMPARE(failed.last().first().value<AuthError>().code, AuthError::Code::InvalidName);
    m_proxy->setAccepting(false);
    m_proxy->cutAll(); // including the kept-alive HTTP connection
    other->client.signIn(m_address, u"alice"_s, kPassword, false);
    QVERIFY(failed.wait(kTimeoutMs));
    QCOMPARE(failed.last().first().value<AuthError>().code, AuthError::Code::ServerUnreachable);
    QVERIFY(!other->client.isSignedIn());
}

void TestEndToEnd::tokenRotationAndRevocation()
{
    m_proxy.reset();
    Test::TestServer shortLived([] {
        ServerConfig config = Test::TestServer::testConfig();
        config.accessTokenTtlSeconds = 3; // refreshed in-band 1 s before it expires
        return config;
    }());
    m_address = ServerAddress(u"127.0.0.1"_s, shortLived.server().port(), false);
    auto alice = makeApp(u"alice"_s);
    QSignalSpy rotated(alice->client.connection(), &ConnectionManager::credentialsChanged);
    QVERIFY(signUp(*alice, u"alice"_s));
    const QString key = CredentialStore::keyFor(m_address, u"alice"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_store.contains(key), kTimeoutMs);
    const QString firstRefresh = m_store.peek(key);

    QTRY_VERIFY_WITH_TIMEOUT(rotated.size() >= 2, kTimeoutMs);
    QCOMPARE(alice->state(), State::Connected);
    QCOMPARE(alice->client.health()->reconnectCount(), 0); // rotated on the open connection
    QTRY_COMPARE_WITH_TIMEOUT(m_store.peek(key), alice->client.connection()->credentials().refreshToken, kTimeoutMs);
    QVERIFY(m_store.peek(key) != firstRefresh);

    // Someone replays the spent first refresh token: the server revokes the whole login.
    AuthClient thief;
    std::optional<AuthResult<Protocol::TokenPair>> stolen;
    thief.refreshTokens(m_address, firstRefresh, this, [&stolen](const auto &result) { stolen = result; });
    QTRY_VERIFY_WITH_TIMEOUT(stolen.has_value(), kTimeoutMs);
    QVERIFY(std::holds_alternative<AuthError>(*stolen));
    QCOMPARE(std::get<AuthError>(*stolen).code, AuthError::Code::SessionExpired);
    QTRY_COMPARE_WITH_TIMEOUT(alice->state(), State::Failed, kTimeoutMs);
    QCOMPARE(alice->client.connection()->failure(), ConnectionManager::Failure::LoginRevoked);
    QTRY_VERIFY_WITH_TIMEOUT(!m_store.contains(key), kTimeoutMs); // a dead token is not kept
    const int attempts = alice->client.health()->connectionCount();
    QTest::qWait(1500); // no automatic retry after a revoked login, even after a while
    QCOMPARE(alice->state(), State::Failed);
    QCOMPARE(alice->client.health()->connectionCount(), attempts);

    // Sign in again, then sign out: the entry goes and the login is revoked on the server.
    alice->client.signIn(m_address, u"alice"_s, kPassword, true);
    QVERIFY(waitConnected(*alice));
    QTRY_VERIFY_WITH_TIMEOUT(m_store.contains(key), kTimeoutMs);
    const QString beforeSignOut = m_store.peek(key);
    QSignalSpy serverSignOut(&alice->client, &ChatClient::serverSignOutFinished);
    alice->client.signOut();
    QTRY_VERIFY_WITH_TIMEOUT(!m_store.contains(key), kTimeoutMs);
    QVERIFY(serverSignOut.wait(kTimeoutMs));
    QVERIFY2(serverSignOut.first().at(0).toBool(), qPrintable(serverSignOut.first().at(1).toString()));
    std::optional<AuthResult<Protocol::TokenPair>> afterSignOut;
    thief.refreshTokens(m_address, beforeSignOut, this, [&afterSignOut](const auto &result) { afterSignOut = result; });
    QTRY_VERIFY_WITH_TIMEOUT(afterSignOut.has_value(), kTimeoutMs);
    QVERIFY(std::holds_alternative<AuthError>(*afterSignOut));
    QCOMPARE(std::get<AuthError>(*afterSignOut).code, AuthError::Code::SessionExpired);
}

void TestEndToEnd::frozenConnectionIsReplaced()
{
    std::unique_ptr<App> alice;
    std::unique_ptr<App> bob;
    aliceAndBobInGeneral(alice, bob);
    if (QTest::currentTestFailed())
        return;
    ConnectionOptions options;
    options.pingInterval = 100ms;
    options.deadAfter = 700ms;
    for (App *app : {alice.get(), bob.get()}) {
        app->client.connection()->setOptions(options); // both pipes freeze below
        QTRY_VERIFY_WITH_TIMEOUT(app->client.health()->rttHistory().size() >= 2, kTimeoutMs);
    }

    QSignalSpy lost(alice->client.connection(), &ConnectionManager::connectionLost);
    m_proxy->freezeAll();
    QStringList written{u"into the void"_s};
    QVERIFY(alice->send(u"general"_s, written.first())); // sits in a frozen pipe
    QVERIFY(lost.wait(kTimeoutMs));
    const auto info = lost.first().first().value<DisconnectInfo>();
    QVERIFY(info.byClient);
    QCOMPARE(info.describe(), ConnectionManager::tr("No response from the server"));
    expectConverged({alice.get(), bob.get()}, u"general"_s, written);
}

void TestEndToEnd::healthIsMeasured()
{
    auto alice = makeApp(u"alice"_s);
    ConnectionOptions options;
    options.pingInterval = 100ms;
    alice->client.connection()->setOptions(options);
    QVERIFY(signUp(*alice, u"alice"_s));
    ConnectionHealth *health = alice->client.health();
    QTRY_VERIFY_WITH_TIMEOUT(health->rttHistory().size() >= 5, kTimeoutMs);
    const auto history = health->rttHistory();
    for (const auto &sample : history)
        QVERIFY2(sample.rttMs > 0 && sample.rttMs < 1000, qPrintable(QString::number(sample.rttMs)));
    QVERIFY(health->meanRtt().has_value());
    QVERIFY(*health->rttDeviation() >= 0);
    QCOMPARE(health->serverInfo().name, u"Test server"_s);
    QVERIFY(!health->serverInfo().version.isEmpty());
    QVERIFY(health->framesIn() >= 2);  // hello, list_rooms reply
    QVERIFY(health->framesOut() >= 1); // list_rooms
    QVERIFY(health->bytesIn() > health->framesIn());
    QVERIFY(!health->tls().isEncrypted());
    qInfo().noquote() << health->diagnostics();
}

namespace {
/// Runs an account call of the core and waits for its answer.
template<typename Result>
std::optional<Result> waitFor(const std::function<void(std::function<void(const Result &)>)> &call)
{
    std::optional<Result> result;
    call([&result](const Result &value) { result = value; });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, kTimeoutMs))
        qWarning() << "the account call did not answer";
    return result;
}
using Count = std::variant<int, Protocol::Error>;
using Devices = std::variant<QList<Protocol::DeviceInfo>, Protocol::Error>;
using Done = std::optional<Protocol::Error>;
} // namespace

void TestEndToEnd::accountSettings()
{
    MemoryCredentialStore phoneStore;
    auto laptop = makeApp(u"alice"_s);
    QVERIFY(signUp(*laptop, u"alice"_s));
    App phone(phoneStore, m_dir->filePath(u"alice-phone"_s));
    phone.client.signIn(m_address, u"alice"_s, kPassword, true);
    QVERIFY(waitConnected(phone));
    const QString key = CredentialStore::keyFor(m_address, u"alice"_s);
    QTRY_VERIFY_WITH_TIMEOUT(phoneStore.contains(key), kTimeoutMs);

    auto devices = waitFor<Devices>([&](auto done) { laptop->client.listDevices(this, done); });
    QVERIFY(devices && std::holds_alternative<QList<Protocol::DeviceInfo>>(*devices));
    QList<Protocol::DeviceInfo> list = std::get<QList<Protocol::DeviceInfo>>(*devices);
    QCOMPARE(list.size(), 2);
    QVERIFY(ChatClient::deviceLabel().startsWith(u"Tertulia "_s));
    for (const Protocol::DeviceInfo &device : list)
        QCOMPARE(device.label, ChatClient::deviceLabel());
    QCOMPARE(std::count_if(list.cbegin(), list.cend(), [](const auto &device) { return device.current; }), 1);
    const QString laptopId = Test::TestServer::loginOf(laptop->client.connection()->credentials().accessToken);
    QVERIFY(std::any_of(list.cbegin(), list.cend(), [&](const auto &d) { return d.current && d.id == laptopId; }));

    auto wrong = waitFor<Count>([&](auto done) { laptop->client.changePassword(u"not it at all"_s, u"brand new one"_s, this, done); });
    QVERIFY(wrong && std::holds_alternative<Protocol::Error>(*wrong));
    QCOMPARE(std::get<Protocol::Error>(*wrong).code, Protocol::ErrorCode::WrongPassword);
    auto tooShort = waitFor<Count>([&](auto done) { laptop->client.changePassword(kPassword, u"short"_s, this, done); });
    QCOMPARE(std::get<Protocol::Error>(*tooShort).code, Protocol::ErrorCode::BadRequest);
    m_server->server().clock().skip(2000); // past the wait the wrong password earned

    auto changed = waitFor<Count>([&](auto done) { laptop->client.changePassword(kPassword, u"brand new one"_s, this, done); });
    QVERIFY(changed && std::holds_alternative<int>(*changed));
    QCOMPARE(std::get<int>(*changed), 1);
    QTRY_COMPARE_WITH_TIMEOUT(phone.state(), State::Failed, kTimeoutMs);
    QCOMPARE(phone.client.connection()->failure(), ConnectionManager::Failure::LoginRevoked);
    QTRY_VERIFY_WITH_TIMEOUT(!phoneStore.contains(key), kTimeoutMs);
    QCOMPARE(laptop->state(), State::Connected);

    // The phone signs in with the new password; then the laptop signs it out, alone and with the others.
    phone.client.signIn(m_address, u"alice"_s, u"brand new one"_s, true);
    QVERIFY(waitConnected(phone));
    const QString phoneId = Test::TestServer::loginOf(phone.client.connection()->credentials().accessToken);
    auto revoked = waitFor<Done>([&](auto done) { laptop->client.revokeDevice(phoneId, this, done); });
    QVERIFY(revoked && !revoked->has_value());
    QTRY_COMPARE_WITH_TIMEOUT(phone.state(), State::Failed, kTimeoutMs);
    auto missing = waitFor<Done>([&](auto done) { laptop->client.revokeDevice(phoneId, this, done); });
    QCOMPARE(missing->value().code, Protocol::ErrorCode::NotFound);

    phone.client.signIn(m_address, u"alice"_s, u"brand new one"_s, true);
    QVERIFY(waitConnected(phone));
    auto others = waitFor<Count>([&](auto done) { laptop->client.revokeOtherDevices(this, done); });
    QCOMPARE(std::get<int>(*others), 1);
    QTRY_COMPARE_WITH_TIMEOUT(phone.state(), State::Failed, kTimeoutMs);
    QCOMPARE(phone.client.connection()->failure(), ConnectionManager::Failure::LoginRevoked);
    devices = waitFor<Devices>([&](auto done) { laptop->client.listDevices(this, done); });
    QCOMPARE(std::get<QList<Protocol::DeviceInfo>>(*devices).size(), 1);
    QCOMPARE(laptop->state(), State::Connected);

    // Offline, the requests say so instead of waiting.
    m_proxy->setAccepting(false);
    m_proxy->cutAll();
    QTRY_VERIFY_WITH_TIMEOUT(laptop->state() != State::Connected, kTimeoutMs);
    auto offline = waitFor<Devices>([&](auto done) { laptop->client.listDevices(this, done); });
    QCOMPARE(std::get<Protocol::Error>(*offline).code, Protocol::ErrorCode::Unavailable);
}

void TestEndToEnd::accountDeletion()
{
    MemoryCredentialStore phoneStore;
    auto laptop = makeApp(u"alice"_s);
    QVERIFY(signUp(*laptop, u"alice"_s));
    App phone(phoneStore, m_dir->filePath(u"alice-phone"_s));
    phone.client.signIn(m_address, u"alice"_s, kPassword, true);
    QVERIFY(waitConnected(phone));
    const QString key = CredentialStore::keyFor(m_address, u"alice"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_store.contains(key) && phoneStore.contains(key), kTimeoutMs);
    std::optional<Done> created;
    phone.client.createRoom(u"general"_s, false, this, [&created](const Done &error) { created = error; });
    QTRY_VERIFY_WITH_TIMEOUT(created.has_value(), kTimeoutMs);
    // A message the phone cannot send before the account goes: it must not wait for a next sign-in.
    m_proxy->setAccepting(false);
    m_proxy->cutAll();
    QTRY_VERIFY_WITH_TIMEOUT(phone.state() != State::Connected && laptop->state() != State::Connected, kTimeoutMs);
    QVERIFY(phone.send(u"general"_s, u"never sent"_s));
    QCOMPARE(phone.client.outbox()->unsentCount(), 1);
    // The laptop comes back first (direct to the server); the phone stays cut off until the account is gone.
    m_address = ServerAddress(u"127.0.0.1"_s, m_server->server().port(), false);
    laptop->client.signIn(m_address, u"alice"_s, kPassword, true);
    QVERIFY(waitConnected(*laptop));

    QSignalSpy laptopDeleted(&laptop->client, &ChatClient::accountDeleted);
    QSignalSpy laptopOut(&laptop->client, &ChatClient::signedOut);
    QSignalSpy laptopServerSignOut(&laptop->client, &ChatClient::serverSignOutFinished);
    QSignalSpy phoneDeleted(&phone.client, &ChatClient::accountDeleted);
    auto wrong = waitFor<Done>([&](auto done) { laptop->client.deleteAccount(u"not it at all"_s, this, done); });
    QCOMPARE(wrong->value().code, Protocol::ErrorCode::WrongPassword);
    QVERIFY(laptopDeleted.isEmpty());
    m_server->server().clock().skip(2000);

    auto deleted = waitFor<Done>([&](auto done) { laptop->client.deleteAccount(kPassword, this, done); });
    QVERIFY(deleted && !deleted->has_value());
    QTRY_COMPARE_WITH_TIMEOUT(laptopOut.size(), 1, kTimeoutMs);
    QCOMPARE(laptopDeleted.size(), 1);
    QVERIFY(!laptop->client.isSignedIn());
    QCOMPARE(laptop->state(), State::Disconnected);
    QTRY_VERIFY_WITH_TIMEOUT(!m_store.contains(CredentialStore::keyFor(m_address, u"alice"_s)), kTimeoutMs);
    QTest::qWait(200); // a sign-out request would have answered by now
    QVERIFY(laptopServerSignOut.isEmpty());

    // The phone comes back to a deleted account: signed out too, its unsent message discarded.
    m_proxy->setAccepting(true);
    phone.client.connection()->retryNow();
    QTRY_COMPARE_WITH_TIMEOUT(phoneDeleted.size() + int(!phone.client.isSignedIn()), 2, kTimeoutMs);
    QVERIFY(!phoneStore.contains(key));
    QCOMPARE(phone.client.outbox()->unsentCount(), 0);

    auto again = makeApp(u"alice"_s);
    QSignalSpy failed(&again->client, &ChatClient::signInFailed);
    again->client.createAccount(m_address, u"alice"_s, kPassword, false);
    QVERIFY(failed.wait(kTimeoutMs));
    QCOMPARE(failed.last().first().value<AuthError>().code, AuthError::Code::NameTaken);
}


void TestEndToEnd::readMarkersFollowTheUser()
{
    std::unique_ptr<App> alice;
    std::unique_ptr<App> bob;
    aliceAndBobInGeneral(alice, bob);
    if (QTest::currentTestFailed())
        return;
    alice->client.setCurrentRoom({}); // alice looks away on her first device
    auto alice2 = makeApp(u"alice"_s);
    alice2->client.signIn(m_address, u"alice"_s, kPassword, true);
    QVERIFY(waitConnected(*alice2));
    QTRY_VERIFY_WITH_TIMEOUT(alice2->room(u"general"_s), kTimeoutMs);

    bob->client.setCurrentRoom({});
    for (int i = 0; i < 3; ++i)
        QVERIFY(alice2->send(u"general"_s, u"from alice's second device %1"_s.arg(i)));
    // Stored first (seqs 1-3): writing there means having read up to there, on every device of alice's.
    QTRY_VERIFY_WITH_TIMEOUT(alice2->client.outbox()->isEmpty(), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(alice->room(u"general"_s)->readSeq(), 3, kTimeoutMs);
    // The server hears of it within the coalescing second (a client of alice's own asks it).
    Test::WsClient probe;
    QVERIFY(probe.openAndAuth(m_server->url(), m_server->login(u"alice"_s).accessToken));
    const auto serverMarker = [&probe] {
        const Protocol::Reply reply = probe.request(Protocol::Request::listRooms(probe.nextId()));
        const auto list = Protocol::RoomListResult::fromJson(reply.data);
        const auto *rooms = std::get_if<Protocol::RoomListResult>(&list);
        return rooms && !rooms->rooms.isEmpty() ? rooms->rooms.first().readSeq : -1;
    };
    QTRY_COMPARE_WITH_TIMEOUT(serverMarker(), 3, kTimeoutMs);
    for (int i = 0; i < 3; ++i)
        QVERIFY(bob->send(u"general"_s, u"bob %1"_s.arg(i)));
    for (App *app : {alice.get(), alice2.get(), bob.get()})
        QTRY_COMPARE_WITH_TIMEOUT(app->room(u"general"_s)->lastSeq(), 6, kTimeoutMs);
    QCOMPARE(alice->room(u"general"_s)->unreadCount(), 3); // bob's
    QCOMPARE(alice2->room(u"general"_s)->unreadCount(), 3);
    QCOMPARE(bob->room(u"general"_s)->unreadCount(), 0); // he wrote the last ones
    QCOMPARE(bob->room(u"general"_s)->readSeq(), 6);
    // A device that signs in now (nothing saved: a room met just now would count as read) learns the
    // marker where it learns its rooms: bob's three are unread there too.
    auto alice3 = makeApp(u"alice"_s);
    alice3->client.signIn(m_address, u"alice"_s, kPassword, true);
    QVERIFY(waitConnected(*alice3));
    QTRY_VERIFY_WITH_TIMEOUT(alice3->room(u"general"_s), kTimeoutMs);
    QCOMPARE(alice3->room(u"general"_s)->lastSeq(), 6);
    QCOMPARE(alice3->room(u"general"_s)->unreadCount(), 3);

    // Alice reads general on her first device: the second one's badge clears (within the coalescing second).
    alice->client.setCurrentRoom(u"general"_s);
    QCOMPARE(alice->room(u"general"_s)->unreadCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(alice2->room(u"general"_s)->unreadCount(), 0, kTimeoutMs);
    QCOMPARE(alice2->room(u"general"_s)->readSeq(), 6);
    QCOMPARE(alice2->client.rooms()->totalUnread(), 0);
    QCOMPARE(serverMarker(), 6);
    QTRY_COMPARE_WITH_TIMEOUT(alice3->room(u"general"_s)->unreadCount(), 0, kTimeoutMs);
    // Private: bob's marker is his own (he read up to his own last message, and alice's reading says nothing
    // about his).
    QCOMPARE(bob->room(u"general"_s)->readSeq(), 6);
}

QTEST_GUILESS_MAIN(TestEndToEnd)
#include "tst_endtoend.moc"

