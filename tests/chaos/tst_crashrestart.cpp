// Chaos: the real tertulia-server binary SIGKILLed again and again under load and restarted on the same
// data directory. Acks go out only after the commit, so nothing acknowledged may be lost across a crash;
// clients retry the rest with the same client_msg_id (answered as duplicates when the crash took only the
// ack) and resume, and end up holding exactly what survived.
#include "chaos/chaoschecks.h"
#include "chaos/chaosclient.h"
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
const QStringList kUsers{u"ana"_s, u"ben"_s, u"cai"_s};
const QStringList kRooms{u"crash-a"_s, u"crash-b"_s};
constexpr int kKills = 12;
constexpr int kAcksPerRun = 80;  ///< acks between two kills (counted, so a slow machine only runs longer)
constexpr int kPipeline = 12;    ///< unacknowledged messages each client keeps queued or on the wire

QString signIn(HttpClient &http, const QString &user)
{
    const QJsonObject credentials{{"username"_L1, user}, {"password"_L1, u"password123"_s}};
    http.postJson(u"/api/v1/register"_s, credentials);
    const HttpResult result = http.postJson(u"/api/v1/login"_s, credentials);
    const auto pair = TokenPair::fromJson(result.json);
    return std::holds_alternative<TokenPair>(pair) ? std::get<TokenPair>(pair).accessToken : QString();
}
} // namespace

class TestCrashRestart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Twelve SIGKILLs of the server with every client's pipeline full; after the last restart every acked
        message is stored once at its seq, seqs are gapless, and every client's view equals what is stored. */
    void killNineUnderLoad()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // A client that pipelines hard and reconnects after every crash is what this test is about, not
        // what the rate and churn limits are for: raise them.
        const QString config = dir.filePath(u"server.json"_s);
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"limits": {"rate_burst": 100000, "rate_per_second": 100000, "user_rate_burst": 100000,
            "user_rate_per_second": 100000, "ip_connect_burst": 100000, "ip_connect_per_second": 100000,
            "user_connect_burst": 100000, "user_connect_per_second": 100000, "history_replay_limit": 32}})");
        file.close();
        ServerProcess server(kServer, dir.filePath(u"data"_s), {u"--config"_s, config});
        QVERIFY2(server.start(), qPrintable(server.errorString()));

        QHash<QString, QString> tokens;
        {
            HttpClient http(server.httpUrl());
            for (const QString &user : kUsers) {
                tokens.insert(user, signIn(http, user));
                QVERIFY(!tokens.value(user).isEmpty());
            }
            WsClient setup;
            QVERIFY(setup.openAndAuth(server.wsUrl(), tokens.value(kUsers[0])));
            for (const QString &room : kRooms)
                QVERIFY(setup.request(Request::createRoom({}, {room, false})).isOk());
            for (const QString &user : kUsers.mid(1)) {
                WsClient member;
                QVERIFY(member.openAndAuth(server.wsUrl(), tokens.value(user)));
                for (const QString &room : kRooms)
                    QVERIFY(member.request(Request::join({}, room)).isOk());
            }
        }

        std::vector<std::unique_ptr<ChaosClient>> clients;
        QList<const ChaosClient *> all;
        quint32 seed = 40;
        for (const QString &user : kUsers) {
            ChaosClient::Options options;
            options.user = user;
            options.accessToken = tokens.value(user);
            options.rooms = kRooms;
            options.seed = ++seed;
            clients.push_back(std::make_unique<ChaosClient>(options, [&server] { return server.wsUrl(); }));
            all.append(clients.back().get());
            clients.back()->start();
        }
        auto ackedTotal = [&all] {
            qsizetype total = 0;
            for (const ChaosClient *client : all)
                total += client->acked().size();
            return total;
        };

        // Keeps every client's pipeline full, whether the server is up or not, until told to stop.
        QRandomGenerator random(5);
        int counter = 0;
        bool feeding = true;
        QTimer feeder;
        connect(&feeder, &QTimer::timeout, this, [&] {
            for (auto &client : clients) {
                while (feeding && client->unackedCount() < kPipeline) {
                    client->enqueue(kRooms.at(int(random.bounded(quint32(kRooms.size())))),
                                    u"%1 #%2 before the crash? ✓"_s.arg(client->user()).arg(++counter));
                }
            }
        });
        feeder.start(2);

        int lostAcks = 0; // acks the crash took: answered later as duplicates
        for (int kill = 0; kill < kKills; ++kill) {
            const qsizetype target = ackedTotal() + kAcksPerRun;
            QTRY_VERIFY_WITH_TIMEOUT(ackedTotal() >= target, 30000);
            QVERIFY(server.kill());
            QVERIFY2(server.start(), qPrintable(server.errorString()));
        }
        const qsizetype target = ackedTotal() + kAcksPerRun;
        QTRY_VERIFY_WITH_TIMEOUT(ackedTotal() >= target, 30000);
        feeding = false;
        feeder.stop();

        QMap<QString, qint64> lastSeq;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                lastSeq = lastAckedSeqs(all);
                return allCaughtUp(all, lastSeq);
            }(),
            30000);
        for (auto &client : clients) {
            client->stop();
            lostAcks += client->counters().duplicates;
        }
        qInfo().noquote() << "SIGKILLs" << kKills << "- starts" << server.starts() << "-" << summary(all);

        const QStringList anomalies = anomaliesOf(all);
        QVERIFY2(anomalies.isEmpty(), qPrintable(anomalies.join(u'\n')));
        for (const QString &room : kRooms) {
            QString error;
            const auto stored = readRoom(server.wsUrl(), tokens.value(kUsers[0]), room, &error);
            QVERIFY2(stored, qPrintable(error));
            QCOMPARE(stored->size(), lastSeq.value(room));
            const QStringList problems = checkRoom(room, *stored, all);
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        }
        QCOMPARE(ackedTotal(), qsizetype(counter));
        int resends = 0;
        for (const ChaosClient *client : all)
            resends += client->counters().resends;
        // The kills hit traffic: sends were on the wire when the server died.
        QVERIFY2(resends > 0, "no send was on the wire at any of the kills");
        qInfo() << "acks taken by a crash and answered as duplicates later:" << lostAcks;
        QVERIFY(server.terminate());
    }
};

QTEST_GUILESS_MAIN(TestCrashRestart)
#include "tst_crashrestart.moc"
