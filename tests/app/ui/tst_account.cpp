// The Account dialog (Chat → Account…) against a real server through the relay: the device list and
// signing devices out, the password change, deleting the account after a confirmation, the errors each tab
// shows, and the window signing out cleanly when its account is gone. Offscreen, real clicks and keys.
#include "app/models/devicelistmodel.h"
#include "app/session/connectionmanager.h"
#include "app/storage/credentialstore.h"
#include "app/storage/serverlist.h"
#include "app/ui/accountdialog.h"
#include "app/ui/preferences.h"
#include "app/ui/signinpage.h"
#include "app/ui/uitext.h"
#include "server/session/monotonicclock.h"
#include "support/wsclient.h"
#include "uifixture.h"

#include <QtGui/QAction>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTreeView>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using Protocol::CloseCode;
using Protocol::ErrorCode;

class TestAccount : public QObject
{
    Q_OBJECT

private:
    static constexpr int kTimeoutMs = UiFixture::kTimeoutMs;
    std::unique_ptr<UiFixture> m_fixture;
    std::unique_ptr<MainWindow> m_window;

    AccountDialog *openDialog()
    {
        m_window->accountAction()->trigger();
        if (!QTest::qWaitFor([this] { return m_window->accountDialog() && m_window->accountDialog()->isVisible(); },
                             kTimeoutMs))
            return nullptr;
        AccountDialog *dialog = m_window->accountDialog();
        if (!QTest::qWaitForWindowExposed(dialog))
            return nullptr;
        return dialog;
    }

    /// Another device of the same account: a login of its own and an open socket.
    struct Device
    {
        QString id;   ///< its login, as the device list names it
        std::unique_ptr<Test::WsClient> socket;
    };
    Device otherDevice(const QString &user)
    {
        Device device;
        const Protocol::TokenPair tokens = m_fixture->server().login(user);
        device.id = Test::TestServer::loginOf(tokens.accessToken);
        device.socket = std::make_unique<Test::WsClient>();
        if (!device.socket->openAndAuth(m_fixture->server().url(), tokens.accessToken))
            device.socket.reset();
        return device;
    }
    /// Whether a socket is open and served (a request is answered).
    static bool served(Test::WsClient &socket)
    {
        return socket.isConnected() && socket.request(Protocol::Request::ping({})).isOk();
    }

    static void type(QLineEdit *edit, const QString &text)
    {
        edit->clear();
        QTest::keyClicks(edit, text);
    }

    static bool statusSays(QLabel *label, const QString &text)
    {
        if (!QTest::qWaitFor([&] { return label->isVisible() && label->text() == text; }, kTimeoutMs)) {
            qWarning() << "the status says" << label->text() << "rather than" << text;
            return false;
        }
        return true;
    }

    void skipThrottle() { m_fixture->server().server().clock().skip(2000); }

    /// The Alt+letter of a text ("Sign &out" → "o"), empty without one.
    static QString mnemonicOf(const QString &text)
    {
        for (qsizetype i = 0; i + 1 < text.size(); ++i) {
            if (text.at(i) == u'&' && text.at(i + 1) != u'&')
                return text.at(i + 1).toLower();
            if (text.at(i) == u'&')
                ++i;
        }
        return {};
    }

private Q_SLOTS:
    void init()
    {
        ServerConfig config = Test::TestServer::testConfig();
        config.limits.loginFreeFailures = 0; // a wrong password is throttled at once: the tab must say so
        m_fixture = std::make_unique<UiFixture>(config);
        m_window = m_fixture->openWindow();
        QVERIFY(m_window);
    }
    void cleanup()
    {
        m_window.reset();
        m_fixture.reset();
    }

