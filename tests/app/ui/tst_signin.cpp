// The sign-in screen against a real server, driven with key and mouse events: signing in, every
// error in plain words, the keychain notice, signing in again after a restart, and --connect.
#include "uifixture.h"

#include "app/session/connectionmanager.h"
#include "app/storage/credentialstore.h"
#include "app/storage/serverlist.h"
#include "app/ui/chatpage.h"
#include "app/ui/connectionindicator.h"
#include "app/ui/launchoptions.h"
#include "app/ui/signinpage.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QStandardPaths>
#include <QtTest/QTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using State = ConnectionManager::State;

class TestSignIn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { m_fixture = std::make_unique<UiFixture>(); }
    void cleanup() { m_fixture.reset(); }

    /*! Typing the server, name and password and clicking Sign in opens the chat, connected; the server
     *  is remembered with the user. */
    void signInWithMouse();
    /*! The keyboard alone: Tab between fields and Enter in the password field signs in. */
    void signInWithKeyboard();
    /*! Create account asks for the password twice (a difference is refused before asking the server),
     *  then registers and signs in. */
    void createAccount();
    /*! Wrong password, server unreachable, name taken, registration closed and a bad address each
     *  show a plain sentence, and the screen stays for another try. */
    void errorsInPlainWords();
    /*! Without a keychain the chat says the sign-in lasts only until the app quits. */
    void noKeychainNotice();
    /*! A keychain that does not answer is reported within seconds, not when D-Bus gives up; if it
     *  answers after all, the notice goes. */
    void slowKeychainNotice();
    /*! A remembered sign-in comes back silently when the app starts again; after signing out it
     *  does not. */
    void rememberedAcrossRestart();
    /*! --connect URL opens the sign-in screen with that server filled in. */
    void connectOption();

private:
    std::unique_ptr<UiFixture> m_fixture;
};

void TestSignIn::signInWithMouse()
{
    auto window = m_fixture->openWindow();
    QVERIFY(!window->isShowingChat());
    m_fixture->server().login(u"alice"_s, UiFixture::kPassword);
    UiFixture::typeSignIn(*window, m_fixture->address().id(), u"alice"_s, UiFixture::kPassword);
    QVERIFY(UiFixture::waitConnected(*window->client()));
    QVERIFY(window->isShowingChat());
    QCOMPARE(window->client()->user(), u"alice"_s);
    QTRY_VERIFY(window->connectionIndicator()->text().startsWith(ConnectionManager::stateName(State::Connected)));
    const auto remembered = window->serverList()->last();
    QVERIFY(remembered);
    QCOMPARE(remembered->address, m_fixture->address());
    QCOMPARE(remembered->lastUser, u"alice"_s);
    QTRY_COMPARE(window->serverList()->last()->displayName, u"Test server"_s); // from the server's hello
    QVERIFY(window->signInPage()->passwordEdit()->text().isEmpty()); // not kept around
}

void TestSignIn::signInWithKeyboard()
{
    auto window = m_fixture->openWindow();
    m_fixture->server().login(u"bob"_s, UiFixture::kPassword);
    SignInPage *page = window->signInPage();
    page->serverBox()->setFocus();
    QTRY_VERIFY(page->serverBox()->hasFocus());
    QTest::keyClicks(QApplication::focusWidget(), m_fixture->address().id());
    // Tab goes to the user field next (the LAN list is hidden without hosts).
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), page->userEdit());
    QTest::keyClicks(QApplication::focusWidget(), u"bob"_s);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), page->passwordEdit());
    QTest::keyClicks(QApplication::focusWidget(), UiFixture::kPassword);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Return);
    QVERIFY(UiFixture::waitConnected(*window->client()));
    QVERIFY(window->isShowingChat());
}

