#pragma once

#include "server/core/chatserver.h"
#include "shared/protocol/payloads.h"
#include "support/httpclient.h"

#include <QtCore/QTemporaryDir>

#include <memory>

namespace Tertulia::Test {

/// A real ChatServer in this process on 127.0.0.1:0 with a fresh data directory, cheap password hashing and
/// generous rate limits (tests that check a limit set it low themselves). /ws runs on the portable path
/// (WebSocket::Connection), or on the fast path (server/fastpath) with TERTULIA_FAST_PATH=1 in the environment.
class TestServer
{
public:
    TestServer();
    explicit TestServer(const ServerConfig &config);
    ~TestServer();

    /// Defaults for tests; tweak before constructing a TestServer(config).
    static ServerConfig testConfig(const QString &dataDir = {});

    ChatServer &server() { return *m_server; }
    QUrl url() const { return m_server->url(); }
    QUrl httpUrl() const { return m_server->httpUrl(); }
    QString dataDir() const { return m_config.dataDir; }
    HttpClient &http() { return *m_http; }

    /// Stops and starts again on the same data directory and port (a server restart).
    bool restart();

    /// Registers (if needed) and signs in; fails the test on error.
    Protocol::TokenPair login(const QString &user, const QString &password = QStringLiteral("password123"));

private:
    void start();
    std::unique_ptr<QTemporaryDir> m_dir;
    ServerConfig m_config;
    std::unique_ptr<ChatServer> m_server;
    std::unique_ptr<HttpClient> m_http;
};

} // namespace Tertulia::Test
