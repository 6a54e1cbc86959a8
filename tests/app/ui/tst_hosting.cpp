// "Host a chat" from the window: the sign-in screen's Host button (and --host) start the embedded
// server and sign the host in; the share card shows every address as an https:// link with the
// certificate's fingerprint, the fingerprint itself, what the browser warning means, the QR code and who
// is online, and the unencrypted addresses only when the host turned them on; stopping warns while
// people are connected. A real embedded server on a free port; LAN
// announcements off.
#include "uifixture.h"

#include "app/hosting/hostcontroller.h"
#include "app/net/certificatetrust.h"
#include "app/session/connectionmanager.h"
#include "app/session/roomdirectory.h"
#include "app/ui/launchoptions.h"
#include "app/ui/preferences.h"
#include "app/ui/qrcodewidget.h"
#include "app/ui/sharecard.h"
#include "app/ui/signinpage.h"

#include <QtCore/QStandardPaths>
#include <QtGui/QClipboard>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using State = ConnectionManager::State;

namespace {
constexpr int kTimeoutMs = UiFixture::kTimeoutMs;

/// A port nothing listens on right now (the embedded server takes a fixed port from the user).
quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::Any, 0))
        return 0;
    return probe.serverPort();
}

QPushButton *buttonWithText(QMessageBox *box, const QString &text)
{
    for (QAbstractButton *button : box->buttons()) {
        if (button->text() == text)
            return qobject_cast<QPushButton *>(button);
    }
    return nullptr;
}
} // namespace

class TestHosting : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init() { m_fixture = std::make_unique<UiFixture>(); }
    void cleanup() { m_fixture.reset(); }

    /*! The Host button starts a chat on the typed port with the browser page; the host is signed in;
     *  the share card lists the addresses with copy buttons and a QR code of the preferred one; a
     *  guest joining shows as online and finds a room to join; stopping asks first, "Keep hosting" keeps it, "Stop hosting"
     *  disconnects everyone and returns to the sign-in screen. */
    void hostFromTheSignInScreen();
    /*! The unencrypted option (Preferences, off by default): the share card then lists http://
     *  addresses apart, under a warning, and they really serve the chat. */
    void unencryptedAddressesOnlyWhenTurnedOn();
    /*! --host PORT starts hosting at once, in a first room everyone can join; without the browser page
     *  the share card has no QR code (its link would answer "not found" in a browser). */
    void hostFromTheCommandLine();
    /*! A port in use is explained on the sign-in screen. */
    void portInUse();

private:
    std::unique_ptr<UiFixture> m_fixture;
};

