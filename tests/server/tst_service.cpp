// tertulia-server as a service: the notification protocol systemd's Type=notify and WatchdogSec= use (a real
// server process, a real datagram socket), --healthcheck against a real server (plain and TLS), and the
// open-file limit raised and logged at start.
#include "server/service/servicenotifier.h"
#include "support/serverprocess.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUuid>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;

namespace {
const QString kServer = QStringLiteral(SERVER_BINARY);
const QString kTlsCert = QStringLiteral(TEST_DATA_DIR "/tls-test.crt");
const QString kTlsKey = QStringLiteral(TEST_DATA_DIR "/tls-test.key");

/// The service manager's end: an AF_UNIX datagram socket bound to a path (or an abstract name, "@..."),
/// collecting every datagram the server sends.
class NotifySocket : public QObject
{
    Q_OBJECT

public:
    ~NotifySocket() override
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    /// Binds to `name` (a path, or "@name" for the abstract namespace). False if this system refuses it.
    bool bind(const QString &name)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
        if (m_fd < 0)
            return false;
        ::fcntl(m_fd, F_SETFD, FD_CLOEXEC);
        ::fcntl(m_fd, F_SETFL, O_NONBLOCK);
        QByteArray bytes = name.toUtf8();
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (bytes.size() >= qsizetype(sizeof address.sun_path))
            return false;
        const bool abstract = bytes.startsWith('@');
        if (abstract)
            bytes[0] = '\0';
        std::memcpy(address.sun_path, bytes.constData(), std::size_t(bytes.size()));
        const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + std::size_t(bytes.size()) + (abstract ? 0 : 1));
        if (::bind(m_fd, reinterpret_cast<const sockaddr *>(&address), length) != 0)
            return false;
        m_notifier = std::make_unique<QSocketNotifier>(qintptr(m_fd), QSocketNotifier::Read);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, [this] {
            char buffer[4096];
            ssize_t n;
            while ((n = ::recv(m_fd, buffer, sizeof buffer, 0)) >= 0) {
                messages << QByteArray(buffer, n);
                Q_EMIT received();
            }
        });
        return true;
    }

    int count(const QByteArray &line) const
    {
        int n = 0;
        for (const QByteArray &message : messages)
            n += message.split('\n').contains(line) ? 1 : 0;
        return n;
    }

    QList<QByteArray> messages;

Q_SIGNALS:
    void received();

private:
    int m_fd = -1;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

Run runServer(const QStringList &args)
{
    QProcess process;
    process.start(kServer, args);
    if (!process.waitForFinished(20000))
        process.kill();
    return Run{process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
               QString::fromUtf8(process.readAllStandardError())};
}

/// A socket path short enough for sun_path (a QTemporaryDir under a long TMPDIR may not be).
QString shortSocketPath()
{
    return QDir::tempPath() + u"/tn-"_s + QUuid::createUuid().toString(QUuid::Id128).left(12) + u".sock"_s;
}
} // namespace