void TestSignIn::createAccount()
{
    auto window = m_fixture->openWindow();
    SignInPage *page = window->signInPage();
    QVERIFY(!page->confirmEdit()->isVisible());
    QTest::keyClicks(page->serverBox()->lineEdit(), m_fixture->address().id());
    QTest::keyClicks(page->userEdit(), u"carmen"_s);
    QTest::keyClicks(page->passwordEdit(), UiFixture::kPassword);
    QTest::mouseClick(page->createAccountButton(), Qt::LeftButton);
    QTRY_VERIFY(page->confirmEdit()->isVisible());
    QCOMPARE(QApplication::focusWidget(), page->confirmEdit());
    QVERIFY(!window->client()->isSignedIn());
    QTest::keyClicks(page->confirmEdit(), u"password12"_s); // one character short
    QTest::keyClick(page->confirmEdit(), Qt::Key_Return);
    QTRY_VERIFY(page->errorLabel()->isVisible());
    QVERIFY(page->errorLabel()->text().startsWith(u"The two passwords are not the same."_s));
    QVERIFY(!window->client()->isSignedIn());
    QTest::keyClick(page->confirmEdit(), Qt::Key_3); // correcting it takes the error away
    QVERIFY(!page->errorLabel()->isVisible());
    page->serverBox()->lineEdit()->clear();
    page->userEdit()->clear();
    page->passwordEdit()->clear();

    UiFixture::typeSignIn(*window, m_fixture->address().id(), u"carmen"_s, UiFixture::kPassword, true);
    QVERIFY(UiFixture::waitConnected(*window->client()));
    QCOMPARE(window->client()->user(), u"carmen"_s);
}

void TestSignIn::errorsInPlainWords()
{
    auto window = m_fixture->openWindow();
    SignInPage *page = window->signInPage();
    QLabel *error = page->errorLabel();
    m_fixture->server().login(u"alice"_s, UiFixture::kPassword);
    const QString server = m_fixture->address().id();

    const auto expectError = [&](const QString &expectedStart) {
        const bool shown = QTest::qWaitFor([&] { return error->isVisible() && page->signInButton()->isEnabled(); },
                                           UiFixture::kTimeoutMs);
        QVERIFY2(shown, qPrintable(u"expected “%1…”, the error line says “%2”"_s.arg(expectedStart, error->text())));
        QVERIFY2(error->text().startsWith(expectedStart), qPrintable(error->text()));
        QVERIFY(!window->isShowingChat());
        QVERIFY(!window->client()->isSignedIn());
    };

    UiFixture::typeSignIn(*window, server, u"alice"_s, u"wrong-password"_s);
    expectError(AuthError{AuthError::Code::WrongCredentials, {}}.message());
    QCOMPARE(QApplication::focusWidget(), page->passwordEdit()); // ready to type it again

    UiFixture::typeSignIn(*window, server, u"alice"_s, UiFixture::kPassword, true);
    expectError(AuthError{AuthError::Code::NameTaken, {}}.message());
    QCOMPARE(QApplication::focusWidget(), page->userEdit());

    // Refused connections; cutting the open ones too, or the HTTP keep-alive connection would still work.
    m_fixture->proxy().setAccepting(false);
    m_fixture->proxy().cutAll();
    UiFixture::typeSignIn(*window, server, u"alice"_s, UiFixture::kPassword);
    expectError(AuthError{AuthError::Code::ServerUnreachable, {}}.message());
    m_fixture->proxy().setAccepting(true);

    // Checked before asking any server.
    UiFixture::typeSignIn(*window, u"ftp://nowhere"_s, u"alice"_s, UiFixture::kPassword);
    expectError(u"“ftp://nowhere” is not a server address"_s);
    UiFixture::typeSignIn(*window, server, QString(), UiFixture::kPassword);
    expectError(u"Enter your user name."_s);
    QCOMPARE(QApplication::focusWidget(), page->userEdit());
    QTest::keyClicks(page->userEdit(), u"al"_s); // being fixed: the error goes
    QVERIFY(!error->isVisible());
    UiFixture::typeSignIn(*window, QString(), u"alice"_s, UiFixture::kPassword);
    expectError(u"Enter the server's address"_s);
    QTest::keyClicks(page->serverBox()->lineEdit(), server);
    QVERIFY(!error->isVisible());
    UiFixture::typeSignIn(*window, server, u"newbie"_s, u"short"_s, true);
    expectError(AuthError{AuthError::Code::InvalidPassword, {}}.message());

    // A server that takes no new accounts.
    ServerConfig closed = Test::TestServer::testConfig();
    closed.registration = RegistrationPolicy::Closed;
    Test::TestServer closedServer(closed);
    UiFixture::typeSignIn(*window, u"127.0.0.1:%1"_s.arg(closedServer.server().port()), u"newbie"_s,
                          UiFixture::kPassword, true);
    expectError(AuthError{AuthError::Code::RegistrationClosed, {}}.message());

    // After all that, the right password still works.
    UiFixture::typeSignIn(*window, server, u"alice"_s, UiFixture::kPassword);
    QVERIFY(UiFixture::waitConnected(*window->client()));
    QVERIFY(!error->isVisible());
}

