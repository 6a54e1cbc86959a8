#pragma once

#include <QtCore/QObject>
#include <QtCore/QProcess>
#include <QtCore/QUrl>

namespace Tertulia::Chaos {

/// The real tertulia-server binary on 127.0.0.1:0 and a data directory that outlives it: started, killed
/// and started again on the same data. Waiting for it runs the event loop (QSignalSpy), so clients in the
/// test process keep working, and fail to connect, while it is down or starting.
class ServerProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerProcess)

public:
    /// binary: the tertulia-server to run; arguments: besides --listen and --data-dir.
    ServerProcess(const QString &binary, const QString &dataDir, const QStringList &arguments = {},
                  QObject *parent = nullptr);
    ~ServerProcess() override;

    /// Starts and waits for the URL on the first line of standard output; false (with the reason in
    /// errorString()) when it exits or says nothing within the time.
    bool start(int timeoutMs = 20000);
    /// SIGKILL: nothing is flushed, nothing is closed cleanly.
    bool kill();
    /// SIGTERM and a clean exit (code 0) within the time.
    bool terminate(int timeoutMs = 10000);
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }

    QUrl httpUrl() const { return m_url; }
    QUrl wsUrl() const;
    quint16 port() const { return quint16(m_url.port()); }
    QString dataDir() const { return m_dataDir; }
    QString errorString() const { return m_error; }
    /// Standard error of every run so far (the server's log lines).
    const QByteArray &log() const { return m_log; }
    int starts() const { return m_starts; }

private:
    QString m_binary;
    QString m_dataDir;
    QStringList m_arguments;
    QProcess m_process;
    QUrl m_url;
    QByteArray m_log;
    QString m_error;
    int m_starts = 0;
};

} // namespace Tertulia::Chaos
