#pragma once

#include "app/lan/networkinterfaceinfo.h"

#include <QtCore/QFlags>
#include <QtCore/QList>
#include <QtNetwork/QHostAddress>

#include <optional>

namespace Tertulia {

/// Where LAN discovery talks (docs/lan-discovery.md). The defaults are what the app uses; tests narrow
/// the channels to the loopback interface and pick a free port so nothing leaves the machine.
struct LanDiscoverySettings
{
    enum class Channel {
        Broadcast = 0x1, ///< directed broadcast on every IPv4 interface that has a broadcast address
        Multicast = 0x2, ///< the IPv4 multicast group on every multicast-capable interface but loopback
        Loopback = 0x4,  ///< the multicast group on the loopback interface: copies on this machine, no LAN needed
    };
    Q_DECLARE_FLAGS(Channels, Channel)

    /// Well-known UDP port of announcements: next to the server's default 7420.
    static constexpr quint16 kDefaultPort = 7421;
    /// An organisation-local group (RFC 2365, 239.255.0.0/16): routers at the site's edge drop it, and
    /// datagrams go out with TTL 1 anyway, so they never leave the link.
    static constexpr char kDefaultGroup[] = "239.255.74.21";
    static constexpr int kDefaultIntervalMs = 2000;

    quint16 port = kDefaultPort;
    QHostAddress group{QLatin1StringView(kDefaultGroup)};
    Channels channels = Channels(Channel::Broadcast) | Channel::Multicast | Channel::Loopback;
    int intervalMs = kDefaultIntervalMs;

    /// The defaults, overridden by TERTULIA_LAN_PORT (a port number) and TERTULIA_LAN_CHANNELS (a comma
    /// list of broadcast, multicast, loopback; "none" turns discovery off). UI tests and several
    /// profiles on one machine use these to stay off the real network.
    static LanDiscoverySettings fromEnvironment();
    static std::optional<Channels> parseChannels(const QString &text);

    /// Where one round of datagrams goes on a machine with these interfaces.
    struct Routes
    {
        QList<QHostAddress> broadcast;      ///< directed broadcast addresses, without duplicates
        QList<int> multicastInterfaces;     ///< interface indexes to send the group datagram out of
        friend bool operator==(const Routes &, const Routes &) = default;
    };
    Routes routes(const QList<NetworkInterfaceInfo> &interfaces) const;
};

Q_DECLARE_OPERATORS_FOR_FLAGS(LanDiscoverySettings::Channels)

} // namespace Tertulia
