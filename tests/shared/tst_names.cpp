// Naming rules shared by server and client.
#include "shared/names.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;

class TestNames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void userNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << u"alice"_s << true;
        QTest::newRow("digits and punctuation") << u"bob_2.x-y"_s << true;
        QTest::newRow("too short") << u"al"_s << false;
        QTest::newRow("too long") << QString(33, u'a') << false;
        QTest::newRow("longest") << QString(32, u'a') << true;
        QTest::newRow("leading dot") << u".alice"_s << false;
        QTest::newRow("space") << u"al ice"_s << false;
        QTest::newRow("cyrillic a") << u"\u0430lice"_s << false;
        QTest::newRow("empty") << QString() << false;
    }
    /*! User names are ASCII so look-alike names cannot impersonate someone. */
    void userNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(Names::isValidUserName(name), valid);
    }

    void roomNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << u"general"_s << true;
        QTest::newRow("accents") << u"café-ñandú"_s << true;
        QTest::newRow("single") << u"x"_s << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("space") << u"a b"_s << false;
        QTest::newRow("slash") << u"a/b"_s << false;
        QTest::newRow("emoji") << u"😀"_s << false;
        QTest::newRow("too long") << QString(65, u'r') << false;
    }
    void roomNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(Names::isValidRoomName(name), valid);
    }

    /*! Direct conversations' addresses (issue 12): one per pair whatever the order or case, never a room name,
        and read back only in the one spelling directAddress() writes. */
    void directAddresses()
    {
        QCOMPARE(Names::directAddress(u"Bob"_s, u"alice"_s), u"@alice+bob"_s);
        QCOMPARE(Names::directAddress(u"alice"_s, u"BOB"_s), u"@alice+bob"_s);
        QCOMPARE(Names::directUsers(u"@alice+bob"_s), (QStringList{u"alice"_s, u"bob"_s}));
        const QString longest = Names::directAddress(QString(32, u'a'), QString(32, u'b'));
        QCOMPARE(longest.size(), Names::kMaxRoomAddressLength);
        QVERIFY(Names::isDirectAddress(longest));
        for (const QString &address : {u"@bob+alice"_s, u"@Alice+bob"_s, u"@alice+alice"_s, u"alice+bob"_s,
                                       u"@alice+bob+carol"_s, u"@al+bob"_s, u"@alice+"_s, u"@"_s, u"general"_s}) {
            QVERIFY2(!Names::isDirectAddress(address), qPrintable(address));
            QCOMPARE(Names::isValidRoomAddress(address), Names::isValidRoomName(address));
        }
        QVERIFY(!Names::isValidRoomName(u"@alice+bob"_s));
        QVERIFY(Names::isValidRoomAddress(u"@alice+bob"_s));
        QVERIFY(Names::isValidRoomAddress(u"general"_s));
    }

    /*! Uniqueness ignores case. */
    void canonical() { QCOMPARE(Names::canonical(u"Alice"_s), Names::canonical(u"aLICE"_s)); }
};

QTEST_APPLESS_MAIN(TestNames)
#include "tst_names.moc"
