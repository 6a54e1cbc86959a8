#include "chaos/faultinjector.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QStandardPaths>
#include <QtTest/QSignalSpy>

using namespace Qt::StringLiterals;

namespace Tertulia::Chaos {

namespace {
QString straceBinary()
{
    return QStandardPaths::findExecutable(u"strace"_s);
}
} // namespace

FaultInjector::FaultInjector(QObject *parent) : QObject(parent)
{
    m_strace.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_strace, &QProcess::readyRead, this, [this] { m_trace += m_strace.readAll(); });
}

FaultInjector::~FaultInjector() { detach(); }

bool FaultInjector::isAvailable(QString *why)
{
    if (straceBinary().isEmpty()) {
        *why = u"strace is not installed (bash .ci/deps.sh test installs it)"_s;
        return false;
    }
    // Attaching to a process that is not strace's own child is what the tests do: try it on one.
    QProcess sleeper;
    sleeper.start(u"sleep"_s, {u"30"_s});
    if (!sleeper.waitForStarted(5000)) {
        *why = u"cannot start a probe process"_s;
        return false;
    }
    FaultInjector probe;
    const bool attached = probe.attach(sleeper.processId(), u"fdatasync"_s, u"EIO"_s);
    probe.detach();
    sleeper.kill();
    sleeper.waitForFinished(5000);
    if (!attached)
        *why = u"strace cannot attach here (ptrace not permitted?): "_s + probe.errorString();
    return attached;
}

bool FaultInjector::attach(qint64 pid, const QString &syscalls, const QString &error, int from)
{
    m_trace.clear();
    m_error.clear();
    // -f: every thread, -e trace: print only the faulted calls (so injected() can count them).
    const QString fault = u"%1:error=%2:when=%3+"_s.arg(syscalls, error).arg(from);
    m_strace.start(straceBinary(), {u"-f"_s, u"-p"_s, QString::number(pid), u"-e"_s, u"trace="_s + syscalls, u"-e"_s,
                                    u"inject="_s + fault});
    if (!m_strace.waitForStarted(5000)) {
        m_error = m_strace.errorString();
        return false;
    }
    QDeadlineTimer deadline(10000);
    while (!m_trace.contains(" attached") && isAttached() && !deadline.hasExpired()) {
        QSignalSpy output(&m_strace, &QProcess::readyRead);
        output.wait(100);
    }
    if (m_trace.contains(" attached") && isAttached())
        return true;
    m_error = QString::fromUtf8(m_trace).trimmed();
    detach();
    return false;
}

bool FaultInjector::detach()
{
    if (!isAttached())
        return true;
    m_strace.terminate(); // strace detaches from every thread on SIGTERM and exits
    QDeadlineTimer deadline(10000);
    while (isAttached() && !deadline.hasExpired()) {
        QSignalSpy finished(&m_strace, &QProcess::finished);
        finished.wait(100);
    }
    if (isAttached()) {
        m_strace.kill();
        m_strace.waitForFinished(5000);
        return false;
    }
    m_trace += m_strace.readAll();
    return true;
}

int FaultInjector::injected()
{
    m_trace += m_strace.readAll();
    return int(m_trace.count("(INJECTED)"));
}

} // namespace Tertulia::Chaos
