// The window's Spanish catalogue: complete, with the same placeholders and one mnemonic wherever the
// English has one, and switching languages at run time installs and removes every catalogue.
#include "app/session/connectionmanager.h"
#include "app/support/tsfile.h"
#include "app/ui/languagemanager.h"
#include "app/ui/uitext.h"

#include <QtCore/QRegularExpression>
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
    /*! A reason becomes a sentence with one full stop, whether or not it came with one. */
    void sentences();
};

void TestUiTranslations::spanishIsComplete()
{
    static const QRegularExpression mnemonic(u"&(?!&)"_s);
    QString error;
    const auto messages = TsFile::read(QStringLiteral(TS_FILE), &error);
    QVERIFY2(messages, qPrintable(error));
    for (const TsFile::Message &message : *messages) {
        QVERIFY2(message.finished, qPrintable(u"untranslated: "_s + message.source));
        QVERIFY2(TsFile::placeholders(message.source) == TsFile::placeholders(message.translation),
                 qPrintable(u"placeholders differ: "_s + message.source));
        // Rich text (the About box) has entities, not mnemonics.
        if (!message.source.startsWith(u'<'))
            QVERIFY2(message.source.count(mnemonic) == message.translation.count(mnemonic),
                     qPrintable(u"mnemonics differ: "_s + message.source));
    }
    QVERIFY2(messages->size() >= 250, qPrintable(QString::number(messages->size())));
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

void TestUiTranslations::sentences()
{
    QCOMPARE(UiText::sentence(u"Last connection: Connection lost: The server cannot be reached."_s),
             u"Last connection: Connection lost: The server cannot be reached."_s);
    QCOMPARE(UiText::sentence(u"Last connection: the server closed the connection"_s),
             u"Last connection: the server closed the connection."_s);
    QCOMPARE(UiText::sentence(u"¿Sigue ahí?"_s), u"¿Sigue ahí?"_s);
    QCOMPARE(UiText::sentence(u"Esperando…"_s), u"Esperando…"_s);
    QCOMPARE(UiText::sentence(QString()), QString());
}

QTEST_GUILESS_MAIN(TestUiTranslations)
#include "tst_uitranslations.moc"
