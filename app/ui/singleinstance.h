#pragma once

#include <QtCore/QObject>
#include <QtCore/QStringList>

class QLocalServer;

namespace Tertulia {

/// One window per profile. The first launch of a profile listens on a local socket named after the user
/// and the profile; a later launch (a tertulia:// link opened in a browser, a second click on the icon)
/// hands its arguments over that socket with handOver() and quits, and the first emits
/// argumentsReceived() with them. A file in the user's temporary directory on Unix (only the user may
/// connect), a named pipe on Windows.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    explicit SingleInstance(QObject *parent = nullptr);
    ~SingleInstance() override;

    /// The socket's name for a profile: per user (Windows pipe names are machine-wide) and per profile.
    static QString nameFor(const QString &profile);

    /// Hands `arguments` (program name first) to the instance listening on `name` and waits for its
    /// acknowledgement; false when none answers, and then this launch is the first. Blocking: it runs
    /// before any window exists, one short exchange on the local machine.
    static bool handOver(const QString &name, const QStringList &arguments);

    /// Listens on `name`, taking over a socket file left by an instance that crashed (handOver() found
    /// nobody there). False, with errorString(), when it cannot: later launches then run by themselves.
    bool listen(const QString &name);
    bool isListening() const;
    QString errorString() const;

Q_SIGNALS:
    /// A later launch's arguments, program name first, once it has been told they arrived.
    void argumentsReceived(const QStringList &arguments);

private:
    void onNewConnection();

    QLocalServer *m_server;
};

} // namespace Tertulia
