// The chat screen against a real server, driven with key and mouse events: rooms (list, unread
// badges, switching, create, join, invite), the composer (Enter, Shift+Enter, the length limit), the
// connection banner and "Retry now", the health panel, and switching the language at run time.
#include "uifixture.h"

#include "app/models/memberlistmodel.h"
#include "app/models/messagelistmodel.h"
#include "app/models/roomlistmodel.h"
#include "app/net/backoff.h"
#include "app/session/connectionhealth.h"
#include "app/session/connectionmanager.h"
#include "app/session/outbox.h"
#include "app/session/roomdirectory.h"
#include "app/storage/clientdatabase.h"
#include "app/ui/chatpage.h"
#include "app/ui/composer.h"
#include "app/ui/composeredit.h"
#include "app/ui/messagedelegate.h"
#include "app/ui/connectionbanner.h"
#include "app/ui/connectionindicator.h"
#include "app/ui/healthpanel.h"
#include "app/ui/languagemanager.h"
#include "app/ui/messageview.h"
#include "app/ui/preferences.h"
#include "app/ui/preferencesdialog.h"
#include "app/ui/quickswitcher.h"
#include "app/ui/roomdialog.h"
#include "app/ui/rttchart.h"
#include "app/ui/signinpage.h"
#include "app/ui/uitext.h"

#include <QtCore/QDir>
#include <QtCore/QStandardPaths>
#include <QtGui/QClipboard>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QCompleter>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QToolButton>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using State = ConnectionManager::State;

namespace {
constexpr int kTimeoutMs = UiFixture::kTimeoutMs;

QStringList texts(const QAbstractItemModel *model)
{
    QStringList result;
    for (int row = 0; row < model->rowCount(); ++row)
        result << model->index(row, 0).data(MessageListModel::TextRole).toString();
    return result;
}

QStringList texts(const ChatRoom *room)
{
    QStringList result;
    if (room) {
        for (const auto &message : room->messages())
            result << message.text;
    }
    return result;
}
} // namespace

class TestChatWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init();
    void cleanup();

    /*! Rooms another person creates show up; clicking one we are not in offers Join; joining by name
     *  with Ctrl+J; clicking and Alt+Up/Down switch rooms; unread counts show as badges and in the title. */
    void roomsAndSwitching();
    /*! Text typed in one room stays there as its draft: another room's composer starts empty (so Enter
     *  cannot post it there), coming back brings it back, and so does restarting the app. */
    void draftsStayWithTheirRoom();
    /*! The title, the tray and the badges count the same unread messages: writing in the open room
     *  counts nothing, and after a reconnect the title says what the badges add up to. */
    void unreadCountsAgree();
    /*! Enter sends; Shift+Enter starts a new line and sends nothing; the other person gets both. */
    void enterSendsShiftEnterNewLine();
    /*! The limit line appears near the server's limit, a text over it cannot be sent (button or
     *  Enter), and counts UTF-8 bytes as the server does. */
    void lengthLimit();
    /*! The connection drops: the banner says when the next attempt is and that unsent messages wait;
     *  "Retry now" reconnects at once and the message goes out. F5 does the same. */
    void bannerAndRetryNow();
    /*! Ctrl+Shift+H (or the status bar) opens the health panel with live numbers, the RTT chart and
     *  "Copy diagnostics". */
    void healthPanel();
    /*! Ctrl+N creates a (private) room, a taken name is refused in plain words, Ctrl+I invites. */
    void createAndInvite();
    /*! Invited to a private room, alice opens it and joins: its members show at once. */
    void acceptInviteShowsMembers();
    /*! Leaving asks first (Cancel keeps the room); once left, the room's page says so, and joining
     *  again works from there. */
    void leaveRoomAsksFirst();
    /*! Scrolled up while a message arrives: the view stays, a "New messages below" button appears and
     *  the room stays unread until the reader is back at the newest message. */
    /*! Up in the empty box edits our last message (Escape cancels and gives the draft back); the context
        menu deletes after asking; bob sees both; the rows say "edited" and "This message was deleted". */
    void editAndDeleteOwnMessages();
    /*! Reply from the message menu or Ctrl+Shift+R: a quote bar over the box (Escape or ✕ cancels); the reply
        reaches bob with reply_to, shows the quote, and a click on the quote selects the original. Written
        offline, a reply stays one when it goes out later. */
    void replyToMessages();
    /*! A reply whose original is older than the loaded page says so; a click on its quote pages back until
        the original is there and selects it. */
    void replyToAnOlderMessage();
    /*! Written offline, the app closed, started again a quarter of an hour later: the message goes out with
        when it was written (kept in the profile's outbox), and bob, the window and a later restart (history)
        show that time, the row saying it was sent later (marker, tooltip, screen reader); a message sent as
        written says nothing of the kind. */
    void writtenOfflineKeepsItsTime();
    /*! React from the message menu; bob sees it; a click on our chip takes it back; bob's reaction shows as a
        chip with its count (and for screen readers). */
    void reactions();
    void newMessagesBelow();
    /*! Opening a room with unread messages draws "New messages" above the first of them; Shift+Esc (Room →
        Jump to first unread) brings that row into view from anywhere in the timeline. */
    void unreadLineAndJump();
    /*! While disconnected nobody shows as online; once back, bob's presence returns. */
    void presenceUnknownWhileOffline();
    /*! Quit with a message still unsent asks first: Keep open keeps the window, Quit anyway closes it. */
    void quitAsksAboutUnsent();
    /*! The title names the room and the unread count, never the app (the platform adds its name). */
    void titleWithoutAppName();
    /*! A server that keeps not answering: the banner offers another server, which signs out and opens the sign-in screen ready for a new address. */
    void offersAnotherServer();
    /*! A window saved larger than the screen (another monitor, another scale) opens on the screen. */
    void windowFitsTheScreen();
    /*! Screen readers hear who wrote a message and when, not only its text. */
    void accessibleMessages();
    /*! Tab goes around the chat in reading order (rooms, their buttons, timeline, composer, Send,
     *  members, back to rooms) and never into the status bar; Escape in a list goes back to writing. */
    void tabOrderAndEscape();
    /*! Ctrl+K finds a room by part of its name; Enter opens it, Escape changes nothing. */
    void quickSwitcher();
    /*! Preferences switch the whole window, the core's texts and dates to Spanish and back, at once. */
    void languageSwitch();
    /*! Every Alt+letter on screen does one thing, in both languages: sign-in, chat, banner, dialogs. */
    void mnemonicsAreUnique();
    /*! Typing "@" and the start of a member's name opens a list of matching members (not ourselves);
     *  Tab and Enter take the name (Enter sends nothing), Escape closes the list and keeps the text. */
    void mentionCompletion();
    /*! A mention of alice in another room shows a mention badge beside the unread one, opening the room
     *  clears both; the room list's context menu (right click, Shift+F10) mutes a room and marks it read,
     *  the header's button shows and changes it, and the mute is still there after a restart. */
    void mentionBadgeAndMute();

private:
    /// alice signed in through the window, bob as a plain client; both in `general` (bob created it).
    void aliceAndBobInGeneral(const ServerConfig &config = Test::TestServer::testConfig());
    ChatPage *page() const { return m_window->chatPage(); }
    ComposerEdit *editor() const { return page()->composer()->editor(); }
    ChatRoom *aliceRoom(const QString &name) const { return m_window->client()->rooms()->find(name); }
    ChatRoom *bobRoom(const QString &name) const { return m_bob->rooms()->find(name); }
    /// After a dialog closed: the offscreen platform has no window manager to give the window back
    /// its activation (and shortcuts need an active window).
    bool reactivate()
    {
        m_window->activateWindow();
        return QTest::qWaitForWindowActive(m_window.get());
    }
    bool selectRoom(const QString &name);

    std::unique_ptr<UiFixture> m_fixture;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ChatClient> m_bob;
};

void TestChatWindow::init() { }

void TestChatWindow::cleanup()
{
    m_window.reset();
    m_bob.reset();
    m_fixture.reset();
}

void TestChatWindow::aliceAndBobInGeneral(const ServerConfig &config)
{
    m_fixture = std::make_unique<UiFixture>(config);
    m_window = m_fixture->openWindow();
    QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
    m_bob = m_fixture->person(u"bob"_s);
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->createRoom(u"general"_s, false, context, done);
    }));
    m_bob->setCurrentRoom(u"general"_s);
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"general"_s), kTimeoutMs);
    QVERIFY(selectRoom(u"general"_s));
    QTRY_VERIFY(page()->joinButton()->isVisible());
    QTest::mouseClick(page()->joinButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"general"_s)->isJoined() && aliceRoom(u"general"_s)->isLoaded(), kTimeoutMs);
    QTRY_VERIFY(editor()->isEnabled());
}

bool TestChatWindow::selectRoom(const QString &name)
{
    const int row = UiFixture::findRow(page()->roomList()->model(), RoomListModel::NameRole, name);
    if (row < 0)
        return false;
    UiFixture::clickRow(page()->roomList(), row);
    return QTest::qWaitFor([this, &name] {
        return m_window->client()->currentRoom() && m_window->client()->currentRoom()->name() == name;
    }, kTimeoutMs);
}

