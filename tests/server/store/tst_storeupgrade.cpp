// Upgrades keep the data: the SQLite database a release wrote (tests/data/upgrade/server-schema2.db, made by
// tertulia-store-fixture from storefixture.h) opens with this release, is migrated to its schema, and has
// everything it had; a database from a newer release is refused with a clear message and left untouched.
#include "server/store/migrations.h"
#include "server/store/sqlitestore.h"
#include "storefixture.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;

namespace {
const QString kFixture = QStringLiteral(UPGRADE_DATA_DIR "/server-schema2.db");

QByteArray digest(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256);
}

/// The fixture copied where the test may change it (writable: QFile::copy keeps the read-only bits of a
/// checkout on some systems).
QString copyFixture(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(u"tertulia.db"_s);
    if (!QFile::copy(kFixture, path))
        return {};
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return path;
}

int recordedVersion(const QString &path)
{
    const QString connection = u"fixture-version"_s;
    int version = -1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        if (db.open())
            version = schemaVersion(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return version;
}
} // namespace

class TestStoreUpgrade : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! The fixture is what its name says: schema version 2, written by the release that had it. */
    void fixtureIsSchema2() { QCOMPARE(recordedVersion(kFixture), 2); }

    /*! Opened by this release: migrated to the last schema, and every user, login, room, member, invitation
        and message is still there, deleted accounts still deleted and their names still taken. */
    void fixtureMigratesAndKeepsEverything()
    {
        QTemporaryDir dir;
        const QString path = copyFixture(dir);
        QVERIFY(!path.isEmpty());
        {
            SqliteStore store(SqliteStore::Options{path});
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));

            QCOMPARE(store.userCount(), 2);
            QVERIFY(store.findUser(u"alice"_s)->isAdmin);
            QCOMPARE(store.findUser(u"alice"_s)->passwordHash, QByteArray("argon2id$fixture-alice"));
            QVERIFY(!store.findUser(u"bob"_s)->isAdmin);
            QVERIFY(!store.findUser(u"carol"_s)); // deleted
            QVERIFY(std::holds_alternative<Protocol::Error>(store.createUser(UserRecord{u"carol"_s, "h", false, 1})));

            const auto alice = store.findLogin(u"login-alice"_s);
            QVERIFY(alice);
            QCOMPARE(alice->user, u"alice"_s);
            QCOMPARE(alice->refreshTokenId, u"jti-a1"_s);
            QCOMPARE(alice->device, u"Tertulia 0.1.0 on fixture (Linux)"_s);
            QCOMPARE(alice->createdAt, 1764000300);
            QCOMPARE(alice->lastUsedAt, 1764000400);
            QVERIFY(!alice->revoked);
            QVERIFY(store.findLogin(u"login-bob"_s)->revoked);

            const auto general = store.findRoom(u"general"_s);
            const auto secret = store.findRoom(u"secret"_s);
            QVERIFY(general && secret);
            QVERIFY(!general->isPrivate);
            QVERIFY(secret->isPrivate);
            QCOMPARE(general->creator, u"alice"_s);
            QCOMPARE(general->lastSeq, 3);
            QCOMPARE(secret->lastSeq, 1);
            QList<QString> members = store.members(general->id);
            std::sort(members.begin(), members.end());
            QCOMPARE(members, (QList<QString>{u"alice"_s, u"bob"_s})); // carol left with her account
            QCOMPARE(store.members(secret->id), QList<QString>{u"alice"_s});
            QVERIFY(store.hasInvite(secret->id, u"bob"_s));

            bool more = true;
            const QList<Protocol::ChatMessage> messages = store.history(*general, {}, {}, 50, &more);
            QVERIFY(!more);
            QCOMPARE(messages.size(), 3);
            QCOMPARE(messages.at(0).text, u"first message"_s);
            QCOMPARE(messages.at(1).text, StoreFixture::kUnicode);
            QCOMPARE(messages.at(1).sender, u"bob"_s);
            QCOMPARE(messages.at(2).sender, u"carol"_s); // a deleted account's messages stay, under its name
            for (int i = 0; i < 3; ++i)
                QCOMPARE(messages.at(i).seq, i + 1);
            QCOMPARE(store.history(*secret, {}, {}, 50, &more).constFirst().text, u"just me"_s);

            // Writing goes on where the old release stopped.
            QVERIFY(StoreFixture::appendNow(store, *general, u"bob"_s, u"m5"_s, u"after the upgrade"_s));
            QCOMPARE(store.history(*general, {}, {}, 50, &more).constLast().seq, 4);
            store.close();
        }
        QCOMPARE(recordedVersion(path), SqliteStore::migrations().back().version);
    }

    /*! A database from a newer release (a schema version above what this one knows) is refused with a
        message that says so, and the file is left exactly as it was. */
    void newerDatabaseRefusedUntouched()
    {
        QTemporaryDir dir;
        const QString path = copyFixture(dir);
        QVERIFY(!path.isEmpty());
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bump"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QVERIFY(QSqlQuery(db).exec(u"UPDATE meta SET value = '99' WHERE key = 'schema_version'"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"bump"_s);
        const QByteArray before = digest(path);
        {
            SqliteStore store(SqliteStore::Options{path});
            QString error;
            QVERIFY(!store.open(&error));
            QVERIFY2(error.contains(u"newer"_s) && error.contains(u"99"_s), qPrintable(error));
        }
        QCOMPARE(digest(path), before);
        QCOMPARE(recordedVersion(path), 99);
    }
};

QTEST_GUILESS_MAIN(TestStoreUpgrade)
#include "tst_storeupgrade.moc"
