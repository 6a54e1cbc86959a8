#pragma once

#include "server/trace/tracingconfig.h"

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtNetwork/QHostAddress>

#include <optional>
#include <variant>

namespace Tertulia {

/// Every limit of the server, with the defaults documented in docs/protocol.md.
struct ServerLimits
{
    int maxTextBytes = 16 * 1024;          ///< message text, UTF-8 bytes
    int maxFrameBytes = 64 * 1024;         ///< incoming WebSocket frame and message
    int handshakeTimeoutMs = 5000;         ///< TLS + HTTP head + upgrade
    /// An incoming WebSocket frame, or a message in fragments, must arrive whole this soon after its first
    /// byte, like the HTTP head (a peer trickling one byte at a time, or sending half a frame, is cut off).
    int messageTimeoutMs = 10000;
    /// An HTTP request body (a file upload above all) must keep coming: in every window of body_timeout_ms at
    /// least min_body_bytes_per_second × the window (or the rest of the body, when less) arrives, or 408. Not a
    /// total: a 10 MiB upload at 2 KiB/s takes 85 min and passes; a peer that stalls or trickles is cut after
    /// one window, and holding a body open costs a peer at least that rate.
    int bodyTimeoutMs = 10000;
    int minBodyBytesPerSecond = 1024;
    int authTimeoutMs = 5000;              ///< first successful `auth`
    int pingIntervalMs = 20000;
    int idleTimeoutMs = 60000;             ///< no frame and no pong for this long closes the socket
    int rateBurst = 30;                    ///< per connection
    double ratePerSecond = 10;
    int userRateBurst = 60;                ///< per user, all sessions together
    double userRatePerSecond = 20;
    int maxRateViolations = 20;            ///< refusals a connection gets away with; the next one closes it
    int maxMalformedFrames = 20;           ///< likewise: the 21st malformed frame closes the connection
    int maxConnectionsPerIp = 256;
    int maxConnections = 19000;
    /// New connections per address (every TCP connection, whatever it then asks for), kept across
    /// reconnects: a whole address's worth of clients may come back at once (a NAT after a network blip),
    /// a reconnect loop may not go on.
    int ipConnectBurst = 256;
    double ipConnectPerSecond = 20;
    /// New sessions per user (first authentications of a connection, native or Socket.IO).
    int userConnectBurst = 30;
    double userConnectPerSecond = 1;
    qint64 maxBufferedBytes = 4 * 1024 * 1024;   ///< unsent bytes a socket may hold for long (see below)
    int slowConsumerGraceMs = 2000;        ///< over maxBufferedBytes this long: closed; over 4x: closed at once
    int httpAuthBurst = 20;                ///< register/login/refresh per IP
    double httpAuthPerSecond = 2;
    /// Per account: past the free failures, each failed password check makes the next one wait, doubling from
    /// the first delay up to the longest (LoginThrottle; docs/protocol.md#limits-defaults-all-configurable).
    int loginFreeFailures = 3;
    qint64 loginDelayFirstMs = 1000;
    qint64 loginDelayMaxMs = 5 * 60 * 1000;
    int historyReplayLimit = 500;          ///< messages replayed per room by `resume`
    qint64 replyByteBudget = 1024 * 1024;  ///< history pages and resume replays stop at about this size
    /// Searches one user may have waiting for the database at once, all sessions together: a search of a
    /// common word can keep a reader busy, and the rate limits alone would let slow ones pile up.
    int searchesInFlightPerUser = 2;
    /// The fast path may hold member_joined/member_left/presence this long to write several at once
    /// (1 770 → 4 660 connects/s in the benchmark's connect phase; docs/protocol.md#events).
    int notificationDelayMs = 250;
    /// A user whose connection dropped without a close stays online this long, waiting for a reconnect.
    int presenceGraceMs = 5000;
    /// Several nodes (docs/scaling.md): a node not heard on the bus this long is gone, and its users go
    /// offline a presence grace later unless they reconnected to another node.
    int nodeLeaseMs = 3000;
    // Files (issue 12; docs/protocol.md#files).
    qint64 maxFileBytes = 10 * 1024 * 1024; ///< one upload's body; larger is refused (413) before it is read
    int uploadBurst = 10;                  ///< uploads per user, all devices together
    double uploadPerSecond = 0.5;
    /// Uploads of one user that no message carries yet: past this, a new upload waits until one is sent (or its
    /// room deleted). Bounds what a user can leave on the disk unseen (with max_file_bytes: 200 MiB by default).
    int maxUnsentFiles = 20;
    /// An avatar picture's body (issue 12; docs/protocol.md#avatar-pictures): the apps send a 256-pixel square.
    qint64 maxAvatarBytes = 512 * 1024;
};

enum class LogFormat { Text, Json };
/// Where the server keeps its data: SQLite in the data directory (the embedded and single-node servers), or
/// a PostgreSQL database (docs/scaling.md).
enum class StoreKind { Sqlite, Postgres };
/// What carries the cluster's notices between nodes (docs/scaling.md): PostgreSQL's LISTEN/NOTIFY, or Redis
/// pub/sub in builds with hiredis. The database is the log either way.
enum class BusKind { Postgres, Redis };
enum class RegistrationPolicy { Open, Closed };

struct ServerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0;                      ///< 0: any free port (the embedded default)
    QString dataDir;                       ///< database, secret.key, logs
    QString name;                          ///< shown to clients
    QString tlsCertFile;
    QString tlsKeyFile;
    QStringList allowedOrigins;            ///< requests with an Origin must match one; no Origin is fine
    RegistrationPolicy registration = RegistrationPolicy::Open;
    LogFormat logFormat = LogFormat::Text;
    bool fullSync = false;                 ///< SQLite synchronous=FULL (power-loss safe) instead of NORMAL
    bool webPage = false;                  ///< serve the guest chat page at "/" (docs/socketio.md)
    /// With TLS: also serve plain http:// and ws:// on the same port (an embedded host's explicit choice for
    /// browsers that cannot use its certificate). Off: plain requests are redirected to https://.
    bool allowPlainHttp = false;
    /// Serve /ws on the fast path (server/fastpath: connections that own their descriptors) instead of the
    /// portable path (WebSocket::Connection over QTcpSocket/QSslSocket); both run the same RFC 6455 codec.
    /// Asked for by default; it runs only where the fast path is built (TERTULIA_PLATFORM_EXTRAS, Linux) and
    /// never with TLS (TLS stays on QSslSocket): fastPathActive() says whether it does.
    bool fastPath = true;
    int accessTokenTtlSeconds = 15 * 60;
    int refreshTokenTtlSeconds = 30 * 24 * 3600;
    int passwordHashOpsLimit = 2;          ///< Argon2id t (OWASP minimum 2)
    int passwordHashMemKiB = 19 * 1024;    ///< Argon2id m (OWASP minimum 19 MiB)
    ServerLimits limits;
    StoreKind store = StoreKind::Sqlite;
    QString databaseUrl;                   ///< Postgres: postgresql://user@host:port/database?...
    QString nodeId;                        ///< this node's name (1-16 letters, digits, '-'); random when empty
    BusKind bus = BusKind::Postgres;       ///< with --store postgres
    QString redisUrl;                      ///< BusKind::Redis: redis://HOST:PORT or unix:///PATH
    QString secretFile;                    ///< the token secret; empty: secret.key in dataDir
    /// On SIGTERM, first drain this long: /healthz answers 503 and new connections are refused (so a load
    /// balancer sends people elsewhere), then the sessions close with 1001 and their clients reconnect to
    /// another node. 0: close at once (one node, nothing to fail over to).
    int drainMs = 0;
    /// Delivery traces: which messages, and the OTLP collector (docs/administration.md#delivery-traces).
    TracingConfig tracing;

