// NetworkWatcher: "online" only on the transition into Online, and a ChatClient-style wiring that
// turns it into an immediate reconnect attempt. The system backend is loaded when present and its
// absence is harmless.
#include "app/net/networkwatcher.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using Reachability = QNetworkInformation::Reachability;

class TestNetworkWatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Unknown/Disconnected/Local → Online announces; Online → Online and Online → Local do not. */
    void announcesOnlyTheWayBack();
    /*! Loading the system backend works or fails cleanly (no backend in a container). */
    void systemBackend();
};

void TestNetworkWatcher::announcesOnlyTheWayBack()
{
    NetworkWatcher watcher(false);
    QSignalSpy online(&watcher, &NetworkWatcher::online);
    QSignalSpy changed(&watcher, &NetworkWatcher::reachabilityChanged);
    watcher.setReachability(Reachability::Disconnected);
    QCOMPARE(online.size(), 0);
    watcher.setReachability(Reachability::Online);
    QCOMPARE(online.size(), 1);
    watcher.setReachability(Reachability::Online);
    QCOMPARE(online.size(), 1);
    watcher.setReachability(Reachability::Local);
    watcher.setReachability(Reachability::Online);
    QCOMPARE(online.size(), 2);
    QCOMPARE(changed.size(), 4);
}

void TestNetworkWatcher::systemBackend()
{
    NetworkWatcher watcher(true);
    if (watcher.hasBackend())
        QVERIFY(QNetworkInformation::instance());
    qInfo() << "backend loaded:" << watcher.hasBackend() << "reachability:" << watcher.reachability();
}

QTEST_GUILESS_MAIN(TestNetworkWatcher)
#include "tst_networkwatcher.moc"
