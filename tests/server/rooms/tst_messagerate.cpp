// A room's message rate (the admin API's rooms): messages over the last minute from a ring of per-second
// counters, on a clock the test moves.
#include "server/rooms/messagerate.h"

#include <QtTest/QTest>

using namespace Tertulia;

class TestMessageRate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Counted within the minute, forgotten a second at a time once older than it. */
    void countsTheLastMinute()
    {
        MessageRate rate;
        QCOMPARE(rate.count(0), 0);
        const qint64 start = 5'000'000;
        rate.note(start);
        rate.note(start + 10);
        rate.note(start + 1500);         // the next second
        QCOMPARE(rate.count(start + 1500), 3);
        QCOMPARE(rate.perSecond(start + 1500), 3.0 / 60);
        QCOMPARE(rate.count(start + 59'999), 3);   // still within the minute of the first
        QCOMPARE(rate.count(start + 60'000), 1);   // the first second left the window
        QCOMPARE(rate.count(start + 61'000), 0);
        QCOMPARE(rate.count(start + 3'600'000), 0);
    }

    /*! A quiet spell longer than the ring clears what it held; buckets are reused without mixing seconds. */
    void quietSpellsAndReuse()
    {
        MessageRate rate;
        const qint64 start = 1'000;
        for (int i = 0; i < 100; ++i)
            rate.note(start + i * 100);    // 10 s of 10 messages a second
        QCOMPARE(rate.count(start + 9'999), 100);
        rate.note(start + 125'000);        // two minutes later: the same buckets, another second
        QCOMPARE(rate.count(start + 125'000), 1);
        rate.note(start + 185'500);        // 60.5 s after that one: it left the window
        QCOMPARE(rate.count(start + 185'500), 1);
        for (int second = 0; second < 120; ++second)
            rate.note(start + 200'000 + second * 1000);   // one a second for two minutes
        QCOMPARE(rate.count(start + 200'000 + 119'000), 60);
    }
};

QTEST_GUILESS_MAIN(TestMessageRate)
#include "tst_messagerate.moc"
