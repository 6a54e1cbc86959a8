// Roles and moderation in the desktop window (issue 13) against a real server: role badges in the member list,
// the member list's context menu (only what the server would allow, from the mouse or Shift+F10), the Ban… and
// Mute… dialogs, what the member acted on sees (the notice, the room gone, the composer off while muted and on
// again when lifted or over), and a moderator's Delete on anyone's message.
#include "uifixture.h"

#include "app/models/memberlistmodel.h"
#include "app/models/messagelistmodel.h"
#include "app/models/roomlistmodel.h"
#include "app/session/roomdirectory.h"
#include "app/ui/chatpage.h"
#include "app/ui/composer.h"
#include "app/ui/composeredit.h"
#include "app/ui/messageview.h"
#include "app/ui/moderationdialog.h"
#include "app/ui/sanctionsdialog.h"

#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListView>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTreeWidget>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

class TestModeration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup()
    {
        m_window.reset();
        m_bob.reset();
        m_fixture.reset();
    }

    /*! alice (the window) owns #general: her menu on bob offers what an owner may do; Make moderator gives bob
     *  the badge in both apps; Mute… (the dialog) marks him muted and Unmute lifts it; a plain member is offered
     *  no moderation on anyone. */
    void ownerNamesModeratorAndMutes();
    /*! bob owns #general, alice is a member: her menu on bob has no moderation, her message menu no Delete on
     *  bob's message. */
    void memberIsOfferedNothing();
    /*! bob bans alice for a day with a reason: her window says who, until when and why, and the room is gone
     *  from her list. */
    void bannedMemberSeesNoticeAndLosesRoom();
    /*! bob mutes alice: her composer goes off with the reason; unmute turns it on again; a mute of three seconds
     *  ends by itself. */
    void muteDisablesComposer();
    /*! alice owns the room: Delete… is offered on bob's message and deletes it for everyone. */
    void moderatorDeletesAnyMessage();  // and bans through the dialog, unbans from the room list's menu
    /*! bob (the owner) mutes carol: alice's member list marks carol muted at once (member_muted), and unmarks
        her when the mute is lifted, without asking for the list again. */
    void othersSeeMuteAtOnce();

private:
    static constexpr int kTimeoutMs = UiFixture::kTimeoutMs;

    /// alice in the window, bob as a plain client, both in #general, created by `owner` ("alice" or "bob").
    void setUp(const QString &owner);
    ChatPage *page() const { return m_window->chatPage(); }
    ChatRoom *aliceRoom() const { return m_window->client()->rooms()->find(u"general"_s); }
    ChatRoom *bobRoom() const { return m_bob->rooms()->find(u"general"_s); }
    /// Opens the member list's menu on `user` with Shift+F10, as the keyboard does.
    QMenu *memberMenu(const QString &user);
    static QAction *action(QMenu *menu, const QString &text);
    static QStringList texts(QMenu *menu);
    bool moderate(ChatClient &client, Protocol::RequestType type, const QString &user,
                  std::optional<qint64> duration = {}, const QString &reason = {});

    std::unique_ptr<UiFixture> m_fixture;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<ChatClient> m_bob;
};

void TestModeration::setUp(const QString &owner)
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

QMenu *TestModeration::memberMenu(const QString &user) { return UiFixture::openMemberMenu(*page(), user); }

QStringList TestModeration::texts(QMenu *menu)
{
    QStringList result;
    for (QAction *entry : menu->actions()) {
        if (!entry->isSeparator())
            result << entry->text().remove(u'&');
    }
    return result;
}

QAction *TestModeration::action(QMenu *menu, const QString &text)
{
    for (QAction *entry : menu->actions()) {
        if (entry->text().remove(u'&') == text)
            return entry;
    }
    return nullptr;
}

bool TestModeration::moderate(ChatClient &client, Protocol::RequestType type, const QString &user,
                              std::optional<qint64> duration, const QString &reason)
{
    Protocol::ModerationParams params;
    params.room = u"general"_s;
    params.user = user;
    params.duration = duration;
    params.reason = reason;
    return UiFixture::expectOk(
        [&client, type, params](QObject *context, auto done) { client.moderate(type, params, context, done); });
}

