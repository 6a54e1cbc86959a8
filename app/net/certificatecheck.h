#pragma once

#include "app/net/certificatefingerprint.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QStringList>
#include <QtNetwork/QSslCertificate>

#include <optional>

namespace Tertulia {

/// Where the app learnt which certificate a server must present.
enum class PinSource {
    FirstUse,  ///< the person accepted it when connecting the first time (trust on first use)
    Discovery, ///< the host's LAN announcement
    Link,      ///< a link or QR code from the host's share card
    OwnHost,   ///< the chat this app itself hosts
    Replaced,  ///< the person accepted a new certificate after a change
};

/// A pinned certificate: the server at this address must present exactly this one (or a renewal with the
/// same key). Not a secret: anyone who connects sees the certificate.
struct CertificatePin
{
    CertificateFingerprint fingerprint;
    /// SHA-256 of the public key, once a connection has seen the certificate itself (a pin that came from
    /// a fingerprint alone has none until then). A certificate with the same key is the host's renewal.
    QByteArray publicKeySha256;
    PinSource source = PinSource::FirstUse;
    QDateTime since; ///< UTC

    friend bool operator==(const CertificatePin &, const CertificatePin &) = default;
};

/// What the app concluded about the certificate a server presented, before sending it anything.
struct CertificateCheck
{
    Q_DECLARE_TR_FUNCTIONS(Tertulia::CertificateCheck)

public:
    enum class Outcome {
        CaVerified,  ///< no pin; a certificate authority the system trusts vouches for it
        Pinned,      ///< matches the pinned certificate
        PreVerified, ///< matches the fingerprint from discovery, a link or a QR code (now pinned)
        Renewed,     ///< a new certificate with the pinned key: the host renewed it (pin updated)
        FirstUse,    ///< unknown and unverifiable: the person must decide (nothing was sent)
        Mismatch,    ///< not the pinned or expected certificate: blocked (nothing was sent)
    };

    Outcome outcome = Outcome::FirstUse;
    QString server;                      ///< "host:port"
    QSslCertificate certificate;         ///< what the server presented (the leaf)
    CertificateFingerprint presented;
    std::optional<CertificatePin> pin;   ///< the pin in force when it was checked
    std::optional<CertificateFingerprint> expected; ///< from discovery, a link or a QR code
    std::optional<PinSource> expectedSource;
    QStringList errors;                  ///< what ordinary validation said (Qt's words, for details)

    bool accepted() const { return outcome != Outcome::FirstUse && outcome != Outcome::Mismatch; }
    /// One plain sentence (no final stop) for banners and errors: "The certificate of 192.168.1.20:7420 has
    /// changed: the connection was blocked".
    QString summary() const;

    friend bool operator==(const CertificateCheck &, const CertificateCheck &) = default;
};

/// How a TLS connection's peer was checked, for the health panel: "pinned (trusted on first use, …)".
QString describePinSource(PinSource source);

} // namespace Tertulia
