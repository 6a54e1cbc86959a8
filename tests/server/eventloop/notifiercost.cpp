// Ad-hoc measurement, not a test (no pass/fail), with N descriptors registered (each with an enabled read
// notifier, like idle clients), on whichever dispatcher runs:
// - enable+disable: enabling and at once disabling one write notifier (the registration cost alone), on a
//   descriptor whose read notifier stays enabled (as a connected QTcpSocket's) and on one with no other
//   notifier (for epoll: EPOLL_CTL_ADD + EPOLL_CTL_DEL, the worst case);
// - write-cycle: enabling one, then a loop pass in which it fires and its handler disables it (what a buffered
//   QTcpSocket write costs the loop);
// - idle-pass: one non-blocking loop pass with nothing ready.
//
//   eventloop_notifiercost --dispatcher epoll      # Tertulia::EpollEventDispatcher
//   eventloop_notifiercost --dispatcher default    # Qt's default (GLib on Debian's Qt)
//   QT_NO_GLIB=1 eventloop_notifiercost --dispatcher default   # Qt's poll() dispatcher
//
// Each figure is the median of 5 runs of at least 0.3 s of this thread's CPU time (user + kernel).
#include "server/eventloop/fasteventdispatcher.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

namespace {

// CPU time of this thread, user and kernel: system calls count, time other processes take from us does not
// (the machine is shared, so wall-clock time would measure the neighbours too).
qint64 threadCpuNanoseconds()
{
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Median over 5 runs of the CPU time per operation, each run repeating `operation` for at least 0.3 s of CPU.
double nanosecondsPerOperation(const std::function<void(qint64)> &operation)
{
    std::vector<double> runs;
    for (int run = 0; run < 5; ++run) {
        const qint64 start = threadCpuNanoseconds();
        qint64 done = 0;
        qint64 batch = 16;
        while (threadCpuNanoseconds() - start < 300'000'000) {
            const qint64 batchStart = threadCpuNanoseconds();
            for (qint64 i = 0; i < batch; ++i)
                operation(done + i);
            done += batch;
            if (threadCpuNanoseconds() - batchStart < 10'000'000) // read the clock rarely, but overshoot little
                batch *= 2;
        }
        runs.push_back(double(threadCpuNanoseconds() - start) / double(done));
    }
    std::sort(runs.begin(), runs.end());
    return runs[runs.size() / 2];
}

} // namespace

int main(int argc, char *argv[])
{
    bool useEpoll = false;
    for (int i = 1; i + 1 < argc; ++i) {
        if (qstrcmp(argv[i], "--dispatcher") == 0 && qstrcmp(argv[i + 1], "epoll") == 0)
            useEpoll = true;
    }
    if (useEpoll && !Tertulia::installFastEventDispatcherForApplication()) {
        std::fprintf(stderr, "no epoll dispatcher on this platform\n");
        return 1;
    }
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("dispatcher"), QStringLiteral("epoll or default"), QStringLiteral("name"),
                      QStringLiteral("default")});
    parser.addOption({QStringLiteral("sockets"), QStringLiteral("Comma-separated descriptor counts"),
                      QStringLiteral("list"), QStringLiteral("100,1000,10000")});
    parser.process(app);

    const char *dispatcherName = QAbstractEventDispatcher::instance()->metaObject()->className();
    for (const QString &countText : parser.value(QStringLiteral("sockets")).split(u',')) {
        const int sockets = countText.toInt();
        // Idle clients: every descriptor has an enabled read notifier and a disabled write notifier, as a
        // QTcpSocket with nothing to send has.
        std::vector<int> fds;
        for (int i = 0; i < sockets / 2; ++i) {
            int pair[2];
            if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
                std::perror("socketpair");
                return 1;
            }
            fds.push_back(pair[0]);
            fds.push_back(pair[1]);
        }
        std::vector<std::unique_ptr<QSocketNotifier>> readers;
        std::vector<std::unique_ptr<QSocketNotifier>> writers;
        for (const int fd : fds) {
            readers.push_back(std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read));
            writers.push_back(std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Write));
            writers.back()->setEnabled(false);
        }
        const auto count = qint64(writers.size());
        // 100 more descriptors with no notifier enabled: toggling a write notifier there adds the descriptor to
        // the kernel's set and removes it again every time.
        std::vector<int> bareFds;
        std::vector<std::unique_ptr<QSocketNotifier>> bareWriters;
        for (int i = 0; i < 50; ++i) {
            int pair[2];
            if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
                std::perror("socketpair");
                return 1;
            }
            for (const int fd : pair) {
                bareFds.push_back(fd);
                bareWriters.push_back(std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Write));
                bareWriters.back()->setEnabled(false);
            }
        }
        const double addRemove = nanosecondsPerOperation([&](qint64 i) {
            QSocketNotifier &writer = *bareWriters[std::size_t(i % qint64(bareWriters.size()))];
            writer.setEnabled(true);
            writer.setEnabled(false);
        });
        bareWriters.clear();
        for (const int fd : bareFds)
            ::close(fd);

        // What QTcpSocket does around a buffered write: enable the write notifier, later disable it.
        const double toggle = nanosecondsPerOperation([&](qint64 i) {
            QSocketNotifier &writer = *writers[std::size_t(i % count)];
            writer.setEnabled(true);
            writer.setEnabled(false);
        });
        // What one buffered QTcpSocket write costs the loop: the write notifier is enabled, the next pass finds
        // the socket writable and activates it, the handler (QTcpSocket flushing) disables it. Sockets rotate,
        // so each disable really reaches the kernel.
        for (auto &writer : writers) {
            QObject::connect(writer.get(), &QSocketNotifier::activated, writer.get(),
                             [notifier = writer.get()] { notifier->setEnabled(false); });
        }
        const double writeCycle = nanosecondsPerOperation([&](qint64 i) {
            writers[std::size_t(i % count)]->setEnabled(true);
            QCoreApplication::processEvents(QEventLoop::AllEvents);
        });
        // One pass of the loop with nothing ready: what every wake-up pays before doing any work.
        const double idlePass = nanosecondsPerOperation(
            [](qint64) { QCoreApplication::processEvents(QEventLoop::AllEvents); });

        std::printf("dispatcher=%s sockets=%lld enable+disable=%.0f ns (on an unwatched descriptor %.0f ns) "
                    "write-cycle=%.0f ns idle-pass=%.0f ns\n",
                    dispatcherName, static_cast<long long>(count), toggle, addRemove, writeCycle, idlePass);
        std::fflush(stdout);

        writers.clear();
        readers.clear();
        for (const int fd : fds)
            ::close(fd);
    }
    return 0;
}
