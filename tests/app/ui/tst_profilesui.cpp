// Display names and generated avatars in the desktop window (issue 12) against a real server: a rename heard
// as profile_updated shows at once in the timeline, the member list (with the user name beside it), the
// screen reader's text and a direct conversation's name; the Account dialog's Profile tab sets ours, which
// the other app hears; avatars have stable colours and the right initials in Latin, Arabic and CJK names. A
// picture chosen in the Profile tab is cropped, sent, and shown in another person's window (member list,
// timeline) instead of the generated avatar; removing it brings the initials back; refusals show in the tab.
#include "uifixture.h"

#include "app/models/memberlistmodel.h"
#include "app/models/messagelistmodel.h"
#include "app/session/displaynames.h"
#include "app/session/roomdirectory.h"
#include "app/ui/accountdialog.h"
#include "app/session/chatfiles.h"
#include "app/ui/avatar.h"
#include "app/ui/avatarpictures.h"
#include "app/ui/chatpage.h"
#include "app/ui/messageview.h"
#include "shared/identity.h"
#include "shared/names.h"

#include <QtCore/QFile>
#include <QtGui/QFontDatabase>
#include <QtGui/QIcon>
#include <QtGui/QImage>
#include <QtGui/QInputMethodEvent>
#include <QtGui/QPixmapCache>
#include <QtTest/QTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTabWidget>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

class TestProfilesUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup()
    {
        m_window.reset();
        m_bob.reset();
        m_fixture.reset();
    }

    /*! bob renames himself: alice's timeline, member list (user name beside it), accessible text and her
     *  direct conversation with him show the new name at once; clearing it brings the user name back. */
    void renameShowsEverywhere()
    {
        setUp();
        QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"hola"_s));
        QAbstractItemModel *timeline = page()->messageView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(timeline->rowCount() >= 1, kTimeoutMs);
        const int row = timeline->rowCount() - 1;
        QCOMPARE(timeline->index(row, 0).data(MessageListModel::SenderNameRole).toString(), u"bob"_s);

        QVERIFY(UiFixture::expectOk([this](QObject *context, ChatClient::ResultCallback done) {
            m_bob->setDisplayName(u"Roberto Gómez"_s, context, std::move(done));
        }));
        QTRY_COMPARE_WITH_TIMEOUT(timeline->index(row, 0).data(MessageListModel::SenderNameRole).toString(),
                                  u"Roberto Gómez"_s, kTimeoutMs);
        QCOMPARE(timeline->index(row, 0).data(MessageListModel::SenderRole).toString(), u"bob"_s);
        QVERIFY(timeline->index(row, 0).data(Qt::AccessibleTextRole).toString().startsWith(u"Roberto Gómez, "_s));

        QAbstractItemModel *members = page()->memberList()->model();
        const int bobRow = UiFixture::findRow(members, MemberListModel::UserRole, u"bob"_s);
        QVERIFY(bobRow >= 0);
        const QModelIndex bob = members->index(bobRow, 0);
        QVERIFY2(bob.data(Qt::DisplayRole).toString().startsWith(u"Roberto Gómez (@bob)"_s),
                 qPrintable(bob.data(Qt::DisplayRole).toString()));
        QVERIFY(bob.data(Qt::ToolTipRole).toString().contains(u"bob"_s));
        QVERIFY(!bob.data(Qt::DecorationRole).value<QIcon>().isNull()); // the avatar

        // A direct conversation is named after the person.
        bool opened = false;
        m_window->client()->openDirect(u"bob"_s, this, [&opened](const auto &error, const QString &) { opened = !error; });
        QTRY_VERIFY_WITH_TIMEOUT(opened, kTimeoutMs);
        ChatRoom *direct = m_window->client()->rooms()->find(Names::directAddress(u"alice"_s, u"bob"_s));
        QVERIFY(direct);
        QCOMPARE(direct->displayName(), u"Roberto Gómez"_s);
        QCOMPARE(direct->peer(), u"bob"_s);

        QVERIFY(UiFixture::expectOk([this](QObject *context, ChatClient::ResultCallback done) {
            m_bob->setDisplayName({}, context, std::move(done));
        }));
        QTRY_COMPARE_WITH_TIMEOUT(direct->displayName(), u"bob"_s, kTimeoutMs);
        QCOMPARE(m_window->client()->displayNames()->shown(u"bob"_s), u"bob"_s);
    }

    /*! The Account dialog's Profile tab: a name with spaces in Arabic script is saved, bob's app hears it and
     *  the preview shows its initials; an invalid one is refused before anything is sent. */
    void setOwnNameInAccountDialog()
    {
        setUp();
        m_window->accountAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountDialog() && m_window->accountDialog()->isVisible(), kTimeoutMs);
        AccountDialog *dialog = m_window->accountDialog();
        dialog->showTab(AccountDialog::Tab::Profile);
        QCOMPARE(dialog->tabs()->tabText(dialog->tabs()->currentIndex()).remove(u'&'), u"Profile"_s);

        dialog->displayNameEdit()->setText(u"a\u202Eb"_s); // a bidi override: refused here already
        QTest::mouseClick(dialog->saveProfileButton(), Qt::LeftButton);
        QVERIFY(dialog->profileStatus()->isVisible());
        QVERIFY(dialog->profileStatus()->property("error").toBool());

        // Typed as an input method would commit it (QTest::keyClicks knows Latin-1 keys only).
        dialog->displayNameEdit()->clear();
        QInputMethodEvent typed;
        typed.setCommitString(u"ليلى حسن"_s);
        QCoreApplication::sendEvent(dialog->displayNameEdit(), &typed);
        QCOMPARE(dialog->displayNameEdit()->text(), u"ليلى حسن"_s);
        QTest::mouseClick(dialog->saveProfileButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->profileStatus()->property("error").toBool()
                                     && dialog->profileStatus()->text().contains(u"ليلى حسن"_s),
                                 kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->displayNames()->of(u"alice"_s), u"ليلى حسن"_s, kTimeoutMs);
        QCOMPARE(dialog->avatarPreview()->accessibleName(), AccountDialog::tr("Your avatar: %1").arg(u"لح"_s));
    }

    void avatars_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("shown");
        QTest::addColumn<QString>("initials");
        QTest::addColumn<QString>("colour");
        QTest::newRow("latin") << u"alice"_s << u"Ana María"_s << u"AM"_s << u"#546e7a"_s;
        QTest::newRow("arabic") << u"bob"_s << u"محمد علي"_s << u"مع"_s << u"#7cb342"_s;
        QTest::newRow("cjk") << u"carol"_s << u"王小明"_s << u"王"_s << u"#8e24aa"_s;
        QTest::newRow("no display name") << u"cris"_s << u"cris"_s << u"C"_s << u"#e53935"_s;
    }
    /*! Avatars: the colour of the user name (the same for any display name and at any scale), white initials,
     *  painted once and then taken from the cache. */
    void avatars()
    {
        QFETCH(QString, user);
        QFETCH(QString, shown);
        QFETCH(QString, initials);
        QFETCH(QString, colour);
        QCOMPARE(Identity::avatarInitials(shown), initials);
        QCOMPARE(Avatar::color(user, false), QColor(colour));
        for (const qreal dpr : {1.0, 2.0}) {
            const QPixmap pixmap = Avatar::pixmap(user, shown, 32, dpr, false);
            QCOMPARE(pixmap.size(), QSize(32, 32) * dpr);
            QCOMPARE(pixmap.devicePixelRatio(), dpr);
            const QImage image = pixmap.toImage();
            // Inside the circle, clear of the initials: the user's colour; a corner: transparent.
            QCOMPARE(image.pixelColor(int(3 * dpr), int(16 * dpr)).name(), colour);
            QCOMPARE(image.pixelColor(0, 0).alpha(), 0);
            // Some white: the initials were drawn (where this machine has a font for the script at all).
            const bool cjk = initials == u"王"_s;
            bool white = cjk && QFontDatabase::families(QFontDatabase::SimplifiedChinese).isEmpty();
            for (int y = 0; y < image.height() && !white; ++y) {
                for (int x = 0; x < image.width() && !white; ++x)
                    white = image.pixelColor(x, y).lightness() > 240;
            }
            QVERIFY(white);
            // The same key: the cached pixmap, not a new painting.
            QCOMPARE(Avatar::pixmap(user, shown, 32, dpr, false).cacheKey(), pixmap.cacheKey());
        }
        // A rename keeps the colour; a dark palette lightens it.
        const QImage renamed = Avatar::pixmap(user, u"Someone Else"_s, 32, 1.0, false).toImage();
        QCOMPARE(renamed.pixelColor(3, 16).name(), colour);
        QCOMPARE(Avatar::color(user, true), QColor(colour).lighter(115));
    }

    /*! A picture in another person's app: alice chooses one in the Profile tab (a wide image: its middle square
     *  is what is sent, 256 px PNG); dora's window shows it in the member list and the timeline instead of the
     *  initials, fetched once; removing it brings the generated avatar back in both windows. */
    void pictureSeenInAnotherApp()
    {
        m_fixture = std::make_unique<UiFixture>();
        m_window = m_fixture->openWindow();
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        auto dora = m_fixture->openWindow();
        QVERIFY(m_fixture->signIn(*dora, u"dora"_s));
        QVERIFY(UiFixture::shareRoom(*m_window->client(), *dora->client(), u"plaza"_s));
        QVERIFY(UiFixture::say(*m_window->client(), u"plaza"_s, u"hola"_s));
        QAbstractItemModel *doraTimeline = dora->chatPage()->messageView()->model();
        QTRY_VERIFY_WITH_TIMEOUT(doraTimeline->rowCount() >= 1, kTimeoutMs);

        m_window->accountAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountDialog() && m_window->accountDialog()->isVisible(), kTimeoutMs);
        AccountDialog *dialog = m_window->accountDialog();
        dialog->showTab(AccountDialog::Tab::Profile);
        QVERIFY(dialog->choosePictureButton()->isEnabled());
        QVERIFY(!dialog->removePictureButton()->isEnabled()); // none yet

        // Red and blue bands either side of a green square: only the green is sent.
        QImage wide(400, 200, QImage::Format_RGB32);
        wide.fill(Qt::red);
        for (int y = 0; y < 200; ++y) {
            for (int x = 100; x < 300; ++x)
                wide.setPixelColor(x, y, kGreen);
            for (int x = 300; x < 400; ++x)
                wide.setPixelColor(x, y, Qt::blue);
        }
        const QString version = Identity::avatarVersion(Avatar::uploadBytes(wide));
        dialog->usePicture(wide);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->profileStatus()->isVisible() && !dialog->profileStatus()->text().isEmpty(),
                                 kTimeoutMs);
        QVERIFY2(!dialog->profileStatus()->property("error").toBool(), qPrintable(dialog->profileStatus()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->removePictureButton()->isEnabled(), kTimeoutMs);
        QCOMPARE(m_window->client()->displayNames()->avatarOf(u"alice"_s), version);
        QCOMPARE(dialog->avatarPreview()->accessibleName(), AccountDialog::tr("Your avatar: your picture"));
        QVERIFY(isGreen(dialog->avatarPreview()->pixmap().toImage(), 0.5));

        // Dora's app: the version arrives with profile_updated, the picture is fetched once and shown.
        QTRY_COMPARE_WITH_TIMEOUT(dora->client()->displayNames()->avatarOf(u"alice"_s), version, kTimeoutMs);
        AvatarPictures *pictures = dora->chatPage()->avatarPictures();
        pictures->picture(u"alice"_s); // as a paint would
        QTRY_VERIFY_WITH_TIMEOUT(!pictures->picture(u"alice"_s).isNull(), kTimeoutMs);
        const QImage fetched = pictures->picture(u"alice"_s).image;
        QCOMPARE(fetched.size(), QSize(AvatarPictures::kDecodedSide, AvatarPictures::kDecodedSide));
        for (const QPoint corner : {QPoint(1, 1), QPoint(126, 1), QPoint(1, 126), QPoint(126, 126)})
            QVERIFY(closeTo(fetched.pixelColor(corner), kGreen)); // the middle square only: no red, no blue
        QAbstractItemModel *members = dora->chatPage()->memberList()->model();
        const int aliceRow = UiFixture::findRow(members, MemberListModel::UserRole, u"alice"_s);
        QVERIFY(aliceRow >= 0);
        const auto memberIcon = [&] {
            const QIcon icon = members->index(aliceRow, 0).data(Qt::DecorationRole).value<QIcon>();
            return icon.pixmap(dora->chatPage()->memberList()->iconSize()).toImage();
        };
        QTRY_VERIFY_WITH_TIMEOUT(isGreen(memberIcon(), 0.3), kTimeoutMs);
        dora->show();
        QTRY_VERIFY_WITH_TIMEOUT(greenPixels(dora->chatPage()->messageView()->viewport()->grab().toImage()) > 50,
                                 kTimeoutMs);

        // Removed: both apps draw the initials again.
        QTest::mouseClick(dialog->removePictureButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dora->client()->displayNames()->avatarOf(u"alice"_s).isEmpty(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!isGreen(memberIcon(), 0.1), kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(greenPixels(dora->chatPage()->messageView()->viewport()->grab().toImage()), 0,
                                  kTimeoutMs);
        QVERIFY(!dialog->profileStatus()->property("error").toBool());
        QVERIFY(!dialog->removePictureButton()->isEnabled());
        QCOMPARE(dialog->avatarPreview()->accessibleName(), AccountDialog::tr("Your avatar: %1").arg(u"A"_s));
        QVERIFY(!isGreen(dialog->avatarPreview()->pixmap().toImage(), 0.1));
    }

    /*! What the server refuses shows in the Profile tab, as does a file that is no picture; nothing changes. */
    void pictureRefusalsShown()
    {
        ServerConfig config = Test::TestServer::testConfig();
        config.limits.maxAvatarBytes = 2000;
        m_fixture = std::make_unique<UiFixture>(config);
        m_window = m_fixture->openWindow();
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        m_window->accountAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(m_window->accountDialog() && m_window->accountDialog()->isVisible(), kTimeoutMs);
        AccountDialog *dialog = m_window->accountDialog();
        dialog->showTab(AccountDialog::Tab::Profile);

        // Noise does not compress: its 256 px PNG is far over 2000 bytes.
        QImage noise(256, 256, QImage::Format_RGB32);
        quint32 state = 7;
        for (int y = 0; y < 256; ++y) {
            for (int x = 0; x < 256; ++x) {
                state = state * 1664525u + 1013904223u;
                noise.setPixel(x, y, state >> 8);
            }
        }
        dialog->usePicture(noise);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->profileStatus()->property("error").toBool(), kTimeoutMs);
        QVERIFY2(dialog->profileStatus()->text().contains(u"too large"_s), qPrintable(dialog->profileStatus()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->choosePictureButton()->isEnabled(), kTimeoutMs);
        QVERIFY(m_window->client()->displayNames()->avatarOf(u"alice"_s).isEmpty());

        const QString notAPicture = m_fixture->path(u"notes.png"_s);
        QFile file(notAPicture);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("these are words, not pixels");
        file.close();
        QVERIFY(!dialog->usePictureFile(notAPicture));
        QVERIFY(dialog->profileStatus()->property("error").toBool());
        QVERIFY(dialog->profileStatus()->text().contains(u"notes.png"_s));
    }

private:
    static constexpr int kTimeoutMs = UiFixture::kTimeoutMs;
    static inline const QColor kGreen{0x12, 0xab, 0x34};

    static bool closeTo(const QColor &a, const QColor &b)
    {
        return std::abs(a.red() - b.red()) < 24 && std::abs(a.green() - b.green()) < 24
            && std::abs(a.blue() - b.blue()) < 24 && a.alpha() > 200;
    }
    static int greenPixels(const QImage &image)
    {
        int count = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x)
                count += closeTo(image.pixelColor(x, y), kGreen) ? 1 : 0;
        }
        return count;
    }
    /// At least `share` of the image is the picture's green.
    static bool isGreen(const QImage &image, double share)
    {
        return !image.isNull() && greenPixels(image) >= share * image.width() * image.height();
    }

    void setUp()
    {
        m_fixture = std::make_unique<UiFixture>();
        m_window = m_fixture->openWindow();
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        m_bob = m_fixture->person(u"bob"_s);
        QVERIFY(UiFixture::shareRoom(*m_bob, *m_window->client(), u"general"_s));
    }
    ChatPage *page() const { return m_window->chatPage(); }

    std::unique_ptr<UiFixture> m_fixture;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ChatClient> m_bob;
};

QTEST_MAIN(TestProfilesUi)
#include "tst_profilesui.moc"
