// Certificates in the window, against a real TLS server (the chat's own kind of certificate) behind the
// fixture's relay: the first-use question before anything is sent, trusting it, a link that carries the
// fingerprint (no question), a chat picked from the network list, and a server whose certificate changed:
// the banner, the explanation, "Keep blocked" as the easy answer, and accepting a new certificate only
// after saying it was compared. The health panel says what protects the connection.
#include "uifixture.h"

#include "app/hosting/hostcertificate.h"
#include "app/net/certificatetrust.h"
#include "app/session/connectionmanager.h"
#include "app/ui/certificatedialog.h"
#include "app/ui/chatpage.h"
#include "app/ui/connectionbanner.h"
#include "app/ui/healthpanel.h"
#include "app/ui/preferences.h"
#include "app/ui/signinpage.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtGui/QStandardItemModel>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QPushButton>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using State = ConnectionManager::State;
using Field = HealthPanel::Field;

namespace {
constexpr int kTimeoutMs = UiFixture::kTimeoutMs;

HostCertificate makeCertificate(const QString &dir)
{
    auto made = HostCertificate::loadOrCreate(dir, HostCertificate::requestFor(u"localhost"_s, {}));
    if (std::holds_alternative<HostCertificateError>(made))
        qFatal("%s", qPrintable(std::get<HostCertificateError>(made).message));
    return std::get<HostCertificate>(made);
}
} // namespace

