// The real tertulia-server binary: its command line, its logs, and no acknowledged message lost to SIGKILL.
#include "support/httpclient.h"
#include "support/pgtestcluster.h"
#include "support/printers.h"
#include "support/serverprocess.h"
#include "support/wsclient.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QTcpServer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;

namespace {
const QString kServer = QStringLiteral(SERVER_BINARY);

struct RunResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

RunResult run(const QStringList &args, const QByteArray &input = {})
{
    QProcess process;
    process.start(kServer, args);
    if (!input.isEmpty()) {
        process.write(input);
        process.closeWriteChannel();
    }
    if (!process.waitForFinished(20000))
        process.kill();
    return RunResult{process.exitCode(), process.readAllStandardOutput(), process.readAllStandardError()};
}

/// The server under test, as a process.
class Server : public Tertulia::Test::ServerProcess
{
public:
    explicit Server(const QStringList &args, const QStringList &environment = {})
        : Tertulia::Test::ServerProcess(kServer, args, environment)
    {
    }
};

TokenPair signIn(HttpClient &http, const QString &user)
{
    const QJsonObject credentials{{QLatin1StringView("username"), user}, {QLatin1StringView("password"), u"password123"_s}};
    http.postJson(u"/api/v1/register"_s, credentials);
    const HttpResult result = http.postJson(u"/api/v1/login"_s, credentials);
    return std::get<TokenPair>(TokenPair::fromJson(result.json));
}
} // namespace

class TestServerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void help()
    {
        const RunResult result = run({u"--help"_s});
        QCOMPARE(result.exitCode, 0);
        for (const char *option : {"--listen", "--data-dir", "--name", "--tls-cert", "--tls-key", "--allowed-origin",
                                   "--registration", "--log-format", "--config", "--version", "--help"})
            QVERIFY2(result.out.contains(option), option);
        QVERIFY(result.out.startsWith("Usage: tertulia-server"));
        const RunResult version = run({u"--version"_s});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("tertulia-server "));
    }

    void badOptions_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("mention");
        QTest::newRow("unknown") << QStringList{u"--nope"_s} << QByteArray("nope");
        QTest::newRow("bad listen") << QStringList{u"--listen"_s, u"here"_s} << QByteArray("--listen");
        QTest::newRow("missing value") << QStringList{u"--listen"_s} << QByteArray("listen");
        QTest::newRow("unreadable config") << QStringList{u"--config"_s, u"/nonexistent/x.json"_s}
                                           << QByteArray("cannot read");
        QTest::newRow("registration") << QStringList{u"--registration"_s, u"sometimes"_s} << QByteArray("registration");
    }
    /*! A bad option prints one clear line and exits non-zero, without starting. */
    void badOptions()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, mention);
        const RunResult result = run(args);
        QVERIFY(result.exitCode != 0);
        QVERIFY2(result.err.contains(mention), result.err.constData());
        QCOMPARE(result.err.count('\n'), 1);
        QVERIFY(result.out.isEmpty());
    }

    /*! A busy port or an unusable data directory: one line, exit code 1. */
    void startFailures()
    {
        QTcpServer busy;
        QVERIFY(busy.listen(QHostAddress::LocalHost, 0));
        QTemporaryDir dir;
        RunResult result = run({u"--listen"_s, u"127.0.0.1:%1"_s.arg(busy.serverPort()), u"--data-dir"_s, dir.path()});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("cannot listen"), result.err.constData());

        QFile blocker(dir.filePath(u"file"_s));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        result = run({u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, dir.filePath(u"file/sub"_s)});
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.err.contains("data directory"), result.err.constData());
    }

    /*! --create-admin: the first administrator of a standalone server, its password on standard input; the
     *  server then lets it into the admin API. A taken name is never promoted. */
    void createAdmin()
    {
        QTemporaryDir dir;
        const QStringList where{u"--data-dir"_s, dir.path()};
        RunResult created = run(QStringList{u"--create-admin"_s, u"root"_s} + where, "long-enough-secret\n");
        QVERIFY2(created.exitCode == 0, created.err.constData());
        QCOMPARE(created.out, QByteArray("root is an administrator\n"));
        const RunResult again = run(QStringList{u"--create-admin"_s, u"ROOT"_s} + where, "another-secret\n");
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("is taken"), again.err.constData());
        const RunResult shortPassword = run(QStringList{u"--create-admin"_s, u"boss"_s} + where, "short\n");
        QCOMPARE(shortPassword.exitCode, 1);
        QVERIFY2(shortPassword.err.contains("password"), shortPassword.err.constData());

        Server server(where);
        QVERIFY(server.isRunning());
        HttpClient http(server.httpUrl());
        const HttpResult login = http.postJson(
            u"/api/v1/login"_s, {{QLatin1StringView("username"), u"root"_s}, {QLatin1StringView("password"), u"long-enough-secret"_s}});
        QCOMPARE(login.status, 200);
        const QByteArray token = login.json.value(QLatin1StringView("access_token")).toString().toLatin1();
        const HttpResult users = http.send("GET", u"/api/v1/admin/users"_s, {}, token);
        QCOMPARE(users.status, 200);
        QCOMPARE(users.json.value(QLatin1StringView("users")).toArray().at(0).toObject().value(QLatin1StringView("admin")).toBool(),
                 true);
        // "boss" was never made: its name is free, and registering it gives a member.
        const TokenPair boss = signIn(http, u"boss"_s);
        QCOMPARE(http.send("GET", u"/api/v1/admin/users"_s, {}, boss.accessToken.toLatin1()).status, 403);
        QVERIFY(server.terminate());
    }

    /*! --create-admin on PostgreSQL opens the shared store alone (no listener, no cluster bus) and a node of
     *  that database then lets the administrator into the admin API. */
    void createAdminOnPostgres()
    {
        PgTestCluster pg;
        if (PgTestCluster::binDir().isEmpty()) {
            if (PgTestCluster::required())
                QFAIL("PostgreSQL is required (TERTULIA_REQUIRE_POSTGRES=1) but its server programs are missing");
            QSKIP("PostgreSQL's server programs are not installed");
        }
        QVERIFY2(pg.start(), qPrintable(pg.errorString()));
        const QString url = pg.createDatabase(u"admins"_s);
        QVERIFY(!url.isEmpty());
        QTemporaryDir dir;
        const QStringList where{u"--store"_s, u"postgres"_s, u"--database"_s, url,
                                u"--secret-file"_s, dir.filePath(u"secret.key"_s)};
        const RunResult created = run(QStringList{u"--create-admin"_s, u"root"_s} + where, "long-enough-secret\n");
        QVERIFY2(created.exitCode == 0, created.err.constData());
        QCOMPARE(created.out, QByteArray("root is an administrator\n"));
        const RunResult again = run(QStringList{u"--create-admin"_s, u"root"_s} + where, "another-secret\n");
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains("is taken"), again.err.constData());

        Server node(where + QStringList{u"--data-dir"_s, dir.path(), u"--node-id"_s, u"n1"_s});
        QVERIFY(node.isRunning());
        HttpClient http(node.httpUrl());
        const HttpResult login = http.postJson(
            u"/api/v1/login"_s, {{QLatin1StringView("username"), u"root"_s}, {QLatin1StringView("password"), u"long-enough-secret"_s}});
        QCOMPARE(login.status, 200);
        const QByteArray token = login.json.value(QLatin1StringView("access_token")).toString().toLatin1();
        QCOMPARE(http.send("GET", u"/api/v1/admin/users"_s, {}, token).status, 200);
        QVERIFY(node.terminate());
    }

    /*! JSON logs carry the connection and user as fields; SIGTERM stops the server cleanly. */
    void jsonLogsAndTerm()
    {
        QTemporaryDir dir;
        // Per-connection lines are debug output: switch it on the standard way.
        Server server({u"--data-dir"_s, dir.path(), u"--log-format"_s, u"json"_s, u"--node-id"_s, u"n7"_s},
                             {u"QT_LOGGING_RULES=tertulia.server.session.debug=true"_s});
        QVERIFY(server.httpUrl().isValid());
        HttpClient http(server.httpUrl());
        WsClient client;
        QVERIFY(client.openAndAuth(server.wsUrl(), signIn(http, u"alice"_s).accessToken));
        server.process().terminate();
        QVERIFY(server.process().waitForFinished(10000));
        QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.process().exitCode(), 0);
        const QList<QByteArray> lines = server.process().readAllStandardError().split('\n');
        bool sawUserLine = false;
        for (const QByteArray &line : lines) {
            if (line.isEmpty())
                continue;
            const QJsonObject json = QJsonDocument::fromJson(line).object();
            QVERIFY2(json.contains(u"ts") && json.contains(u"level") && json.contains(u"msg"), line.constData());
            QCOMPARE(json.value(u"node").toString(), u"n7"_s); // merged logs of several nodes stay apart
            sawUserLine = sawUserLine || (json.value(u"user").toString() == u"alice" && json.contains(u"conn"));
        }
        QVERIFY(sawUserLine);
        QVERIFY(QFile::exists(dir.filePath(u"logs/tertulia-server.log"_s)));
        QCOMPARE(QFile(dir.filePath(u"secret.key"_s)).permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
                 QFileDevice::Permissions());
    }

    /*! With --drain-ms, SIGTERM first drains: /healthz answers 503 "draining" and new connections are
        refused, while open sessions go on; a second SIGTERM stops at once, closing them with 1001. */
    void drainOnTerm()
    {
        QTemporaryDir dir;
        Server server({u"--data-dir"_s, dir.path(), u"--drain-ms"_s, u"60000"_s});
        QVERIFY(server.isRunning());
        HttpClient http(server.httpUrl());
        QCOMPARE(http.get(u"/healthz"_s).status, 200);
        WsClient client;
        QVERIFY(client.openAndAuth(server.wsUrl(), signIn(http, u"alice"_s).accessToken));
        const QString lateToken = signIn(http, u"bob"_s).accessToken;
        server.process().terminate();
        QTRY_COMPARE_WITH_TIMEOUT(HttpClient(server.httpUrl()).get(u"/healthz"_s).status, 503, 10000);
        const HttpResult health = HttpClient(server.httpUrl()).get(u"/healthz"_s);
        QCOMPARE(health.json.value(u"error"_s).toObject().value(u"code"_s).toString(), u"unavailable"_s);
        WsClient late;
        QVERIFY(!late.openAndAuth(server.wsUrl(), lateToken));
        QVERIFY(client.isConnected());
        QVERIFY(client.request(Request::createRoom({}, {u"still"_s, false})).isOk()); // sessions go on
        server.process().terminate();
        QVERIFY(client.waitForDisconnected());
        QCOMPARE(client.closeCode(), int(CloseCode::GoingAway));
        QVERIFY(server.process().waitForFinished(10000));
        QCOMPARE(server.process().exitCode(), 0);
    }

    /*! SIGKILL in the middle of traffic: after a restart every acknowledged message is there, with its seq,
        and the room's sequence has no holes. */
    void killNineLosesNoAckedMessage()
    {
        QTemporaryDir dir;
        // Default rate limits would (rightly) stop a client that pipelines this hard: raise them.
        const QString config = dir.filePath(u"server.json"_s);
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"limits\": {\"rate_burst\": 100000, \"rate_per_second\": 100000,"
                   " \"user_rate_burst\": 100000, \"user_rate_per_second\": 100000}}");
        file.close();
        QHash<QString, std::pair<qint64, QString>> acked; // client message id -> (seq, text)
        {
            Server server({u"--data-dir"_s, dir.path(), u"--config"_s, config});
            QVERIFY(server.httpUrl().isValid());
            HttpClient http(server.httpUrl());
            std::vector<std::unique_ptr<WsClient>> clients;
            for (const QString &user : {u"alice"_s, u"bob"_s, u"carol"_s}) {
                clients.push_back(std::make_unique<WsClient>());
                QVERIFY(clients.back()->openAndAuth(server.wsUrl(), signIn(http, user).accessToken));
            }
            QVERIFY(clients[0]->request(Request::createRoom({}, {u"durable"_s, false})).isOk());
            for (std::size_t i = 1; i < clients.size(); ++i)
                QVERIFY(clients[i]->request(Request::join({}, u"durable"_s)).isOk());

            // Each client keeps 20 sends in flight; acks are collected as they come.
            QHash<QString, QString> texts;
            int next = 0;
            std::vector<qsizetype> seen, posted(clients.size(), 0);
            for (const auto &client : clients)
                seen.push_back(client->replies().size());
            const std::vector<qsizetype> baseline = seen;
            auto topUp = [&](std::size_t c) {
                WsClient &client = *clients[c];
                while (posted[c] - (client.replies().size() - baseline[c]) < 20) {
                    const QString id = u"%1-%2"_s.arg(c).arg(next++);
                    texts.insert(id, u"message %1 ✓"_s.arg(id));
                    client.post(Request::send(id, {u"durable"_s, texts.value(id), id}));
                    ++posted[c];
                }
            };
            QDeadlineTimer deadline(60000);
            while (acked.size() < 400 && !deadline.hasExpired()) {
                for (std::size_t c = 0; c < clients.size(); ++c)
                    topUp(c); // the pipeline stays full: traffic is flowing when the kill comes
                QSignalSpy spy(&clients[0]->socket(), &QWebSocket::textMessageReceived);
                spy.wait(20);
                for (std::size_t c = 0; c < clients.size(); ++c) {
                    const auto &replies = clients[c]->replies();
                    for (qsizetype r = seen[c]; r < replies.size(); ++r) {
                        auto result = SendResult::fromJson(replies[r].data);
                        if (auto *sent = std::get_if<SendResult>(&result); sent && replies[r].isOk())
                            acked.insert(replies[r].id, {sent->seq, texts.value(replies[r].id)});
                    }
                    seen[c] = replies.size();
                }
            }
            QVERIFY(acked.size() >= 400);
            server.process().kill(); // SIGKILL: no chance to flush anything
            QVERIFY(server.process().waitForFinished(10000));
            QCOMPARE(server.process().exitStatus(), QProcess::CrashExit);
            // Count the acks that were already in the sockets' buffers: they were sent after their commit too.
            for (std::size_t c = 0; c < clients.size(); ++c) {
                clients[c]->waitForDisconnected(5000);
                for (const Reply &reply : clients[c]->replies()) {
                    auto result = SendResult::fromJson(reply.data);
                    if (auto *sent = std::get_if<SendResult>(&result); sent && reply.isOk())
                        acked.insert(reply.id, {sent->seq, texts.value(reply.id)});
                }
            }
        }

        Server restarted({u"--data-dir"_s, dir.path()});
        QVERIFY(restarted.httpUrl().isValid());
        HttpClient http(restarted.httpUrl());
        WsClient reader;
        QVERIFY(reader.openAndAuth(restarted.wsUrl(), signIn(http, u"alice"_s).accessToken));
        QHash<qint64, ChatMessage> stored;
        qint64 after = 0;
        for (;;) {
            const Reply reply = reader.request(Request::history({}, {u"durable"_s, {}, after, 200}));
            QVERIFY(reply.isOk());
            const HistoryPage page = std::get<HistoryPage>(HistoryPage::fromJson(reply.data));
            for (const ChatMessage &message : page.messages) {
                QVERIFY2(!stored.contains(message.seq), "a sequence number appears twice");
                stored.insert(message.seq, message);
                after = message.seq;
            }
            if (!page.hasMore)
                break;
        }
        for (qint64 seq = 1; seq <= stored.size(); ++seq)
            QVERIFY2(stored.contains(seq), qPrintable(u"hole at seq %1"_s.arg(seq)));
        for (auto it = acked.cbegin(); it != acked.cend(); ++it) {
            const ChatMessage message = stored.value(it->first);
            QCOMPARE(message.clientMsgId, it.key());
            QCOMPARE(message.text, it->second);
        }
        qInfo() << "acknowledged before the kill:" << acked.size() << "stored after restart:" << stored.size();
        // Alice retrying one of her acknowledged messages after the crash gets the original back.
        for (auto it = acked.cbegin(); it != acked.cend(); ++it) {
            if (!it.key().startsWith(u"0-"))
                continue;
            const Reply own = reader.request(Request::send({}, {u"durable"_s, it->second, it.key()}));
            QVERIFY(own.isOk());
            const SendResult result = std::get<SendResult>(SendResult::fromJson(own.data));
            QVERIFY(result.duplicate);
            QCOMPARE(result.seq, it->first);
            break;
        }
    }
};

QTEST_GUILESS_MAIN(TestServerProcess)
#include "tst_serverprocess.moc"
