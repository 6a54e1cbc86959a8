// Chaos: the disk fails under the real tertulia-server. strace, attached to the running process, makes
// fdatasync fail with EIO (with --full-sync every commit syncs) or the database writes fail with ENOSPC
// (a full disk). A failed commit must answer `internal` and deliver nothing; a retry with the same
// client_msg_id must be safe (stored once after recovery, also across a crash); the server keeps serving.
#include "chaos/chaoschecks.h"
#include "chaos/chaosclient.h"
#include "chaos/faultinjector.h"
#include "chaos/serverprocess.h"
#include "support/httpclient.h"
#include "support/printers.h"
#include "support/wsclient.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Chaos;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;

namespace {
const QString kServer = QStringLiteral(SERVER_BINARY);
const QString kRoom = u"disk"_s;

QString signIn(HttpClient &http, const QString &user)
{
    const QJsonObject credentials{{"username"_L1, user}, {"password"_L1, u"password123"_s}};
    http.postJson(u"/api/v1/register"_s, credentials);
    const HttpResult result = http.postJson(u"/api/v1/login"_s, credentials);
    const auto pair = TokenPair::fromJson(result.json);
    return std::holds_alternative<TokenPair>(pair) ? std::get<TokenPair>(pair).accessToken : QString();
}

/// A config that keeps the rate and churn limits out of the way of clients that retry hard.
QString writeConfig(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(u"server.json"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(R"({"limits": {"rate_burst": 100000, "rate_per_second": 100000, "user_rate_burst": 100000,
        "user_rate_per_second": 100000, "ip_connect_burst": 100000, "ip_connect_per_second": 100000,
        "user_connect_burst": 100000, "user_connect_per_second": 100000}})");
    return path;
}

SendResult sendResult(const Reply &reply)
{
    const auto parsed = SendResult::fromJson(reply.data);
    return std::holds_alternative<SendResult>(parsed) ? std::get<SendResult>(parsed) : SendResult{};
}
} // namespace

class TestStoreFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QString why;
        if (FaultInjector::isAvailable(&why))
            return;
        // CI installs strace (.ci/deps.sh test): there, a missing fault tool is a failure, never a skip.
        if (qEnvironmentVariableIntValue("TERTULIA_CHAOS_ALLOW_SKIP") == 1)
            QSKIP(qPrintable(u"no fault injection: "_s + why));
        QFAIL(qPrintable(u"no fault injection (set TERTULIA_CHAOS_ALLOW_SKIP=1 to skip outside CI): "_s + why));
    }

    void failedCommit_data()
    {
        QTest::addColumn<QString>("syscalls");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QByteArray>("logged");
        // synchronous=FULL: every commit ends with an fdatasync of the WAL, so a failing one fails the commit.
        QTest::newRow("fdatasync EIO") << u"fdatasync,fsync"_s << u"EIO"_s << QStringList{u"--full-sync"_s}
                                       << QByteArray("commit failed: \"disk I/O error");
        // The database's writes are pwrite64 (write also carries the event loop's wakeups: left alone).
        QTest::newRow("disk full") << u"pwrite64"_s << u"ENOSPC"_s << QStringList{}
                                   << QByteArray("commit failed: \"database or disk is full");
    }
    /*! One message during the fault: `internal`, not delivered, not in history, retried safely during and
        after the fault; stored exactly once, also after a SIGKILL and a restart. A join and a new room
        during the fault fail the same way and leave nothing behind. */
    void failedCommit()
    {
        QFETCH(QString, syscalls);
        QFETCH(QString, error);
        QFETCH(QStringList, arguments);
        QFETCH(QByteArray, logged);
        QTemporaryDir dir;
        ServerProcess server(kServer, dir.filePath(u"data"_s), arguments + QStringList{u"--config"_s, writeConfig(dir)});
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QString aliceToken, bobToken, carolToken;
        {
            HttpClient http(server.httpUrl());
            aliceToken = signIn(http, u"alice"_s);
            bobToken = signIn(http, u"bob"_s);
            carolToken = signIn(http, u"carol"_s);
        }
        WsClient alice, bob, carol;
        QVERIFY(alice.openAndAuth(server.wsUrl(), aliceToken));
        QVERIFY(bob.openAndAuth(server.wsUrl(), bobToken));
        QVERIFY(carol.openAndAuth(server.wsUrl(), carolToken));
        QVERIFY(alice.request(Request::createRoom({}, {kRoom, false})).isOk());
        QVERIFY(bob.request(Request::join({}, kRoom)).isOk());
        for (int i = 1; i <= 3; ++i)
            QVERIFY(alice.request(Request::send({}, {kRoom, u"before %1"_s.arg(i), u"b%1"_s.arg(i)})).isOk());
        QTRY_COMPARE(bob.messages(kRoom).size(), 3);

        FaultInjector injector;
        QVERIFY2(injector.attach(server.pid(), syscalls, error), qPrintable(injector.errorString()));
        const SendParams doomed{kRoom, u"written while the disk fails ✗→✓"_s, u"f1"_s};
        for (int attempt = 0; attempt < 2; ++attempt) { // the retry while the disk still fails fails the same way
            const Reply failed = alice.request(Request::send({}, doomed));
            QVERIFY2(!failed.isOk(), qPrintable(QString::fromUtf8(encode(failed))));
            QCOMPARE(failed.error->code, ErrorCode::Internal);
        }
        // Still serving: requests that need no write are answered, on both connections. Bob's ping is
        // answered after anything the failed commit could have sent him: nothing.
        QVERIFY(alice.request(Request::ping({})).isOk());
        QVERIFY(bob.request(Request::ping({})).isOk());
        QCOMPARE(bob.messages(kRoom).size(), 3);
        QCOMPARE(alice.messages(kRoom).size(), 3);
        const Reply history = bob.request(Request::history({}, HistoryParams{kRoom, std::nullopt, 0, 50}));
        QVERIFY(history.isOk());
        QCOMPARE(std::get<HistoryPage>(HistoryPage::fromJson(history.data)).messages.size(), 3);
        // Memberships and rooms are writes too: refused, and undone where they were applied already.
        const Reply join = carol.request(Request::join({}, kRoom));
        QVERIFY(!join.isOk());
        QCOMPARE(join.error->code, ErrorCode::Internal);
        const Reply create = carol.request(Request::createRoom({}, {u"attic"_s, false}));
        QVERIFY(!create.isOk());
        QCOMPARE(create.error->code, ErrorCode::Internal);
        const int injected = injector.injected();
        QVERIFY2(injected > 0, "strace injected no fault: the test proved nothing");
        QVERIFY(injector.detach());
        QVERIFY2(server.log().count(logged) >= 2, server.log().constData());

        const Reply outsider = carol.request(Request::send({}, {kRoom, u"not a member"_s, u"c1"_s}));
        QVERIFY(!outsider.isOk());
        QCOMPARE(outsider.error->code, ErrorCode::Forbidden);
        const Reply members = alice.request(Request::members({}, kRoom));
        QCOMPARE(std::get<MembersResult>(MembersResult::fromJson(members.data)).members.size(), 2);
        QVERIFY(carol.request(Request::createRoom({}, {u"attic"_s, false})).isOk()); // no half-made room in the way

        // Recovered: the retry is stored once, delivered once.
        const Reply stored = alice.request(Request::send({}, doomed));
        QVERIFY2(stored.isOk(), qPrintable(QString::fromUtf8(encode(stored))));
        QCOMPARE(sendResult(stored).seq, 4);
        QVERIFY(!sendResult(stored).duplicate);
        QTRY_COMPARE(bob.messages(kRoom).size(), 4);
        QCOMPARE(bob.messages(kRoom).last().clientMsgId, u"f1"_s);
        QVERIFY(alice.request(Request::send({}, {kRoom, u"after"_s, u"a1"_s})).isOk());
        QTRY_COMPARE(bob.messages(kRoom).size(), 5);
        QVERIFY(HttpClient(server.httpUrl()).get(u"/metrics"_s).body.contains("tertulia_store_errors_total 2"));
        QCOMPARE(carol.messages(kRoom).size(), 0);

        // A crash right after: what the failed commits left behind (WAL frames written but never synced or
        // never committed) must not come back as a second copy or a hole.
        QVERIFY(server.kill());
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        QString readError;
        const auto after = readRoom(server.wsUrl(), aliceToken, kRoom, &readError);
        QVERIFY2(after, qPrintable(readError));
        QCOMPARE(after->size(), 5);
        for (qsizetype i = 0; i < after->size(); ++i) {
            QCOMPARE(after->at(i).seq, i + 1);
            QCOMPARE(after->at(i), bob.messages(kRoom).at(i));
        }
        WsClient again;
        QVERIFY(again.openAndAuth(server.wsUrl(), aliceToken));
        const Reply retried = again.request(Request::send({}, doomed));
        QVERIFY(retried.isOk());
        QCOMPARE(sendResult(retried).seq, 4);
        QVERIFY(sendResult(retried).duplicate);
        WsClient carolAgain;
        QVERIFY(carolAgain.openAndAuth(server.wsUrl(), carolToken));
        const Reply stillOut = carolAgain.request(Request::send({}, {kRoom, u"still not a member"_s, u"c2"_s}));
        QVERIFY(!stillOut.isOk());
        QCOMPARE(stillOut.error->code, ErrorCode::Forbidden);
        qInfo().noquote() << QTest::currentDataTag() << "- calls failed by strace:" << injected;
        QVERIFY(server.terminate());
    }

    void faultWindowUnderLoad_data() { failedCommit_data(); }
    /*! Three clients send continuously; the disk fails mid-stream for a while (counted in failed sends,
        not time) and recovers. Their retries store everything once: the usual invariants, also after a
        SIGKILL and a restart. */
    void faultWindowUnderLoad()
    {
        QFETCH(QString, syscalls);
        QFETCH(QString, error);
        QFETCH(QStringList, arguments);
        QTemporaryDir dir;
        ServerProcess server(kServer, dir.filePath(u"data"_s), arguments + QStringList{u"--config"_s, writeConfig(dir)});
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        const QStringList users{u"ana"_s, u"ben"_s, u"cai"_s};
        QHash<QString, QString> tokens;
        {
            HttpClient http(server.httpUrl());
            for (const QString &user : users)
                tokens.insert(user, signIn(http, user));
            WsClient setup;
            QVERIFY(setup.openAndAuth(server.wsUrl(), tokens.value(users[0])));
            QVERIFY(setup.request(Request::createRoom({}, {kRoom, false})).isOk());
            for (const QString &user : users.mid(1)) {
                WsClient member;
                QVERIFY(member.openAndAuth(server.wsUrl(), tokens.value(user)));
                QVERIFY(member.request(Request::join({}, kRoom)).isOk());
            }
        }
        std::vector<std::unique_ptr<ChaosClient>> clients;
        QList<const ChaosClient *> all;
        for (const QString &user : users) {
            ChaosClient::Options options{user, tokens.value(user), {kRoom}};
            options.seed = quint32(qHash(user));
            clients.push_back(std::make_unique<ChaosClient>(options, [&server] { return server.wsUrl(); }));
            all.append(clients.back().get());
            clients.back()->start();
        }
        auto totals = [&all](auto field) {
            qsizetype total = 0;
            for (const ChaosClient *client : all)
                total += field(*client);
            return total;
        };
        auto acked = [&] { return totals([](const ChaosClient &c) { return c.acked().size(); }); };
        auto failures = [&] { return totals([](const ChaosClient &c) { return qsizetype(c.counters().internalErrors); }); };

        int counter = 0;
        QTimer feeder; // keeps 10 messages queued per client for the whole test
        bool feeding = true;
        connect(&feeder, &QTimer::timeout, this, [&] {
            for (auto &client : clients) {
                while (feeding && client->unackedCount() < 10)
                    client->enqueue(kRoom, u"%1 #%2"_s.arg(client->user()).arg(++counter));
            }
        });
        feeder.start(2);
        QTRY_VERIFY_WITH_TIMEOUT(acked() >= 60, 20000);

        // The disk goes bad after a few more of these calls, mid-stream.
        FaultInjector injector;
        QVERIFY2(injector.attach(server.pid(), syscalls, error, 3), qPrintable(injector.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(failures() >= 30, 30000);
        const qsizetype ackedInFault = acked();
        QVERIFY(injector.detach());
        QTRY_VERIFY_WITH_TIMEOUT(acked() >= ackedInFault + 60, 20000);
        feeding = false;
        feeder.stop();

        QMap<QString, qint64> lastSeq;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                lastSeq = lastAckedSeqs(all);
                return allCaughtUp(all, lastSeq);
            }(),
            30000);
        for (auto &client : clients)
            client->stop();
        qInfo().noquote() << QTest::currentDataTag() << "- calls failed by strace:" << injector.injected() << "-"
                          << summary(all);
        const QStringList anomalies = anomaliesOf(all);
        QVERIFY2(anomalies.isEmpty(), qPrintable(anomalies.join(u'\n')));
        for (const ChaosClient *client : all) {
            for (const Error &sendError : client->sendErrors())
                QCOMPARE(sendError.code, ErrorCode::Internal);
        }

        // Once now, and once more after a crash: what failed never comes back, what was acked stays.
        for (int pass = 0; pass < 2; ++pass) {
            QString readError;
            const auto stored = readRoom(server.wsUrl(), tokens.value(users[0]), kRoom, &readError);
            QVERIFY2(stored, qPrintable(readError));
            QCOMPARE(stored->size(), lastSeq.value(kRoom));
            const QStringList problems = checkRoom(kRoom, *stored, all);
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
            if (pass == 0) {
                QVERIFY(server.kill());
                QVERIFY2(server.start(), qPrintable(server.errorString()));
            }
        }
        QCOMPARE(acked(), qsizetype(counter));
        QVERIFY(server.terminate());
    }
};

QTEST_GUILESS_MAIN(TestStoreFaults)
#include "tst_storefaults.moc"