class TestCertificates : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_a = std::make_unique<HostCertificate>(makeCertificate(m_dirA.path()));
        m_b = std::make_unique<HostCertificate>(makeCertificate(m_dirB.path()));
    }

    void init()
    {
        ServerConfig config = Test::TestServer::testConfig();
        config.tlsCertFile = m_a->certificateFile();
        config.tlsKeyFile = m_a->keyFile();
        m_fixture = std::make_unique<UiFixture>(config);
        m_fixture->server().login(u"ana"_s, UiFixture::kPassword); // registers
    }
    void cleanup() { m_fixture.reset(); }

    /*! A server nobody vouches for: the sign-in stops, the question shows the server and the fingerprint
     *  (and says nothing was sent); trusting it signs in, pinned. The health panel then names TLS, the
     *  pin and the fingerprint. */
    void firstUseAsksThenConnects()
    {
        auto window = m_fixture->openWindow();
        UiFixture::typeSignIn(*window, m_fixture->address().id(), u"ana"_s, UiFixture::kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(window->certificateDialog() && window->certificateDialog()->isVisible(), kTimeoutMs);
        CertificateDialog *dialog = window->certificateDialog();
        QVERIFY(!dialog->isMismatch());
        QVERIFY(dialog->headingLabel()->text().contains(u"127.0.0.1:%1"_s.arg(m_fixture->address().port())));
        QCOMPARE(dialog->fingerprintLabel()->text(), m_a->fingerprint().toHexLines());
        QVERIFY(dialog->explanationLabel()->text().contains(u"Nothing has been sent"_s));
        QVERIFY(dialog->trustButton()->isEnabled());
        QVERIFY(dialog->trustButton()->isDefault());
        QVERIFY(!dialog->comparedBox()->isVisible());
        QVERIFY2(UiFixture::mnemonicClashes(dialog).isEmpty(), qPrintable(UiFixture::mnemonicClashes(dialog).join(u'\n')));
        QVERIFY(!window->isShowingChat());
        QVERIFY(window->signInPage()->errorLabel()->text().contains(u"Nothing was sent"_s));
        QVERIFY(!window->client()->certificateTrust()->pin(m_fixture->address()));

        QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);
        QVERIFY(UiFixture::waitConnected(*window->client()));
        QVERIFY(window->isShowingChat());
        const auto pin = window->client()->certificateTrust()->pin(m_fixture->address());
        QVERIFY(pin);
        QCOMPARE(pin->source, PinSource::FirstUse);
        QCOMPARE(pin->fingerprint, m_a->fingerprint());

        HealthPanel *health = window->healthPanel();
        health->show();
        health->refresh();
        QVERIFY2(health->value(Field::Encryption).startsWith(u"TLSv1."_s), qPrintable(health->value(Field::Encryption)));
        QVERIFY2(health->value(Field::Identity).startsWith(u"Pinned certificate: trusted when you first connected, since "_s),
                 qPrintable(health->value(Field::Identity)));
        QCOMPARE(health->value(Field::Fingerprint), u"SHA-256 fingerprint:\n"_s + m_a->fingerprint().toHexLines(8));
        QVERIFY(health->diagnostics().contains(u"certificate: pinned sha256="_s + m_a->fingerprint().toHex()));
    }

    /*! Cancelling the question: not signed in, nothing pinned, the reason stays on the sign-in screen. */
    void firstUseCancelled()
    {
        auto window = m_fixture->openWindow();
        UiFixture::typeSignIn(*window, m_fixture->address().id(), u"ana"_s, UiFixture::kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(window->certificateDialog() && window->certificateDialog()->isVisible(), kTimeoutMs);
        QTest::mouseClick(window->certificateDialog()->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(!window->certificateDialog());
        QVERIFY(!window->client()->isSignedIn());
        QVERIFY(!window->client()->certificateTrust()->pin(m_fixture->address()));
        QVERIFY(window->signInPage()->errorLabel()->isVisible());
    }

    /*! The host's link (as the share card copies it) carries the fingerprint: no question, pinned as
     *  coming from the link. */
    void linkIsPreVerified()
    {
        auto window = m_fixture->openWindow();
        ServerLink link;
        link.address = m_fixture->address();
        link.fingerprint = m_a->fingerprint();
        UiFixture::typeSignIn(*window, link.webUrl().toString(), u"ana"_s, UiFixture::kPassword);
        QVERIFY(UiFixture::waitConnected(*window->client()));
        QVERIFY(!window->certificateDialog());
        QCOMPARE(window->client()->certificateTrust()->pin(m_fixture->address())->source, PinSource::Link);
    }

    /*! A chat picked under "On your network": its link goes into the Server field and the sign-in says
     *  it came from the list (pinned as announced); typing over it makes it an ordinary address. */
    void networkListChoice()
    {
        SignInPage page;
        QStandardItemModel model;
        auto *item = new QStandardItem(u"Casa"_s);
        ServerLink link;
        link.address = ServerAddress(u"192.168.1.20"_s, 7420, true);
        link.fingerprint = m_a->fingerprint();
        item->setData(link.webUrl(), Qt::UserRole + 7);
        model.appendRow(item);
        page.setNetworkServers(&model, Qt::UserRole + 7);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy requested(&page, &SignInPage::signInRequested);
        UiFixture::clickRow(page.networkList(), 0);
        QCOMPARE(page.serverBox()->currentText(), link.webUrl().toString());
        page.userEdit()->setText(u"ana"_s);
        page.passwordEdit()->setText(UiFixture::kPassword);
        QTest::mouseClick(page.signInButton(), Qt::LeftButton);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.first().at(0).value<ServerLink>(), link);
        QCOMPARE(requested.first().at(1).toBool(), true);

        page.serverBox()->setEditText(u"192.168.1.20:7420"_s);
        QTest::mouseClick(page.signInButton(), Qt::LeftButton);
        QCOMPARE(requested.size(), 2);
        QCOMPARE(requested.at(1).at(1).toBool(), false);
        QVERIFY(!requested.at(1).at(0).value<ServerLink>().fingerprint);
    }

    /*! The server's certificate changes under a signed-in window: the banner says the connection was
     *  blocked and offers the review; the health panel says why; the dialog explains, "Keep blocked" is
     *  the default and changes nothing, and accepting needs the "I compared" tick, then reconnects. */
    void changedCertificateIsExplained()
    {
        auto window = m_fixture->openWindow();
        ServerLink link;
        link.address = m_fixture->address();
        link.fingerprint = m_a->fingerprint();
        UiFixture::typeSignIn(*window, link.webUrl().toString(), u"ana"_s, UiFixture::kPassword);
        QVERIFY(UiFixture::waitConnected(*window->client()));

        QVERIFY(m_fixture->server().restartWithCertificate(m_b->certificateFile(), m_b->keyFile()));
        QTRY_COMPARE_WITH_TIMEOUT(window->client()->connection()->state(), State::Failed, kTimeoutMs);
        QCOMPARE(window->client()->connection()->failure(), ConnectionManager::Failure::CertificateChanged);
        ConnectionBanner *banner = window->chatPage()->banner();
        QTRY_VERIFY(banner->isVisible());
        QCOMPARE(banner->messageLabel()->text(), window->client()->connection()->failureText());
        QVERIFY(banner->messageLabel()->text().contains(u"Nothing was sent"_s));
        QVERIFY(banner->certificateButton()->isVisible());
        QVERIFY(!banner->signInButton()->isVisible());
        QVERIFY(!banner->retryButton()->isVisible());
        // Alt+letter stays unique with the new button, in English and in Spanish.
        for (const auto &[language, text] : {std::pair{u"es"_s, u"Revisar el cer&tificado…"_s},
                                             std::pair{u"en"_s, u"Review the cer&tificate…"_s}}) {
            window->preferences()->setLanguage(language);
            QTRY_COMPARE(banner->certificateButton()->text(), text);
            const QStringList clashes = UiFixture::mnemonicClashes(window.get());
            QVERIFY2(clashes.isEmpty(), qPrintable(language + u": "_s + clashes.join(u'\n')));
        }

        HealthPanel *health = window->healthPanel();
        health->show();
        health->refresh();
        QCOMPARE(health->value(Field::Identity), window->client()->connection()->certificateProblem()->summary());
        QVERIFY(health->value(Field::Fingerprint).endsWith(m_b->fingerprint().toHexLines(8)));

        QTest::mouseClick(banner->certificateButton(), Qt::LeftButton);
        QTRY_VERIFY(window->certificateDialog() && window->certificateDialog()->isVisible());
        CertificateDialog *dialog = window->certificateDialog();
        QVERIFY(dialog->isMismatch());
        QCOMPARE(dialog->previousLabel()->text(), m_a->fingerprint().toHexLines());
        QCOMPARE(dialog->fingerprintLabel()->text(), m_b->fingerprint().toHexLines());
        QVERIFY(dialog->explanationLabel()->text().contains(u"Nothing was sent to it"_s));
        QVERIFY(dialog->explanationLabel()->text().contains(u"intercept"_s));
        QVERIFY(!dialog->trustButton()->isEnabled());
        QVERIFY(dialog->cancelButton()->isDefault());
        QVERIFY(!dialog->comparedBox()->isChecked());
        QVERIFY2(UiFixture::mnemonicClashes(dialog).isEmpty(), qPrintable(UiFixture::mnemonicClashes(dialog).join(u'\n')));

        // Enter keeps it blocked.
        QTest::keyClick(dialog, Qt::Key_Return);
        QTRY_VERIFY(!window->certificateDialog());
        QCOMPARE(window->client()->connection()->state(), State::Failed);
        QCOMPARE(window->client()->certificateTrust()->pin(m_fixture->address())->fingerprint, m_a->fingerprint());

        QTest::mouseClick(banner->certificateButton(), Qt::LeftButton);
        QTRY_VERIFY(window->certificateDialog() && window->certificateDialog()->isVisible());
        dialog = window->certificateDialog();
        QTest::mouseClick(dialog->comparedBox(), Qt::LeftButton);
        QVERIFY(dialog->trustButton()->isEnabled());
        QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);
        QVERIFY(UiFixture::waitConnected(*window->client()));
        const auto pin = window->client()->certificateTrust()->pin(m_fixture->address());
        QCOMPARE(pin->fingerprint, m_b->fingerprint());
        QCOMPARE(pin->source, PinSource::Replaced);
        QTRY_VERIFY(!banner->isVisible());
    }

private:
    QTemporaryDir m_dirA;
    QTemporaryDir m_dirB;
    std::unique_ptr<HostCertificate> m_a;
    std::unique_ptr<HostCertificate> m_b;
    std::unique_ptr<UiFixture> m_fixture;
};

QTEST_MAIN(TestCertificates)
#include "tst_certificates.moc"
