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

    /*! Uniqueness ignores case. */
    void canonical() { QCOMPARE(Names::canonical(u"Alice"_s), Names::canonical(u"aLICE"_s)); }
};

QTEST_APPLESS_MAIN(TestNames)
#include "tst_names.moc"
