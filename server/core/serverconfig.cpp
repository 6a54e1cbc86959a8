#include "server/core/serverconfig.h"

#include "shared/version.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QStandardPaths>
#include <QtCore/QUrl>

#include <cmath>
#include <limits>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
constexpr int kMaxDrainMs = 10 * 60 * 1000; // a drain longer than ten minutes is a mistake
using L1 = QLatin1StringView;

/// The config-file names of the limits, in one table.
using LimitField = std::variant<int ServerLimits::*, double ServerLimits::*, qint64 ServerLimits::*>;
const std::pair<const char *, LimitField> kLimitFields[] = {
    {"max_text_bytes", &ServerLimits::maxTextBytes},
    {"max_frame_bytes", &ServerLimits::maxFrameBytes},
    {"handshake_timeout_ms", &ServerLimits::handshakeTimeoutMs},
    {"message_timeout_ms", &ServerLimits::messageTimeoutMs},
    {"body_timeout_ms", &ServerLimits::bodyTimeoutMs},
    {"min_body_bytes_per_second", &ServerLimits::minBodyBytesPerSecond},
    {"auth_timeout_ms", &ServerLimits::authTimeoutMs},
    {"ping_interval_ms", &ServerLimits::pingIntervalMs},
    {"idle_timeout_ms", &ServerLimits::idleTimeoutMs},
    {"rate_burst", &ServerLimits::rateBurst},
    {"rate_per_second", &ServerLimits::ratePerSecond},
    {"user_rate_burst", &ServerLimits::userRateBurst},
    {"user_rate_per_second", &ServerLimits::userRatePerSecond},
    {"max_rate_violations", &ServerLimits::maxRateViolations},
    {"max_malformed_frames", &ServerLimits::maxMalformedFrames},
    {"max_connections_per_ip", &ServerLimits::maxConnectionsPerIp},
    {"max_connections", &ServerLimits::maxConnections},
    {"ip_connect_burst", &ServerLimits::ipConnectBurst},
    {"ip_connect_per_second", &ServerLimits::ipConnectPerSecond},
    {"user_connect_burst", &ServerLimits::userConnectBurst},
    {"user_connect_per_second", &ServerLimits::userConnectPerSecond},
    {"max_buffered_bytes", &ServerLimits::maxBufferedBytes},
    {"slow_consumer_grace_ms", &ServerLimits::slowConsumerGraceMs},
    {"http_auth_burst", &ServerLimits::httpAuthBurst},
    {"http_auth_per_second", &ServerLimits::httpAuthPerSecond},
    {"login_free_failures", &ServerLimits::loginFreeFailures},
    {"login_delay_first_ms", &ServerLimits::loginDelayFirstMs},
    {"login_delay_max_ms", &ServerLimits::loginDelayMaxMs},
    {"history_replay_limit", &ServerLimits::historyReplayLimit},
    {"reply_byte_budget", &ServerLimits::replyByteBudget},
    {"searches_in_flight_per_user", &ServerLimits::searchesInFlightPerUser},
    {"notification_delay_ms", &ServerLimits::notificationDelayMs},
    {"presence_grace_ms", &ServerLimits::presenceGraceMs},
    {"node_lease_ms", &ServerLimits::nodeLeaseMs},
    {"max_file_bytes", &ServerLimits::maxFileBytes},
    {"upload_burst", &ServerLimits::uploadBurst},
    {"upload_per_second", &ServerLimits::uploadPerSecond},
    {"max_unsent_files", &ServerLimits::maxUnsentFiles},
    {"max_avatar_bytes", &ServerLimits::maxAvatarBytes},
};

