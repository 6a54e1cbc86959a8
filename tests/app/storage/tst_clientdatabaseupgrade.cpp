// Upgrades keep the app's own data: the client database Tertulia 0.1.0 wrote (tests/data/upgrade/
// client-schema0.db: its statements, before schema versions were kept) opens, migrates to the current
// schema and still has every unsent message and read marker; a file from a newer Tertulia is refused with a
// message that says so, and left byte for byte as it was.
#include "app/storage/clientdatabase.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;

namespace {
const QString kFixture = QStringLiteral(UPGRADE_DATA_DIR "/client-schema0.db");
const QString kAlice = u"https://chat.example.org:7420/alice"_s;
const QString kBob = u"lan:192.168.1.20:7420/bob"_s;

QString copyFixture(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(u"client.sqlite"_s);
    if (!QFile::copy(kFixture, path))
        return {};
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return path;
}

QByteArray digest(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256)
                                          : QByteArray();
}
} // namespace

class TestClientDatabaseUpgrade : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! The 0.1.0 file migrates to the current schema with every outbox row (order, failures and their
        errors) and every read marker of every account. */
    void releasedFileMigratesAndKeepsEverything()
    {
        QTemporaryDir dir;
        const QString path = copyFixture(dir);
        QVERIFY(!path.isEmpty());
        QString error;
        auto database = ClientDatabase::open(path, &error);
        QVERIFY2(database, qPrintable(error));
        QCOMPARE(database->schemaVersion(), ClientDatabase::kSchemaVersion);

        const QList<ClientDatabase::OutboxRow> alice = database->outbox(kAlice);
        QCOMPARE(alice.size(), 3);
        QCOMPARE(alice.at(0), (ClientDatabase::OutboxRow{u"c1"_s, u"general"_s, u"not sent yet"_s, 1764000000000, false, {}, {}}));
        QCOMPARE(alice.at(1).text, u"¡Hola! 🎉"_s);
        QCOMPARE(alice.at(2), (ClientDatabase::OutboxRow{u"c3"_s, u"secret"_s, u"refused"_s, 1764000002000, true,
                                                         u"forbidden"_s, u"you are not a member of secret"_s}));
        QCOMPARE(database->outbox(kBob).size(), 1);
        const QHash<QString, qint64> markers = database->readMarkers(kAlice);
        QCOMPARE(markers.value(u"general"_s), 42);
        QCOMPARE(markers.value(u"secret"_s), 7);
        QCOMPARE(database->readMarkers(kBob).value(u"plans"_s), 3);

        // It goes on working, and opens again at the same version without another migration.
        QVERIFY(database->addOutbox(kAlice, {u"c4"_s, u"general"_s, u"after the upgrade"_s, 1764000009000, false, {}, {}}));
        database.reset();
        auto again = ClientDatabase::open(path, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->outbox(kAlice).size(), 4);
    }

    /*! A file whose schema is newer than this Tertulia knows is refused (the error names both versions) and
        not changed at all. */
    void newerFileRefusedUntouched()
    {
        QTemporaryDir dir;
        const QString path = copyFixture(dir);
        QVERIFY(!path.isEmpty());
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bump"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QVERIFY(QSqlQuery(db).exec(u"PRAGMA user_version = %1"_s.arg(ClientDatabase::kSchemaVersion + 5)));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"bump"_s);
        const QByteArray before = digest(path);
        QString error;
        QVERIFY(!ClientDatabase::open(path, &error));
        QVERIFY2(error.contains(u"newer Tertulia"_s) && error.contains(QString::number(ClientDatabase::kSchemaVersion + 5)),
                 qPrintable(error));
        QCOMPARE(digest(path), before);
    }
};

QTEST_GUILESS_MAIN(TestClientDatabaseUpgrade)
#include "tst_clientdatabaseupgrade.moc"
