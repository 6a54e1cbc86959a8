#include "app/lan/landiscoverysettings.h"

#include "app/lan/lanlogging.h"

#include <QtCore/QtGlobal>

using namespace Qt::StringLiterals;

namespace Tertulia {

std::optional<LanDiscoverySettings::Channels> LanDiscoverySettings::parseChannels(const QString &text)
{
    Channels channels;
    const QStringList words = text.split(u',', Qt::SkipEmptyParts);
    if (words.isEmpty())
        return std::nullopt;
    for (const QString &raw : words) {
        const QString word = raw.trimmed().toLower();
        if (word == "broadcast"_L1)
            channels |= Channel::Broadcast;
        else if (word == "multicast"_L1)
            channels |= Channel::Multicast;
        else if (word == "loopback"_L1)
            channels |= Channel::Loopback;
        else if (word != "none"_L1)
            return std::nullopt;
    }
    return channels;
}

LanDiscoverySettings LanDiscoverySettings::fromEnvironment()
{
    LanDiscoverySettings settings;
    if (qEnvironmentVariableIsSet("TERTULIA_LAN_PORT")) {
        bool ok = false;
        const uint port = qEnvironmentVariable("TERTULIA_LAN_PORT").toUInt(&ok);
        if (ok && port > 0 && port <= 65535)
            settings.port = quint16(port);
        else
            qCWarning(lcClientLan) << "TERTULIA_LAN_PORT is not a port number; using" << settings.port;
    }
    if (qEnvironmentVariableIsSet("TERTULIA_LAN_CHANNELS")) {
        if (const auto channels = parseChannels(qEnvironmentVariable("TERTULIA_LAN_CHANNELS")))
            settings.channels = *channels;
        else
            qCWarning(lcClientLan) << "TERTULIA_LAN_CHANNELS: expected a comma list of broadcast, multicast,"
                                      " loopback or none; using all";
    }
    return settings;
}

LanDiscoverySettings::Routes LanDiscoverySettings::routes(const QList<NetworkInterfaceInfo> &interfaces) const
{
    Routes routes;
    for (const NetworkInterfaceInfo &interface : interfaces) {
        if (!interface.isUsable() || !interface.hasIPv4())
            continue;
        if (interface.isLoopback()) {
            // Linux does not flag lo as multicast-capable, yet delivers group datagrams on it.
            if (channels.testFlag(Channel::Loopback) && interface.index > 0)
                routes.multicastInterfaces.append(interface.index);
            continue;
        }
        if (channels.testFlag(Channel::Multicast) && interface.index > 0
            && interface.flags.testFlag(QNetworkInterface::CanMulticast))
            routes.multicastInterfaces.append(interface.index);
        if (channels.testFlag(Channel::Broadcast) && interface.flags.testFlag(QNetworkInterface::CanBroadcast)
            && !interface.flags.testFlag(QNetworkInterface::IsPointToPoint)) {
            for (const QNetworkAddressEntry &entry : interface.addresses) {
                const QHostAddress broadcast = entry.broadcast();
                if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol && !broadcast.isNull()
                    && !routes.broadcast.contains(broadcast))
                    routes.broadcast.append(broadcast);
            }
        }
    }
    return routes;
}

} // namespace Tertulia