class TestService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Type=notify: READY=1 (with a STATUS naming the URL) once the server listens, a WATCHDOG=1 from every
        housekeeping pass that reaches half the interval, STOPPING=1 on SIGTERM; the real process and socket. */
    void notifyReadyWatchdogStopping()
    {
        const QString path = shortSocketPath();
        const auto removeSocket = qScopeGuard([path] { QFile::remove(path); });
        NotifySocket manager;
        QVERIFY(manager.bind(path));
        QTemporaryDir data;
        ServerProcess server(kServer, {u"--data-dir"_s, data.path()},
                             {u"NOTIFY_SOCKET="_s + path, u"WATCHDOG_USEC=2000000"_s});
        QVERIFY(server.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(manager.count("READY=1"), 1, 10000);
        const QByteArray ready = manager.messages.first();
        QVERIFY2(ready.contains("STATUS=serving on " + server.httpUrl().toString().toUtf8()), ready.constData());
        // 2 s asked: a ping at least every second, driven by the housekeeping pass.
        QTRY_VERIFY_WITH_TIMEOUT(manager.count("WATCHDOG=1") >= 3, 10000);
        QVERIFY(server.terminate());
        QCOMPARE(server.process().exitCode(), 0);
        QTRY_COMPARE(manager.count("STOPPING=1"), 1);
        QCOMPARE(manager.count("READY=1"), 1);
    }

    /*! With a drain time, STOPPING=1 goes out at the first SIGTERM, when draining starts (systemd then knows
        the service is on its way down), once; the second SIGTERM stops the server. */
    void notifyStoppingWhenDraining()
    {
        const QString path = shortSocketPath();
        const auto removeSocket = qScopeGuard([path] { QFile::remove(path); });
        NotifySocket manager;
        QVERIFY(manager.bind(path));
        QTemporaryDir data;
        ServerProcess server(kServer, {u"--data-dir"_s, data.path(), u"--drain-ms"_s, u"600000"_s},
                             {u"NOTIFY_SOCKET="_s + path});
        QVERIFY(server.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(manager.count("READY=1"), 1, 10000);
        server.process().terminate();
        QTRY_COMPARE_WITH_TIMEOUT(manager.count("STOPPING=1"), 1, 10000);
        QCOMPARE(server.process().state(), QProcess::Running); // draining, 10 minutes to go
        QVERIFY(server.terminate());
        QCOMPARE(server.process().exitCode(), 0);
        QCOMPARE(manager.count("STOPPING=1"), 1);
    }

    /*! Without WatchdogSec= (no WATCHDOG_USEC) only READY=1 and STOPPING=1 are sent: no stray pings. The
        abstract namespace ("@name", Linux) works as systemd uses it. */
    void notifyWithoutWatchdogAbstractName()
    {
        const QString name = u"@tertulia-test-"_s + QUuid::createUuid().toString(QUuid::Id128);
        NotifySocket manager;
        if (!manager.bind(name))
            QSKIP("this system has no abstract socket namespace (it is Linux's); systemd runs on Linux");
        QTemporaryDir data;
        ServerProcess server(kServer, {u"--data-dir"_s, data.path()}, {u"NOTIFY_SOCKET="_s + name});
        QVERIFY(server.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(manager.count("READY=1"), 1, 10000);
        // Housekeeping runs every second: once the server has been up 3 s (its own /healthz says so), a pass has
        // run more than once, and a watchdog ping would have gone out.
        const auto upSeconds = [&server] {
            const Run health = runServer({u"--healthcheck"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(server.port())});
            const QRegularExpressionMatch up = QRegularExpression(u", up (\\d+) s,"_s).match(health.out);
            return up.hasMatch() ? up.captured(1).toInt() : -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(upSeconds() >= 3, 15000);
        QVERIFY(server.terminate());
        QTRY_COMPARE(manager.count("STOPPING=1"), 1);
        QCOMPARE(manager.count("WATCHDOG=1"), 0);
        QCOMPARE(manager.messages.size(), 2);
    }

    /*! The notifier by itself: the watchdog interval is honoured only for this process (WATCHDOG_PID), and
        pings are spaced by half of it however often housekeeping runs. */
    void watchdogInterval()
    {
        const QString path = shortSocketPath();
        const auto removeSocket = qScopeGuard([path] { QFile::remove(path); });
        NotifySocket manager;
        QVERIFY(manager.bind(path));
        const auto restore = qScopeGuard([] {
            qunsetenv("NOTIFY_SOCKET");
            qunsetenv("WATCHDOG_USEC");
            qunsetenv("WATCHDOG_PID");
        });
        qputenv("NOTIFY_SOCKET", path.toUtf8());
        qputenv("WATCHDOG_USEC", "60000000");
        qputenv("WATCHDOG_PID", QByteArray::number(QCoreApplication::applicationPid() + 1));
        {
            ServiceNotifier notifier;
            QVERIFY(notifier.isActive());
            QCOMPARE(notifier.watchdogInterval().count(), 0); // another process's watchdog
            notifier.housekeepingPassed();
            QCOMPARE(notifier.watchdogPings(), 0);
        }
        qputenv("WATCHDOG_PID", QByteArray::number(QCoreApplication::applicationPid()));
        ServiceNotifier notifier;
        QCOMPARE(notifier.watchdogInterval(), std::chrono::seconds(60));
        QVERIFY(notifier.ready(u"testing"_s));
        notifier.housekeepingPassed(); // the first pass pings at once
        notifier.housekeepingPassed(); // then not before 30 s
        notifier.housekeepingPassed();
        QCOMPARE(notifier.watchdogPings(), 1);
        QTRY_COMPARE(manager.messages.size(), 2);
        QCOMPARE(manager.messages.at(0), QByteArray("READY=1\nSTATUS=testing"));
        QCOMPARE(manager.messages.at(1), QByteArray("WATCHDOG=1"));

        qunsetenv("NOTIFY_SOCKET");
        ServiceNotifier off;
        QVERIFY(!off.isActive());
        QVERIFY(!off.ready(u"nobody listens"_s));
    }

    /*! --healthcheck asks the server the same options describe: 0 and "ok" while it serves (also when it listens
        on every interface, reached on loopback), 1 with the reason once it is gone or when no port is known. */
    void healthcheck()
    {
        QTemporaryDir data;
        ServerProcess server(kServer, {u"--data-dir"_s, data.path()});
        QVERIFY(server.isRunning());
        const QString port = QString::number(server.port());
        Run ok = runServer({u"--healthcheck"_s, u"--listen"_s, u"127.0.0.1:"_s + port});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY2(ok.out.contains(u"/healthz: ok (Tertulia, version "_s), qPrintable(ok.out));
        ok = runServer({u"--healthcheck"_s, u"--listen"_s, u"0.0.0.0:"_s + port});
        QCOMPARE(ok.exitCode, 0);

        QVERIFY(server.terminate());
        const Run gone = runServer({u"--healthcheck"_s, u"--listen"_s, u"127.0.0.1:"_s + port});
        QCOMPARE(gone.exitCode, 1);
        QVERIFY2(gone.err.contains(u"http://127.0.0.1:"_s + port + u"/healthz"_s), qPrintable(gone.err));

        const Run noPort = runServer({u"--healthcheck"_s, u"--listen"_s, u"127.0.0.1:0"_s});
        QCOMPARE(noPort.exitCode, 1);
        QVERIFY2(noPort.err.contains(u"no port"_s), qPrintable(noPort.err));
    }

    /*! With TLS the health check goes over https (a self-signed certificate is fine: it only asks whether the
        local process serves). */
    void healthcheckTls()
    {
        QTemporaryDir data;
        const QStringList tls{u"--tls-cert"_s, kTlsCert, u"--tls-key"_s, kTlsKey};
        ServerProcess server(kServer, QStringList{u"--data-dir"_s, data.path()} + tls);
        QVERIFY(server.isRunning());
        QCOMPARE(server.httpUrl().scheme(), u"https"_s);
        const Run ok = runServer(QStringList{u"--healthcheck"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(server.port())} + tls);
        QCOMPARE(ok.exitCode, 0);
        QVERIFY2(ok.out.contains(u"https://127.0.0.1:%1/healthz: ok"_s.arg(server.port())), qPrintable(ok.out));
    }

    /*! The soft open-file limit is raised to the hard one at start and logged (a shell lowers it first). */
    void openFileLimitLogged()
    {
        QTemporaryDir data;
        QProcess process;
        process.start(u"sh"_s, {u"-c"_s, u"ulimit -S -n 256 && exec \"$0\" \"$@\""_s, kServer, u"--listen"_s,
                                 u"127.0.0.1:0"_s, u"--data-dir"_s, data.path()});
        QVERIFY(process.waitForReadyRead(20000));
        const QUrl url(QString::fromUtf8(process.readLine().trimmed()));
        QVERIFY(url.isValid());
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
        const QString log = QString::fromUtf8(process.readAllStandardError());
        const QRegularExpression line(u"open-file limit \\(RLIMIT_NOFILE\\): (\\d+|unlimited)(, raised from 256)? \\(hard (\\d+|unlimited)\\)"_s);
        const QRegularExpressionMatch match = line.match(log);
        QVERIFY2(match.hasMatch(), qPrintable(log));
        // Raised unless the hard limit is 256 too.
        QCOMPARE(match.captured(2).isEmpty(), match.captured(3) == u"256");
        QCOMPARE(match.captured(1), match.captured(3));
    }
};

QTEST_GUILESS_MAIN(TestService)
#include "tst_service.moc"
