#include "support/testserver.h"

#include "server/auth/jwt.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>

#include <QtTest/QTest>

namespace Tertulia::Test {

ServerConfig TestServer::testConfig(const QString &dataDir)
{
    ServerConfig config;
    config.address = QHostAddress::LocalHost;
    config.port = 0;
    config.dataDir = dataDir;
    config.name = QStringLiteral("Test server");
    config.passwordHashOpsLimit = 1;   // libsodium's minimum: tests hash many passwords
    config.passwordHashMemKiB = 64;
    // Out of the way of tests about something else: tst_limits' slow consumer sends ~1 600 requests, which
    // the fast path serves in under 0.6 s (a 1 000 burst at 1 000/s ran out there).
    config.limits.rateBurst = 10000;
    config.limits.ratePerSecond = 10000;
    config.limits.userRateBurst = 20000;
    config.limits.userRatePerSecond = 20000;
    config.limits.httpAuthBurst = 1000;
    config.limits.httpAuthPerSecond = 1000;
    // Every test client comes from 127.0.0.1, many of them as the same user.
    config.limits.ipConnectBurst = 100000;
    config.limits.ipConnectPerSecond = 100000;
    config.limits.userConnectBurst = 100000;
    config.limits.userConnectPerSecond = 100000;
    // The suites test the portable path (WebSocket::Connection) unless TERTULIA_FAST_PATH=1 selects the fast
    // path (ctest runs them both ways: tests/server/CMakeLists.txt).
    config.fastPath = qEnvironmentVariableIntValue("TERTULIA_FAST_PATH") == 1;
    // With TERTULIA_TEST_STORE=postgres every test server keeps its data in a database of its own on one
    // throw-away PostgreSQL cluster per test process (ctest runs some suites on both stores).
    if (qEnvironmentVariable("TERTULIA_TEST_STORE") == u"postgres") {
        static int databases = 0;
        config.store = StoreKind::Postgres;
        config.databaseUrl = sharedPostgres().createDatabase(QStringLiteral("server%1").arg(++databases));
        config.nodeId = QStringLiteral("n1");
        if (config.databaseUrl.isEmpty())
            qFatal("cannot create a test database: %s", qPrintable(sharedPostgres().errorString()));
    }
    return config;
}

PgTestCluster &TestServer::sharedPostgres()
{
    static const std::unique_ptr<PgTestCluster> cluster = [] {
        auto started = std::make_unique<PgTestCluster>();
        if (!started->start())
            qFatal("cannot start the test PostgreSQL cluster: %s", qPrintable(started->errorString()));
        return started;
    }();
    return *cluster;
}

TestServer::TestServer() : TestServer(testConfig()) { }

TestServer::TestServer(const ServerConfig &config) : m_config(config)
{
    if (m_config.dataDir.isEmpty()) {
        m_dir = std::make_unique<QTemporaryDir>();
        m_config.dataDir = m_dir->path();
    }
    start();
}

TestServer::~TestServer()
{
    m_http.reset();
    m_server.reset();
}

void TestServer::start()
{
    m_server = std::make_unique<ChatServer>(m_config);
    if (!m_server->start())
        qFatal("test server failed to start: %s", qPrintable(m_server->errorString()));
    m_config.port = m_server->port(); // a restart comes back on the same port
    makeHttpClient();
}

void TestServer::makeHttpClient()
{
    m_http = std::make_unique<HttpClient>(m_server->httpUrl());
    // With TLS, the helper trusts the server's own certificate (tests use self-signed ones for 127.0.0.1).
    if (m_config.tlsEnabled())
        m_http->trust(QSslCertificate::fromPath(m_config.tlsCertFile));
}

bool TestServer::restartWithCertificate(const QString &certificateFile, const QString &keyFile)
{
    m_config.tlsCertFile = certificateFile;
    m_config.tlsKeyFile = keyFile;
    return restart();
}

bool TestServer::restart()
{
    m_tokens.clear();
    m_http.reset();
    m_server->stop();
    m_server = std::make_unique<ChatServer>(m_config);
    if (!m_server->start())
        return false;
    makeHttpClient();
    return true;
}

QByteArray TestServer::tokenOf(const QString &user)
{
    auto token = m_tokens.constFind(user);
    if (token == m_tokens.cend())
        token = m_tokens.insert(user, login(user).accessToken.toLatin1());
    return *token;
}

std::unique_ptr<WsClient> TestServer::connectAs(const QString &user)
{
    return connectWith(login(user).accessToken);
}

std::unique_ptr<WsClient> TestServer::connectWith(const QString &accessToken)
{
    auto client = std::make_unique<WsClient>();
    if (!client->openAndAuth(url(), accessToken))
        return nullptr;
    return client;
}

std::unique_ptr<WsClient> TestServer::connectAdmin(QByteArray *token)
{
    const auto pair = m_server->hostLogin(QStringLiteral("root"));
    if (!std::holds_alternative<Protocol::TokenPair>(pair))
        return nullptr;
    const QString access = std::get<Protocol::TokenPair>(pair).accessToken;
    if (token)
        *token = access.toLatin1();
    auto client = std::make_unique<WsClient>();
    if (!client->openAndAuth(url(), access))
        return nullptr;
    return client;
}

Protocol::TokenPair TestServer::login(const QString &user, const QString &password)
{
    const QJsonObject credentials{{QLatin1StringView("username"), user}, {QLatin1StringView("password"), password}};
    const HttpResult registered = m_http->postJson(QStringLiteral("/api/v1/register"), credentials);
    if (registered.status != 201 && registered.status != 409)
        qWarning() << "register" << user << "->" << registered.status << registered.body;
    const HttpResult result = m_http->postJson(QStringLiteral("/api/v1/login"), credentials);
    if (result.status != 200)
        qWarning() << "login" << user << "->" << result.status << result.body;
    auto pair = Protocol::TokenPair::fromJson(result.json);
    if (auto *error = std::get_if<Protocol::Error>(&pair)) {
        qWarning() << "login" << user << "gave no token pair:" << error->message;
        return {};
    }
    return std::get<Protocol::TokenPair>(pair);
}

QJsonObject TestServer::accessClaims(const QString &user, const QString &loginId)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return Jwt::makeClaims(Jwt::Claims{user, QStringLiteral("test-jti"), loginId, QStringLiteral("access"), now, now + 600},
                           QStringLiteral("tertulia"), QStringLiteral("tertulia"));
}

QString TestServer::signToken(const QJsonObject &claims) const
{
    QFile file(m_config.dataDir + QStringLiteral("/secret.key"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read the test server's secret");
    return QString::fromLatin1(Jwt::sign(claims, QByteArray::fromHex(file.readAll().trimmed())));
}

QJsonObject TestServer::claimsOf(const QString &token)
{
    const QList<QStringView> parts = QStringView(token).split(u'.');
    if (parts.size() != 3)
        return {};
    return QJsonDocument::fromJson(QByteArray::fromBase64(parts[1].toLatin1(), QByteArray::Base64UrlEncoding)).object();
}

} // namespace Tertulia::Test
