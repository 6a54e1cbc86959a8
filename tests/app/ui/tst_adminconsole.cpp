// The admin console (Chat → Server administration…) against a real server through the relay: what it shows a
// member (nothing, and why), and for an administrator the live connections, rooms and users, disconnecting a
// connection, signing a user out everywhere, and the activity charts from /metrics. Offscreen, real clicks.
#include "app/admin/adminclient.h"
#include "app/session/connectionmanager.h"
#include "app/ui/adminconsole.h"
#include "app/ui/moderationdialog.h"
#include "app/ui/chatpage.h"
#include "app/ui/passwordresetdialog.h"
#include "app/ui/roomsettingsdialog.h"
#include "app/ui/rttchart.h"
#include "support/printers.h"
#include "support/wsclient.h"
#include "uifixture.h"

#include <QtCore/QJsonArray>
#include <QtCore/QPointer>
#include <QtGui/QAction>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTextBrowser>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <map>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using Protocol::CloseCode;

class TestAdminConsole : public QObject
{
    Q_OBJECT

private:
    static constexpr int kTimeoutMs = UiFixture::kTimeoutMs;
    std::unique_ptr<UiFixture> m_fixture;
    std::unique_ptr<MainWindow> m_window;

    AdminConsole *openConsole()
    {
        m_window->adminAction()->trigger();
        if (!QTest::qWaitFor([this] { return m_window->adminConsole() && m_window->adminConsole()->isVisible(); },
                             kTimeoutMs))
            return nullptr;
        AdminConsole *console = m_window->adminConsole();
        console->setRefreshInterval(std::chrono::milliseconds(150));
        return QTest::qWaitForWindowExposed(console) ? console : nullptr;
    }

    /// Makes `user` an administrator (or a member again) through the admin API, as the server's host.
    bool promote(const QString &user, bool admin = true)
    {
        const auto pair = m_fixture->server().server().hostLogin(u"root"_s);
        if (!std::holds_alternative<Protocol::TokenPair>(pair))
            return false;
        const QByteArray token = std::get<Protocol::TokenPair>(pair).accessToken.toLatin1();
        return m_fixture->server().http().send("POST", u"/api/v1/admin/users/%1/admin"_s.arg(user),
                                               QJsonObject{{QLatin1StringView("admin"), admin}}, token).status == 200;
    }

    /// The status of signing in as `user` with `password` over HTTP (200, 401, or 403 when disabled).
    int loginStatus(const QString &user, const QString &password)
    {
        return m_fixture->server().http().postJson(u"/api/v1/login"_s,
                                                   QJsonObject{{QLatin1StringView("username"), user},
                                                               {QLatin1StringView("password"), password}})
            .status;
    }

