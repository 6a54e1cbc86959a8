// LoginThrottle: per-account delays that grow with failures and reset on success, one check at a time, a
// separate count for the addresses an account signed in from, the same treatment for every name, bounded.
#include "server/auth/loginthrottle.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;

namespace {
/// A check that runs now and fails (or succeeds); the wait when it may not run.
qint64 attempt(LoginThrottle &throttle, const QString &account, const QString &address, qint64 now, bool success)
{
    const LoginThrottle::Decision decision = throttle.begin(account, address, now);
    if (!decision.ticket)
        return decision.waitMs;
    throttle.finish(*decision.ticket, success, now);
    return 0;
}

/// The defaults without free failures: most tests are about what happens past them.
LoginThrottle::Options strict()
{
    LoginThrottle::Options options;
    options.freeFailures = 0;
    return options;
}
} // namespace

class TestLoginThrottle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! By default the first three failures in a row cost nothing (a typo retyped at once gets in); the
        fourth makes the next check wait 1 s, the fifth 2 s; a success gives the free ones back. */
    void freeFailuresFirst()
    {
        LoginThrottle throttle;
        QCOMPARE(throttle.options().freeFailures, 3);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, 0, false), 0);
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, 0, false), 0);
        QCOMPARE(throttle.begin(u"alice"_s, u"10.0.0.1"_s, 0).waitMs, 1000);
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, 1000, false), 0);
        QCOMPARE(throttle.begin(u"alice"_s, u"10.0.0.1"_s, 1000).waitMs, 2000);
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, 3000, true), 0);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, 3000, false), 0);
        QCOMPARE(throttle.begin(u"alice"_s, u"10.0.0.1"_s, 3000).waitMs, 0);
    }

    /*! Each failure doubles the wait before the next check, from 1 s up to the 5 min cap; a check asked for
        before then is refused with the time left; a success resets the count. */
    void delaysGrowAndReset()
    {
        LoginThrottle throttle(strict());
        qint64 now = 0;
        QList<qint64> waits;
        for (int i = 0; i < 11; ++i) {
            QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.9"_s, now, false), 0);
            const qint64 wait = throttle.begin(u"alice"_s, u"10.0.0.9"_s, now).waitMs;
            waits << wait;
            QCOMPARE(throttle.begin(u"alice"_s, u"10.0.0.9"_s, now + wait - 1).waitMs, 1); // not a millisecond early
            now += wait;
        }
        QCOMPARE(waits, (QList<qint64>{1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000}));
        QCOMPARE(throttle.delayAfter(1000), 300000); // no overflow on long runs

        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.9"_s, now, true), 0); // the owner, say
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.9"_s, now, false), 0);
        QCOMPARE(throttle.begin(u"alice"_s, u"10.0.0.9"_s, now).waitMs, 1000); // counting from the start
    }

    /*! Failures on one account do not slow down another, and the per-account count spans addresses. */
    void perAccountAcrossAddresses()
    {
        LoginThrottle throttle(strict());
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, 0, false), 0);
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.2"_s, 0, false), 1000); // another address: same count
        QCOMPARE(attempt(throttle, u"bob"_s, u"10.0.0.1"_s, 0, false), 0);
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.3"_s, 1000, false), 0);
        QCOMPARE(throttle.begin(u"alice"_s, u"10.0.0.4"_s, 1000).waitMs, 2000);
    }

    /*! Only one check per account runs at once: a second request while the first is being checked waits,
        and the first one's outcome decides what comes next. */
    void oneCheckAtATime()
    {
        LoginThrottle throttle(strict());
        const auto first = throttle.begin(u"alice"_s, u"10.0.0.1"_s, 0);
        QVERIFY(first.ticket);
        for (const QString &address : {u"10.0.0.1"_s, u"10.0.0.2"_s}) {
            const auto parallel = throttle.begin(u"alice"_s, address, 0);
            QVERIFY(!parallel.ticket);
            QVERIFY(parallel.busy);
            QCOMPARE(parallel.waitMs, 1000);
        }
        QVERIFY(throttle.begin(u"bob"_s, u"10.0.0.1"_s, 0).ticket);
        throttle.finish(*first.ticket, false, 5);
        const auto blocked = throttle.begin(u"alice"_s, u"10.0.0.2"_s, 5);
        QCOMPARE(blocked.waitMs, 1000);
        QVERIFY(!blocked.busy);
        QVERIFY(throttle.begin(u"alice"_s, u"10.0.0.2"_s, 1005).ticket);
    }

    /*! The owner is not locked out: an address that signed in to the account keeps its own count, which
        strangers' failures never touch (however long they keep the delay at its cap), and its own failures
        do not slow the strangers' count either. An address stays known for a while after its last success. */
    void knownAddressesHaveTheirOwnCount()
    {
        LoginThrottle throttle(strict());
        const QString home = u"192.0.2.7"_s;
        QCOMPARE(attempt(throttle, u"alice"_s, home, 0, true), 0);
        qint64 now = 10;
        for (int i = 0; i < 40; ++i) { // an attacker takes every slot, for hours
            QCOMPARE(attempt(throttle, u"alice"_s, u"203.0.113.1"_s, now, false), 0);
            now += throttle.begin(u"alice"_s, u"203.0.113.2"_s, now).waitMs;
        }
        QVERIFY(now > 2 * 3600 * 1000);
        QCOMPARE(throttle.begin(u"alice"_s, u"203.0.113.9"_s, now - 1).waitMs, 1);
        const auto owner = throttle.begin(u"alice"_s, home, now - 1);
        QVERIFY(owner.ticket);
        QVERIFY(owner.ticket->knownAddress);
        throttle.finish(*owner.ticket, false, now - 1); // a typo at home
        QCOMPARE(throttle.begin(u"alice"_s, home, now).waitMs, 999);
        QVERIFY(throttle.begin(u"alice"_s, u"203.0.113.9"_s, now).ticket); // the strangers' count is its own

        LoginThrottle::Options options = strict();
        options.knownAddressTtlMs = 1000;
        LoginThrottle expiring(options);
        QCOMPARE(attempt(expiring, u"carol"_s, home, 0, true), 0);
        for (int i = 0; i < 1100; ++i) // enough new names for a pass over the table
            attempt(expiring, u"name%1"_s.arg(i), home, 5000, true);
        QVERIFY(!expiring.begin(u"carol"_s, home, 5000).ticket->knownAddress);
    }

    /*! Only the most recent known addresses are kept per account. */
    void knownAddressesAreFew()
    {
        LoginThrottle throttle(strict());
        for (int i = 0; i < 6; ++i)
            QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.%1"_s.arg(i), i, true), 0);
        for (int i = 5; i >= 2; --i) { // each its own count: all may be checked at once
            const auto decision = throttle.begin(u"alice"_s, u"10.0.0.%1"_s.arg(i), 10);
            QVERIFY(decision.ticket);
            QVERIFY(decision.ticket->knownAddress);
        }
        const auto forgotten = throttle.begin(u"alice"_s, u"10.0.0.1"_s, 10);
        QVERIFY(forgotten.ticket);
        QVERIFY(!forgotten.ticket->knownAddress);
        QVERIFY(!throttle.begin(u"alice"_s, u"10.0.0.0"_s, 10).ticket); // a stranger too: the count is busy
    }

    /*! Failures are forgotten after an hour without one: the next failure waits 1 s again. */
    void failuresAreForgotten()
    {
        LoginThrottle throttle(strict());
        qint64 now = 0;
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, now, false), 0);
            now += throttle.begin(u"alice"_s, u"10.0.0.1"_s, now).waitMs;
        }
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, now + 3600 * 1000 - 1, false), 0);
        now += 3600 * 1000 - 1;
        QCOMPARE(throttle.begin(u"alice"_s, u"10.0.0.1"_s, now).waitMs, 32000); // still counting
        now += 32000 + 3600 * 1000;
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, now, false), 0);
        QCOMPARE(throttle.begin(u"alice"_s, u"10.0.0.1"_s, now).waitMs, 1000);
    }

    /*! Memory is bounded: idle entries are dropped, and when every entry is busy new names share one entry
        (the flood slows itself down) while the entries already held keep their counts. */
    void bounded()
    {
        LoginThrottle::Options options = strict();
        options.maxAccounts = 100;
        LoginThrottle throttle(options);
        QCOMPARE(attempt(throttle, u"alice"_s, u"10.0.0.1"_s, 0, false), 0);
        for (int i = 0; i < 99; ++i)
            QCOMPARE(attempt(throttle, u"spray%1"_s.arg(i), u"203.0.113.1"_s, 0, false), 0);
        QCOMPARE(throttle.size(), 100);
        QVERIFY(!throttle.isOverflowing());
        QCOMPARE(attempt(throttle, u"new1"_s, u"203.0.113.1"_s, 0, false), 0);
        QVERIFY(throttle.isOverflowing());
        QCOMPARE(attempt(throttle, u"new2"_s, u"203.0.113.1"_s, 0, false), 1000); // shares new1's count
        QCOMPARE(throttle.size(), 100);
        QCOMPARE(throttle.begin(u"alice"_s, u"10.0.0.1"_s, 0).waitMs, 1000); // kept
        // Once the sprayed entries are forgotten (an hour after their delay), there is room again.
        const qint64 later = 1000 + 3600 * 1000 + 1000;
        QVERIFY(throttle.begin(u"new3"_s, u"203.0.113.1"_s, later).ticket);
        QVERIFY(!throttle.isOverflowing());
        QVERIFY(throttle.size() <= 2);
    }
};

QTEST_APPLESS_MAIN(TestLoginThrottle)
#include "tst_loginthrottle.moc"
