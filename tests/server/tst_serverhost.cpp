// The embedding API: a server on its own thread, started and stopped from the owner's thread.
#include "server/core/serverhost.h"
#include "support/printers.h"
#include "support/wsclient.h"

#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;

class TestServerHost : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Start on a thread, learn the URL, sign the host in, count users, stop cleanly. */
    void lifecycle()
    {
        QTemporaryDir dir;
        ServerConfig config;
        config.dataDir = dir.path();
        config.name = u"Living room"_s;
        config.passwordHashOpsLimit = 1;
        config.passwordHashMemKiB = 64;
        ServerHost host;
        QSignalSpy started(&host, &ServerHost::started);
        QSignalSpy users(&host, &ServerHost::onlineUsersChanged);
        host.start(config);
        QVERIFY(started.wait());
        QVERIFY(host.isRunning());
        QVERIFY(host.port() > 0);
        QCOMPARE(host.url().scheme(), u"ws"_s);

        std::optional<std::variant<Protocol::TokenPair, Protocol::Error>> login;
        host.hostLogin(u"host"_s, [&](const auto &result) { login = result; });
        QTRY_VERIFY(login.has_value());
        QVERIFY(std::holds_alternative<Protocol::TokenPair>(*login));

        WsClient client;
        QVERIFY(client.openAndAuth(host.url(), std::get<Protocol::TokenPair>(*login).accessToken));
        QTRY_COMPARE(host.onlineUsers(), 1);
        QCOMPARE(users.last().first().toInt(), 1);

        QSignalSpy stopped(&host, &ServerHost::stopped);
        host.stop();
        QCOMPARE(stopped.size(), 1);
        QVERIFY(!host.isRunning());
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(client.closeCode(), int(Protocol::CloseCode::GoingAway));
    }

    /*! A port already in use ends in failed() with a message, not a hang. */
    void failure()
    {
        QTemporaryDir dir;
        ServerConfig first;
        first.dataDir = dir.filePath(u"a"_s);
        ServerHost a;
        QSignalSpy started(&a, &ServerHost::started);
        a.start(first);
        QVERIFY(started.wait());

        ServerConfig second;
        second.dataDir = dir.filePath(u"b"_s);
        second.port = a.port();
        ServerHost b;
        QSignalSpy failed(&b, &ServerHost::failed);
        b.start(second);
        QVERIFY(failed.wait());
        QVERIFY(failed.first().first().toString().contains(u"cannot listen"_s));
        QVERIFY(!b.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestServerHost)
#include "tst_serverhost.moc"
