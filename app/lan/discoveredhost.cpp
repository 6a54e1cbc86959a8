#include "app/lan/discoveredhost.h"

#include "app/lan/networkinterfaceinfo.h"

namespace Tertulia {

QUrl DiscoveredHost::url() const
{
    return fingerprint.isNull() ? NetworkInterfaceInfo::httpUrl(address, port) : link().webUrl();
}

ServerAddress DiscoveredHost::serverAddress() const
{
    // The host from the URL form (no IPv6 scope id), as ServerLink::parse would read it back.
    const QUrl http = NetworkInterfaceInfo::httpUrl(address, port);
    return ServerAddress(http.host(), port, !fingerprint.isNull());
}

ServerLink DiscoveredHost::link() const
{
    ServerLink link;
    link.address = serverAddress();
    if (!fingerprint.isNull() && !fingerprintConflict)
        link.fingerprint = fingerprint;
    return link;
}

bool DiscoveredHost::sameContent(const DiscoveredHost &other) const
{
    return instanceId == other.instanceId && name == other.name && address == other.address && port == other.port
        && version == other.version && users == other.users && webPage == other.webPage
        && addresses == other.addresses && fingerprint == other.fingerprint
        && fingerprintConflict == other.fingerprintConflict;
}

} // namespace Tertulia