void TestChatWindow::roomsAndSwitching()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->createRoom(u"random"_s, false, context, done);
    }));
    QVERIFY(UiFixture::say(*m_bob, u"random"_s, u"hola from bob"_s));
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"random"_s), kTimeoutMs);
    QVERIFY(!aliceRoom(u"random"_s)->isJoined());

    // Join by name from the keyboard.
    QTest::keyClick(m_window.get(), Qt::Key_J, Qt::ControlModifier);
    QTRY_VERIFY(page()->openDialog() && page()->openDialog()->isVisible());
    QCOMPARE(page()->openDialog()->mode(), RoomDialog::Mode::Join);
    // The rooms there are to join, filtered as the name is typed.
    QListWidget *choices = page()->openDialog()->roomList();
    QTRY_VERIFY(choices->isVisible());
    QCOMPARE(choices->count(), 1);
    QCOMPARE(choices->item(0)->text(), u"random"_s);
    QTest::keyClicks(page()->openDialog()->nameEdit(), u"xyz"_s);
    QVERIFY(choices->item(0)->isHidden());
    page()->openDialog()->nameEdit()->clear();
    QTest::keyClicks(page()->openDialog()->nameEdit(), u"rand"_s);
    QVERIFY(!choices->item(0)->isHidden());
    page()->openDialog()->nameEdit()->clear();
    QTest::keyClicks(page()->openDialog()->nameEdit(), u"random"_s);
    QTest::keyClick(page()->openDialog()->nameEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!page()->openDialog(), kTimeoutMs);
    QVERIFY(reactivate());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->currentRoom(), aliceRoom(u"random"_s), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(texts(page()->messageView()->model()).contains(u"hola from bob"_s), kTimeoutMs);

    // Click back to general.
    QVERIFY(selectRoom(u"general"_s));
    QCOMPARE(page()->messageView()->model()->rowCount(), 0);

    // A message in the room we are not looking at: a badge and the title.
    QVERIFY(UiFixture::say(*m_bob, u"random"_s, u"are you there?"_s));
    const QAbstractItemModel *rooms = page()->roomList()->model();
    const int randomRow = UiFixture::findRow(rooms, RoomListModel::NameRole, u"random"_s);
    QTRY_COMPARE_WITH_TIMEOUT(rooms->index(randomRow, 0).data(RoomListModel::UnreadCountRole).toInt(), 1, kTimeoutMs);
    QVERIFY(rooms->index(randomRow, 0).data(Qt::AccessibleTextRole).toString().contains(u"1 unread"_s));
    QTRY_VERIFY(m_window->windowTitle().startsWith(u"(1) "_s));
    QCOMPARE(m_window->totalUnread(), 1);

    // Alt+Down/Up move through the list; reading the room clears the badge and the title.
    const int generalRow = UiFixture::findRow(rooms, RoomListModel::NameRole, u"general"_s);
    QTest::keyClick(m_window.get(), randomRow > generalRow ? Qt::Key_Down : Qt::Key_Up, Qt::AltModifier);
    QTRY_COMPARE(m_window->client()->currentRoom(), aliceRoom(u"random"_s));
    QTRY_COMPARE(rooms->index(randomRow, 0).data(RoomListModel::UnreadCountRole).toInt(), 0);
    QTRY_VERIFY(!m_window->windowTitle().startsWith(u"("_s));
    QVERIFY(m_window->windowTitle().contains(u"#random"_s));
    QTRY_VERIFY_WITH_TIMEOUT(texts(page()->messageView()->model()).contains(u"are you there?"_s), kTimeoutMs);
    QTest::keyClick(m_window.get(), randomRow > generalRow ? Qt::Key_Up : Qt::Key_Down, Qt::AltModifier);
    QTRY_COMPARE(m_window->client()->currentRoom(), aliceRoom(u"general"_s));

    // Members of the room with their presence.
    QTRY_COMPARE_WITH_TIMEOUT(page()->memberList()->model()->rowCount(), 2, kTimeoutMs);
    QVERIFY(!page()->memberList()->model()->index(0, 0).data(Qt::DecorationRole).value<QIcon>().isNull());
}

void TestChatWindow::draftsStayWithTheirRoom()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->createRoom(u"random"_s, false, context, done);
    }));
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_window->client()->joinRoom(u"random"_s, context, done);
    }));

    QVERIFY(selectRoom(u"general"_s));
    QTest::keyClicks(editor(), u"only for general"_s);
    QVERIFY(selectRoom(u"random"_s));
    QCOMPARE(editor()->toPlainText(), QString());
    editor()->setFocus();
    QTest::keyClick(editor(), Qt::Key_Return); // nothing to send here
    QVERIFY(m_window->client()->outbox()->isEmpty());
    QTest::keyClicks(editor(), u"for random"_s);

    QVERIFY(selectRoom(u"general"_s));
    QCOMPARE(editor()->toPlainText(), u"only for general"_s);
    QVERIFY(selectRoom(u"random"_s));
    QCOMPARE(editor()->toPlainText(), u"for random"_s);
    QTest::keyClick(editor(), Qt::Key_Return); // sent: the draft goes with it
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobRoom(u"random"_s)).contains(u"for random"_s), kTimeoutMs);
    QVERIFY(texts(bobRoom(u"general"_s)).isEmpty());
    QVERIFY(m_window->client()->draft(u"random"_s).isEmpty());

    // A restart: the same profile signs in again and finds general's draft where it was left.
    QVERIFY(selectRoom(u"general"_s));
    const QString profile = m_window->profile().name();
    m_window.reset();
    m_window = m_fixture->reopenWindow(profile);
    QVERIFY(m_window);
    UiFixture::typeSignIn(*m_window, m_fixture->address().id(), u"alice"_s, UiFixture::kPassword);
    QVERIFY(UiFixture::waitConnected(*m_window->client()));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->currentRoom() == aliceRoom(u"general"_s), kTimeoutMs);
    QTRY_COMPARE(editor()->toPlainText(), u"only for general"_s);
    QVERIFY(selectRoom(u"random"_s));
    QCOMPARE(editor()->toPlainText(), QString());
}

void TestChatWindow::unreadLineAndJump()
{
    aliceAndBobInGeneral();
    for (int i = 0; i < 3; ++i)
        QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"read %1"_s.arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom(u"general"_s)->lastSeq(), 3, kTimeoutMs);
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->createRoom(u"random"_s, false, context, done);
    }));
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_window->client()->joinRoom(u"random"_s, context, done);
    }));
    QVERIFY(selectRoom(u"random"_s));
    for (int i = 0; i < 40; ++i) // more than a screen: the line starts out of sight
        QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"unread %1"_s.arg(i)));
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom(u"general"_s)->unreadCount(), 40, kTimeoutMs);

    QVERIFY(selectRoom(u"general"_s));
    QCOMPARE(aliceRoom(u"general"_s)->unreadCount(), 0);
    const QAbstractItemModel *model = page()->messageView()->model();
    const auto lineRows = [model] {
        QList<int> rows;
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(MessageListModel::UnreadLineRole).toBool())
                rows << row;
        }
        return rows;
    };
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 43, kTimeoutMs);
    QCOMPARE(lineRows(), QList<int>{3});
    QCOMPARE(model->index(3, 0).data(MessageListModel::TextRole).toString(), u"unread 0"_s);
    // The row with the line is taller by it than the same row without.
    MessageView *view = page()->messageView();
    QVERIFY(view->visualRect(model->index(3, 0)).height() > view->visualRect(model->index(4, 0)).height());

    QVERIFY(!view->viewport()->rect().intersects(view->visualRect(model->index(3, 0))));
    QTest::keyClick(m_window.get(), Qt::Key_Escape, Qt::ShiftModifier);
    QTRY_VERIFY(view->viewport()->rect().intersects(view->visualRect(model->index(3, 0))));
    QCOMPARE(view->currentIndex().row(), 3);

    // Another room, and back: everything was read, no line.
    QVERIFY(selectRoom(u"random"_s));
    QVERIFY(selectRoom(u"general"_s));
    QVERIFY(lineRows().isEmpty());
}

void TestChatWindow::unreadCountsAgree()
{
    aliceAndBobInGeneral();
    const QAbstractItemModel *rooms = page()->roomList()->model();
    const auto badges = [rooms] {
        int sum = 0;
        for (int row = 0; row < rooms->rowCount(); ++row)
            sum += rooms->index(row, 0).data(RoomListModel::UnreadCountRole).toInt();
        return sum;
    };
    const auto titleCount = [this] {
        const QString title = m_window->windowTitle();
        if (!title.startsWith(u'('))
            return 0;
        return title.mid(1, title.indexOf(u')') - 1).toInt();
    };

    // Writing in the open room: the title gains no count, now or when the echo arrives.
    QTest::keyClicks(editor(), u"my own words"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->outbox()->isEmpty(), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(texts(aliceRoom(u"general"_s)).contains(u"my own words"_s), kTimeoutMs);
    QCOMPARE(titleCount(), 0);
    QCOMPARE(m_window->totalUnread(), 0);

    // Another room fills up while alice is offline, and she writes there too before it comes back.
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->createRoom(u"random"_s, false, context, done);
    }));
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_window->client()->joinRoom(u"random"_s, context, done);
    }));
    QVERIFY(UiFixture::say(*m_bob, u"random"_s, u"one"_s));
    QTRY_COMPARE_WITH_TIMEOUT(badges(), 1, kTimeoutMs);
    QCOMPARE(titleCount(), 1);
    m_fixture->proxy().setAccepting(false);
    m_fixture->proxy().cutAll();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->connection()->state() != State::Connected, kTimeoutMs);
    QVERIFY(UiFixture::say(*m_bob, u"random"_s, u"two"_s));
    QVERIFY(UiFixture::say(*m_bob, u"random"_s, u"three"_s));
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"four"_s));
    m_fixture->proxy().setAccepting(true);
    QVERIFY(UiFixture::waitConnected(*m_window->client()));
    QTRY_VERIFY_WITH_TIMEOUT(texts(aliceRoom(u"random"_s)).contains(u"three"_s), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(texts(aliceRoom(u"general"_s)).contains(u"four"_s), kTimeoutMs);
    QCOMPARE(badges(), 3); // general is open: read
    QCOMPARE(titleCount(), badges());
    QCOMPARE(m_window->totalUnread(), badges());
}

void TestChatWindow::enterSendsShiftEnterNewLine()
{
    aliceAndBobInGeneral();
    QTest::keyClicks(editor(), u"hello bob"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QVERIFY(editor()->toPlainText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobRoom(u"general"_s)).contains(u"hello bob"_s), kTimeoutMs);
    QCOMPARE(texts(page()->messageView()->model()).last(), u"hello bob"_s);
    // Our own echo confirms it: then the outbox is empty (bob may have it a moment before we do).
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->outbox()->isEmpty(), kTimeoutMs);

    const int rows = page()->messageView()->model()->rowCount();
    QTest::keyClicks(editor(), u"line one"_s);
    QTest::keyClick(editor(), Qt::Key_Return, Qt::ShiftModifier);
    QTest::keyClicks(editor(), u"line two"_s);
    QCOMPARE(editor()->toPlainText(), u"line one\nline two"_s);
    QCOMPARE(page()->messageView()->model()->rowCount(), rows); // nothing sent yet
    QCOMPARE(m_window->client()->outbox()->entries().size(), 0);
    QTest::keyClick(editor(), Qt::Key_Enter); // the keypad's Enter sends too
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobRoom(u"general"_s)).contains(u"line one\nline two"_s), kTimeoutMs);

    // The Send button, reached with the keyboard: Tab from the editor, then Space.
    QTest::keyClicks(editor(), u"by button"_s);
    editor()->setFocus();
    QTest::keyClick(editor(), Qt::Key_Tab);
    QTRY_COMPARE(QApplication::focusWidget(), page()->composer()->sendButton());
    QTest::keyClick(page()->composer()->sendButton(), Qt::Key_Space);
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobRoom(u"general"_s)).contains(u"by button"_s), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->outbox()->isEmpty(), kTimeoutMs);
}

