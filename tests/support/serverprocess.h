#pragma once

#include <QtCore/QProcess>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

namespace Tertulia::Test {

/// A real tertulia-server process listening on 127.0.0.1:0; httpUrl() is what it printed on its first line
/// of standard output. Killed (SIGKILL) when destroyed if still running.
class ServerProcess
{
public:
    /// Starts `binary` with `--listen 127.0.0.1:0` and `args`; `environment` entries are "NAME=value".
    ServerProcess(const QString &binary, const QStringList &args, const QStringList &environment = {});
    ~ServerProcess();

    bool isRunning() const { return m_process.state() != QProcess::NotRunning && m_url.isValid(); }
    QUrl httpUrl() const { return m_url; }
    QUrl wsUrl() const;
    quint16 port() const { return quint16(m_url.port()); }
    QProcess &process() { return m_process; }
    /// SIGTERM, then wait for the exit; false if it did not exit within `timeoutMs`.
    bool terminate(int timeoutMs = 10000);
    /// SIGKILL and wait.
    void kill();

private:
    QProcess m_process;
    QUrl m_url;
};

} // namespace Tertulia::Test
