#pragma once

#include <QtCore/QObject>
#include <QtNetwork/QNetworkInformation>

namespace Tertulia {

/// Tells when the operating system says the network came back (QNetworkInformation), so a waiting
/// reconnect can go at once instead of sitting out its backoff. Without a backend (no
/// NetworkManager, a container) it stays silent and the backoff alone decides.
class NetworkWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkWatcher)

public:
    using Reachability = QNetworkInformation::Reachability;

    /// With watchSystem false nothing is loaded; tests feed setReachability() by hand.
    explicit NetworkWatcher(bool watchSystem = true, QObject *parent = nullptr);

    bool hasBackend() const { return m_hasBackend; }
    Reachability reachability() const { return m_reachability; }
    /// What the backend reports; public so tests can play the OS.
    void setReachability(Reachability reachability);

Q_SIGNALS:
    /// The network went from not reachable (or unknown) to online.
    void online();
    void reachabilityChanged(QNetworkInformation::Reachability reachability);

private:
    Reachability m_reachability = Reachability::Unknown;
    bool m_hasBackend = false;
};

} // namespace Tertulia
