// What only the SQLite store does: statements prepared once and reused, a corrupt file refused. The Store
// contract itself is tested on every store by tests/server/store/tst_store.cpp.
#include "server/store/sqlitestore.h"
#include "support/printers.h"

#include <QtCore/QTemporaryDir>
#include <QtCore/QSet>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;

class TestSqliteStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    /*! Writes run on statements prepared once and reused: each run binds its own values (none left over from
        the run before), a failed run (a conflict) leaves the statement usable, every write is committed for
        another connection to see, and ids come from the run that made them. */
    void reusedWriteStatements()
    {
        const QString path = m_dir.filePath(u"reused.db"_s);
        SqliteStore store(SqliteStore::Options{path});
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QList<qint64> ids;
        for (int i = 0; i < 3; ++i) {
            ids << std::get<RoomRecord>(store.createRoom(RoomRecord{0, u"room%1"_s.arg(i), false, u"a"_s, 0, 1})).id;
            QVERIFY(std::holds_alternative<Protocol::Error>(
                store.createRoom(RoomRecord{0, u"ROOM%1"_s.arg(i), false, u"bob"_s, 0, 2})));
        }
        QCOMPARE(QSet<qint64>(ids.cbegin(), ids.cend()).size(), 3);
        for (int i = 0; i < 50; ++i)
            QVERIFY(store.addMember(ids[i % 3], u"user%1"_s.arg(i)));
        QVERIFY(store.removeMember(ids[0], u"user0"_s));
        QVERIFY(store.addMember(ids[0], u"user0"_s));
        QVERIFY(std::holds_alternative<UserRecord>(store.createUser(UserRecord{u"a"_s, "h1", false, 1})));
        QVERIFY(std::holds_alternative<Protocol::Error>(store.createUser(UserRecord{u"A"_s, "h2", true, 2})));
        QVERIFY(std::holds_alternative<UserRecord>(store.createUser(UserRecord{u"b"_s, "h3", true, 3})));
        QCOMPARE(store.findUser(u"b"_s)->passwordHash, QByteArray("h3"));
        QVERIFY(store.findUser(u"b"_s)->isAdmin);

        // A second connection to the same file sees every write: nothing is held open uncommitted.
        SqliteStore other(SqliteStore::Options{path});
        QVERIFY2(other.open(&error), qPrintable(error));
        QCOMPARE(other.members(ids[0]).size(), 17);
        QCOMPARE(other.members(ids[1]).size(), 17);
        QCOMPARE(other.members(ids[2]).size(), 16);
        QVERIFY(other.members(ids[0]).contains(u"user0"_s));
        QCOMPARE(other.userCount(), 2);
    }

    /*! A database in memory exists only in the connection that made it: its writer runs on the loop thread,
        on that connection, and answers through the event loop like the writer thread (never within the
        call); flush() commits and answers before it returns; reads see what is committed. */
    void inMemoryWritesOnTheLoop()
    {
        SqliteStore store(SqliteStore::Options{u":memory:"_s});
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        const auto room = std::get<RoomRecord>(store.createRoom(RoomRecord{0, u"r"_s, false, u"a"_s, 0, 1}));
        QVERIFY(store.addMember(room.id, u"a"_s));
        QList<qint64> seqs;
        for (int i = 0; i < 3; ++i)
            store.append(AppendRequest{room, u"a"_s, u"k%1"_s.arg(i), u"t"_s},
                         [&seqs](const StoreResult<AppendResult> &r) { seqs << std::get<AppendResult>(r).message.seq; });
        bool committed = false;
        store.whenCommitted([&committed](bool ok) { committed = ok; });
        QVERIFY(seqs.isEmpty());
        QVERIFY(!committed);
        QTRY_COMPARE(seqs, (QList<qint64>{1, 2, 3})); // the end of the pass hands the batch over
        QVERIFY(committed);
        QCOMPARE(store.members(room.id), QList<QString>{u"a"_s});
        store.append(AppendRequest{room, u"a"_s, u"k9"_s, u"t"_s},
                     [&seqs](const StoreResult<AppendResult> &r) { seqs << std::get<AppendResult>(r).message.seq; });
        store.flush();
        QCOMPARE(seqs.size(), 4);
        QCOMPARE(seqs.last(), 4);
        QCOMPARE(store.findRoom(u"r"_s)->lastSeq, 4);
    }

    /*! An unusable database file is reported, not crashed on. */
    void corruptFile()
    {
        const QString path = m_dir.filePath(u"corrupt.db"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'z'));
        file.close();
        SqliteStore store(SqliteStore::Options{path});
        QString error;
        QVERIFY(!store.open(&error));
        QVERIFY(!error.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSqliteStore)
#include "tst_sqlitestore.moc"
