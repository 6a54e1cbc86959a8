// Display names and generated avatars in the desktop window (issue 12) against a real server: a rename heard
// as profile_updated shows at once in the timeline, the member list (with the user name beside it), the
// screen reader's text and a direct conversation's name; the Account dialog's Profile tab sets ours, which
// the other app hears; avatars have stable colours and the right initials in Latin, Arabic and CJK names.
#include "uifixture.h"

#include "app/models/memberlistmodel.h"
#include "app/models/messagelistmodel.h"
#include "app/session/displaynames.h"
#include "app/session/roomdirectory.h"
#include "app/ui/accountdialog.h"
#include "app/ui/avatar.h"
#include "app/ui/chatpage.h"
#include "app/ui/messageview.h"
#include "shared/identity.h"
#include "shared/names.h"

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

private:
    static constexpr int kTimeoutMs = UiFixture::kTimeoutMs;

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