void TestHosting::hostFromTheSignInScreen()
{
    auto window = m_fixture->openWindow();
    SignInPage *page = window->signInPage();
    const quint16 port = freePort();
    QVERIFY(port != 0);
    page->portBox()->setFocus();
    page->portBox()->selectAll();
    QTest::keyClicks(page->portBox(), QString::number(port));
    QTest::keyClick(page->portBox(), Qt::Key_Tab);
    QCOMPARE(page->portBox()->value(), int(port));
    QCOMPARE(QApplication::focusWidget(), page->webPageBox());
    QTest::keyClick(page->webPageBox(), Qt::Key_Space);
    QVERIFY(page->webPageBox()->isChecked());
    QTest::mouseClick(page->hostButton(), Qt::LeftButton);

    HostController *host = window->hostController();
    QTRY_VERIFY_WITH_TIMEOUT(host->isRunning(), kTimeoutMs);
    QCOMPARE(host->port(), port);
    QVERIFY(host->options().webPage);
    QVERIFY(UiFixture::waitConnected(*window->client()));
    QVERIFY(window->isShowingChat());
    QCOMPARE(window->client()->user(), host->hostUser());
    QCOMPARE(window->preferences()->hostPort(), port); // the next time starts from it

    // The share card opens by itself.
    QTRY_VERIFY(window->shareCard() && window->shareCard()->isVisible());
    ShareCard *card = window->shareCard();
    QCOMPARE(card->addresses(), host->shareAddresses());
    // The fingerprint, to compare by eye, and what a browser's warning means (the browser page is on).
    QCOMPARE(card->fingerprintLabel()->text(), host->fingerprint().toHexLines());
    QVERIFY(card->fingerprintLabel()->isVisible());
    QVERIFY(card->browserNoteLabel()->isVisible());
    QVERIFY(card->browserNoteLabel()->text().contains(u"not private"_s));
    QVERIFY(card->browserNoteLabel()->text().contains(u"SHA-256"_s));
    QVERIFY(!card->plainWarningLabel()->isVisible());
    QVERIFY(card->plainAddresses().isEmpty());
    for (const QUrl &address : card->addresses()) {
        QCOMPARE(address.scheme(), u"https"_s);
        QCOMPARE(ServerLink::parse(address.toString())->fingerprint, host->fingerprint());
    }
    // The host's own client is pinned to its chat, without a question.
    QCOMPARE(window->client()->certificateTrust()->pin(window->client()->server())->source, PinSource::OwnHost);
    QVERIFY(!window->certificateDialog());
    const QUrl preferred = host->preferredAddress();
    if (!preferred.isEmpty()) {
        QVERIFY(preferred.toString().contains(u"#sha256="_s + host->fingerprint().toBase64Url()));
        QCOMPARE(card->qrCode()->text(), preferred.toString());
        QVERIFY(card->qrCaptionLabel()->text().contains(u"fingerprint"_s));
        QVERIFY(card->qrCode()->matrix().has_value());
        QVERIFY(card->qrCode()->isVisible());
        QTest::mouseClick(card->copyButton(0), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), card->addresses().first().toString());
    } else {
        qWarning("this machine has no non-loopback address: the share card shows none");
    }
    QTRY_COMPARE(card->onlineLabel()->text(), u"Nobody else is connected yet."_s);

    // A guest joins over loopback.
    auto guest = std::make_unique<ChatClient>(m_fixture->store());
    guest->setDataDirectory(m_fixture->path(u"guest"_s));
    // It scanned the QR code: the link carries the certificate's fingerprint.
    guest->certificateTrust()->expect(host->localAddress(), host->fingerprint(), PinSource::Link);
    guest->createAccount(host->localAddress(), u"guest"_s, UiFixture::kPassword, false);
    QVERIFY(UiFixture::waitConnected(*guest));
    QTRY_COMPARE_WITH_TIMEOUT(card->onlineLabel()->text(), u"1 other person is connected."_s, kTimeoutMs);
    // A fresh chat is not empty: the host made a room the guest can join.
    QTRY_VERIFY_WITH_TIMEOUT(guest->rooms()->find(MainWindow::kHostedRoomName), kTimeoutMs);
    QVERIFY(!guest->rooms()->find(MainWindow::kHostedRoomName)->isPrivate());

    // Stop: asked first; keeping it changes nothing.
    QVERIFY(QTest::qWaitForWindowActive(card));
    QTest::mouseClick(card->stopButton(), Qt::LeftButton);
    QTRY_VERIFY(window->stopHostingQuestion() && window->stopHostingQuestion()->isVisible());
    QVERIFY(window->stopHostingQuestion()->text().contains(u"1 other person"_s));
    QPushButton *keep = buttonWithText(window->stopHostingQuestion(), u"&Keep hosting"_s);
    QVERIFY(keep);
    QTest::mouseClick(keep, Qt::LeftButton);
    QTRY_VERIFY(!window->stopHostingQuestion());
    QVERIFY(host->isRunning());
    QCOMPARE(guest->connection()->state(), State::Connected);

    QTest::mouseClick(card->stopButton(), Qt::LeftButton);
    QTRY_VERIFY(window->stopHostingQuestion() && window->stopHostingQuestion()->isVisible());
    QPushButton *stop = buttonWithText(window->stopHostingQuestion(), u"&Stop hosting"_s);
    QVERIFY(stop);
    QTest::mouseClick(stop, Qt::LeftButton);
    QTRY_VERIFY(!host->isRunning());
    QTRY_VERIFY(!window->isShowingChat());
    QVERIFY(!window->client()->isSignedIn());
    QTRY_VERIFY_WITH_TIMEOUT(guest->connection()->state() != State::Connected, kTimeoutMs);
    QVERIFY(guest->connection()->lastDisconnect());
    QVERIFY(!window->shareCard() || !window->shareCard()->isVisible());
}

