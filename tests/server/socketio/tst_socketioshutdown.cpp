// The real tertulia-server process with a couple of thousand Socket.IO connections open: SIGTERM ends it
// promptly (the benchmark's runner gives it 3 s, then kills it).
#include "server/auth/jwt.h"
#include "server/eventloop/fasteventdispatcher.h"
#include "server/store/sqlitestore.h"
#include "support/rawwebsocket.h"

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using Test::RawWebSocket;

namespace {
const QString kServer = QStringLiteral(SERVER_BINARY);
using L1 = QLatin1StringView;
} // namespace

class TestSocketIoShutdown : public QObject
{
    Q_OBJECT

public:
    /// Whether this process's clients run on the epoll dispatcher (built with the platform extras).
    static inline bool s_epollClients = false;

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QProcess m_process;
    QUrl m_url;

    /// Users u0 .. u<users-1>, each with the login "login-u<i>" its tokens name (accessToken()), stored
    /// before the server starts: it honours only tokens of logins it knows.
    bool seedAccounts(int users)
    {
        SqliteStore store(SqliteStore::Options{m_dir->filePath(u"data/tertulia.db"_s)});
        QString error;
        if (!store.open(&error))
            return false;
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        for (int i = 0; i < users; ++i) {
            const QString user = u"u"_s + QString::number(i);
            store.createUser(UserRecord{user, "!test", false, now});
            if (!store.createLogin(LoginRecord{u"login-"_s + user, user, u"-"_s, false, now + 3600}))
                return false;
        }
        return true;
    }

    bool startServer(int users)
    {
        if (!seedAccounts(users))
            return false;
        // One address holds every test connection: lift the per-address cap and churn limit above the count.
        QFile config(m_dir->filePath(u"config.json"_s));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        config.write(QJsonDocument(QJsonObject{{L1("limits"), QJsonObject{{L1("max_connections_per_ip"), 10000},
                                                                          {L1("ip_connect_burst"), 100000},
                                                                          {L1("user_connect_burst"), 100000},
                                                                          {L1("rate_burst"), 1000},
                                                                          {L1("user_rate_burst"), 100000},
                                                                          {L1("user_rate_per_second"), 100000}}}})
                         .toJson());
        config.close();
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process.start(kServer, {u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, m_dir->filePath(u"data"_s),
                                  u"--config"_s, config.fileName()});
        QDeadlineTimer deadline(20000);
        while (!m_process.canReadLine() && !deadline.hasExpired() && m_process.state() != QProcess::NotRunning)
            m_process.waitForReadyRead(200);
        m_url = QUrl(QString::fromUtf8(m_process.readLine().trimmed()));
        return m_url.port() > 0;
    }

    /// An access token for `user` on its seeded login, signed with the server's own secret (as the
    /// benchmark's generator does: signing in thousands of users through the API would hash thousands of
    /// passwords).
    QByteArray accessToken(const QString &user) const
    {
        QFile file(m_dir->filePath(u"data/secret.key"_s));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        const QByteArray secret = QByteArray::fromHex(file.readAll().trimmed());
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const Jwt::Claims claims{user, u"jti-"_s + user, u"login-"_s + user, u"access"_s, now, now + 3600};
        return Jwt::sign(Jwt::makeClaims(claims, u"tertulia"_s, u"tertulia"_s), secret);
    }

    /// A Socket.IO client on the WebSocket transport, connected to "/" with `token` (false on any failure).
    bool connectClient(RawWebSocket &client, const QByteArray &token)
    {
        if (client.open(quint16(m_url.port()), "/socket.io/?EIO=4&transport=websocket") != 101)
            return false;
        const auto open = client.readFrame();
        if (!open || !open->payload.startsWith("0{"))
            return false;
        client.sendText("40{\"token\":\"" + token + "\"}");
        const auto connected = client.readFrame();
        return connected && connected->payload.startsWith("40{");
    }

    /// Sends a request with ack id 1 and waits for its ack (other frames are skipped); true when ok.
    static bool request(RawWebSocket &client, const QByteArray &event, const QJsonObject &data)
    {
        client.sendText("421[\"" + event + "\"," + QJsonDocument(data).toJson(QJsonDocument::Compact) + ']');
        for (int frames = 0; frames < 1000; ++frames) {
            const auto frame = client.readFrame();
            if (!frame)
                return false;
            if (frame->payload.startsWith("431["))
                return frame->payload.contains("\"type\":\"ok\"");
        }
        return false;
    }

private Q_SLOTS:
    void init() { m_dir = std::make_unique<QTemporaryDir>(); }
    void cleanup()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    /*! SIGTERM with 2 000 Socket.IO WebSocket connections open: the server exits (cleanly) within 3 s, and
        every client sees its connection end. */
    void termWithManyConnections_data()
    {
        QTest::addColumn<int>("clients");
        QTest::addColumn<int>("rooms");
        QTest::addColumn<bool>("dropFirst");
        QTest::newRow("2000 in 20 rooms") << 2000 << 20 << false;
        QTest::newRow("10000 in 100 rooms") << 10000 << 100 << false;
        // The benchmark's runner: its generator exits (every connection drops at once), then SIGTERM.
        QTest::newRow("10000 in 100 rooms, all just dropped") << 10000 << 100 << true;
    }
    void termWithManyConnections()
    {
        QFETCH(int, clients);
        QFETCH(int, rooms);
        QFETCH(bool, dropFirst);
        if (clients > 2000 && !s_epollClients)
            QSKIP("10 000 client connections in one test process need the epoll dispatcher (platform extras): Qt's "
                  "default one polls every descriptor on every wake-up, O(N^2) to open them all");
        QVERIFY(m_dir->isValid());
        QVERIFY(startServer(clients));
        std::vector<std::unique_ptr<RawWebSocket>> sockets;
        sockets.reserve(std::size_t(clients));
        for (int i = 0; i < clients; ++i) {
            sockets.push_back(std::make_unique<RawWebSocket>());
            QVERIFY2(connectClient(*sockets.back(), accessToken(QStringLiteral("u%1").arg(i))), qPrintable(QStringLiteral("client %1").arg(i)));
            if (rooms > 0) {
                const QString room = QStringLiteral("room%1").arg(i % rooms);
                QVERIFY2(i < rooms ? request(*sockets.back(), "create_room", {{L1("name"), room}})
                                   : request(*sockets.back(), "join", {{L1("room"), room}}),
                         qPrintable(QStringLiteral("client %1").arg(i)));
            }
        }

        if (dropFirst) {
            for (const auto &client : sockets)
                client->socket().abort();
        }
        QElapsedTimer clock;
        clock.start();
        m_process.terminate();
        QVERIFY(m_process.waitForFinished(30000));
        const qint64 exitMs = clock.elapsed();
        qInfo() << "exited" << exitMs << "ms after SIGTERM with" << clients << "Socket.IO connections";
        QCOMPARE(m_process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(m_process.exitCode(), 0);
        QVERIFY2(exitMs < 3000, qPrintable(QStringLiteral("%1 ms").arg(exitMs)));
        for (const auto &client : sockets) // every client sees its connection end
            QTRY_COMPARE(client->socket().state(), QAbstractSocket::UnconnectedState);
    }
};

int main(int argc, char *argv[])
{
    // The client side of thousands of connections on the server's epoll dispatcher (where there is one): Qt's
    // default dispatcher polls every descriptor on every wake-up, which made opening them O(N^2) here.
    TestSocketIoShutdown::s_epollClients = Tertulia::installFastEventDispatcherForApplication();
    QCoreApplication app(argc, argv);
    TestSocketIoShutdown test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_socketioshutdown.moc"
