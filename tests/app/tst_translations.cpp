// Translations of the client core: the Spanish .ts is complete and keeps every placeholder, and
// the compiled catalogue travels inside the library, so state names and errors come out in Spanish.
#include "app/net/autherror.h"
#include "app/net/transport.h"
#include "app/session/connectionmanager.h"
#include "app/storage/credentialstore.h"
#include "app/support/tsfile.h"

#include <QtCore/QTranslator>
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
    QString error;
    const auto messages = TsFile::read(QStringLiteral(TS_FILE), &error);
    QVERIFY2(messages, qPrintable(error));
    for (const TsFile::Message &message : *messages) {
        QVERIFY2(message.finished, qPrintable(u"untranslated: "_s + message.source));
        QVERIFY2(TsFile::placeholders(message.source) == TsFile::placeholders(message.translation),
                 qPrintable(u"placeholders differ: "_s + message.source));
    }
    QVERIFY2(messages->size() >= 60, qPrintable(QString::number(messages->size())));
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
