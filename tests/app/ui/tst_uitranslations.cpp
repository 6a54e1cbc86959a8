// The window's Spanish catalogue: complete, with the same placeholders and one mnemonic wherever the
// English has one, and switching languages at run time installs and removes every catalogue.
#include "app/session/connectionmanager.h"
#include "app/ui/languagemanager.h"
#include "app/ui/uitext.h"

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QXmlStreamReader>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

class TestUiTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Every message is translated, keeps its %1…%n placeholders, and has a mnemonic exactly when
     *  the English has one. */
    void spanishIsComplete();
    /*! setLanguage installs the window's, the core's and Qt's catalogues and removes them again. */
    void switchesAtRunTime();
};

void TestUiTranslations::spanishIsComplete()
{
    QFile file(QStringLiteral(TS_FILE));
    QVERIFY2(file.open(QIODevice::ReadOnly), TS_FILE);
    QXmlStreamReader xml(&file);
    static const QRegularExpression placeholder(u"%\\d+"_s);
    static const QRegularExpression mnemonic(u"&(?!&)"_s);
    const auto placeholders = [](const QString &text) {
        QStringList found;
        for (auto it = placeholder.globalMatch(text); it.hasNext();)
            found << it.next().captured();
        found.sort();
        return found;
    };
    int messages = 0;
    QString source;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"source") {
            source = xml.readElementText();
        } else if (xml.name() == u"translation") {
            const QString type = xml.attributes().value(u"type"_s).toString();
            const QString translation = xml.readElementText();
            if (type == u"vanished"_s || type == u"obsolete"_s)
                continue;
            ++messages;
            QVERIFY2(type != u"unfinished"_s && !translation.isEmpty(), qPrintable(u"untranslated: "_s + source));
            QVERIFY2(placeholders(source) == placeholders(translation), qPrintable(u"placeholders differ: "_s + source));
            // Rich text (the About box) has entities, not mnemonics.
            if (!source.startsWith(u'<'))
                QVERIFY2(source.count(mnemonic) == translation.count(mnemonic), qPrintable(u"mnemonics differ: "_s + source));
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY2(messages >= 250, qPrintable(QString::number(messages)));
}

void TestUiTranslations::switchesAtRunTime()
{
    LanguageManager language;
    QSignalSpy changed(&language, &LanguageManager::languageChanged);
    QVERIFY(language.setLanguage(u"es"_s));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(UiText::day(QDate(2025, 3, 14), QDate(2025, 3, 14)), u"Hoy"_s);                   // ours
    QCOMPARE(ConnectionManager::stateName(ConnectionManager::State::Connected), u"Conectado"_s); // the core's
    QCOMPARE(QLocale().language(), QLocale::Spanish);                                           // dates
    QVERIFY(UiText::day(QDate(2025, 3, 1), QDate(2025, 3, 14)).contains(u"marzo"_s));

    QVERIFY(language.setLanguage(u"en"_s));
    QCOMPARE(UiText::day(QDate(2025, 3, 14), QDate(2025, 3, 14)), u"Today"_s);
    QCOMPARE(ConnectionManager::stateName(ConnectionManager::State::Connected), u"Connected"_s);
    QVERIFY(UiText::day(QDate(2025, 3, 1), QDate(2025, 3, 14)).contains(u"March"_s));

    QVERIFY(!language.setLanguage(u"xx"_s)); // no such catalogue: the language stays
    QCOMPARE(language.language(), u"en"_s);
    QVERIFY(language.setLanguage({}));       // the system's, whatever it is here
    QVERIFY(LanguageManager::available().contains(language.language()));
}

QTEST_GUILESS_MAIN(TestUiTranslations)
#include "tst_uitranslations.moc"
