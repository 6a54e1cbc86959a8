// Room settings in the desktop window (issue 13) against a real server: the "Room settings…" dialog offers only
// what the user's role allows; the owner's topic and name show in the room header and the room list of both
// apps; an archived room's composer is off with the reason; Delete room… asks what happens to the history, and
// the deleted room leaves every list with a notice; a server administrator may change everything.
#include "uifixture.h"

#include "app/models/roomlistmodel.h"
#include "app/session/outbox.h"
#include "app/session/roomdirectory.h"
#include "app/ui/chatpage.h"
#include "app/ui/composer.h"
#include "app/ui/composeredit.h"
#include "app/ui/roomsettingsdialog.h"

#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

class TestRoomSettingsUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup()
    {
        m_window.reset();
        m_bob.reset();
        m_fixture.reset();
    }

    /*! alice owns #general: every control is on; a topic and a name saved in the dialog reach bob's app and
     *  show in her header and room list; the room menu of the room list offers Room settings…. */
    void ownerSetsTopicAndName();
    /*! alice archives #general: both composers go off with the reason, and bob's send is refused; unarchived,
     *  they come back. */
    void archiveDisablesComposer();
    /*! bob owns #general: as a member alice may change nothing; made a moderator, the topic only. */
    void onlyAllowedControls();
    /*! The settings of a room that is not the open one (from the room list's menu): our role there is learnt
     *  when the dialog opens, and the owner's controls come on. */
    void settingsOfAnotherRoom();
    /*! Delete room… asks first (saying what happens to the history); keeping it deletes the room for bob too,
     *  who is told. */
    void deleteRoom();
    /*! A server administrator (the hello says so) with no role in bob's #general: every control is on, as the
     *  server allows, and a new name saved reaches bob. */
    void serverAdministrator();

private:
    static constexpr int kTimeoutMs = UiFixture::kTimeoutMs;

    void setUp(const QString &owner);
    ChatPage *page() const { return m_window->chatPage(); }
    ChatRoom *aliceRoom() const { return m_window->client()->rooms()->find(u"general"_s); }
    ChatRoom *bobRoom() const { return m_bob->rooms()->find(u"general"_s); }
    RoomSettingsDialog *openSettings();

    std::unique_ptr<UiFixture> m_fixture;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ChatClient> m_bob;
};

void TestRoomSettingsUi::setUp(const QString &owner)
{
    m_fixture = std::make_unique<UiFixture>();
    m_window = m_fixture->openWindow();
    QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
    m_bob = m_fixture->person(u"bob"_s);
    ChatClient *alice = m_window->client();
    ChatClient *creator = owner == u"alice"_s ? alice : m_bob.get();
    QVERIFY(UiFixture::shareRoom(*creator, creator == alice ? *m_bob : *alice, u"general"_s));
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom()->roleOf(owner), Protocol::Role::Owner, kTimeoutMs);
    QTRY_VERIFY(page()->composer()->editor()->isEnabled());
}

RoomSettingsDialog *TestRoomSettingsUi::openSettings()
{
    if (!page()->settingsAction()->isEnabled())
        return nullptr;
    page()->settingsAction()->trigger();
    RoomSettingsDialog *dialog = page()->roomSettingsDialog();
    if (!dialog || !QTest::qWaitFor([dialog] { return dialog->isVisible(); }, kTimeoutMs))
        return nullptr;
    return dialog;
}

