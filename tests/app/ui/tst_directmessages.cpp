// Direct messages in the desktop window (issue 12) against a real server: "Message bob" in the member list's
// menu opens the conversation, which the room list shows with the other person's name and a person's icon;
// the other person's app gets it at once and counts its first message as unread; Room ▸ New direct message…
// asks for a name and opens that conversation.
#include "uifixture.h"

#include "app/models/memberlistmodel.h"
#include "app/models/roomlistmodel.h"
#include "app/session/roomdirectory.h"
#include "app/ui/chatpage.h"
#include "app/ui/composer.h"
#include "app/ui/composeredit.h"

#include <QtGui/QAction>
#include <QtTest/QTest>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

class TestDirectMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup()
    {
        m_window.reset();
        m_bob.reset();
        m_fixture.reset();
    }

    void messageFromTheMemberList()
    {
        setUp();
        ChatClient *alice = m_window->client();
        QMenu *menu = memberMenu(u"bob"_s);
        QVERIFY(menu);
        QAction *message = nullptr;
        for (QAction *entry : menu->actions()) {
            if (entry->text().remove(u'&') == u"Message bob"_s)
                message = entry;
        }
        QVERIFY(message);
        message->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(alice->currentRoom() && alice->currentRoom()->isDirect(), kTimeoutMs);
        const QString address = alice->currentRoom()->name();
        QCOMPARE(address, u"@alice+bob"_s);

        // The room list: a row titled with bob's name, marked direct, with bob as its peer.
        const QAbstractItemModel *rooms = page()->roomList()->model();
        const int row = UiFixture::findRow(rooms, RoomListModel::NameRole, address);
        QVERIFY(row >= 0);
        const QModelIndex index = rooms->index(row, 0);
        QCOMPARE(index.data(Qt::DisplayRole).toString(), u"bob"_s);
        QVERIFY(index.data(RoomListModel::DirectRole).toBool());
        QCOMPARE(index.data(RoomListModel::PeerRole).toString(), u"bob"_s);
        QVERIFY(index.data(Qt::AccessibleTextRole).toString().contains(u"direct message"_s));
        QVERIFY(m_window->windowTitle().startsWith(u"@bob"_s));
        QCOMPARE(page()->composer()->editor()->placeholderText(), u"Message bob"_s);
        // No "Message alice" in the conversation with bob: it is the one open.
        QMenu *inside = memberMenu(u"bob"_s);
        QVERIFY(inside);
        for (QAction *entry : inside->actions())
            QVERIFY(!entry->text().remove(u'&').startsWith(u"Message"_s));
        inside->close();

        // bob's app has it at once (not current there), titled alice; her first message is unread for him.
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->rooms()->find(address), kTimeoutMs);
        ChatRoom *bobs = m_bob->rooms()->find(address);
        QVERIFY(bobs->isDirect() && bobs->isJoined());
        QCOMPARE(bobs->displayName(), u"alice"_s);
        QCOMPARE(bobs->unreadCount(), 0);
        page()->composer()->editor()->setFocus();
        QTest::keyClicks(page()->composer()->editor(), u"hola, bob"_s);
        QTest::keyClick(page()->composer()->editor(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(bobs->unreadCount(), 1, kTimeoutMs);
        const int bobRow = UiFixture::findRow(m_bob->roomListModel(), RoomListModel::NameRole, address);
        QVERIFY(bobRow >= 0);
        QCOMPARE(m_bob->roomListModel()->index(bobRow, 0).data(Qt::DisplayRole).toString(), u"alice"_s);
        QCOMPARE(m_bob->roomListModel()->index(bobRow, 0).data(RoomListModel::UnreadCountRole).toInt(), 1);

        // Leaving is refused with a word, and the conversation stays.
        page()->leaveRoom();
        QTRY_VERIFY_WITH_TIMEOUT(page()->noticeLabel()->text().contains(u"cannot be left"_s), kTimeoutMs);
        QVERIFY(alice->rooms()->find(address));
    }

    void newDirectMessageAsksForAName()
    {
        setUp();
        m_carol = m_fixture->person(u"carol"_s); // an account to write to, in no room with alice
        m_carol.reset();
        ChatClient *alice = m_window->client();
        m_window->newDirectAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(page()->directDialog() && page()->directDialog()->isVisible(), kTimeoutMs);
        QInputDialog *dialog = page()->directDialog();
        QVERIFY(dialog->comboBoxItems().contains(u"bob"_s)); // people alice shares a room with
        dialog->setTextValue(u"carol"_s);
        dialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(alice->currentRoom() && alice->currentRoom()->name() == u"@alice+carol"_s, kTimeoutMs);
        QCOMPARE(alice->currentRoom()->displayName(), u"carol"_s);

        // Nobody of that name: a notice, and the open conversation stays.
        m_window->newDirectAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(page()->directDialog() && page()->directDialog()->isVisible(), kTimeoutMs);
        page()->directDialog()->setTextValue(u"nobody"_s);
        page()->directDialog()->accept();
        QTRY_VERIFY_WITH_TIMEOUT(page()->noticeLabel()->text().contains(u"nobody"_s), kTimeoutMs);
        QCOMPARE(alice->currentRoom()->name(), u"@alice+carol"_s);
    }

    /*! A direct conversation is listed by the other person's display name at once (issue 12): from
        `direct_opened` when she opens it, and from `list_rooms` on a device that signs in later, before any member
        list or history could have taught the name; her user name stays the peer. */
    void listedByTheDisplayName()
    {
        setUp();
        m_carol = m_fixture->person(u"carol"_s); // in no room with alice
        bool named = false;
        m_carol->setDisplayName(u"Carolina Ruiz"_s, this, [&](const std::optional<Protocol::Error> &error) {
            named = !error;
        });
        QTRY_VERIFY_WITH_TIMEOUT(named, kTimeoutMs);
        QString address;
        m_carol->openDirect(u"alice"_s, this, [&](const std::optional<Protocol::Error> &, const QString &room) {
            address = room;
        });
        QTRY_COMPARE_WITH_TIMEOUT(address, u"@alice+carol"_s, kTimeoutMs);

        // Live, in the window's list (alice has not opened it: no members or history asked for).
        ChatClient *alice = m_window->client();
        QTRY_VERIFY_WITH_TIMEOUT(alice->rooms()->find(address), kTimeoutMs);
        QVERIFY(alice->currentRoom()->name() != address);
        const QAbstractItemModel *rooms = page()->roomList()->model();
        const int row = UiFixture::findRow(rooms, RoomListModel::NameRole, address);
        QVERIFY(row >= 0);
        QCOMPARE(rooms->index(row, 0).data(Qt::DisplayRole).toString(), u"Carolina Ruiz"_s);
        QCOMPARE(rooms->index(row, 0).data(RoomListModel::PeerRole).toString(), u"carol"_s);

        // Another device of alice's, signing in now: its first room list names her too.
        auto second = m_fixture->person(u"alice"_s);
        QVERIFY(second);
        QTRY_VERIFY_WITH_TIMEOUT(second->rooms()->find(address), kTimeoutMs);
        QCOMPARE(second->rooms()->find(address)->displayName(), u"Carolina Ruiz"_s);
        QCOMPARE(second->rooms()->find(address)->peer(), u"carol"_s);
    }

private:
    static constexpr int kTimeoutMs = UiFixture::kTimeoutMs;

    /// alice in the window, bob as a plain client, both in #general (created by alice), open in both.
    void setUp()
    {
        m_fixture = std::make_unique<UiFixture>();
        m_window = m_fixture->openWindow();
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        m_bob = m_fixture->person(u"bob"_s);
        ChatClient *alice = m_window->client();
        QVERIFY(UiFixture::expectOk([alice](QObject *context, auto done) { alice->createRoom(u"general"_s, false, context, done); }));
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->rooms()->find(u"general"_s), kTimeoutMs);
        QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) { m_bob->joinRoom(u"general"_s, context, done); }));
        m_bob->setCurrentRoom(u"general"_s);
        alice->setCurrentRoom(u"general"_s);
        QTRY_VERIFY_WITH_TIMEOUT(alice->rooms()->find(u"general"_s)->members().size() == 2, kTimeoutMs);
    }
    ChatPage *page() const { return m_window->chatPage(); }
    QMenu *memberMenu(const QString &user) { return UiFixture::openMemberMenu(*page(), user); }

    std::unique_ptr<UiFixture> m_fixture;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ChatClient> m_bob;
    std::unique_ptr<ChatClient> m_carol;
};

QTEST_MAIN(TestDirectMessages)
#include "tst_directmessages.moc"