void TestChatWindow::lengthLimit()
{
    ServerConfig config = Test::TestServer::testConfig();
    config.limits.maxTextBytes = 200;
    aliceAndBobInGeneral(config);
    QCOMPARE(m_window->client()->maxTextBytes(), 200);
    QLabel *limit = page()->composer()->limitLabel();
    QPushButton *send = page()->composer()->sendButton();

    QTest::keyClicks(editor(), QString(150, u'a'));
    QVERIFY(!limit->isVisible());
    QVERIFY(send->isEnabled());
    QTest::keyClicks(editor(), QString(20, u'b'));
    QVERIFY(limit->isVisible());
    QCOMPARE(limit->text(), u"170 of 200 bytes used."_s);
    QTest::keyClicks(editor(), QString(31, u'c'));
    QVERIFY(limit->isVisible());
    QVERIFY2(limit->text().startsWith(u"Too long: 201 of 200 bytes."_s), qPrintable(limit->text()));
    QVERIFY(!send->isEnabled());

    QTest::keyClick(editor(), Qt::Key_Return);
    QCOMPARE(editor()->toPlainText().size(), 201); // kept, not sent
    QCOMPARE(m_window->client()->outbox()->entries().size(), 0);

    QTest::keyClick(editor(), Qt::Key_Backspace);
    QTest::keyClick(editor(), Qt::Key_Backspace);
    QVERIFY(send->isEnabled());
    QCOMPARE(limit->text(), u"199 of 200 bytes used."_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QVERIFY(editor()->toPlainText().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!bobRoom(u"general"_s)->messages().isEmpty()
                                 && bobRoom(u"general"_s)->messages().last().text.size() == 199,
                             kTimeoutMs);

    // Bytes, not characters: ñ takes two. (keyClicks only types ASCII.)
    const auto typeEnye = [this] { QTest::sendKeyEvent(QTest::Click, editor(), Qt::Key_Ntilde, u"ñ"_s, Qt::NoModifier); };
    for (int i = 0; i < 100; ++i)
        typeEnye();
    QVERIFY(send->isEnabled());
    QCOMPARE(limit->text(), u"200 of 200 bytes used."_s);
    typeEnye();
    QVERIFY(!send->isEnabled());
    QVERIFY(limit->text().startsWith(u"Too long: 202 of 200 bytes."_s));
}

void TestChatWindow::bannerAndRetryNow()
{
    aliceAndBobInGeneral();
    ConnectionBanner *banner = page()->banner();
    QVERIFY(!banner->isVisible());

    // Every wait is the full 30 s, so only "Retry now" can bring the connection back in time.
    m_window->client()->connection()->setBackoff(Backoff({30s, 30s}, [] { return 0.999; }));
    m_fixture->proxy().setAccepting(false);
    m_fixture->proxy().cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->connection()->state(), State::Reconnecting, kTimeoutMs);
    QTRY_VERIFY(banner->isVisible());
    QVERIFY2(banner->messageLabel()->text().contains(u"Reconnecting in "_s), qPrintable(banner->messageLabel()->text()));
    QVERIFY(banner->messageLabel()->text().contains(u"30 s…"_s) || banner->messageLabel()->text().contains(u"29 s…"_s));
    QVERIFY(banner->retryButton()->isVisible());
    QVERIFY(banner->detailLabel()->text().startsWith(u"Last connection: "_s));
    // In our words (and so in the person's language), not the system's "The remote host closed the connection".
    QTRY_VERIFY2(banner->detailLabel()->text().contains(u"Connection lost: the server closed the connection."_s),
                 qPrintable(banner->detailLabel()->text()));
    QVERIFY(m_window->connectionIndicator()->text().startsWith(u"Reconnecting in"_s));

    // Written while offline: it waits, and the banner says so.
    QTest::keyClicks(editor(), u"sent while offline"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QTRY_VERIFY(banner->detailLabel()->text().contains(
        u"Offline: messages will be sent when the connection returns (1 waiting)."_s));
    const QModelIndex last = page()->messageView()->model()->index(page()->messageView()->model()->rowCount() - 1, 0);
    QCOMPARE(last.data(MessageListModel::TextRole).toString(), u"sent while offline"_s);
    QCOMPARE(last.data(MessageListModel::DeliveryRole).toInt(), int(TimelineItem::Delivery::Sending));
    QVERIFY(m_window->client()->connection()->msUntilNextAttempt() > 20000);

    m_fixture->proxy().setAccepting(true);
    QTest::mouseClick(banner->retryButton(), Qt::LeftButton);
    QVERIFY(UiFixture::waitConnected(*m_window->client(), 10000));
    QTRY_VERIFY(!banner->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobRoom(u"general"_s)).contains(u"sent while offline"_s), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->outbox()->isEmpty(), kTimeoutMs);

    // Again, with the keyboard: F5.
    m_fixture->proxy().setAccepting(false);
    m_fixture->proxy().cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->connection()->state(), State::Reconnecting, kTimeoutMs);
    QTRY_VERIFY(banner->isVisible());
    m_fixture->proxy().setAccepting(true);
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QVERIFY(UiFixture::waitConnected(*m_window->client(), 10000));
    QTRY_VERIFY(!banner->isVisible());
}

void TestChatWindow::healthPanel()
{
    aliceAndBobInGeneral();
    ConnectionOptions options = m_window->client()->connection()->options();
    options.pingInterval = 100ms; // samples for the chart within a second
    m_window->client()->connection()->setOptions(options);
    HealthPanel *panel = m_window->healthPanel();
    QVERIFY(!panel->isVisible());

    QTest::keyClick(m_window.get(), Qt::Key_H, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(panel->isVisible());
    using Field = HealthPanel::Field;
    QCOMPARE(panel->value(Field::State), ConnectionManager::stateName(State::Connected));
    QVERIFY2(panel->value(Field::Server).startsWith(u"Test server (version "_s), qPrintable(panel->value(Field::Server)));
    QVERIFY(panel->value(Field::Address).contains(u":%1/ws"_s.arg(m_fixture->proxy().port())));
    QVERIFY(panel->value(Field::Encryption).startsWith(u"None"_s));
    QTRY_VERIFY_WITH_TIMEOUT(panel->chart()->samples().size() >= 3, kTimeoutMs);
    QTRY_VERIFY(panel->value(Field::RttCurrent).endsWith(u" ms"_s));
    QVERIFY(panel->value(Field::RttMean).endsWith(u" ms"_s));
    QCOMPARE(panel->value(Field::Reconnects), u"0"_s);
    QCOMPARE(panel->value(Field::LastDisconnect), u"None"_s);

    // Messages are what the person saw and did: two from bob, one of hers (pings and typing are frames).
    QCOMPARE(panel->value(Field::Messages), u"0 / 0"_s);
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"one"_s));
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"two"_s));
    QTest::keyClicks(editor(), u"three"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(texts(aliceRoom(u"general"_s)).size() == 3, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(panel->value(Field::Messages), u"2 / 1"_s, 3000);

    // A reconnect shows up in the numbers.
    m_fixture->proxy().cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->health()->reconnectCount(), 1, kTimeoutMs);
    QVERIFY(UiFixture::waitConnected(*m_window->client()));
    QTRY_COMPARE_WITH_TIMEOUT(panel->value(Field::Reconnects), u"1"_s, 3000);
    QVERIFY(panel->value(Field::LastDisconnect) != u"None"_s);
    QTRY_VERIFY_WITH_TIMEOUT(panel->value(Field::LastResume).startsWith(u"Complete ("_s), 3000);

    QGuiApplication::clipboard()->clear();
    QTest::mouseClick(panel->copyButton(), Qt::LeftButton);
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY2(copied.contains(u"rtt: current"_s) && copied.contains(u"address: ws://127.0.0.1:"_s), qPrintable(copied));
    QVERIFY(copied.contains(u"reconnects 1"_s));

    // Narrow (or at 2×): each value under its name, with the width to be read, not a letter per line.
    m_window->resizeDocks({panel}, {220}, Qt::Horizontal);
    QTRY_VERIFY(panel->width() < panel->sideBySideMinWidth());
    QTRY_VERIFY2(panel->valueLabel(Field::State)->width() > panel->width() / 2,
                 qPrintable(u"%1 of %2"_s.arg(panel->valueLabel(Field::State)->width()).arg(panel->width())));

    QTest::keyClick(m_window.get(), Qt::Key_H, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(!panel->isVisible());
    // The status bar's indicator opens it too.
    QTest::mouseClick(m_window->connectionIndicator(), Qt::LeftButton);
    QTRY_VERIFY(panel->isVisible());

    // Signed in elsewhere (another account here), nothing of the last session carries over.
    m_window->signOut();
    QVERIFY(m_fixture->signIn(*m_window, u"carol"_s));
    QTRY_COMPARE(panel->value(Field::Reconnects), u"0"_s);
    QCOMPARE(panel->value(Field::Messages), u"0 / 0"_s);
    QCOMPARE(panel->value(Field::LastDisconnect), u"None"_s);
}

void TestChatWindow::createAndInvite()
{
    aliceAndBobInGeneral();
    QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
    QTRY_VERIFY(page()->openDialog() && page()->openDialog()->isVisible());
    RoomDialog *dialog = page()->openDialog();
    QVERIFY(QTest::qWaitForWindowActive(dialog));
    QTRY_COMPARE(QApplication::focusWidget(), dialog->nameEdit());
    QTest::keyClicks(dialog->nameEdit(), u"plans"_s);
    QTest::keyClick(dialog->nameEdit(), Qt::Key_Tab);
    QCOMPARE(QApplication::focusWidget(), dialog->privateBox());
    QTest::keyClick(dialog->privateBox(), Qt::Key_Space);
    QVERIFY(dialog->privateBox()->isChecked());
    QTest::keyClick(dialog->privateBox(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!page()->openDialog(), kTimeoutMs);
    QVERIFY(reactivate());
    QTRY_VERIFY(aliceRoom(u"plans"_s) && m_window->client()->currentRoom() == aliceRoom(u"plans"_s));
    QVERIFY(aliceRoom(u"plans"_s)->isPrivate());
    QTRY_VERIFY(editor()->hasFocus()); // ready to write

    // The same name again: refused in plain words, the dialog stays.
    QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
    QTRY_VERIFY(page()->openDialog() && page()->openDialog()->isVisible());
    dialog = page()->openDialog();
    QTest::keyClicks(dialog->nameEdit(), u"PLANS"_s);
    QTest::keyClick(dialog->nameEdit(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->errorLabel()->isVisible(), kTimeoutMs);
    QCOMPARE(dialog->errorLabel()->text(), UiText::roomError({Protocol::ErrorCode::Conflict, {}}));
    QTest::keyClick(dialog->nameEdit(), Qt::Key_End);
    QVERIFY(dialog->rulesLabel()->isVisible()); // the rules are there before anything goes wrong
    QTest::keyClicks(dialog->nameEdit(), u" x"_s); // not a room name: said at once, and Create is off
    QVERIFY(dialog->errorLabel()->isVisible());
    QCOMPARE(dialog->errorLabel()->text(), UiText::roomError({Protocol::ErrorCode::InvalidName, {}}));
    QVERIFY(!dialog->submitButton()->isEnabled());
    // The whole sentence fits: nothing of the error is cut off.
    QVERIFY(dialog->errorLabel()->height() >= dialog->errorLabel()->heightForWidth(dialog->errorLabel()->width()));
    QVERIFY(dialog->errorLabel()->geometry().bottom() <= dialog->rect().bottom());
    QTest::keyClick(dialog->nameEdit(), Qt::Key_Return);
    QCOMPARE(dialog->errorLabel()->text(), UiText::roomError({Protocol::ErrorCode::InvalidName, {}}));
    QTest::keyClick(dialog->nameEdit(), Qt::Key_Backspace);
    QTest::keyClick(dialog->nameEdit(), Qt::Key_Backspace); // "PLANS" again: valid as far as the window can tell
    QVERIFY(!dialog->errorLabel()->isVisible());
    QVERIFY(dialog->rulesLabel()->isVisible());
    QVERIFY(dialog->submitButton()->isEnabled());
    QTest::keyClick(dialog, Qt::Key_Escape);
    QTRY_VERIFY(!page()->openDialog());
    QVERIFY(reactivate());

    // Invite bob to the private room.
    QSignalSpy invited(m_bob.get(), &ChatClient::invited);
    QTest::keyClick(m_window.get(), Qt::Key_I, Qt::ControlModifier);
    QTRY_VERIFY(page()->openDialog() && page()->openDialog()->mode() == RoomDialog::Mode::Invite);
    QTest::keyClicks(page()->openDialog()->nameEdit(), u"bob"_s);
    QTest::keyClick(page()->openDialog()->nameEdit(), Qt::Key_Return);
    QVERIFY(invited.wait(kTimeoutMs));
    QTRY_VERIFY(!page()->openDialog());
    // The inviter hears that it worked.
    QTRY_VERIFY(page()->noticeLabel()->isVisible());
    QCOMPARE(page()->noticeLabel()->text(), u"bob is invited to #plans and can join it from their room list."_s);
}

void TestChatWindow::acceptInviteShowsMembers()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->createRoom(u"secret"_s, true, context, done);
    }));
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->invite(u"secret"_s, u"alice"_s, context, done);
    }));
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"secret"_s), kTimeoutMs);
    // The invitee is told, in the window (and by a notification: tst_notifier).
    QTRY_VERIFY(page()->noticeLabel()->isVisible());
    QCOMPARE(page()->noticeLabel()->text(),
             u"bob invited you to the private room #secret. Open it in the room list to join."_s);
    QVERIFY(selectRoom(u"secret"_s));
    QTRY_VERIFY(page()->joinButton()->isVisible());
    QCOMPARE(page()->memberList()->model()->rowCount(), 0); // not hers to see yet
    QTest::mouseClick(page()->joinButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"secret"_s)->isJoined(), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(page()->memberList()->model()->rowCount(), 2, kTimeoutMs);
    QCOMPARE(aliceRoom(u"secret"_s)->memberCount(), 2);
}

