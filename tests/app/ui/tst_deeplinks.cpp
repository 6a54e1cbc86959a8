// tertulia://host:port/room links end to end, against a real TLS server in this process (behind the
// fixture's relay): a first launch with a link signs in (silently when remembered, else on the sign-in
// screen) and opens the room, joining a public one; a later launch hands the link over a real local
// socket (SingleInstance) to the running window, which opens the room; a room that does not exist or is
// private says so, and the window keeps its room; a link to another server does not end the session;
// what is not a launch's arguments is refused on the socket.
#include "uifixture.h"

#include "app/hosting/hostcertificate.h"
#include "app/net/certificatetrust.h"
#include "app/net/serverlink.h"
#include "app/session/roomdirectory.h"
#include "app/ui/certificatedialog.h"
#include "app/ui/chatpage.h"
#include "app/ui/launchoptions.h"
#include "app/ui/signinpage.h"
#include "app/ui/singleinstance.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtNetwork/QLocalSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

#include <chrono>
#include <future>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
constexpr int kTimeoutMs = UiFixture::kTimeoutMs;

HostCertificate makeCertificate(const QString &dir)
{
    auto made = HostCertificate::loadOrCreate(dir, HostCertificate::requestFor(u"localhost"_s, {}));
    if (std::holds_alternative<HostCertificateError>(made))
        qFatal("%s", qPrintable(std::get<HostCertificateError>(made).message));
    return std::get<HostCertificate>(made);
}

QString currentRoom(const MainWindow &window)
{
    const ChatRoom *room = window.client()->currentRoom();
    return room ? room->name() : QString();
}

bool isJoined(const MainWindow &window, const QString &name)
{
    const ChatRoom *room = window.client()->rooms()->find(name);
    return room && room->isJoined();
}

LaunchOptions parsed(const QStringList &arguments)
{
    const auto result = LaunchOptions::parse(arguments);
    if (const auto *error = std::get_if<QString>(&result))
        qFatal("%s", qPrintable(*error));
    return std::get<LaunchOptions>(result);
}
} // namespace

