#include "app/lan/discoveredhost.h"

#include "app/lan/networkinterfaceinfo.h"

namespace Tertulia {

QUrl DiscoveredHost::url() const { return NetworkInterfaceInfo::httpUrl(address, port); }

ServerAddress DiscoveredHost::serverAddress() const { return ServerAddress(address.toString(), port, false); }

bool DiscoveredHost::sameContent(const DiscoveredHost &other) const
{
    return instanceId == other.instanceId && name == other.name && address == other.address && port == other.port
        && version == other.version && users == other.users && webPage == other.webPage
        && addresses == other.addresses;
}

} // namespace Tertulia