void TestRoomSettingsUi::ownerSetsTopicAndName()
{
    setUp(u"alice"_s);
    // The room list's menu has it too.
    QListView *rooms = page()->roomList();
    const int row = UiFixture::findRow(rooms->model(), RoomListModel::NameRole, u"general"_s);
    QVERIFY(row >= 0);
    rooms->setFocus();
    rooms->setCurrentIndex(rooms->model()->index(row, 0));
    QTest::keyClick(rooms, Qt::Key_F10, Qt::ShiftModifier);
    QTRY_VERIFY(page()->roomContextMenu() && page()->roomContextMenu()->isVisible());
    QAction *fromMenu = nullptr;
    for (QAction *entry : page()->roomContextMenu()->actions()) {
        if (entry->text().remove(u'&') == u"Room settings…"_s)
            fromMenu = entry;
    }
    QVERIFY(fromMenu && fromMenu->isEnabled());
    page()->roomContextMenu()->close();

    RoomSettingsDialog *dialog = openSettings();
    QVERIFY(dialog);
    for (QWidget *control : std::initializer_list<QWidget *>{dialog->titleEdit(), dialog->topicEdit(), dialog->privateBox(),
                                                             dialog->archivedBox(), dialog->deleteButton()})
        QVERIFY(control->isEnabled());
    QVERIFY(!dialog->changes()); // nothing typed yet
    QVERIFY(!page()->topicLabel()->isVisible());

    QTest::keyClicks(dialog->topicEdit(), u"Plans for Saturday"_s);
    QTest::keyClicks(dialog->titleEdit(), u"Hiking club"_s);
    const auto changes = dialog->changes();
    QVERIFY(changes);
    QCOMPARE(changes->topic, std::optional<QString>(u"Plans for Saturday"_s));
    QCOMPARE(changes->title, std::optional<QString>(u"Hiking club"_s));
    QVERIFY(!changes->isPrivate && !changes->archived);
    const QPointer<RoomSettingsDialog> guard(dialog);
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!guard || !guard->isVisible(), kTimeoutMs); // closed once the server took it

    QTRY_COMPARE_WITH_TIMEOUT(bobRoom()->topic(), u"Plans for Saturday"_s, kTimeoutMs);
    QCOMPARE(bobRoom()->displayName(), u"Hiking club"_s);
    QCOMPARE(bobRoom()->name(), u"general"_s); // the address stays
    QTRY_VERIFY(page()->topicLabel()->isVisible());
    QCOMPARE(page()->topicLabel()->text(), u"Plans for Saturday"_s);
    QCOMPARE(rooms->model()->index(row, 0).data(Qt::DisplayRole).toString(), u"Hiking club"_s);
}

void TestRoomSettingsUi::archiveDisablesComposer()
{
    setUp(u"alice"_s);
    RoomSettingsDialog *dialog = openSettings();
    QVERIFY(dialog);
    dialog->archivedBox()->setChecked(true);
    QTest::keyClicks(dialog->reasonEdit(), u"season over"_s);
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom()->isArchived(), kTimeoutMs);
    QTRY_VERIFY(!page()->composer()->editor()->isEnabled());
    QVERIFY(page()->mutedLabel()->isVisible());
    QVERIFY(page()->mutedLabel()->text().contains(u"archived"_s));
    QTRY_VERIFY_WITH_TIMEOUT(bobRoom()->isArchived(), kTimeoutMs);
    // The server refuses bob's message: it fails in his outbox with `archived`, not retried.
    const auto refused = m_bob->sendMessage(u"general"_s, u"anyone?"_s);
    QVERIFY(refused);
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->outbox()->find(*refused)
                                 && m_bob->outbox()->find(*refused)->state == OutboxEntry::State::Failed,
                             kTimeoutMs);
    QCOMPARE(m_bob->outbox()->find(*refused)->error->code, Protocol::ErrorCode::Archived);

    dialog = openSettings();
    QVERIFY(dialog);
    QVERIFY(dialog->archivedBox()->isChecked());
    dialog->archivedBox()->setChecked(false);
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!aliceRoom()->isArchived(), kTimeoutMs);
    QTRY_VERIFY(page()->composer()->editor()->isEnabled());
    QVERIFY(!page()->mutedLabel()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!bobRoom()->isArchived(), kTimeoutMs);
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"back again"_s));
}

void TestRoomSettingsUi::onlyAllowedControls()
{
    setUp(u"bob"_s);
    RoomSettingsDialog *dialog = openSettings();
    QVERIFY(dialog);
    for (QWidget *control : std::initializer_list<QWidget *>{dialog->titleEdit(), dialog->topicEdit(), dialog->privateBox(),
                                                             dialog->archivedBox(), dialog->deleteButton(),
                                                             dialog->saveButton()})
        QVERIFY(!control->isEnabled());
    dialog->reject();

    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->moderate(Protocol::RequestType::SetRole, {u"general"_s, u"alice"_s, Protocol::Role::Moderator, {}, {}},
                        context, done);
    }));
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom()->ownRole(), Protocol::Role::Moderator, kTimeoutMs);
    dialog = openSettings();
    QVERIFY(dialog);
    QVERIFY(dialog->topicEdit()->isEnabled());
    QVERIFY(dialog->saveButton()->isEnabled());
    for (QWidget *control : std::initializer_list<QWidget *>{dialog->titleEdit(), dialog->privateBox(),
                                                             dialog->archivedBox(), dialog->deleteButton()})
        QVERIFY(!control->isEnabled());
    QTest::keyClicks(dialog->topicEdit(), u"set by a moderator"_s);
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(bobRoom()->topic(), u"set by a moderator"_s, kTimeoutMs);
}