class TestDeepLinks : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_certificate = std::make_unique<HostCertificate>(makeCertificate(m_certificateDir.path()));
    }

    void init()
    {
        ServerConfig config = Test::TestServer::testConfig();
        config.tlsCertFile = m_certificate->certificateFile();
        config.tlsKeyFile = m_certificate->keyFile();
        m_fixture = std::make_unique<UiFixture>(config);
        m_fixture->server().login(u"ana"_s, UiFixture::kPassword); // registers
        // Bob made the rooms: ana is in none of them.
        m_bob = m_fixture->person(u"bob"_s);
        QVERIFY(m_bob->isSignedIn());
        const std::pair<QString, bool> rooms[] = {{u"lobby"_s, false}, {u"general"_s, false}, {u"backroom"_s, true}};
        for (const auto &room : rooms) {
            QVERIFY(UiFixture::expectOk([this, &room](QObject *context, ChatClient::ResultCallback done) {
                m_bob->createRoom(room.first, room.second, context, std::move(done));
            }));
        }
    }

    void cleanup()
    {
        m_bob.reset();
        m_fixture.reset();
    }

    /*! A first launch with a link: the sign-in screen has the link's server (and expects its certificate:
        no question); once ana signs in, the public room she was not in is joined and open. */
    void firstLaunchSignsInAndJoinsTheRoom()
    {
        auto window = m_fixture->openWindow();
        window->start(parsed({u"tertulia"_s, link(u"lobby"_s)}));
        QVERIFY(!window->isShowingChat());
        QCOMPARE(window->signInPage()->serverBox()->currentText(), webUrl());
        QTest::keyClicks(window->signInPage()->userEdit(), u"ana"_s);
        QTest::keyClicks(window->signInPage()->passwordEdit(), UiFixture::kPassword);
        QTest::mouseClick(window->signInPage()->signInButton(), Qt::LeftButton);

        QTRY_COMPARE_WITH_TIMEOUT(currentRoom(*window), u"lobby"_s, kTimeoutMs);
        QVERIFY(isJoined(*window, u"lobby"_s));
        QVERIFY(!isJoined(*window, u"general"_s)); // only the link's room
        QVERIFY(window->isShowingChat());
        QVERIFY(!window->certificateDialog());
        QCOMPARE(window->client()->certificateTrust()->pin(m_fixture->address())->source, PinSource::Link);
        QTRY_VERIFY(window->windowTitle().contains(u"#lobby"_s));
    }

    /*! A remembered sign-in: a new start with a link signs in without the sign-in screen and opens the
        link's room, not the room the app would reopen by itself (the last one). */
    void rememberedSignInOpensTheLinkedRoom()
    {
        const QString profile = u"remembered"_s;
        {
            auto window = m_fixture->reopenWindow(profile);
            UiFixture::typeSignIn(*window, webUrl(), u"ana"_s, UiFixture::kPassword);
            QVERIFY(UiFixture::waitConnected(*window->client()));
            for (const QString &room : {u"lobby"_s, u"general"_s}) {
                QVERIFY(UiFixture::expectOk([&](QObject *context, ChatClient::ResultCallback done) {
                    window->client()->joinRoom(room, context, std::move(done));
                }));
            }
            window->client()->setCurrentRoom(u"general"_s);
            QTRY_VERIFY(m_fixture->store().contains(CredentialStore::keyFor(m_fixture->address(), u"ana"_s)));
        }
        {
            // Without a link the app goes back to #general...
            auto window = m_fixture->reopenWindow(profile);
            window->start(LaunchOptions{});
            QTRY_COMPARE_WITH_TIMEOUT(currentRoom(*window), u"general"_s, kTimeoutMs);
        }
        {
            // ...with one, to the link's room, signing in by itself.
            auto window = m_fixture->reopenWindow(profile);
            window->start(parsed({u"tertulia"_s, link(u"lobby"_s)}));
            QVERIFY(UiFixture::waitConnected(*window->client()));
            QCOMPARE(window->client()->user(), u"ana"_s);
            QTRY_COMPARE_WITH_TIMEOUT(currentRoom(*window), u"lobby"_s, kTimeoutMs);
            QVERIFY(window->isShowingChat());
        }
    }

    /*! A later launch hands its link over the local socket to the window on the sign-in screen: the
        server is filled in, and signing in opens the room. */
    void secondLaunchOnTheSignInScreen()
    {
        auto window = m_fixture->openWindow();
        window->start(LaunchOptions{});
        SingleInstance instance;
        const QString name = instanceName();
        QVERIFY(instance.listen(name));
        connect(&instance, &SingleInstance::argumentsReceived, window.get(), &MainWindow::handleSecondLaunch);

        QVERIFY(handOver(name, {u"tertulia"_s, u"--profile"_s, u"p"_s, link(u"lobby"_s)}));
        QTRY_COMPARE(window->signInPage()->serverBox()->currentText(), webUrl());
        QTest::keyClicks(window->signInPage()->userEdit(), u"ana"_s);
        QTest::keyClicks(window->signInPage()->passwordEdit(), UiFixture::kPassword);
        QTest::mouseClick(window->signInPage()->signInButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(currentRoom(*window), u"lobby"_s, kTimeoutMs);
        QVERIFY(isJoined(*window, u"lobby"_s));
    }

    /*! Signed in, a later launch's link to a room of the same server opens it (joining it), and the
        session goes on: no new sign-in. */
    void secondLaunchWhileSignedIn()
    {
        auto window = signedInWindowIn(u"general"_s);
        SingleInstance instance;
        const QString name = instanceName();
        QVERIFY(instance.listen(name));
        connect(&instance, &SingleInstance::argumentsReceived, window.get(), &MainWindow::handleSecondLaunch);
        QSignalSpy signedIn(window->client(), &ChatClient::signedIn);

        QVERIFY(handOver(name, {u"tertulia"_s, link(u"lobby"_s)}));
        QTRY_COMPARE_WITH_TIMEOUT(currentRoom(*window), u"lobby"_s, kTimeoutMs);
        QVERIFY(isJoined(*window, u"lobby"_s));
        QVERIFY(window->isShowingChat());
        QCOMPARE(signedIn.count(), 0);

        // A room already joined opens at once, the same way.
        QVERIFY(handOver(name, {u"tertulia"_s, link(u"general"_s)}));
        QTRY_COMPARE_WITH_TIMEOUT(currentRoom(*window), u"general"_s, kTimeoutMs);
    }

    void roomThatCannotBeOpened_data()
    {
        QTest::addColumn<QString>("room");
        QTest::newRow("no such room") << u"nowhere"_s;
        QTest::newRow("private, not invited") << u"backroom"_s;
    }

    /*! A link to a room that does not exist, or to a private room ana was not invited to: the notice says
        the room cannot be opened and why; she stays in her room and joins nothing. */
    void roomThatCannotBeOpened()
    {
        QFETCH(QString, room);
        auto window = signedInWindowIn(u"general"_s);
        SingleInstance instance;
        const QString name = instanceName();
        QVERIFY(instance.listen(name));
        connect(&instance, &SingleInstance::argumentsReceived, window.get(), &MainWindow::handleSecondLaunch);

        QVERIFY(handOver(name, {u"tertulia"_s, link(room)}));
        QLabel *notice = window->chatPage()->noticeLabel();
        QTRY_VERIFY_WITH_TIMEOUT(notice->isVisible(), kTimeoutMs);
        QVERIFY2(notice->text().contains(u"#%1 cannot be opened"_s.arg(room)), qPrintable(notice->text()));
        QVERIFY2(notice->text().contains(u"There is no room with that name, or it is private and you were not invited"_s),
                 qPrintable(notice->text()));
        QCOMPARE(currentRoom(*window), u"general"_s);
        QVERIFY(!isJoined(*window, room));
        QVERIFY(window->client()->isSignedIn());
    }

    /*! The same failure on a first launch: signed in, the notice says why, no room is forced open. */
    void firstLaunchWithARoomThatDoesNotExist()
    {
        auto window = m_fixture->openWindow();
        window->start(parsed({u"tertulia"_s, link(u"nowhere"_s)}));
        QTest::keyClicks(window->signInPage()->userEdit(), u"ana"_s);
        QTest::keyClicks(window->signInPage()->passwordEdit(), UiFixture::kPassword);
        QTest::mouseClick(window->signInPage()->signInButton(), Qt::LeftButton);
        QLabel *notice = window->chatPage()->noticeLabel();
        QTRY_VERIFY_WITH_TIMEOUT(notice->isVisible(), kTimeoutMs);
        QVERIFY2(notice->text().contains(u"#nowhere cannot be opened"_s), qPrintable(notice->text()));
        QVERIFY(window->isShowingChat());
        QCOMPARE(currentRoom(*window), QString());
    }

    /*! Signed in to this server, a link to another one does not sign her out: the notice says which
        server the link is for and how to open it. */
    void linkToAnotherServerWhileSignedIn()
    {
        auto window = signedInWindowIn(u"general"_s);
        SingleInstance instance;
        const QString name = instanceName();
        QVERIFY(instance.listen(name));
        connect(&instance, &SingleInstance::argumentsReceived, window.get(), &MainWindow::handleSecondLaunch);

        QVERIFY(handOver(name, {u"tertulia"_s, u"tertulia://192.0.2.7:7500/lobby"_s}));
        QLabel *notice = window->chatPage()->noticeLabel();
        QTRY_VERIFY_WITH_TIMEOUT(notice->isVisible(), kTimeoutMs);
        QVERIFY2(notice->text().contains(u"192.0.2.7:7500"_s), qPrintable(notice->text()));
        QVERIFY(notice->text().contains(m_fixture->address().id()));
        QCOMPARE(window->client()->server(), m_fixture->address());
        QCOMPARE(currentRoom(*window), u"general"_s);
    }

    /*! The local socket takes only a launch's arguments: anything else is answered '0' and never reaches
        the window; a line longer than any command line is cut off. A launch then still hands over. */
    void socketRefusesWhatIsNotALaunch()
    {
        SingleInstance instance;
        const QString name = instanceName();
        QVERIFY(instance.listen(name));
        QSignalSpy received(&instance, &SingleInstance::argumentsReceived);

        for (const QByteArray &line : {"not json\n"_ba, "{\"a\":1}\n"_ba, "[]\n"_ba, "[\"tertulia\",7]\n"_ba}) {
            QLocalSocket socket;
            socket.connectToServer(name);
            QVERIFY(socket.waitForConnected(kTimeoutMs));
            socket.write(line);
            QTRY_VERIFY(socket.bytesAvailable() > 0);
            QCOMPARE(socket.read(1), "0"_ba);
        }
        {
            QLocalSocket socket;
            socket.connectToServer(name);
            QVERIFY(socket.waitForConnected(kTimeoutMs));
            socket.write(QByteArray(100 * 1024, '['));
            QTRY_COMPARE(socket.state(), QLocalSocket::UnconnectedState);
        }
        QCOMPARE(received.count(), 0);

        const QStringList launch{u"tertulia"_s, link(u"lobby"_s)};
        QVERIFY(handOver(name, launch));
        QTRY_COMPARE(received.count(), 1);
        QCOMPARE(received.first().first().toStringList(), launch);
    }

    /*! Nobody listening: the hand-over says so at once (this launch is then the first). */
    void handOverWithoutARunningInstance()
    {
        QVERIFY(!SingleInstance::handOver(instanceName(), {u"tertulia"_s}));
    }

private:
    QString webUrl() const { return ServerLink{m_fixture->address(), m_fixture->fingerprint(), {}}.webUrl().toString(); }
    QString link(const QString &room) const
    {
        return ServerLink{m_fixture->address(), m_fixture->fingerprint(), room}.appUrl().toString();
    }

    /// A fresh socket name per test: tests run in parallel with other test binaries.
    static QString instanceName()
    {
        return SingleInstance::nameFor(u"deeplinks-"_s + QUuid::createUuid().toString(QUuid::Id128));
    }

    /// SingleInstance::handOver() blocks, as a second launch does before it has a window: run it in its
    /// own thread, as in its own process, while this thread's loop lets the window answer.
    static bool handOver(const QString &name, const QStringList &arguments)
    {
        auto result = std::async(std::launch::async, [name, arguments] { return SingleInstance::handOver(name, arguments); });
        if (!QTest::qWaitFor([&result] { return result.wait_for(0s) == std::future_status::ready; }, kTimeoutMs))
            return false;
        return result.get();
    }

    /// Ana signed in (through the link's web address: pinned, no question), in `room`.
    std::unique_ptr<MainWindow> signedInWindowIn(const QString &room)
    {
        auto window = m_fixture->openWindow();
        window->start(LaunchOptions{});
        UiFixture::typeSignIn(*window, webUrl(), u"ana"_s, UiFixture::kPassword);
        if (!UiFixture::waitConnected(*window->client()))
            return window;
        if (!UiFixture::expectOk([&](QObject *context, ChatClient::ResultCallback done) {
                window->client()->joinRoom(room, context, std::move(done));
            }))
            return window;
        window->client()->setCurrentRoom(room);
        return window;
    }

    QTemporaryDir m_certificateDir;
    std::unique_ptr<HostCertificate> m_certificate;
    std::unique_ptr<UiFixture> m_fixture;
    std::unique_ptr<ChatClient> m_bob;
};

QTEST_MAIN(TestDeepLinks)
#include "tst_deeplinks.moc"
