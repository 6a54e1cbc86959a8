#include "support/testserver.h"

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
    // The suites test the portable path (WebSocket::Connection) unless TERTULIA_FAST_PATH=1 selects the fast
    // path (ctest runs them both ways: tests/server/CMakeLists.txt).
    config.fastPath = qEnvironmentVariableIntValue("TERTULIA_FAST_PATH") == 1;
    return config;
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
    m_http = std::make_unique<HttpClient>(m_server->httpUrl());
}

bool TestServer::restart()
{
    m_http.reset();
    m_server->stop();
    m_server = std::make_unique<ChatServer>(m_config);
    if (!m_server->start())
        return false;
    m_http = std::make_unique<HttpClient>(m_server->httpUrl());
    return true;
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

} // namespace Tertulia::Test
