// tertulia-server: the standalone, headless chat server. Parses options and runs ChatServer.
#include "server/core/chatserver.h"
#include "server/core/logsink.h"
#include "server/eventloop/fasteventdispatcher.h"
#include "shared/version.h"

#include <QtCore/QCoreApplication>

#include <csignal>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

using namespace Tertulia;

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

    LogSink::install(commandLine.config.logFormat, commandLine.config.dataDir + u"/logs/tertulia-server.log"_s);
    ChatServer server(commandLine.config);
    if (!server.start()) {
        std::fprintf(stderr, "tertulia-server: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    // The first stdout line is the URL, so scripts and tests can start on port 0 and read where it listens.
    std::printf("%s\n", qPrintable(server.httpUrl().toString()));
    std::fflush(stdout);

#ifdef Q_OS_UNIX
    // SIGTERM/SIGINT end the event loop through a socket pair (the only async-signal-safe way in).
    static int signalPipe[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[1], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&] {
            char byte;
            (void)::read(signalPipe[1], &byte, 1);
            // With a drain time, the first signal drains (the load balancer sees /healthz fail and sends
            // people elsewhere) and the stop follows; a second signal stops at once.
            const int drainMs = server.config().drainMs;
            if (drainMs <= 0 || server.isDraining()) {
                QCoreApplication::quit();
                return;
            }
            server.drain();
            QTimer::singleShot(drainMs, &app, &QCoreApplication::quit);
        });
        auto handler = [](int) { (void)!::write(signalPipe[0], "x", 1); };
        std::signal(SIGTERM, handler);
        std::signal(SIGINT, handler);
    }
#endif
    const int code = QCoreApplication::exec();
    server.stop();
    return code;
}
