// Exponential backoff with full jitter: exact delays with an injected random source, bounds and
// spread with the real one.
#include "app/net/backoff.h"

#include <QtTest/QTest>

using namespace Tertulia;
using namespace std::chrono_literals;

class TestBackoff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! The ceiling doubles from 0.5 s and stops at 30 s. */
    void ceilingGrowsAndCaps();
    /*! The delay is the random fraction of the ceiling: 0 gives 0, almost 1 gives almost the ceiling. */
    void fullJitterUsesTheWholeRange();
    /*! reset() starts over from the initial delay. */
    void resetStartsOver();
    /*! With the real random source every delay stays within [0, ceiling] and spreads out. */
    void realRandomStaysInBoundsAndSpreads();
    /*! Thousands of attempts neither overflow nor exceed the cap. */
    void manyAttemptsStayCapped();
};

void TestBackoff::ceilingGrowsAndCaps()
{
    Backoff backoff;
    const QList<qint64> expected{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
    for (int attempt = 0; attempt < expected.size(); ++attempt)
        QCOMPARE(backoff.ceiling(attempt).count(), expected.at(attempt));
}

void TestBackoff::fullJitterUsesTheWholeRange()
{
    double fraction = 0.0;
    Backoff backoff({}, [&fraction] { return fraction; });
    QCOMPARE(backoff.next().count(), 0); // attempt 0, ceiling 500
    fraction = 0.5;
    QCOMPARE(backoff.next().count(), 500); // attempt 1, ceiling 1000
    fraction = 0.999;
    QCOMPARE(backoff.next().count(), 1998); // attempt 2, ceiling 2000
    QCOMPARE(backoff.attempts(), 3);
    fraction = 0.25;
    for (int i = 0; i < 10; ++i)
        backoff.next();
    QCOMPARE(backoff.next().count(), 7500); // capped ceiling 30000
}

void TestBackoff::resetStartsOver()
{
    Backoff backoff({}, [] { return 0.5; });
    for (int i = 0; i < 5; ++i)
        backoff.next();
    QCOMPARE(backoff.next().count(), 8000);
    backoff.reset();
    QCOMPARE(backoff.attempts(), 0);
    QCOMPARE(backoff.next().count(), 250);
}

void TestBackoff::realRandomStaysInBoundsAndSpreads()
{
    constexpr int kSamples = 2000;
    double sum = 0;
    qint64 low = std::numeric_limits<qint64>::max();
    qint64 high = 0;
    for (int i = 0; i < kSamples; ++i) {
        Backoff backoff;
        for (int skip = 0; skip < 8; ++skip)
            backoff.next();
        const qint64 delay = backoff.next().count(); // attempt 8: ceiling is the 30 s cap
        QVERIFY(delay >= 0 && delay <= 30000);
        sum += double(delay);
        low = std::min(low, delay);
        high = std::max(high, delay);
    }
    // Uniform on [0, 30000]: mean 15000 with a standard error of about 190 ms for 2000 samples;
    // a 1500 ms tolerance is almost 8 standard errors, so this only fails if the jitter is wrong.
    QVERIFY2(qAbs(sum / kSamples - 15000) < 1500, qPrintable(QString::number(sum / kSamples)));
    QVERIFY(low < 3000);
    QVERIFY(high > 27000);
}

void TestBackoff::manyAttemptsStayCapped()
{
    Backoff backoff({}, [] { return 0.9999; });
    for (int i = 0; i < 5000; ++i) {
        const auto delay = backoff.next();
        QVERIFY(delay >= 0ms && delay <= 30s);
    }
    QCOMPARE(backoff.ceiling(100000).count(), 30000);
}

QTEST_APPLESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
