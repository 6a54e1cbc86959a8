// The in-memory CredentialStore keeps the same contract as the keychain one: asynchronous answers,
// NotFound for unknown keys, and Unavailable when it pretends there is no keychain.
#include "app/net/serveraddress.h"
#include "app/storage/memorycredentialstore.h"
#include "credentialstorechecks.h"

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;

class TestMemoryCredentialStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Write, read, overwrite, delete, never synchronously. */
    void roundTrip();
    /*! A destroyed context is never called back. */
    void deadContext();
    /*! Unavailable: every call says so and nothing is kept. */
    void unavailable();
    /*! Keys are tertulia/<server id>/<canonical user>. */
    void keys();
};

void TestMemoryCredentialStore::roundTrip()
{
    MemoryCredentialStore store;
    checkRoundTrip(store, u"tertulia/h:1/alice"_s, u"tertulia/h:1/bob"_s);
    QCOMPARE(store.size(), 0);
}

void TestMemoryCredentialStore::deadContext()
{
    MemoryCredentialStore store;
    checkDeadContextIsNotCalled(store, u"k"_s);
}

void TestMemoryCredentialStore::unavailable()
{
    MemoryCredentialStore store;
    store.setAvailable(false);
    for (int op = 0; op < 3; ++op) {
        const auto result = await([&](QObject *c, auto done) {
            if (op == 0)
                store.write(u"k"_s, u"v"_s, c, done);
            else if (op == 1)
                store.read(u"k"_s, c, done);
            else
                store.remove(u"k"_s, c, done);
        });
        QVERIFY(result);
        QCOMPARE(result->error, CredentialStore::Error::Unavailable);
    }
    QCOMPARE(store.size(), 0);
    QVERIFY(!CredentialStore::describe(CredentialStore::Error::Unavailable).isEmpty());
}

void TestMemoryCredentialStore::keys()
{
    QCOMPARE(CredentialStore::keyFor(ServerAddress(u"Chat.Example.org"_s, 7420, false), u"Alice"_s),
             u"tertulia/chat.example.org:7420/alice"_s);
    QCOMPARE(CredentialStore::keyFor(ServerAddress(u"::1"_s, 443, true), u"bob"_s),
             u"tertulia/https://[::1]:443/bob"_s);
}

QTEST_GUILESS_MAIN(TestMemoryCredentialStore)
#include "tst_memorycredentialstore.moc"
