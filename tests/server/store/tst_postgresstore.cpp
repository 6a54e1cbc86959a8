// What only the PostgreSQL store does: URLs, and several writers (nodes) on one database at once, each
// on its own thread and connection: per-room sequence numbers stay gapless, global positions follow commit
// order without holes, and a retry stored by one node is a duplicate for the others.
#include "server/store/postgresstore.h"
#include "server/store/sqlstatement.h"
#include "support/pgtestcluster.h"
#include "support/printers.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QThread>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>
#include <QtTest/QTest>

#include <atomic>
#include <limits>

using namespace Qt::StringLiterals;

using namespace Tertulia;

namespace {
/// One writer node: its own thread, its own store and connection, appending `count` messages as fast as the
/// store takes them (group commit batches whatever arrived in one pass of that thread's loop).
class Writer : public QThread
{
public:
    Writer(const PostgresAddress &address, QList<RoomRecord> rooms, QString sender, int count)
        : m_address(address), m_rooms(std::move(rooms)), m_sender(std::move(sender)), m_count(count)
    {
    }
    QList<AppendResult> results;
    QString error;

protected:
    void run() override
    {
        PostgresStore store(PostgresStore::Options::at(m_address, 16));
        if (!store.open(&error))
            return;
        int pending = m_count;
        for (int i = 0; i < m_count; ++i) {
            const RoomRecord &room = m_rooms.at(i % m_rooms.size());
            store.append(AppendRequest{room, m_sender, u"%1-%2"_s.arg(m_sender).arg(i), u"m%1"_s.arg(i)},
                         [this, &pending](const StoreResult<AppendResult> &result) {
                             if (const auto *ok = std::get_if<AppendResult>(&result))
                                 results.append(*ok);
                             else
                                 error = std::get<Protocol::Error>(result).message;
                             if (--pending == 0)
                                 quit();
                         });
            if (i % 7 == 6)
                store.flush(); // batches of different sizes interleave with the other writers'
        }
        exec();
        store.close();
    }

private:
    PostgresAddress m_address;
    QList<RoomRecord> m_rooms;
    QString m_sender;
    int m_count;
};
} // namespace

class TestPostgresStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Test::PgTestCluster> m_pg;

    PostgresAddress address(const QString &url)
    {
        QString error;
        const auto parsed = PostgresAddress::fromUrl(url, &error);
        if (!parsed)
            qWarning() << error;
        return parsed.value_or(PostgresAddress{});
    }

    qint64 scalar(PostgresStore &, const QString &database, const QString &sql)
    {
        const QString name = u"scalar"_s;
        qint64 value = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
            m_pg->address(database).applyTo(db);
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(sql) && q.next())
                    value = q.value(0).toLongLong();
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return value;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (Test::PgTestCluster::binDir().isEmpty() && !Test::PgTestCluster::required())
            QSKIP("PostgreSQL is not installed (Debian: postgresql, libqt6sql6-psql)");
        m_pg = std::make_unique<Test::PgTestCluster>();
        QVERIFY2(m_pg->start(), qPrintable(m_pg->errorString()));
    }

    /*! A statement with values is sent once, not as PREPARE, EXECUTE and DEALLOCATE (SqlStatement), and the
        values arrive exactly as given whatever they hold, on a database that reads backslashes in strings as
        escapes as well as on one that does not. */
    void statementsAreSentOnce_data()
    {
        QTest::addColumn<bool>("backslashEscapes");
        QTest::newRow("standard strings") << false;
        QTest::newRow("backslash escapes") << true;
    }
    void statementsAreSentOnce()
    {
        QFETCH(bool, backslashEscapes);
        const QString database = backslashEscapes ? u"statements_escapes"_s : u"statements"_s;
        QVERIFY(!m_pg->createDatabase(database).isEmpty());
        const auto connect = [&](const QString &name) {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
            m_pg->address(database).applyTo(db);
            return db;
        };
        if (backslashEscapes) {
            QSqlDatabase admin = connect(u"statements-admin"_s);
            QVERIFY2(admin.open(), qPrintable(admin.lastError().text()));
            QSqlQuery alter(admin);
            QVERIFY2(alter.exec(u"ALTER DATABASE %1 SET standard_conforming_strings = off"_s.arg(database)),
                     qPrintable(alter.lastError().text()));
            admin.close();
        }
        const QString hostile = u"it's a '?' -- \\' \\\\ \"x\" $1 ?; DROP TABLE t; \u00f1 \U0001F642 E'\\x41'"_s;
        const QByteArray bytes("\0\x01'\\?\xff", 6);
        {
            QSqlDatabase db = connect(u"statements"_s);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QSqlQuery q(db);
            // What the statement itself sees: no prepared statement of this connection.
            QVERIFY(SqlStatement::execute(q, u"SELECT count(*) FROM pg_prepared_statements WHERE ? > 0"_s, {1}));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toLongLong(), 0);
            QVERIFY(SqlStatement::execute(q, u"SHOW standard_conforming_strings"_s, {}));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), backslashEscapes ? u"off"_s : u"on"_s);
            // Each value comes back as it went in; a `?` in the SQL's quotes or comments is not a placeholder.
            QVERIFY2(SqlStatement::execute(q,
                                           u"SELECT ?::text, ?::bytea, ?::bigint, ?::bigint, ?::boolean, ?::text IS NULL,"
                                           " '?''?', \"?column\" FROM (SELECT 1 AS \"?column\") t -- ?\n"_s,
                                           {hostile, bytes, std::numeric_limits<qint64>::min(),
                                            std::numeric_limits<qint64>::max(), true, QString()}),
                     qPrintable(q.lastError().text()));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), hostile);
            QCOMPARE(q.value(1).toByteArray(), bytes);
            QCOMPARE(q.value(2).toLongLong(), std::numeric_limits<qint64>::min());
            QCOMPARE(q.value(3).toLongLong(), std::numeric_limits<qint64>::max());
            QCOMPARE(q.value(4).toBool(), true);
            QCOMPARE(q.value(5).toBool(), true);
            QCOMPARE(q.value(6).toString(), u"?'?"_s);
            QCOMPARE(q.value(7).toInt(), 1);
            // A negative number after a minus sign is a number, not the start of a comment.
            QVERIFY(SqlStatement::execute(q, u"SELECT 1-?, 2 AS two"_s, {-5}));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toLongLong(), 6);
            QCOMPARE(q.value(1).toInt(), 2);
            // A statement whose placeholders and values differ in number is not sent.
            QString error;
            QVERIFY(SqlStatement::inlined(*db.driver(), u"SELECT ?, ?"_s, {1}, &error).isNull());
            QVERIFY(error.contains(u"2 placeholders for 1 values"_s));
            QVERIFY(SqlStatement::inlined(*db.driver(), u"SELECT ?"_s, {1, 2}).isNull());
            QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(u"statement not sent"_s));
            QVERIFY(!SqlStatement::execute(q, u"SELECT ?"_s, {1, 2}));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"statements"_s);
        QSqlDatabase::removeDatabase(u"statements-admin"_s);
    }

    void urls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("options");
        QTest::newRow("full") << u"postgresql://ana:pw@db.example:5433/chat?sslmode=require"_s << true
                              << u"db.example"_s << 5433 << u"chat"_s << u"ana"_s << u"sslmode=require"_s;
        QTest::newRow("short scheme") << u"postgres://db/chat"_s << true << u"db"_s << 5432 << u"chat"_s << QString()
                                      << QString();
        QTest::newRow("socket") << u"postgresql:///chat?host=/run/postgresql&port=5999&user=t"_s << true
                                << u"/run/postgresql"_s << 5999 << u"chat"_s << u"t"_s << QString();
        QTest::newRow("two options") << u"postgresql://h/d?application_name=n1&connect_timeout=3"_s << true << u"h"_s
                                     << 5432 << u"d"_s << QString() << u"application_name=n1;connect_timeout=3"_s;
        QTest::newRow("no database") << u"postgresql://h/"_s << false << QString() << 0 << QString() << QString()
                                     << QString();
        QTest::newRow("wrong scheme") << u"mysql://h/d"_s << false << QString() << 0 << QString() << QString()
                                      << QString();
        QTest::newRow("bad port") << u"postgresql:///d?host=/x&port=99999"_s << false << QString() << 0 << QString()
                                  << QString() << QString();
        QTest::newRow("not a url") << u"chat"_s << false << QString() << 0 << QString() << QString() << QString();
    }
    void urls()
    {
        QFETCH(QString, url);
        QFETCH(bool, valid);
        QString error;
        const auto parsed = PostgresAddress::fromUrl(url, &error);
        QCOMPARE(parsed.has_value(), valid);
        if (!valid) {
            QVERIFY(!error.isEmpty());
            return;
        }
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, database);
        QFETCH(QString, user);
        QFETCH(QString, options);
        QCOMPARE(parsed->host, host);
        QCOMPARE(parsed->port, port);
        QCOMPARE(parsed->database, database);
        QCOMPARE(parsed->user, user);
        QCOMPARE(parsed->options, options);
        QVERIFY(!parsed->displayUrl().contains(u"pw"_s));
    }

    /*! Three writers on three connections, two rooms, interleaved batches: every room's seqs are 1..n without
        a hole or a repeat, every message has its own global position, positions are 1..N, and the rooms'
        last_seq equals their count. */
    void concurrentWriters()
    {
        const QString url = m_pg->createDatabase(u"writers"_s);
        QVERIFY(!url.isEmpty());
        PostgresStore setup(PostgresStore::Options::at(address(url)));
        QString error;
        QVERIFY2(setup.open(&error), qPrintable(error));
        const auto a = std::get<RoomRecord>(setup.createRoom(RoomRecord{0, u"a"_s, false, u"x"_s, 0, 1}));
        const auto b = std::get<RoomRecord>(setup.createRoom(RoomRecord{0, u"b"_s, false, u"x"_s, 0, 1}));

        constexpr int kPerWriter = 400;
        std::vector<std::unique_ptr<Writer>> writers;
        for (const QString &name : {u"n1"_s, u"n2"_s, u"n3"_s})
            writers.push_back(std::make_unique<Writer>(address(url), QList<RoomRecord>{a, b}, name, kPerWriter));
        for (auto &writer : writers)
            writer->start();
        for (auto &writer : writers)
            QVERIFY(writer->wait(120000));
        QMap<QString, QList<qint64>> seqs;
        for (auto &writer : writers) {
            QVERIFY2(writer->error.isEmpty(), qPrintable(writer->error));
            QCOMPARE(writer->results.size(), kPerWriter);
            for (const AppendResult &r : writer->results) {
                QVERIFY(!r.duplicate);
                seqs[r.message.room].append(r.message.seq);
            }
        }
        for (const QString &room : {u"a"_s, u"b"_s}) {
            QList<qint64> list = seqs.value(room);
            std::sort(list.begin(), list.end());
            QCOMPARE(list.size(), 3 * kPerWriter / 2);
            for (qsizetype i = 0; i < list.size(); ++i)
                QCOMPARE(list.at(i), i + 1);
            QCOMPARE(setup.findRoom(room)->lastSeq, list.size());
        }
        const QString db = u"writers"_s;
        QCOMPARE(scalar(setup, db, u"SELECT COUNT(*) FROM messages"_s), 3 * kPerWriter);
        QCOMPARE(scalar(setup, db, u"SELECT COUNT(DISTINCT gpos) FROM messages"_s), 3 * kPerWriter);
        QCOMPARE(scalar(setup, db, u"SELECT MAX(gpos) FROM messages"_s), 3 * kPerWriter);
        QCOMPARE(scalar(setup, db, u"SELECT gpos FROM positions"_s), 3 * kPerWriter);
        // Within a room, global positions grow with seqs: commit order is the order everyone delivers in.
        QCOMPARE(scalar(setup, db, u"SELECT COUNT(*) FROM messages m1 JOIN messages m2 ON m1.room_id = m2.room_id"
                                   " AND m1.seq < m2.seq AND m1.gpos > m2.gpos"_s),
                 0);
    }

    /*! A message first stored through one node and retried through another (its client failed over) is a
        duplicate there: same seq, nothing new stored. */
    void retryOnAnotherNode()
    {
        const QString url = m_pg->createDatabase(u"retry"_s);
        PostgresStore n1(PostgresStore::Options::at(address(url))), n2(PostgresStore::Options::at(address(url)));
        QString error;
        QVERIFY2(n1.open(&error), qPrintable(error));
        QVERIFY2(n2.open(&error), qPrintable(error));
        const auto room = std::get<RoomRecord>(n1.createRoom(RoomRecord{0, u"r"_s, false, u"x"_s, 0, 1}));
        std::optional<AppendResult> first, again;
        n1.append(AppendRequest{room, u"ana"_s, u"c1"_s, u"hola"_s},
                  [&](const auto &r) { first = std::get<AppendResult>(r); });
        n1.flush();
        n2.append(AppendRequest{room, u"ANA"_s, u"c1"_s, u"hola"_s},
                  [&](const auto &r) { again = std::get<AppendResult>(r); });
        n2.flush();
        QVERIFY(first && again);
        QVERIFY(!first->duplicate);
        QVERIFY(again->duplicate);
        QCOMPARE(again->message, first->message);
        bool more = false;
        QCOMPARE(n2.history(room, std::nullopt, std::nullopt, 10, &more).size(), 1);
        QCOMPARE(n2.findRoom(u"r"_s)->lastSeq, 1);
    }

    /*! An edit and a delete made on one node have global positions like messages: another node reads them
        from the log (messagesAfter, the cluster's delivery path) with their kind and target. */
    void editsTravelByPosition()
    {
        const QString url = m_pg->createDatabase(u"edits"_s);
        PostgresStore n1(PostgresStore::Options::at(address(url))), n2(PostgresStore::Options::at(address(url)));
        QString error;
        QVERIFY2(n1.open(&error), qPrintable(error));
        QVERIFY2(n2.open(&error), qPrintable(error));
        const auto room = std::get<RoomRecord>(n1.createRoom(RoomRecord{0, u"r"_s, false, u"x"_s, 0, 1}));
        const qint64 start = n2.lastPosition();
        std::optional<AppendResult> sent, edited, deleted;
        n1.append(AppendRequest{room, u"ana"_s, u"c1"_s, u"hola"_s}, [&](const auto &r) { sent = std::get<AppendResult>(r); });
        n1.append(AppendRequest{room, u"ana"_s, u"c2"_s, u"adiós"_s}, [&](const auto &r) { std::get<AppendResult>(r); });
        n1.amend(AmendRequest{room, u"ana"_s, u"e1"_s, Protocol::MessageKind::Edit, 1, u"hola, editado"_s},
                 [&](const auto &r) { edited = std::get<AppendResult>(r); });
        QTRY_VERIFY(sent && edited); // the answers come from the event loop, after the writer's commits
        // From the other node: its own retry of the deletion is recognised across nodes too.
        n2.amend(AmendRequest{room, u"ana"_s, u"d2"_s, Protocol::MessageKind::Delete, 2, {}},
                 [&](const auto &r) { deleted = std::get<AppendResult>(r); });
        QTRY_VERIFY(deleted);
        QVERIFY(edited->position > sent->position);
        QVERIFY(deleted->position > edited->position);
        QCOMPARE(edited->message.seq, 3);
        QCOMPARE(deleted->message.seq, 4);
        const auto log = n2.messagesAfter(start, 100);
        QVERIFY(log);
        QCOMPARE(log->size(), 4);
        QCOMPARE(log->at(2).position, edited->position);
        QCOMPARE(log->at(2).message.kind, Protocol::MessageKind::Edit);
        QCOMPARE(log->at(2).message.target, 1);
        QCOMPARE(log->at(2).message.text, u"hola, editado"_s);
        QCOMPARE(log->at(3).message.kind, Protocol::MessageKind::Delete);
        QCOMPARE(log->at(3).message.target, 2);
        QVERIFY(log->at(1).message.deleted); // the log shows the target as it is now
        QCOMPARE(n2.seqsAtPosition(edited->position, {room.id})->value(room.id), 3);
        std::optional<AppendResult> again;
        n1.amend(AmendRequest{room, u"ANA"_s, u"d2"_s, Protocol::MessageKind::Delete, 2, {}},
                 [&](const auto &r) { again = std::get<AppendResult>(r); });
        QTRY_VERIFY(again);
        QVERIFY(again->duplicate);
        QCOMPARE(again->message.seq, 4);
        QCOMPARE(n1.lastPosition(), deleted->position);
    }

    /*! readSeqsAtPosition() answers, later and on the caller's thread, what seqsAtPosition() answers (per room
        asked: the last seq at or below the position, 0 for none), and nullopt for a position above every one
        the store gave (an offset never issued). */
    void readSeqsAtPositionAnswersOnTheLoop()
    {
        const QString url = m_pg->createDatabase(u"seqs"_s);
        PostgresStore store(PostgresStore::Options::at(address(url)));
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        const auto a = std::get<RoomRecord>(store.createRoom(RoomRecord{0, u"a"_s, false, u"x"_s, 0, 1}));
        const auto b = std::get<RoomRecord>(store.createRoom(RoomRecord{0, u"b"_s, false, u"x"_s, 0, 1}));
        const auto empty = std::get<RoomRecord>(store.createRoom(RoomRecord{0, u"c"_s, false, u"x"_s, 0, 1}));
        QList<qint64> positions;
        for (int i = 0; i < 4; ++i) {
            store.append(AppendRequest{i % 2 ? b : a, u"ana"_s, u"m%1"_s.arg(i), u"x"_s},
                         [&](const auto &r) { positions.append(std::get<AppendResult>(r).position); });
        }
        QTRY_COMPARE(positions.size(), 4);
        const qint64 at = positions.at(2); // a: seqs 1, 2 at or below; b: seq 1
        std::optional<std::optional<QHash<qint64, qint64>>> answer;
        store.readSeqsAtPosition(at, {a.id, b.id, empty.id}, this, [&](const std::optional<QHash<qint64, qint64>> &seqs) {
            QCOMPARE(QThread::currentThread(), thread());
            answer = seqs;
        });
        QVERIFY(!answer); // never within the call
        QTRY_VERIFY(answer);
        QVERIFY(answer->has_value());
        QCOMPARE(**answer, *store.seqsAtPosition(at, {a.id, b.id, empty.id}));
        QCOMPARE((*answer)->value(a.id), 2);
        QCOMPARE((*answer)->value(b.id), 1);
        QVERIFY((*answer)->contains(empty.id));
        QCOMPARE((*answer)->value(empty.id), 0);

        std::optional<std::optional<QHash<qint64, qint64>>> future;
        store.readSeqsAtPosition(store.lastPosition() + 1, {a.id}, this,
                                 [&](const std::optional<QHash<qint64, qint64>> &seqs) { future = seqs; });
        QTRY_VERIFY(future);
        QVERIFY(!future->has_value());
    }

    /*! Nodes that start together on an empty database migrate it once. */
    void migrationsUnderConcurrency()
    {
        const QString url = m_pg->createDatabase(u"migrate"_s);
        std::atomic<int> opened = 0;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back(QThread::create([&, addr = address(url)] {
                PostgresStore store(PostgresStore::Options::at(addr));
                QString error;
                if (store.open(&error))
                    ++opened;
                else
                    qWarning() << error;
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(60000));
        QCOMPARE(opened.load(), 4);
    }
};

QTEST_GUILESS_MAIN(TestPostgresStore)
#include "tst_postgresstore.moc"