std::optional<QString> applyLimits(const QJsonObject &json, ServerLimits &limits)
{
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QByteArray key = it.key().toUtf8();
        const auto field = std::find_if(std::begin(kLimitFields), std::end(kLimitFields),
                                        [&](const auto &entry) { return key == entry.first; });
        if (field == std::end(kLimitFields))
            return QStringLiteral("unknown limit '%1'").arg(it.key());
        const double value = it.value().toDouble(-1);
        if (!it.value().isDouble() || !(value > 0))
            return QStringLiteral("limit '%1' must be a positive number").arg(it.key());
        // An integer limit must fit its type (converting 1e300 to int is undefined behaviour) and be at
        // least 1 once truncated.
        std::optional<QString> error;
        std::visit(
            [&](auto member) {
                using T = std::remove_reference_t<decltype(limits.*member)>;
                if constexpr (std::is_integral_v<T>) {
                    if (value >= double(std::numeric_limits<T>::max()) || value < 1) {
                        error = QStringLiteral("limit '%1' must be a whole number from 1 to %2")
                                    .arg(it.key())
                                    .arg(std::numeric_limits<T>::max());
                        return;
                    }
                }
                limits.*member = T(value);
            },
            field->second);
        if (error)
            return error;
    }
    return std::nullopt;
}

std::optional<QString> setStore(const QString &value, ServerConfig &config)
{
    if (value == u"sqlite")
        config.store = StoreKind::Sqlite;
    else if (value == u"postgres")
        config.store = StoreKind::Postgres;
    else
        return QStringLiteral("store must be 'sqlite' or 'postgres', not '%1'").arg(value);
    return std::nullopt;
}

std::optional<QString> setBus(const QString &value, ServerConfig &config)
{
    if (value == u"postgres")
        config.bus = BusKind::Postgres;
    else if (value == u"redis")
        config.bus = BusKind::Redis;
    else
        return QStringLiteral("bus must be 'postgres' or 'redis', not '%1'").arg(value);
    return std::nullopt;
}

std::optional<QString> setRegistration(const QString &value, ServerConfig &config)
{
    if (value == u"open")
        config.registration = RegistrationPolicy::Open;
    else if (value == u"closed")
        config.registration = RegistrationPolicy::Closed;
    else
        return QStringLiteral("registration must be 'open' or 'closed', not '%1'").arg(value);
    return std::nullopt;
}

std::optional<QString> setLogFormat(const QString &value, ServerConfig &config)
{
    if (value == u"text")
        config.logFormat = LogFormat::Text;
    else if (value == u"json")
        config.logFormat = LogFormat::Json;
    else
        return QStringLiteral("log format must be 'text' or 'json', not '%1'").arg(value);
    return std::nullopt;
}

std::optional<QString> setListen(const QString &value, ServerConfig &config)
{
    const auto parsed = parseListenAddress(value);
    if (!parsed)
        return QStringLiteral("'%1' is not HOST:PORT (for example 0.0.0.0:7420 or [::1]:7420)").arg(value);
    config.address = parsed->first;
    config.port = parsed->second;
    return std::nullopt;
}

std::optional<QString> checkReadable(const QString &what, const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("%1 '%2' does not exist").arg(what, path);
    if (!info.isFile() || !info.isReadable())
        return QStringLiteral("%1 '%2' is not a readable file").arg(what, path);
    return std::nullopt;
}
/// Errors are one line (the server prints them as such, and logs are read line by line), yet they quote what
/// the user wrote: control characters in a key or value are shown escaped (found by fuzz_config).
QString oneLine(const QString &message)
{
    QString line;
    line.reserve(message.size());
    for (const QChar c : message) {
        if (c.category() == QChar::Other_Control)
            line += QStringLiteral("\\u%1").arg(uint(c.unicode()), 4, 16, QChar(u'0'));
        else
            line += c;
    }
    return line;
}

constexpr int kMaxTraceRing = 100000;