void TestSignIn::noKeychainNotice()
{
    m_fixture->store().setAvailable(false);
    auto window = m_fixture->openWindow();
    QVERIFY(!window->chatPage()->keychainNotice()->isVisible());
    QVERIFY(m_fixture->signIn(*window, u"dora"_s));
    QTRY_VERIFY(window->chatPage()->keychainNotice()->isVisible());
    QCOMPARE(window->chatPage()->keychainNotice()->text(), CredentialStore::describe(CredentialStore::Error::Unavailable));
    QCOMPARE(m_fixture->store().size(), 0); // and nothing was written anywhere
}

void TestSignIn::slowKeychainNotice()
{
    m_fixture->store().setHolding(true);
    auto window = m_fixture->openWindow();
    QVERIFY(m_fixture->signIn(*window, u"dora"_s));
    QElapsedTimer waited;
    waited.start();
    QTRY_VERIFY_WITH_TIMEOUT(window->chatPage()->keychainNotice()->isVisible(), ChatClient::kKeychainPatienceMs * 3);
    QVERIFY(waited.elapsed() < ChatClient::kKeychainPatienceMs * 3);
    QVERIFY(window->chatPage()->keychainNotice()->text().contains(u"not answering"_s));
    m_fixture->store().releaseHeld();
    QTRY_VERIFY(!window->chatPage()->keychainNotice()->isVisible());
    QVERIFY(window->client()->isRemembered());
}

void TestSignIn::rememberedAcrossRestart()
{
    const QString profile = u"restart"_s;
    {
        auto window = m_fixture->reopenWindow(profile);
        QVERIFY(window->signInPage()->rememberBox()->isChecked());
        QVERIFY(m_fixture->signIn(*window, u"emma"_s));
        const QString key = CredentialStore::keyFor(m_fixture->address(), u"emma"_s);
        QTRY_VERIFY(m_fixture->store().contains(key));
    }
    {
        auto window = m_fixture->reopenWindow(profile);
        window->start(LaunchOptions{});
        QVERIFY(UiFixture::waitConnected(*window->client()));
        QVERIFY(window->isShowingChat());
        QCOMPARE(window->client()->user(), u"emma"_s);
        window->signOut();
        QTRY_VERIFY(!window->isShowingChat());
        QTRY_VERIFY(!m_fixture->store().contains(CredentialStore::keyFor(m_fixture->address(), u"emma"_s)));
    }
    {
        auto window = m_fixture->reopenWindow(profile);
        window->start(LaunchOptions{});
        QVERIFY(!window->client()->isSignedIn());
        QVERIFY(!window->isShowingChat());
        // The server is still offered.
        QCOMPARE(window->signInPage()->serverBox()->currentText(), m_fixture->address().id());
    }
}

void TestSignIn::connectOption()
{
    auto window = m_fixture->openWindow();
    LaunchOptions options;
    options.connect = ServerAddress::parse(u"ws://192.0.2.7:7500/ws"_s);
    window->start(options);
    QCOMPARE(window->signInPage()->serverBox()->currentText(), u"192.0.2.7:7500"_s);
    QTRY_COMPARE(QApplication::focusWidget(), window->signInPage()->userEdit());
    QVERIFY(!window->client()->isSignedIn());
}

QTEST_MAIN(TestSignIn)
#include "tst_signin.moc"
