// tertulia-server: the standalone, headless chat server. Parses options and runs ChatServer.
#include "server/accounts/administrator.h"
#include "server/auth/passwordhasher.h"
#include "server/core/chatserver.h"
#include "server/core/logsink.h"
#include "server/core/storeopener.h"
#include "server/eventloop/fasteventdispatcher.h"
#include "server/logging.h"
#include "server/service/healthcheck.h"
#include "server/service/servicenotifier.h"
#include "shared/version.h"

#include <sodium.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>

#include <algorithm>
#include <csignal>
#include <cstdio>

// POSIX (Linux and macOS alike): signals through a socket pair, the open-file limit.
#ifdef Q_OS_UNIX
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>
#include <climits>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

using namespace Tertulia;

namespace {
/// Every connection is a descriptor: raises the soft open-file limit (RLIMIT_NOFILE) to the hard one, which
/// systemd and most shells leave far apart (1 024 and 524 288), and logs what the server can hold.
void raiseAndLogOpenFileLimit()
{
#ifdef Q_OS_UNIX
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        qCWarning(lcServer) << "cannot read the open-file limit (RLIMIT_NOFILE)";
        return;
    }
    const rlim_t before = limit.rlim_cur;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
#ifdef Q_OS_MACOS
        raised.rlim_cur = std::min<rlim_t>(raised.rlim_cur, OPEN_MAX); // macOS refuses more for the soft limit
#endif
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            limit = raised;
    }
    const auto text = [](rlim_t value) {
        return value == RLIM_INFINITY ? u"unlimited"_s : QString::number(qulonglong(value));
    };
    const QString raisedFrom = before != limit.rlim_cur ? u", raised from %1"_s.arg(text(before)) : QString();
    qCInfo(lcServer).noquote() << u"open-file limit (RLIMIT_NOFILE): %1%2 (hard %3); each connection takes one"_s
                                      .arg(text(limit.rlim_cur), raisedFrom, text(limit.rlim_max));
#endif
}
/// --create-admin NAME: the first administrator of a standalone server. Opens the configured store only (no
/// listener, no cluster bus: another instance may be serving, and a node that joined the cluster for a moment
/// would be counted lost by the others), creates the account and stops.
int createAdministrator(const ServerConfig &config, const QString &name)
{
    std::fprintf(stderr, "password for %s (one line on standard input): ", qPrintable(name));
    std::fflush(stderr);
    QTextStream in(stdin);
    const QString password = in.readLine();
    std::fputc('\n', stderr);
    if (sodium_init() < 0) {
        std::fprintf(stderr, "tertulia-server: libsodium could not be initialised\n");
        return 1;
    }
    auto opened = openConfiguredStore(config, StoreThreads{});
    if (const auto *error = std::get_if<QString>(&opened)) {
        std::fprintf(stderr, "tertulia-server: %s\n", qPrintable(*error));
        return 1;
    }
    const std::unique_ptr<Store> store = std::move(std::get<std::unique_ptr<Store>>(opened));
    PasswordHasher hasher(
        PasswordHasher::Cost{quint64(config.passwordHashOpsLimit), size_t(config.passwordHashMemKiB) * 1024u}, 1);
    int code = 1;
    QObject context;
    createAdministratorAccount(*store, hasher, name, password, &context,
                               [&code](const std::optional<Protocol::Error> &error) {
                                   if (error)
                                       std::fprintf(stderr, "tertulia-server: %s\n", qPrintable(error->message));
                                   else
                                       code = 0;
                                   QCoreApplication::quit();
                               });
    QCoreApplication::exec();
    store->close();
    if (code == 0)
        std::printf("%s is an administrator\n", qPrintable(name));
    return code;
}
} // namespace

int main(int argc, char *argv[])
{
    // epoll on Linux: Qt's default dispatcher makes every socket write cost O(connections) (docs/benchmarks.md).
    // TERTULIA_EVENT_DISPATCHER=qt keeps Qt's own, for comparisons.
    if (qEnvironmentVariable("TERTULIA_EVENT_DISPATCHER") != u"qt")
        installFastEventDispatcherForApplication();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"tertulia-server"_s);
    QCoreApplication::setApplicationVersion(versionString());

    const auto parsed = parseCommandLine(QCoreApplication::arguments());
    if (const auto *error = std::get_if<QString>(&parsed)) {
        std::fprintf(stderr, "tertulia-server: %s (try --help)\n", qPrintable(*error));
        return 2;
    }
    const CommandLine &commandLine = std::get<CommandLine>(parsed);
    if (commandLine.showHelp) {
        std::fputs(qPrintable(commandLine.helpText), stdout);
        return 0;
    }
    if (commandLine.showVersion) {
        std::printf("tertulia-server %s\n", qPrintable(versionString()));
        return 0;
    }
    if (commandLine.healthcheck) {
        const HealthcheckResult health = checkHealth(commandLine.config);
        std::fprintf(health.healthy ? stdout : stderr, "tertulia-server: %s\n", qPrintable(health.message));
        return health.healthy ? 0 : 1;
    }
    if (!commandLine.createAdmin.isEmpty())
        return createAdministrator(commandLine.config, commandLine.createAdmin);

    LogSink::install(commandLine.config.logFormat, commandLine.config.dataDir + u"/logs/tertulia-server.log"_s,
                     commandLine.config.nodeId);
    raiseAndLogOpenFileLimit();
    ServiceNotifier service; // systemd's Type=notify and watchdog; nothing without $NOTIFY_SOCKET
    if (service.watchdogInterval().count() > 0 && service.watchdogInterval() < std::chrono::seconds(2))
        qCWarning(lcServer) << "the watchdog interval is below 2 s but the housekeeping pass runs once a second";
    ChatServer server(commandLine.config);
    if (!server.start()) {
        std::fprintf(stderr, "tertulia-server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    // The first stdout line is the URL, so scripts and tests can start on port 0 and read where it listens.
    std::printf("%s\n", qPrintable(server.httpUrl().toString()));
    std::fflush(stdout);
    service.ready(u"serving on "_s + server.httpUrl().toString());
    QObject::connect(&server, &ChatServer::housekeepingPassed, &app, [&service] { service.housekeepingPassed(); });

#ifdef Q_OS_UNIX
    // SIGTERM/SIGINT end the event loop through a socket pair (the only async-signal-safe way in).
    static int signalPipe[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[1], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&] {
            char byte;
            (void)!::read(signalPipe[1], &byte, 1); // a wake-up: its byte and count do not matter
            // With a drain time, the first signal drains (the load balancer sees /healthz fail and sends
            // people elsewhere) and the stop follows; a second signal stops at once.
            const int drainMs = server.config().drainMs;
            if (drainMs <= 0 || server.isDraining()) {
                QCoreApplication::quit();
                return;
            }
            service.stopping(); // systemd: shutting down from now on (the drain counts as stopping)
            server.drain();
            QTimer::singleShot(drainMs, &app, &QCoreApplication::quit);
        });
        auto handler = [](int) { (void)!::write(signalPipe[0], "x", 1); };
        std::signal(SIGTERM, handler);
        std::signal(SIGINT, handler);
    }
#endif
    const int code = QCoreApplication::exec();
    service.stopping();
    server.stop();
    return code;
}