/// The collector's URL: http:// or https:// with a host.
std::optional<QString> checkTraceEndpoint(const QString &endpoint)
{
    const QUrl url(endpoint, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https") || url.host().isEmpty())
        return QStringLiteral("the trace endpoint '%1' must be an http:// or https:// URL").arg(endpoint);
    return std::nullopt;
}

std::optional<QString> checkTraceRatio(double ratio)
{
    if (!(ratio >= 0 && ratio <= 1))
        return u"the trace ratio must be a number from 0 to 1"_s;
    return std::nullopt;
}

/// The config file's "tracing" object: {"endpoint", "ratio", "rooms", "users", "ring"}.
std::optional<QString> applyTracing(const QJsonObject &json, TracingConfig &tracing)
{
    static const QStringList known{u"endpoint"_s, u"ratio"_s, u"rooms"_s, u"users"_s, u"ring"_s};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key()))
            return QStringLiteral("unknown tracing setting '%1'").arg(it.key());
    }
    if (json.contains(L1("endpoint"))) {
        if (!json.value(L1("endpoint")).isString())
            return u"tracing 'endpoint' must be a string"_s;
        tracing.endpoint = json.value(L1("endpoint")).toString();
        if (auto error = checkTraceEndpoint(tracing.endpoint))
            return error;
    }
    if (json.contains(L1("ratio"))) {
        if (!json.value(L1("ratio")).isDouble())
            return u"tracing 'ratio' must be a number from 0 to 1"_s;
        tracing.ratio = json.value(L1("ratio")).toDouble();
        if (auto error = checkTraceRatio(tracing.ratio))
            return error;
    }
    for (auto [key, target] : {std::pair{L1("rooms"), &tracing.rooms}, std::pair{L1("users"), &tracing.users}}) {
        if (!json.contains(key))
            continue;
        const QJsonValue names = json.value(key);
        if (!names.isArray())
            return QStringLiteral("tracing '%1' must be an array of names").arg(key);
        target->clear();
        for (const QJsonValue &name : names.toArray()) {
            if (!name.isString() || name.toString().isEmpty())
                return QStringLiteral("tracing '%1' must be an array of names").arg(key);
            target->append(name.toString());
        }
    }
    if (json.contains(L1("ring"))) {
        const double ring = json.value(L1("ring")).toDouble(-1);
        if (!(ring >= 1 && ring <= kMaxTraceRing) || ring != std::floor(ring))
            return QStringLiteral("tracing 'ring' must be a whole number from 1 to %1").arg(kMaxTraceRing);
        tracing.ringSize = int(ring);
    }
    return std::nullopt;
}

std::optional<QString> applyConfigFileUnchecked(const QString &path, ServerConfig &config);
} // namespace

std::optional<std::pair<QHostAddress, quint16>> parseListenAddress(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0)
        return std::nullopt;
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return std::nullopt; // bare IPv6 needs brackets
    QHostAddress address;
    if (host.isEmpty() || host == u"*")
        address = QHostAddress::Any;
    else if (host == u"localhost")
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(host))
        return std::nullopt;
    return std::pair{address, quint16(port)};
}

bool ServerConfig::fastPathActive() const
{
#ifdef TERTULIA_HAVE_FAST_PATH
    return fastPath && !tlsEnabled();
#else
    return false;
#endif
}

QString defaultDataDir()
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return base + u"/tertulia-server"_s;
}

std::optional<QString> applyConfigFile(const QString &path, ServerConfig &config)
{
    if (auto error = applyConfigFileUnchecked(path, config))
        return oneLine(*error);
    return std::nullopt;
}

