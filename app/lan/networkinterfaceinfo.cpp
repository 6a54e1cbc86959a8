#include "app/lan/networkinterfaceinfo.h"

#include <algorithm>
#include <array>

namespace Tertulia {

bool NetworkInterfaceInfo::looksVirtual() const
{
    if (type == QNetworkInterface::Virtual)
        return true;
    // Linux reports bridges and veth pairs as Ethernet, so the name is the only hint; these prefixes are
    // the ones Docker, libvirt, VirtualBox, VMware, LXD and Podman create.
    static constexpr std::array prefixes{"docker", "br-", "veth", "virbr", "vboxnet", "vmnet", "lxcbr", "lxdbr",
                                         "podman", "cni", "flannel", "vnet"};
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [this](const char *prefix) { return name.startsWith(QLatin1StringView(prefix)); });
}

bool NetworkInterfaceInfo::hasIPv4() const
{
    return std::any_of(addresses.begin(), addresses.end(), [](const QNetworkAddressEntry &entry) {
        return entry.ip().protocol() == QAbstractSocket::IPv4Protocol;
    });
}

QList<NetworkInterfaceInfo> NetworkInterfaceInfo::fromSystem()
{
    QList<NetworkInterfaceInfo> result;
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        NetworkInterfaceInfo info;
        info.name = interface.name();
        info.index = interface.index();
        info.type = interface.type();
        info.flags = interface.flags();
        info.addresses = interface.addressEntries();
        result.append(std::move(info));
    }
    return result;
}

bool NetworkInterfaceInfo::isPrivateIPv4(const QHostAddress &address)
{
    static const std::array<QPair<QHostAddress, int>, 3> ranges{
        QHostAddress::parseSubnet(QStringLiteral("10.0.0.0/8")),
        QHostAddress::parseSubnet(QStringLiteral("172.16.0.0/12")),
        QHostAddress::parseSubnet(QStringLiteral("192.168.0.0/16")),
    };
    return address.protocol() == QAbstractSocket::IPv4Protocol
        && std::any_of(ranges.begin(), ranges.end(), [&](const auto &range) { return address.isInSubnet(range); });
}

QUrl NetworkInterfaceInfo::httpUrl(const QHostAddress &address, quint16 port)
{
    QHostAddress host = address;
    host.setScopeId({});
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(port);
    url.setPath(QStringLiteral("/"));
    return url;
}

int NetworkInterfaceInfo::addressRank(const QHostAddress &address)
{
    if (address.isLoopback())
        return 5;
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        if (isPrivateIPv4(address))
            return 0;
        return address.isLinkLocal() ? 2 : 1;
    }
    return address.isLinkLocal() ? 4 : 3;
}

} // namespace Tertulia
