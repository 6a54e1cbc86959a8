#pragma once

#include "server/core/chatserver.h"
#include "shared/protocol/payloads.h"
#include "support/httpclient.h"
#include "support/pgtestcluster.h"
#include "support/wsclient.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
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

    /// Defaults for tests; tweak before constructing a TestServer(config). With TERTULIA_TEST_STORE=postgres
    /// the config names a fresh database on sharedPostgres().
    static ServerConfig testConfig(const QString &dataDir = {});
    /// The throw-away PostgreSQL cluster of this test process, started on first use.
    static PgTestCluster &sharedPostgres();

    ChatServer &server() { return *m_server; }
    QUrl url() const { return m_server->url(); }
    QUrl httpUrl() const { return m_server->httpUrl(); }
    QString dataDir() const { return m_config.dataDir; }
    /// The PostgreSQL database of this server (TERTULIA_TEST_STORE=postgres), or empty.
    QString databaseUrl() const { return m_config.databaseUrl; }
    HttpClient &http() { return *m_http; }

    /// Stops and starts again on the same data directory and port (a server restart).
    bool restart();
    /// The same, serving another TLS certificate (the server's certificate changed).
    bool restartWithCertificate(const QString &certificateFile, const QString &keyFile);

    /// Registers (if needed) and signs in; fails the test on error.
    Protocol::TokenPair login(const QString &user, const QString &password = QStringLiteral("password123"));
    /// `user`'s access token for an HTTP `Authorization: Bearer` header: signed in (registered if needed) once
    /// per start of the server, since a restart may sign tokens with another secret.
    QByteArray tokenOf(const QString &user);
    /// A real protocol client signed in as `user` (registered if needed); null when that fails.
    std::unique_ptr<WsClient> connectAs(const QString &user);
    /// A real protocol client authenticated with `accessToken`; null when that fails (e.g. a refused token).
    std::unique_ptr<WsClient> connectWith(const QString &accessToken);
    /// A server administrator's client: the hosting user's account (ChatServer::hostLogin("root")), and its
    /// access token in `token` (for the admin API) when given; null when that fails.
    std::unique_ptr<WsClient> connectAdmin(QByteArray *token = nullptr);

    /// The claims of an access token the server would issue to `user` on login `loginId`, valid now.
    static QJsonObject accessClaims(const QString &user, const QString &loginId);
    /// Signs any claims with this server's own secret: a token the server signed but may have to refuse.
    QString signToken(const QJsonObject &claims) const;
    /// The claims of a token, read without checking it.
    static QJsonObject claimsOf(const QString &token);
    /// The login (`sid` claim) a token belongs to.
    static QString loginOf(const QString &token) { return claimsOf(token).value(QLatin1StringView("sid")).toString(); }

private:
    void start();
    void makeHttpClient();
    std::unique_ptr<QTemporaryDir> m_dir;
    ServerConfig m_config;
    std::unique_ptr<ChatServer> m_server;
    QHash<QString, QByteArray> m_tokens; ///< tokenOf()'s, for this start of the server
    std::unique_ptr<HttpClient> m_http;
};

} // namespace Tertulia::Test