void TestChatWindow::leaveRoomAsksFirst()
{
    aliceAndBobInGeneral();
    page()->leaveRoom();
    QTRY_VERIFY(page()->leaveQuestion() && page()->leaveQuestion()->isVisible());
    QCOMPARE(page()->leaveQuestion()->text(), u"Leave #general?"_s);
    QVERIFY(page()->leaveQuestion()->informativeText().contains(u"join it again"_s));
    page()->leaveQuestion()->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!page()->leaveQuestion());
    QVERIFY(aliceRoom(u"general"_s)->isJoined());

    page()->leaveRoom();
    QTRY_VERIFY(page()->leaveQuestion() && page()->leaveQuestion()->isVisible());
    QTest::keyClick(page()->leaveQuestion(), Qt::Key_Return); // Leave is the default
    QTRY_VERIFY_WITH_TIMEOUT(!aliceRoom(u"general"_s)->isJoined(), kTimeoutMs);
    QTRY_VERIFY(page()->joinButton()->isVisible());
    QCOMPARE(page()->notJoinedLabel()->text(), u"You left #general. Join it again to read and write messages."_s);

    QTest::mouseClick(page()->joinButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"general"_s)->isJoined(), kTimeoutMs);
    QTRY_VERIFY(editor()->isEnabled());
}

void TestChatWindow::editAndDeleteOwnMessages()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"bob was here"_s));
    QTest::keyClicks(editor(), u"helo bob"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobRoom(u"general"_s)).contains(u"helo bob"_s), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->outbox()->isEmpty(), kTimeoutMs);
    QAbstractItemModel *model = page()->messageView()->model();
    const int ownRow = model->rowCount() - 1;

    // Up in the empty box: our last message to edit; Escape gives back what was there (nothing).
    QTest::keyClick(editor(), Qt::Key_Up);
    QCOMPARE(editor()->toPlainText(), u"helo bob"_s);
    QVERIFY(page()->composer()->editingLabel()->isVisible());
    QTest::keyClick(editor(), Qt::Key_Escape);
    QVERIFY(editor()->toPlainText().isEmpty());
    QCOMPARE(page()->composer()->editingSeq(), 0);
    // A draft waits while editing and comes back after saving.
    QTest::keyClicks(editor(), u"draft"_s);
    QTest::keyClick(editor(), Qt::Key_Up); // not empty: the cursor moves, no edit
    QCOMPARE(page()->composer()->editingSeq(), 0);
    page()->composer()->startEditing(model->index(ownRow, 0).data(MessageListModel::SeqRole).toLongLong(),
                                     model->index(ownRow, 0).data(MessageListModel::TextRole).toString());
    editor()->selectAll();
    QTest::keyClicks(editor(), u"hello bob"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QCOMPARE(editor()->toPlainText(), u"draft"_s);
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobRoom(u"general"_s)).contains(u"hello bob"_s), kTimeoutMs);
    QVERIFY(!texts(bobRoom(u"general"_s)).contains(u"helo bob"_s));
    QTRY_COMPARE_WITH_TIMEOUT(model->index(ownRow, 0).data(MessageListModel::TextRole).toString(), u"hello bob"_s,
                              kTimeoutMs);
    QVERIFY(model->index(ownRow, 0).data(MessageListModel::EditedRole).toDateTime().isValid());
    QCOMPARE(model->rowCount(), ownRow + 1); // the edit is no row
    QVERIFY(model->index(ownRow, 0).data(Qt::AccessibleTextRole).toString().contains(u"(edited"_s));

    // bob's message: no Edit or Delete in its menu.
    page()->messageView()->setCurrentIndex(model->index(ownRow - 1, 0));
    page()->messageView()->openContextMenuForCurrent();
    QTRY_VERIFY(page()->messageView()->contextMenu());
    QStringList items;
    for (QAction *action : page()->messageView()->contextMenu()->actions())
        items << action->text();
    QVERIFY(!items.contains(u"&Edit"_s));
    page()->messageView()->contextMenu()->close();

    // Ours: Delete… asks first; Cancel keeps it; Delete deletes it for everyone.
    page()->messageView()->setCurrentIndex(model->index(ownRow, 0));
    page()->messageView()->openContextMenuForCurrent();
    QTRY_VERIFY(page()->messageView()->contextMenu());
    QAction *remove = nullptr;
    for (QAction *action : page()->messageView()->contextMenu()->actions()) {
        if (action->text() == u"De&lete…"_s)
            remove = action;
    }
    QVERIFY(remove);
    remove->trigger();
    QTRY_VERIFY(page()->deleteQuestion() && page()->deleteQuestion()->isVisible());
    QTest::keyClick(page()->deleteQuestion(), Qt::Key_Return); // Cancel is the default
    QTRY_VERIFY(!page()->deleteQuestion());
    QVERIFY(!model->index(ownRow, 0).data(MessageListModel::DeletedRole).toBool());
    page()->deleteMessage(model->index(ownRow, 0).data(MessageListModel::SeqRole).toLongLong());
    QTRY_VERIFY(page()->deleteQuestion() && page()->deleteQuestion()->isVisible());
    QAbstractButton *confirm = nullptr;
    for (QAbstractButton *button : page()->deleteQuestion()->buttons()) {
        if (page()->deleteQuestion()->buttonRole(button) == QMessageBox::DestructiveRole)
            confirm = button;
    }
    QVERIFY(confirm);
    confirm->click();
    QTRY_VERIFY_WITH_TIMEOUT(model->index(ownRow, 0).data(MessageListModel::DeletedRole).toBool(), kTimeoutMs);
    QVERIFY(model->index(ownRow, 0).data(Qt::AccessibleTextRole).toString().contains(u"This message was deleted"_s));
    QTRY_VERIFY_WITH_TIMEOUT(bobRoom(u"general"_s)->messages().last().deleted, kTimeoutMs);
    QVERIFY(!texts(bobRoom(u"general"_s)).contains(u"hello bob"_s));
    // Nothing of ours is left to edit with Up.
    editor()->clear();
    QTest::keyClick(editor(), Qt::Key_Up);
    QCOMPARE(page()->composer()->editingSeq(), 0);
}

