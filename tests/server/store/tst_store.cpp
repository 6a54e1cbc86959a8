// The Store contract, on every store: accounts, logins, rooms, memberships with group commit, and messages
// with gapless per-room sequence numbers, group commit and idempotent retries. Runs on SQLite, and again on a
// throw-away PostgreSQL cluster with TERTULIA_TEST_STORE=postgres (ctest: tst_store_postgres).
#include "server/store/migrations.h"
#include "server/store/postgresstore.h"
#include "server/store/sqlitestore.h"
#include "support/pgtestcluster.h"
#include "support/printers.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>
#include <QtSql/QSqlQuery>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <functional>
#include <limits>
#include <tuple>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using Protocol::ChatMessage;

class TestStore : public QObject
{
    Q_OBJECT

private:
    const bool m_postgres = qEnvironmentVariable("TERTULIA_TEST_STORE") == u"postgres";
    /// The writer on the loop thread (StoreWriter's loop mode: a SQLite database in memory, the benchmark's
    /// "before"): the same contract (ctest: tst_store_writes_on_loop).
    const bool m_writesOnLoop = qEnvironmentVariable("TERTULIA_TEST_STORE_WRITES") == u"loop";
    QTemporaryDir m_dir;
    std::unique_ptr<Test::PgTestCluster> m_pg;
    QSet<QString> m_databases;
    int m_testNumber = 0;
    std::unique_ptr<Store> m_store;

    /// A store on the database `name` of this test (the same name opens the same database again).
    std::unique_ptr<Store> openStore(const QString &name)
    {
        const QString database = u"t%1_%2"_s.arg(m_testNumber).arg(name);
        std::unique_ptr<Store> store;
        if (m_postgres) {
            if (!m_databases.contains(database)) {
                if (m_pg->createDatabase(database).isEmpty()) {
                    qWarning() << "cannot create" << database << m_pg->errorString();
                    return nullptr;
                }
                m_databases.insert(database);
            }
            QString error;
            const auto address = PostgresAddress::fromUrl(m_pg->url(database), &error);
            if (!address)
                return nullptr;
            PostgresStore::Options options = PostgresStore::Options::at(*address);
            options.writeThread = !m_writesOnLoop;
            store = std::make_unique<PostgresStore>(options);
        } else {
            SqliteStore::Options options{m_dir.filePath(database + u".db"_s)};
            options.writeThread = !m_writesOnLoop;
            store = std::make_unique<SqliteStore>(options);
        }
        QString error;
        if (!store->open(&error)) {
            qWarning() << "cannot open the store:" << error;
            return nullptr;
        }
        return store;
    }

    RoomRecord makeRoom(const QString &name)
    {
        auto created = m_store->createRoom(RoomRecord{0, name, false, u"alice"_s, 0, 1});
        return std::get<RoomRecord>(created);
    }

    /// Appends and waits for the commit.
    StoreResult<AppendResult> appendNow(const RoomRecord &room, const QString &sender, const QString &clientId,
                                        const QString &text)
    {
        std::optional<StoreResult<AppendResult>> result;
        m_store->append(AppendRequest{room, sender, clientId, text}, [&](const auto &r) { result = r; });
        m_store->flush();
        return *result;
    }

    /// Edits or deletes and waits for the commit.
    StoreResult<AppendResult> amendNow(const RoomRecord &room, const QString &sender, const QString &clientId,
                                       Protocol::MessageKind kind, qint64 target, const QString &text = {})
    {
        std::optional<StoreResult<AppendResult>> result;
        m_store->amend(AmendRequest{room, sender, clientId, kind, target, text}, [&](const auto &r) { result = r; });
        QDeadlineTimer deadline(10000);
        while (!result && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        return result.value_or(Protocol::Error{Protocol::ErrorCode::Internal, u"no answer"_s});
    }

    /// Another connection to the test's main database takes what every batch needs first (SQLite: the write
    /// lock; PostgreSQL: the global position row) and holds it until unlockWrites().
    bool lockWrites(const QString &connection)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(m_postgres ? u"QPSQL"_s : u"QSQLITE"_s, connection);
        const QString database = u"t%1_main"_s.arg(m_testNumber);
        if (m_postgres) {
            QString error;
            const auto address = PostgresAddress::fromUrl(m_pg->url(database), &error);
            if (!address)
                return false;
            address->applyTo(db);
        } else {
            db.setDatabaseName(m_dir.filePath(database + u".db"_s));
        }
        if (!db.open()) {
            qWarning() << "cannot open the locker:" << db.lastError().text();
            return false;
        }
        QSqlQuery lock(db);
        // PostgreSQL: should the store commit on the loop, the test would wait for this (and fail), not hang.
        const bool locked = m_postgres ? lock.exec(u"SET idle_in_transaction_session_timeout = '20s'"_s) && db.transaction()
                                             && lock.exec(u"SELECT gpos FROM positions WHERE id = 1 FOR UPDATE"_s)
                                       : lock.exec(u"BEGIN IMMEDIATE"_s);
        if (!locked)
            qWarning() << "cannot lock:" << lock.lastError().text();
        return locked;
    }

