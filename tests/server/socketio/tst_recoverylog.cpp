// The recovery log of a Socket.IO chat connection: from the last offset a client saw, where it stands
// in every room (table rows), and when the offset cannot be trusted.
#include "server/socketio/chat/recoverylog.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using Tertulia::RecoveryLog;
using Positions = QHash<QString, qint64>;
Q_DECLARE_METATYPE(std::optional<qint64>)

class TestRecoveryLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Deliveries in two rooms; each row is the offset the client reports and what it then holds. */
    void positions_data()
    {
        QTest::addColumn<std::optional<qint64>>("offset");
        QTest::addColumn<Positions>("expected");
        // base: a=10, b=3; deliveries: 1:a11 2:b4 3:a12 4:c1 5:b5
        QTest::newRow("nothing received") << std::optional<qint64>() << Positions{{u"a"_s, 10}, {u"b"_s, 3}, {u"c"_s, 0}};
        QTest::newRow("offset 0") << std::optional<qint64>(0) << Positions{{u"a"_s, 10}, {u"b"_s, 3}, {u"c"_s, 0}};
        QTest::newRow("first") << std::optional<qint64>(1) << Positions{{u"a"_s, 11}, {u"b"_s, 3}, {u"c"_s, 0}};
        QTest::newRow("third") << std::optional<qint64>(3) << Positions{{u"a"_s, 12}, {u"b"_s, 4}, {u"c"_s, 0}};
        QTest::newRow("fourth (new room)") << std::optional<qint64>(4) << Positions{{u"a"_s, 12}, {u"b"_s, 4}, {u"c"_s, 1}};
        QTest::newRow("all") << std::optional<qint64>(5) << Positions{{u"a"_s, 12}, {u"b"_s, 5}, {u"c"_s, 1}};
    }
    void positions()
    {
        QFETCH(std::optional<qint64>, offset);
        QFETCH(Positions, expected);
        RecoveryLog log;
        log.setBase(u"a"_s, 10);
        log.setBase(u"b"_s, 3);
        QCOMPARE(log.record(u"a"_s, 11), 1);
        QCOMPARE(log.record(u"b"_s, 4), 2);
        QCOMPARE(log.record(u"a"_s, 12), 3);
        QCOMPARE(log.record(u"c"_s, 1), 4); // a room joined later: its first message says where it began
        QCOMPARE(log.record(u"b"_s, 5), 5);
        QCOMPARE(log.lastOffset(), 5);
        const auto positions = log.positionsAt(offset);
        QVERIFY(positions);
        QCOMPARE(*positions, expected);
    }

    /*! Offsets the log never issued, or that fell out of it, are refused (the client must resync). */
    void untrustedOffsets()
    {
        RecoveryLog log(3);
        log.setBase(u"a"_s, 0);
        for (qint64 seq = 1; seq <= 5; ++seq)
            log.record(u"a"_s, seq);
        QVERIFY(!log.positionsAt(6));             // never issued
        QVERIFY(!log.positionsAt(1));             // folded away: the client missed 2 and cannot say so
        QVERIFY(!log.positionsAt(std::nullopt));  // received nothing, but the log forgot what it sent
        QCOMPARE(log.positionsAt(2)->value(u"a"_s), 2); // the last folded offset is still exact
        QCOMPARE(log.positionsAt(5)->value(u"a"_s), 5);
    }

    /*! settle(): rooms the log has no word about stand where the server says at disconnect. */
    void settle()
    {
        RecoveryLog log;
        log.setBase(u"a"_s, 7);
        log.record(u"b"_s, 3);
        log.settle(Positions{{u"a"_s, 9}, {u"b"_s, 9}, {u"z"_s, 4}});
        const auto positions = log.positionsAt(std::nullopt);
        QVERIFY(positions);
        QCOMPARE(positions->value(u"a"_s), 7); // known: not moved by settle
        QCOMPARE(positions->value(u"b"_s), 2); // known from its first delivery
        QCOMPARE(positions->value(u"z"_s), 4); // unknown until now
    }

    /*! A base never moves back. */
    void baseIsMonotonic()
    {
        RecoveryLog log;
        log.setBase(u"a"_s, 7);
        log.setBase(u"a"_s, 5);
        QCOMPARE(log.positionsAt(0)->value(u"a"_s), 7);
    }
};

QTEST_APPLESS_MAIN(TestRecoveryLog)
#include "tst_recoverylog.moc"