void TestChatWindow::replyToMessages()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"¿Vamos al cine?\nEl sábado"_s));
    QAbstractItemModel *model = page()->messageView()->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kTimeoutMs);
    const qint64 original = model->index(0, 0).data(MessageListModel::SeqRole).toLongLong();
    QVERIFY(original > 0);
    Composer *composer = page()->composer();
    QVERIFY(!composer->replyBar()->isVisible());

    // Ctrl+Shift+R on the selected message; Escape in the box cancels.
    MessageView *view = page()->messageView();
    view->setFocus();
    view->setCurrentIndex(model->index(0, 0));
    QTest::keyClick(view, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(composer->replyingTo(), original);
    QVERIFY(composer->replyBar()->isVisible());
    QCOMPARE(composer->replyLabel()->text(), u"Replying to bob: ¿Vamos al cine?"_s);
    QVERIFY(editor()->hasFocus());
    QTest::keyClick(editor(), Qt::Key_Escape);
    QCOMPARE(composer->replyingTo(), 0);
    QVERIFY(!composer->replyBar()->isVisible());

    // The message menu's Reply; the bar's ✕ cancels too.
    view->setCurrentIndex(model->index(0, 0));
    view->openContextMenuForCurrent();
    QTRY_VERIFY(view->contextMenu());
    QAction *reply = nullptr;
    for (QAction *action : view->contextMenu()->actions()) {
        if (action->text() == u"Re&ply"_s)
            reply = action;
    }
    QVERIFY(reply);
    view->contextMenu()->close();
    reply->trigger();
    QCOMPARE(composer->replyingTo(), original);
    QTest::mouseClick(composer->replyCancelButton(), Qt::LeftButton);
    QCOMPARE(composer->replyingTo(), 0);
    reply->trigger();

    editor()->insertPlainText(u"¡Sí! 🎬"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QCOMPARE(composer->replyingTo(), 0); // sent: the bar goes
    QVERIFY(!composer->replyBar()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!bobRoom(u"general"_s)->messages().isEmpty()
                                 && bobRoom(u"general"_s)->messages().last().text == u"¡Sí! 🎬"_s,
                             kTimeoutMs);
    QCOMPARE(bobRoom(u"general"_s)->messages().last().replyTo, original);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->outbox()->isEmpty(), kTimeoutMs);
    const QModelIndex replyRow = model->index(model->rowCount() - 1, 0);
    QCOMPARE(replyRow.data(MessageListModel::ReplyToRole).toLongLong(), original);
    QCOMPARE(replyRow.data(MessageListModel::ReplyQuoteRole).toMap().value(u"sender"_s).toString(), u"bob"_s);
    QVERIFY2(replyRow.data(Qt::AccessibleTextRole).toString().contains(u"(in reply to bob: ¿Vamos al cine?)"_s),
             qPrintable(replyRow.data(Qt::AccessibleTextRole).toString()));

    // A click on the quote selects the original.
    view->setCurrentIndex(replyRow);
    const QRect quote = view->rowLayout(replyRow).quote;
    QVERIFY(!quote.isEmpty());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, quote.center());
    QCOMPARE(view->currentIndex().row(), 0);

    // Written offline, queued with its reply_to, sent once the connection is back.
    m_fixture->proxy().setAccepting(false);
    m_fixture->proxy().cutAll();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->connection()->state() != State::Connected, kTimeoutMs);
    QVERIFY(reactivate()); // the menu took the activation; the offscreen platform does not give it back
    view->setFocus();
    view->setCurrentIndex(model->index(0, 0));
    QTest::keyClick(view, Qt::Key_R, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(composer->replyingTo(), original);
    QTest::keyClicks(editor(), u"written offline"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QCOMPARE(m_window->client()->outbox()->entries().size(), 1);
    QCOMPARE(m_window->client()->outbox()->entries().first().replyTo, original);
    const QModelIndex pending = model->index(model->rowCount() - 1, 0);
    QVERIFY(pending.data(MessageListModel::PendingRole).toBool());
    QCOMPARE(pending.data(MessageListModel::ReplyToRole).toLongLong(), original);
    m_fixture->proxy().setAccepting(true);
    m_window->client()->connection()->retryNow();
    QTRY_VERIFY_WITH_TIMEOUT(bobRoom(u"general"_s)->messages().last().text == u"written offline"_s, kTimeoutMs);
    QCOMPARE(bobRoom(u"general"_s)->messages().last().replyTo, original);
}

void TestChatWindow::writtenOfflineKeepsItsTime()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"are you on the train?"_s));
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom(u"general"_s)->lastSeq(), 1, kTimeoutMs);

    // The connection goes and stays gone; alice answers anyway, and quits before it comes back.
    m_fixture->proxy().setAccepting(false);
    m_fixture->proxy().cutAll();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->connection()->state() != State::Connected, kTimeoutMs);
    editor()->setFocus();
    QTest::keyClicks(editor(), u"yes, in the tunnel"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QCOMPARE(m_window->client()->outbox()->entries().size(), 1);
    const QString profile = m_window->profile().name();
    const QString databasePath = QDir(m_window->profile().clientDataDir()).filePath(u"client.sqlite"_s);
    const QString account = m_fixture->address().id() + u"/alice"_s;
    m_window.reset();

    // A quarter of an hour passes while the app is closed: its saved entry was written that long ago.
    qint64 writtenMs = 0;
    {
        QString error;
        auto database = ClientDatabase::open(databasePath, &error);
        QVERIFY2(database, qPrintable(error));
        const QList<ClientDatabase::OutboxRow> rows = database->outbox(account);
        QCOMPARE(rows.size(), 1);
        ClientDatabase::OutboxRow row = rows.first();
        QCOMPARE(row.text, u"yes, in the tunnel"_s);
        row.createdMs -= 15 * 60 * 1000;
        writtenMs = row.createdMs;
        QVERIFY(database->removeOutbox(account, row.clientMsgId));
        QVERIFY(database->addOutbox(account, row));
    }

    // Started again with the connection back: the entry goes out saying when it was written.
    m_fixture->proxy().setAccepting(true);
    const qint64 restartedMs = QDateTime::currentMSecsSinceEpoch();
    m_window = m_fixture->reopenWindow(profile);
    QVERIFY(m_window);
    UiFixture::typeSignIn(*m_window, m_fixture->address().id(), u"alice"_s, UiFixture::kPassword);
    QVERIFY(UiFixture::waitConnected(*m_window->client()));
    QTRY_VERIFY_WITH_TIMEOUT(bobRoom(u"general"_s)->lastSeq() == 2, kTimeoutMs);
    const Protocol::ChatMessage heard = bobRoom(u"general"_s)->messages().last();
    QCOMPARE(heard.text, u"yes, in the tunnel"_s);
    QCOMPARE(heard.writtenAt, writtenMs);
    QVERIFY(heard.timestamp >= restartedMs); // its place in the room is when it arrived
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->outbox()->isEmpty(), kTimeoutMs);
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"welcome back"_s));

    const auto checkRows = [this, writtenMs, stored = heard.timestamp] {
        QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->currentRoom() == aliceRoom(u"general"_s), kTimeoutMs);
        QAbstractItemModel *model = page()->messageView()->model();
        QTRY_COMPARE_WITH_TIMEOUT(texts(model),
                                  (QStringList{u"are you on the train?"_s, u"yes, in the tunnel"_s, u"welcome back"_s}),
                                  kTimeoutMs);
        const QModelIndex late = model->index(1, 0);
        const QDateTime written = QDateTime::fromMSecsSinceEpoch(writtenMs).toLocalTime();
        const QDateTime sent = QDateTime::fromMSecsSinceEpoch(stored).toLocalTime();
        QCOMPARE(late.data(MessageListModel::WrittenRole).toDateTime(), written);
        QCOMPARE(late.data(MessageListModel::TimestampRole).toDateTime(), sent);
        QVERIFY(!late.data(MessageListModel::GroupedWithPreviousRole).toBool()); // its header shows both times
        const QString both = MessageDelegate::timeText(late);
        QCOMPARE(both, u"Written %1, sent %2 when the connection returned"_s.arg(UiText::dateTime(written),
                                                                                  UiText::dateTime(sent)));
        const QString note = MessageDelegate::sentLaterNote(late);
        QVERIFY2(note == u"sent "_s + UiText::time(sent) || note == u"sent "_s + UiText::dateTime(sent), qPrintable(note));
        const QString spoken = late.data(Qt::AccessibleTextRole).toString();
        QVERIFY2(spoken.startsWith(u"alice, %1: yes, in the tunnel"_s.arg(UiText::dateTime(written))) && spoken.contains(both),
                 qPrintable(spoken));
        // Sent as they were written: nothing of the kind.
        for (const int row : {0, 2}) {
            const QModelIndex prompt = model->index(row, 0);
            QVERIFY(!prompt.data(MessageListModel::WrittenRole).toDateTime().isValid());
            QVERIFY(MessageDelegate::sentLaterNote(prompt).isEmpty());
            QVERIFY(!prompt.data(Qt::AccessibleTextRole).toString().contains(u"Written"_s));
        }
    };
    checkRows();

    // Another restart reads the room from history: the written time is the server's, not the app's memory.
    m_window.reset();
    m_window = m_fixture->reopenWindow(profile);
    QVERIFY(m_window);
    UiFixture::typeSignIn(*m_window, m_fixture->address().id(), u"alice"_s, UiFixture::kPassword);
    QVERIFY(UiFixture::waitConnected(*m_window->client()));
    checkRows();
}