namespace {
std::optional<QString> applyConfigFileUnchecked(const QString &path, ServerConfig &config)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("cannot read config file '%1': %2").arg(path, file.errorString());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.read(1024 * 1024), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return QStringLiteral("config file '%1' is not a JSON object: %2").arg(path, parseError.errorString());
    const QJsonObject json = document.object();
    auto str = [&](L1 key, auto setter) -> std::optional<QString> {
        const QJsonValue value = json.value(key);
        if (value.isUndefined())
            return std::nullopt;
        if (!value.isString())
            return QStringLiteral("config '%1' must be a string").arg(key);
        return setter(value.toString());
    };
    for (auto it = json.begin(); it != json.end(); ++it) {
        static const QStringList known{u"listen"_s, u"data_dir"_s, u"name"_s, u"tls_cert"_s, u"tls_key"_s,
                                       u"allowed_origins"_s, u"registration"_s, u"log_format"_s,
                                       u"full_sync"_s, u"web_page"_s, u"access_token_ttl"_s, u"refresh_token_ttl"_s,
                                       u"limits"_s, u"fast_path"_s, u"store"_s, u"database"_s, u"node_id"_s,
                                       u"secret_file"_s, u"drain_ms"_s, u"bus"_s, u"redis"_s,
                                       u"tracing"_s};
        if (!known.contains(it.key()))
            return QStringLiteral("config file '%1': unknown setting '%2'").arg(path, it.key());
    }
    std::optional<QString> error;
    if ((error = str(L1("listen"), [&](const QString &v) { return setListen(v, config); })))
        return error;
    if ((error = str(L1("data_dir"), [&](const QString &v) { config.dataDir = v; return std::optional<QString>(); })))
        return error;
    if ((error = str(L1("name"), [&](const QString &v) { config.name = v; return std::optional<QString>(); })))
        return error;
    if ((error = str(L1("tls_cert"), [&](const QString &v) { config.tlsCertFile = v; return std::optional<QString>(); })))
        return error;
    if ((error = str(L1("tls_key"), [&](const QString &v) { config.tlsKeyFile = v; return std::optional<QString>(); })))
        return error;
    if ((error = str(L1("registration"), [&](const QString &v) { return setRegistration(v, config); })))
        return error;
    if ((error = str(L1("log_format"), [&](const QString &v) { return setLogFormat(v, config); })))
        return error;
    if ((error = str(L1("store"), [&](const QString &v) { return setStore(v, config); })))
        return error;
    if ((error = str(L1("database"), [&](const QString &v) { config.databaseUrl = v; return std::optional<QString>(); })))
        return error;
    if ((error = str(L1("node_id"), [&](const QString &v) { config.nodeId = v; return std::optional<QString>(); })))
        return error;
    if ((error = str(L1("bus"), [&](const QString &v) { return setBus(v, config); })))
        return error;
    if ((error = str(L1("redis"), [&](const QString &v) { config.redisUrl = v; return std::optional<QString>(); })))
        return error;
    if ((error = str(L1("secret_file"), [&](const QString &v) { config.secretFile = v; return std::optional<QString>(); })))
        return error;
    if (json.contains(L1("allowed_origins"))) {
        const QJsonValue origins = json.value(L1("allowed_origins"));
        if (!origins.isArray())
            return QStringLiteral("config 'allowed_origins' must be an array of strings");
        config.allowedOrigins.clear();
        for (const QJsonValue &origin : origins.toArray()) {
            if (!origin.isString())
                return QStringLiteral("config 'allowed_origins' must be an array of strings");
            config.allowedOrigins.append(origin.toString());
        }
    }
    if (json.contains(L1("drain_ms"))) {
        const QJsonValue drain = json.value(L1("drain_ms"));
        if (!drain.isDouble() || !(drain.toDouble() >= 0 && drain.toDouble() <= kMaxDrainMs))
            return QStringLiteral("config 'drain_ms' must be a number from 0 to %1").arg(kMaxDrainMs);
        config.drainMs = int(drain.toDouble());
    }
    if (json.contains(L1("full_sync"))) {
        if (!json.value(L1("full_sync")).isBool())
            return QStringLiteral("config 'full_sync' must be true or false");
        config.fullSync = json.value(L1("full_sync")).toBool();
    }
    if (json.contains(L1("fast_path"))) {
        if (!json.value(L1("fast_path")).isBool())
            return QStringLiteral("config 'fast_path' must be true or false");
        config.fastPath = json.value(L1("fast_path")).toBool();
    }
    if (json.contains(L1("web_page"))) {
        if (!json.value(L1("web_page")).isBool())
            return QStringLiteral("config 'web_page' must be true or false");
        config.webPage = json.value(L1("web_page")).toBool();
    }
    for (auto [key, target] : {std::pair{L1("access_token_ttl"), &config.accessTokenTtlSeconds},
                               std::pair{L1("refresh_token_ttl"), &config.refreshTokenTtlSeconds}}) {
        if (!json.contains(key))
            continue;
        const int seconds = json.value(key).toInt(-1);
        if (seconds <= 0)
            return QStringLiteral("config '%1' must be a positive number of seconds").arg(key);
        *target = seconds;
    }
    if (json.contains(L1("tracing"))) {
        if (!json.value(L1("tracing")).isObject())
            return QStringLiteral("config 'tracing' must be an object");
        if (auto tracingError = applyTracing(json.value(L1("tracing")).toObject(), config.tracing))
            return QStringLiteral("config file '%1': %2").arg(path, *tracingError);
    }
    if (json.contains(L1("limits"))) {
        if (!json.value(L1("limits")).isObject())
            return QStringLiteral("config 'limits' must be an object");
        if (auto limitError = applyLimits(json.value(L1("limits")).toObject(), config.limits))
            return QStringLiteral("config file '%1': %2").arg(path, *limitError);
    }
    return std::nullopt;
}
} // namespace