void TestModeration::ownerNamesModeratorAndMutes()
{
    setUp(u"alice"_s);
    const QAbstractItemModel *members = page()->memberList()->model();
    const int aliceRow = UiFixture::findRow(members, MemberListModel::UserRole, u"alice"_s);
    QVERIFY(members->index(aliceRow, 0).data(Qt::DisplayRole).toString().contains(u"owner"_s));
    QCOMPARE(aliceRoom()->ownRole(), Protocol::Role::Owner);

    QMenu *menu = memberMenu(u"bob"_s);
    QVERIFY(menu);
    QCOMPARE(texts(menu), (QStringList{u"Mention bob"_s, u"Message bob"_s, u"Make moderator"_s, u"Transfer ownership…"_s,
                                       u"Remove from room"_s, u"Ban…"_s, u"Mute…"_s}));
    action(menu, u"Make moderator"_s)->trigger();
    // Both apps show bob as a moderator: alice's list, and bob's own role.
    QTRY_COMPARE_WITH_TIMEOUT(bobRoom()->ownRole(), Protocol::Role::Moderator, kTimeoutMs);
    const int bobRow = UiFixture::findRow(members, MemberListModel::UserRole, u"bob"_s);
    QTRY_VERIFY_WITH_TIMEOUT(members->index(bobRow, 0).data(Qt::DisplayRole).toString().contains(u"moderator"_s),
                             kTimeoutMs);
    QVERIFY(members->index(bobRow, 0).data(Qt::AccessibleTextRole).toString().contains(u"moderator"_s));
    // The moderator's menu on the owner: nothing to do there.
    QVERIFY(m_bob->rooms()->find(u"general"_s)->roleOf(u"alice"_s) == Protocol::Role::Owner);

    // Now: Make member instead, and Mute… through the dialog.
    menu = memberMenu(u"bob"_s);
    QVERIFY(menu);
    QVERIFY(action(menu, u"Make member"_s));
    QVERIFY(!action(menu, u"Make moderator"_s));
    action(menu, u"Mute…"_s)->trigger();
    QTRY_VERIFY(page()->moderationDialog() && page()->moderationDialog()->isVisible());
    ModerationDialog *dialog = page()->moderationDialog();
    QCOMPARE(dialog->kind(), ModerationDialog::Kind::Mute);
    QCOMPARE(dialog->durationBox()->count(), 4);
    QTest::keyClicks(dialog->reasonEdit(), u"calm down"_s);
    dialog->durationBox()->setCurrentIndex(0); // 1 hour
    QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
    // bob hears it (his own silence, with who and why), alice's list marks him muted.
    QTRY_VERIFY_WITH_TIMEOUT(bobRoom()->silence().has_value(), kTimeoutMs);
    QCOMPARE(bobRoom()->silence()->by, u"alice"_s);
    QCOMPARE(bobRoom()->silence()->reason, u"calm down"_s);
    QVERIFY(bobRoom()->silence()->until.isValid());
    QTRY_VERIFY(members->index(bobRow, 0).data(MemberListModel::MutedRole).toBool());
    QVERIFY(members->index(bobRow, 0).data(Qt::DisplayRole).toString().contains(u"muted"_s));

    menu = memberMenu(u"bob"_s);
    QVERIFY(menu);
    QVERIFY(!action(menu, u"Mute…"_s));
    action(menu, u"Unmute"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!bobRoom()->silence().has_value(), kTimeoutMs);
    QTRY_VERIFY(!members->index(bobRow, 0).data(MemberListModel::MutedRole).toBool());

    // Transfer ownership asks first; Cancel (the default) changes nothing, Transfer hands it over.
    menu = memberMenu(u"bob"_s);
    QVERIFY(menu);
    action(menu, u"Transfer ownership…"_s)->trigger();
    QTRY_VERIFY(page()->transferQuestion() && page()->transferQuestion()->isVisible());
    QAbstractButton *transfer = nullptr;
    for (QAbstractButton *button : page()->transferQuestion()->buttons()) {
        if (page()->transferQuestion()->buttonRole(button) == QMessageBox::AcceptRole)
            transfer = button;
    }
    QVERIFY(transfer);
    transfer->click();
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom()->ownRole(), Protocol::Role::Moderator, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(bobRoom()->ownRole(), Protocol::Role::Owner, kTimeoutMs);
    // A moderator now, alice may delete members' messages but not the owner's.
    QTRY_VERIFY(!page()->messageView()->canDeleteOf(u"bob"_s));
    QVERIFY(page()->messageView()->canDeleteOf(u"carol"_s));
    // Nor has she anything to offer on the owner.
    menu = memberMenu(u"bob"_s);
    QVERIFY(menu);
    QCOMPARE(texts(menu), (QStringList{u"Mention bob"_s, u"Message bob"_s}));
    menu->close();

    // Should she try anyway (the page's own call), the server's refusal shows, saying why.
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"the owner speaks"_s));
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom()->messageCount() == 1, kTimeoutMs);
    page()->deleteMessage(aliceRoom()->messages().constFirst().seq);
    QTRY_VERIFY(page()->deleteQuestion() && page()->deleteQuestion()->isVisible());
    for (QAbstractButton *button : page()->deleteQuestion()->buttons()) {
        if (page()->deleteQuestion()->buttonRole(button) == QMessageBox::DestructiveRole)
            button->click();
    }
    QTRY_VERIFY_WITH_TIMEOUT(page()->noticeLabel()->isVisible()
                                 && page()->noticeLabel()->text().startsWith(u"Not allowed: "_s),
                             kTimeoutMs);
    QVERIFY(!aliceRoom()->messages().constFirst().deleted);
}

