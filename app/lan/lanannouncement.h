#pragma once

#include "app/net/certificatefingerprint.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace Tertulia {

/// What a host tells the LAN about itself (docs/lan-discovery.md). The address is not in it: receivers
/// take the sender's address, which is the one that reached them.
struct LanAnnouncement
{
    QString serverName;
    quint16 port = 0;
    QString version;
    int users = 0;
    bool webPage = false;
    /// Identifies one running host across interfaces and restarts of the announcer: 1 to 32 bytes
    /// (empty: the announcer picks a random one).
    QByteArray instanceId;
    /// The SHA-256 of the chat's TLS certificate: people who pick the chat from the list connect to it
    /// with this certificate pinned. Null for a host without TLS (older versions).
    CertificateFingerprint fingerprint = {};

    friend bool operator==(const LanAnnouncement &, const LanAnnouncement &) = default;
};

} // namespace Tertulia
