// The client's SQLite file: read markers and drafts per account and room, and two instances on one file.
#include "app/storage/clientdatabase.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

class TestClientDatabase : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    /*! Read markers are kept per account and room, overwritten in place, and survive reopening. */
    void readMarkers();
    /*! Drafts are kept per account and room, replaced in place, removed when emptied, and survive reopening. */
    void drafts();
    /*! Muted rooms are kept per account (server and user), muting twice is one row, unmuting removes it,
     *  and they survive reopening. */
    void mutedRooms();
    /*! Writes run on a writer thread, not the caller's; a read sees every write asked for before it
     *  (also another instance's), and closing waits until they are on disk. */
    void writesOffTheCallingThread();
    /*! An unusable path is reported, not crashed on. */
    void unusablePath();
};

void TestClientDatabase::readMarkers()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"client.sqlite"_s);
    {
        auto first = ClientDatabase::open(path);
        auto second = ClientDatabase::open(path); // another client in the same profile
        QVERIFY(first && second);
        QVERIFY(first->setReadMarker(u"h:1/alice"_s, u"general"_s, 10));
        QVERIFY(first->setReadMarker(u"h:1/alice"_s, u"general"_s, 12));
        QVERIFY(second->setReadMarker(u"h:1/bob"_s, u"general"_s, 3));
        QCOMPARE(second->readMarkers(u"h:1/alice"_s).value(u"general"_s), 12);
    }
    auto reopened = ClientDatabase::open(path);
    QVERIFY(reopened);
    const auto alice = reopened->readMarkers(u"h:1/alice"_s);
    QCOMPARE(alice.size(), 1);
    QCOMPARE(alice.value(u"general"_s), 12);
    QCOMPARE(reopened->readMarkers(u"h:1/bob"_s).value(u"general"_s), 3);
}

void TestClientDatabase::drafts()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"client.sqlite"_s);
    {
        auto database = ClientDatabase::open(path);
        QVERIFY(database);
        QVERIFY(database->setDraft(u"h:1/alice"_s, u"general"_s, u"first try"_s));
        QVERIFY(database->setDraft(u"h:1/alice"_s, u"general"_s, u"hola\nbob"_s));
        QVERIFY(database->setDraft(u"h:1/alice"_s, u"plans"_s, u"secret"_s));
        QVERIFY(database->setDraft(u"h:1/bob"_s, u"general"_s, u"bob's"_s));
        QVERIFY(database->setDraft(u"h:1/alice"_s, u"plans"_s, QString())); // sent: no draft any more
    }
    auto reopened = ClientDatabase::open(path);
    QVERIFY(reopened);
    const auto alice = reopened->drafts(u"h:1/alice"_s);
    QCOMPARE(alice.size(), 1);
    QCOMPARE(alice.value(u"general"_s), u"hola\nbob"_s);
    QCOMPARE(reopened->drafts(u"h:1/bob"_s).value(u"general"_s), u"bob's"_s);
}

void TestClientDatabase::mutedRooms()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"client.sqlite"_s);
    {
        auto database = ClientDatabase::open(path);
        QVERIFY(database);
        QVERIFY(database->mutedRooms(u"h:1/alice"_s).isEmpty());
        QVERIFY(database->setRoomMuted(u"h:1/alice"_s, u"general"_s, true));
        QVERIFY(database->setRoomMuted(u"h:1/alice"_s, u"general"_s, true));
        QVERIFY(database->setRoomMuted(u"h:1/alice"_s, u"plans"_s, true));
        QVERIFY(database->setRoomMuted(u"h:2/alice"_s, u"random"_s, true)); // the same name on another server
        QVERIFY(database->setRoomMuted(u"h:1/alice"_s, u"plans"_s, false));
    }
    auto reopened = ClientDatabase::open(path);
    QVERIFY(reopened);
    QCOMPARE(reopened->mutedRooms(u"h:1/alice"_s), QSet<QString>{u"general"_s});
    QCOMPARE(reopened->mutedRooms(u"h:2/alice"_s), QSet<QString>{u"random"_s});
    QVERIFY(reopened->mutedRooms(u"h:1/bob"_s).isEmpty());
}

void TestClientDatabase::writesOffTheCallingThread()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"client.sqlite"_s);
    QVERIFY(!ClientDatabase::writerThread()); // nothing open, no thread
    {
        auto writer = ClientDatabase::open(path);
        auto reader = ClientDatabase::open(path);
        QVERIFY(writer && reader);
        QThread *thread = ClientDatabase::writerThread();
        QVERIFY(thread && thread != QThread::currentThread() && thread->isRunning());
        for (int seq = 1; seq <= 200; ++seq)
            QVERIFY(writer->setReadMarker(u"h:1/alice"_s, u"general"_s, seq));
        QVERIFY(writer->setDraft(u"h:1/alice"_s, u"general"_s, u"last words"_s));
        QCOMPARE(reader->readMarkers(u"h:1/alice"_s).value(u"general"_s), 200);
        QVERIFY(writer->setDraft(u"h:1/alice"_s, u"general"_s, u"later words"_s));
    }
    QVERIFY(!ClientDatabase::writerThread()); // the last one closed: the thread is gone
    // Written before the close returned: a plain connection finds it.
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery query(db);
        QVERIFY(query.exec(u"SELECT text FROM drafts"_s) && query.next());
        QCOMPARE(query.value(0).toString(), u"later words"_s);
    }
    QSqlDatabase::removeDatabase(u"check"_s);
}

void TestClientDatabase::unusablePath()
{
    QTemporaryDir dir;
    QFile blocker(dir.filePath(u"file"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    QString error;
    // A directory where a file is expected: SQLite cannot open it.
    QVERIFY(!ClientDatabase::open(dir.path(), &error));
    QVERIFY(!error.isEmpty());
}

QTEST_GUILESS_MAIN(TestClientDatabase)
#include "tst_clientdatabase.moc"