void TestHosting::unencryptedAddressesOnlyWhenTurnedOn()
{
    auto window = m_fixture->openWindow();
    window->preferences()->setHostAllowPlainHttp(true);
    const quint16 port = freePort();
    window->startHosting(port, true);
    HostController *host = window->hostController();
    QTRY_VERIFY_WITH_TIMEOUT(host->isRunning(), kTimeoutMs);
    QVERIFY(host->options().allowPlainHttp);
    QTRY_VERIFY(window->shareCard() && window->shareCard()->isVisible());
    ShareCard *card = window->shareCard();
    QCOMPARE(card->plainAddresses(), host->plainAddresses());
    QCOMPARE(card->plainAddresses().size(), card->addresses().size());
    for (const QUrl &address : card->plainAddresses())
        QCOMPARE(address.scheme(), u"http"_s);
    if (!card->plainAddresses().isEmpty()) {
        QVERIFY(card->plainWarningLabel()->isVisible());
        QVERIFY(card->plainWarningLabel()->text().contains(u"anyone on this network can read"_s));
    }
    // The chat really answers plain http:// on its port.
    QTcpSocket plain;
    plain.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(plain.waitForConnected(kTimeoutMs));
    plain.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    QSignalSpy closed(&plain, &QTcpSocket::disconnected);
    QVERIFY(closed.wait(kTimeoutMs));
    QVERIFY(plain.readAll().startsWith("HTTP/1.1 200")); // served, not redirected
    window->requestStopHosting();
    QTRY_VERIFY(!host->isRunning());
}

void TestHosting::hostFromTheCommandLine()
{
    auto window = m_fixture->openWindow();
    LaunchOptions options;
    options.host = true;
    options.hostPort = freePort();
    window->start(options);
    QTRY_VERIFY_WITH_TIMEOUT(window->hostController()->isRunning(), kTimeoutMs);
    QCOMPARE(window->hostController()->port(), *options.hostPort);
    QVERIFY(UiFixture::waitConnected(*window->client()));
    // The host starts in the room a new chat gets.
    QTRY_VERIFY_WITH_TIMEOUT(window->client()->currentRoom()
                                 && window->client()->currentRoom()->name() == MainWindow::kHostedRoomName,
                             kTimeoutMs);
    // Without the browser page, no QR code: its link would answer "not found" in a phone's browser.
    QVERIFY(!window->hostController()->options().webPage);
    QTRY_VERIFY(window->shareCard() && window->shareCard()->isVisible());
    QVERIFY(!window->shareCard()->qrCode()->isVisible());
    if (!window->hostController()->preferredAddress().isEmpty())
        QVERIFY(window->shareCard()->qrCaptionLabel()->text().startsWith(u"No QR code"_s));
    // Nobody else is connected: stopping needs no question.
    window->requestStopHosting();
    QVERIFY(!window->stopHostingQuestion());
    QTRY_VERIFY(!window->hostController()->isRunning());
    QVERIFY(!window->isShowingChat());
}

void TestHosting::portInUse()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::Any, 0));
    auto window = m_fixture->openWindow();
    window->startHosting(taken.serverPort(), false);
    QTRY_VERIFY_WITH_TIMEOUT(window->signInPage()->errorLabel()->isVisible(), kTimeoutMs);
    QVERIFY2(window->signInPage()->errorLabel()->text().contains(QString::number(taken.serverPort())),
             qPrintable(window->signInPage()->errorLabel()->text()));
    QVERIFY(!window->hostController()->isRunning());
    QVERIFY(window->signInPage()->hostButton()->isEnabled()); // ready to try another port
}

QTEST_MAIN(TestHosting)
#include "tst_hosting.moc"
