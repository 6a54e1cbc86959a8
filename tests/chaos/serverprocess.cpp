#include "chaos/serverprocess.h"

#include <QtCore/QDeadlineTimer>
#include <QtTest/QSignalSpy>

using namespace Qt::StringLiterals;

namespace Tertulia::Chaos {

ServerProcess::ServerProcess(const QString &binary, const QString &dataDir, const QStringList &arguments,
                             QObject *parent)
    : QObject(parent), m_binary(binary), m_dataDir(dataDir), m_arguments(arguments)
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    connect(&m_process, &QProcess::readyReadStandardError, this,
            [this] { m_log += m_process.readAllStandardError(); });
}

ServerProcess::~ServerProcess()
{
    if (isRunning()) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool ServerProcess::start(int timeoutMs)
{
    m_url.clear();
    m_error.clear();
    // Port 0 every time: the restarted server gets a new port and clients follow wsUrl(), so no test
    // depends on a port staying free.
    m_process.start(m_binary, QStringList{u"--listen"_s, u"127.0.0.1:0"_s, u"--data-dir"_s, m_dataDir} + m_arguments);
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = u"cannot start %1: %2"_s.arg(m_binary, m_process.errorString());
        return false;
    }
    ++m_starts;
    QDeadlineTimer deadline(timeoutMs);
    while (!m_process.canReadLine() && isRunning() && !deadline.hasExpired()) {
        QSignalSpy output(&m_process, &QProcess::readyReadStandardOutput);
        output.wait(int(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
    }
    if (!m_process.canReadLine()) {
        m_error = isRunning() ? u"the server printed no URL in time"_s
                              : u"the server exited: "_s + QString::fromUtf8(m_log.right(500));
        return false;
    }
    m_url = QUrl(QString::fromUtf8(m_process.readLine().trimmed()));
    return m_url.isValid() && m_url.port() > 0;
}

bool ServerProcess::kill()
{
    if (!isRunning())
        return false;
    m_process.kill();
    return m_process.waitForFinished(10000) && m_process.exitStatus() == QProcess::CrashExit;
}

bool ServerProcess::terminate(int timeoutMs)
{
    if (!isRunning())
        return false;
    m_process.terminate();
    QDeadlineTimer deadline(timeoutMs);
    while (isRunning() && !deadline.hasExpired()) {
        QSignalSpy finished(&m_process, &QProcess::finished);
        finished.wait(100);
    }
    if (isRunning())
        return false;
    m_log += m_process.readAllStandardError();
    return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

QUrl ServerProcess::wsUrl() const
{
    if (m_url.isEmpty())
        return {}; // between runs: clients fail to connect and try again
    QUrl url = m_url;
    url.setScheme(u"ws"_s);
    url.setPath(u"/ws"_s);
    return url;
}

} // namespace Tertulia::Chaos
