#pragma once

#include "app/lan/networkinterfaceinfo.h"
#include "app/net/certificatefingerprint.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSslCertificate>

#include <variant>

namespace Tertulia {

/// Why the hosted chat's certificate could not be loaded or made.
struct HostCertificateError
{
    enum class Code {
        KeyUnreadable,  ///< the key file exists but is not an ECDSA P-256 private key we can read
        Generation,     ///< OpenSSL could not make the key or the certificate
        Write,          ///< a file could not be written
    };
    Code code = Code::Generation;
    QString message; ///< plain words with the file name, untranslated (the UI wraps it)
};

/// The certificate a hosted chat serves https:// and wss:// with: self-signed, ECDSA P-256 (every browser
/// and TLS library accepts it; keys and signatures are small), made on first use and kept in the
/// profile next to the hosted chat's data (`host.crt`, and `host.key` with mode 0600). People pin its
/// fingerprint, so it must stay the same across restarts: loadOrCreate() reuses the files, and renews an
/// expiring certificate with the same key (clients that pinned the old one recognise the key).
///
/// Made with OpenSSL's C API (libcrypto) directly: Qt can read certificates and keys but cannot create
/// either, and the other ways out are worse (the `openssl` command is missing on Windows and macOS;
/// QCA has no Qt 6 build in Debian 12). libcrypto is already on every machine Qt's TLS runs on, since
/// it is Qt's own TLS backend on Linux and Windows.
class HostCertificate
{
public:
    /// What goes into a new certificate.
    struct Request
    {
        QString commonName;            ///< e.g. "Tertulia on ana-laptop"
        QStringList dnsNames;          ///< subjectAltName DNS entries (invalid names are skipped)
        QList<QHostAddress> addresses; ///< subjectAltName IP entries
        /// Apple's limit for TLS server certificates (825 days); browsers accept a self-signed one this long.
        int validityDays = 825;
        /// A certificate with less time left than this is renewed (same key) when loaded.
        int renewDays = 30;
        QDateTime now;                 ///< empty: the current time
    };

    static constexpr char kCertificateFile[] = "host.crt";
    static constexpr char kKeyFile[] = "host.key";

    /// This machine's names (its host name, host name.local, localhost) and addresses (loopback, and the
    /// addresses people on the LAN can use: those of ShareAddresses). Browsers still warn about a
    /// self-signed certificate, but the name part of the warning goes away.
    static Request requestFor(const QString &hostName, const QList<NetworkInterfaceInfo> &interfaces);
    static Request requestForThisMachine();

    /// Reads directory/host.crt and host.key, or makes them. A missing or expiring certificate is made
    /// (again) with the existing key; a missing key means a new key and certificate. The addresses of an
    /// existing certificate are not updated: its fingerprint is what people trust.
    static std::variant<HostCertificate, HostCertificateError> loadOrCreate(const QString &directory,
                                                                            const Request &request);

    QString certificateFile() const { return m_certificateFile; }
    QString keyFile() const { return m_keyFile; }
    QSslCertificate certificate() const { return m_certificate; }
    CertificateFingerprint fingerprint() const { return CertificateFingerprint::of(m_certificate); }
    /// What loadOrCreate() did: made a new key and certificate, renewed the certificate, or neither.
    bool isNew() const { return m_created; }
    bool wasRenewed() const { return m_renewed; }

private:
    QString m_certificateFile;
    QString m_keyFile;
    QSslCertificate m_certificate;
    bool m_created = false;
    bool m_renewed = false;
};

} // namespace Tertulia