    template<typename Row>
    static int rowWhere(const AdminTableModel<Row> &model, const std::function<bool(const Row &)> &match)
    {
        for (int i = 0; i < model.rows().size(); ++i) {
            if (match(model.rows().at(i)))
                return i;
        }
        return -1;
    }

private Q_SLOTS:
    /*! The Users tab's Remove from room… and Ban from room…: the administrator picks the room (the rooms the
        console knows), a reason and (a ban) how long; the member's session hears it at once, and it is in the
        audit log under the administrator's name. The dialog asked is the member list's Ban… dialog. */
    void removesAndBansFromRooms()
    {
        m_fixture->server().login(u"alice"_s);
        QVERIFY(promote(u"alice"_s));
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        auto bob = std::make_unique<Test::WsClient>();
        QVERIFY(bob->openAndAuth(m_fixture->server().url(), m_fixture->server().login(u"bob"_s).accessToken));
        auto carl = std::make_unique<Test::WsClient>();
        QVERIFY(carl->openAndAuth(m_fixture->server().url(), m_fixture->server().login(u"carl"_s).accessToken));
        QVERIFY(carl->request(Protocol::Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(bob->request(Protocol::Request::join({}, u"general"_s)).isOk());

        AdminConsole *console = openConsole();
        QVERIFY(console);
        console->tabs()->setCurrentIndex(2);
        const auto bobRow = [console] {
            return rowWhere<Admin::User>(console->userModel(), [](const auto &u) { return u.name == u"bob"; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(bobRow() >= 0 && !console->roomModel().rows().isEmpty(), kTimeoutMs);
        QVERIFY(!console->removeFromRoomButton()->isEnabled());
        UiFixture::clickRow(console->usersView(), bobRow());
        QVERIFY(console->removeFromRoomButton()->isEnabled());
        QVERIFY(console->banFromRoomButton()->isEnabled());

        std::optional<AdminConsole::RoomAction> answer;
        QStringList offered;
        bool askedBan = false;
        console->askRoomAction = [&](bool ban, const QString &user, const QStringList &rooms) {
            askedBan = ban;
            offered = rooms;
            [&] { QCOMPARE(user, u"bob"_s); }();
            return answer;
        };
        QTest::mouseClick(console->removeFromRoomButton(), Qt::LeftButton); // cancelled: nothing
        QCOMPARE(offered, QStringList{u"general"_s});
        QVERIFY(!askedBan);
        answer = AdminConsole::RoomAction{u"general"_s, u"off topic"_s, std::nullopt};
        QTest::mouseClick(console->removeFromRoomButton(), Qt::LeftButton);
        const auto removed = bob->waitForEvent(Protocol::EventType::Moderated);
        QVERIFY(removed);
        const auto told = std::get<Protocol::ModerationEvent>(Protocol::ModerationEvent::fromJson(removed->data));
        QCOMPARE(told.action, Protocol::ModerationAction::Removed);
        QCOMPARE(told.by, u"alice"_s);
        QCOMPARE(told.reason, u"off topic"_s);
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(
                                     AdminConsole::tr("Removed %1 from #%2.").arg(u"bob"_s, u"general"_s)),
                                 kTimeoutMs);

        QVERIFY(bob->request(Protocol::Request::join({}, u"general"_s)).isOk());
        answer = AdminConsole::RoomAction{u"general"_s, u"spam"_s, 3600};
        UiFixture::clickRow(console->usersView(), bobRow());
        QTest::mouseClick(console->banFromRoomButton(), Qt::LeftButton);
        QVERIFY(askedBan);
        const auto banned = bob->waitForEvent(Protocol::EventType::Moderated);
        QVERIFY(banned);
        const auto ban = std::get<Protocol::ModerationEvent>(Protocol::ModerationEvent::fromJson(banned->data));
        QCOMPARE(ban.action, Protocol::ModerationAction::Banned);
        QVERIFY(ban.until > QDateTime::currentMSecsSinceEpoch() + 3500 * 1000);
        QCOMPARE(bob->request(Protocol::Request::join({}, u"general"_s)).error->code, Protocol::ErrorCode::Forbidden);
        // The console's own answer to the ban comes on its HTTP reply, which may arrive after bob heard of it: wait
        // for it, or it could land after (and overwrite) the refusal checked next.
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(
                                     AdminConsole::tr("Banned %1 from #%2.").arg(u"bob"_s, u"general"_s)),
                                 kTimeoutMs);
        // A room that is not there: the server's refusal is shown; banning him again, too (he is banned).
        answer = AdminConsole::RoomAction{u"nowhere"_s, {}, std::nullopt};
        UiFixture::clickRow(console->usersView(), bobRow());
        QTest::mouseClick(console->banFromRoomButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(AdminError::tr("It is not there any more.")),
                                 kTimeoutMs);

        // The dialog the console asks with: the member list's, with a room to pick; a removal has no duration.
        ModerationDialog remove(ModerationDialog::Kind::Remove, u"bob"_s, QString(), console);
        remove.setRooms({u"general"_s, u"random"_s});
        remove.show();
        QVERIFY(remove.roomBox()->isVisible());
        QVERIFY(!remove.durationBox()->isVisible());
        QCOMPARE(remove.room(), u"general"_s);
        remove.roomBox()->setCurrentIndex(1);
        QCOMPARE(remove.windowTitle(), ModerationDialog::tr("Remove %1 from #%2").arg(u"bob"_s, u"random"_s));
        QCOMPARE(remove.duration(), std::nullopt);
        remove.roomBox()->setEditText(QString());
        QVERIFY(!remove.submitButton()->isEnabled());
    }

    /*! The Rooms tab: each room's settings and messages per second; a selected room's members with their roles
        and its banned users; make moderator, mute (asked why and how long), unmute, unban and transfer ownership
        (asked first), each heard by the room at once, said in the status line, and the server's refusal said
        there too (the one moderation implementation's, through the admin API). */
    void roomMembersAndActions()
    {
        using namespace Protocol;
        using Test::payloadOf;
        m_fixture->server().login(u"alice"_s);
        QVERIFY(promote(u"alice"_s));
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        std::map<QString, std::unique_ptr<Test::WsClient>> people;
        for (const QString &name : {u"bob"_s, u"carl"_s, u"dave"_s, u"erin"_s}) {
            people[name] = std::make_unique<Test::WsClient>();
            QVERIFY(people[name]->openAndAuth(m_fixture->server().url(), m_fixture->server().login(name).accessToken));
            QVERIFY(people[name]->request(name == u"bob" ? Request::createRoom({}, {u"general"_s, false})
                                                          : Request::join({}, u"general"_s))
                        .isOk());
        }
        Test::WsClient &bob = *people[u"bob"_s];
        QVERIFY(bob.request(Request::updateRoom({}, {u"general"_s, u"General"_s, u"Everything"_s, {}, {}, {}})).isOk());
        for (int i = 0; i < 3; ++i)
            QVERIFY(bob.request(Request::send({}, {u"general"_s, u"hi"_s, u"b%1"_s.arg(i)})).isOk());

        AdminConsole *console = openConsole();
        QVERIFY(console);
        console->tabs()->setCurrentIndex(1);
        const auto roomRow = [console] {
            return rowWhere<Admin::Room>(console->roomModel(), [](const auto &r) { return r.name == u"general"; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(roomRow() >= 0, kTimeoutMs);
        const Admin::Room room = console->roomModel().rows().at(roomRow());
        QCOMPARE(room.title, u"General"_s);
        QCOMPARE(room.topic, u"Everything"_s);
        QCOMPARE(room.messagesPerSecond, 3.0 / 60.0);
        QCOMPARE(console->roomModel().index(roomRow(), 8).data().toString(), QLocale().toString(0.05, 'f', 2));
        QCOMPARE(console->roomModel().headerData(8, Qt::Horizontal, Qt::DisplayRole).toString(), AdminConsole::tr("Messages/s"));
        QVERIFY(console->membersRoom().isEmpty());
        QCOMPARE(UiFixture::mnemonicClashes(console), QStringList());

        // A room selected: its members, the owner first.
        UiFixture::clickRow(console->roomsView(), roomRow());
        QCOMPARE(console->membersRoom(), u"general"_s);
        const auto &members = console->memberModel();
        QTRY_COMPARE_WITH_TIMEOUT(members.rowCount(), 4, kTimeoutMs);
        QCOMPARE(members.rows().at(0).user, u"bob"_s);
        QCOMPARE(members.rows().at(0).role, u"owner"_s);
        QCOMPARE(members.index(0, 1).data().toString(), AdminConsole::tr("owner"));
        const auto memberRow = [&members](const QString &user, bool banned = false) {
            return rowWhere<Admin::RoomMember>(members, [&](const auto &m) { return m.user == user && m.banned == banned; });
        };
        // What the list says of a member now (empty when not listed).
        const auto roleOf = [&](const QString &user) {
            const int row = memberRow(user);
            return row >= 0 ? members.rows().at(row).role : QString();
        };
        const auto select = [&](const QString &user, bool banned = false) {
            QTRY_VERIFY_WITH_TIMEOUT(memberRow(user, banned) >= 0, kTimeoutMs);
            UiFixture::clickRow(console->membersView(), memberRow(user, banned));
        };
        const auto statusIs = [console](const QString &text) {
            return QTest::qWaitFor([&] { return console->status()->text().startsWith(text); }, kTimeoutMs);
        };
        select(u"bob"_s);
        QVERIFY(!console->roleButton()->isEnabled()); // the owner keeps the room
        QVERIFY(!console->transferButton()->isEnabled());
        QVERIFY(console->muteButton()->isEnabled());
        QVERIFY(!console->unmuteButton()->isEnabled());
        QVERIFY(!console->unbanButton()->isEnabled());

        // Make carl a moderator: the room hears it.
        select(u"carl"_s);
        QCOMPARE(console->roleButton()->text(), AdminConsole::tr("Make m&oderator"));
        QTest::mouseClick(console->roleButton(), Qt::LeftButton);
        QVERIFY(bob.waitForEvent(EventType::RoleChanged, [](const Event &e) {
            return payloadOf<RoleEvent>(e.data).user == u"carl"_s && payloadOf<RoleEvent>(e.data).by == u"alice"_s;
        }));
        QVERIFY(statusIs(AdminConsole::tr("Made %1 a moderator of #%2.").arg(u"carl"_s, u"general"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(roleOf(u"carl"_s), u"moderator"_s, kTimeoutMs);
        select(u"carl"_s);
        QCOMPARE(console->roleButton()->text(), AdminConsole::tr("Make membe&r"));

        // Mute dave, asked why and for how long; then lift it.
        select(u"dave"_s);
        std::optional<AdminConsole::RoomAction> muteAnswer;
        console->askMute = [&](const QString &user, const QString &inRoom) {
            [&] { QCOMPARE(user, u"dave"_s); QCOMPARE(inRoom, u"general"_s); }();
            return muteAnswer;
        };
        QTest::mouseClick(console->muteButton(), Qt::LeftButton); // cancelled: nothing
        muteAnswer = AdminConsole::RoomAction{u"general"_s, u"calm down"_s, 600};
        QTest::mouseClick(console->muteButton(), Qt::LeftButton);
        const auto muted = people[u"dave"_s]->waitForEvent(EventType::Moderated);
        QVERIFY(muted);
        QCOMPARE(payloadOf<ModerationEvent>(muted->data).action, ModerationAction::Muted);
        QCOMPARE(payloadOf<ModerationEvent>(muted->data).reason, u"calm down"_s);
        QVERIFY(statusIs(AdminConsole::tr("Muted %1 in #%2.").arg(u"dave"_s, u"general"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(memberRow(u"dave"_s) >= 0 && members.rows().at(memberRow(u"dave"_s)).muted, kTimeoutMs);
        select(u"dave"_s);
        QVERIFY(console->unmuteButton()->isEnabled());
        QVERIFY(!console->muteButton()->isEnabled());
        QTest::mouseClick(console->unmuteButton(), Qt::LeftButton);
        QVERIFY(people[u"dave"_s]->waitForEvent(EventType::Moderated, [](const Event &e) {
            return payloadOf<ModerationEvent>(e.data).action == ModerationAction::Unmuted;
        }));
        QVERIFY(statusIs(AdminConsole::tr("Lifted the mute of %1 in #%2.").arg(u"dave"_s, u"general"_s)));

        // A banned user is listed as banned (no longer a member); Unban lets them back.
        const auto pair = m_fixture->server().server().hostLogin(u"root"_s);
        const QByteArray root = std::get<Protocol::TokenPair>(pair).accessToken.toLatin1();
        QCOMPARE(m_fixture->server().http().send("POST", u"/api/v1/admin/rooms/general/bans/dave"_s, QJsonObject{}, root).status,
                 200);
        select(u"dave"_s, true);
        QCOMPARE(memberRow(u"dave"_s), -1);
        QVERIFY(console->unbanButton()->isEnabled());
        QVERIFY(!console->roleButton()->isEnabled());
        QVERIFY(!console->muteButton()->isEnabled());
        QTest::mouseClick(console->unbanButton(), Qt::LeftButton);
        QVERIFY(statusIs(AdminConsole::tr("Lifted the ban of %1 from #%2.").arg(u"dave"_s, u"general"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(memberRow(u"dave"_s, true), -1, kTimeoutMs);
        QVERIFY(people[u"dave"_s]->request(Request::join({}, u"general"_s)).isOk());

        // Transfer ownership to carl, asked first.
        select(u"carl"_s);
        bool transfer = false;
        console->confirmTransfer = [&](const QString &user, const QString &inRoom) {
            [&] { QCOMPARE(user, u"carl"_s); QCOMPARE(inRoom, u"general"_s); }();
            return transfer;
        };
        QTest::mouseClick(console->transferButton(), Qt::LeftButton); // no: nothing
        transfer = true;
        QTest::mouseClick(console->transferButton(), Qt::LeftButton);
        QVERIFY(bob.waitForEvent(EventType::RoleChanged, [](const Event &e) {
            return payloadOf<RoleEvent>(e.data).user == u"carl"_s && payloadOf<RoleEvent>(e.data).role == Role::Owner;
        }));
        QVERIFY(statusIs(AdminConsole::tr("Made %1 the owner of #%2.").arg(u"carl"_s, u"general"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(roleOf(u"carl"_s), u"owner"_s, kTimeoutMs);
        QCOMPARE(members.rows().at(0).user, u"carl"_s);
        QCOMPARE(roleOf(u"bob"_s), u"moderator"_s);

        // Refused by the server: erin left the room after the list was read. No refresh meanwhile.
        console->setRefreshInterval(std::chrono::hours(1));
        QSignalSpy loaded(console, &AdminConsole::membersLoaded);
        console->refresh();
        QVERIFY(loaded.wait(kTimeoutMs));
        select(u"erin"_s);
        QVERIFY(people[u"erin"_s]->request(Request::leave({}, u"general"_s)).isOk());
        QTest::mouseClick(console->roleButton(), Qt::LeftButton);
        const QString refused = AdminError::tr("The server refused: %1").arg(u"erin is not in 'general'"_s);
        QVERIFY(statusIs(refused));
        // The refusal stays through the refreshes that follow (until the next action), said in red.
        QSignalSpy refreshed(console, &AdminConsole::refreshed);
        console->refresh();
        QVERIFY(refreshed.wait(kTimeoutMs));
        QVERIFY2(console->status()->text().startsWith(refused), qPrintable(console->status()->text()));
        QVERIFY(console->status()->text().contains(AdminConsole::tr("Updated at %1.").section(u' ', 0, 1)));
        QVERIFY(console->status()->styleSheet().contains(u"color"_s));

        // The audit log has them all, under alice's name.
        QStringList actions;
        const Test::HttpResult audit = m_fixture->server().http().send("GET", u"/api/v1/admin/audit"_s, std::nullopt, root);
        for (const QJsonValue &line : audit.json.value(QLatin1StringView("audit")).toArray()) {
            if (line.toObject().value(QLatin1StringView("actor")).toString() == u"alice")
                actions.prepend(line.toObject().value(QLatin1StringView("action")).toString());
        }
        QCOMPARE(actions, (QStringList{u"set_role"_s, u"mute"_s, u"unmute"_s, u"unban"_s, u"transfer_ownership"_s}));
    }

    void init()
    {
        m_fixture = std::make_unique<UiFixture>();
        m_window = m_fixture->openWindow();
        QVERIFY(m_window);
    }
    void cleanup()
    {
        m_window.reset();
        m_fixture.reset();
    }

    /*! A member is not offered the console; opened all the same (a demotion while it is open is the same), it
        says it is not theirs, and shows nothing of the server. */
    void memberIsRefused()
    {
        QVERIFY(!m_window->adminAction()->isEnabled()); // nothing to administer before signing in
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        QVERIFY(!m_window->adminAction()->isVisible());
        m_window->showAdminConsole();
        AdminConsole *console = openConsole();
        QVERIFY(console);
        QTRY_COMPARE_WITH_TIMEOUT(console->status()->text(), AdminError::tr("You are not an administrator of this server."),
                                  kTimeoutMs);
        QCOMPARE(console->connectionModel().rowCount(), 0);
        QCOMPARE(console->userModel().rowCount(), 0);
        QVERIFY(!console->disconnectButton()->isEnabled());
    }

    /*! The administrator flag follows a promotion or demotion at once (admin_changed), with no reconnect: promoted,
        alice is offered Server administration… and it opens the console, and the room settings she has open
        offer what an administrator may change (she is a mere member of the room); demoted, both go back. */
    void menuFollowsAdministratorFlag()
    {
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        ChatClient *alice = m_window->client();
        QAction *action = m_window->adminAction();
        QVERIFY(!action->isVisible());
        QVERIFY(!alice->isServerAdmin());
        const auto bob = m_fixture->person(u"bob"_s);
        QVERIFY(UiFixture::shareRoom(*bob, *alice, u"general"_s));
        m_window->chatPage()->openRoomSettings(u"general"_s);
        RoomSettingsDialog *dialog = m_window->chatPage()->roomSettingsDialog();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->isVisible(), kTimeoutMs);
        QVERIFY(!dialog->titleEdit()->isEnabled());
        QVERIFY(!dialog->deleteButton()->isEnabled());
        QSignalSpy changed(alice, &ChatClient::serverAdminChanged);
        QSignalSpy reconnected(alice->connection(), &ConnectionManager::authenticated);

        QVERIFY(promote(u"alice"_s));
        QTRY_VERIFY_WITH_TIMEOUT(action->isVisible(), kTimeoutMs);
        QVERIFY(action->isEnabled());
        QVERIFY(alice->isServerAdmin());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().first().toBool(), true);
        for (QWidget *control : std::initializer_list<QWidget *>{dialog->titleEdit(), dialog->topicEdit(), dialog->privateBox(),
                                                                 dialog->archivedBox(), dialog->deleteButton(),
                                                                 dialog->saveButton()})
            QVERIFY(control->isEnabled());
        dialog->close();
        AdminConsole *console = openConsole();
        QVERIFY(console);
        QTRY_VERIFY_WITH_TIMEOUT(console->userModel().rowCount() >= 2, kTimeoutMs);
        console->close();

        QVERIFY(promote(u"alice"_s, false));
        QTRY_VERIFY_WITH_TIMEOUT(!action->isVisible(), kTimeoutMs);
        QVERIFY(!alice->isServerAdmin());
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.last().first().toBool(), false);
        m_window->chatPage()->openRoomSettings(u"general"_s);
        dialog = m_window->chatPage()->roomSettingsDialog();
        QVERIFY(dialog);
        QVERIFY(!dialog->titleEdit()->isEnabled());
        QCOMPARE(reconnected.count(), 0); // all of it on the connection alice had
    }

    /*! A console left open when its user is demoted closes the moment admin_changed says so, not at its next
        refresh (there is none here: the interval is an hour), on the connection alice had. */
    void consoleClosesOnDemotion()
    {
        m_fixture->server().login(u"alice"_s);
        QVERIFY(promote(u"alice"_s));
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        ChatClient *alice = m_window->client();
        QTRY_VERIFY_WITH_TIMEOUT(alice->isServerAdmin(), kTimeoutMs);
        QPointer<AdminConsole> console = openConsole();
        QVERIFY(console);
        QTRY_VERIFY_WITH_TIMEOUT(console->userModel().rowCount() >= 1, kTimeoutMs);
        console->setRefreshInterval(std::chrono::hours(1)); // a refused refresh would leave it open anyway
        QSignalSpy reconnected(alice->connection(), &ConnectionManager::authenticated);

        QVERIFY(promote(u"alice"_s, false));
        QTRY_VERIFY_WITH_TIMEOUT(!console || !console->isVisible(), kTimeoutMs);
        QVERIFY(!m_window->adminAction()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!console, kTimeoutMs); // and gone (deleted on close)
        QVERIFY(!m_window->adminConsole());
        QCOMPARE(reconnected.count(), 0);
    }

    /*! Room settings… on the Rooms tab, for rooms the administrator is not in: the dialog offers every setting,
        saving changes the room for its members at once (room_updated, by the administrator), a refusal stays in
        the dialog, and Delete room… deletes it keeping its messages. Each in the audit log. */
    void roomSettingsOfAnyRoom()
    {
        using namespace Protocol;
        using Test::payloadOf;
        m_fixture->server().login(u"alice"_s);
        QVERIFY(promote(u"alice"_s));
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        std::map<QString, std::unique_ptr<Test::WsClient>> people;
        for (const QString &name : {u"bob"_s, u"carl"_s}) {
            people[name] = std::make_unique<Test::WsClient>();
            QVERIFY(people[name]->openAndAuth(m_fixture->server().url(), m_fixture->server().login(name).accessToken));
        }
        Test::WsClient &bob = *people[u"bob"_s];
        Test::WsClient &carl = *people[u"carl"_s];
        for (const QString &room : {u"general"_s, u"plaza"_s}) {
            QVERIFY(bob.request(Request::createRoom({}, {room, false})).isOk());
            QVERIFY(carl.request(Request::join({}, room)).isOk());
        }

        AdminConsole *console = openConsole();
        QVERIFY(console);
        console->tabs()->setCurrentIndex(1);
        const auto roomRow = [console](const QString &name) {
            return rowWhere<Admin::Room>(console->roomModel(), [&name](const auto &r) { return r.name == name; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(roomRow(u"general"_s) >= 0 && roomRow(u"plaza"_s) >= 0, kTimeoutMs);
        QVERIFY(!console->roomSettingsButton()->isEnabled());
        QCOMPARE(UiFixture::mnemonicClashes(console), QStringList());
        const auto openSettings = [&](const QString &room) -> RoomSettingsDialog * {
            UiFixture::clickRow(console->roomsView(), roomRow(room));
            if (!console->roomSettingsButton()->isEnabled())
                return nullptr;
            QTest::mouseClick(console->roomSettingsButton(), Qt::LeftButton);
            RoomSettingsDialog *dialog = console->roomSettingsDialog();
            return dialog && QTest::qWaitForWindowExposed(dialog) ? dialog : nullptr;
        };
        const auto statusIs = [console](const QString &text) {
            return QTest::qWaitFor([&] { return console->status()->text().startsWith(text); }, kTimeoutMs);
        };

        // Every setting is an administrator's to change, though alice is not in the room.
        RoomSettingsDialog *dialog = openSettings(u"general"_s);
        QVERIFY(dialog);
        QCOMPARE(dialog->windowTitle(), RoomSettingsDialog::tr("Settings of #%1").arg(u"general"_s));
        for (QWidget *control : std::initializer_list<QWidget *>{dialog->titleEdit(), dialog->topicEdit(), dialog->privateBox(),
                                                                 dialog->archivedBox(), dialog->deleteButton(),
                                                                 dialog->saveButton()})
            QVERIFY(control->isEnabled());
        QCOMPARE(UiFixture::mnemonicClashes(dialog), QStringList());
        dialog->topicEdit()->setText(u"Anything goes"_s);
        dialog->archivedBox()->setChecked(true);
        dialog->reasonEdit()->setText(u"season over"_s);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        for (Test::WsClient *member : {&bob, &carl}) {
            const auto heard = member->waitForEvent(EventType::RoomUpdated);
            QVERIFY(heard);
            QCOMPARE(payloadOf<RoomResult>(heard->data).by, u"alice"_s);
            QCOMPARE(payloadOf<RoomResult>(heard->data).room.topic, u"Anything goes"_s);
            QVERIFY(payloadOf<RoomResult>(heard->data).room.archived);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!console->roomSettingsDialog(), kTimeoutMs); // closed once saved
        QVERIFY(statusIs(AdminConsole::tr("Saved the settings of #%1.").arg(u"general"_s)));
        QTRY_VERIFY_WITH_TIMEOUT(roomRow(u"general"_s) >= 0 && console->roomModel().rows().at(roomRow(u"general"_s)).archived,
                                 kTimeoutMs);
        QCOMPARE(console->roomModel().rows().at(roomRow(u"general"_s)).topic, u"Anything goes"_s);

        // Refused by the server (the room went meanwhile): said in the dialog, which stays open.
        dialog = openSettings(u"plaza"_s);
        QVERIFY(dialog);
        QVERIFY(bob.request(Request::deleteRoom({}, {u"plaza"_s, false, {}})).isOk());
        dialog->titleEdit()->setText(u"La Plaza"_s);
        QTest::mouseClick(dialog->saveButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->errorLabel()->isVisible(), kTimeoutMs);
        QCOMPARE(dialog->errorLabel()->text(), AdminError::tr("It is not there any more."));
        QVERIFY(dialog->isVisible());
        dialog->close();

        // Delete room…, keeping its messages: its members hear it and leave it.
        dialog = openSettings(u"general"_s);
        QVERIFY(dialog);
        QVERIFY(dialog->archivedBox()->isChecked()); // as the list says now
        QTest::mouseClick(dialog->deleteButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->deleteQuestion() && dialog->deleteQuestion()->isVisible(), kTimeoutMs);
        QTest::mouseClick(dialog->keepHistoryButton(), Qt::LeftButton);
        for (Test::WsClient *member : {&bob, &carl}) {
            const auto told = member->waitForEvent(EventType::RoomDeleted,
                                                   [](const Event &e) { return payloadOf<RoomDeletedEvent>(e.data).room == u"general"; });
            QVERIFY(told);
            QCOMPARE(payloadOf<RoomDeletedEvent>(told->data).by, u"alice"_s);
            QVERIFY(payloadOf<RoomDeletedEvent>(told->data).historyKept);
        }
        QVERIFY(statusIs(AdminConsole::tr("Deleted #%1; its messages are kept.").arg(u"general"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(roomRow(u"general"_s), -1, kTimeoutMs);

        // The audit log has them under alice's name.
        const auto pair = m_fixture->server().server().hostLogin(u"root"_s);
        const QByteArray root = std::get<Protocol::TokenPair>(pair).accessToken.toLatin1();
        QStringList actions;
        const Test::HttpResult audit = m_fixture->server().http().send("GET", u"/api/v1/admin/audit"_s, std::nullopt, root);
        for (const QJsonValue &line : audit.json.value(QLatin1StringView("audit")).toArray()) {
            if (line.toObject().value(QLatin1StringView("actor")).toString() == u"alice")
                actions.prepend(line.toObject().value(QLatin1StringView("action")).toString());
        }
        QCOMPARE(actions, (QStringList{u"set_topic"_s, u"archive_room"_s, u"delete_room"_s}));
    }

    /*! An administrator sees every connection, room and user, and the activity; disconnects one connection
        (the client hears 4005 with the reason given) and signs a user out everywhere (4004). */
    void administratorActs()
    {
        m_fixture->server().login(u"alice"_s); // registers her
        QVERIFY(promote(u"alice"_s));
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        auto bob = std::make_unique<Test::WsClient>();
        QVERIFY(bob->openAndAuth(m_fixture->server().url(), m_fixture->server().login(u"bob"_s).accessToken));
        QVERIFY(bob->request(Protocol::Request::createRoom({}, {u"general"_s, false})).isOk());

        AdminConsole *console = openConsole();
        QVERIFY(console);
        QVERIFY(console->windowTitle().contains(m_fixture->address().host()));
        const auto &connections = console->connectionModel();
        QTRY_VERIFY_WITH_TIMEOUT(connections.rowCount() == 2, kTimeoutMs);
        const int bobRow = rowWhere<Admin::Connection>(connections, [](const auto &c) { return c.user == u"bob"; });
        QVERIFY(bobRow >= 0);
        QCOMPARE(connections.rows().at(bobRow).protocol, u"native"_s);
        QCOMPARE(connections.index(bobRow, 0).data().toString(), u"bob"_s);
        // One node: the connections say which, and the console does not show it.
        QVERIFY(!connections.rows().at(bobRow).node.isEmpty());
        QCOMPARE(connections.rows().at(bobRow).key, connections.rows().at(bobRow).node + u':'
                                                        + QString::number(connections.rows().at(bobRow).id));
        QCOMPARE(connections.index(bobRow, AdminConsole::kNodeColumn).data().toString(), connections.rows().at(bobRow).node);
        QVERIFY(console->connectionsView()->isColumnHidden(AdminConsole::kNodeColumn));
        QTRY_VERIFY_WITH_TIMEOUT(rowWhere<Admin::Room>(console->roomModel(), [](const auto &r) { return r.name == u"general"; }) >= 0,
                                 kTimeoutMs);
        const int aliceUser = rowWhere<Admin::User>(console->userModel(), [](const auto &u) { return u.name == u"alice"; });
        QVERIFY(aliceUser >= 0);
        QVERIFY(console->userModel().rows().at(aliceUser).isAdmin);
        QCOMPARE(console->userModel().index(aliceUser, 1).data().toString(), AdminConsole::tr("yes"));

        // Disconnect bob, with a reason he sees.
        QVERIFY(!console->disconnectButton()->isEnabled());
        UiFixture::clickRow(console->connectionsView(), bobRow);
        QVERIFY(console->disconnectButton()->isEnabled());
        std::optional<Admin::Connection> asked;
        console->askDisconnectReason = [&asked](const Admin::Connection &c) {
            asked = c;
            return std::optional(u"time for a break"_s);
        };
        QTest::mouseClick(console->disconnectButton(), Qt::LeftButton);
        QVERIFY(bob->waitForDisconnected());
        QCOMPARE(bob->closeCode(), int(CloseCode::Kicked));
        QCOMPARE(bob->closeReason(), u"time for a break"_s);
        QCOMPARE(asked->user, u"bob"_s);
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(AdminConsole::tr("Disconnected %1 (%2).")
                                                                          .arg(u"bob"_s, asked->address)),
                                 kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(connections.rowCount(), 1, kTimeoutMs);

        // Sign bob out everywhere: his new connection closes too; saying no first does nothing.
        auto bobAgain = std::make_unique<Test::WsClient>();
        QVERIFY(bobAgain->openAndAuth(m_fixture->server().url(), m_fixture->server().login(u"bob"_s).accessToken));
        console->tabs()->setCurrentIndex(2);
        const int bobUser = rowWhere<Admin::User>(console->userModel(), [](const auto &u) { return u.name == u"bob"; });
        QVERIFY(bobUser >= 0);
        UiFixture::clickRow(console->usersView(), bobUser);
        bool answer = false;
        console->confirmSignOut = [&answer](const QString &) { return answer; };
        QTest::mouseClick(console->signOutButton(), Qt::LeftButton);
        QVERIFY(!bobAgain->waitForDisconnected(300));
        answer = true;
        QTest::mouseClick(console->signOutButton(), Qt::LeftButton);
        QVERIFY(bobAgain->waitForDisconnected());
        QCOMPARE(bobAgain->closeCode(), int(CloseCode::LoggedOut));
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(AdminConsole::tr("Signed %1 out everywhere.").arg(u"bob"_s)),
                                 kTimeoutMs);

        // The activity: connections and messages from the server's metrics, a point per refresh.
        const QList<RttChart *> charts = console->charts();
        QCOMPARE(charts.size(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(charts.at(0)->samples().size() >= 2, kTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(charts.at(0)->samples().last().rttMs, 1.0, kTimeoutMs); // alice's window alone
        QVERIFY(!charts.at(1)->samples().isEmpty());
        QCOMPARE(charts.at(0)->accessibleName(), AdminConsole::tr("Connections chart"));

        // Its administrator signs out: the console goes with the account.
        QPointer<AdminConsole> guard(console);
        m_window->client()->signOut();
        QTRY_VERIFY_WITH_TIMEOUT(!guard, kTimeoutMs);
    }

    /*! The console's client goes in the same destruction as the console, with its requests: an answer arriving
        later must not call back into a console that is gone (a client deleted later did, now and then, and
        corrupted the heap). */
    void clientGoesWithTheConsole()
    {
        m_fixture->server().login(u"alice"_s);
        QVERIFY(promote(u"alice"_s));
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        AdminConsole *console = openConsole();
        QVERIFY(console);
        QPointer<AdminClient> client = m_window->findChild<AdminClient *>();
        QVERIFY(client);
        console->refresh(); // requests in flight (or just answered: either way)
        delete console;
        QVERIFY(!client);
        QVERIFY(!m_window->adminConsole());
        // A console opened again works, with a client of its own.
        console = openConsole();
        QVERIFY(console);
        QSignalSpy refreshed(console, &AdminConsole::refreshed);
        QVERIFY(refreshed.wait(kTimeoutMs));
        QCOMPARE(m_window->findChildren<AdminClient *>().size(), 1);
    }

    /*! The Users tab disables an account (asked first: it cannot sign in, 403), enables it again, and sets a new
        password (the old one stops working); the Audit log tab lists these newest first, and pages back. */
    void accountsAndAudit()
    {
        m_fixture->server().login(u"alice"_s);
        QVERIFY(promote(u"alice"_s));
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        // bob is in a room, so the users list keeps him while he has no login.
        auto bob = std::make_unique<Test::WsClient>();
        QVERIFY(bob->openAndAuth(m_fixture->server().url(), m_fixture->server().login(u"bob"_s).accessToken));
        QVERIFY(bob->request(Protocol::Request::createRoom({}, {u"general"_s, false})).isOk());

        AdminConsole *console = openConsole();
        QVERIFY(console);
        console->setAuditPageSize(2);
        console->tabs()->setCurrentIndex(2);
        const auto bobRow = [console] {
            return rowWhere<Admin::User>(console->userModel(), [](const auto &u) { return u.name == u"bob"; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(bobRow() >= 0, kTimeoutMs);
        QVERIFY(!console->disableButton()->isEnabled());
        QVERIFY(!console->resetPasswordButton()->isEnabled());
        UiFixture::clickRow(console->usersView(), bobRow());
        QVERIFY(console->disableButton()->isEnabled());
        QCOMPARE(console->disableButton()->text(), AdminConsole::tr("D&isable…"));
        const int disabledColumn = console->userModel().columnCount() - 1;
        QCOMPARE(console->userModel().headerData(disabledColumn, Qt::Horizontal, Qt::DisplayRole).toString(),
                 AdminConsole::tr("Disabled"));
        QCOMPARE(console->userModel().index(bobRow(), disabledColumn).data().toString(), AdminConsole::tr("no"));

        // Saying no does nothing; yes disables: his socket closes and he cannot sign in.
        bool answer = false;
        QString askedFor;
        console->confirmDisable = [&](const QString &user, bool disable) {
            askedFor = user;
            return !disable || answer; // the console's own asks nothing to enable
        };
        QTest::mouseClick(console->disableButton(), Qt::LeftButton);
        QCOMPARE(askedFor, u"bob"_s);
        QVERIFY(!bob->waitForDisconnected(300));
        answer = true;
        QTest::mouseClick(console->disableButton(), Qt::LeftButton);
        QVERIFY(bob->waitForDisconnected());
        QCOMPARE(bob->closeCode(), int(CloseCode::LoggedOut));
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(AdminConsole::tr("Disabled %1.").arg(u"bob"_s)),
                                 kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(bobRow() >= 0 && console->userModel().rows().at(bobRow()).disabled, kTimeoutMs);
        QCOMPARE(console->userModel().index(bobRow(), disabledColumn).data().toString(), AdminConsole::tr("yes"));
        QCOMPARE(loginStatus(u"bob"_s, UiFixture::kPassword), 403);
        // The selection stays on bob, and the button now enables.
        QTRY_COMPARE(console->disableButton()->text(), AdminConsole::tr("&Enable"));
        QTest::mouseClick(console->disableButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(AdminConsole::tr("Enabled %1.").arg(u"bob"_s)),
                                 kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(bobRow() >= 0 && !console->userModel().rows().at(bobRow()).disabled, kTimeoutMs);
        QCOMPARE(loginStatus(u"bob"_s, UiFixture::kPassword), 200);

        // Reset password: cancelled, nothing; then a new one works and the old one does not.
        std::optional<QString> password;
        console->askNewPassword = [&password](const QString &) { return password; };
        UiFixture::clickRow(console->usersView(), bobRow());
        QTest::mouseClick(console->resetPasswordButton(), Qt::LeftButton);
        QCOMPARE(loginStatus(u"bob"_s, UiFixture::kPassword), 200);
        password = u"a brand new secret"_s;
        QTest::mouseClick(console->resetPasswordButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(
                                     AdminConsole::tr("Set a new password for %1; they were signed out everywhere.")
                                         .arg(u"bob"_s)),
                                 kTimeoutMs);
        QCOMPARE(loginStatus(u"bob"_s, u"a brand new secret"_s), 200);
        QCOMPARE(loginStatus(u"bob"_s, UiFixture::kPassword), 401);

        // The audit log: set_admin, disable_account, enable_account, reset_password, newest first, two a page.
        console->tabs()->setCurrentIndex(4);
        QCOMPARE(console->tabs()->tabText(4), AdminConsole::tr("Audit log"));
        const auto &audit = console->auditModel();
        QTRY_VERIFY_WITH_TIMEOUT(audit.rowCount() == 2 && audit.rows().at(0).action == u"reset_password", kTimeoutMs);
        QCOMPARE(audit.rows().at(0).actor, u"alice"_s);
        QCOMPARE(audit.rows().at(0).target, u"bob"_s);
        QCOMPARE(audit.rows().at(1).action, u"enable_account"_s);
        QCOMPARE(audit.index(0, 2).data().toString(), AdminConsole::tr("reset the password"));
        QVERIFY(console->olderAuditButton()->isEnabled());
        QTest::mouseClick(console->olderAuditButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(audit.rowCount(), 4, kTimeoutMs);
        QCOMPARE(audit.rows().at(2).action, u"disable_account"_s);
        QCOMPARE(audit.rows().at(3).action, u"set_admin"_s);
        QCOMPARE(audit.rows().at(3).actor, u"root"_s);
        QTRY_VERIFY(!console->olderAuditButton()->isEnabled()); // nothing older
        // Refreshes keep the older page under the newest one, without duplicates.
        QSignalSpy refreshed(console, &AdminConsole::refreshed);
        QVERIFY(refreshed.wait(kTimeoutMs));
        QVERIFY(refreshed.wait(kTimeoutMs));
        QCOMPARE(audit.rowCount(), 4);
        for (int i = 1; i < audit.rowCount(); ++i)
            QVERIFY(audit.rows().at(i - 1).id > audit.rows().at(i).id);
    }

    /*! The Users tab makes an account a server administrator and takes it away (asked first both ways); the list
        says so, and the last administrator is refused by the server, said in the status line. */
    void promotesAdministrators()
    {
        m_fixture->server().login(u"alice"_s);
        QVERIFY(promote(u"alice"_s));
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        auto bob = std::make_unique<Test::WsClient>();
        QVERIFY(bob->openAndAuth(m_fixture->server().url(), m_fixture->server().login(u"bob"_s).accessToken));

        AdminConsole *console = openConsole();
        QVERIFY(console);
        console->tabs()->setCurrentIndex(2);
        const auto rowOf = [console](const QString &name) {
            return rowWhere<Admin::User>(console->userModel(), [&name](const auto &u) { return u.name == name; });
        };
        const auto isAdmin = [&](const QString &name) {
            return rowOf(name) >= 0 && console->userModel().rows().at(rowOf(name)).isAdmin;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(u"bob"_s) >= 0 && rowOf(u"root"_s) >= 0, kTimeoutMs);
        QVERIFY(!console->administratorButton()->isEnabled());
        QCOMPARE(UiFixture::mnemonicClashes(console), QStringList());
        UiFixture::clickRow(console->usersView(), rowOf(u"bob"_s));
        QVERIFY(console->administratorButton()->isEnabled());
        QCOMPARE(console->administratorButton()->text(), AdminConsole::tr("Make &administrator…"));

        std::optional<std::pair<QString, bool>> asked;
        bool answer = false;
        console->confirmAdministrator = [&](const QString &user, bool admin) {
            asked = std::pair(user, admin);
            return answer;
        };
        QTest::mouseClick(console->administratorButton(), Qt::LeftButton); // no: nothing
        QCOMPARE(asked, std::optional(std::pair(u"bob"_s, true)));
        answer = true;
        QTest::mouseClick(console->administratorButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(AdminConsole::tr("Made %1 an administrator.").arg(u"bob"_s)),
                                 kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(isAdmin(u"bob"_s), kTimeoutMs);
        // The selection stays on bob, and the button now takes it away.
        QTRY_COMPARE_WITH_TIMEOUT(console->administratorButton()->text(), AdminConsole::tr("Remove &administrator…"),
                                  kTimeoutMs);
        QTest::mouseClick(console->administratorButton(), Qt::LeftButton);
        QCOMPARE(asked, std::optional(std::pair(u"bob"_s, false)));
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(
                                     AdminConsole::tr("%1 is no longer an administrator.").arg(u"bob"_s)),
                                 kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(u"bob"_s) >= 0 && !isAdmin(u"bob"_s), kTimeoutMs);

        // root steps down; alice is then the last administrator, whom the server keeps.
        UiFixture::clickRow(console->usersView(), rowOf(u"root"_s));
        QTest::mouseClick(console->administratorButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(u"root"_s) >= 0 && !isAdmin(u"root"_s), kTimeoutMs);
        UiFixture::clickRow(console->usersView(), rowOf(u"alice"_s));
        QCOMPARE(console->administratorButton()->text(), AdminConsole::tr("Remove &administrator…"));
        QTest::mouseClick(console->administratorButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(console->status()->text().startsWith(AdminError::tr("The server refused: %1").arg(QString())),
                                 kTimeoutMs);
        QVERIFY2(console->status()->text().contains(u"last administrator"_s), qPrintable(console->status()->text()));
        QVERIFY(isAdmin(u"alice"_s));
    }

    /*! With every message traced: bob writes to carol (and dave, offline); the Traces tab lists it, selecting it
        shows its stages, carol's delivery, when her app showed it, and dave offline, a refresh does not draw it
        again, it is found by room and number, and a message that was not traced says so. */
    void tracesOfAMessage()
    {
        ServerConfig config = Test::TestServer::testConfig();
        config.tracing.ratio = 1;
        m_window.reset();
        m_fixture = std::make_unique<UiFixture>(config);
        m_window = m_fixture->openWindow();
        QVERIFY(m_window);
        m_fixture->server().login(u"alice"_s);
        QVERIFY(promote(u"alice"_s));
        QVERIFY(m_fixture->signIn(*m_window, u"alice"_s));
        auto bob = m_fixture->person(u"bob"_s);
        auto carol = m_fixture->person(u"carol"_s);
        auto dave = m_fixture->person(u"dave"_s);
        QVERIFY(UiFixture::expectOk([&](QObject *c, auto done) { bob->createRoom(u"general"_s, false, c, done); }));
        QVERIFY(UiFixture::expectOk([&](QObject *c, auto done) { carol->joinRoom(u"general"_s, c, done); }));
        QVERIFY(UiFixture::expectOk([&](QObject *c, auto done) { dave->joinRoom(u"general"_s, c, done); }));
        carol->setCurrentRoom(u"general"_s); // her app shows general: bob's message counts as displayed

        AdminConsole *console = openConsole();
        QVERIFY(console);
        dave.reset(); // a member with no connection: he gets it when he comes back
        QTRY_VERIFY_WITH_TIMEOUT(rowWhere<Admin::User>(console->userModel(), [](const auto &u) {
                                     return u.name == u"dave" && !u.online;
                                 }) >= 0,
                                 kTimeoutMs);
        QVERIFY(UiFixture::say(*bob, u"general"_s, u"hola"_s));

        console->tabs()->setCurrentIndex(5);
        QCOMPARE(console->tabs()->tabText(5), AdminConsole::tr("Traces"));
        const auto isBobs = [](const Admin::Trace &t) { return t.room == u"general" && t.sender == u"bob" && t.seq > 0; };
        const auto shownToCarol = [&](const Admin::Trace &t) {
            return isBobs(t) && std::any_of(t.deliveries.cbegin(), t.deliveries.cend(), [](const Admin::TraceDelivery &d) {
                       return d.user == u"carol" && d.displayedAtMs;
                   });
        };
        // Carol's report comes after the delivery: wait for it, so the pane below is drawn once.
        QTRY_VERIFY_WITH_TIMEOUT(rowWhere<Admin::Trace>(console->traceModel(), shownToCarol) >= 0, kTimeoutMs);
        const int row = rowWhere<Admin::Trace>(console->traceModel(), isBobs);
        QCOMPARE(console->traceModel().index(row, 2).data().toString(), u"bob"_s);
        UiFixture::clickRow(console->tracesView(), row);
        QTRY_VERIFY_WITH_TIMEOUT(console->shownTrace() && isBobs(*console->shownTrace()), kTimeoutMs);
        const Admin::Trace trace = *console->shownTrace();
        using Stage = Admin::Trace::Stage;
        for (Stage stage : {Stage::Received, Stage::Validated, Stage::Committed, Stage::Published, Stage::Routed,
                            Stage::Delivered, Stage::Answered})
            QVERIFY2(trace.at(stage), qPrintable(u"stage %1 missing"_s.arg(int(stage))));
        QVERIFY(*trace.at(Stage::Committed) >= *trace.at(Stage::Received));
        const auto toCarol = std::find_if(trace.deliveries.cbegin(), trace.deliveries.cend(),
                                          [](const Admin::TraceDelivery &d) { return d.user == u"carol"; });
        QVERIFY(toCarol != trace.deliveries.cend());
        QVERIFY(toCarol->atMs >= *trace.at(Stage::Received));
        QVERIFY(toCarol->displayedAtMs && *toCarol->displayedAtMs >= toCarol->atMs);
        // Every report names a session it was handed to (bob's own app, which shows general, reports too).
        QCOMPARE(trace.displayed, std::count_if(trace.deliveries.cbegin(), trace.deliveries.cend(),
                                                [](const Admin::TraceDelivery &d) { return d.displayedAtMs.has_value(); }));
        QCOMPARE(trace.offline, QStringList{u"dave"_s});
        const QString detail = console->traceDetail()->toPlainText();
        for (const QString &expected : {AdminConsole::tr("received"), AdminConsole::tr("stored"), AdminConsole::tr("Shown"),
                                        AdminConsole::tr("delivered"), u"carol"_s, u"dave"_s, trace.traceId,
                                        AdminConsole::tr("They get it when they resume, or from the history.")})
            QVERIFY2(detail.contains(expected), qPrintable(expected + u" not in: "_s + detail));

        // Refreshes read the list again; the pane is not drawn again for the same trace.
        const int revision = console->traceDetail()->document()->revision();
        QSignalSpy refreshed(console, &AdminConsole::refreshed);
        QVERIFY(refreshed.wait(kTimeoutMs));
        QVERIFY(refreshed.wait(kTimeoutMs));
        QCOMPARE(console->traceDetail()->document()->revision(), revision);
        QVERIFY(console->shownTrace() && console->shownTrace()->traceId == trace.traceId);

        // Looked up by room and number.
        console->tracesView()->clearSelection();
        QVERIFY(!console->findTraceButton()->isEnabled()); // no room yet
        console->traceRoomEdit()->setFocus();
        QTest::keyClicks(console->traceRoomEdit(), u"#general"_s);
        console->traceSeqEdit()->setValue(int(trace.seq) + 100);
        QVERIFY(console->findTraceButton()->isEnabled());
        QTest::mouseClick(console->findTraceButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(console->traceDetail()->toPlainText().contains(
                                     u"not traced, or its trace is older than the ring"_s),
                                 kTimeoutMs);
        QVERIFY(!console->shownTrace());
        console->traceSeqEdit()->setValue(int(trace.seq));
        QTest::mouseClick(console->findTraceButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(console->shownTrace() && console->shownTrace()->traceId == trace.traceId, kTimeoutMs);
        QVERIFY(console->traceDetail()->toPlainText().contains(u"carol"_s));
        QCOMPARE(console->tracesView()->selectionModel()->selectedRows().value(0).row(), row);
    }

    /*! The new password is typed twice: it can be set only when both agree and it is long enough. */
    void passwordResetDialog()
    {
        PasswordResetDialog dialog(u"bob"_s);
        QVERIFY(!dialog.submitButton()->isEnabled());
        QTest::keyClicks(dialog.passwordEdit(), u"short"_s);
        QCOMPARE(dialog.problemLabel()->text(), PasswordResetDialog::tr("At least %1 characters.").arg(8));
        QTest::keyClicks(dialog.passwordEdit(), u" but longer"_s);
        QTest::keyClicks(dialog.confirmEdit(), u"short but"_s);
        QVERIFY(!dialog.submitButton()->isEnabled());
        QCOMPARE(dialog.problemLabel()->text(), PasswordResetDialog::tr("The two passwords are not the same."));
        QTest::keyClicks(dialog.confirmEdit(), u" longer"_s);
        QVERIFY(dialog.submitButton()->isEnabled());
        QVERIFY(dialog.problemLabel()->text().isEmpty());
        QCOMPARE(dialog.password(), u"short but longer"_s);
        QCOMPARE(dialog.passwordEdit()->echoMode(), QLineEdit::Password);
    }
};

QTEST_MAIN(TestAdminConsole)
#include "tst_adminconsole.moc"