void TestRoomSettingsUi::settingsOfAnotherRoom()
{
    setUp(u"alice"_s);
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->createRoom(u"second"_s, false, context, done);
    }));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->rooms()->find(u"second"_s), kTimeoutMs);
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_window->client()->joinRoom(u"second"_s, context, done);
    }));
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_bob->moderate(Protocol::RequestType::TransferOwnership, {u"second"_s, u"alice"_s, {}, {}, {}}, context, done);
    }));
    ChatRoom *second = m_window->client()->rooms()->find(u"second"_s);
    QVERIFY(second);
    QCOMPARE(m_window->client()->currentRoom()->name(), u"general"_s); // not the open one
    page()->openRoomSettings(u"second"_s);
    RoomSettingsDialog *dialog = page()->roomSettingsDialog();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->titleEdit()->isEnabled() && dialog->deleteButton()->isEnabled(), kTimeoutMs);
    QVERIFY(dialog->windowTitle().contains(u"#second"_s));
    QVERIFY(dialog->saveButton()->isEnabled());
    dialog->reject();
}

void TestRoomSettingsUi::deleteRoom()
{
    setUp(u"alice"_s);
    QSignalSpy told(m_bob.get(), &ChatClient::roomDeleted);
    RoomSettingsDialog *dialog = openSettings();
    QVERIFY(dialog);
    QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
    QTRY_VERIFY(dialog->deleteQuestion() && dialog->deleteQuestion()->isVisible());
    QMessageBox *question = dialog->deleteQuestion();
    QVERIFY(question->informativeText().contains(u"administrators"_s)); // says what "keep" means
    QVERIFY(question->defaultButton() != dialog->deleteWithHistoryButton()); // nothing is deleted by Enter
    QVERIFY(question->defaultButton() != dialog->keepHistoryButton());
    QTest::mouseClick(dialog->keepHistoryButton(), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(!m_window->client()->rooms()->find(u"general"_s), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_bob->rooms()->find(u"general"_s), kTimeoutMs);
    QTRY_COMPARE(told.size(), 1);
    const auto event = told.at(0).at(0).value<Protocol::RoomDeletedEvent>();
    QCOMPARE(event.by, u"alice"_s);
    QVERIFY(event.historyKept);
    QTRY_VERIFY(page()->noticeLabel()->isVisible());
    QVERIFY(page()->noticeLabel()->text().contains(u"deleted #general"_s));
    QVERIFY(!page()->composer()->editor()->isEnabled());
}

void TestRoomSettingsUi::serverAdministrator()
{
    m_fixture = std::make_unique<UiFixture>();
    m_window = m_fixture->openWindow();
    m_fixture->server().login(u"alice"_s); // registers her
    const auto root = m_fixture->server().server().hostLogin(u"root"_s);
    QVERIFY(std::holds_alternative<Protocol::TokenPair>(root));
    QCOMPARE(m_fixture->server().http().send("POST", u"/api/v1/admin/users/alice/admin"_s,
                                             QJsonObject{{QLatin1StringView("admin"), true}},
                                             std::get<Protocol::TokenPair>(root).accessToken.toLatin1()).status,
             200);
    QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->client()->isServerAdmin(), kTimeoutMs);
    m_bob = m_fixture->person(u"bob"_s);
    QVERIFY(!m_bob->isServerAdmin());
    QVERIFY(UiFixture::shareRoom(*m_bob, *m_window->client(), u"general"_s));
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom()->roleOf(u"bob"_s), Protocol::Role::Owner, kTimeoutMs);
    QCOMPARE(aliceRoom()->ownRole(), Protocol::Role::Member);
    RoomSettingsDialog *dialog = openSettings();
    QVERIFY(dialog);
    for (QWidget *control : std::initializer_list<QWidget *>{dialog->titleEdit(), dialog->topicEdit(), dialog->privateBox(),
                                                             dialog->archivedBox(), dialog->deleteButton(),
                                                             dialog->saveButton()})
        QVERIFY(control->isEnabled());
    dialog->titleEdit()->setText(u"Run by the admins"_s);
    QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(bobRoom()->title(), u"Run by the admins"_s, kTimeoutMs);
}

QTEST_MAIN(TestRoomSettingsUi)
#include "tst_roomsettingsui.moc"
