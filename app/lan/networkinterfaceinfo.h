#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAddressEntry>
#include <QtNetwork/QNetworkInterface>

namespace Tertulia {

/// What discovery and the share card need to know about one network interface, as a plain value:
/// QNetworkInterface cannot be built by hand, so the choices made from this list (where to announce,
/// which addresses to share) are pure functions that tests feed with invented machines.
struct NetworkInterfaceInfo
{
    QString name;                 ///< "eth0", "wlp2s0", "en0"…
    int index = 0;                ///< the OS interface index (0: unknown)
    QNetworkInterface::InterfaceType type = QNetworkInterface::Unknown;
    QNetworkInterface::InterfaceFlags flags;
    QList<QNetworkAddressEntry> addresses;

    bool isUsable() const
    {
        return flags.testFlag(QNetworkInterface::IsUp) && flags.testFlag(QNetworkInterface::IsRunning);
    }
    bool isLoopback() const { return flags.testFlag(QNetworkInterface::IsLoopBack); }
    /// Bridges and virtual NICs of containers and VMs (docker0, virbr0, vboxnet0, veth…): reachable from
    /// this machine only, so they are offered last.
    bool looksVirtual() const;
    bool hasIPv4() const;

    /// The machine's interfaces right now (QNetworkInterface::allInterfaces()).
    static QList<NetworkInterfaceInfo> fromSystem();

    /// How well an address suits someone else on the LAN, lower is better: private IPv4 (what home and
    /// office networks hand out), other IPv4, link-local IPv4, global or unique-local IPv6, loopback last.
    /// IPv4 first because every device and browser handles it and a QR code of it stays short.
    static int addressRank(const QHostAddress &address);
    /// 10/8, 172.16/12, 192.168/16 (QHostAddress::isPrivateUse() is Qt 6.6+).
    static bool isPrivateIPv4(const QHostAddress &address);
    /// http://address:port/ (IPv6 in brackets, without a scope id, which no shared URL can carry): how
    /// the share card and the LAN list write a server's address.
    static QUrl httpUrl(const QHostAddress &address, quint16 port);
};

} // namespace Tertulia
