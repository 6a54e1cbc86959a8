// The one parser of `@name` mentions (app/session/mentions.h): what the message view highlights, what
// counts for the mention badge and notifications, and what the composer completes.
#include "app/session/mentions.h"

#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;
using Mentions::Mention;

namespace {
const QSet<QString> kKnown{u"alice"_s, u"bob"_s, u"bob.smith"_s, u"carol-2"_s};

QStringList users(const QList<Mention> &found)
{
    QStringList names;
    for (const Mention &mention : found)
        names.append(mention.user);
    return names;
}
} // namespace

class TestMentions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsMentions_data();
    /*! Word boundaries, punctuation, e-mail addresses, unknown names and case, table-driven. */
    void findsMentions();
    /*! Positions cover the '@' and the name as written, for highlighting. */
    void reportsPositions();
    void mentionsOfOneUser();
    void partialAt_data();
    /*! The name being typed before the cursor, for completion. */
    void partialAt();
    /*! Completion candidates: prefix in any case, in order, never ourselves. */
    void completes();
};

void TestMentions::findsMentions_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("alone") << u"@alice"_s << QStringList{u"alice"_s};
    QTest::newRow("in a sentence") << u"hi @bob, how are you"_s << QStringList{u"bob"_s};
    QTest::newRow("two") << u"@alice and @bob"_s << QStringList{u"alice"_s, u"bob"_s};
    QTest::newRow("case folds") << u"@ALICE @Bob"_s << QStringList{u"alice"_s, u"bob"_s};
    QTest::newRow("full stop after") << u"ask @bob."_s << QStringList{u"bob"_s};
    QTest::newRow("dotted name") << u"ask @bob.smith."_s << QStringList{u"bob.smith"_s};
    QTest::newRow("dash in name") << u"@carol-2!"_s << QStringList{u"carol-2"_s};
    QTest::newRow("question mark") << u"@alice?"_s << QStringList{u"alice"_s};
    QTest::newRow("apostrophe") << u"@alice's idea"_s << QStringList{u"alice"_s};
    QTest::newRow("parentheses") << u"(@alice)"_s << QStringList{u"alice"_s};
    QTest::newRow("after newline") << u"ok\n@bob"_s << QStringList{u"bob"_s};
    QTest::newRow("colon") << u"@bob: see this"_s << QStringList{u"bob"_s};
    QTest::newRow("e-mail address") << u"write to alice@bob.org"_s << QStringList{};
    QTest::newRow("e-mail with known domain") << u"x@alice"_s << QStringList{};
    QTest::newRow("unknown name") << u"@mallory hi"_s << QStringList{};
    QTest::newRow("longer unknown name") << u"@alice2"_s << QStringList{};
    QTest::newRow("name runs into other script") << u"@bobé"_s << QStringList{};
    QTest::newRow("bare at") << u"@ alice"_s << QStringList{};
    QTest::newRow("double at") << u"@@alice"_s << QStringList{};
    QTest::newRow("too short to be a name") << u"@al"_s << QStringList{};
    QTest::newRow("empty") << QString() << QStringList{};
}

void TestMentions::findsMentions()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(users(Mentions::find(text, kKnown)), expected);
}

void TestMentions::reportsPositions()
{
    const QString text = u"hey @Bob.Smith, and @alice."_s;
    const QList<Mention> found = Mentions::find(text, kKnown);
    QCOMPARE(found.size(), 2);
    QCOMPARE(found.at(0), (Mention{4, 10, u"bob.smith"_s}));
    QCOMPARE(text.mid(found.at(0).start, found.at(0).length), u"@Bob.Smith"_s);
    QCOMPARE(found.at(1), (Mention{20, 6, u"alice"_s}));
    QVERIFY(Mentions::find(text, {}).isEmpty()); // nobody known, nobody mentioned
}

void TestMentions::mentionsOfOneUser()
{
    QVERIFY(Mentions::mentions(u"thanks @Alice!"_s, u"alice"_s));
    QVERIFY(Mentions::mentions(u"thanks @alice"_s, u"ALICE"_s));
    QVERIFY(!Mentions::mentions(u"thanks @alicia"_s, u"alice"_s));
    QVERIFY(!Mentions::mentions(u"mail alice@example.org"_s, u"alice"_s));
    QVERIFY(!Mentions::mentions(u"alice, hi"_s, u"alice"_s)); // a name without '@' is not a mention
    QVERIFY(!Mentions::mentions(u"@alice"_s, QString()));
}

void TestMentions::partialAt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("cursor");
    QTest::addColumn<int>("start"); // -1: none
    QTest::addColumn<QString>("prefix");

    QTest::newRow("just the at") << u"@"_s << 1 << 0 << QString();
    QTest::newRow("typing") << u"hi @al"_s << 6 << 3 << u"al"_s;
    QTest::newRow("dot inside") << u"@bob.s"_s << 6 << 0 << u"bob.s"_s;
    QTest::newRow("cursor in the middle of the text") << u"@al and more"_s << 3 << 0 << u"al"_s;
    QTest::newRow("cursor inside the word") << u"@alice"_s << 3 << -1 << QString();
    QTest::newRow("after a space") << u"@alice "_s << 7 << -1 << QString();
    QTest::newRow("e-mail") << u"bob@ex"_s << 6 << -1 << QString();
    QTest::newRow("no at") << u"alice"_s << 5 << -1 << QString();
    QTest::newRow("out of range") << u"@a"_s << 9 << -1 << QString();
}

void TestMentions::partialAt()
{
    QFETCH(QString, text);
    QFETCH(int, cursor);
    QFETCH(int, start);
    QFETCH(QString, prefix);
    const auto partial = Mentions::partialAt(text, cursor);
    if (start < 0) {
        QVERIFY(!partial);
        return;
    }
    QVERIFY(partial);
    QCOMPARE(partial->start, start);
    QCOMPARE(partial->prefix, prefix);
}

void TestMentions::completes()
{
    const QStringList members{u"Alice"_s, u"alfonso"_s, u"bob"_s, u"albert"_s};
    QCOMPARE(Mentions::complete(members, u"AL"_s), (QStringList{u"Alice"_s, u"alfonso"_s, u"albert"_s}));
    QCOMPARE(Mentions::complete(members, u"al"_s, u"alice"_s), (QStringList{u"alfonso"_s, u"albert"_s}));
    QCOMPARE(Mentions::complete(members, QString(), u"bob"_s), (QStringList{u"Alice"_s, u"alfonso"_s, u"albert"_s}));
    QVERIFY(Mentions::complete(members, u"z"_s).isEmpty());
}

QTEST_GUILESS_MAIN(TestMentions)
#include "tst_mentions.moc"
