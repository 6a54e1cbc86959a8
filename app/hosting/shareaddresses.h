#pragma once

#include "app/lan/networkinterfaceinfo.h"

#include <QtCore/QList>
#include <QtCore/QUrl>

namespace Tertulia::ShareAddresses {

/// The addresses people on the LAN can use to reach a server listening on every interface at `port`:
/// http://address:port/ for every address of an interface that is up and running, except loopback
/// and IPv6 link-local addresses (fe80::, which need a zone id that browsers and other machines' URLs
/// cannot carry). Best first: private IPv4, other IPv4, IPv6; interfaces of containers and VMs after
/// real ones; ties keep the system's order. Each address once.
QList<QUrl> fromInterfaces(const QList<NetworkInterfaceInfo> &interfaces, quint16 port);

/// The first of fromInterfaces(), the one for the QR code; an empty QUrl when the machine has no
/// usable address (not connected to any network).
QUrl preferred(const QList<NetworkInterfaceInfo> &interfaces, quint16 port);

} // namespace Tertulia::ShareAddresses
