// Remembered servers: most recent first with the last user, saved in an INI file and read back.
#include "app/storage/serverlist.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimeZone>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

class TestServerList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    /*! remember() puts a server first; the last one is reopened; the list survives a restart. */
    void rememberAndReopen();
    /*! The list is capped; forgetUser() and forget() are saved too. */
    void capAndForget();
};

void TestServerList::rememberAndReopen()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"profile/servers.ini"_s);
    const auto home = *ServerAddress::parse(u"192.168.1.20:7420"_s);
    const auto work = *ServerAddress::parse(u"https://chat.example.org"_s);
    const QDateTime when(QDate(2025, 3, 14), QTime(10, 0), QTimeZone::utc());
    {
        ServerList list(file);
        QVERIFY(!list.last());
        QSignalSpy changed(&list, &ServerList::changed);
        list.remember(home, u"alice"_s, u"Casa"_s, when);
        list.remember(work, u"alice.w"_s, {}, when.addSecs(60));
        list.remember(home, u"alice"_s, {}, when.addSecs(120)); // back to first, name kept
        QCOMPARE(changed.size(), 3);
        QCOMPARE(list.entries().size(), 2);
        QCOMPARE(list.last()->address, home);
    }
    ServerList reopened(file);
    const auto entries = reopened.entries();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).address, home);
    QCOMPARE(entries.at(0).lastUser, u"alice"_s);
    QCOMPARE(entries.at(0).displayName, u"Casa"_s);
    QCOMPARE(entries.at(0).lastUsed, when.addSecs(120));
    QCOMPARE(entries.at(1).address, work);
    QVERIFY(entries.at(1).address.isSecure());
    QCOMPARE(reopened.find(work)->lastUser, u"alice.w"_s);
    QVERIFY(!reopened.find(*ServerAddress::parse(u"elsewhere"_s)));
}

void TestServerList::capAndForget()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(u"servers.ini"_s);
    {
        ServerList list(file);
        for (int i = 0; i < ServerList::kMaxEntries + 5; ++i)
            list.remember(ServerAddress(u"10.0.0.%1"_s.arg(i), 7420, false), u"u%1"_s.arg(i));
        QCOMPARE(list.entries().size(), ServerList::kMaxEntries);
        QCOMPARE(list.last()->address.host(), u"10.0.0.24"_s);
        list.forgetUser(ServerAddress(u"10.0.0.24"_s, 7420, false));
        list.forget(ServerAddress(u"10.0.0.23"_s, 7420, false));
    }
    ServerList reopened(file);
    QCOMPARE(reopened.entries().size(), ServerList::kMaxEntries - 1);
    QVERIFY(reopened.last()->lastUser.isEmpty());
    QVERIFY(!reopened.find(ServerAddress(u"10.0.0.23"_s, 7420, false)));
}

QTEST_GUILESS_MAIN(TestServerList)
#include "tst_serverlist.moc"