    /*! The device list shows this app (by the label it signs in with, marked as this device) and the
        account's other devices; selecting another one and signing it out closes its socket (4004) and the
        list follows; "Sign out all other devices" does the same for every other one. */
    void devices()
    {
        QVERIFY(!m_window->accountAction()->isEnabled()); // nothing to show before signing in
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        Device phone = otherDevice(u"alice"_s);
        Device tablet = otherDevice(u"alice"_s);
        QVERIFY(phone.socket && tablet.socket);
        QVERIFY(m_window->accountAction()->isEnabled());
        AccountDialog *dialog = openDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->windowTitle().contains(u"alice"_s));
        DeviceListModel *model = dialog->deviceModel();
        // The window's, the phone's, the tablet's, and the login UiFixture made when it registered alice.
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 4, kTimeoutMs);
        const int own = UiFixture::findRow(model, DeviceListModel::CurrentRole, true);
        QVERIFY(own >= 0);
        QCOMPARE(model->index(own, 0).data(DeviceListModel::LabelRole).toString(), ChatClient::deviceLabel());
        QCOMPARE(model->index(own, 0).data().toString(),
                 DeviceListModel::tr("%1 (this device)").arg(ChatClient::deviceLabel()));
        QVERIFY(!dialog->signOutDeviceButton()->isEnabled()); // nothing selected yet
        QVERIFY(dialog->signOutOthersButton()->isEnabled());

        UiFixture::clickRow(dialog->deviceView(), own);
        QCOMPARE(dialog->signOutDeviceButton()->text(), AccountDialog::tr("Sign &out this device"));
        const int phoneRow = model->rowOf(phone.id);
        QVERIFY(phoneRow >= 0);
        UiFixture::clickRow(dialog->deviceView(), phoneRow);
        QCOMPARE(dialog->signOutDeviceButton()->text(), AccountDialog::tr("Sign &out the selected device"));
        QTest::mouseClick(dialog->signOutDeviceButton(), Qt::LeftButton);
        QVERIFY(phone.socket->waitForDisconnected());
        QCOMPARE(phone.socket->closeCode(), int(CloseCode::LoggedOut));
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, kTimeoutMs);
        QCOMPARE(model->rowOf(phone.id), -1);
        QVERIFY(dialog->devicesStatus()->isVisible());
        QVERIFY(served(*tablet.socket));

        QTest::mouseClick(dialog->signOutOthersButton(), Qt::LeftButton);
        QVERIFY(statusSays(dialog->devicesStatus(), AccountDialog::tr("Other devices signed out: %1.").arg(2)));
        QVERIFY(tablet.socket->waitForDisconnected());
        QCOMPARE(tablet.socket->closeCode(), int(CloseCode::LoggedOut));
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kTimeoutMs);
        QVERIFY(!dialog->signOutOthersButton()->isEnabled());
        QCOMPARE(m_window->client()->connection()->state(), ConnectionManager::State::Connected);
    }

    /*! Signing this device out from the list is the window's own sign-out: back to the sign-in screen, the
        dialog closed, the saved sign-in gone. */
    void signOutThisDevice()
    {
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        AccountDialog *dialog = openDialog();
        QVERIFY(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->deviceModel()->rowCount(), 2, kTimeoutMs); // and UiFixture's login
        UiFixture::clickRow(dialog->deviceView(), UiFixture::findRow(dialog->deviceModel(), DeviceListModel::CurrentRole, true));
        QTest::mouseClick(dialog->signOutDeviceButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->client()->isSignedIn(), kTimeoutMs);
        QVERIFY(!m_window->isShowingChat());
        QTRY_VERIFY(!m_window->accountDialog());
    }

    /*! Changing the password: what is wrong before asking (empty, short, not repeated the same) and what the
        server refuses (a wrong current password) is said in the tab; a change signs the other device out,
        clears the fields and keeps this one connected; the new password signs in. */
    void changePassword()
    {
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        Device phone = otherDevice(u"alice"_s);
        QVERIFY(phone.socket);
        AccountDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->showTab(AccountDialog::Tab::Password);
        QTest::mouseClick(dialog->changePasswordButton(), Qt::LeftButton);
        QVERIFY(statusSays(dialog->passwordStatus(), AccountDialog::tr("Type your current password.")));

        type(dialog->currentPasswordEdit(), u"not my password"_s);
        type(dialog->newPasswordEdit(), u"short"_s);
        QTest::mouseClick(dialog->changePasswordButton(), Qt::LeftButton);
        QVERIFY(statusSays(dialog->passwordStatus(), AccountDialog::tr("The new password must have at least %1 characters.").arg(8)));
        type(dialog->newPasswordEdit(), u"a better password"_s);
        type(dialog->repeatPasswordEdit(), u"a beter password"_s);
        QTest::mouseClick(dialog->changePasswordButton(), Qt::LeftButton);
        QVERIFY(statusSays(dialog->passwordStatus(), AccountDialog::tr("The new password and its repetition differ.")));
        QCOMPARE(QApplication::focusWidget(), dialog->repeatPasswordEdit());

        type(dialog->repeatPasswordEdit(), u"a better password"_s);
        QTest::keyClick(dialog->repeatPasswordEdit(), Qt::Key_Return);
        QVERIFY(statusSays(dialog->passwordStatus(), UiText::accountError({ErrorCode::WrongPassword, {}})));
        QTRY_COMPARE(QApplication::focusWidget(), dialog->currentPasswordEdit());
        QVERIFY(served(*phone.socket));

        type(dialog->currentPasswordEdit(), UiFixture::kPassword);
        QTest::mouseClick(dialog->changePasswordButton(), Qt::LeftButton);
        QVERIFY(statusSays(dialog->passwordStatus(), UiText::accountError({ErrorCode::RateLimited, {}})));
        skipThrottle();
        QTest::mouseClick(dialog->changePasswordButton(), Qt::LeftButton);
        QVERIFY(statusSays(dialog->passwordStatus(),
                           AccountDialog::tr("Your password was changed. Other devices signed out: %1.").arg(2)));
        QVERIFY(phone.socket->waitForDisconnected());
        QCOMPARE(phone.socket->closeCode(), int(CloseCode::LoggedOut));
        QVERIFY(dialog->currentPasswordEdit()->text().isEmpty() && dialog->newPasswordEdit()->text().isEmpty()
                && dialog->repeatPasswordEdit()->text().isEmpty());
        QCOMPARE(m_window->client()->connection()->state(), ConnectionManager::State::Connected);
        const auto login = m_fixture->server().http().postJson(
            u"/api/v1/login"_s, QJsonObject{{QLatin1StringView("username"), u"alice"_s},
                                            {QLatin1StringView("password"), u"a better password"_s}});
        QCOMPARE(login.status, 200);
    }

    /*! Deleting the account asks first ("Keep it" keeps it); a wrong password is said in the tab; then the
        account goes: the window is back on the sign-in screen saying so, the dialog is gone, the saved sign-in
        left the keychain and the server list forgot the user. */
    void deleteAccount()
    {
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        const ServerAddress server = m_window->client()->server();
        m_window->serverList()->remember(server, u"alice"_s);
        QVERIFY(m_fixture->store().contains(CredentialStore::keyFor(server, u"alice"_s)));
        AccountDialog *dialog = openDialog();
        QVERIFY(dialog);
        dialog->showTab(AccountDialog::Tab::Delete);
        QTest::mouseClick(dialog->deleteAccountButton(), Qt::LeftButton);
        QVERIFY(statusSays(dialog->deleteStatus(), AccountDialog::tr("Type your password to delete the account.")));

        type(dialog->deletePasswordEdit(), u"not my password"_s);
        QTest::mouseClick(dialog->deleteAccountButton(), Qt::LeftButton);
        QTRY_VERIFY(dialog->deleteQuestion() && dialog->deleteQuestion()->isVisible());
        QVERIFY(dialog->deleteQuestion()->informativeText().contains(u"alice"_s));
        QTest::keyClick(dialog->deleteQuestion(), Qt::Key_Escape); // "Keep it"
        QTRY_VERIFY(!dialog->deleteQuestion());
        QVERIFY(m_window->client()->isSignedIn());

        QTest::mouseClick(dialog->deleteAccountButton(), Qt::LeftButton);
        QTRY_VERIFY(dialog->deleteQuestion() && dialog->deleteQuestion()->isVisible());
        QPushButton *confirm = nullptr;
        for (QAbstractButton *button : dialog->deleteQuestion()->buttons()) {
            if (dialog->deleteQuestion()->buttonRole(button) == QMessageBox::DestructiveRole)
                confirm = qobject_cast<QPushButton *>(button);
        }
        QVERIFY(confirm);
        QVERIFY(!confirm->isDefault()); // Enter keeps the account
        QTest::mouseClick(confirm, Qt::LeftButton);
        QVERIFY(statusSays(dialog->deleteStatus(), UiText::accountError({ErrorCode::WrongPassword, {}})));
        QVERIFY(m_window->client()->isSignedIn());
        skipThrottle();

        type(dialog->deletePasswordEdit(), UiFixture::kPassword);
        QSignalSpy deleted(m_window->client(), &ChatClient::accountDeleted);
        QTest::keyClick(dialog->deletePasswordEdit(), Qt::Key_Return);
        QTRY_VERIFY(dialog->deleteQuestion() && dialog->deleteQuestion()->isVisible());
        for (QAbstractButton *button : dialog->deleteQuestion()->buttons()) {
            if (dialog->deleteQuestion()->buttonRole(button) == QMessageBox::DestructiveRole)
                QTest::mouseClick(button, Qt::LeftButton);
        }
        QVERIFY(deleted.wait(kTimeoutMs));
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->client()->isSignedIn(), kTimeoutMs);
        QVERIFY(!m_window->isShowingChat());
        QTRY_VERIFY(!m_window->accountDialog());
        QVERIFY(m_window->signInPage()->errorLabel()->isVisible());
        QVERIFY(m_window->signInPage()->errorLabel()->text().contains(u"alice"_s));
        QTRY_VERIFY(!m_fixture->store().contains(CredentialStore::keyFor(server, u"alice"_s)));
        QVERIFY(m_window->serverList()->find(server)->lastUser.isEmpty());
        QVERIFY(m_window->signInPage()->userEdit()->text().isEmpty());
    }

    /*! Without a connection, each request says so in its tab instead of waiting. */
    void offline()
    {
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        AccountDialog *dialog = openDialog();
        QVERIFY(dialog);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->deviceModel()->rowCount(), 2, kTimeoutMs);
        m_window->client()->connection()->setBackoff(Backoff({std::chrono::seconds(30), std::chrono::seconds(30)}));
        m_fixture->proxy().setAccepting(false);
        m_fixture->proxy().cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->connection()->state() != ConnectionManager::State::Connected, kTimeoutMs);
        dialog->refreshDevices();
        const QString offline = UiText::accountError({ErrorCode::Unavailable, {}});
        QVERIFY(statusSays(dialog->devicesStatus(), offline));
        dialog->showTab(AccountDialog::Tab::Password);
        type(dialog->currentPasswordEdit(), UiFixture::kPassword);
        type(dialog->newPasswordEdit(), u"a better password"_s);
        type(dialog->repeatPasswordEdit(), u"a better password"_s);
        QTest::mouseClick(dialog->changePasswordButton(), Qt::LeftButton);
        QVERIFY(statusSays(dialog->passwordStatus(), offline));
    }

    /*! Every tab, in English and in Spanish: translated, and no two controls on one Alt+letter. */
    void languagesAndMnemonics()
    {
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        AccountDialog *dialog = openDialog();
        QVERIFY(dialog);
        for (const QString &language : {u"es"_s, u"en"_s}) {
            m_window->preferences()->setLanguage(language);
            QTRY_COMPARE(dialog->tabs()->tabText(0), language == u"es" ? u"&Dispositivos"_s : u"&Devices"_s);
            // Every widget's LanguageChange is posted: deliver them all, nothing may put English back after ours.
            QCoreApplication::sendPostedEvents();
            QCOMPARE(dialog->closeButton()->text(), language == u"es" ? u"Cerrar"_s : u"Close"_s);
            QCOMPARE(dialog->deviceModel()->headerData(0, Qt::Horizontal).toString(),
                     language == u"es" ? u"Dispositivo"_s : u"Device"_s);
            for (const auto tab : {AccountDialog::Tab::Devices, AccountDialog::Tab::Password, AccountDialog::Tab::Delete,
                                   AccountDialog::Tab::Profile}) {
                dialog->showTab(tab);
                const QStringList clashes = UiFixture::mnemonicClashes(dialog);
                QVERIFY2(clashes.isEmpty(), qPrintable(language + u": "_s + clashes.join(u"; "_s)));
                // The tab bar is always on screen: its letters must not be any control's of the page shown.
                QStringList tabLetters;
                for (int i = 0; i < dialog->tabs()->count(); ++i)
                    tabLetters << mnemonicOf(dialog->tabs()->tabText(i));
                const QList<QWidget *> controls = dialog->tabs()->currentWidget()->findChildren<QWidget *>();
                for (QWidget *control : controls) {
                    QString text;
                    if (auto *button = qobject_cast<QAbstractButton *>(control))
                        text = button->text();
                    else if (auto *label = qobject_cast<QLabel *>(control); label && label->buddy())
                        text = label->text();
                    const QString letter = mnemonicOf(text);
                    QVERIFY2(letter.isEmpty() || !tabLetters.contains(letter),
                             qPrintable(language + u": "_s + text + u" shares its letter with a tab"_s));
                }
                QCOMPARE(QSet<QString>(tabLetters.cbegin(), tabLetters.cend()).size(), tabLetters.size());
            }
        }
    }
};

QTEST_MAIN(TestAccount)
#include "tst_account.moc"
