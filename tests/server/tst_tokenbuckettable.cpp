// TokenBucketTable: buckets by key that outlive connections, are forgotten once full, and stay bounded.
#include "server/session/tokenbuckettable.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;

class TestTokenBucketTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! A key's bucket is the same bucket however often the key comes back: the burst is spent once, then the
        rate applies, and the wait it names is right. */
    void oneBucketPerKey()
    {
        TokenBucketTable table(3, 2); // burst 3, then one token every 500 ms
        for (int i = 0; i < 3; ++i)
            QVERIFY(table.take(u"alice"_s, 0));
        QVERIFY(!table.take(u"alice"_s, 0));
        QVERIFY(table.take(u"bob"_s, 0)); // another key, another bucket
        QCOMPARE(table.msUntilNext(u"alice"_s, 100), 400); // exactly: at 500 the token is there
        QVERIFY(!table.take(u"alice"_s, 499));
        QVERIFY(table.take(u"alice"_s, 500));
        QVERIFY(!table.take(u"alice"_s, 500));
    }

    /*! A bucket that has refilled is dropped at the next pass (it equals a new one); one still refilling is
        kept, however long its key has been silent. */
    void forgottenOnlyOnceFull()
    {
        TokenBucketTable table(2, 1); // full again 2 s after being emptied
        QVERIFY(table.take(u"slow"_s, 0));
        QVERIFY(table.take(u"slow"_s, 0));
        for (int i = 0; i < 1100; ++i)
            table.take(QStringLiteral("key%1").arg(i), 500); // one token each: full again at 1 500
        // The pass at 500 (the 1 024th key) kept them all: "slow" (full at 2 000) is still refilling.
        QCOMPARE(table.size(), 1101);
        QVERIFY(!table.take(u"slow"_s, 900));
        // Long after: the next pass (2 048 buckets) drops every full one, keeps the fresh ones.
        for (int i = 0; i < 2300; ++i)
            table.take(QStringLiteral("later%1").arg(i), 10000);
        QCOMPARE(table.size(), 2300);
    }

    /*! At the cap, new keys share one overflow bucket: nobody's bucket is pushed out, and a flood of new keys
        gets one budget between them. */
    void boundedAgainstFloods()
    {
        TokenBucketTable table(1, 0.001, 4);
        for (const QString &key : {u"a"_s, u"b"_s, u"c"_s, u"d"_s})
            QVERIFY(table.take(key, 0));
        QVERIFY(!table.isOverflowing());
        QVERIFY(table.take(u"e"_s, 10));   // the overflow bucket's one token
        QVERIFY(table.isOverflowing());
        QVERIFY(!table.take(u"f"_s, 20));  // shared with e
        QVERIFY(!table.take(u"g"_s, 30));
        QCOMPARE(table.size(), 4);
        QVERIFY(!table.take(u"a"_s, 40));  // still a's own, still empty
    }
};

QTEST_GUILESS_MAIN(TestTokenBucketTable)
#include "tst_tokenbuckettable.moc"
