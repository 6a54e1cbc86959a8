#pragma once

// A throw-away redis-server for the Redis-bus tests: no TCP port at all (`--port 0`), a Unix socket in a
// temporary directory, nothing saved. Stopped with this object.
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <csignal>

namespace Tertulia::Test {

class RedisTestServer
{
public:
    RedisTestServer() = default;
    ~RedisTestServer() { stop(); }
    RedisTestServer(const RedisTestServer &) = delete;
    RedisTestServer &operator=(const RedisTestServer &) = delete;

    static QString serverBinary() { return QStandardPaths::findExecutable(QStringLiteral("redis-server")); }
    static QString cliBinary() { return QStandardPaths::findExecutable(QStringLiteral("redis-cli")); }
    /// Whether the tests must fail rather than skip when Redis is missing (TERTULIA_REQUIRE_REDIS=1, set by
    /// the CI script that installs it).
    static bool required() { return qEnvironmentVariableIntValue("TERTULIA_REQUIRE_REDIS") == 1; }

    QString socketPath() const { return m_dir.filePath(QStringLiteral("redis.sock")); }
    QString url() const { return QStringLiteral("unix://") + socketPath(); }
    QString errorString() const { return m_error; }

    /// Starts (or starts again, on the same socket) and waits until it answers PING.
    bool start()
    {
        if (serverBinary().isEmpty() || cliBinary().isEmpty()) {
            m_error = QStringLiteral("redis-server or redis-cli is not installed (Debian: redis-server)");
            return false;
        }
        if (!m_dir.isValid()) {
            m_error = QStringLiteral("no temporary directory");
            return false;
        }
        QFile::remove(socketPath());
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process->setStandardOutputFile(m_dir.filePath(QStringLiteral("redis.log")), QIODevice::Append);
        m_process->start(serverBinary(),
                         {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--unixsocket"), socketPath(),
                          QStringLiteral("--unixsocketperm"), QStringLiteral("700"), QStringLiteral("--save"),
                          QString(), QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                          m_dir.path(), QStringLiteral("--daemonize"), QStringLiteral("no")});
        if (!m_process->waitForStarted(10000)) {
            m_error = QStringLiteral("redis-server did not start: ") + m_process->errorString();
            return false;
        }
        if (!QTest::qWaitFor([this] { return cli({QStringLiteral("PING")}) == "PONG"; }, 10000)) {
            m_error = QStringLiteral("redis-server does not answer on ") + socketPath();
            return false;
        }
        return true;
    }

    void stop()
    {
        if (!m_process)
            return;
        resume();
        m_process->terminate();
        if (!m_process->waitForFinished(10000))
            m_process->kill();
        m_process->waitForFinished(10000);
        m_process.reset();
    }

    /// SIGSTOP: the server keeps its sockets and answers nothing (a silent failure).
    void pause()
    {
        if (m_process)
            ::kill(pid_t(m_process->processId()), SIGSTOP);
    }
    void resume()
    {
        if (m_process)
            ::kill(pid_t(m_process->processId()), SIGCONT);
    }

    /// Runs one command through redis-cli; its output, trimmed.
    QByteArray cli(const QStringList &command) const
    {
        QProcess process;
        process.start(cliBinary(), QStringList{QStringLiteral("-s"), socketPath()} + command);
        if (!process.waitForFinished(10000))
            return {};
        return process.readAllStandardOutput().trimmed();
    }

private:
    QTemporaryDir m_dir{QDir::tempPath() + QStringLiteral("/tertulia-redis-XXXXXX")};
    std::unique_ptr<QProcess> m_process;
    QString m_error;
};

} // namespace Tertulia::Test
