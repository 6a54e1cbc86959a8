#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QProcess>

namespace Tertulia::Chaos {

/// A tertulia-chaos-peer process (a ChaosClient of its own, tests/chaos/chaospeer.cpp), optionally inside a
/// network namespace, that the test can freeze (SIGSTOP), thaw and ask what it holds.
class PeerProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PeerProcess)

public:
    /// program: the tertulia-chaos-peer binary; arguments: its options; netns: run it there with
    /// `ip netns exec` (which execs it: the pid is the peer's own).
    PeerProcess(const QString &program, const QStringList &arguments, const QString &netns = {},
                QObject *parent = nullptr);
    ~PeerProcess() override;

    bool start();
    qint64 pid() const { return m_process.processId(); }
    /// Waits (running the event loop) until it has finished its `times`-th sync.
    bool waitSynced(int times = 1, int timeoutMs = 10000);
    int syncs() const { return m_syncs; }
    /// Asks for a report and waits for it; an empty object when none came.
    QJsonObject report(int timeoutMs = 10000);
    /// SIGSTOP / SIGCONT.
    bool freeze();
    bool thaw();
    /// Ends it (quit on its input, then a kill if it does not go).
    void stop();
    QByteArray errorOutput() const { return m_stderr; }

private:
    void onOutput();

    QProcess m_process;
    QByteArray m_buffer;
    QByteArray m_stderr;
    QList<QJsonObject> m_reports;
    int m_syncs = 0;
};

} // namespace Tertulia::Chaos
