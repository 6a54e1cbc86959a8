// PresenceGrace on an injected MonotonicClock: a skip of the clock reaches its timer, so the grace is tested
// without waiting for it.
#include "server/session/monotonicclock.h"
#include "server/session/presencegrace.h"

#include <QtTest/QTest>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

using namespace Tertulia;

class TestPresenceGrace : public QObject
{
    Q_OBJECT

    struct Fired
    {
        QString userKey;
        QString user;
        bool operator==(const Fired &) const = default;
    };

private Q_SLOTS:
    /*! Deferred, a user is refreshed once the grace is over, once, and a skip past the deadline is enough:
        the refresh has happened when skip() returns. Skipping on fires nothing more. */
    void skipPastFiresOnce()
    {
        MonotonicClock clock;
        QList<Fired> fired;
        PresenceGrace grace(clock, [&fired](const QString &key, const QString &user) { fired.append({key, user}); });
        grace.setGrace(60s); // far beyond the test: only a skip can bring it
        grace.defer(u"alice"_s, u"Alice"_s);
        QCOMPARE(grace.pendingCount(), 1);
        QVERIFY(fired.isEmpty());
        clock.skip(60'000);
        QCOMPARE(fired, (QList<Fired>{{u"alice"_s, u"Alice"_s}}));
        QCOMPARE(grace.pendingCount(), 0);
        clock.skip(120'000);
        QCoreApplication::processEvents(); // nor does its timer, if one were left armed
        QCOMPARE(fired.size(), 1);
    }

    /*! A skip short of the deadline fires nothing; a later defer() of the same user moves the deadline, so a
        skip past the first one fires nothing either, and the user is refreshed once at the second. */
    void deferAgainMovesTheDeadline()
    {
        MonotonicClock clock;
        QList<Fired> fired;
        PresenceGrace grace(clock, [&fired](const QString &key, const QString &user) { fired.append({key, user}); });
        grace.setGrace(60s);
        grace.defer(u"alice"_s, u"Alice"_s);       // due at +60 s
        clock.skip(59'000);
        QVERIFY(fired.isEmpty());
        QCOMPARE(grace.pendingCount(), 1);
        grace.defer(u"alice"_s, u"Alice"_s);       // now due at about +119 s
        grace.defer(u"bob"_s, u"Bob"_s);           // due with it
        clock.skip(2'000);                         // past the first deadline, well short of the second
        QVERIFY(fired.isEmpty());
        QCOMPARE(grace.pendingCount(), 2);
        clock.skip(58'000);
        QCOMPARE(fired, (QList<Fired>{{u"alice"_s, u"Alice"_s}, {u"bob"_s, u"Bob"_s}}));
        QCOMPARE(grace.pendingCount(), 0);
    }

    /*! After a skip the timer is armed for what is left, on the moved clock: a grace that a skip has mostly
        used up ends after the rest of it in real time, not after the whole grace. */
    void skipReArmsTheTimer()
    {
        MonotonicClock clock;
        QList<Fired> fired;
        PresenceGrace grace(clock, [&fired](const QString &key, const QString &user) { fired.append({key, user}); });
        grace.setGrace(60s);
        grace.defer(u"carol"_s, u"Carol"_s);
        clock.skip(59'900); // 100 ms left
        QVERIFY(fired.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(fired.size(), 1, 5000);
        QCOMPARE(fired.first().userKey, u"carol"_s);
    }

    /*! A grace gone before its clock no longer hears skips (its subscription ended with it), and a
        subscription outliving its clock does no harm. */
    void subscriptionLifetime()
    {
        MonotonicClock clock;
        int fired = 0;
        {
            PresenceGrace grace(clock, [&fired](const QString &, const QString &) { ++fired; });
            grace.setGrace(10s);
            grace.defer(u"dave"_s, u"Dave"_s);
        }
        clock.skip(20'000); // would call into the destroyed grace if it were still registered
        QCOMPARE(fired, 0);

        int heard = 0;
        MonotonicClock::Subscription survivor;
        {
            MonotonicClock shortLived;
            survivor = shortLived.onSkip([&heard] { ++heard; });
            shortLived.skip(1);
            QCOMPARE(heard, 1);
        }
        survivor.reset(); // its clock is gone: nothing to unregister from
        QCOMPARE(heard, 1);
    }
};

QTEST_GUILESS_MAIN(TestPresenceGrace)
#include "tst_presencegrace.moc"
