// Desktop notifications over D-Bus, as on a desktop without a tray (stock GNOME): a fake
// org.freedesktop.Notifications service on the test's own session bus (ctest runs this under
// dbus-run-session) records the calls and answers like a real notification server.
#include "uifixture.h"

#include "app/session/connectionmanager.h"
#include "app/session/roomdirectory.h"
#include "app/ui/chatpage.h"
#include "app/ui/notifier.h"
#include "app/ui/preferences.h"

#include <QtCore/QStandardPaths>
#include <QtDBus/QDBusConnection>
#include <QtDBus/QDBusConnectionInterface>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QToolButton>
#include <QtGui/QAction>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

/// What a notification daemon does, minus the bubbles: every Notify call is recorded and gets an id
/// (the replaced one when replaces_id is set).
class FakeNotifications final : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Call
    {
        QString app;
        uint replaces = 0;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
        uint id = 0;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &app, uint replaces, const QString &, const QString &summary, const QString &body,
                const QStringList &actions, const QVariantMap &hints, int)
    {
        const uint id = replaces != 0 ? replaces : ++m_lastId;
        calls.append({app, replaces, summary, body, actions, hints, id});
        return id;
    }
    QStringList GetCapabilities() { return {u"body"_s, u"actions"_s}; }
    void CloseNotification(uint id) { Q_EMIT NotificationClosed(id, 3); }

Q_SIGNALS:
    void ActionInvoked(uint id, const QString &action);
    void NotificationClosed(uint id, uint reason);

private:
    uint m_lastId = 0;
};

class TestNotifier : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init() { m_fake.calls.clear(); }

    /*! Without a tray the Notifier calls Notify on the bus: title, escaped text, an Open action and
     *  the desktop entry; a room's next message replaces its bubble; clicking it names the room. */
    void notifiesOverDBus();
    /*! The window notifies for rooms you are not looking at, never for the one in front of you, not
     *  at all when turned off in preferences, and a click opens the room; an invitation always. */
    void windowNotifiesOtherRooms();
    void notificationRule_data();
    /*! The one rule (shouldNotify): off, do-not-disturb and the room in front silence everything; a
     *  muted room lets only a mention of you through. */
    void notificationRule();
    /*! Against the server: a muted room's message does not notify but its mention of alice does
     *  ("bob mentioned you in #random", with the sound when it is on); do-not-disturb (from the
     *  Settings menu) silences even that and shows in the status bar, whose button turns it off. */
    void mutedRoomMentionsAndDoNotDisturb();

private:
    FakeNotifications m_fake;
    std::optional<QDBusConnection> m_daemon;
};

void TestNotifier::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!QDBusConnection::sessionBus().isConnected())
        QFAIL("no D-Bus session bus: run this test under dbus-run-session (ctest does)");
    // The daemon's side on a connection of its own, so calls really travel through the bus.
    m_daemon = QDBusConnection::connectToBus(QDBusConnection::SessionBus, u"fake-notification-daemon"_s);
    QVERIFY(m_daemon->isConnected());
    QVERIFY(m_daemon->registerObject(u"/org/freedesktop/Notifications"_s, &m_fake,
                                     QDBusConnection::ExportAllSlots | QDBusConnection::ExportAllSignals));
    QVERIFY(m_daemon->registerService(u"org.freedesktop.Notifications"_s));
    QTRY_VERIFY(QDBusConnection::sessionBus().interface()->isServiceRegistered(u"org.freedesktop.Notifications"_s));
}

void TestNotifier::cleanupTestCase()
{
    if (m_daemon) {
        m_daemon->unregisterService(u"org.freedesktop.Notifications"_s);
        QDBusConnection::disconnectFromBus(u"fake-notification-daemon"_s);
    }
}

void TestNotifier::notifiesOverDBus()
{
    Notifier notifier;
    QCOMPARE(notifier.backend(), Notifier::Backend::DBus);
    QSignalSpy notified(&notifier, &Notifier::notified);
    notifier.notify(u"random"_s, u"bob in #random"_s, u"look: <b>bold</b>\nand more"_s);
    QVERIFY(notified.wait());
    QCOMPARE(m_fake.calls.size(), 1);
    const auto first = m_fake.calls.first();
    QCOMPARE(first.app, u"Tertulia"_s);
    QCOMPARE(first.replaces, 0u);
    QCOMPARE(first.summary, u"bob in #random"_s);
    QCOMPARE(first.body, u"look: &lt;b&gt;bold&lt;/b&gt; and more"_s); // never read as markup
    QCOMPARE(first.actions, (QStringList{u"default"_s, u"Open"_s}));
    QCOMPARE(first.hints.value(u"desktop-entry"_s).toString(), u"org.tertulia.Tertulia"_s);

    // The room's next message replaces its bubble; another room gets its own.
    notifier.notify(u"random"_s, u"bob in #random"_s, QString(500, u'x'));
    QVERIFY(notified.wait());
    QCOMPARE(m_fake.calls.last().replaces, first.id);
    QCOMPARE(m_fake.calls.last().body.size(), Notifier::kMaxBodyLength);
    notifier.notify(u"general"_s, u"carol in #general"_s, u"hi"_s);
    QVERIFY(notified.wait());
    QCOMPARE(m_fake.calls.last().replaces, 0u);

    QSignalSpy activated(&notifier, &Notifier::activated);
    Q_EMIT m_fake.ActionInvoked(first.id, u"default"_s);
    QVERIFY(activated.wait());
    QCOMPARE(activated.first().first().toString(), u"random"_s);
}