namespace {
std::variant<CommandLine, QString> parseCommandLineUnchecked(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Tertulia chat server: HTTP account API, WebSocket chat (/ws) and Socket.IO on one port."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help and exit."_s);
    const QCommandLineOption version({u"v"_s, u"version"_s}, u"Show the version and exit."_s);
    const QCommandLineOption listen(u"listen"_s, u"Address and port to listen on (default 127.0.0.1:7420)."_s,
                                    u"HOST:PORT"_s);
    const QCommandLineOption dataDir(u"data-dir"_s,
                                     u"Directory for the database, the server secret and logs (default: %1)."_s
                                         .arg(defaultDataDir()),
                                     u"DIR"_s);
    const QCommandLineOption name(u"name"_s, u"Server name shown to clients."_s, u"NAME"_s);
    const QCommandLineOption tlsCert(u"tls-cert"_s, u"PEM certificate (chain): serve https:// and wss://."_s,
                                     u"FILE"_s);
    const QCommandLineOption tlsKey(u"tls-key"_s, u"PEM private key for --tls-cert."_s, u"FILE"_s);
    const QCommandLineOption origin(u"allowed-origin"_s,
                                    u"Allow browsers from this origin (repeatable), e.g. https://chat.example."_s,
                                    u"ORIGIN"_s);
    const QCommandLineOption registration(u"registration"_s, u"Whether anyone can create an account: open or closed (default open)."_s,
                                          u"open|closed"_s);
    const QCommandLineOption logFormat(u"log-format"_s, u"Log lines as text or json (default text)."_s,
                                       u"text|json"_s);
    const QCommandLineOption fullSync(u"full-sync"_s,
                                      u"Flush every commit to the disk (survives power loss; slower)."_s);
    const QCommandLineOption webPage(u"web-page"_s,
                                     u"Serve the chat page for guests at / (people join from a browser)."_s);
    const QCommandLineOption fastPath(u"fast-path"_s,
                                      u"Serve /ws on the fast path (Linux builds with the platform extras, without TLS): on or off (default on)."_s,
                                      u"on|off"_s);
    const QCommandLineOption config(u"config"_s, u"Read settings from a JSON file (options given here win)."_s,
                                    u"FILE"_s);
    const QCommandLineOption store(u"store"_s,
                                   u"Where to keep the data: sqlite (in the data directory) or postgres (default sqlite)."_s,
                                   u"sqlite|postgres"_s);
    const QCommandLineOption database(u"database"_s, u"The PostgreSQL database for --store postgres."_s,
                                      u"postgresql://USER@HOST:PORT/DB"_s);
    const QCommandLineOption nodeId(u"node-id"_s, u"This node's name, for --store postgres (1-16 letters, digits, -)."_s,
                                    u"ID"_s);
    const QCommandLineOption bus(u"bus"_s,
                                 u"What carries notices between nodes with --store postgres: postgres (LISTEN/NOTIFY) "
                                 "or redis (pub/sub, needs --redis; default postgres)."_s,
                                 u"postgres|redis"_s);
    const QCommandLineOption redis(u"redis"_s, u"The Redis server for --bus redis."_s,
                                   u"redis://HOST:PORT or unix:///PATH"_s);
    const QCommandLineOption secretFile(u"secret-file"_s,
                                        u"The token secret (64 hex digits; created if missing). Default: secret.key "
                                        "in the data directory."_s,
                                        u"FILE"_s);
    const QCommandLineOption drain(u"drain-ms"_s,
                                   u"On SIGTERM, answer /healthz with 503 and refuse new connections this long "
                                   "before closing the sessions (several nodes behind a load balancer; default 0)."_s,
                                   u"MS"_s);
    const QCommandLineOption traceEndpoint(
        u"trace-endpoint"_s, u"Send delivery traces to this OpenTelemetry collector (OTLP over HTTP, JSON)."_s,
        u"URL"_s);
    const QCommandLineOption traceRatio(u"trace-ratio"_s,
                                        u"The share of messages traced, from 0 to 1 (default 0)."_s, u"RATIO"_s);
    const QCommandLineOption traceRoom(u"trace-room"_s, u"Trace every message of this room (repeatable)."_s,
                                       u"ROOM"_s);
    const QCommandLineOption traceUser(u"trace-user"_s, u"Trace every message this user sends (repeatable)."_s,
                                       u"USER"_s);
    const QCommandLineOption healthcheck(
        u"healthcheck"_s,
        u"Ask the server that these options describe (--listen, --config) for /healthz; exit 0 if it is healthy."_s);
    const QCommandLineOption createAdmin(
        u"create-admin"_s,
        u"Create the account NAME as an administrator, with the password read from standard input, in the store "
        "that these options describe; then exit."_s,
        u"NAME"_s);
    parser.addOptions({help, version, healthcheck, createAdmin, listen, dataDir, name, tlsCert, tlsKey, origin, registration,
                       logFormat, fullSync, webPage, fastPath, config, store, database, nodeId, bus, redis, secretFile,
                       drain, traceEndpoint, traceRatio, traceRoom, traceUser});

