// The health numbers: RTT statistics over a sliding window on a hand-driven clock, counters, and
// the diagnostics text.
#include "app/session/connectionhealth.h"
#include "support/manualclock.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestConnectionHealth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! No samples: no current, mean or deviation (not zero, which would be a guess). */
    void emptyHasNoNumbers();
    /*! Mean and population standard deviation of known samples. */
    void meanAndDeviation();
    /*! Samples older than the window leave the history and the statistics. */
    void windowSlides();
    /*! Traffic, reconnects, outbox, resume, server and TLS readings; changed() fires. */
    void countersAndReadings();
    /*! Chat messages are counted apart from frames, and reset() forgets every reading. */
    void messagesAndReset();
};

void TestConnectionHealth::emptyHasNoNumbers()
{
    ManualClock clock;
    ConnectionHealth health(clock);
    QVERIFY(!health.currentRtt());
    QVERIFY(!health.meanRtt());
    QVERIFY(!health.rttDeviation());
    QVERIFY(health.rttHistory().isEmpty());
    QVERIFY(!health.lastDisconnect());
    QVERIFY(!health.lastResume());
    QVERIFY(health.diagnostics().contains(u"-"_s));
}

void TestConnectionHealth::meanAndDeviation()
{
    ManualClock clock;
    ConnectionHealth health(clock);
    QSignalSpy measured(&health, &ConnectionHealth::rttMeasured);
    for (double rtt : {2, 4, 4, 4, 5, 5, 7, 9}) {
        health.recordRtt(rtt);
        clock.advance(5s);
    }
    QCOMPARE(measured.size(), 8);
    QCOMPARE(*health.currentRtt(), 9.0);
    QCOMPARE(*health.meanRtt(), 5.0);
    QCOMPARE(*health.rttDeviation(), 2.0); // the textbook example: σ = 2
    const auto history = health.rttHistory();
    QCOMPARE(history.size(), 8);
    QCOMPARE(history.first().at, clock.currentDateTime().addSecs(-40));
    QCOMPARE(history.last().rttMs, 9.0);
}

void TestConnectionHealth::windowSlides()
{
    ManualClock clock;
    ConnectionHealth health(clock);
    health.setHistoryWindow(60s);
    health.recordRtt(100);
    clock.advance(30s);
    health.recordRtt(10);
    clock.advance(20s);
    health.recordRtt(20);
    QCOMPARE(health.rttHistory().size(), 3);
    QCOMPARE(*health.meanRtt(), (100.0 + 10 + 20) / 3);
    clock.advance(11s); // the 100 ms sample is now 61 s old
    QCOMPARE(health.rttHistory().size(), 2);
    QCOMPARE(*health.meanRtt(), 15.0);
    QCOMPARE(*health.rttDeviation(), 5.0);
    clock.advance(10min);
    QVERIFY(!health.currentRtt());
}

void TestConnectionHealth::countersAndReadings()
{
    ManualClock clock;
    ConnectionHealth health(clock);
    QSignalSpy changed(&health, &ConnectionHealth::changed);
    health.recordIncoming(100);
    health.recordIncoming(50);
    health.recordOutgoing(30);
    QCOMPARE(health.framesIn(), 2u);
    QCOMPARE(health.bytesIn(), 150u);
    QCOMPARE(health.framesOut(), 1u);
    QCOMPARE(health.bytesOut(), 30u);

    health.recordConnected();
    QCOMPARE(health.reconnectCount(), 0);
    DisconnectInfo lost;
    lost.closeCode = 1001;
    health.recordDisconnect(lost);
    health.recordConnected();
    QCOMPARE(health.reconnectCount(), 1);
    QCOMPARE(health.lastDisconnect()->closeCode, 1001);
    QCOMPARE(health.lastDisconnectAt(), clock.currentDateTime());

    health.setOutboxLength(3);
    health.recordResume({2, 1, 40, 600});
    QVERIFY(!health.lastResume()->recovered());
    health.recordResume({2, 0, 3, 0});
    QVERIFY(health.lastResume()->recovered());
    health.setServerInfo({u"Casa"_s, u"0.1.0"_s, 16384});
    health.setTls({u"TLSv1.3"_s, u"TLS_AES_256_GCM_SHA384"_s});
    QVERIFY(changed.size() >= 10);

    const QString text = health.diagnostics();
    for (const QString &expected : {u"Casa"_s, u"TLSv1.3"_s, u"TLS_AES_256_GCM_SHA384"_s, u"150"_s, u"1001"_s})
        QVERIFY2(text.contains(expected), qPrintable(text));
}

void TestConnectionHealth::messagesAndReset()
{
    ManualClock clock;
    ConnectionHealth health(clock);
    health.recordIncoming(100); // a frame is not a message
    health.recordMessageReceived();
    health.recordMessageReceived();
    health.recordMessageSent();
    QCOMPARE(health.messagesReceived(), 2u);
    QCOMPARE(health.messagesSent(), 1u);
    QCOMPARE(health.framesIn(), 1u);
    QVERIFY(health.diagnostics().contains(u"messages received/sent: 2/1"_s));

    health.recordRtt(12);
    health.recordConnected();
    health.recordDisconnect({});
    health.recordConnected();
    health.recordResume({1, 0, 0, 0});
    health.setServerInfo({u"Casa"_s, u"0.1.0"_s, 16384});
    health.setTls({u"TLSv1.3"_s, u"TLS_AES_256_GCM_SHA384"_s});
    QSignalSpy changed(&health, &ConnectionHealth::changed);
    health.reset();
    QCOMPARE(changed.size(), 1);
    QCOMPARE(health.messagesReceived(), 0u);
    QCOMPARE(health.messagesSent(), 0u);
    QCOMPARE(health.framesIn(), 0u);
    QCOMPARE(health.bytesIn(), 0u);
    QCOMPARE(health.reconnectCount(), 0);
    QVERIFY(!health.currentRtt());
    QVERIFY(!health.lastDisconnect());
    QVERIFY(!health.lastResume());
    QVERIFY(health.serverInfo().name.isEmpty());
    QVERIFY(!health.tls().isEncrypted());
}

QTEST_APPLESS_MAIN(TestConnectionHealth)
#include "tst_connectionhealth.moc"