void TestNotifier::windowNotifiesOtherRooms()
{
    UiFixture fixture;
    auto window = fixture.openWindow();
    QVERIFY(fixture.signIn(*window, u"alice"_s));
    auto bob = fixture.person(u"bob"_s);
    for (const QString &room : {u"general"_s, u"random"_s}) {
        QVERIFY(UiFixture::expectOk([&](QObject *context, auto done) { bob->createRoom(room, false, context, done); }));
        QVERIFY(UiFixture::expectOk([&](QObject *context, auto done) { window->client()->joinRoom(room, context, done); }));
    }
    window->client()->setCurrentRoom(u"general"_s);
    QVERIFY(window->isActiveWindow());
    QSignalSpy notified(window->notifier(), &Notifier::notified);

    QVERIFY(UiFixture::say(*bob, u"general"_s, u"in front of you"_s));
    QVERIFY(UiFixture::say(*bob, u"random"_s, u"elsewhere"_s));
    QVERIFY(notified.wait(UiFixture::kTimeoutMs));
    QCOMPARE(notified.size(), 1);
    QCOMPARE(m_fake.calls.size(), 1);
    QCOMPARE(m_fake.calls.first().summary, u"bob in #random"_s);
    QCOMPARE(m_fake.calls.first().body, u"elsewhere"_s);

    // Turned off: nothing (a message in general first proves the messages still arrive).
    window->preferences()->setNotificationsEnabled(false);
    QVERIFY(UiFixture::say(*bob, u"random"_s, u"quietly"_s));
    QTRY_COMPARE_WITH_TIMEOUT(window->client()->rooms()->find(u"random"_s)->messages().last().text, u"quietly"_s,
                              UiFixture::kTimeoutMs);
    QCOMPARE(m_fake.calls.size(), 1);

    // Clicking the bubble opens the room.
    Q_EMIT m_fake.ActionInvoked(m_fake.calls.first().id, u"default"_s);
    QTRY_COMPARE(window->client()->currentRoom()->name(), u"random"_s);

    // An invitation is announced even with the window in front.
    window->preferences()->setNotificationsEnabled(true);
    QVERIFY(UiFixture::expectOk([&](QObject *context, auto done) { bob->createRoom(u"secret"_s, true, context, done); }));
    QVERIFY(UiFixture::expectOk([&](QObject *context, auto done) { bob->invite(u"secret"_s, u"alice"_s, context, done); }));
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.calls.size(), 2, UiFixture::kTimeoutMs);
    QCOMPARE(m_fake.calls.last().summary, u"Invitation to #secret"_s);
    QCOMPARE(m_fake.calls.last().body, u"bob invited you to this private room. Open it to join."_s);
}

void TestNotifier::notificationRule_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<bool>("doNotDisturb");
    QTest::addColumn<bool>("looking");
    QTest::addColumn<bool>("muted");
    QTest::addColumn<bool>("mentionsYou");
    QTest::addColumn<bool>("expected");
    QTest::newRow("another room") << true << false << false << false << false << true;
    QTest::newRow("mention in another room") << true << false << false << false << true << true;
    QTest::newRow("room in front") << true << false << true << false << true << false;
    QTest::newRow("muted") << true << false << false << true << false << false;
    QTest::newRow("muted, mention") << true << false << false << true << true << true;
    QTest::newRow("do not disturb") << true << true << false << false << false << false;
    QTest::newRow("do not disturb, mention") << true << true << false << false << true << false;
    QTest::newRow("do not disturb, muted, mention") << true << true << false << true << true << false;
    QTest::newRow("turned off, mention") << false << false << false << false << true << false;
}

void TestNotifier::notificationRule()
{
    QFETCH(bool, enabled);
    QFETCH(bool, doNotDisturb);
    QFETCH(bool, looking);
    QFETCH(bool, muted);
    QFETCH(bool, mentionsYou);
    QFETCH(bool, expected);
    QCOMPARE(shouldNotify({enabled, doNotDisturb, looking, muted, mentionsYou}), expected);
}