    bool tlsEnabled() const { return !tlsCertFile.isEmpty(); }
    /// Whether /ws really takes the fast path: asked for, available on this platform, and no TLS.
    bool fastPathActive() const;
};

/// The parsed command line of tertulia-server.
struct CommandLine
{
    ServerConfig config;
    bool showHelp = false;
    bool showVersion = false;
    bool healthcheck = false; ///< --healthcheck: ask the server this config describes for /healthz, then exit
    /// --create-admin NAME: create the account NAME as an administrator (password on standard input) in the
    /// store this config describes, then exit (docs/administration.md).
    QString createAdmin;
    QString helpText;
};

/// Parses arguments (argv without the program name is fine, with it too) and an optional --config file,
/// command line over file over defaults. Returns one clear line on error. Pure apart from reading the
/// config file.
std::variant<CommandLine, QString> parseCommandLine(const QStringList &arguments);

/// Applies a JSON config file's settings to `config`. Unknown keys are errors (a typo must not be
/// silently ignored).
std::optional<QString> applyConfigFile(const QString &path, ServerConfig &config);

/// Whether `id` can name a node: 1 to 16 ASCII letters, digits and '-' (it ends up in Engine.IO session ids
/// and load-balancer rules).
bool isValidNodeId(const QString &id);

/// "HOST:PORT", "[v6]:PORT" or ":PORT".
std::optional<std::pair<QHostAddress, quint16>> parseListenAddress(const QString &text);

/// The default data directory of the standalone server (the user's app data location).
QString defaultDataDir();

} // namespace Tertulia
