// The real keychain: stores, reads and deletes a token through QtKeychain and the Secret Service
// (gnome-keyring), with a service name of its own so a developer's real entries are never touched.
// .ci/test runs it inside dbus-run-session with an unlocked keyring; by hand, see NOTES.md.
#include "app/net/serveraddress.h"
#include "app/storage/keychaincredentialstore.h"
#include "credentialstorechecks.h"

#include <QtCore/QUuid>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

class TestKeychainCredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    /*! Write, read, overwrite, delete and read again through the Secret Service. */
    void roundTripThroughSecretService();
    /*! Two users of one server, and one user on two servers, are separate entries. */
    void keysAreSeparate();
    /*! A destroyed context is never called back. */
    void deadContext();

private:
    KeychainCredentialStore m_store{u"tertulia-test-"_s + QUuid::createUuid().toString(QUuid::Id128)};
};

void TestKeychainCredentialStore::initTestCase()
{
    // No skip: a missing keychain is exactly what this test must report. It fails early with the
    // reason instead of timing out in the first job.
    QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
             "no D-Bus session: run inside dbus-run-session with gnome-keyring unlocked (.ci/test does)");
}

void TestKeychainCredentialStore::roundTripThroughSecretService()
{
    const ServerAddress server(u"127.0.0.1"_s, 7420, false);
    checkRoundTrip(m_store, CredentialStore::keyFor(server, u"alice"_s), CredentialStore::keyFor(server, u"bob"_s));
}

void TestKeychainCredentialStore::keysAreSeparate()
{
    const ServerAddress one(u"127.0.0.1"_s, 7420, false);
    const ServerAddress two(u"127.0.0.1"_s, 7421, false);
    const QStringList keys{CredentialStore::keyFor(one, u"alice"_s), CredentialStore::keyFor(one, u"bob"_s),
                           CredentialStore::keyFor(two, u"alice"_s)};
    for (const QString &key : keys) {
        const auto written = await([&](QObject *c, auto done) { m_store.write(key, u"token for "_s + key, c, done); });
        QVERIFY(written && written->ok());
    }
    for (const QString &key : keys) {
        const auto read = await([&](QObject *c, auto done) { m_store.read(key, c, done); });
        QVERIFY(read && read->ok());
        QCOMPARE(read->secret, u"token for "_s + key);
    }
    for (const QString &key : keys) {
        const auto removed = await([&](QObject *c, auto done) { m_store.remove(key, c, done); });
        QVERIFY(removed && removed->ok());
    }
}

void TestKeychainCredentialStore::deadContext() { checkDeadContextIsNotCalled(m_store, u"tertulia/x:1/nobody"_s); }

QTEST_GUILESS_MAIN(TestKeychainCredentialStore)
#include "tst_keychaincredentialstore.moc"
