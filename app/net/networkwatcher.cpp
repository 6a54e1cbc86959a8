#include "app/net/networkwatcher.h"

#include "app/logging.h"

namespace Tertulia {

NetworkWatcher::NetworkWatcher(bool watchSystem, QObject *parent) : QObject(parent)
{
    if (!watchSystem)
        return;
    m_hasBackend = QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability);
    QNetworkInformation *information = QNetworkInformation::instance();
    if (!m_hasBackend || !information) {
        qCInfo(lcClientNet) << "no network information backend: reconnects follow the backoff only";
        return;
    }
    qCDebug(lcClientNet) << "network information backend:" << information->backendName();
    m_reachability = information->reachability();
    connect(information, &QNetworkInformation::reachabilityChanged, this, &NetworkWatcher::setReachability);
}

void NetworkWatcher::setReachability(Reachability reachability)
{
    if (reachability == m_reachability)
        return;
    const Reachability previous = m_reachability;
    m_reachability = reachability;
    Q_EMIT reachabilityChanged(reachability);
    if (reachability == Reachability::Online && previous != Reachability::Online) {
        qCInfo(lcClientNet) << "the network is back";
        Q_EMIT online();
    }
}

} // namespace Tertulia
