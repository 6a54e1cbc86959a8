#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringView>

#include <optional>

class QSslCertificate;

namespace Tertulia {

/// The SHA-256 of a certificate (of its DER encoding): what browsers show as "SHA-256 fingerprint" and
/// what the app pins. Travels in LAN announcements, share links and QR codes as base64url (43
/// characters), and is shown to people as colon-separated hex (the form browsers' certificate viewers
/// use), so the two can be compared by eye.
class CertificateFingerprint
{
public:
    static constexpr int kSize = 32;

    CertificateFingerprint() = default;
    /// Of the certificate; null for a null certificate.
    static CertificateFingerprint of(const QSslCertificate &certificate);
    /// Null unless exactly kSize bytes.
    static CertificateFingerprint fromBytes(const QByteArray &sha256);
    /// Reads the forms people and links use: 64 hex digits (any case, with ':' or blanks between the
    /// pairs, optionally after "sha256:" or "SHA256 ") or 43 characters of base64url. nullopt otherwise.
    static std::optional<CertificateFingerprint> parse(QStringView text);

    bool isNull() const { return m_sha256.isEmpty(); }
    QByteArray bytes() const { return m_sha256; }
    /// "AB:CD:…" (95 characters).
    QString toHex() const;
    /// The hex form in lines of `pairsPerLine` pairs, for dialogs and cards.
    QString toHexLines(int pairsPerLine = 16) const;
    /// Base64url without padding (43 characters): links, QR codes, LAN announcements.
    QString toBase64Url() const;
    /// The first pairs of the hex form, enough to recognise one ("AB:CD:EF:01").
    QString shortHex(int pairs = 4) const;

    friend bool operator==(const CertificateFingerprint &, const CertificateFingerprint &) = default;

private:
    QByteArray m_sha256;
};

/// SHA-256 of the certificate's public key (its SubjectPublicKeyInfo). A host that renews its certificate
/// keeps its key, so a pin that also remembers this recognises the renewed certificate as the same host.
QByteArray publicKeySha256(const QSslCertificate &certificate);

} // namespace Tertulia