void TestModeration::memberIsOfferedNothing()
{
    setUp(u"bob"_s);
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"hello from the owner"_s));
    QMenu *menu = memberMenu(u"bob"_s);
    QVERIFY(menu);
    QCOMPARE(texts(menu), (QStringList{u"Mention bob"_s, u"Message bob"_s}));
    menu->close();
    // Nor on herself (nobody acts on themselves).
    menu = memberMenu(u"alice"_s);
    QVERIFY(menu);
    QCOMPARE(texts(menu), QStringList{u"Mention alice"_s});
    QVERIFY(!menu->actions().constFirst()->isEnabled());
    menu->close();

    // No Delete on someone else's message for a member.
    MessageView *view = page()->messageView();
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() == 1, kTimeoutMs);
    QVERIFY(!view->canDeleteOf(u"bob"_s));
    view->setCurrentIndex(view->model()->index(0, 0));
    view->openContextMenuForCurrent();
    QTRY_VERIFY(view->contextMenu() && view->contextMenu()->isVisible());
    QVERIFY(!view->contextMenu()->actions().contains(view->deleteAction()));
    view->contextMenu()->close();
}

void TestModeration::bannedMemberSeesNoticeAndLosesRoom()
{
    setUp(u"bob"_s);
    QSignalSpy moderated(m_window->client(), &ChatClient::moderated);
    QVERIFY(moderate(*m_bob, Protocol::RequestType::Ban, u"alice"_s, 86400, u"spam"_s));
    QTRY_COMPARE_WITH_TIMEOUT(moderated.size(), 1, kTimeoutMs);
    QTRY_VERIFY(page()->noticeLabel()->isVisible());
    const QString notice = page()->noticeLabel()->text();
    QVERIFY2(notice.startsWith(u"You were banned from #general by bob until "_s), qPrintable(notice));
    QVERIFY2(notice.endsWith(u": spam"_s), qPrintable(notice));
    QTRY_VERIFY(!aliceRoom());
    QCOMPARE(UiFixture::findRow(page()->roomList()->model(), RoomListModel::NameRole, u"general"_s), -1);
    QVERIFY(!m_window->client()->currentRoom());
    // bob's list no longer has her either.
    QTRY_COMPARE_WITH_TIMEOUT(bobRoom()->memberRow(u"alice"_s), -1, kTimeoutMs);

    // Removed (not banned) from a public room: it stays in the list, not joined, and its page says why.
    QVERIFY(moderate(*m_bob, Protocol::RequestType::Unban, u"alice"_s));
    QTRY_COMPARE_WITH_TIMEOUT(moderated.size(), 2, kTimeoutMs);
    QVERIFY(page()->noticeLabel()->text().contains(u"lifted your ban"_s));
    QVERIFY(UiFixture::expectOk([this](QObject *context, auto done) {
        m_window->client()->joinRoom(u"general"_s, context, done);
    }));
    m_window->client()->setCurrentRoom(u"general"_s);
    QTRY_VERIFY_WITH_TIMEOUT(aliceRoom() && aliceRoom()->isJoined(), kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(bobRoom()->memberRow(u"alice"_s) >= 0, kTimeoutMs);
    QVERIFY(moderate(*m_bob, Protocol::RequestType::RemoveMember, u"alice"_s, std::nullopt, u"off topic"_s));
    QTRY_COMPARE_WITH_TIMEOUT(moderated.size(), 3, kTimeoutMs);
    QCOMPARE(page()->noticeLabel()->text(), u"You were removed from #general by bob: off topic"_s);
    QVERIFY(aliceRoom() && !aliceRoom()->isJoined());
    QTRY_VERIFY(page()->notJoinedLabel()->isVisible());
    QCOMPARE(page()->notJoinedLabel()->text(), u"You were removed from #general by bob: off topic"_s);
}

void TestModeration::muteDisablesComposer()
{
    setUp(u"bob"_s);
    ComposerEdit *editor = page()->composer()->editor();
    QVERIFY(moderate(*m_bob, Protocol::RequestType::Mute, u"alice"_s, std::nullopt, u"calm down"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!editor->isEnabled(), kTimeoutMs);
    QVERIFY(page()->mutedLabel()->isVisible());
    QCOMPARE(page()->mutedLabel()->text(),
             u"bob muted you in #general: you can read, but not write. Reason: calm down"_s);
    QVERIFY(page()->noticeLabel()->text().contains(u"bob muted you in #general"_s));

    QVERIFY(moderate(*m_bob, Protocol::RequestType::Unmute, u"alice"_s));
    QTRY_VERIFY_WITH_TIMEOUT(editor->isEnabled(), kTimeoutMs);
    QVERIFY(!page()->mutedLabel()->isVisible());
    QVERIFY(page()->noticeLabel()->text().contains(u"unmuted you"_s));

    // A short mute ends by itself: no event comes, the app lifts it when it is over. (Three seconds, so a
    // loaded machine still delivers the event before the end; the expiry itself is tst_chatroom's, by the clock.)
    QVERIFY(moderate(*m_bob, Protocol::RequestType::Mute, u"alice"_s, 3));
    QTRY_VERIFY_WITH_TIMEOUT(!editor->isEnabled(), kTimeoutMs);
    QVERIFY(page()->mutedLabel()->text().contains(u" until "_s));
    QTRY_VERIFY_WITH_TIMEOUT(editor->isEnabled(), kTimeoutMs);
    QVERIFY(!page()->mutedLabel()->isVisible());
    // And the server agrees: she can send again.
    QVERIFY(UiFixture::say(*m_window->client(), u"general"_s, u"back"_s));
}

void TestModeration::moderatorDeletesAnyMessage()
{
    setUp(u"alice"_s);
    QVERIFY(UiFixture::say(*m_bob, u"general"_s, u"something to delete"_s));
    MessageView *view = page()->messageView();
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() == 1, kTimeoutMs);
    QVERIFY(view->canDeleteOf(u"bob"_s));
    QVERIFY(!view->canDeleteOf(u"alice"_s)); // her own are deleted as her own, not as a moderator's
    view->setFocus();
    view->setCurrentIndex(view->model()->index(0, 0));
    view->openContextMenuForCurrent();
    QTRY_VERIFY(view->contextMenu() && view->contextMenu()->isVisible());
    QVERIFY(view->contextMenu()->actions().contains(view->deleteAction()));
    view->deleteAction()->trigger();
    view->contextMenu()->close();
    QTRY_VERIFY(page()->deleteQuestion() && page()->deleteQuestion()->isVisible());
    QAbstractButton *confirm = nullptr;
    for (QAbstractButton *button : page()->deleteQuestion()->buttons()) {
        if (page()->deleteQuestion()->buttonRole(button) == QMessageBox::DestructiveRole)
            confirm = button;
    }
    QVERIFY(confirm);
    confirm->click();
    QTRY_VERIFY_WITH_TIMEOUT(bobRoom()->messages().size() == 1 && bobRoom()->messages().constFirst().deleted,
                             kTimeoutMs);
    QTRY_VERIFY(view->model()->index(0, 0).data(MessageListModel::DeletedRole).toBool());

    // Ban… for a week through the dialog: bob's room is gone; the room list's Unban someone… lets him back.
    QSignalSpy bobHears(m_bob.get(), &ChatClient::moderated);
    QMenu *menu = memberMenu(u"bob"_s);
    QVERIFY(menu);
    action(menu, u"Ban…"_s)->trigger();
    QTRY_VERIFY(page()->moderationDialog() && page()->moderationDialog()->isVisible());
    ModerationDialog *dialog = page()->moderationDialog();
    QCOMPARE(dialog->kind(), ModerationDialog::Kind::Ban);
    dialog->durationBox()->setCurrentIndex(2);
    QCOMPARE(dialog->duration(), std::optional<qint64>(7 * 24 * 3600));
    QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(bobHears.size(), 1, kTimeoutMs);
    const auto banned = bobHears.first().at(1).value<Protocol::ModerationEvent>();
    QCOMPARE(banned.action, Protocol::ModerationAction::Banned);
    QCOMPARE(banned.by, u"alice"_s);
    QVERIFY(banned.until > QDateTime::currentMSecsSinceEpoch() + 6LL * 24 * 3600 * 1000);
    QVERIFY(!bobRoom());
    QTRY_COMPARE_WITH_TIMEOUT(aliceRoom()->memberRow(u"bob"_s), -1, kTimeoutMs);

    QListView *rooms = page()->roomList();
    const int row = UiFixture::findRow(rooms->model(), RoomListModel::NameRole, u"general"_s);
    QVERIFY(row >= 0);
    rooms->setFocus();
    rooms->setCurrentIndex(rooms->model()->index(row, 0));
    QTest::keyClick(rooms, Qt::Key_F10, Qt::ShiftModifier);
    QTRY_VERIFY(page()->roomContextMenu() && page()->roomContextMenu()->isVisible());
    QAction *sanctions = action(page()->roomContextMenu(), u"Bans and mutes…"_s);
    QVERIFY(sanctions);
    sanctions->trigger();
    page()->roomContextMenu()->close();
    QTRY_VERIFY(page()->sanctionsDialog() && page()->sanctionsDialog()->isVisible());
    SanctionsDialog *list = page()->sanctionsDialog();
    // The list comes from the server (list_sanctions): who, what, by whom, until when.
    QTRY_COMPARE_WITH_TIMEOUT(list->list()->topLevelItemCount(), 1, kTimeoutMs);
    QCOMPARE(list->sanctions().constFirst().user, u"bob"_s);
    QVERIFY(list->sanctions().constFirst().ban);
    QCOMPARE(list->list()->topLevelItem(0)->text(1), u"Banned"_s);
    QCOMPARE(list->list()->topLevelItem(0)->text(2), u"alice"_s);
    QVERIFY(!list->liftButton()->isEnabled());
    list->list()->setCurrentItem(list->list()->topLevelItem(0));
    QVERIFY(list->liftButton()->isEnabled());
    QCOMPARE(list->liftButton()->text(), u"&Unban"_s);
    QTest::mouseClick(list->liftButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(bobHears.size(), 2, kTimeoutMs);
    // Lifted: the list reads again, empty.
    QTRY_COMPARE_WITH_TIMEOUT(list->list()->topLevelItemCount(), 0, kTimeoutMs);
    QCOMPARE(bobHears.last().at(1).value<Protocol::ModerationEvent>().action, Protocol::ModerationAction::Unbanned);
    QVERIFY(UiFixture::expectOk(
        [this](QObject *context, auto done) { m_bob->joinRoom(u"general"_s, context, done); }));
}

void TestModeration::othersSeeMuteAtOnce()
{
    setUp(u"bob"_s);
    std::unique_ptr<ChatClient> carol = m_fixture->person(u"carol"_s);
    QVERIFY(UiFixture::expectOk(
        [&carol](QObject *context, auto done) { carol->joinRoom(u"general"_s, context, done); }));
    QAbstractItemModel *members = page()->memberList()->model();
    QTRY_VERIFY_WITH_TIMEOUT(UiFixture::findRow(members, MemberListModel::UserRole, u"carol"_s) >= 0, kTimeoutMs);
    const auto carolMuted = [members] {
        const int row = UiFixture::findRow(members, MemberListModel::UserRole, u"carol"_s);
        return row >= 0 && members->index(row, 0).data(MemberListModel::MutedRole).toBool();
    };
    QVERIFY(!carolMuted());
    QVERIFY(moderate(*m_bob, Protocol::RequestType::Mute, u"carol"_s, 3600, u"loud"_s));
    QTRY_VERIFY_WITH_TIMEOUT(carolMuted(), kTimeoutMs);
    QVERIFY(moderate(*m_bob, Protocol::RequestType::Unmute, u"carol"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!carolMuted(), kTimeoutMs);
}

QTEST_MAIN(TestModeration)
#include "tst_moderationui.moc"
