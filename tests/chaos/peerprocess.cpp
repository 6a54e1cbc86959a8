#include "chaos/peerprocess.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QStandardPaths>
#include <QtTest/QSignalSpy>

#include <signal.h>

using namespace Qt::StringLiterals;

namespace Tertulia::Chaos {

PeerProcess::PeerProcess(const QString &program, const QStringList &arguments, const QString &netns, QObject *parent)
    : QObject(parent)
{
    if (netns.isEmpty()) {
        m_process.setProgram(program);
        m_process.setArguments(arguments);
    } else {
        m_process.setProgram(QStandardPaths::findExecutable(u"ip"_s, {u"/usr/sbin"_s, u"/sbin"_s, u"/usr/bin"_s, u"/bin"_s}));
        m_process.setArguments(QStringList{u"netns"_s, u"exec"_s, netns, program} + arguments);
    }
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &PeerProcess::onOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this,
            [this] { m_stderr += m_process.readAllStandardError(); });
}

PeerProcess::~PeerProcess() { stop(); }

bool PeerProcess::start()
{
    m_process.start();
    return m_process.waitForStarted(5000);
}

void PeerProcess::onOutput()
{
    m_buffer += m_process.readAllStandardOutput();
    for (qsizetype end = m_buffer.indexOf('\n'); end >= 0; end = m_buffer.indexOf('\n')) {
        const QJsonObject line = QJsonDocument::fromJson(m_buffer.left(end)).object();
        m_buffer.remove(0, end + 1);
        const QString event = line.value("event"_L1).toString();
        if (event == u"synced")
            m_syncs = line.value("times"_L1).toInt();
        else if (event == u"report")
            m_reports.append(line);
    }
}

bool PeerProcess::waitSynced(int times, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (m_syncs < times && !deadline.hasExpired() && m_process.state() == QProcess::Running) {
        QSignalSpy output(&m_process, &QProcess::readyReadStandardOutput);
        output.wait(50);
    }
    return m_syncs >= times;
}

QJsonObject PeerProcess::report(int timeoutMs)
{
    const qsizetype before = m_reports.size();
    m_process.write("report\n");
    QDeadlineTimer deadline(timeoutMs);
    while (m_reports.size() == before && !deadline.hasExpired() && m_process.state() == QProcess::Running) {
        QSignalSpy output(&m_process, &QProcess::readyReadStandardOutput);
        output.wait(50);
    }
    return m_reports.size() > before ? m_reports.last() : QJsonObject();
}

bool PeerProcess::freeze() { return pid() > 0 && ::kill(pid_t(pid()), SIGSTOP) == 0; }

bool PeerProcess::thaw() { return pid() > 0 && ::kill(pid_t(pid()), SIGCONT) == 0; }

void PeerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    thaw();
    m_process.write("quit\n");
    m_process.closeWriteChannel();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

} // namespace Tertulia::Chaos
