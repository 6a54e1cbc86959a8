#pragma once

#include "app/net/certificatefingerprint.h"
#include "app/net/serveraddress.h"

#include <QtCore/QString>
#include <QtCore/QUrl>

#include <optional>

namespace Tertulia {

/// Everything a link to a chat can say: where the server is, the fingerprint of its certificate when the
/// link came from someone who knows it (the host's share card or QR code), and optionally a room.
///
/// Forms read by parse():
/// - anything ServerAddress::parse() reads ("host:port", "https://host:port/", "wss://host:port/ws");
/// - the same with a fragment `#sha256=<fingerprint>`: what the share card copies and the QR code holds,
///   e.g. `https://192.168.1.20:7420/#sha256=q7Lq…` (browsers never send the fragment, so the same link
///   opens the guest page);
/// - `tertulia://host[:port][/room][?sha256=<fingerprint>]`, the app's own scheme (issue 10's URL
///   handler): always encrypted.
/// A fingerprint (hex or base64url, CertificateFingerprint::parse) makes the address secure: it only
/// means something for TLS.
struct ServerLink
{
    ServerAddress address;
    std::optional<CertificateFingerprint> fingerprint;
    QString room;

    static constexpr char kScheme[] = "tertulia";
    /// The fragment or query key that carries the fingerprint.
    static constexpr char kFingerprintKey[] = "sha256";

    /// nullopt for anything not in the forms above, and for a fingerprint that does not parse (a link
    /// that says which certificate to expect must never be read as one that does not).
    static std::optional<ServerLink> parse(const QString &text);

    /// https://host:port/ with the fingerprint as the fragment (when known): for the share card, the
    /// QR code, and pasting into the app's Server field.
    QUrl webUrl() const;
    /// tertulia://host:port[/room]?sha256=…: the app's own link form.
    QUrl appUrl() const;

    friend bool operator==(const ServerLink &, const ServerLink &) = default;
};

} // namespace Tertulia