    const QString program = u"tertulia-server"_s;
    if (!parser.parse(arguments))
        return parser.errorText();
    if (!parser.positionalArguments().isEmpty())
        return QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().constFirst());

    CommandLine result;
    result.config.port = 7420;
    result.config.dataDir = defaultDataDir();
    result.config.name = u"Tertulia"_s;
    result.showHelp = parser.isSet(help);
    result.showVersion = parser.isSet(version);
    result.healthcheck = parser.isSet(healthcheck);
    result.createAdmin = parser.value(createAdmin);
    if (parser.isSet(createAdmin) && result.createAdmin.isEmpty())
        return u"--create-admin: give the administrator's name"_s;
    result.helpText = parser.helpText().replace(arguments.value(0), program);
    if (result.showHelp || result.showVersion)
        return result;

    ServerConfig &cfg = result.config;
    if (parser.isSet(config)) {
        if (auto error = applyConfigFile(parser.value(config), cfg))
            return *error;
    }
    std::optional<QString> error;
    if (parser.isSet(listen) && (error = setListen(parser.value(listen), cfg)))
        return u"--listen: "_s + *error;
    if (parser.isSet(dataDir))
        cfg.dataDir = parser.value(dataDir);
    if (parser.isSet(name))
        cfg.name = parser.value(name);
    if (parser.isSet(tlsCert))
        cfg.tlsCertFile = parser.value(tlsCert);
    if (parser.isSet(tlsKey))
        cfg.tlsKeyFile = parser.value(tlsKey);
    if (parser.isSet(origin))
        cfg.allowedOrigins = parser.values(origin);
    if (parser.isSet(registration) && (error = setRegistration(parser.value(registration), cfg)))
        return u"--registration: "_s + *error;
    if (parser.isSet(logFormat) && (error = setLogFormat(parser.value(logFormat), cfg)))
        return u"--log-format: "_s + *error;
    if (parser.isSet(fullSync))
        cfg.fullSync = true;
    if (parser.isSet(webPage))
        cfg.webPage = true;
    if (parser.isSet(fastPath)) {
        const QString value = parser.value(fastPath);
        if (value != u"on" && value != u"off")
            return QStringLiteral("--fast-path must be 'on' or 'off', not '%1'").arg(value);
        cfg.fastPath = value == u"on";
    }

    if (parser.isSet(store) && (error = setStore(parser.value(store), cfg)))
        return u"--store: "_s + *error;
    if (parser.isSet(database))
        cfg.databaseUrl = parser.value(database);
    if (parser.isSet(nodeId))
        cfg.nodeId = parser.value(nodeId);
    if (parser.isSet(bus) && (error = setBus(parser.value(bus), cfg)))
        return u"--bus: "_s + *error;
    if (parser.isSet(redis))
        cfg.redisUrl = parser.value(redis);
    if (parser.isSet(secretFile))
        cfg.secretFile = parser.value(secretFile);
    if (parser.isSet(drain)) {
        bool ok = false;
        const int ms = parser.value(drain).toInt(&ok);
        if (!ok || ms < 0 || ms > kMaxDrainMs)
            return QStringLiteral("--drain-ms must be a number from 0 to %1").arg(kMaxDrainMs);
        cfg.drainMs = ms;
    }

    if (parser.isSet(traceEndpoint)) {
        cfg.tracing.endpoint = parser.value(traceEndpoint);
        if ((error = checkTraceEndpoint(cfg.tracing.endpoint)))
            return u"--trace-endpoint: "_s + *error;
    }
    if (parser.isSet(traceRatio)) {
        bool ok = false;
        cfg.tracing.ratio = parser.value(traceRatio).toDouble(&ok);
        if (!ok || (error = checkTraceRatio(cfg.tracing.ratio)))
            return u"--trace-ratio must be a number from 0 to 1"_s;
    }
    if (parser.isSet(traceRoom))
        cfg.tracing.rooms = parser.values(traceRoom);
    if (parser.isSet(traceUser))
        cfg.tracing.users = parser.values(traceUser);

    if (cfg.dataDir.isEmpty())
        return u"--data-dir must not be empty"_s;
    if (cfg.store == StoreKind::Postgres && cfg.databaseUrl.isEmpty())
        return u"--store postgres needs --database postgresql://..."_s;
    // --create-admin only opens the store: it runs as no node of the cluster.
    if (cfg.store == StoreKind::Postgres && cfg.nodeId.isEmpty() && result.createAdmin.isEmpty())
        return u"--store postgres needs --node-id (a name for this node)"_s;
    if (cfg.store == StoreKind::Sqlite && !cfg.databaseUrl.isEmpty())
        return u"--database goes with --store postgres"_s;
    if (cfg.bus == BusKind::Redis && cfg.store != StoreKind::Postgres)
        return u"--bus redis goes with --store postgres (the database stays the log)"_s;
    if (cfg.bus == BusKind::Redis && cfg.redisUrl.isEmpty())
        return u"--bus redis needs --redis redis://HOST:PORT or unix:///PATH"_s;
    if (cfg.bus != BusKind::Redis && !cfg.redisUrl.isEmpty())
        return u"--redis goes with --bus redis"_s;
    if (!cfg.nodeId.isEmpty() && !isValidNodeId(cfg.nodeId))
        return QStringLiteral("--node-id '%1' must be 1 to 16 letters, digits or -").arg(cfg.nodeId);
    if (cfg.tlsCertFile.isEmpty() != cfg.tlsKeyFile.isEmpty())
        return u"--tls-cert and --tls-key go together"_s;
    if (cfg.tlsEnabled()) {
        if ((error = checkReadable(u"--tls-cert"_s, cfg.tlsCertFile)))
            return *error;
        if ((error = checkReadable(u"--tls-key"_s, cfg.tlsKeyFile)))
            return *error;
    }
    for (const QString &allowed : std::as_const(cfg.allowedOrigins)) {
        if (!allowed.startsWith(u"http://") && !allowed.startsWith(u"https://"))
            return QStringLiteral("--allowed-origin '%1' must start with http:// or https://").arg(allowed);
    }
    return result;
}
} // namespace

bool isValidNodeId(const QString &id)
{
    if (id.isEmpty() || id.size() > 16)
        return false;
    return std::all_of(id.cbegin(), id.cend(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-';
    });
}

std::variant<CommandLine, QString> parseCommandLine(const QStringList &arguments)
{
    auto parsed = parseCommandLineUnchecked(arguments);
    if (auto *error = std::get_if<QString>(&parsed))
        *error = oneLine(*error);
    return parsed;
}

} // namespace Tertulia