void TestChatWindow::replyToAnOlderMessage()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) { m_bob->createRoom(u"big"_s, false, context, done); }));
    QVERIFY(UiFixture::say(*m_bob, u"big"_s, u"the original question"_s));
    const qint64 original = bobRoom(u"big"_s)->lastSeq();
    for (int i = 0; i < ChatClient::kPageSize + 5; ++i)
        QVERIFY(m_bob->sendMessage(u"big"_s, u"filler %1"_s.arg(i)));
    QVERIFY(m_bob->sendMessage(u"big"_s, u"the answer"_s, original));
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->outbox()->isEmpty(), kTimeoutMs);

    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"big"_s), kTimeoutMs);
    QVERIFY(selectRoom(u"big"_s));
    QTRY_VERIFY(page()->joinButton()->isVisible());
    QTest::mouseClick(page()->joinButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"big"_s)->isJoined() && aliceRoom(u"big"_s)->isLoaded(), kTimeoutMs);
    MessageView *view = page()->messageView();
    QAbstractItemModel *model = view->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() > 0
                                 && model->index(model->rowCount() - 1, 0).data(MessageListModel::TextRole)
                                        == u"the answer"_s,
                             kTimeoutMs);
    QVERIFY(!aliceRoom(u"big"_s)->contains(original));
    const QModelIndex answer = model->index(model->rowCount() - 1, 0);
    QCOMPARE(answer.data(MessageListModel::ReplyQuoteRole).toMap().value(u"loaded"_s).toBool(), false);
    view->scrollToNewest();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->rowLayout(answer).quote.center());
    QTRY_VERIFY_WITH_TIMEOUT(view->currentIndex().isValid()
                                 && view->currentIndex().data(MessageListModel::SeqRole).toLongLong() == original,
                             kTimeoutMs);
    QCOMPARE(view->currentIndex().data(MessageListModel::TextRole).toString(), u"the original question"_s);
    // Now loaded, the answer quotes it.
    const QModelIndex answerNow = model->index(model->rowCount() - 1, 0);
    QCOMPARE(answerNow.data(MessageListModel::ReplyQuoteRole).toMap().value(u"excerpt"_s).toString(),
             u"the original question"_s);
}

void TestChatWindow::reactions()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"¡Gol!"_s));
    MessageView *view = page()->messageView();
    QAbstractItemModel *model = view->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, kTimeoutMs);
    const qint64 seq = model->index(0, 0).data(MessageListModel::SeqRole).toLongLong();

    // The menu's React ▸ 👍.
    view->setCurrentIndex(model->index(0, 0));
    view->openContextMenuForCurrent();
    QTRY_VERIFY(view->contextMenu());
    QMenu *react = nullptr;
    for (QAction *action : view->contextMenu()->actions()) {
        if (action->menu() && action->text() == u"Re&act"_s)
            react = action->menu();
    }
    QVERIFY(react);
    QAction *thumbs = react->actions().value(0);
    QVERIFY(thumbs);
    QCOMPARE(thumbs->text(), u"👍"_s);
    QVERIFY(!thumbs->isChecked());
    view->contextMenu()->close();
    thumbs->trigger();
    const auto bobsReactions = [this] {
        const auto messages = bobRoom(u"general"_s)->messages();
        return messages.isEmpty() ? QList<Protocol::Reaction>() : messages.first().reactions;
    };
    QTRY_COMPARE_WITH_TIMEOUT(bobsReactions(), (QList<Protocol::Reaction>{{u"👍"_s, {u"alice"_s}}}), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data(MessageListModel::ReactionsRole).toList().size(), 1, kTimeoutMs);
    QVERIFY(model->index(0, 0).data(MessageListModel::ReactionsRole).toList().first().toMap().value(u"mine"_s).toBool());

    // Bob's 🎉 shows beside it, for screen readers too.
    QVERIFY(UiFixture::expectOk([this, seq](QObject *context, auto done) {
        m_bob->react(u"general"_s, seq, u"🎉"_s, false, context, done);
    }));
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data(MessageListModel::ReactionsRole).toList().size(), 2, kTimeoutMs);
    QVERIFY2(model->index(0, 0).data(Qt::AccessibleTextRole).toString().contains(u"(reactions: 👍 1, 🎉 1)"_s),
             qPrintable(model->index(0, 0).data(Qt::AccessibleTextRole).toString()));

    // A click on our chip takes it back.
    const auto chips = view->rowLayout(model->index(0, 0)).chips;
    QCOMPARE(chips.size(), 2);
    QCOMPARE(chips.first().second, u"👍"_s);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, chips.first().first.center());
    QTRY_COMPARE_WITH_TIMEOUT(bobsReactions(), (QList<Protocol::Reaction>{{u"🎉"_s, {u"bob"_s}}}), kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, 0).data(MessageListModel::ReactionsRole).toList().size(), 1, kTimeoutMs);
}

void TestChatWindow::newMessagesBelow()
{
    aliceAndBobInGeneral();
    for (int i = 1; i <= 40; ++i)
        m_bob->sendMessage(u"general"_s, u"line %1"_s.arg(i));
    QTRY_VERIFY_WITH_TIMEOUT(texts(aliceRoom(u"general"_s)).size() == 40, kTimeoutMs);
    MessageView *view = page()->messageView();
    QTRY_VERIFY(view->verticalScrollBar()->maximum() > 0);
    QVERIFY(!view->newMessagesButton()->isVisible());

    // Reading further up: the view stays where it is when bob writes again.
    view->verticalScrollBar()->setValue(view->verticalScrollBar()->maximum() / 2);
    QVERIFY(!view->isFollowing());
    const int place = view->verticalScrollBar()->value();
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"while you read"_s));
    QTRY_VERIFY_WITH_TIMEOUT(texts(aliceRoom(u"general"_s)).contains(u"while you read"_s), kTimeoutMs);
    QTRY_VERIFY(view->newMessagesButton()->isVisible());
    QCOMPARE(view->verticalScrollBar()->value(), place);
    QCOMPARE(aliceRoom(u"general"_s)->unreadCount(), 1);
    QTRY_VERIFY(m_window->windowTitle().startsWith(u"(1) "_s));

    // The button takes the reader down, and then the room is read.
    QTest::mouseClick(view->newMessagesButton(), Qt::LeftButton);
    QTRY_VERIFY(view->isAtBottom());
    QVERIFY(!view->newMessagesButton()->isVisible());
    QCOMPARE(aliceRoom(u"general"_s)->unreadCount(), 0);
    QTRY_VERIFY(!m_window->windowTitle().startsWith(u"("_s));
}

void TestChatWindow::presenceUnknownWhileOffline()
{
    aliceAndBobInGeneral();
    const QAbstractItemModel *members = page()->memberList()->model();
    const auto presenceOf = [members](const QString &user) {
        const int row = UiFixture::findRow(members, MemberListModel::UserRole, user);
        return row < 0 ? -1 : members->index(row, 0).data(MemberListModel::PresenceRole).toInt();
    };
    QTRY_COMPARE_WITH_TIMEOUT(presenceOf(u"bob"_s), int(Protocol::PresenceStatus::Online), kTimeoutMs);
    m_window->client()->connection()->setBackoff(Backoff({30s, 30s}, [] { return 0.999; }));
    m_fixture->proxy().setAccepting(false);
    m_fixture->proxy().cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->connection()->state(), State::Reconnecting, kTimeoutMs);
    QCOMPARE(presenceOf(u"bob"_s), int(Protocol::PresenceStatus::Offline));
    QCOMPARE(presenceOf(u"alice"_s), int(Protocol::PresenceStatus::Offline));
    m_fixture->proxy().setAccepting(true);
    m_window->client()->connection()->retryNow();
    QVERIFY(UiFixture::waitConnected(*m_window->client()));
    QTRY_COMPARE_WITH_TIMEOUT(presenceOf(u"bob"_s), int(Protocol::PresenceStatus::Online), kTimeoutMs);
}

void TestChatWindow::quitAsksAboutUnsent()
{
    aliceAndBobInGeneral();
    m_window->client()->connection()->setBackoff(Backoff({30s, 30s}, [] { return 0.999; }));
    m_fixture->proxy().setAccepting(false);
    m_fixture->proxy().cutAll();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->connection()->state(), State::Reconnecting, kTimeoutMs);
    QTest::keyClicks(editor(), u"not yet sent"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QCOMPARE(m_window->client()->outbox()->unsentCount(), 1);

    QTest::keyClick(m_window.get(), Qt::Key_Q, Qt::ControlModifier);
    QTRY_VERIFY(m_window->quitQuestion() && m_window->quitQuestion()->isVisible());
    QCOMPARE(m_window->quitQuestion()->text(), u"1 message has not been sent yet."_s);
    QTest::keyClick(m_window->quitQuestion(), Qt::Key_Escape); // keeps Tertulia open
    QTRY_VERIFY(!m_window->quitQuestion());
    QVERIFY(m_window->isVisible());

    m_window->quitAction()->trigger();
    QTRY_VERIFY(m_window->quitQuestion() && m_window->quitQuestion()->isVisible());
    QAbstractButton *quitAnyway = nullptr;
    for (QAbstractButton *button : m_window->quitQuestion()->buttons()) {
        if (m_window->quitQuestion()->buttonRole(button) == QMessageBox::DestructiveRole)
            quitAnyway = button;
    }
    QVERIFY(quitAnyway);
    QTest::mouseClick(quitAnyway, Qt::LeftButton);
    QTRY_VERIFY(!m_window->isVisible());
    QCOMPARE(m_window->client()->outbox()->unsentCount(), 1); // kept for the next sign-in
}

void TestChatWindow::titleWithoutAppName()
{
    aliceAndBobInGeneral();
    QCOMPARE(m_window->windowTitle(), u"#general (profile ui1)"_s);
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->createRoom(u"random"_s, false, context, done);
    }));
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_window->client()->joinRoom(u"random"_s, context, done);
    }));
    QVERIFY(selectRoom(u"general"_s));
    QVERIFY(UiFixture::say(*m_bob, u"random"_s, u"psst"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->windowTitle(), u"(1) #general (profile ui1)"_s, kTimeoutMs);
    m_window->signOut();
    QTRY_COMPARE(m_window->windowTitle(), u"Profile ui1"_s);
}

void TestChatWindow::offersAnotherServer()
{
    aliceAndBobInGeneral();
    ConnectionBanner *banner = page()->banner();
    m_fixture->proxy().setAccepting(false);
    m_fixture->proxy().cutAll();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->connection()->attempt() >= ConnectionBanner::kOfferOtherServerAfter,
                             kTimeoutMs);
    QTRY_VERIFY(banner->otherServerButton()->isVisible());
    QTest::mouseClick(banner->otherServerButton(), Qt::LeftButton);
    QTRY_VERIFY(!m_window->isShowingChat());
    QVERIFY(!m_window->client()->isSignedIn());
    QCOMPARE(m_window->signInPage()->serverBox()->currentText(), QString());
    QTRY_VERIFY(m_window->signInPage()->serverBox()->hasFocus());
}

