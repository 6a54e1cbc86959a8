#pragma once

// Invented network interfaces for the pure functions that choose routes and share addresses.
#include "app/lan/networkinterfaceinfo.h"

#include <QtCore/QMetaType>

Q_DECLARE_METATYPE(QList<Tertulia::NetworkInterfaceInfo>)

namespace Tertulia::LanTest {

inline const QNetworkInterface::InterfaceFlags kUpRunning =
    QNetworkInterface::InterfaceFlags(QNetworkInterface::IsUp) | QNetworkInterface::IsRunning;
/// An ordinary Ethernet or Wi-Fi interface that is connected.
inline const QNetworkInterface::InterfaceFlags kLanFlags =
    kUpRunning | QNetworkInterface::CanBroadcast | QNetworkInterface::CanMulticast;

inline QNetworkAddressEntry addressEntry(const QString &ip, int prefix = -1, const QString &broadcast = {})
{
    QNetworkAddressEntry entry;
    entry.setIp(QHostAddress(ip));
    if (prefix >= 0)
        entry.setPrefixLength(prefix);
    if (!broadcast.isEmpty())
        entry.setBroadcast(QHostAddress(broadcast));
    return entry;
}

inline NetworkInterfaceInfo makeInterface(const QString &name, int index, QNetworkInterface::InterfaceFlags flags,
                                          const QList<QNetworkAddressEntry> &addresses,
                                          QNetworkInterface::InterfaceType type = QNetworkInterface::Ethernet)
{
    return NetworkInterfaceInfo{name, index, type, flags, addresses};
}

inline NetworkInterfaceInfo loopbackInterfaceInfo()
{
    return makeInterface(QStringLiteral("lo"), 1, kUpRunning | QNetworkInterface::IsLoopBack,
                         {addressEntry(QStringLiteral("127.0.0.1"), 8), addressEntry(QStringLiteral("::1"), 128)},
                         QNetworkInterface::Loopback);
}

} // namespace Tertulia::LanTest
