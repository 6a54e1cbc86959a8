// Command line and config file of tertulia-server: defaults, precedence, and one clear error per mistake.
#include "server/cluster/redisaddress.h"
#include "server/core/serverconfig.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;

namespace {
std::variant<CommandLine, QString> parse(const QStringList &args)
{
    return parseCommandLine(QStringList{u"tertulia-server"_s} + args);
}

QString errorOf(const std::variant<CommandLine, QString> &parsed)
{
    const auto *error = std::get_if<QString>(&parsed);
    return error ? *error : QString();
}
} // namespace

class TestServerConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults()
    {
        const auto parsed = parse({});
        QVERIFY(std::holds_alternative<CommandLine>(parsed));
        const ServerConfig &config = std::get<CommandLine>(parsed).config;
        QCOMPARE(config.address, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(config.port, quint16(7420));
        QVERIFY(!config.dataDir.isEmpty());
        QCOMPARE(config.registration, RegistrationPolicy::Open);
        QCOMPARE(config.logFormat, LogFormat::Text);
        QCOMPARE(config.limits.maxTextBytes, 16 * 1024);
        QCOMPARE(config.limits.ipConnectBurst, 256);
        QCOMPARE(config.limits.ipConnectPerSecond, 20.0);
        QCOMPARE(config.limits.userConnectBurst, 30);
        QCOMPARE(config.limits.userConnectPerSecond, 1.0);
        QCOMPARE(config.limits.loginDelayFirstMs, 1000);
        QCOMPARE(config.limits.loginFreeFailures, 3);
        QCOMPARE(config.limits.loginDelayMaxMs, 300000);
        QCOMPARE(config.accessTokenTtlSeconds, 900);
        QCOMPARE(config.refreshTokenTtlSeconds, 30 * 24 * 3600);
        QCOMPARE(config.store, StoreKind::Sqlite);
        QVERIFY(config.databaseUrl.isEmpty());
        QVERIFY(config.nodeId.isEmpty());
        QVERIFY(config.secretFile.isEmpty());
        QCOMPARE(config.bus, BusKind::Postgres);
        QVERIFY(config.redisUrl.isEmpty());
    }

    /*! Redis as the cluster bus, from the command line and from a config file. */
    void redisBus()
    {
        const QStringList cluster{u"--store"_s, u"postgres"_s, u"--database"_s, u"postgresql://h/d"_s,
                                  u"--node-id"_s, u"n1"_s};
        auto parsed = parse(cluster + QStringList{u"--bus"_s, u"redis"_s, u"--redis"_s, u"redis://cache:6380/0"_s});
        QVERIFY2(std::holds_alternative<CommandLine>(parsed), qPrintable(errorOf(parsed)));
        QCOMPARE(std::get<CommandLine>(parsed).config.bus, BusKind::Redis);
        QCOMPARE(std::get<CommandLine>(parsed).config.redisUrl, u"redis://cache:6380/0"_s);

        QTemporaryDir dir;
        QFile file(dir.filePath(u"node.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"store\":\"postgres\",\"database\":\"postgresql://h/d\",\"node_id\":\"n2\",\"bus\":\"redis\","
                   "\"redis\":\"unix:///run/redis/redis.sock\"}");
        file.close();
        parsed = parse({u"--config"_s, file.fileName()});
        QVERIFY2(std::holds_alternative<CommandLine>(parsed), qPrintable(errorOf(parsed)));
        QCOMPARE(std::get<CommandLine>(parsed).config.bus, BusKind::Redis);
        QCOMPARE(std::get<CommandLine>(parsed).config.redisUrl, u"unix:///run/redis/redis.sock"_s);
        // The command line wins: back to PostgreSQL's bus needs the Redis address gone too.
        parsed = parse({u"--config"_s, file.fileName(), u"--bus"_s, u"postgres"_s});
        QVERIFY(std::holds_alternative<QString>(parsed));
        QVERIFY2(errorOf(parsed).contains(u"--redis goes with --bus redis"_s), qPrintable(errorOf(parsed)));
    }

    void redisAddress_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("socket");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("shown");
        QTest::newRow("host") << u"redis://cache"_s << u"cache"_s << 6379 << QString() << QString() << u"redis://cache:6379"_s;
        QTest::newRow("port and db") << u"redis://10.0.0.5:6380/2"_s << u"10.0.0.5"_s << 6380 << QString() << QString()
                                     << u"redis://10.0.0.5:6380"_s;
        QTest::newRow("ipv6") << u"redis://[::1]:7000"_s << u"::1"_s << 7000 << QString() << QString()
                              << u"redis://[::1]:7000"_s;
        QTest::newRow("password") << u"redis://:s3cret@cache:6379/0"_s << u"cache"_s << 6379 << QString() << u"s3cret"_s
                                  << u"redis://cache:6379"_s; // never shown
        QTest::newRow("unix") << u"unix:///run/redis/redis.sock"_s << QString() << 6379 << u"/run/redis/redis.sock"_s
                              << QString() << u"unix:///run/redis/redis.sock"_s;
    }
    /*! --redis addresses: host and port, IPv6, a password (kept out of logs), a Unix socket. */
    void redisAddress()
    {
        QFETCH(QString, url);
        QString error;
        const auto address = RedisAddress::fromUrl(url, &error);
        QVERIFY2(address, qPrintable(error));
        QTEST(address->host, "host");
        QTEST(address->port, "port");
        QTEST(address->socketPath, "socket");
        QTEST(address->password, "password");
        QTEST(address->displayUrl(), "shown");
    }

    void badRedisAddress_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("mention");
        QTest::newRow("empty") << QString() << u"empty"_s;
        QTest::newRow("scheme") << u"http://cache:6379"_s << u"scheme"_s;
        QTest::newRow("no host") << u"redis://"_s << u"host"_s;
        QTest::newRow("bad port") << u"redis://cache:99999"_s << u"port"_s;
        QTest::newRow("db not a number") << u"redis://cache/zero"_s << u"database"_s;
        QTest::newRow("relative socket") << u"unix:redis.sock"_s << u"absolute path"_s;
    }
    /*! A bad --redis address says what is wrong in one line. */
    void badRedisAddress()
    {
        QFETCH(QString, url);
        QFETCH(QString, mention);
        QString error;
        QVERIFY(!RedisAddress::fromUrl(url, &error));
        QVERIFY2(error.contains(mention), qPrintable(error));
        QVERIFY(!error.contains(u'\n'));
    }

    /*! The PostgreSQL store, from the command line and from a config file. */
    void postgresStore()
    {
        const QString url = u"postgresql://tertulia@db.example/chat"_s;
        auto parsed = parse({u"--store"_s, u"postgres"_s, u"--database"_s, url, u"--node-id"_s, u"n2"_s,
                             u"--secret-file"_s, u"/etc/tertulia/secret.key"_s});
        QVERIFY2(std::holds_alternative<CommandLine>(parsed), qPrintable(errorOf(parsed)));
        ServerConfig config = std::get<CommandLine>(parsed).config;
        QCOMPARE(config.store, StoreKind::Postgres);
        QCOMPARE(config.databaseUrl, url);
        QCOMPARE(config.nodeId, u"n2"_s);
        QCOMPARE(config.secretFile, u"/etc/tertulia/secret.key"_s);

        QTemporaryDir dir;
        QFile file(dir.filePath(u"node.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"store\":\"postgres\",\"database\":\"postgresql:///chat?host=/run/postgresql\",\"node_id\":\"eu-1\","
                   "\"secret_file\":\"/s\"}");
        file.close();
        parsed = parse({u"--config"_s, file.fileName()});
        QVERIFY2(std::holds_alternative<CommandLine>(parsed), qPrintable(errorOf(parsed)));
        config = std::get<CommandLine>(parsed).config;
        QCOMPARE(config.store, StoreKind::Postgres);
        QCOMPARE(config.nodeId, u"eu-1"_s);
        QCOMPARE(config.secretFile, u"/s"_s);
    }

    void options()
    {
        QTemporaryDir dir;
        const auto parsed = parse({u"--listen"_s, u"[::1]:9000"_s, u"--data-dir"_s, dir.path(), u"--name"_s,
                                   u"Casa"_s, u"--allowed-origin"_s, u"https://a.example"_s, u"--allowed-origin"_s,
                                   u"http://b.example:8080"_s, u"--registration"_s, u"closed"_s,
                                   u"--log-format"_s, u"json"_s, u"--full-sync"_s, u"--drain-ms"_s, u"15000"_s});
        QVERIFY2(std::holds_alternative<CommandLine>(parsed), qPrintable(errorOf(parsed)));
        const ServerConfig &config = std::get<CommandLine>(parsed).config;
        QCOMPARE(config.address, QHostAddress(QHostAddress::LocalHostIPv6));
        QCOMPARE(config.port, quint16(9000));
        QCOMPARE(config.dataDir, dir.path());
        QCOMPARE(config.name, u"Casa"_s);
        QCOMPARE(config.allowedOrigins, QStringList({u"https://a.example"_s, u"http://b.example:8080"_s}));
        QCOMPARE(config.registration, RegistrationPolicy::Closed);
        QCOMPARE(config.logFormat, LogFormat::Json);
        QVERIFY(config.fullSync);
        QCOMPARE(config.drainMs, 15000);
    }

    /*! Delivery traces: the collector, the ratio, rooms and users traced always; from the file and the
     *  command line, which wins; off by default. */
    void tracing()
    {
        const ServerConfig defaults = std::get<CommandLine>(parse({})).config;
        QVERIFY(defaults.tracing.endpoint.isEmpty());
        QCOMPARE(defaults.tracing.ratio, 0.0);
        QCOMPARE(defaults.tracing.ringSize, 1024);

        QTemporaryDir dir;
        const QString path = dir.filePath(u"server.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"tracing":{"endpoint":"http://127.0.0.1:4318","ratio":0.01,"rooms":["debug"],)"
                   R"("users":["ana","bo"],"ring":50}})");
        file.close();
        const auto fromFile = parse({u"--config"_s, path});
        QVERIFY2(std::holds_alternative<CommandLine>(fromFile), qPrintable(errorOf(fromFile)));
        const TracingConfig &tracing = std::get<CommandLine>(fromFile).config.tracing;
        QCOMPARE(tracing.endpoint, u"http://127.0.0.1:4318"_s);
        QCOMPARE(tracing.ratio, 0.01);
        QCOMPARE(tracing.rooms, QStringList{u"debug"_s});
        QCOMPARE(tracing.users, (QStringList{u"ana"_s, u"bo"_s}));
        QCOMPARE(tracing.ringSize, 50);

        const auto flags = parse({u"--config"_s, path, u"--trace-endpoint"_s, u"https://otel.example/"_s,
                                  u"--trace-ratio"_s, u"1"_s, u"--trace-room"_s, u"a"_s, u"--trace-room"_s, u"b"_s,
                                  u"--trace-user"_s, u"c"_s});
        QVERIFY2(std::holds_alternative<CommandLine>(flags), qPrintable(errorOf(flags)));
        const TracingConfig &overridden = std::get<CommandLine>(flags).config.tracing;
        QCOMPARE(overridden.endpoint, u"https://otel.example/"_s);
        QCOMPARE(overridden.ratio, 1.0);
        QCOMPARE(overridden.rooms, (QStringList{u"a"_s, u"b"_s}));
        QCOMPARE(overridden.users, QStringList{u"c"_s});
        QCOMPARE(overridden.ringSize, 50);
    }

    void helpAndVersion()
    {
        const auto help = parse({u"--help"_s});
        QVERIFY(std::get<CommandLine>(help).showHelp);
        QVERIFY(std::get<CommandLine>(help).helpText.contains(u"--listen"_s));
        QVERIFY(std::get<CommandLine>(parse({u"--version"_s})).showVersion);
    }

    /*! --create-admin NAME, with the options of the store it goes to. */
    void createAdmin()
    {
        const auto parsed = parse({u"--create-admin"_s, u"root"_s, u"--data-dir"_s, u"/srv/chat"_s});
        QCOMPARE(std::get<CommandLine>(parsed).createAdmin, u"root"_s);
        QCOMPARE(std::get<CommandLine>(parsed).config.dataDir, u"/srv/chat"_s);
        QVERIFY(std::get<CommandLine>(parse({})).createAdmin.isEmpty());
        QVERIFY(std::get<CommandLine>(parsed).helpText.contains(u"--create-admin"_s));
        // On PostgreSQL it joins no cluster, so it needs no node id (a server does).
        const QStringList postgres{u"--store"_s, u"postgres"_s, u"--database"_s, u"postgresql:///chat"_s};
        QVERIFY(std::holds_alternative<CommandLine>(parse(QStringList{u"--create-admin"_s, u"root"_s} + postgres)));
        QVERIFY(std::holds_alternative<QString>(parse(postgres)));
    }

    void errors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mention");
        QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << u"frobnicate"_s;
        QTest::newRow("listen no port") << QStringList{u"--listen"_s, u"localhost"_s} << u"HOST:PORT"_s;
        QTest::newRow("listen port range") << QStringList{u"--listen"_s, u"127.0.0.1:70000"_s} << u"HOST:PORT"_s;
        QTest::newRow("listen bad host") << QStringList{u"--listen"_s, u"999.1.1.1:80"_s} << u"HOST:PORT"_s;
        QTest::newRow("bare ipv6") << QStringList{u"--listen"_s, u"::1:80"_s} << u"HOST:PORT"_s;
        QTest::newRow("registration") << QStringList{u"--registration"_s, u"maybe"_s} << u"open"_s;
        QTest::newRow("log format") << QStringList{u"--log-format"_s, u"xml"_s} << u"json"_s;
        QTest::newRow("cert without key") << QStringList{u"--tls-cert"_s, u"/etc/hostname"_s} << u"--tls-key"_s;
        QTest::newRow("missing cert") << QStringList{u"--tls-cert"_s, u"/nonexistent.pem"_s, u"--tls-key"_s,
                                                     u"/nonexistent.key"_s} << u"does not exist"_s;
        QTest::newRow("origin scheme") << QStringList{u"--allowed-origin"_s, u"example.com"_s} << u"http"_s;
        QTest::newRow("missing config") << QStringList{u"--config"_s, u"/nonexistent.json"_s} << u"cannot read"_s;
        QTest::newRow("positional") << QStringList{u"extra"_s} << u"extra"_s;
        QTest::newRow("drain negative") << QStringList{u"--drain-ms"_s, u"-1"_s} << u"--drain-ms"_s;
        QTest::newRow("drain too long") << QStringList{u"--drain-ms"_s, u"3600000"_s} << u"--drain-ms"_s;
        QTest::newRow("unknown store") << QStringList{u"--store"_s, u"mysql"_s} << u"sqlite"_s;
        QTest::newRow("postgres without database") << QStringList{u"--store"_s, u"postgres"_s, u"--node-id"_s, u"n1"_s}
                                                   << u"--database"_s;
        QTest::newRow("postgres without node id") << QStringList{u"--store"_s, u"postgres"_s, u"--database"_s,
                                                                 u"postgresql://h/d"_s} << u"--node-id"_s;
        QTest::newRow("database without postgres") << QStringList{u"--database"_s, u"postgresql://h/d"_s} << u"--store"_s;
        QTest::newRow("node id with a space") << QStringList{u"--store"_s, u"postgres"_s, u"--database"_s,
                                                             u"postgresql://h/d"_s, u"--node-id"_s, u"n 1"_s}
                                              << u"--node-id"_s;
        QTest::newRow("unknown bus") << QStringList{u"--bus"_s, u"kafka"_s} << u"'postgres' or 'redis'"_s;
        QTest::newRow("redis bus without postgres") << QStringList{u"--bus"_s, u"redis"_s, u"--redis"_s, u"redis://h"_s}
                                                    << u"--store postgres"_s;
        QTest::newRow("redis bus without address") << QStringList{u"--store"_s, u"postgres"_s, u"--database"_s,
                                                                  u"postgresql://h/d"_s, u"--node-id"_s, u"n1"_s,
                                                                  u"--bus"_s, u"redis"_s}
                                                   << u"--redis"_s;
        QTest::newRow("redis address without redis bus") << QStringList{u"--redis"_s, u"redis://h"_s}
                                                         << u"--bus redis"_s;
        QTest::newRow("node id too long") << QStringList{u"--node-id"_s, QString(17, u'n')} << u"--node-id"_s;
        QTest::newRow("create-admin without a name") << QStringList{u"--create-admin"_s, QString()} << u"--create-admin"_s;
        QTest::newRow("trace endpoint scheme") << QStringList{u"--trace-endpoint"_s, u"ftp://h"_s} << u"--trace-endpoint"_s;
        QTest::newRow("trace endpoint no host") << QStringList{u"--trace-endpoint"_s, u"http://"_s} << u"--trace-endpoint"_s;
        QTest::newRow("trace ratio above one") << QStringList{u"--trace-ratio"_s, u"1.5"_s} << u"--trace-ratio"_s;
        QTest::newRow("trace ratio not a number") << QStringList{u"--trace-ratio"_s, u"half"_s} << u"--trace-ratio"_s;
        QTest::newRow("trace ratio nan") << QStringList{u"--trace-ratio"_s, u"nan"_s} << u"--trace-ratio"_s;
        QTest::newRow("control characters") << QStringList{u"--registration"_s, u"a\nb\rc"_s} << u"a\\u000ab\\u000dc"_s;
    }
    /*! Each mistake gives one line that names it. */
    void errors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mention);
        const auto parsed = parse(args);
        QVERIFY(std::holds_alternative<QString>(parsed));
        const QString error = std::get<QString>(parsed);
        QVERIFY2(error.contains(mention), qPrintable(error));
        QVERIFY(!error.contains(u'\n'));
    }

    /*! A config file sets everything; the command line wins over it. */
    void configFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"server.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"listen\":\"0.0.0.0:8000\",\"name\":\"From file\",\"registration\":\"closed\","
                   "\"allowed_origins\":[\"https://x.example\"],\"access_token_ttl\":60,"
                   "\"limits\":{\"max_text_bytes\":1000,\"rate_per_second\":2.5,\"presence_grace_ms\":1500,"
                   "\"notification_delay_ms\":20,\"ip_connect_burst\":40,\"ip_connect_per_second\":4.5,"
                   "\"user_connect_burst\":7,\"user_connect_per_second\":0.25,\"message_timeout_ms\":2500,"
                   "\"login_delay_first_ms\":250,\"login_free_failures\":5,\"login_delay_max_ms\":60000,"
                   "\"node_lease_ms\":2000},\"drain_ms\":5000}");
        file.close();
        auto parsed = parse({u"--config"_s, path, u"--name"_s, u"From flag"_s});
        QVERIFY2(std::holds_alternative<CommandLine>(parsed), qPrintable(errorOf(parsed)));
        const ServerConfig &config = std::get<CommandLine>(parsed).config;
        QCOMPARE(config.address, QHostAddress(QHostAddress::AnyIPv4));
        QCOMPARE(config.port, quint16(8000));
        QCOMPARE(config.name, u"From flag"_s);
        QCOMPARE(config.registration, RegistrationPolicy::Closed);
        QCOMPARE(config.allowedOrigins, QStringList{u"https://x.example"_s});
        QCOMPARE(config.accessTokenTtlSeconds, 60);
        QCOMPARE(config.limits.maxTextBytes, 1000);
        QCOMPARE(config.limits.ratePerSecond, 2.5);
        QCOMPARE(config.limits.presenceGraceMs, 1500);
        QCOMPARE(config.limits.notificationDelayMs, 20);
        QCOMPARE(config.limits.ipConnectBurst, 40);
        QCOMPARE(config.limits.ipConnectPerSecond, 4.5);
        QCOMPARE(config.limits.userConnectBurst, 7);
        QCOMPARE(config.limits.userConnectPerSecond, 0.25);
        QCOMPARE(config.limits.messageTimeoutMs, 2500);
        QCOMPARE(config.limits.loginDelayFirstMs, 250);
        QCOMPARE(config.limits.loginFreeFailures, 5);
        QCOMPARE(config.limits.loginDelayMaxMs, 60000);
        QCOMPARE(config.limits.nodeLeaseMs, 2000);
        QCOMPARE(config.drainMs, 5000);
    }

    void configFileErrors_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mention");
        QTest::newRow("not json") << QByteArray("listen = 1") << u"not a JSON object"_s;
        QTest::newRow("unknown key") << QByteArray("{\"lisen\":\"1.2.3.4:5\"}") << u"lisen"_s;
        QTest::newRow("unknown limit") << QByteArray("{\"limits\":{\"max_txt\":1}}") << u"max_txt"_s;
        QTest::newRow("negative limit") << QByteArray("{\"limits\":{\"max_text_bytes\":-5}}") << u"positive"_s;
        QTest::newRow("huge limit") << QByteArray("{\"limits\":{\"max_text_bytes\":1e300}}") << u"whole number"_s;
        QTest::newRow("fraction under one") << QByteArray("{\"limits\":{\"max_connections\":0.5}}") << u"whole number"_s;
        QTest::newRow("wrong type") << QByteArray("{\"name\":5}") << u"name"_s;
        QTest::newRow("drain type") << QByteArray("{\"drain_ms\":\"soon\"}") << u"drain_ms"_s;
        QTest::newRow("tracing type") << QByteArray(R"({"tracing":true})") << u"tracing"_s;
        QTest::newRow("tracing unknown") << QByteArray(R"({"tracing":{"sample":1}})") << u"sample"_s;
        QTest::newRow("tracing ratio") << QByteArray(R"({"tracing":{"ratio":2}})") << u"ratio"_s;
        QTest::newRow("tracing ratio type") << QByteArray(R"({"tracing":{"ratio":"all"}})") << u"ratio"_s;
        QTest::newRow("tracing endpoint") << QByteArray(R"({"tracing":{"endpoint":"localhost:4318"}})") << u"endpoint"_s;
        QTest::newRow("tracing rooms") << QByteArray(R"({"tracing":{"rooms":"debug"}})") << u"rooms"_s;
        QTest::newRow("tracing users") << QByteArray(R"({"tracing":{"users":[1]}})") << u"users"_s;
        QTest::newRow("tracing ring") << QByteArray(R"({"tracing":{"ring":0}})") << u"ring"_s;
        QTest::newRow("tracing ring fraction") << QByteArray(R"({"tracing":{"ring":2.5}})") << u"ring"_s;
        QTest::newRow("origins type") << QByteArray("{\"allowed_origins\":\"https://x\"}") << u"allowed_origins"_s;
        // Quoted keys and values keep the message on one line (found by fuzz_config).
        QTest::newRow("newline in a key") << QByteArray("{\"access_\\ntoken_ttl\":900}") << u"access_\\u000atoken_ttl"_s;
        QTest::newRow("escape in a value") << QByteArray("{\"registration\":\"\\u001b[2Jopen\"}") << u"\\u001b[2Jopen"_s;
    }
    void configFileErrors()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, mention);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"bad.json"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        const auto parsed = parse({u"--config"_s, path});
        QVERIFY(std::holds_alternative<QString>(parsed));
        QVERIFY2(std::get<QString>(parsed).contains(mention), qPrintable(std::get<QString>(parsed)));
        QVERIFY(!std::get<QString>(parsed).contains(u'\n'));
        QVERIFY(!std::get<QString>(parsed).contains(QChar(0x1b)));
    }
};

QTEST_APPLESS_MAIN(TestServerConfig)
#include "tst_serverconfig.moc"