void TestChatWindow::mentionCompletion()
{
    aliceAndBobInGeneral();
    auto carol = m_fixture->person(u"carol"_s);
    auto bea = m_fixture->person(u"Bea"_s);
    for (ChatClient *person : {carol.get(), bea.get()})
        QVERIFY(UiFixture::expectOk(
            [&](QObject *context, auto done) { person->joinRoom(u"general"_s, context, done); }));
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom(u"general"_s)->members().size(), 4, kTimeoutMs);
    QCompleter *completer = page()->composer()->mentionCompleter();
    QAbstractItemView *list = completer->popup();
    const auto shown = [completer] {
        QStringList names;
        for (int row = 0; row < completer->completionModel()->rowCount(); ++row)
            names << completer->completionModel()->index(row, 0).data().toString();
        return names;
    };
    editor()->setFocus();

    // "@" alone offers everyone but us; a letter narrows it, ignoring case.
    QTest::keyClicks(editor(), u"hi @"_s);
    QTRY_VERIFY(list->isVisible());
    QCOMPARE(shown(), (QStringList{u"Bea"_s, u"bob"_s, u"carol"_s}));
    QTest::keyClicks(editor(), u"B"_s);
    QTRY_COMPARE(shown(), (QStringList{u"Bea"_s, u"bob"_s}));
    QTest::keyClicks(editor(), u"o"_s);
    QTRY_COMPARE(shown(), QStringList{u"bob"_s});
    // Tab takes it (the list has the keyboard while it is open) and does not leave the box.
    QTest::keyClick(list, Qt::Key_Tab);
    QTRY_VERIFY(!list->isVisible());
    QCOMPARE(editor()->toPlainText(), u"hi @bob "_s);
    QVERIFY(editor()->hasFocus());

    // Enter takes the first name and sends nothing.
    QTest::keyClicks(editor(), u"and @c"_s);
    QTRY_VERIFY(list->isVisible());
    QTest::keyClick(list, Qt::Key_Return);
    QTRY_VERIFY(!list->isVisible());
    QCOMPARE(editor()->toPlainText(), u"hi @bob and @carol "_s);
    QCOMPARE(m_window->client()->outbox()->entries().size(), 0);

    // Escape closes the list and keeps what was typed; nobody matches: no list.
    QTest::keyClicks(editor(), u"@b"_s);
    QTRY_VERIFY(list->isVisible());
    QTest::keyClick(list, Qt::Key_Escape);
    QTRY_VERIFY(!list->isVisible());
    QCOMPARE(editor()->toPlainText(), u"hi @bob and @carol @b"_s);
    QTest::keyClicks(editor(), u"zz"_s);
    QVERIFY(!list->isVisible());
    // An e-mail address is no mention.
    editor()->clear();
    QTest::keyClicks(editor(), u"mail me@b"_s);
    QVERIFY(!list->isVisible());

    // With the list closed, Enter sends as always; bob's copy is highlighted as his mention.
    editor()->clear();
    QTest::keyClicks(editor(), u"@bo"_s);
    QTRY_VERIFY(list->isVisible());
    QTest::keyClick(list, Qt::Key_Tab);
    QTest::keyClicks(editor(), u"look"_s);
    QTest::keyClick(editor(), Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(texts(bobRoom(u"general"_s)).contains(u"@bob look"_s), kTimeoutMs);
    const QAbstractItemModel *model = page()->messageView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() == 1 && !model->index(0, 0).data(MessageListModel::PendingRole).toBool(),
                             kTimeoutMs);
    QCOMPARE(model->index(0, 0).data(MessageListModel::MentionsRole).toList().size(), 1);
}

void TestChatWindow::mentionBadgeAndMute()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::expectOk(
        [this](QObject *context, auto done) { m_bob->createRoom(u"random"_s, false, context, done); }));
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"random"_s), kTimeoutMs);
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_window->client()->joinRoom(u"random"_s, context, done);
    }));
    QVERIFY(selectRoom(u"general"_s));
    const QAbstractItemModel *rooms = page()->roomList()->model();
    const int random = UiFixture::findRow(rooms, RoomListModel::NameRole, u"random"_s);
    QVERIFY(random >= 0);

    QVERIFY(UiFixture::say(*m_bob, u"random"_s, u"hola"_s));
    QVERIFY(UiFixture::say(*m_bob, u"random"_s, u"@Alice, ¿vienes?"_s));
    QTRY_COMPARE_WITH_TIMEOUT(rooms->index(random, 0).data(RoomListModel::UnreadCountRole).toInt(), 2, kTimeoutMs);
    QTRY_COMPARE(rooms->index(random, 0).data(RoomListModel::MentionCountRole).toInt(), 1);
    QVERIFY(rooms->index(random, 0).data(Qt::ToolTipRole).toString().contains(u"mentions of you: 1"_s));
    QCOMPARE(m_window->totalUnread(), 2); // mentions are among the unread, not added to them

    // Opening the room reads it: both badges go.
    QVERIFY(selectRoom(u"random"_s));
    QTRY_COMPARE(rooms->index(random, 0).data(RoomListModel::UnreadCountRole).toInt(), 0);
    QCOMPARE(rooms->index(random, 0).data(RoomListModel::MentionCountRole).toInt(), 0);
    QVERIFY(selectRoom(u"general"_s));

    // Mute random from the room list's context menu (what a right click opens).
    QListView *list = page()->roomList();
    const QPoint at = list->visualRect(rooms->index(random, 0)).center();
    QContextMenuEvent menuEvent(QContextMenuEvent::Mouse, at, list->viewport()->mapToGlobal(at));
    QCoreApplication::sendEvent(list->viewport(), &menuEvent);
    QTRY_VERIFY(page()->roomContextMenu() && page()->roomContextMenu()->isVisible());
    QAction *mute = page()->roomContextMenu()->actions().constFirst();
    QVERIFY(mute->isCheckable() && !mute->isChecked());
    mute->trigger();
    QTRY_VERIFY(aliceRoom(u"random"_s)->isMuted());
    QVERIFY(rooms->index(random, 0).data(RoomListModel::MutedRole).toBool());
    QVERIFY(!aliceRoom(u"general"_s)->isMuted());
    // Muted still counts.
    QVERIFY(UiFixture::say(*m_bob, u"random"_s, u"still counted"_s));
    QTRY_COMPARE_WITH_TIMEOUT(rooms->index(random, 0).data(RoomListModel::UnreadCountRole).toInt(), 1, kTimeoutMs);
    // The same menu marks it read without opening it (and now says it is muted).
    QCoreApplication::sendEvent(list->viewport(), &menuEvent);
    QTRY_VERIFY(page()->roomContextMenu() && page()->roomContextMenu()->isVisible());
    QVERIFY(page()->roomContextMenu()->actions().constFirst()->isChecked());
    QAction *read = page()->roomContextMenu()->actions().at(1);
    QVERIFY(read->isEnabled());
    read->trigger();
    QTRY_COMPARE(rooms->index(random, 0).data(RoomListModel::UnreadCountRole).toInt(), 0);
    page()->roomContextMenu()->close();

    // From the keyboard: Shift+F10 on the current room opens its menu too.
    list->setFocus();
    QTest::keyClick(list, Qt::Key_F10, Qt::ShiftModifier);
    QTRY_VERIFY(page()->roomContextMenu() && page()->roomContextMenu()->isVisible());
    page()->roomContextMenu()->close();

    // The header's button and the Room menu's entry show the open room's state and unmute it.
    QVERIFY(page()->muteButton()->isVisible());
    QVERIFY(!page()->muteAction()->isChecked());
    QVERIFY(selectRoom(u"random"_s));
    QVERIFY(page()->muteAction()->isChecked());
    QVERIFY(page()->muteButton()->isChecked());
    QTest::mouseClick(page()->muteButton(), Qt::LeftButton);
    QVERIFY(!aliceRoom(u"random"_s)->isMuted());
    QTest::mouseClick(page()->muteButton(), Qt::LeftButton);
    QVERIFY(aliceRoom(u"random"_s)->isMuted());

    // A restart: still muted (kept per server and user in the profile's database).
    const QString profile = m_window->profile().name();
    m_window.reset();
    m_window = m_fixture->reopenWindow(profile);
    QVERIFY(m_window);
    UiFixture::typeSignIn(*m_window, m_fixture->address().id(), u"alice"_s, UiFixture::kPassword);
    QVERIFY(UiFixture::waitConnected(*m_window->client()));
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"random"_s) && aliceRoom(u"general"_s), kTimeoutMs);
    QVERIFY(aliceRoom(u"random"_s)->isMuted());
    QVERIFY(!aliceRoom(u"general"_s)->isMuted());
}

void TestChatWindow::windowFitsTheScreen()
{
    m_fixture = std::make_unique<UiFixture>();
    m_window = m_fixture->openWindow();
    const QString profile = m_window->profile().name();
    const QRect available = m_window->screen()->availableGeometry();
    m_window->resize(available.width() * 3, available.height() * 3);
    m_window->close(); // saves the geometry
    m_window.reset();
    m_window = m_fixture->reopenWindow(profile);
    QVERIFY(m_window);
    QVERIFY2(m_window->width() <= available.width() && m_window->height() <= available.height(),
             qPrintable(u"%1×%2 on %3×%4"_s.arg(m_window->width()).arg(m_window->height())
                            .arg(available.width()).arg(available.height())));
}

void TestChatWindow::accessibleMessages()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"¿comemos juntos?"_s));
    const QAbstractItemModel *model = page()->messageView()->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() == 1, kTimeoutMs);
    const QString spoken = model->index(0, 0).data(Qt::AccessibleTextRole).toString();
    const QDateTime when = model->index(0, 0).data(MessageListModel::TimestampRole).toDateTime();
    QCOMPARE(spoken, u"bob, %1: ¿comemos juntos?"_s.arg(UiText::dateTime(when)));
}

