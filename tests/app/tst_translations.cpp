// Translations of the client core: the Spanish .ts is complete and keeps every placeholder, and
// the compiled catalogue travels inside the library, so state names and errors come out in Spanish.
#include "app/net/autherror.h"
#include "app/net/transport.h"
#include "app/session/connectionmanager.h"
#include "app/storage/credentialstore.h"

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtCore/QTranslator>
#include <QtCore/QXmlStreamReader>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Every message is translated (none unfinished or empty) with the same %1…%n placeholders. */
    void spanishIsComplete();
    /*! The .qm is embedded in tertulia_client; loading it turns state names and errors Spanish. */
    void embeddedCatalogueTranslates();
};

void TestTranslations::spanishIsComplete()
{
    QFile file(QStringLiteral(TS_FILE));
    QVERIFY2(file.open(QIODevice::ReadOnly), TS_FILE);
    QXmlStreamReader xml(&file);
    static const QRegularExpression placeholder(u"%\\d+"_s);
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
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString() + u" at line "_s + QString::number(xml.lineNumber())));
    QVERIFY2(messages >= 60, qPrintable(QString::number(messages)));
}

void TestTranslations::embeddedCatalogueTranslates()
{
    QTranslator spanish;
    QVERIFY(spanish.load(u":/i18n/tertulia_es.qm"_s));
    QVERIFY(QCoreApplication::installTranslator(&spanish));
    QCOMPARE(ConnectionManager::stateName(ConnectionManager::State::Connected), u"Conectado"_s);
    QCOMPARE(ConnectionManager::stateName(ConnectionManager::State::Reconnecting), u"Reconectando"_s);
    QCOMPARE((AuthError{AuthError::Code::WrongCredentials, {}}.message()), u"Nombre de usuario o contraseña incorrectos."_s);
    QCOMPARE((AuthError{AuthError::Code::InvalidPassword, {}}.message()), u"La contraseña debe tener de 8 a 1024 caracteres."_s);
    DisconnectInfo lost;
    lost.errorString = u"Connection refused"_s;
    QCOMPARE(lost.describe(), u"Conexión perdida: Connection refused"_s);
    // Every state and failure has its own Spanish text.
    QSet<QString> names;
    for (int state = 0; state <= int(ConnectionManager::State::Failed); ++state) {
        const QString name = ConnectionManager::stateName(ConnectionManager::State(state));
        QVERIFY(!name.isEmpty());
        names.insert(name);
    }
    QCOMPARE(names.size(), int(ConnectionManager::State::Failed) + 1);
    QVERIFY(CredentialStore::describe(CredentialStore::Error::Unavailable).startsWith(u"No hay ningún llavero"_s));
    QCoreApplication::removeTranslator(&spanish);
    QCOMPARE(ConnectionManager::stateName(ConnectionManager::State::Connected), u"Connected"_s);
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
