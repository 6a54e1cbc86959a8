#pragma once

#include "app/net/certificatefingerprint.h"
#include "app/net/serveraddress.h"
#include "app/net/serverlink.h"

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
    /// The SHA-256 of the chat's TLS certificate, as announced (null: an older host without TLS).
    CertificateFingerprint fingerprint;
    /// The same instance was heard announcing two different fingerprints since it was first heard: one of
    /// them is not the host's (or it made a new certificate). Such a fingerprint is not pre-verified.
    bool fingerprintConflict = false;

    /// What the sign-in screen connects to (ServerLink::parse reads it) and, with webPage, what a browser
    /// opens: https://address:port/#sha256=<fingerprint>, or http://address:port/ for a host without TLS.
    QUrl url() const;
    ServerAddress serverAddress() const;
    ServerLink link() const;

    /// Everything a list shows is equal (lastSeen is not compared).
    bool sameContent(const DiscoveredHost &other) const;
};

} // namespace Tertulia