    bool unlockWrites(const QString &connection)
    {
        bool unlocked = false;
        {
            QSqlDatabase db = QSqlDatabase::database(connection, false);
            if (m_postgres) {
                unlocked = db.commit();
            } else {
                QSqlQuery unlock(db);
                unlocked = unlock.exec(u"COMMIT"_s);
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
        return unlocked;
    }

    /// Waits until everything written so far is committed (memberships are seen by reads from then on).
    static bool waitCommitted(Store &store)
    {
        std::optional<bool> committed;
        store.whenCommitted([&committed](bool ok) { committed = ok; });
        QDeadlineTimer deadline(10000);
        while (!committed && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        return committed.value_or(false);
    }

    static Protocol::ErrorCode errorOf(const StoreResult<AppendResult> &result)
    {
        const auto *error = std::get_if<Protocol::Error>(&result);
        return error ? error->code : Protocol::ErrorCode::Internal;
    }

    /// Runs `use` on a connection of its own to the test's database `name` (what openStore(name) opens; on
    /// PostgreSQL, created first when it was not yet), as the server's SQL would see it.
    void withDatabase(const QString &name, const std::function<void(QSqlDatabase &)> &use)
    {
        const QString database = u"t%1_%2"_s.arg(m_testNumber).arg(name);
        const QString connection = u"raw-"_s + name;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(m_postgres ? u"QPSQL"_s : u"QSQLITE"_s, connection);
            if (m_postgres) {
                if (!m_databases.contains(database)) {
                    QVERIFY(!m_pg->createDatabase(database).isEmpty());
                    m_databases.insert(database);
                }
                m_pg->address(database).applyTo(db);
            } else {
                db.setDatabaseName(m_dir.filePath(database + u".db"_s));
            }
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            use(db);
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!m_postgres)
            return;
        if (Test::PgTestCluster::binDir().isEmpty() && !Test::PgTestCluster::required())
            QSKIP("PostgreSQL is not installed (Debian: postgresql, libqt6sql6-psql)");
        m_pg = std::make_unique<Test::PgTestCluster>();
        QVERIFY2(m_pg->start(), qPrintable(m_pg->errorString()));
    }
    void init()
    {
        ++m_testNumber;
        m_store = openStore(u"main"_s);
        QVERIFY(m_store);
    }
    void cleanup() { m_store.reset(); }

    void users()
    {
        QVERIFY(!m_store->findUser(u"alice"_s));
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "hash", false, 5})));
        const auto found = m_store->findUser(u"ALICE"_s);
        QVERIFY(found);
        QCOMPARE(found->name, u"Alice"_s);
        QCOMPARE(found->passwordHash, QByteArray("hash"));
        const auto again = m_store->createUser(UserRecord{u"alice"_s, "x", false, 6});
        QCOMPARE(std::get<Protocol::Error>(again).code, Protocol::ErrorCode::Conflict);
        QCOMPARE(m_store->userCount(), 1);
    }

    /*! A login rotates only from its current refresh token id, once. */
    void loginRotation()
    {
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "hash", false, 5})));
        QVERIFY(m_store->createLogin(LoginRecord{u"L1"_s, u"alice"_s, u"r1"_s, false, 100}));
        QVERIFY(m_store->rotateLogin(u"L1"_s, u"r1"_s, u"r2"_s, 200));
        QVERIFY(!m_store->rotateLogin(u"L1"_s, u"r1"_s, u"r3"_s, 300)); // replay of the old one
        QCOMPARE(m_store->findLogin(u"L1"_s)->refreshTokenId, u"r2"_s);
        const QList<LoginRecord> live = m_store->liveLogins(150);
        QCOMPARE(live.size(), 1);
        QCOMPARE(live.first().id, u"L1"_s);
        QCOMPARE(live.first().expiresAt, 200);
        QVERIFY(m_store->revokeLogin(u"L1"_s));
        QVERIFY(!m_store->rotateLogin(u"L1"_s, u"r2"_s, u"r4"_s, 300));
        QVERIFY(m_store->liveLogins(150).isEmpty()); // revoked
    }

    /*! Live logins: unrevoked, unexpired, and of a user that exists (a login outlives nothing of its user). */
    void liveLogins()
    {
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "hash", false, 5})));
        QVERIFY(m_store->createLogin(LoginRecord{u"A1"_s, u"ALICE"_s, u"r1"_s, false, 100}));
        QVERIFY(m_store->createLogin(LoginRecord{u"A2"_s, u"alice"_s, u"r2"_s, false, 300}));
        QVERIFY(m_store->createLogin(LoginRecord{u"G1"_s, u"ghost"_s, u"r3"_s, false, 300}));
        QList<QString> ids;
        for (const LoginRecord &login : m_store->liveLogins(200))
            ids.append(login.id);
        QCOMPARE(ids, QList<QString>{u"A2"_s}); // A1 expired, G1's user does not exist
    }

    /*! A password is replaced only on an account that exists. */
    void passwordHash()
    {
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "old", false, 5})));
        QVERIFY(m_store->setPasswordHash(u"ALICE"_s, "new"));
        QCOMPARE(m_store->findUser(u"alice"_s)->passwordHash, QByteArray("new"));
        QVERIFY(!m_store->setPasswordHash(u"nobody"_s, "x"));
        QVERIFY(!m_store->findUser(u"nobody"_s));
    }

    /*! The administrator flag: set and cleared on an account that exists (any spelling), answering whether it
        changed; NotFound for no account or a deleted one; the last administrator is never demoted (Conflict),
        also when the other administrator was demoted through another connection to the same database. */
    void setAdmin()
    {
        // "changed", "unchanged" or the error's wire name: readable when a comparison fails.
        const auto outcome = [](const StoreResult<bool> &result) {
            if (const auto *error = std::get_if<Protocol::Error>(&result))
                return Protocol::errorCodeName(error->code);
            return std::get<bool>(result) ? u"changed"_s : u"unchanged"_s;
        };
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Root"_s, "h", true, 5})));
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "h", false, 5})));
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"bob"_s, "h", false, 5})));

        // The only administrator: not demoted, and still one.
        QCOMPARE(outcome(m_store->setAdmin(u"root"_s, false)), u"conflict"_s);
        QVERIFY(m_store->findUser(u"root"_s)->isAdmin);
        // Promoted, then again (no change), then the first one may go.
        QCOMPARE(outcome(m_store->setAdmin(u"ALICE"_s, true)), u"changed"_s);
        QVERIFY(m_store->findUser(u"alice"_s)->isAdmin);
        QCOMPARE(outcome(m_store->setAdmin(u"alice"_s, true)), u"unchanged"_s);
        QCOMPARE(outcome(m_store->setAdmin(u"bob"_s, false)), u"unchanged"_s); // a member stays one
        QVERIFY(!m_store->findUser(u"bob"_s)->isAdmin);
        QCOMPARE(outcome(m_store->setAdmin(u"Root"_s, true)), u"unchanged"_s);
        QCOMPARE(outcome(m_store->setAdmin(u"root"_s, false)), u"changed"_s);
        QVERIFY(!m_store->findUser(u"root"_s)->isAdmin);
        QVERIFY(m_store->findUser(u"Alice"_s)->isAdmin);
        QCOMPARE(m_store->findUser(u"alice"_s)->passwordHash, QByteArray("h")); // nothing else changed

        // Through a second store on the same database (another node, another process): it counts what the
        // first committed.
        std::unique_ptr<Store> other = openStore(u"main"_s);
        QVERIFY(other);
        QCOMPARE(outcome(m_store->setAdmin(u"bob"_s, true)), u"changed"_s);
        QCOMPARE(outcome(other->setAdmin(u"alice"_s, false)), u"changed"_s);
        QCOMPARE(outcome(m_store->setAdmin(u"bob"_s, false)), u"conflict"_s);
        QCOMPARE(outcome(other->setAdmin(u"BOB"_s, false)), u"conflict"_s);
        QVERIFY(m_store->findUser(u"bob"_s)->isAdmin);

        // No such account; a deleted one is none either, and demoting a deleted administrator's name is not
        // counted as demoting anyone.
        QCOMPARE(outcome(m_store->setAdmin(u"nobody"_s, true)), u"not_found"_s);
        QVERIFY(!m_store->findUser(u"nobody"_s));
        QCOMPARE(outcome(m_store->setAdmin(u"alice"_s, true)), u"changed"_s);
        QVERIFY(m_store->deleteUser(u"alice"_s, 9));
        QCOMPARE(outcome(m_store->setAdmin(u"alice"_s, true)), u"not_found"_s);
        QCOMPARE(outcome(m_store->setAdmin(u"alice"_s, false)), u"not_found"_s);
        QCOMPARE(outcome(m_store->setAdmin(u"bob"_s, false)), u"conflict"_s); // the deleted one counts not
    }

    /*! Logins carry their device, creation and last-use times; a user's devices are the unrevoked, unexpired
        logins of that user (any spelling), oldest first; a use never moves the time back; revoking all but
        one returns what it revoked and touches nobody else's. */
    void devices()
    {
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "hash", false, 5})));
        QVERIFY(m_store->createLogin(LoginRecord{u"A2"_s, u"alice"_s, u"r"_s, false, 900, u"Tertulia 0.1 on Linux"_s, 20, 25}));
        QVERIFY(m_store->createLogin(LoginRecord{u"A1"_s, u"ALICE"_s, u"r"_s, false, 900, u"curl/8.0"_s, 10, 10}));
        QVERIFY(m_store->createLogin(LoginRecord{u"A3"_s, u"Alice"_s, u"r"_s, false, 100, u"old"_s, 1, 1})); // expired
        QVERIFY(m_store->createLogin(LoginRecord{u"A4"_s, u"alice"_s, u"r"_s, false, 900, u"gone"_s, 30, 30}));
        QVERIFY(m_store->createLogin(LoginRecord{u"B1"_s, u"bob"_s, u"r"_s, false, 900, u"bob's"_s, 5, 5}));
        QVERIFY(m_store->revokeLogin(u"A4"_s));

        const auto found = m_store->findLogin(u"A2"_s);
        QVERIFY(found);
        QCOMPARE(found->device, u"Tertulia 0.1 on Linux"_s);
        QCOMPARE(found->createdAt, 20);
        QCOMPARE(found->lastUsedAt, 25);
        QCOMPARE(found->user, u"alice"_s);

        auto ids = [](const QList<LoginRecord> &logins) {
            QList<QString> result;
            for (const LoginRecord &login : logins)
                result.append(login.id);
            return result;
        };
        const QList<LoginRecord> mine = m_store->loginsOf(u"aLiCe"_s, 200);
        QCOMPARE(ids(mine), (QList<QString>{u"A1"_s, u"A2"_s}));
        QCOMPARE(mine.first().device, u"curl/8.0"_s);
        QCOMPARE(mine.first().expiresAt, 900);
        QVERIFY(!mine.first().revoked);
        QCOMPARE(ids(m_store->loginsOf(u"alice"_s, 50)), (QList<QString>{u"A3"_s, u"A1"_s, u"A2"_s}));
        QVERIFY(m_store->loginsOf(u"nobody"_s, 200).isEmpty());

        QVERIFY(m_store->touchLogin(u"A1"_s, 40));
        QVERIFY(m_store->touchLogin(u"A1"_s, 30)); // older news: ignored
        QCOMPARE(m_store->findLogin(u"A1"_s)->lastUsedAt, 40);

        QList<QString> revoked = std::get<QList<QString>>(m_store->revokeLoginsOf(u"ALICE"_s, u"A2"_s));
        std::sort(revoked.begin(), revoked.end());
        QCOMPARE(revoked, (QList<QString>{u"A1"_s, u"A3"_s})); // A4 was revoked already
        QCOMPARE(ids(m_store->loginsOf(u"alice"_s, 50)), QList<QString>{u"A2"_s});
        QCOMPARE(ids(m_store->loginsOf(u"bob"_s, 50)), QList<QString>{u"B1"_s});
        QCOMPARE(std::get<QList<QString>>(m_store->revokeLoginsOf(u"alice"_s, QString())), QList<QString>{u"A2"_s});
        QVERIFY(m_store->loginsOf(u"alice"_s, 50).isEmpty());
        QVERIFY(std::get<QList<QString>>(m_store->revokeLoginsOf(u"alice"_s, QString())).isEmpty());
        QVERIFY(m_store->findLogin(u"A2"_s)->revoked);
    }

    /*! Deleting an account: the user is gone (not found, not counted, its logins revoked and not live, its
        memberships and invitations gone) but its name stays taken in every spelling, and its messages stay
        under its name. A second delete finds nothing; nobody else is touched. */
    /*! users(): every account that exists, disabled ones included and deleted ones not, in canonical name
        order, a page at a time after a canonical name. */
    void usersArePaged()
    {
        for (const QString &name : {u"Dora"_s, u"bob"_s, u"Carl"_s, u"ana"_s, u"eve"_s})
            QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{name, "hash", false, 5})));
        QVERIFY(std::holds_alternative<bool>(m_store->setDisabled(u"carl"_s, true)));
        QVERIFY(m_store->deleteUser(u"eve"_s, 9));
        const auto names = [](const QList<UserRecord> &users) {
            QStringList list;
            for (const UserRecord &user : users)
                list.append(user.name);
            return list;
        };
        QCOMPARE(names(m_store->users(QString(), 10)), (QStringList{u"ana"_s, u"bob"_s, u"Carl"_s, u"Dora"_s}));
        const QList<UserRecord> first = m_store->users(QString(), 2);
        QCOMPARE(names(first), (QStringList{u"ana"_s, u"bob"_s}));
        const QList<UserRecord> second = m_store->users(u"bob"_s, 2);
        QCOMPARE(names(second), (QStringList{u"Carl"_s, u"Dora"_s}));
        QVERIFY(second.at(0).disabled);
        QVERIFY(!second.at(1).disabled);
        QVERIFY(m_store->users(u"dora"_s, 2).isEmpty());
    }

    void deleteUser()
    {
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "hash", false, 5})));
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"bob"_s, "hash", false, 5})));
        QVERIFY(m_store->createLogin(LoginRecord{u"A1"_s, u"alice"_s, u"r1"_s, false, 900, u"d"_s, 1, 1}));
        QVERIFY(m_store->createLogin(LoginRecord{u"B1"_s, u"bob"_s, u"r2"_s, false, 900, u"d"_s, 1, 1}));
        const RoomRecord room = makeRoom(u"r"_s);
        const RoomRecord other = makeRoom(u"other"_s);
        QVERIFY(m_store->addMember(room.id, u"Alice"_s));
        QVERIFY(m_store->addMember(room.id, u"bob"_s));
        QVERIFY(m_store->addInvite(other.id, u"alice"_s, u"bob"_s));
        QVERIFY(m_store->addInvite(other.id, u"carol"_s, u"alice"_s));
        QVERIFY(!std::get<AppendResult>(appendNow(room, u"Alice"_s, u"m1"_s, u"hola"_s)).duplicate);
        const auto raiseMarker = [this](qint64 roomId, const QString &user) {
            std::optional<StoreResult<qint64>> stored;
            m_store->setReadMarker(roomId, user, 1, [&stored](const StoreResult<qint64> &r) { stored = r; });
            return QTest::qWaitFor([&] { return stored.has_value(); }, 10000) && std::holds_alternative<qint64>(*stored);
        };
        QVERIFY(raiseMarker(room.id, u"alice"_s));
        QVERIFY(raiseMarker(room.id, u"bob"_s));

        QVERIFY(m_store->deleteUser(u"ALICE"_s, 77));
        QVERIFY(!m_store->findUser(u"alice"_s));
        QCOMPARE(m_store->userCount(), 1);
        QCOMPARE(std::get<Protocol::Error>(m_store->createUser(UserRecord{u"alice"_s, "x", false, 9})).code,
                 Protocol::ErrorCode::Conflict);
        QCOMPARE(std::get<Protocol::Error>(m_store->createUser(UserRecord{u"ALICE"_s, "x", false, 9})).code,
                 Protocol::ErrorCode::Conflict);
        QVERIFY(!m_store->setPasswordHash(u"alice"_s, "y"));
        QVERIFY(m_store->findLogin(u"A1"_s)->revoked);
        QVERIFY(!m_store->rotateLogin(u"A1"_s, u"r1"_s, u"r9"_s, 900));
        QList<QString> live;
        for (const LoginRecord &login : m_store->liveLogins(10))
            live.append(login.id);
        QCOMPARE(live, QList<QString>{u"B1"_s});
        QVERIFY(m_store->loginsOf(u"alice"_s, 10).isEmpty());
        QCOMPARE(m_store->members(room.id), QList<QString>{u"bob"_s});
        QVERIFY(!m_store->hasInvite(other.id, u"alice"_s));
        QVERIFY(m_store->hasInvite(other.id, u"carol"_s)); // invitations the user gave stand
        using Markers = QHash<qint64, qint64>;
        QVERIFY(std::get<Markers>(m_store->readMarkers(u"alice"_s)).isEmpty());
        QCOMPARE(std::get<Markers>(m_store->readMarkers(u"bob"_s)).value(room.id), 1);
        bool more = false;
        const QList<ChatMessage> history = m_store->history(room, std::nullopt, std::nullopt, 10, &more);
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.first().sender, u"Alice"_s);
        QCOMPARE(history.first().text, u"hola"_s);

        QVERIFY(!m_store->deleteUser(u"alice"_s, 78));
        QVERIFY(!m_store->deleteUser(u"nobody"_s, 78));
        QVERIFY(m_store->findUser(u"bob"_s));
        QVERIFY(!m_store->findLogin(u"B1"_s)->revoked);
    }

    /*! A database of schema version 1 with an account and a login is brought to the last version when the
        store opens: the login becomes a device of its user (whatever the spelling it was stored with), with
        no label and unknown times, and the account is still there. */
    void upgradeFromVersion1()
    {
        m_store.reset();
        const QString database = u"t%1_v1"_s.arg(m_testNumber);
        const QString userColumn = m_postgres ? u"user_name"_s : u"user"_s;
        {
            const QString connection = u"v1"_s;
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(m_postgres ? u"QPSQL"_s : u"QSQLITE"_s, connection);
                if (m_postgres) {
                    QVERIFY(!m_pg->createDatabase(database).isEmpty());
                    m_databases.insert(database);
                    m_pg->address(database).applyTo(db);
                } else {
                    db.setDatabaseName(m_dir.filePath(database + u".db"_s));
                }
                QVERIFY(db.open());
                const auto all = m_postgres ? PostgresStore::migrations() : SqliteStore::migrations();
                QVERIFY(all.size() >= 2);
                QString error;
                QVERIFY2(applyMigrations(db, all.first(1), {}, &error), qPrintable(error));
                QCOMPARE(schemaVersion(db), 1);
                QSqlQuery q(db);
                QVERIFY(q.exec(u"INSERT INTO users (name, key, password_hash, is_admin, created_at)"
                               " VALUES ('Alice', 'alice', 'hash', %1, 5)"_s.arg(m_postgres ? u"FALSE"_s : u"0"_s)));
                QVERIFY(q.exec(u"INSERT INTO logins (id, %1, refresh_jti, revoked, expires_at)"
                               " VALUES ('L1', 'ALICE', 'r1', %2, 900)"_s.arg(userColumn, m_postgres ? u"FALSE"_s : u"0"_s)));
                db.close();
            }
            QSqlDatabase::removeDatabase(connection);
        }
        auto store = openStore(u"v1"_s);
        QVERIFY(store);
        QCOMPARE(store->findUser(u"alice"_s)->passwordHash, QByteArray("hash"));
        const QList<LoginRecord> devices = store->loginsOf(u"Alice"_s, 100);
        QCOMPARE(devices.size(), 1);
        QCOMPARE(devices.first().id, u"L1"_s);
        QCOMPARE(devices.first().device, QString());
        QCOMPARE(devices.first().createdAt, 0);
        QCOMPARE(std::get<QList<QString>>(store->revokeLoginsOf(u"alice"_s, QString())), QList<QString>{u"L1"_s});
    }

    /*! Roles (issue 13): the creator owns a new room (in the same write as the room); moderators are named and
        unnamed; a transfer makes the new owner the only one and the old one a moderator; a deleted account
        loses its roles. */
    void roomRoles()
    {
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"alice"_s, "h", false, 1})));
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Bob"_s, "h", false, 1})));
        const RoomRecord room = makeRoom(u"roles"_s);
        QCOMPARE(m_store->roomRoles(room.id), (QList<RoomRoleRecord>{{u"alice"_s, RoomRole::Owner}}));
        QVERIFY(m_store->setRoomRole(room.id, u"Bob"_s, RoomRole::Moderator));
        QVERIFY(m_store->setRoomRole(room.id, u"bob"_s, RoomRole::Moderator)); // again: no second row
        QCOMPARE(m_store->roomRoles(room.id),
                 (QList<RoomRoleRecord>{{u"alice"_s, RoomRole::Owner}, {u"Bob"_s, RoomRole::Moderator}}));
        QVERIFY(m_store->setRoomRole(room.id, u"BOB"_s, RoomRole::Member));
        QCOMPARE(m_store->roomRoles(room.id), (QList<RoomRoleRecord>{{u"alice"_s, RoomRole::Owner}}));

        QVERIFY(m_store->transferOwnership(room.id, u"alice"_s, u"Bob"_s));
        QCOMPARE(m_store->roomRoles(room.id),
                 (QList<RoomRoleRecord>{{u"alice"_s, RoomRole::Moderator}, {u"Bob"_s, RoomRole::Owner}}));
        // Another room's roles are its own.
        const RoomRecord other = makeRoom(u"other"_s);
        QCOMPARE(m_store->roomRoles(other.id), (QList<RoomRoleRecord>{{u"alice"_s, RoomRole::Owner}}));

        QVERIFY(m_store->deleteUser(u"bob"_s, 9));
        QCOMPARE(m_store->roomRoles(room.id), (QList<RoomRoleRecord>{{u"alice"_s, RoomRole::Moderator}}));
    }

    /*! Disabled accounts (schema version 5): the flag is stored, reported by findUser(), changes only when it
        differs, and needs an account that exists. */
    /*! Display names (issue 12, schema 13): set, replaced and cleared by any spelling of the user name; only
        accounts that exist; a deleted account's goes with it. */
    void displayNames()
    {
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "h", false, 1})));
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"bob"_s, "h", false, 1})));
        QVERIFY(m_store->displayNames().isEmpty());
        QVERIFY(m_store->setDisplayName(u"ALICE"_s, u"Ana María 王"_s));
        QVERIFY(m_store->setDisplayName(u"bob"_s, u"Roberto"_s));
        QCOMPARE(m_store->displayNames(),
                 (QHash<QString, QString>{{u"alice"_s, u"Ana María 王"_s}, {u"bob"_s, u"Roberto"_s}}));
        QVERIFY(m_store->setDisplayName(u"bob"_s, QString())); // cleared: NULL
        QCOMPARE(m_store->displayNames(), (QHash<QString, QString>{{u"alice"_s, u"Ana María 王"_s}}));
        QVERIFY(!m_store->setDisplayName(u"nobody"_s, u"x"_s));
        QVERIFY(m_store->deleteUser(u"alice"_s, 5));
        QVERIFY(m_store->displayNames().isEmpty());
        QVERIFY(!m_store->setDisplayName(u"alice"_s, u"again"_s));
    }

    /*! Avatar pictures (issue 12, schema 15): set and replaced by any spelling of the user name, read back byte
        for byte, removed (saying whether there was one); only accounts that exist; a deleted account's goes
        with it. */
    void avatars()
    {
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "h", false, 1})));
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"bob"_s, "h", false, 1})));
        QVERIFY(m_store->avatarVersions().isEmpty());
        QVERIFY(!m_store->avatar(u"alice"_s));
        QByteArray bytes("\x89PNG\r\n\x1a\n\0\0binary\xff", 18);
        const AvatarRecord first{u"v1"_s, u"image/png"_s, bytes, 10};
        QVERIFY(m_store->setAvatar(u"ALICE"_s, first));
        QCOMPARE(m_store->avatar(u"alice"_s), std::optional(first));
        const AvatarRecord second{u"v2"_s, u"image/gif"_s, QByteArray("GIF89a\0\0", 8), 20};
        QVERIFY(m_store->setAvatar(u"alice"_s, second));
        QVERIFY(m_store->setAvatar(u"bob"_s, first));
        QCOMPARE(m_store->avatar(u"Alice"_s), std::optional(second));
        QCOMPARE(m_store->avatarVersions(), (QHash<QString, QString>{{u"alice"_s, u"v2"_s}, {u"bob"_s, u"v1"_s}}));
        QCOMPARE(std::get<bool>(m_store->removeAvatar(u"BOB"_s)), true);
        QCOMPARE(std::get<bool>(m_store->removeAvatar(u"bob"_s)), false);
        QVERIFY(!m_store->avatar(u"bob"_s));
        QVERIFY(!m_store->setAvatar(u"nobody"_s, first));
        QVERIFY(!m_store->avatar(u"nobody"_s));
        QVERIFY(m_store->deleteUser(u"alice"_s, 5));
        QVERIFY(!m_store->avatar(u"alice"_s));
        QVERIFY(m_store->avatarVersions().isEmpty());
        QVERIFY(!m_store->setAvatar(u"alice"_s, first));
    }

    void disabledAccounts()
    {
        QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"Alice"_s, "h", false, 1})));
        QVERIFY(!m_store->findUser(u"alice"_s)->disabled);
        QCOMPARE(std::get<bool>(m_store->setDisabled(u"ALICE"_s, true)), true);
        QVERIFY(m_store->findUser(u"alice"_s)->disabled);
        QCOMPARE(std::get<bool>(m_store->setDisabled(u"alice"_s, true)), false);
        QCOMPARE(std::get<bool>(m_store->setDisabled(u"alice"_s, false)), true);
        QVERIFY(!m_store->findUser(u"alice"_s)->disabled);
        QCOMPARE(std::get<Protocol::Error>(m_store->setDisabled(u"nobody"_s, true)).code, Protocol::ErrorCode::NotFound);
        QVERIFY(m_store->deleteUser(u"alice"_s, 5));
        QCOMPARE(std::get<Protocol::Error>(m_store->setDisabled(u"alice"_s, true)).code, Protocol::ErrorCode::NotFound);
    }

    /*! Bans and mutes: one of each kind per user and room (a second replaces the first), lifted one by one,
        with their expiry, author and reason as stored; and they hold only while active. */
    void sanctions()
    {
        const RoomRecord room = makeRoom(u"s"_s);
        const SanctionRecord ban{room.id, u"Carol"_s, SanctionKind::Ban, 0, u"alice"_s, u"spam"_s, 100};
        const SanctionRecord mute{room.id, u"carol"_s, SanctionKind::Mute, 5000, u"bob"_s, QString(), 200};
        QVERIFY(m_store->setSanction(ban));
        QVERIFY(m_store->setSanction(mute));
        QCOMPARE(m_store->sanctions(room.id), (QList<SanctionRecord>{ban, mute}));
        const SanctionRecord longer{room.id, u"CAROL"_s, SanctionKind::Ban, 9000, u"bob"_s, u"again"_s, 300};
        QVERIFY(m_store->setSanction(longer));
        const QList<SanctionRecord> now = m_store->sanctions(room.id);
        QCOMPARE(now.size(), 2);
        QCOMPARE(now.at(0).until, 9000);
        QCOMPARE(now.at(0).by, u"bob"_s);
        QCOMPARE(now.at(0).reason, u"again"_s);
        QVERIFY(now.at(0).activeAt(8999));
        QVERIFY(!now.at(0).activeAt(9000));
        QVERIFY(ban.activeAt(std::numeric_limits<qint64>::max()));
        QVERIFY(m_store->removeSanction(room.id, u"carol"_s, SanctionKind::Ban));
        QCOMPARE(m_store->sanctions(room.id), QList<SanctionRecord>{mute});
        QVERIFY(m_store->removeSanction(room.id, u"carol"_s, SanctionKind::Ban)); // none: nothing to do
        QVERIFY(m_store->sanctions(makeRoom(u"t"_s).id).isEmpty());
    }

    /*! The audit log: lines keep everything given, come back newest first, a page at a time below an id. */
    void auditLog()
    {
        QVERIFY(m_store->auditLog(0, 10).isEmpty());
        for (int i = 1; i <= 5; ++i) {
            QVERIFY(m_store->appendAudit(AuditRecord{0, 1000 + i, u"alice"_s, u"ban"_s, u"user%1"_s.arg(i), u"room"_s,
                                                     i == 3 ? u"why ✍️"_s : QString(), u"until=7"_s}));
        }
        const QList<AuditRecord> newest = m_store->auditLog(0, 2);
        QCOMPARE(newest.size(), 2);
        QCOMPARE(newest.at(0).target, u"user5"_s);
        QCOMPARE(newest.at(1).target, u"user4"_s);
        QVERIFY(newest.at(0).id > newest.at(1).id);
        const QList<AuditRecord> older = m_store->auditLog(newest.at(1).id, 10);
        QCOMPARE(older.size(), 3);
        const AuditRecord third{older.at(0).id, 1003, u"alice"_s, u"ban"_s, u"user3"_s, u"room"_s, u"why ✍️"_s, u"until=7"_s};
        QCOMPARE(older.at(0), third);
        QCOMPARE(older.at(2).target, u"user1"_s);
        QVERIFY(m_store->auditLog(older.at(2).id, 10).isEmpty());
    }

    /*! Node snapshots (schema 17; cluster-wide connections of the admin API): a node's answer to a request is
        stored (a second one of the same node replaces it), taken once by request (and gone after), with every
        answer older than the given time dropped on the way; bytes of any kind come back as written. */
    void nodeSnapshots()
    {
        QVERIFY(m_store->takeNodeSnapshots(u"r1"_s, 0).isEmpty());
        const QByteArray body = QByteArray("[{\"user\":\"añá\"}]\0\xff", 20);
        QVERIFY(m_store->putNodeSnapshot({u"r1"_s, u"n2"_s, 5000, "first"}));
        QVERIFY(m_store->putNodeSnapshot({u"r1"_s, u"n2"_s, 5001, body}));     // replaces
        QVERIFY(m_store->putNodeSnapshot({u"r1"_s, u"n1"_s, 5002, "[]"}));
        QVERIFY(m_store->putNodeSnapshot({u"r0"_s, u"n3"_s, 100, "[]"}));      // never taken: stale
        QVERIFY(m_store->putNodeSnapshot({u"r2"_s, u"n3"_s, 6000, "[1]"}));    // another request, fresh
        const QList<NodeSnapshot> taken = m_store->takeNodeSnapshots(u"r1"_s, 1000);
        QCOMPARE(taken, (QList<NodeSnapshot>{{u"r1"_s, u"n1"_s, 5002, "[]"}, {u"r1"_s, u"n2"_s, 5001, body}}));
        QVERIFY(m_store->takeNodeSnapshots(u"r1"_s, 1000).isEmpty());        // taken once
        QVERIFY(m_store->takeNodeSnapshots(u"r0"_s, 0).isEmpty());           // dropped as stale
        QCOMPARE(m_store->takeNodeSnapshots(u"r2"_s, 0),
                 (QList<NodeSnapshot>{{u"r2"_s, u"n3"_s, 6000, "[1]"}}));
    }

    /*! A moderator's deletion (AmendRequest::asModerator) of someone else's message: allowed, the target
        records who deleted it; an edit of someone else's message stays refused; protected senders' messages
        are refused; the sender's own deletion records nobody. */
    void moderatorDeletes()
    {
        using Protocol::ErrorCode;
        using Protocol::MessageKind;
        const RoomRecord room = makeRoom(u"m"_s);
        appendNow(room, u"carol"_s, u"c1"_s, u"spam"_s);
        appendNow(room, u"alice"_s, u"a1"_s, u"owner's"_s);
        appendNow(room, u"bob"_s, u"b1"_s, u"mine"_s);
        AmendRequest edit{room, u"bob"_s, u"b-e"_s, MessageKind::Edit, 1, u"x"_s};
        edit.asModerator = true;
        std::optional<StoreResult<AppendResult>> answer;
        m_store->amend(edit, [&](const auto &r) { answer = r; });
        QTRY_VERIFY(answer);
        QCOMPARE(std::get<Protocol::Error>(*answer).code, ErrorCode::Forbidden);

        AmendRequest protectedDelete{room, u"bob"_s, u"b-p"_s, MessageKind::Delete, 2, QString()};
        protectedDelete.asModerator = true;
        protectedDelete.protectedSenders = {u"alice"_s};
        answer.reset();
        m_store->amend(protectedDelete, [&](const auto &r) { answer = r; });
        QTRY_VERIFY(answer);
        QCOMPARE(std::get<Protocol::Error>(*answer).code, ErrorCode::Forbidden);

        AmendRequest moderated{room, u"Bob"_s, u"b-d"_s, MessageKind::Delete, 1, QString()};
        moderated.asModerator = true;
        moderated.protectedSenders = {u"alice"_s};
        answer.reset();
        m_store->amend(moderated, [&](const auto &r) { answer = r; });
        QTRY_VERIFY(answer);
        QCOMPARE(std::get<AppendResult>(*answer).message.seq, 4);
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"bob"_s, u"b-own"_s, MessageKind::Delete, 3)));
        bool more = false;
        const QList<ChatMessage> all = m_store->history(room, std::nullopt, std::nullopt, 50, &more);
        QCOMPARE(all.size(), 5);
        QVERIFY(all.at(0).deleted);
        QVERIFY(all.at(0).text.isEmpty());
        QCOMPARE(all.at(0).deletedBy, u"Bob"_s);
        QVERIFY(!all.at(1).deleted);
        QVERIFY(all.at(2).deleted);
        QCOMPARE(all.at(2).deletedBy, QString()); // its sender deleted it
        // The reader thread's page says the same.
        std::optional<StoreResult<HistorySlice>> page;
        m_store->readHistory(room, std::nullopt, std::nullopt, 50, this, [&](const auto &r) { page = r; });
        QTRY_VERIFY(page);
        QCOMPARE(std::get<HistorySlice>(*page).messages.at(0).deletedBy, u"Bob"_s);
    }

    /*! Schema version 4 on a database of version 3: every existing room is owned by its creator while the
        creator's account exists; a room of a deleted account has no owner. */
    void upgradeMakesCreatorsOwners()
    {
        m_store.reset();
        const QString database = u"t%1_v3"_s.arg(m_testNumber);
        {
            const QString connection = u"v3"_s;
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(m_postgres ? u"QPSQL"_s : u"QSQLITE"_s, connection);
                if (m_postgres) {
                    QVERIFY(!m_pg->createDatabase(database).isEmpty());
                    m_databases.insert(database);
                    m_pg->address(database).applyTo(db);
                } else {
                    db.setDatabaseName(m_dir.filePath(database + u".db"_s));
                }
                QVERIFY(db.open());
                const auto all = m_postgres ? PostgresStore::migrations() : SqliteStore::migrations();
                QVERIFY(all.size() >= 4);
                QString error;
                QVERIFY2(applyMigrations(db, all.first(3), {}, &error), qPrintable(error));
                QCOMPARE(schemaVersion(db), 3);
                QSqlQuery q(db);
                const QString no = m_postgres ? u"FALSE"_s : u"0"_s;
                QVERIFY(q.exec(u"INSERT INTO users (name, key, password_hash, is_admin, created_at)"
                               " VALUES ('Alice', 'alice', 'hash', %1, 5)"_s.arg(no)));
                QVERIFY(q.exec(u"INSERT INTO users (name, key, password_hash, is_admin, created_at, deleted_at)"
                               " VALUES ('Gone', 'gone', '!deleted', %1, 5, 6)"_s.arg(no)));
                QVERIFY(q.exec(u"INSERT INTO rooms (name, key, private, creator, last_seq, created_at)"
                               " VALUES ('Kept', 'kept', %1, 'ALICE', 0, 1), ('Orphan', 'orphan', %1, 'Gone', 0, 2)"_s.arg(no)));
                db.close();
            }
            QSqlDatabase::removeDatabase(connection);
        }
        auto store = openStore(u"v3"_s);
        QVERIFY(store);
        QCOMPARE(store->roomRoles(store->findRoom(u"kept"_s)->id), (QList<RoomRoleRecord>{{u"Alice"_s, RoomRole::Owner}}));
        QVERIFY(store->roomRoles(store->findRoom(u"orphan"_s)->id).isEmpty());
        QVERIFY(store->sanctions(store->findRoom(u"kept"_s)->id).isEmpty());
        QVERIFY(store->auditLog(0, 10).isEmpty());
    }

    void roomsAndMembers()
    {
        const RoomRecord room = makeRoom(u"Café"_s);
        QVERIFY(room.id > 0);
        QCOMPARE(std::get<Protocol::Error>(m_store->createRoom(RoomRecord{0, u"CAFÉ"_s, true, u"bob"_s, 0, 2})).code,
                 Protocol::ErrorCode::Conflict);
        QCOMPARE(m_store->findRoom(u"café"_s)->name, u"Café"_s);
        QVERIFY(m_store->addMember(room.id, u"alice"_s));
        QVERIFY(m_store->addMember(room.id, u"Bob"_s));
        QVERIFY(m_store->addMember(room.id, u"bob"_s)); // idempotent
        QVERIFY(waitCommitted(*m_store));
        QCOMPARE(m_store->members(room.id).size(), 2);
        QVERIFY(m_store->removeMember(room.id, u"bob"_s));
        QCOMPARE(m_store->members(room.id), QList<QString>{u"alice"_s});
        QVERIFY(m_store->addInvite(room.id, u"carol"_s, u"alice"_s));
        QVERIFY(m_store->hasInvite(room.id, u"Carol"_s));
        QCOMPARE(m_store->invitedRooms(u"carol"_s), QList<qint64>{room.id});
        QVERIFY(m_store->removeInvite(room.id, u"CAROL"_s)); // used up
        QVERIFY(!m_store->hasInvite(room.id, u"carol"_s));
        QVERIFY(m_store->invitedRooms(u"carol"_s).isEmpty());
    }

    /*! Direct conversations (issue 12): the first opening makes a private room with both people as members and
        no owner; every later one, from either side and in any case, answers the same room. */
    void directConversations()
    {
        const QStringList names{u"Alice"_s, u"bob"_s, u"carol"_s};
        for (const QString &name : names)
            QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{name, "h", false, 1})));
        const auto first = m_store->openDirect(u"Alice"_s, u"bob"_s, 42);
        QVERIFY(std::holds_alternative<DirectRoom>(first));
        const DirectRoom opened = std::get<DirectRoom>(first);
        QVERIFY(opened.created);
        QCOMPARE(opened.room.name, u"@alice+bob"_s);
        QVERIFY(opened.room.isPrivate);
        QCOMPARE(opened.room.creator, u"Alice"_s);
        QCOMPARE(opened.room.createdAt, 42);
        QCOMPARE(m_store->members(opened.room.id).size(), 2);
        QVERIFY(m_store->members(opened.room.id).contains(u"Alice"_s));
        QVERIFY(m_store->roomRoles(opened.room.id).isEmpty());
        QCOMPARE(m_store->findRoom(u"@alice+bob"_s)->id, opened.room.id);

        const auto again = m_store->openDirect(u"BOB"_s, u"alice"_s, 99);
        QVERIFY(std::holds_alternative<DirectRoom>(again));
        QVERIFY(!std::get<DirectRoom>(again).created);
        QCOMPARE(std::get<DirectRoom>(again).room.id, opened.room.id);
        QCOMPARE(std::get<DirectRoom>(again).room.createdAt, 42);
        QCOMPARE(m_store->members(opened.room.id).size(), 2);

        const auto other = m_store->openDirect(u"carol"_s, u"bob"_s, 50);
        QVERIFY(std::get<DirectRoom>(other).created);
        QCOMPARE(std::get<DirectRoom>(other).room.name, u"@bob+carol"_s);
        QVERIFY(std::get<DirectRoom>(other).room.id != opened.room.id);
        // A room a user names cannot be mistaken for one (its address is no room name), nor one with oneself.
        QVERIFY(std::holds_alternative<Protocol::Error>(m_store->openDirect(u"bob"_s, u"BOB"_s, 1)));
        QCOMPARE(m_store->rooms().size(), 2);
    }

    /*! Opened at once from several connections (nodes) and both sides, the store makes one room per pair: the
        unique pair decides, and the losers read the winner's room. */
    void directConversationsOpenedAtOnce()
    {
        constexpr int kStores = 4;
        constexpr int kPairs = 6;
        for (int i = 0; i <= kPairs; ++i)
            QVERIFY(std::holds_alternative<UserRecord>(m_store->createUser(UserRecord{u"user%1"_s.arg(i), "h", false, 1})));
        std::vector<std::unique_ptr<Store>> stores;
        for (int i = 0; i < kStores; ++i) {
            stores.push_back(openStore(u"main"_s));
            QVERIFY(stores.back());
        }
        // Every store opens every pair (user0 with each other user), half of them from the other side, all
        // queued before any answer: with writer threads, the stores' jobs run at the same time.
        QObject context;
        QList<std::pair<int, StoreResult<DirectRoom>>> answers;
        for (int pair = 1; pair <= kPairs; ++pair) {
            for (int i = 0; i < kStores; ++i) {
                const QString a = u"user0"_s, b = u"user%1"_s.arg(pair);
                stores[i]->async<StoreResult<DirectRoom>>(
                    &context,
                    [a, b, flip = i % 2 == 1](Store &store) { return flip ? store.openDirect(b, a, 7) : store.openDirect(a, b, 7); },
                    [&answers, pair](StoreResult<DirectRoom> answer) { answers.append({pair, std::move(answer)}); });
            }
        }
        QTRY_COMPARE_WITH_TIMEOUT(answers.size(), kStores * kPairs, 30000);
        QHash<int, qint64> roomOf;
        QHash<int, int> created;
        for (qsizetype i = 0; i < answers.size(); ++i) {
            const int pair = answers[i].first;
            if (const auto *error = std::get_if<Protocol::Error>(&answers[i].second))
                QFAIL(qPrintable(Protocol::describe(*error)));
            const DirectRoom direct = std::get<DirectRoom>(answers[i].second);
            QCOMPARE(direct.room.name, u"@user0+user%1"_s.arg(pair));
            QCOMPARE(roomOf.value(pair, direct.room.id), direct.room.id);
            roomOf.insert(pair, direct.room.id);
            created[pair] += direct.created ? 1 : 0;
        }
        for (int pair = 1; pair <= kPairs; ++pair) {
            QCOMPARE(created.value(pair), 1);
            QCOMPARE(m_store->members(roomOf.value(pair)).size(), 2);
        }
        QCOMPARE(m_store->rooms().size(), kPairs);
    }

    /*! Memberships wait for the next batch (group commit): nobody sees them before it commits, not even the
        store's own reads; whenCommitted() runs after it (at once when nothing waits); a write that must be
        durable writes them first, and their waiters then hear from the event loop; the flush timer commits
        on its own; memberships and messages of one pass make one commit. */
    void membershipGroupCommit()
    {
        auto storePtr = openStore(u"group"_s), otherPtr = openStore(u"group"_s);
        QVERIFY(storePtr && otherPtr);
        Store &store = *storePtr, &other = *otherPtr;
        const RoomRecord room = std::get<RoomRecord>(store.createRoom(RoomRecord{0, u"r"_s, false, u"a"_s, 0, 1}));
        QList<bool> heard;
        auto listen = [&heard](bool committed) { heard << committed; };

        const quint64 commits = store.commitCount();
        QVERIFY(store.addMember(room.id, u"a"_s));
        QVERIFY(store.addMember(room.id, u"b"_s));
        QCOMPARE(store.members(room.id).size(), 0);   // queued for the writer: not committed yet
        QCOMPARE(other.members(room.id).size(), 0);   // nobody else sees them either
        store.whenCommitted(listen);
        QVERIFY(heard.isEmpty());
        store.flush();
        QCOMPARE(heard, QList<bool>{true});
        QCOMPARE(store.commitCount(), commits + 1);
        QCOMPARE(other.members(room.id).size(), 2);
        store.whenCommitted(listen); // nothing waits
        QCOMPARE(heard, (QList<bool>{true, true}));

        QVERIFY(store.addMember(room.id, u"c"_s));
        store.whenCommitted(listen);
        QVERIFY(std::holds_alternative<UserRecord>(store.createUser(UserRecord{u"u"_s, "h", false, 1})));
        QCOMPARE(other.members(room.id).size(), 3);   // committed before the account was written
        QCOMPARE(heard.size(), 2);                    // told from the loop, not inside createUser()
        QTRY_COMPARE(heard.size(), 3);
        QVERIFY(heard.last());

        QVERIFY(store.addMember(room.id, u"d"_s));
        store.whenCommitted(listen);
        QTRY_COMPARE(heard.size(), 4);                // the flush timer
        QCOMPARE(other.members(room.id).size(), 4);

        const quint64 before = store.commitCount();
        QVERIFY(store.addMember(room.id, u"e"_s));
        std::optional<qint64> seq;
        store.append(AppendRequest{room, u"e"_s, u"k1"_s, u"hi"_s},
                     [&seq](const StoreResult<AppendResult> &r) { seq = std::get<AppendResult>(r).message.seq; });
        store.whenCommitted(listen);
        store.flush();
        QCOMPARE(store.commitCount(), before + 1);
        QCOMPARE(seq, std::optional<qint64>(1));
        QCOMPARE(heard.size(), 5);
        QCOMPARE(other.members(room.id).size(), 5);
    }

    /*! Sequence numbers count per room without holes; callbacks run after the commit, in order. */
    void sequenceNumbers()
    {
        const RoomRecord a = makeRoom(u"a"_s), b = makeRoom(u"b"_s);
        QList<qint64> seqs;
        for (int i = 0; i < 5; ++i) {
            m_store->append(AppendRequest{i % 2 ? b : a, u"alice"_s, u"c%1"_s.arg(i), u"t"_s},
                            [&](const auto &r) { seqs.append(std::get<AppendResult>(r).message.seq); });
        }
        QVERIFY(seqs.isEmpty()); // nothing before the commit
        QTRY_COMPARE(seqs.size(), 5);
        QCOMPARE(seqs, (QList<qint64>{1, 1, 2, 2, 3}));
        QCOMPARE(m_store->findRoom(u"a"_s)->lastSeq, 3);
        QCOMPARE(m_store->findRoom(u"b"_s)->lastSeq, 2);
    }

    /*! Whatever a message holds (quotes, backslashes, placeholders, SQL, any script) is stored and read back
        exactly, its client id too: on PostgreSQL the values are written into the statement (SqlStatement). */
    void hostileTextRoundTrips()
    {
        const RoomRecord room = makeRoom(u"quotes"_s);
        const QString text = u"'); DROP TABLE messages; -- ? $1 \\' \\\\ \"q\" E'\\x27' \u05e9\u05dc\u05d5\u05dd \U0001F642"_s;
        const QString clientId = u"id'?\\"_s;
        const auto stored = std::get<AppendResult>(appendNow(room, u"alice"_s, clientId, text));
        QCOMPARE(stored.message.text, text);
        bool more = false;
        const QList<Protocol::ChatMessage> history = m_store->history(room, std::nullopt, std::nullopt, 10, &more);
        QCOMPARE(history.size(), 1);
        QCOMPARE(history.first().text, text);
        QCOMPARE(history.first().clientMsgId, clientId);
        QVERIFY(std::get<AppendResult>(appendNow(room, u"alice"_s, clientId, text)).duplicate); // found by its id
    }

    /*! Everything queued in one event-loop pass is one transaction (group commit). */
    void groupCommit()
    {
        const RoomRecord room = makeRoom(u"busy"_s);
        const quint64 before = m_store->commitCount();
        int done = 0;
        for (int i = 0; i < 300; ++i)
            m_store->append(AppendRequest{room, u"alice"_s, u"g%1"_s.arg(i), u"x"_s}, [&](const auto &) { ++done; });
        QTRY_COMPARE(done, 300);
        QCOMPARE(m_store->commitCount() - before, quint64(1));
    }

    /*! A retry with the same client message id returns the original and stores nothing, even within one batch. */
    void idempotentRetry()
    {
        const RoomRecord room = makeRoom(u"r"_s);
        const auto first = std::get<AppendResult>(appendNow(room, u"alice"_s, u"same"_s, u"hello"_s));
        QVERIFY(!first.duplicate);
        const auto retry = std::get<AppendResult>(appendNow(room, u"ALICE"_s, u"same"_s, u"hello"_s));
        QVERIFY(retry.duplicate);
        QCOMPARE(retry.message.seq, first.message.seq);
        QCOMPARE(retry.message.timestamp, first.message.timestamp);
        // Another sender may use the same id.
        QVERIFY(!std::get<AppendResult>(appendNow(room, u"bob"_s, u"same"_s, u"hi"_s)).duplicate);
        // Two copies in one batch.
        QList<AppendResult> results;
        for (int i = 0; i < 2; ++i)
            m_store->append(AppendRequest{room, u"carol"_s, u"twice"_s, u"x"_s},
                            [&](const auto &r) { results.append(std::get<AppendResult>(r)); });
        m_store->flush();
        QCOMPARE(results.size(), 2);
        QVERIFY(!results[0].duplicate);
        QVERIFY(results[1].duplicate);
        QCOMPARE(results[1].message.seq, results[0].message.seq);
        bool more = false;
        QCOMPARE(m_store->history(room, std::nullopt, std::nullopt, 50, &more).size(), 3);
    }

    void historyPages()
    {
        const RoomRecord room = makeRoom(u"h"_s);
        for (int i = 1; i <= 10; ++i)
            appendNow(room, u"alice"_s, u"m%1"_s.arg(i), u"text %1"_s.arg(i));
        auto seqsOf = [](const QList<ChatMessage> &messages) {
            QList<qint64> seqs;
            for (const auto &m : messages)
                seqs.append(m.seq);
            return seqs;
        };
        bool more = false;
        QCOMPARE(seqsOf(m_store->history(room, std::nullopt, std::nullopt, 3, &more)), (QList<qint64>{8, 9, 10}));
        QVERIFY(more);
        QCOMPARE(seqsOf(m_store->history(room, 8, std::nullopt, 3, &more)), (QList<qint64>{5, 6, 7}));
        QVERIFY(more);
        QCOMPARE(seqsOf(m_store->history(room, 3, std::nullopt, 5, &more)), (QList<qint64>{1, 2}));
        QVERIFY(!more);
        QCOMPARE(seqsOf(m_store->history(room, std::nullopt, 7, 5, &more)), (QList<qint64>{8, 9, 10}));
        QVERIFY(!more);
        QCOMPARE(seqsOf(m_store->history(room, std::nullopt, 0, 4, &more)), (QList<qint64>{1, 2, 3, 4}));
        QVERIFY(more);
        const auto page = m_store->history(room, 2, std::nullopt, 1, &more);
        QCOMPARE(page.first().text, u"text 1"_s);
        QCOMPARE(page.first().room, u"h"_s);
    }

    /*! readHistory() answers what history() answers, later and on the caller's thread, in the order asked. */
    void readHistoryAnswersOnTheLoop()
    {
        const RoomRecord room = makeRoom(u"h"_s);
        for (int i = 1; i <= 10; ++i)
            appendNow(room, u"alice"_s, u"m%1"_s.arg(i), u"text %1"_s.arg(i));
        struct Ask
        {
            std::optional<qint64> before, after;
            int limit;
        };
        const QList<Ask> asks{{std::nullopt, std::nullopt, 3}, {8, std::nullopt, 3}, {3, std::nullopt, 5},
                              {std::nullopt, 7, 5}, {std::nullopt, 0, 4}};
        QList<int> answered;
        QList<HistorySlice> slices(asks.size());
        for (int i = 0; i < asks.size(); ++i) {
            m_store->readHistory(room, asks[i].before, asks[i].after, asks[i].limit, this,
                                 [&, i](const StoreResult<HistorySlice> &read) {
                                     QCOMPARE(QThread::currentThread(), thread());
                                     QVERIFY(std::holds_alternative<HistorySlice>(read));
                                     slices[i] = std::get<HistorySlice>(read);
                                     answered.append(i);
                                 });
        }
        QVERIFY(answered.isEmpty()); // never within the call
        QTRY_COMPARE(answered.size(), asks.size());
        QCOMPARE(answered, (QList<int>{0, 1, 2, 3, 4}));
        for (int i = 0; i < asks.size(); ++i) {
            bool more = false;
            const auto expected = m_store->history(room, asks[i].before, asks[i].after, asks[i].limit, &more);
            QCOMPARE(slices[i].messages, expected);
            QCOMPARE(slices[i].hasMore, more);
        }
    }

    /*! A read whose context is gone before the answer comes gets no callback (a session that closed). */
    void readHistoryDropsAnswersOfGoneContexts()
    {
        const RoomRecord room = makeRoom(u"h"_s);
        appendNow(room, u"alice"_s, u"m1"_s, u"one"_s);
        auto gone = std::make_unique<QObject>();
        bool goneAnswered = false;
        m_store->readHistory(room, std::nullopt, std::nullopt, 10, gone.get(),
                             [&](const StoreResult<HistorySlice> &) { goneAnswered = true; });
        gone.reset();
        bool laterAnswered = false;
        m_store->readHistory(room, std::nullopt, std::nullopt, 10, this, [&](const StoreResult<HistorySlice> &read) {
            laterAnswered = std::holds_alternative<HistorySlice>(read);
        });
        // Answers come in the order asked: once the later one is here, the first would have been.
        QTRY_VERIFY(laterAnswered);
        QVERIFY(!goneAnswered);
    }

    /*! Store::async(): the job runs after everything asked for before it (one FIFO: a queued membership and
        a queued append are written first, and the job's reads see them), its answer comes on the caller's
        thread, never within the call, in order with the appends' callbacks; the job's own writes are seen by
        the loop's reads once it answered. In every mode (the writer's thread, the loop, PostgreSQL). */
    void asyncJobsRunInOrderAndAnswerOnTheLoop()
    {
        const RoomRecord room = makeRoom(u"first"_s);
        m_store->addMember(room.id, u"bob"_s); // queued for the next batch
        QList<QString> order;
        m_store->append(AppendRequest{room, u"alice"_s, u"m1"_s, u"one"_s},
                        [&](const StoreResult<AppendResult> &r) {
                            QVERIFY(std::holds_alternative<AppendResult>(r));
                            order.append(u"append"_s);
                        });
        struct Seen
        {
            QList<QString> members;
            qint64 lastSeq = -1;
            bool created = false;
            bool foundCreated = false;
        };
        std::optional<Seen> seen;
        m_store->async<Seen>(
            this,
            [room](Store &store) {
                Seen s;
                s.members = store.members(room.id);
                s.lastSeq = store.findRoom(room.name)->lastSeq;
                s.created = std::holds_alternative<RoomRecord>(
                    store.createRoom(RoomRecord{0, u"second"_s, false, u"bob"_s, 0, 1}));
                s.foundCreated = store.findRoom(u"second"_s).has_value(); // its own write
                return s;
            },
            [&](Seen s) {
                QCOMPARE(QThread::currentThread(), thread());
                order.append(u"job"_s);
                seen = std::move(s);
            });
        QVERIFY(!seen); // never within the call, the loop mode included
        QTRY_VERIFY(seen);
        QCOMPARE(order, (QList<QString>{u"append"_s, u"job"_s}));
        QVERIFY(seen->members.contains(u"bob"_s));
        QCOMPARE(seen->lastSeq, 1);
        QVERIFY(seen->created);
        QVERIFY(seen->foundCreated);
        QVERIFY(m_store->findRoom(u"second"_s)); // the loop's reads see it once answered
        // A synchronous write asked for after the job runs after it: a conflict with the job's room.
        QVERIFY(std::holds_alternative<Protocol::Error>(m_store->createRoom(RoomRecord{0, u"second"_s, false, u"eve"_s, 0, 2})));
    }

    /*! A job whose context is gone before the answer comes: its writes stand, its answer is dropped. */
    void asyncDropsAnswersOfGoneContexts()
    {
        auto gone = std::make_unique<QObject>();
        bool goneAnswered = false;
        m_store->async<bool>(
            gone.get(),
            [](Store &store) {
                return std::holds_alternative<RoomRecord>(store.createRoom(RoomRecord{0, u"kept"_s, false, u"ana"_s, 0, 1}));
            },
            [&](bool) { goneAnswered = true; });
        gone.reset();
        bool laterAnswered = false;
        m_store->async<int>(this, [](Store &) { return 1; }, [&](int) { laterAnswered = true; });
        QTRY_VERIFY(laterAnswered); // answers come in order: the first would have come by now
        QVERIFY(!goneAnswered);
        QVERIFY(m_store->findRoom(u"kept"_s));
    }

    /*! A job the database holds up does not hold up the event loop: another connection holds the write lock
        (SQLite: BEGIN IMMEDIATE; PostgreSQL: the position row, and the job waits on a table lock); the loop
        turns meanwhile and the answer comes once the lock goes. On the loop, createRoom() would stall it. */
    void asyncJobWaitsOffTheLoop()
    {
        if (m_writesOnLoop)
            QSKIP("the writer runs on the loop here: this is the stall it would show");
        const QString connection = u"locker"_s;
        QVERIFY(lockWrites(connection));
        if (m_postgres) { // the position row does not stop createRoom(): hold its table too
            QSqlQuery lock(QSqlDatabase::database(connection, false));
            QVERIFY2(lock.exec(u"LOCK TABLE rooms IN ACCESS EXCLUSIVE MODE"_s), qPrintable(lock.lastError().text()));
        }
        std::optional<bool> created;
        m_store->async<bool>(
            this,
            [](Store &store) {
                return std::holds_alternative<RoomRecord>(store.createRoom(RoomRecord{0, u"held"_s, false, u"ana"_s, 0, 1}));
            },
            [&](bool ok) { created = ok; });
        QTimer tick;
        QSignalSpy ticks(&tick, &QTimer::timeout);
        tick.start(10);
        QTRY_VERIFY(ticks.size() >= 5); // the loop turns while the job waits
        QVERIFY(!created);
        QVERIFY(unlockWrites(connection));
        QTRY_VERIFY(created);
        QVERIFY(*created);
        QVERIFY(m_store->findRoom(u"held"_s));
    }

    /*! readMessagesAfter() answers what messagesAfter() answers, later, on the caller's thread. */
    void readMessagesAfterAnswersOnTheLoop()
    {
        const RoomRecord a = makeRoom(u"a"_s);
        const RoomRecord b = makeRoom(u"b"_s);
        for (int i = 1; i <= 4; ++i)
            appendNow(i % 2 ? a : b, u"alice"_s, u"m%1"_s.arg(i), u"text %1"_s.arg(i));
        std::optional<std::optional<QList<PositionedMessage>>> answer;
        m_store->readMessagesAfter(1, 10, this, [&](const std::optional<QList<PositionedMessage>> &read) {
            QCOMPARE(QThread::currentThread(), thread());
            answer = read;
        });
        QVERIFY(!answer);
        QTRY_VERIFY(answer.has_value());
        const auto expected = m_store->messagesAfter(1, 10);
        QVERIFY(answer->has_value() && expected.has_value());
        QCOMPARE((*answer)->size(), expected->size());
        for (qsizetype i = 0; i < expected->size(); ++i) {
            QCOMPARE((*answer)->at(i).position, expected->at(i).position);
            QCOMPARE((*answer)->at(i).message, expected->at(i).message);
            QCOMPARE((*answer)->at(i).room.id, expected->at(i).room.id);
        }
        if (m_postgres)
            QCOMPARE(expected->size(), 3); // positions 2, 3, 4
    }

    /*! A history read that the database holds up does not hold up the store's writes, nor the event loop:
        another connection locks the messages table, the read waits for it, a room is created meanwhile, and
        the page comes once the lock goes (PostgreSQL: a SQLite reader in WAL mode is never held up). */
    void readHistoryWaitsOffTheLoop()
    {
        if (!m_postgres)
            QSKIP("needs a lock another connection can hold against readers: PostgreSQL only");
        const RoomRecord room = makeRoom(u"h"_s);
        appendNow(room, u"alice"_s, u"m1"_s, u"one"_s);
        const QString connection = u"locker"_s;
        {
            QString error;
            const auto address = PostgresAddress::fromUrl(m_pg->url(u"t%1_main"_s.arg(m_testNumber)), &error);
            QVERIFY2(address, qPrintable(error));
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connection);
            address->applyTo(db);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            QVERIFY(db.transaction());
            QSqlQuery lock(db);
            QVERIFY2(lock.exec(u"LOCK TABLE messages IN ACCESS EXCLUSIVE MODE"_s), qPrintable(lock.lastError().text()));
        }
        bool answered = false;
        m_store->readHistory(room, std::nullopt, std::nullopt, 10, this, [&](const StoreResult<HistorySlice> &read) {
            answered = std::holds_alternative<HistorySlice>(read) && std::get<HistorySlice>(read).messages.size() == 1;
        });
        // The loop runs on and the store writes while the read waits for the lock.
        QTimer tick;
        QSignalSpy ticks(&tick, &QTimer::timeout);
        tick.start(10);
        QVERIFY(ticks.wait() && ticks.wait());
        QVERIFY(std::holds_alternative<RoomRecord>(m_store->createRoom(RoomRecord{0, u"other"_s, false, u"alice"_s, 0, 1})));
        QVERIFY(m_store->findRoom(u"other"_s));
        QVERIFY(!answered);
        {
            QSqlDatabase db = QSqlDatabase::database(connection, false);
            QVERIFY(db.commit());
            db.close();
        }
        QSqlDatabase::removeDatabase(connection);
        QTRY_VERIFY(answered);
    }

    /*! A commit that the database holds up does not hold up the event loop (the writer waits, on its own
        thread): another connection holds the write lock (SQLite: BEGIN IMMEDIATE) or the global position row
        every batch locks first (PostgreSQL); meanwhile the loop turns and answers reads, and the append is
        acknowledged only once the lock goes. On the loop, the commit would stall the loop until the lock timed
        out (SQLite's busy_timeout; the locker's idle-in-transaction timeout) and answer before the ticks. */
    void commitWaitsOffTheLoop()
    {
        if (m_writesOnLoop)
            QSKIP("the writer runs on the loop here: this is the stall it would show");
        const RoomRecord room = makeRoom(u"slow"_s);
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"alice"_s, u"m1"_s, u"one"_s)));
        const QString connection = u"locker"_s;
        QVERIFY(lockWrites(connection));
        std::optional<StoreResult<AppendResult>> result;
        m_store->append(AppendRequest{room, u"alice"_s, u"m2"_s, u"two"_s}, [&](const auto &r) { result = r; });
        QTimer tick;
        QSignalSpy ticks(&tick, &QTimer::timeout);
        tick.start(10);
        QTRY_VERIFY(ticks.size() >= 5);                  // the loop turns while the commit waits
        QCOMPARE(m_store->findRoom(u"slow"_s)->lastSeq, 1); // and reads
        QVERIFY(!result);                                // no ack before the commit
        QVERIFY(unlockWrites(connection));
        QTRY_VERIFY(result);
        QVERIFY(std::holds_alternative<AppendResult>(*result));
        QCOMPARE(std::get<AppendResult>(*result).message.seq, 2);
    }

    /*! At most one batch is in flight: while one commits (held up by a lock), what comes in the passes of the
        loop meanwhile gathers into the next batch, one commit for all of it once the first is answered;
        every callback in append order, none before the lock goes. */
    void nextBatchGathersWhileOneCommits()
    {
        if (m_writesOnLoop)
            QSKIP("the writer runs on the loop here: the loop waits for each commit");
        const RoomRecord room = makeRoom(u"busy"_s);
        const QString connection = u"locker"_s;
        QVERIFY(lockWrites(connection));
        const quint64 before = m_store->commitCount();
        QList<qint64> seqs;
        auto collect = [&seqs](const StoreResult<AppendResult> &r) {
            seqs << (std::holds_alternative<AppendResult>(r) ? std::get<AppendResult>(r).message.seq : -1);
        };
        m_store->append(AppendRequest{room, u"alice"_s, u"n0"_s, u"first"_s}, collect);
        QTimer tick;
        QSignalSpy ticks(&tick, &QTimer::timeout);
        tick.start(5);
        for (int pass = 1; pass <= 5; ++pass) { // five more passes of the loop, ten messages each
            QVERIFY(ticks.wait());
            for (int i = 0; i < 10; ++i)
                m_store->append(AppendRequest{room, u"alice"_s, u"n%1-%2"_s.arg(pass).arg(i), u"x"_s}, collect);
        }
        QVERIFY(seqs.isEmpty());
        QVERIFY(unlockWrites(connection));
        QTRY_COMPARE(seqs.size(), 51);
        for (int i = 0; i < seqs.size(); ++i)
            QCOMPARE(seqs[i], qint64(i + 1));
        QCOMPARE(m_store->commitCount() - before, quint64(2));
    }

    /*! An edit or a delete is the room's next entry, changes its target in the same commit, only for the
        target's sender, once per client message id; a deletion empties the target and its earlier edits. */
    void editsAndDeletions()
    {
        using Protocol::ErrorCode;
        using Protocol::MessageKind;
        const RoomRecord room = makeRoom(u"e"_s);
        QCOMPARE(std::get<AppendResult>(appendNow(room, u"alice"_s, u"m1"_s, u"helo"_s)).message.seq, 1);
        QCOMPARE(std::get<AppendResult>(appendNow(room, u"bob"_s, u"m2"_s, u"bob's"_s)).message.seq, 2);

        const auto edit = amendNow(room, u"Alice"_s, u"e1"_s, MessageKind::Edit, 1, u"hello ✍️"_s);
        QVERIFY(std::holds_alternative<AppendResult>(edit));
        const ChatMessage entry = std::get<AppendResult>(edit).message;
        QCOMPARE(entry.seq, 3);
        QCOMPARE(entry.kind, MessageKind::Edit);
        QCOMPARE(entry.target, 1);
        QCOMPARE(entry.text, u"hello ✍️"_s);
        QVERIFY(!std::get<AppendResult>(edit).duplicate);
        QCOMPARE(m_store->findRoom(u"e"_s)->lastSeq, 3);

        // A retry: the same entry, nothing stored.
        const auto retry = amendNow(room, u"alice"_s, u"e1"_s, MessageKind::Edit, 1, u"hello ✍️"_s);
        QVERIFY(std::get<AppendResult>(retry).duplicate);
        QCOMPARE(std::get<AppendResult>(retry).message.seq, 3);
        QCOMPARE(std::get<AppendResult>(retry).message.kind, MessageKind::Edit);
        QCOMPARE(std::get<AppendResult>(retry).message.target, 1);

        QCOMPARE(errorOf(amendNow(room, u"bob"_s, u"x1"_s, MessageKind::Edit, 1, u"mine"_s)), ErrorCode::Forbidden);
        QCOMPARE(errorOf(amendNow(room, u"bob"_s, u"x2"_s, MessageKind::Delete, 1)), ErrorCode::Forbidden);
        QCOMPARE(errorOf(amendNow(room, u"alice"_s, u"x3"_s, MessageKind::Edit, 42, u"t"_s)), ErrorCode::NotFound);
        QCOMPARE(errorOf(amendNow(room, u"alice"_s, u"x4"_s, MessageKind::Delete, 3)), ErrorCode::BadRequest);
        QCOMPARE(m_store->findRoom(u"e"_s)->lastSeq, 3); // refusals take no seq

        // An append queued before the delete takes its seq first.
        std::optional<qint64> queuedSeq;
        m_store->append(AppendRequest{room, u"carol"_s, u"m4"_s, u"queued"_s},
                        [&](const auto &r) { queuedSeq = std::get<AppendResult>(r).message.seq; });
        const auto deletion = amendNow(room, u"bob"_s, u"d2"_s, MessageKind::Delete, 2);
        QCOMPARE(queuedSeq, std::optional<qint64>(4));
        QCOMPARE(std::get<AppendResult>(deletion).message.seq, 5);
        QCOMPARE(std::get<AppendResult>(deletion).message.kind, MessageKind::Delete);
        QCOMPARE(errorOf(amendNow(room, u"bob"_s, u"x5"_s, MessageKind::Edit, 2, u"again"_s)), ErrorCode::NotFound);
        QCOMPARE(errorOf(amendNow(room, u"bob"_s, u"x6"_s, MessageKind::Delete, 2)), ErrorCode::NotFound);

        // A deleted message's edits lose their text as well.
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"e2"_s, MessageKind::Edit, 1, u"v3"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"d1"_s, MessageKind::Delete, 1)));

        bool more = false;
        const QList<ChatMessage> all = m_store->history(room, std::nullopt, std::nullopt, 50, &more);
        QCOMPARE(all.size(), 7);
        QCOMPARE(all[0].kind, MessageKind::Text);
        QVERIFY(all[0].deleted);
        QCOMPARE(all[0].editSeq, 7);
        QCOMPARE(all[0].sender, u"alice"_s);
        QVERIFY(all[1].deleted);
        QCOMPARE(all[1].editSeq, 5);
        QCOMPARE(all[3].text, u"queued"_s);
        QCOMPARE(all[5].kind, MessageKind::Edit);
        QCOMPARE(all[6].kind, MessageKind::Delete);
        for (const ChatMessage &m : all) {
            if (m.seq != 4) // carol's message is untouched; every other text was alice's or bob's, now gone
                QVERIFY2(m.text.isEmpty(), qPrintable(describe(m)));
        }

        // Edited, not deleted: the current text and when.
        QCOMPARE(std::get<AppendResult>(appendNow(room, u"alice"_s, u"m8"_s, u"v1"_s)).message.seq, 8);
        const auto v2 = std::get<AppendResult>(amendNow(room, u"alice"_s, u"e8"_s, MessageKind::Edit, 8, u"v2"_s));
        const ChatMessage now = m_store->history(room, std::nullopt, 7, 1, &more).first();
        QCOMPARE(now.text, u"v2"_s);
        QCOMPARE(now.editSeq, v2.message.seq);
        QCOMPARE(now.editedAt, v2.message.timestamp);
        QVERIFY(!now.deleted);
    }

    /*! A reply keeps the seq of its original; an original that is missing, deleted or an edit is refused for
        that append alone, and a reply may name a message of its own batch. */
    void replies()
    {
        using Protocol::ErrorCode;
        using Protocol::MessageKind;
        const RoomRecord room = makeRoom(u"r"_s);
        const RoomRecord other = makeRoom(u"r2"_s);
        QCOMPARE(std::get<AppendResult>(appendNow(room, u"alice"_s, u"m1"_s, u"the original"_s)).message.seq, 1);

        auto replyNow = [&](const RoomRecord &in, const QString &sender, const QString &id, qint64 replyTo) {
            std::optional<StoreResult<AppendResult>> result;
            m_store->append(AppendRequest{in, sender, id, u"a reply"_s, replyTo}, [&](const auto &r) { result = r; });
            m_store->flush();
            return *result;
        };
        const auto reply = replyNow(room, u"bob"_s, u"m2"_s, 1);
        QVERIFY(std::holds_alternative<AppendResult>(reply));
        QCOMPARE(std::get<AppendResult>(reply).message.seq, 2);
        QCOMPARE(std::get<AppendResult>(reply).message.replyTo, 1);

        QCOMPARE(errorOf(replyNow(room, u"bob"_s, u"x1"_s, 42)), ErrorCode::NotFound);
        QCOMPARE(errorOf(replyNow(other, u"bob"_s, u"x2"_s, 1)), ErrorCode::NotFound); // another room's seq 1
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"e1"_s, MessageKind::Edit, 1, u"v2"_s)));
        QCOMPARE(errorOf(replyNow(room, u"bob"_s, u"x3"_s, 3)), ErrorCode::BadRequest); // 3 is the edit
        QCOMPARE(m_store->findRoom(u"r"_s)->lastSeq, 3); // refusals take no seq

        // One batch: a message, a refused reply, a reply to the message of the same batch.
        QList<StoreResult<AppendResult>> batch;
        auto collect = [&](const StoreResult<AppendResult> &r) { batch.append(r); };
        m_store->append(AppendRequest{room, u"carol"_s, u"b1"_s, u"new"_s}, collect);
        m_store->append(AppendRequest{room, u"carol"_s, u"b2"_s, u"to nothing"_s, 99}, collect);
        m_store->append(AppendRequest{room, u"dave"_s, u"b3"_s, u"to new"_s, 4}, collect);
        m_store->flush();
        QCOMPARE(batch.size(), 3);
        QCOMPARE(std::get<AppendResult>(batch[0]).message.seq, 4);
        QCOMPARE(errorOf(batch[1]), ErrorCode::NotFound);
        QCOMPARE(std::get<AppendResult>(batch[2]).message.seq, 5);
        QCOMPARE(std::get<AppendResult>(batch[2]).message.replyTo, 4);

        // A deleted original takes no new replies; a retry of a reply stored before is still that reply.
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"d1"_s, MessageKind::Delete, 1)));
        QCOMPARE(errorOf(replyNow(room, u"bob"_s, u"x4"_s, 1)), ErrorCode::NotFound);
        const auto retry = replyNow(room, u"bob"_s, u"m2"_s, 1);
        QVERIFY(std::get<AppendResult>(retry).duplicate);
        QCOMPARE(std::get<AppendResult>(retry).message.seq, 2);
        QCOMPARE(std::get<AppendResult>(retry).message.replyTo, 1);

        // History (read here and on the reader thread) carries reply_to.
        bool more = false;
        const QList<ChatMessage> all = m_store->history(room, std::nullopt, std::nullopt, 50, &more);
        QCOMPARE(all.size(), 6);
        QCOMPARE(all[0].replyTo, 0);
        QCOMPARE(all[1].replyTo, 1);
        QCOMPARE(all[4].replyTo, 4);
        std::optional<StoreResult<HistorySlice>> page;
        QObject context;
        m_store->readHistory(room, std::nullopt, std::nullopt, 50, &context, [&](const auto &r) { page = r; });
        QTRY_VERIFY(page.has_value());
        const QList<ChatMessage> read = std::get<HistorySlice>(*page).messages;
        QCOMPARE(read.size(), 6);
        QCOMPARE(read[1].replyTo, 1);
        QCOMPARE(read[4].replyTo, 4);
    }

    /*! Reactions: anyone's, as entries of the room; history gives each message its reactions now; a refused
        one takes no seq; a message has at most SqlReactions::kMaxPerMessage different ones; a deletion forgets
        them. */
    void reactions()
    {
        using Protocol::ErrorCode;
        using Protocol::MessageKind;
        const RoomRecord room = makeRoom(u"x"_s);
        QCOMPARE(std::get<AppendResult>(appendNow(room, u"alice"_s, u"m1"_s, u"hola"_s)).message.seq, 1);
        const auto given = amendNow(room, u"bob"_s, u"r1"_s, MessageKind::React, 1, u"👍"_s);
        QVERIFY(std::holds_alternative<AppendResult>(given));
        QCOMPARE(std::get<AppendResult>(given).message.seq, 2);
        QCOMPARE(std::get<AppendResult>(given).message.kind, MessageKind::React);
        QCOMPARE(std::get<AppendResult>(given).message.text, u"👍"_s);
        QVERIFY(std::get<AppendResult>(amendNow(room, u"bob"_s, u"r1"_s, MessageKind::React, 1, u"👍"_s)).duplicate);
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"Alice"_s, u"r2"_s, MessageKind::React, 1, u"👍"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"carol"_s, u"r3"_s, MessageKind::React, 1, u"🎉"_s)));
        QCOMPARE(errorOf(amendNow(room, u"bob"_s, u"x1"_s, MessageKind::React, 9, u"👍"_s)), ErrorCode::NotFound);
        QCOMPARE(errorOf(amendNow(room, u"bob"_s, u"x2"_s, MessageKind::React, 2, u"👍"_s)), ErrorCode::BadRequest);
        QCOMPARE(m_store->findRoom(u"x"_s)->lastSeq, 4);

        bool more = false;
        ChatMessage first = m_store->history(room, std::nullopt, std::nullopt, 50, &more).first();
        QCOMPARE(first.reactionSeq, 4);
        QCOMPARE(first.reactions, (QList<Protocol::Reaction>{{u"👍"_s, {u"bob"_s, u"Alice"_s}}, {u"🎉"_s, {u"carol"_s}}}));
        const auto taken = amendNow(room, u"ALICE"_s, u"u1"_s, MessageKind::Unreact, 1, u"👍"_s);
        QCOMPARE(std::get<AppendResult>(taken).message.kind, MessageKind::Unreact);
        // Read on the reader thread: the reactions as they are now.
        std::optional<StoreResult<HistorySlice>> page;
        QObject context;
        m_store->readHistory(room, std::nullopt, std::nullopt, 50, &context, [&](const auto &r) { page = r; });
        QTRY_VERIFY(page.has_value());
        first = std::get<HistorySlice>(*page).messages.first();
        QCOMPARE(first.reactions, (QList<Protocol::Reaction>{{u"👍"_s, {u"bob"_s}}, {u"🎉"_s, {u"carol"_s}}}));
        QCOMPARE(first.reactionSeq, 5);
        QCOMPARE(std::get<HistorySlice>(*page).messages.size(), 5); // the message and four entries

        // At most kMaxPerMessage different reactions; more people may still give one it has.
        const QStringList symbols{u"😀"_s, u"😁"_s, u"😂"_s, u"🤣"_s, u"😃"_s, u"😄"_s, u"😅"_s, u"😆"_s, u"😉"_s,
                                  u"😊"_s, u"😋"_s, u"😎"_s, u"😍"_s, u"😘"_s, u"🥰"_s, u"😗"_s, u"😙"_s, u"🥲"_s};
        for (const QString &symbol : symbols)
            QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"dave"_s, u"d"_s + symbol, MessageKind::React, 1, symbol)));
        QCOMPARE(errorOf(amendNow(room, u"dave"_s, u"over"_s, MessageKind::React, 1, u"🙃"_s)), ErrorCode::TooLarge);
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"erin"_s, u"e1"_s, MessageKind::React, 1, u"🎉"_s)));

        // Deleted: no more reactions, and the old ones are gone.
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"del"_s, MessageKind::Delete, 1)));
        QCOMPARE(errorOf(amendNow(room, u"bob"_s, u"x3"_s, MessageKind::React, 1, u"👍"_s)), ErrorCode::NotFound);
        QVERIFY(m_store->history(room, std::nullopt, std::nullopt, 50, &more).first().reactions.isEmpty());
    }

    /// A search on the store's reader (readSearch), as the `search` request reads; also compared with the
    /// synchronous search() so that both connections answer alike.
    SearchSlice searchNow(const QString &query, const QList<RoomRecord> &rooms, int limit = 20,
                          std::optional<SearchCursor> before = std::nullopt)
    {
        const SearchRequest request{Protocol::searchTerms(query), rooms, before, limit};
        std::optional<StoreResult<SearchSlice>> read;
        QObject context;
        m_store->readSearch(request, &context, [&](const auto &r) { read = r; });
        QDeadlineTimer deadline(10000);
        while (!read && !deadline.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        if (!read || !std::holds_alternative<SearchSlice>(*read)) {
            qWarning() << "the search failed:" << query;
            return {};
        }
        const auto direct = m_store->search(request);
        if (!std::holds_alternative<SearchSlice>(direct)
            || std::get<SearchSlice>(direct).hits != std::get<SearchSlice>(*read).hits)
            qWarning() << "search() and readSearch() differ for" << query;
        return std::get<SearchSlice>(*read);
    }

    static QList<qint64> seqsOf(const SearchSlice &slice)
    {
        QList<qint64> seqs;
        for (const Protocol::SearchHit &hit : slice.hits)
            seqs.append(hit.message.seq);
        return seqs;
    }

    /*! Search (issue 12): words by prefix, case and accents aside, all of them; messages by their text now (an
        edit's new text, never a deleted one's, never the edit entries themselves); only the rooms asked; newest
        first, a page at a time; each hit as history shows it (reactions) with its snippet and highlights. */
    void search()
    {
        using Protocol::MessageKind;
        const RoomRecord room = makeRoom(u"x"_s);
        const RoomRecord hidden = makeRoom(u"hidden"_s);
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"alice"_s, u"m1"_s, u"Un café con leche"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"bob"_s, u"m2"_s, u"The CAFETERIA is open"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"alice"_s, u"m3"_s, u"nothing to see"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"alice"_s, u"m4"_s, u"old words about tea"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"e4"_s, MessageKind::Edit, 4, u"new words about coffee"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"alice"_s, u"m6"_s, u"un secreto"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"d6"_s, MessageKind::Delete, 6)));
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"bob"_s, u"r1"_s, MessageKind::React, 1, u"👍"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(hidden, u"carol"_s, u"h1"_s, u"café privado"_s)));

        // Accents and case folded both ways, prefixes match; newest first.
        SearchSlice found = searchNow(u"cafe"_s, {room});
        QCOMPARE(seqsOf(found), (QList<qint64>{2, 1}));
        QVERIFY(!found.hasMore);
        QCOMPARE(searchNow(u"CAFÉ"_s, {room}).hits, found.hits);
        const Protocol::SearchHit &coffee = found.hits.at(1);
        QCOMPARE(coffee.message.text, u"Un café con leche"_s);
        QCOMPARE(coffee.message.sender, u"alice"_s);
        QCOMPARE(coffee.message.room, u"x"_s);
        QCOMPARE(coffee.message.reactions, (QList<Protocol::Reaction>{{u"👍"_s, {u"bob"_s}}}));
        QCOMPARE(coffee.snippet, u"Un café con leche"_s);
        QCOMPARE(coffee.highlights, (QList<Protocol::TextRange>{{3, 4}}));
        QCOMPARE(found.hits.at(0).snippet.mid(found.hits.at(0).highlights.value(0).start,
                                              found.hits.at(0).highlights.value(0).length), u"CAFETERIA"_s);
        // Every word must be there.
        QCOMPARE(seqsOf(searchNow(u"café leche"_s, {room})), QList<qint64>{1});
        QCOMPARE(seqsOf(searchNow(u"cafe open"_s, {room})), QList<qint64>{2});
        QVERIFY(searchNow(u"cafe nothing"_s, {room}).hits.isEmpty());
        // An edited message by its new text only, and once (the edit entry itself is no hit).
        QVERIFY(searchNow(u"tea"_s, {room}).hits.isEmpty());
        found = searchNow(u"coffee"_s, {room});
        QCOMPARE(seqsOf(found), QList<qint64>{4});
        QVERIFY(found.hits.first().message.editedAt > 0);
        QCOMPARE(found.hits.first().message.text, u"new words about coffee"_s);
        // A deleted message is never found.
        QVERIFY(searchNow(u"secreto"_s, {room}).hits.isEmpty());
        // Only the rooms asked for.
        QVERIFY(searchNow(u"privado"_s, {room}).hits.isEmpty());
        QCOMPARE(seqsOf(searchNow(u"privado"_s, {room, hidden})), QList<qint64>{1});
        QCOMPARE(searchNow(u"cafe"_s, {room, hidden}).hits.size(), 3);
        QVERIFY(searchNow(u"cafe"_s, {}).hits.isEmpty());
        // Query syntax is no syntax: quotes, stars, NEAR and column filters are words or separators.
        QVERIFY(searchNow(u"\"text\":* NEAR(a b) OR"_s, {room}).hits.isEmpty());
        QCOMPARE(seqsOf(searchNow(u"\"leche\"*"_s, {room})), QList<qint64>{1});

        // Pages: newest first, each below the one before, nothing twice.
        for (int i = 0; i < 5; ++i)
            QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"bob"_s, u"p%1"_s.arg(i), u"café %1"_s.arg(i))));
        QList<qint64> paged;
        std::optional<SearchCursor> before;
        int pages = 0;
        do {
            const SearchSlice page = searchNow(u"cafe"_s, {room}, 3, before);
            QVERIFY(page.hits.size() <= 3);
            QCOMPARE(page.positions.size(), page.hits.size());
            paged += seqsOf(page);
            before = page.hasMore ? std::optional(page.positions.last()) : std::nullopt;
            QVERIFY(++pages <= 3);
        } while (before);
        QCOMPARE(paged, (QList<qint64>{13, 12, 11, 10, 9, 2, 1}));
        QCOMPARE(pages, 3);

        // Across rooms: small pages add up to the one big page, in the same order (time, then room, then seq).
        const RoomRecord other = makeRoom(u"y"_s);
        for (int i = 0; i < 4; ++i) {
            QVERIFY(std::holds_alternative<AppendResult>(appendNow(other, u"carol"_s, u"y%1"_s.arg(i), u"cafés %1"_s.arg(i))));
            QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"bob"_s, u"q%1"_s.arg(i), u"más café %1"_s.arg(i))));
        }
        const SearchSlice whole = searchNow(u"cafe"_s, {room, other, hidden}, 50);
        QCOMPARE(whole.hits.size(), 7 + 4 + 4 + 1);
        QVERIFY(!whole.hasMore);
        for (qsizetype i = 1; i < whole.positions.size(); ++i) {
            const SearchCursor &a = whole.positions.at(i - 1);
            const SearchCursor &b = whole.positions.at(i);
            QVERIFY(std::tie(a.ts, a.roomId, a.seq) > std::tie(b.ts, b.roomId, b.seq));
        }
        QList<Protocol::SearchHit> pagedHits;
        before.reset();
        pages = 0;
        do {
            const SearchSlice page = searchNow(u"cafe"_s, {room, other, hidden}, 2, before);
            pagedHits += page.hits;
            before = page.hasMore ? std::optional(page.positions.last()) : std::nullopt;
            QVERIFY(++pages <= 8);
        } while (before);
        QCOMPARE(pagedHits, whole.hits);

        // The cursor's text form reads back, and nothing else does.
        const SearchCursor cursor{1700000000123, 4, 99};
        QCOMPARE(SearchCursor::parse(cursor.toString()), std::optional(cursor));
        for (const QString &bad : {u""_s, u"1.2"_s, u"1.2.3.4"_s, u"-1.2.3"_s, u"a.b.c"_s, u"01.2.3"_s, u"+1.2.3"_s})
            QVERIFY2(!SearchCursor::parse(bad), qPrintable(bad));
    }

    /*! The search queue (SQLite, schema 18): a message waits in search_pending, queued in its own transaction,
        until SqliteStore::kSearchBatch of them wait, and is indexed with the batch that completes them; a
        search indexes what waits first; an edit or a deletion of a queued message and of an indexed one both
        end up as the message is; a room deleted with its history takes its queued messages along; a queue
        left at close is indexed after reopening. */
    void searchQueue()
    {
        using Protocol::MessageKind;
        if (m_postgres)
            QSKIP("PostgreSQL indexes a message with its row (a generated column and a GIN index): no queue");
        const auto counts = [this] {
            std::pair<qint64, qint64> queuedAndIndexed{-1, -1};
            withDatabase(u"main"_s, [&](QSqlDatabase &db) {
                QSqlQuery q(db);
                QVERIFY(q.exec(u"SELECT (SELECT count(*) FROM search_pending), (SELECT count(*) FROM message_search)"_s));
                QVERIFY(q.next());
                queuedAndIndexed = {q.value(0).toLongLong(), q.value(1).toLongLong()};
            });
            return queuedAndIndexed;
        };
        using Counts = std::pair<qint64, qint64>;
        const qint64 batch = SqliteStore::kSearchBatch;
        const RoomRecord room = makeRoom(u"q"_s);
        for (qint64 i = 1; i < batch; ++i)
            QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"alice"_s, u"m%1"_s.arg(i), u"palabra %1"_s.arg(i))));
        QCOMPARE(counts(), Counts(batch - 1, 0));
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"alice"_s, u"last"_s, u"palabra final"_s)));
        QCOMPARE(counts(), Counts(0, batch));

        // Two queued, two indexed: one of each edited, one of each deleted.
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"bob"_s, u"n1"_s, u"antes"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"bob"_s, u"n2"_s, u"borrar ya"_s)));
        QCOMPARE(counts(), Counts(2, batch));
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"bob"_s, u"e1"_s, MessageKind::Edit, batch + 1, u"después"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"e2"_s, MessageKind::Edit, 1, u"cambiada"_s)));
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"bob"_s, u"d1"_s, MessageKind::Delete, batch + 2)));
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"d2"_s, MessageKind::Delete, 2)));
        QCOMPARE(counts(), Counts(2, batch - 1)); // the indexed deletion left the index at once
        QCOMPARE(seqsOf(searchNow(u"despues"_s, {room})), QList<qint64>{batch + 1});
        QCOMPARE(counts(), Counts(0, batch));
        QVERIFY(searchNow(u"antes"_s, {room}).hits.isEmpty());
        QVERIFY(searchNow(u"borrar"_s, {room}).hits.isEmpty());
        QCOMPARE(seqsOf(searchNow(u"cambiada"_s, {room})), QList<qint64>{1});
        QCOMPARE(searchNow(u"palabra"_s, {room}, 100).hits.size(), batch - 2);

        // A room deleted with its history: its queued messages leave the queue.
        const RoomRecord gone = makeRoom(u"gone"_s);
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(gone, u"carol"_s, u"g1"_s, u"efímero"_s)));
        QCOMPARE(counts(), Counts(1, batch));
        QVERIFY(m_store->deleteRoom(gone.id, 10, false));
        QCOMPARE(counts(), Counts(0, batch));

        // Left queued at close, indexed after reopening.
        for (int i = 0; i < 3; ++i)
            QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"carol"_s, u"t%1"_s.arg(i), u"tarde %1"_s.arg(i))));
        m_store.reset();
        QCOMPARE(counts(), Counts(3, batch));
        m_store = openStore(u"main"_s);
        QVERIFY(m_store);
        QCOMPARE(searchNow(u"tarde"_s, {room}).hits.size(), 3);
        QCOMPARE(counts(), Counts(0, batch + 3));
    }

    /*! Read markers (issue 12): per user and room, only ever raised (a lower seq answers the stored one),
        case-insensitive users, written on the writer and read on the reader thread as by the loop. */
    void readMarkers()
    {
        const RoomRecord x = makeRoom(u"x"_s);
        const RoomRecord y = makeRoom(u"y"_s);
        const auto raise = [this](qint64 roomId, const QString &user, qint64 seq) -> qint64 {
            std::optional<StoreResult<qint64>> stored;
            m_store->setReadMarker(roomId, user, seq, [&stored](const StoreResult<qint64> &r) { stored = r; });
            if (!QTest::qWaitFor([&] { return stored.has_value(); }, 10000))
                return -1;
            const auto *value = std::get_if<qint64>(&*stored);
            return value ? *value : -2;
        };
        using Markers = QHash<qint64, qint64>;
        const auto markersOf = [this](const QString &user) { return std::get<Markers>(m_store->readMarkers(user)); };
        QVERIFY(markersOf(u"alice"_s).isEmpty());
        QCOMPARE(raise(x.id, u"Alice"_s, 5), 5);
        QCOMPARE(raise(x.id, u"alice"_s, 3), 5); // never backwards
        QCOMPARE(raise(x.id, u"ALICE"_s, 9), 9);
        QCOMPARE(raise(y.id, u"alice"_s, 2), 2);
        QCOMPARE(raise(x.id, u"bob"_s, 1), 1);
        QCOMPARE(markersOf(u"alice"_s), (Markers{{x.id, 9}, {y.id, 2}}));
        QCOMPARE(markersOf(u"BOB"_s), (Markers{{x.id, 1}}));
        QVERIFY(markersOf(u"carol"_s).isEmpty());

        std::optional<StoreResult<QHash<qint64, qint64>>> read;
        QObject context;
        m_store->readReadMarkers(u"Alice"_s, &context, [&read](const auto &r) { read = r; });
        QVERIFY(!read.has_value()); // always later than the call
        QTRY_VERIFY(read.has_value());
        using Markers = QHash<qint64, qint64>;
        QCOMPARE(std::get<Markers>(*read), (Markers{{x.id, 9}, {y.id, 2}}));
    }

    /*! Room settings (schema version 11): updateRoom() changes only the settings given and answers the room
        as stored; deleteRoom() takes the room out of rooms() and findRoom() for good (its name stays taken),
        drops its members, invitations, roles, sanctions and read markers, and keeps its messages or not. */
    void roomSettings()
    {
        const RoomRecord room = makeRoom(u"plaza"_s);
        QCOMPARE(m_store->findRoom(u"plaza"_s)->title, QString());
        const auto titled = m_store->updateRoom(room.id, RoomChange{u"The plaza"_s, u"Be kind"_s, {}, {}});
        QVERIFY(titled);
        QCOMPARE(titled->title, u"The plaza"_s);
        QCOMPARE(titled->topic, u"Be kind"_s);
        QVERIFY(!titled->isPrivate);
        // Only what is given changes.
        const auto archived = m_store->updateRoom(room.id, RoomChange{{}, {}, true, true});
        QVERIFY(archived);
        QCOMPARE(archived->title, u"The plaza"_s);
        QCOMPARE(archived->topic, u"Be kind"_s);
        QVERIFY(archived->isPrivate);
        QVERIFY(archived->archived);
        const auto cleared = m_store->updateRoom(room.id, RoomChange{u""_s, u""_s, false, {}});
        QVERIFY(cleared);
        QVERIFY(cleared->title.isEmpty() && cleared->topic.isEmpty() && !cleared->isPrivate && cleared->archived);
        const RoomRecord found = *m_store->findRoom(u"PLAZA"_s);
        QCOMPARE(found.title, QString());
        QVERIFY(found.archived);
        QVERIFY(!m_store->updateRoom(room.id + 1000, RoomChange{u"x"_s, {}, {}, {}}));

        // Deleted, history kept.
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(room, u"alice"_s, u"m1"_s, u"kept words"_s)));
        QVERIFY(m_store->addMember(room.id, u"bob"_s));
        QVERIFY(m_store->addInvite(room.id, u"carol"_s, u"alice"_s));
        QVERIFY(m_store->setSanction(SanctionRecord{room.id, u"dave"_s, SanctionKind::Ban, 0, u"alice"_s, {}, 1}));
        QVERIFY(waitCommitted(*m_store));
        QVERIFY(m_store->deleteRoom(room.id, 1234, true));
        QVERIFY(!m_store->findRoom(u"plaza"_s));
        const QList<RoomRecord> live = m_store->rooms();
        QVERIFY(std::none_of(live.cbegin(), live.cend(), [&](const RoomRecord &r) { return r.id == room.id; }));
        QVERIFY(m_store->members(room.id).isEmpty());
        QVERIFY(!m_store->hasInvite(room.id, u"carol"_s));
        QVERIFY(m_store->roomRoles(room.id).isEmpty());
        QVERIFY(m_store->sanctions(room.id).isEmpty());
        bool more = false;
        const QList<ChatMessage> kept = m_store->history(room, {}, {}, 50, &more);
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept.first().text, u"kept words"_s);
        QCOMPARE(std::get<Protocol::Error>(m_store->createRoom(RoomRecord{0, u"Plaza"_s, false, u"bob"_s, 0, 2})).code,
                 Protocol::ErrorCode::Conflict); // the name stays taken
        QVERIFY(!m_store->deleteRoom(room.id, 1235, true)); // once
        QVERIFY(!m_store->updateRoom(room.id, RoomChange{u"x"_s, {}, {}, {}}));

        // Deleted with its history.
        const RoomRecord other = makeRoom(u"other"_s);
        QVERIFY(std::holds_alternative<AppendResult>(appendNow(other, u"alice"_s, u"o1"_s, u"gone words"_s)));
        QVERIFY(m_store->deleteRoom(other.id, 1236, false));
        QVERIFY(m_store->history(other, {}, {}, 50, &more).isEmpty());
        QVERIFY(!m_store->findRoom(u"other"_s));
    }

    /*! Files (issue 12): stored with their bytes, claimed by one message of their uploader in their room (in the
        append's transaction), carried by that message wherever it is read, and forgotten, bytes and all, with
        the message or the room. */
    void files()
    {
        const RoomRecord room = makeRoom(u"fotos"_s);
        const RoomRecord other = makeRoom(u"otra"_s);
        const QByteArray bytes = QByteArray("\x89PNG") + QByteArray(3000, 'z');
        auto record = [&](const QString &id, const RoomRecord &in, const QString &uploader) {
            FileRecord f;
            f.info = Protocol::FileInfo{id, u"gato.png"_s, u"image/png"_s, bytes.size(), 64, 48};
            f.roomId = in.id;
            f.room = in.name;
            f.uploader = uploader;
            f.createdAt = 1;
            return f;
        };
        for (const FileRecord &f : {record(u"f1"_s, room, u"alice"_s), record(u"f2"_s, room, u"alice"_s),
                                    record(u"f3"_s, other, u"alice"_s), record(u"f4"_s, room, u"bob"_s)})
            QVERIFY(std::holds_alternative<FileRecord>(m_store->storeFile(f, bytes)));
        QCOMPARE(m_store->fileBytes(u"f1"_s), std::optional<QByteArray>(bytes));
        QCOMPARE(m_store->findFile(u"f1"_s)->seq, 0);
        QCOMPARE(m_store->findFile(u"f1"_s)->room, u"fotos"_s);
        QVERIFY(!m_store->findFile(u"nope"_s));

        auto appendFile = [&](const RoomRecord &in, const QString &sender, const QString &clientId, const QString &fileId) {
            std::optional<StoreResult<AppendResult>> result;
            m_store->append(AppendRequest{in, sender, clientId, u""_s, 0, fileId}, [&](const auto &r) { result = r; });
            m_store->flush();
            return *result;
        };
        const auto sent = appendFile(room, u"alice"_s, u"c1"_s, u"f1"_s);
        QVERIFY(std::holds_alternative<AppendResult>(sent));
        const ChatMessage message = std::get<AppendResult>(sent).message;
        QCOMPARE(message.file->id, u"f1"_s);
        QCOMPARE(message.file->width, 64);
        QCOMPARE(m_store->findFile(u"f1"_s)->seq, message.seq);
        // A retry is the same message; the file cannot go out twice, nor someone else's, nor another room's.
        QVERIFY(std::get<AppendResult>(appendFile(room, u"alice"_s, u"c1"_s, u"f1"_s)).duplicate);
        for (const auto &[clientId, fileId, sender] : {std::tuple{u"c2"_s, u"f1"_s, u"alice"_s}, std::tuple{u"c3"_s, u"f3"_s, u"alice"_s},
                                                         std::tuple{u"c4"_s, u"f4"_s, u"alice"_s}, std::tuple{u"c5"_s, u"zz"_s, u"alice"_s}}) {
            const auto refused = appendFile(room, sender, clientId, fileId);
            QVERIFY2(std::holds_alternative<Protocol::Error>(refused), qPrintable(fileId));
            QCOMPARE(std::get<Protocol::Error>(refused).code, Protocol::ErrorCode::NotFound);
        }
        bool hasMore = false;
        QList<ChatMessage> stored = m_store->history(room, {}, {}, 50, &hasMore);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().file, message.file);

        // Deleted: the message loses its file, and the file is gone.
        QVERIFY(std::holds_alternative<AppendResult>(amendNow(room, u"alice"_s, u"d1"_s, Protocol::MessageKind::Delete, message.seq)));
        QVERIFY(!m_store->findFile(u"f1"_s));
        QVERIFY(!m_store->fileBytes(u"f1"_s));
        stored = m_store->history(room, {}, {}, 50, &hasMore);
        QVERIFY(!stored.first().file);
        // The room deleted without its history: its files go; another room's stay.
        QVERIFY(m_store->deleteRoom(room.id, 5, false));
        QVERIFY(!m_store->findFile(u"f2"_s));
        QVERIFY(!m_store->fileBytes(u"f2"_s));
        QCOMPARE(m_store->fileBytes(u"f3"_s), std::optional<QByteArray>(bytes));
    }

    /*! Written times (issue 12, defect 11; schema 14): a message keeps the written time it was appended with
        (NULL, read as 0, when none) beside its commit time, in the append's answer, a retry's (the stored one,
        whatever the retry says), history on both connections, the log other nodes read, search, and after
        reopening the database. */
    void writtenTimes()
    {
        const RoomRecord room = makeRoom(u"sala"_s);
        constexpr qint64 written = 1795660000000;
        auto appendWritten = [&](const QString &clientId, const QString &text, qint64 writtenAt) {
            std::optional<StoreResult<AppendResult>> result;
            AppendRequest request{room, u"alice"_s, clientId, text};
            request.writtenAt = writtenAt;
            m_store->append(request, [&](const auto &r) { result = r; });
            m_store->flush();
            return *result;
        };
        const auto late = appendWritten(u"w1"_s, u"escrito sin conexión"_s, written);
        QVERIFY(std::holds_alternative<AppendResult>(late));
        QCOMPARE(std::get<AppendResult>(late).message.writtenAt, written);
        QVERIFY(std::get<AppendResult>(late).message.timestamp > written); // the commit time stays its own
        QCOMPARE(std::get<AppendResult>(appendWritten(u"w2"_s, u"en el momento"_s, 0)).message.writtenAt, 0);
        // A retry answers what was stored.
        const auto retry = appendWritten(u"w1"_s, u"escrito sin conexión"_s, written + 5000);
        QVERIFY(std::get<AppendResult>(retry).duplicate);
        QCOMPARE(std::get<AppendResult>(retry).message.writtenAt, written);
        const auto retryWithout = appendWritten(u"w1"_s, u"escrito sin conexión"_s, 0);
        QCOMPARE(std::get<AppendResult>(retryWithout).message.writtenAt, written);

        const auto check = [&](const QList<ChatMessage> &messages) {
            QCOMPARE(messages.size(), 2);
            QCOMPARE(messages[0].writtenAt, written);
            QCOMPARE(messages[1].writtenAt, 0);
        };
        bool more = false;
        check(m_store->history(room, std::nullopt, std::nullopt, 50, &more));
        std::optional<StoreResult<HistorySlice>> page;
        QObject context;
        m_store->readHistory(room, std::nullopt, std::nullopt, 50, &context, [&](const auto &r) { page = r; });
        QTRY_VERIFY(page.has_value());
        check(std::get<HistorySlice>(*page).messages);
        // The log other nodes catch up from (positions are kept on PostgreSQL).
        if (const auto after = m_store->messagesAfter(0, 10); after && !after->isEmpty()) {
            QCOMPARE(after->size(), 2);
            QCOMPARE(after->at(0).message.writtenAt, written);
            QCOMPARE(after->at(1).message.writtenAt, 0);
        }
        const SearchSlice found = searchNow(u"conexión"_s, {room});
        QCOMPARE(seqsOf(found), QList<qint64>{1});
        QCOMPARE(found.hits.first().message.writtenAt, written);

        m_store.reset();
        m_store = openStore(u"main"_s);
        QVERIFY(m_store);
        check(m_store->history(room, std::nullopt, std::nullopt, 50, &more));
    }

    /*! Delivery traces across nodes (issue 13; schema 16): a database of version 15 with a message is brought
        to 16, its message untraced; a traced message keeps its trace context and the node that received it
        (`messages.traceparent`, `trace_node`), an untraced one NULL for both, and a retry changes nothing.
        Where positions are kept (PostgreSQL) the log other nodes read gives them back, synchronously and off
        the loop, and a stored context that is not a W3C trace context reads as untraced. */
    void traceContexts()
    {
        m_store.reset();
        const auto all = m_postgres ? PostgresStore::migrations() : SqliteStore::migrations();
        QVERIFY(all.size() > 15);
        withDatabase(u"v15"_s, [&](QSqlDatabase &db) {
            QString error;
            QVERIFY2(applyMigrations(db, all.first(15), {}, &error), qPrintable(error));
            QCOMPARE(schemaVersion(db), 15);
            QSqlQuery q(db);
            QVERIFY2(q.exec(u"INSERT INTO rooms (name, key, private, creator, last_seq, created_at)"
                            " VALUES ('sala', 'sala', %1, 'alice', 1, 1)"_s.arg(m_postgres ? u"FALSE"_s : u"0"_s)),
                     qPrintable(q.lastError().text()));
            QVERIFY2(q.exec(m_postgres ? u"INSERT INTO messages (room_id, seq, gpos, sender, sender_key, client_msg_id, text, ts)"
                                         " SELECT id, 1, 1, 'alice', 'alice', 'old', 'de antes', 5 FROM rooms WHERE key = 'sala'"_s
                                       : u"INSERT INTO messages (room_id, seq, sender, sender_key, client_msg_id, text, ts)"
                                         " SELECT id, 1, 'alice', 'alice', 'old', 'de antes', 5 FROM rooms WHERE key = 'sala'"_s),
                     qPrintable(q.lastError().text()));
            if (m_postgres)
                QVERIFY(q.exec(u"UPDATE positions SET gpos = 1 WHERE id = 1"_s));
        });
        if (QTest::currentTestFailed())
            return;
        m_store = openStore(u"v15"_s);
        QVERIFY(m_store);
        const RoomRecord room = *m_store->findRoom(u"sala"_s);
        QCOMPARE(room.lastSeq, 1);

        const auto context = Trace::TraceContext::parse(u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        QVERIFY(context);
        const auto appendNowWith = [&](const QString &clientId, const Trace::TraceContext &trace, const QString &node) {
            std::optional<StoreResult<AppendResult>> result;
            AppendRequest request{room, u"alice"_s, clientId, u"hola"_s};
            request.trace = trace;
            request.traceNode = node;
            m_store->append(request, [&](const auto &r) { result = r; });
            m_store->flush();
            return *result;
        };
        QCOMPARE(std::get<AppendResult>(appendNowWith(u"t1"_s, *context, u"n1"_s)).message.seq, 2);
        QCOMPARE(std::get<AppendResult>(appendNowWith(u"u1"_s, {}, u"n1"_s)).message.seq, 3);
        // A retry, traced anew on another node: the message is the stored one, its context too.
        QVERIFY(std::get<AppendResult>(appendNowWith(u"t1"_s, context->childSpan(), u"n2"_s)).duplicate);

        const QString traceparent = u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"_s;
        withDatabase(u"v15"_s, [&](QSqlDatabase &db) {
            QCOMPARE(schemaVersion(db), all.back().version);
            QSqlQuery q(db);
            QVERIFY(q.exec(u"SELECT seq, traceparent, trace_node FROM messages ORDER BY seq"_s));
            QList<std::tuple<qint64, QVariant, QVariant>> rows;
            while (q.next())
                rows.append({q.value(0).toLongLong(), q.value(1), q.value(2)});
            QCOMPARE(rows.size(), 3);
            for (const auto &[seq, storedContext, node] : std::as_const(rows)) {
                QCOMPARE(storedContext.isNull(), seq != 2);
                QCOMPARE(node.isNull(), seq != 2);
            }
            QCOMPARE(std::get<1>(rows.at(1)).toString(), traceparent);
            QCOMPARE(std::get<2>(rows.at(1)).toString(), u"n1"_s);
        });
        if (QTest::currentTestFailed() || !m_postgres)
            return; // SQLite keeps no positions: nothing reads the log there

        const auto checkLog = [&](const QList<PositionedMessage> &log) {
            QCOMPARE(log.size(), 3);
            QCOMPARE(log.at(0).message.seq, 1);
            QVERIFY(!log.at(0).trace.isValid());
            QVERIFY(log.at(0).traceNode.isEmpty());
            QCOMPARE(log.at(1).message.seq, 2);
            QCOMPARE(log.at(1).trace, *context);
            QCOMPARE(log.at(1).traceNode, u"n1"_s);
            QVERIFY(!log.at(2).trace.isValid());
            QVERIFY(log.at(2).traceNode.isEmpty());
        };
        checkLog(m_store->messagesAfter(0, 10).value());
        std::optional<std::optional<QList<PositionedMessage>>> read;
        m_store->readMessagesAfter(0, 10, this, [&](const auto &r) { read = r; });
        QTRY_VERIFY(read.has_value());
        QVERIFY(read->has_value());
        checkLog(**read);

        // A context that is not one (an all-zero trace id, which the W3C calls invalid): read, untraced.
        withDatabase(u"v15"_s, [&](QSqlDatabase &db) {
            QSqlQuery q(db);
            QVERIFY(q.exec(u"UPDATE messages SET traceparent = '00-00000000000000000000000000000000-00f067aa0ba902b7-01'"
                           " WHERE seq = 2"_s));
        });
        const auto hostile = m_store->messagesAfter(1, 10).value();
        QCOMPARE(hostile.size(), 2);
        QCOMPARE(hostile.at(0).message.text, u"hola"_s);
        QVERIFY(!hostile.at(0).trace.isValid());
        QVERIFY(hostile.at(0).traceNode.isEmpty());
    }

    /*! Data survives closing and reopening, and numbering continues. */
    void reopen()
    {
        {
            auto opened = openStore(u"reopen"_s);
            QVERIFY(opened);
            Store &store = *opened;
            const RoomRecord room = std::get<RoomRecord>(store.createRoom(RoomRecord{0, u"x"_s, false, u"a"_s, 0, 1}));
            for (int i = 0; i < 3; ++i)
                store.append(AppendRequest{room, u"a"_s, u"k%1"_s.arg(i), u"t"_s}, [](const auto &) {});
        } // the destructor commits what is queued
        auto reopened = openStore(u"reopen"_s);
        QVERIFY(reopened);
        Store &store = *reopened;
        const RoomRecord room = *store.findRoom(u"x"_s);
        QCOMPARE(room.lastSeq, 3);
        std::optional<qint64> seq;
        store.append(AppendRequest{room, u"a"_s, u"k9"_s, u"t"_s},
                     [&](const auto &r) { seq = std::get<AppendResult>(r).message.seq; });
        store.flush();
        QCOMPARE(seq, std::optional<qint64>(4));
    }


    /*! A database written by a newer server (a schema version above the last migration known here) is
        refused with a clear message instead of being used. */
    void newerSchemaRefused()
    {
        m_store.reset();
        {
            auto store = openStore(u"newer"_s);
            QVERIFY(store);
        }
        const QString database = u"t%1_newer"_s.arg(m_testNumber);
        const QString bump = u"UPDATE meta SET value = '999' WHERE key = 'schema_version'"_s;
        if (m_postgres) {
            QVERIFY2(m_pg->execute(database, bump), qPrintable(m_pg->errorString()));
        } else {
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"bump"_s);
                db.setDatabaseName(m_dir.filePath(database + u".db"_s));
                QVERIFY(db.open());
                QSqlQuery q(db);
                QVERIFY(q.exec(bump));
                db.close();
            }
            QSqlDatabase::removeDatabase(u"bump"_s);
        }
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"cannot open the store:.*999.*upgrade the server"_s));
        QVERIFY(!openStore(u"newer"_s));
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
