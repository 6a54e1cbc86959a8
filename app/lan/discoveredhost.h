#pragma once

#include "app/net/serveraddress.h"

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>

namespace Tertulia {

/// A host heard on the LAN (LanBrowser).
struct DiscoveredHost
{
    QByteArray instanceId;
    QString name;
    /// The best of the addresses it was heard from lately (see addresses); taken from the datagrams'
    /// sender, never from their content.
    QHostAddress address;
    quint16 port = 0;
    QString version;
    int users = 0;
    bool webPage = false;
    QDateTime lastSeen;
    /// Every address it was heard from within the expiry time, best first
    /// (NetworkInterfaceInfo::addressRank), then in the order first heard.
    QList<QHostAddress> addresses;

    /// http://address:port/ - what the sign-in screen connects to (ServerAddress::parse reads it) and,
    /// with webPage, what a browser opens.
    QUrl url() const;
    ServerAddress serverAddress() const;

    /// Everything a list shows is equal (lastSeen is not compared).
    bool sameContent(const DiscoveredHost &other) const;
};

} // namespace Tertulia
