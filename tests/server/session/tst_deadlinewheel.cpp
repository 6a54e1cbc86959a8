// DeadlineWheel (the session registry's deadlines) on an injected MonotonicClock: time moves by skip(), so
// deadlines seconds away are tested without waiting, and every deadline is seconds away from where real
// time could take the clock while a test runs.
#include "server/session/deadlinewheel.h"
#include "server/session/monotonicclock.h"

#include <QtTest/QTest>

#include <map>

using namespace Tertulia;

class TestDeadlineWheel : public QObject
{
    Q_OBJECT

    using Wheel = DeadlineWheel<int>;

    /// Runs a pass at the clock's time; returns the keys it fired, in order.
    static QList<int> pass(Wheel &wheel, const MonotonicClock &clock, qsizetype *visited = nullptr)
    {
        QList<int> fired;
        const qsizetype looked = wheel.expire(clock.nowMs(), [&fired](int key) { fired.append(key); });
        if (visited)
            *visited = looked;
        return fired;
    }

private Q_SLOTS:
    /*! A deadline fires on the first pass at or after it, once, and not before. */
    void firesOnceAtItsDeadline()
    {
        MonotonicClock clock;
        Wheel wheel(100, 64, clock.nowMs());
        const qint64 start = clock.nowMs();
        wheel.schedule(7, start + 10'000);
        QCOMPARE(wheel.size(), 1);
        QCOMPARE(wheel.deadlineOf(7), std::optional<qint64>(start + 10'000));
        QVERIFY(pass(wheel, clock).isEmpty());
        clock.skip(5'000);
        QVERIFY(pass(wheel, clock).isEmpty());
        QVERIFY(wheel.contains(7));
        clock.skip(5'000);
        QCOMPARE(pass(wheel, clock), QList<int>{7});
        QVERIFY(!wheel.contains(7));
        QCOMPARE(wheel.size(), 0);
        clock.skip(100'000);
        QVERIFY(pass(wheel, clock).isEmpty());
    }

    /*! A pass looks only at the slots of the ticks since the previous one: 8 000 keys pinged over 20 s, a
        pass every 250 ms looks at about 1/80 of them, not all; each fires once, never early. */
    void passLooksOnlyAtDueSlots()
    {
        MonotonicClock clock;
        const qint64 start = clock.nowMs();
        Wheel wheel(250, 128, start);
        const int keys = 8000;
        std::map<int, qint64> deadline;
        for (int key = 0; key < keys; ++key) {
            deadline[key] = start + 1'000 + qint64(key) * 20'000 / keys; // spread over 20 s
            wheel.schedule(key, deadline[key]);
        }
        std::map<int, int> firedCount;
        qsizetype mostVisited = 0;
        qsizetype totalVisited = 0;
        for (int step = 0; step < 100; ++step) { // 25 s of passes
            clock.skip(250);
            const qint64 now = clock.nowMs();
            qsizetype visited = 0;
            for (int key : pass(wheel, clock, &visited)) {
                QVERIFY2(deadline[key] <= now, "fired before its deadline");
                ++firedCount[key];
            }
            mostVisited = std::max(mostVisited, visited);
            totalVisited += visited;
        }
        QCOMPARE(int(firedCount.size()), keys);
        for (const auto &[key, count] : firedCount)
            QCOMPARE(count, 1);
        // 100 keys' deadlines per tick; a pass looks at the current tick again (and real time may add one).
        QVERIFY2(mostVisited <= 3 * keys / 80, qPrintable(QString::number(mostVisited)));
        QVERIFY2(totalVisited < 3 * keys, qPrintable(QString::number(totalVisited)));
        QCOMPARE(wheel.size(), 0);
    }

    /*! Rescheduling replaces the deadline, later or earlier; the outdated slot item never fires. Cancelling
        forgets it. */
    void rescheduleAndCancel()
    {
        MonotonicClock clock;
        const qint64 start = clock.nowMs();
        Wheel wheel(100, 64, start);
        wheel.schedule(1, start + 5'000);
        wheel.schedule(1, start + 15'000); // later
        wheel.schedule(2, start + 15'000);
        wheel.schedule(2, start + 5'000);  // earlier
        wheel.schedule(3, start + 5'000);
        wheel.cancel(3);
        QCOMPARE(wheel.size(), 2);
        clock.skip(10'000);
        QCOMPARE(pass(wheel, clock), QList<int>{2});
        clock.skip(10'000);
        QCOMPARE(pass(wheel, clock), QList<int>{1});
        clock.skip(10'000);
        QVERIFY(pass(wheel, clock).isEmpty());
        QCOMPARE(wheel.size(), 0);
    }

    /*! A deadline further than one turn of the wheel (here 16 × 100 ms) waits in its slot for its turn. */
    void beyondOneTurn()
    {
        MonotonicClock clock;
        const qint64 start = clock.nowMs();
        Wheel wheel(100, 16, start);
        wheel.schedule(9, start + 10'000);
        for (int step = 0; step < 90; ++step) { // up to start + 9 000, a pass every 100 ms
            clock.skip(100);
            QVERIFY2(pass(wheel, clock).isEmpty(), qPrintable(QString::number(step)));
        }
        clock.skip(1'000);
        QCOMPARE(pass(wheel, clock), QList<int>{9});
    }

    /*! After a gap longer than a turn (a skip, a stalled loop), one pass fires every deadline that passed,
        whatever its slot, and keeps the later ones. */
    void gapLongerThanATurn()
    {
        MonotonicClock clock;
        const qint64 start = clock.nowMs();
        Wheel wheel(100, 16, start);
        for (int key = 0; key < 40; ++key)
            wheel.schedule(key, start + 1'000 + key * 100); // over 4 s: every slot, several turns
        wheel.schedule(100, start + 60'000);
        clock.skip(30'000);
        QList<int> fired = pass(wheel, clock);
        std::sort(fired.begin(), fired.end());
        QList<int> expected;
        for (int key = 0; key < 40; ++key)
            expected.append(key);
        QCOMPARE(fired, expected);
        QCOMPARE(wheel.size(), 1);
        clock.skip(30'000);
        QCOMPARE(pass(wheel, clock), QList<int>{100});
    }

    /*! A deadline already past fires on the next pass; a callback may schedule its key again (the registry
        sets a session's next deadline from inside the pass). */
    void pastDeadlinesAndRescheduleFromCallback()
    {
        MonotonicClock clock;
        const qint64 start = clock.nowMs();
        Wheel wheel(100, 64, start);
        clock.skip(5'000);
        wheel.schedule(4, start); // already past
        int fired = 0;
        const auto again = [&](int key) {
            ++fired;
            wheel.schedule(key, clock.nowMs() + 2'000);
        };
        wheel.expire(clock.nowMs(), again);
        QCOMPARE(fired, 1);
        QVERIFY(wheel.contains(4));
        wheel.expire(clock.nowMs(), again); // the same moment again: not due
        QCOMPARE(fired, 1);
        clock.skip(2'000);
        wheel.expire(clock.nowMs(), again);
        QCOMPARE(fired, 2);
        QVERIFY(wheel.contains(4));
    }
};

QTEST_GUILESS_MAIN(TestDeadlineWheel)
#include "tst_deadlinewheel.moc"