void TestNotifier::mutedRoomMentionsAndDoNotDisturb()
{
    UiFixture fixture;
    auto window = fixture.openWindow();
    QVERIFY(fixture.signIn(*window, u"alice"_s));
    window->preferences()->setDoNotDisturb(false);
    auto bob = fixture.person(u"bob"_s);
    for (const QString &room : {u"general"_s, u"random"_s}) {
        QVERIFY(UiFixture::expectOk([&](QObject *context, auto done) { bob->createRoom(room, false, context, done); }));
        QVERIFY(UiFixture::expectOk(
            [&](QObject *context, auto done) { window->client()->joinRoom(room, context, done); }));
    }
    window->client()->setCurrentRoom(u"general"_s);
    window->client()->setRoomMuted(u"random"_s, true);
    int sounds = 0;
    window->notifier()->setSound([&sounds] { ++sounds; });
    window->preferences()->setNotificationSound(true);
    QVERIFY(window->notifier()->soundEnabled());
    QSignalSpy notified(window->notifier(), &Notifier::notified);
    const auto arrived = [&](const QString &text) {
        return QTest::qWaitFor(
            [&] {
                const auto messages = window->client()->rooms()->find(u"random"_s)->messages();
                return !messages.isEmpty() && messages.last().text == text;
            },
            UiFixture::kTimeoutMs);
    };

    // Muted: a plain message is counted but quiet...
    QVERIFY(UiFixture::say(*bob, u"random"_s, u"quiet one"_s));
    QVERIFY(arrived(u"quiet one"_s));
    QCOMPARE(window->client()->rooms()->find(u"random"_s)->unreadCount(), 1);
    // ...an address is no mention...
    QVERIFY(UiFixture::say(*bob, u"random"_s, u"write to alice@example.org"_s));
    QVERIFY(arrived(u"write to alice@example.org"_s));
    // ...and a mention gets through, with the sound.
    QVERIFY(UiFixture::say(*bob, u"random"_s, u"@Alice are you there?"_s));
    QVERIFY(notified.wait(UiFixture::kTimeoutMs));
    QCOMPARE(m_fake.calls.size(), 1);
    QCOMPARE(m_fake.calls.first().summary, u"bob mentioned you in #random"_s);
    QCOMPARE(m_fake.calls.first().body, u"@Alice are you there?"_s);
    QCOMPARE(sounds, 1);

    // Do not disturb, from the Settings menu: nothing, not even a mention; the status bar says so.
    QVERIFY(!window->doNotDisturbStatus()->isVisible());
    window->doNotDisturbAction()->trigger();
    QVERIFY(window->preferences()->doNotDisturb());
    QVERIFY(window->doNotDisturbStatus()->isVisible());
    QVERIFY(UiFixture::say(*bob, u"random"_s, u"@alice hello?"_s));
    QVERIFY(arrived(u"@alice hello?"_s));
    window->client()->setCurrentRoom(u"random"_s); // general is not in front either
    QVERIFY(UiFixture::say(*bob, u"general"_s, u"not muted, @alice"_s));
    QTRY_COMPARE_WITH_TIMEOUT(window->client()->rooms()->find(u"general"_s)->messages().size(), 1,
                              UiFixture::kTimeoutMs);
    QCOMPARE(m_fake.calls.size(), 1);
    QCOMPARE(sounds, 1);

    // The status bar's button turns it off; a mention notifies again.
    QTest::mouseClick(window->doNotDisturbStatus(), Qt::LeftButton);
    QVERIFY(!window->preferences()->doNotDisturb());
    QVERIFY(!window->doNotDisturbAction()->isChecked());
    QVERIFY(!window->doNotDisturbStatus()->isVisible());
    QVERIFY(UiFixture::say(*bob, u"general"_s, u"@alice back?"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.calls.size(), 2, UiFixture::kTimeoutMs);
    QCOMPARE(m_fake.calls.last().summary, u"bob mentioned you in #general"_s);
    QCOMPARE(sounds, 2);

    // A direct message (issue 12) is written to us, like a mention: it notifies even in a muted conversation.
    std::optional<QString> address;
    bob->openDirect(u"alice"_s, bob.get(), [&](const std::optional<Protocol::Error> &error, const QString &room) {
        address = error ? QString() : room;
    });
    QTRY_VERIFY_WITH_TIMEOUT(address && window->client()->rooms()->find(*address), UiFixture::kTimeoutMs);
    window->client()->setRoomMuted(*address, true);
    QVERIFY(UiFixture::say(*bob, *address, u"psst"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_fake.calls.size(), 3, UiFixture::kTimeoutMs);
    QCOMPARE(m_fake.calls.last().summary, u"bob (direct message)"_s);
    QCOMPARE(m_fake.calls.last().body, u"psst"_s);
}

QTEST_MAIN(TestNotifier)
#include "tst_notifier.moc"
