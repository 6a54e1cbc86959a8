#pragma once

#include <QtCore/QObject>
#include <QtCore/QProcess>

namespace Tertulia::Chaos {

/// Makes system calls of a running process fail, for as long as it is attached: `strace -f -p PID
/// -e inject=SYSCALLS:error=ERRNO`, detached again by stopping strace. Attaching to a process that is
/// already serving, rather than starting it under strace, puts the fault window exactly where a test
/// wants it and lets the same process show that it recovers.
class FaultInjector final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultInjector)

public:
    explicit FaultInjector(QObject *parent = nullptr);
    ~FaultInjector() override;

    /// Whether strace is installed and may trace a child of this process; why says what is missing.
    static bool isAvailable(QString *why);

    /// Attaches to every thread of pid and fails `syscalls` (e.g. "fdatasync,fsync") with `error`
    /// (e.g. "EIO") from their `from`-th call on (1: every call). Returns once strace has attached.
    bool attach(qint64 pid, const QString &syscalls, const QString &error, int from = 1);
    /// Stops strace, which detaches: the calls succeed again. Returns once it has exited.
    bool detach();
    bool isAttached() const { return m_strace.state() != QProcess::NotRunning; }
    /// How many calls strace reported as injected so far (its trace of the failing calls).
    int injected();
    QString errorString() const { return m_error; }

private:
    QProcess m_strace;
    QByteArray m_trace;
    QString m_error;
};

} // namespace Tertulia::Chaos