void TestChatWindow::tabOrderAndEscape()
{
    aliceAndBobInGeneral();
    QTest::keyClicks(editor(), u"draft"_s); // Send is enabled, so it is in the chain
    page()->roomList()->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), page()->roomList());
    QList<QWidget *> visited;
    for (int step = 0; step < 7; ++step) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        visited << QApplication::focusWidget();
    }
    QStringList names;
    for (QWidget *widget : visited)
        names << (widget ? QString::fromLatin1(widget->metaObject()->className()) + u" "_s + widget->accessibleName() : u"none"_s);
    const QString trail = names.join(u" → "_s);
    QVERIFY2(visited.at(2) == page()->messageView(), qPrintable(trail));
    QVERIFY2(visited.at(3) == editor(), qPrintable(trail));
    QVERIFY2(visited.at(4) == page()->composer()->sendButton(), qPrintable(trail));
    QVERIFY2(visited.at(5) == page()->memberList(), qPrintable(trail));
    QVERIFY2(visited.at(6) == page()->roomList(), qPrintable(trail)); // round, past nothing else
    for (QWidget *widget : visited)
        QVERIFY2(!m_window->statusBar()->isAncestorOf(widget), qPrintable(trail));

    // Escape in a list: back to the composer.
    page()->memberList()->setFocus();
    QTest::keyClick(page()->memberList(), Qt::Key_Escape);
    QTRY_COMPARE(QApplication::focusWidget(), editor());
    page()->messageView()->setFocus();
    QTest::keyClick(page()->messageView(), Qt::Key_Escape);
    QTRY_COMPARE(QApplication::focusWidget(), editor());
}

void TestChatWindow::quickSwitcher()
{
    aliceAndBobInGeneral();
    for (const QString &room : {u"random"_s, u"randall"_s}) {
        QVERIFY(UiFixture::expectOk([this, room](QObject *context, auto done) {
            m_bob->createRoom(room, false, context, done);
        }));
    }
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_window->client()->joinRoom(u"random"_s, context, done);
    }));
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom(u"randall"_s), kTimeoutMs);
    QVERIFY(selectRoom(u"general"_s));

    QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY(m_window->quickSwitcher() && m_window->quickSwitcher()->isVisible());
    QuickSwitcher *switcher = m_window->quickSwitcher();
    QTRY_COMPARE(QApplication::focusWidget(), switcher->filterEdit());
    QTest::keyClicks(switcher->filterEdit(), u"rand"_s);
    // Both match; the joined one first, the other below.
    QCOMPARE(switcher->roomList()->currentItem()->text(), u"#random"_s);
    QTest::keyClick(switcher->filterEdit(), Qt::Key_Down);
    QCOMPARE(switcher->roomList()->currentItem()->text(), u"#randall (not joined)"_s);
    QTest::keyClick(switcher->filterEdit(), Qt::Key_Up);
    QTest::keyClick(switcher->filterEdit(), Qt::Key_Return);
    QTRY_VERIFY(!m_window->quickSwitcher());
    QTRY_COMPARE(m_window->client()->currentRoom(), aliceRoom(u"random"_s));
    QVERIFY(reactivate());

    QTest::keyClick(m_window.get(), Qt::Key_K, Qt::ControlModifier);
    QTRY_VERIFY(m_window->quickSwitcher() && m_window->quickSwitcher()->isVisible());
    QTest::keyClicks(m_window->quickSwitcher()->filterEdit(), u"gen"_s);
    QTest::keyClick(m_window->quickSwitcher()->filterEdit(), Qt::Key_Escape);
    QTRY_VERIFY(!m_window->quickSwitcher());
    QCOMPARE(m_window->client()->currentRoom(), aliceRoom(u"random"_s));
}

void TestChatWindow::languageSwitch()
{
    aliceAndBobInGeneral();
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"buenos días"_s));
    QTRY_VERIFY_WITH_TIMEOUT(texts(page()->messageView()->model()).contains(u"buenos días"_s), kTimeoutMs);
    QCOMPARE(page()->composer()->sendButton()->text(), u"Sen&d"_s);

    QTest::keyClick(m_window.get(), Qt::Key_Comma, Qt::ControlModifier);
    QTRY_VERIFY(m_window->preferencesDialog() && m_window->preferencesDialog()->isVisible());
    QComboBox *language = m_window->preferencesDialog()->languageBox();
    language->setFocus();
    while (language->currentData().toString() != u"es" && language->currentIndex() < language->count() - 1)
        QTest::keyClick(language, Qt::Key_Down);
    QCOMPARE(language->currentData().toString(), u"es"_s);

    // Everything at once, without a restart: window, menus, core texts, dialogs, dates.
    QCOMPARE(m_window->languageManager()->language(), u"es"_s);
    QCOMPARE(m_window->preferences()->language(), u"es"_s);
    // Qt posts LanguageChange to every window: it arrives from the event loop.
    QTRY_COMPARE(page()->composer()->sendButton()->text(), u"&Enviar"_s);
    QCOMPARE(m_window->menuBar()->actions().first()->text(), u"&Charla"_s);
    QCOMPARE(m_window->signInPage()->signInButton()->text(), u"&Iniciar sesión"_s);
    QVERIFY2(m_window->connectionIndicator()->text().startsWith(u"Conectado"_s),
             qPrintable(m_window->connectionIndicator()->text()));
    QCOMPARE(m_window->preferencesDialog()->windowTitle(), u"Preferencias"_s);
    QCOMPARE(m_window->preferencesDialog()->closeButton()->text(), u"Cerrar"_s);
    // Longer Spanish texts get the room they need.
    for (QCheckBox *box : m_window->preferencesDialog()->findChildren<QCheckBox *>())
        QTRY_VERIFY2(box->width() >= box->sizeHint().width(), qPrintable(box->text()));
    // Shortcuts are named in Spanish in the menus, whether or not Qt's own catalogue is installed.
    QAction *next = nullptr;
    for (QAction *action : m_window->actions()) {
        if (action->shortcuts().contains(QKeySequence(Qt::ALT | Qt::Key_Down)))
            next = action;
    }
    QVERIFY(next);
    QCOMPARE(QKeySequence(Qt::ALT | Qt::Key_Down).toString(QKeySequence::NativeText), u"Alt+Abajo"_s);
    QCOMPARE(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_H).toString(QKeySequence::NativeText), u"Ctrl+Mayús+H"_s);
    QCOMPARE(UiText::day(QDate::currentDate()), u"Hoy"_s);
    QTest::keyClick(m_window->preferencesDialog(), Qt::Key_Escape); // Close
    QTRY_VERIFY(!m_window->preferencesDialog());
    QVERIFY(reactivate());
    QTest::keyClick(m_window.get(), Qt::Key_H, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(m_window->healthPanel()->isVisible());
    QCOMPARE(m_window->healthPanel()->windowTitle(), u"Estado de la conexión"_s);
    QCOMPARE(m_window->healthPanel()->value(HealthPanel::Field::State), u"Conectado"_s);

    // And back, in the same dialog.
    QTest::keyClick(m_window.get(), Qt::Key_Comma, Qt::ControlModifier);
    QTRY_VERIFY(m_window->preferencesDialog());
    QVERIFY(QTest::qWaitForWindowActive(m_window->preferencesDialog()));
    language = m_window->preferencesDialog()->languageBox();
    QCOMPARE(language->currentData().toString(), u"es"_s); // it shows the language in use
    language->setFocus();
    while (language->currentData().toString() != u"en" && language->currentIndex() > 0)
        QTest::keyClick(language, Qt::Key_Up);
    QCOMPARE(m_window->languageManager()->language(), u"en"_s);
    QTRY_COMPARE(page()->composer()->sendButton()->text(), u"Sen&d"_s);
    QCOMPARE(m_window->menuBar()->actions().first()->text(), u"&Chat"_s);
    QVERIFY(m_window->connectionIndicator()->text().startsWith(u"Connected"_s));
    QCOMPARE(UiText::day(QDate::currentDate()), u"Today"_s);
}

void TestChatWindow::mnemonicsAreUnique()
{
    m_fixture = std::make_unique<UiFixture>();
    m_window = m_fixture->openWindow();
#define CHECK_MNEMONICS(widget, where)                                                                    \
    do {                                                                                                  \
        const QStringList clashes = UiFixture::mnemonicClashes(widget);                                   \
        QVERIFY2(clashes.isEmpty(), qPrintable(language + u", "_s + QStringLiteral(where) + u": "_s + clashes.join(u"; "_s))); \
    } while (false)
    for (const QString &language : {u"en"_s, u"es"_s}) {
        m_window->preferences()->setLanguage(language);
        QTRY_COMPARE(m_window->signInPage()->signInButton()->text(), language == u"en" ? u"Sign &in"_s : u"&Iniciar sesión"_s);
        if (!m_window->client()->isSignedIn()) {
            CHECK_MNEMONICS(m_window.get(), "sign-in");
            QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
            m_bob = m_fixture->person(u"bob"_s);
            QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
                m_bob->createRoom(u"general"_s, false, context, done);
            }));
            QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
                m_window->client()->createRoom(u"plans"_s, true, context, done);
            }));
        }
        // A private room of ours (Invite shows), then one we are not in (Join shows), with the banner up.
        QVERIFY(selectRoom(u"plans"_s));
        CHECK_MNEMONICS(m_window.get(), "chat, own private room");
        m_window->client()->connection()->setBackoff(Backoff({30s, 30s}, [] { return 0.999; }));
        m_fixture->proxy().setAccepting(false);
        m_fixture->proxy().cutAll();
        QTRY_VERIFY_WITH_TIMEOUT(page()->banner()->isVisible(), kTimeoutMs);
        CHECK_MNEMONICS(m_window.get(), "chat, reconnecting");
        QVERIFY(selectRoom(u"general"_s));
        QVERIFY(page()->joinButton()->isVisible());
        CHECK_MNEMONICS(m_window.get(), "chat, room not joined, reconnecting");
        m_fixture->proxy().setAccepting(true);
        m_window->client()->connection()->retryNow();
        QVERIFY(UiFixture::waitConnected(*m_window->client()));

        m_window->healthPanel()->show();
        CHECK_MNEMONICS(m_window.get(), "chat with the health panel");
        m_window->healthPanel()->hide();
        m_window->showPreferences();
        QTRY_VERIFY(m_window->preferencesDialog()->isVisible());
        CHECK_MNEMONICS(m_window->preferencesDialog(), "preferences");
        m_window->preferencesDialog()->close();
        page()->createRoom();
        QTRY_VERIFY(page()->openDialog());
        CHECK_MNEMONICS(page()->openDialog(), "new room");
        page()->openDialog()->close();
    }
#undef CHECK_MNEMONICS
}

QTEST_MAIN(TestChatWindow)
#include "tst_chatwindow.moc"
