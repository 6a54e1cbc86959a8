// Display names and generated avatars (issue 12): the pure functions the server validates with and every
// client draws with. The avatar colours are pinned to values computed independently (FNV-1a by hand in
// Python), so the guest page's JavaScript and the app agree.
#include "shared/identity.h"

#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;

class TestIdentity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void displayNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << u"Ana"_s << true << u"Ana"_s;
        QTest::newRow("trimmed, inner spaces kept") << u"  Ana  de la Cruz "_s << true << u"Ana  de la Cruz"_s;
        QTest::newRow("NFC") << u"Jose\u0301"_s << true << u"José"_s;
        QTest::newRow("arabic") << u"محمد علي"_s << true << u"محمد علي"_s;
        QTest::newRow("devanagari with zwj") << u"क्\u200Dष"_s << true << u"क्\u200Dष"_s;
        QTest::newRow("64 code points") << QString(64, u'a') << true << QString(64, u'a');
        QTest::newRow("64 astral code points") << QString(64, u'x').replace(u"x"_s, u"𝒜"_s) << true
                                               << QString(64, u'x').replace(u"x"_s, u"𝒜"_s);
        QTest::newRow("65 code points") << QString(65, u'a') << false << QString();
        QTest::newRow("65 after NFC is 64") << (QString(63, u'a') + u"e\u0301"_s) << true << (QString(63, u'a') + u"é"_s);
        QTest::newRow("empty") << QString() << true << QString();
        QTest::newRow("spaces only") << u"   "_s << true << QString();
        QTest::newRow("newline") << u"a\nb"_s << false << QString();
        QTest::newRow("escape") << u"a\u001b[31mb"_s << false << QString();
        QTest::newRow("right-to-left override") << u"a\u202Eb"_s << false << QString();
        QTest::newRow("zero-width space") << u"a\u200Bb"_s << false << QString();
        QTest::newRow("line separator") << u"a\u2028b"_s << false << QString();
        QTest::newRow("lone surrogate") << (u"a"_s + QChar(0xDC00)) << false << QString();
    }
    /*! Any script and spaces; trimmed, NFC; 1–64 code points; no control or format characters but ZWJ/ZWNJ. */
    void displayNames()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, name);
        const Identity::Validated result = Identity::validateDisplayName(text);
        QCOMPARE(result.ok(), valid);
        QCOMPARE(result.name, name);
        QCOMPARE(result.error.isEmpty(), valid);
    }

    void initials_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("initials");
        QTest::newRow("two words") << u"ana maría"_s << u"AM"_s;
        QTest::newRow("three words") << u"Ana María Pérez"_s << u"AM"_s;
        QTest::newRow("one word") << u"alice"_s << u"A"_s;
        QTest::newRow("decomposed accent stays whole") << u"e\u0301mile zola"_s << u"E\u0301Z"_s;
        QTest::newRow("arabic") << u"محمد علي"_s << u"مع"_s;
        QTest::newRow("cjk") << u"王小明"_s << u"王"_s;
        QTest::newRow("emoji zwj sequence") << u"👩\u200D👩\u200D👧 Fam"_s << u"👩\u200D👩\u200D👧F"_s;
        QTest::newRow("surrogate pair") << u"𝒜bc"_s << u"𝒜"_s;
        QTest::newRow("extra spaces") << u"  ana   bea  "_s << u"AB"_s;
        QTest::newRow("empty") << QString() << QString();
    }
    /*! The first grapheme of each of the first two words, upper-cased where the script has case. */
    void initials()
    {
        QFETCH(QString, name);
        QFETCH(QString, initials);
        QCOMPARE(Identity::avatarInitials(name), initials);
    }

    /*! Colours from the user name (any case), pinned so every client computes the same ones. */
    void colours()
    {
        QCOMPARE(Identity::avatarColorIndex(u"alice"_s), 11);
        QCOMPARE(Identity::avatarColorIndex(u"Alice"_s), 11);
        QCOMPARE(Identity::avatarColorIndex(u"bob"_s), 8);
        QCOMPARE(Identity::avatarColorIndex(u"carol"_s), 2);
        QCOMPARE(Identity::avatarColorIndex(u"cris"_s), 0);
        QCOMPARE(Identity::avatarColor(11), u"#546e7a"_s);
        QCOMPARE(Identity::avatarColor(0), u"#e53935"_s);
        for (int i = 0; i < Identity::kAvatarPaletteSize; ++i)
            QVERIFY(QRegularExpression(u"^#[0-9a-f]{6}$"_s).match(Identity::avatarColor(i)).hasMatch());
    }

    /*! An avatar picture's version: the first 12 bytes of SHA-256 in URL-safe base64 (pinned to a value computed
        with Python's hashlib), so the same bytes are one version; what a version may look like in a URL. */
    void avatarVersions()
    {
        QCOMPARE(Identity::avatarVersion("abc"), u"ungWv48Bz-pBQUDe"_s);
        QCOMPARE(Identity::avatarVersion("abc"), Identity::avatarVersion(QByteArray("abc")));
        QVERIFY(Identity::avatarVersion("abd") != Identity::avatarVersion("abc"));
        QVERIFY(Identity::isAvatarVersion(u"ungWv48Bz-pBQUDe"));
        QVERIFY(Identity::isAvatarVersion(QString(32, u'a')));
        QVERIFY(!Identity::isAvatarVersion(QString(33, u'a')));
        QVERIFY(!Identity::isAvatarVersion(u""));
        QVERIFY(!Identity::isAvatarVersion(u"../x"));
        QVERIFY(!Identity::isAvatarVersion(u"a b"));
        QVERIFY(!Identity::isAvatarVersion(u"a=b"));
        QVERIFY(!Identity::isAvatarVersion(u"ñ"));
    }
};

QTEST_APPLESS_MAIN(TestIdentity)
#include "tst_identity.moc"
