#pragma once

#include "app/net/certificatecheck.h"
#include "app/net/serveraddress.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>

#include <functional>
#include <memory>
#include <optional>

class QSettings;

namespace Tertulia {

/// Decides whether a server's certificate is the right one, before a single byte of a password or token
/// goes to it. Both ways into a server use it: the HTTP account API (AuthClient) and the WebSocket
/// (ChatConnection).
///
/// - A server with a pin (trusted on first use, or from discovery, a link or a QR code) must present the
///   pinned certificate or a renewal with the same key; anything else is a Mismatch and the connection is
///   abandoned during the TLS handshake. For such servers configurationFor() trusts no authority at all,
///   so even a certificate a public authority vouches for goes through check(): a pin is never bypassed.
/// - A server without a pin is validated the usual way against the system's authorities (CaVerified, not
///   pinned: public certificates are renewed often and need no pin). One that fails that check is a
///   FirstUse: the handshake is abandoned and the person decides (trust()), then the app connects again.
///
/// Pins are kept per "host:port" in an INI file of the profile (setStorageFile()), or in memory. They are
/// not secret. One object per account, shared by its connections (no singleton).
class CertificateTrust final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificateTrust)

public:
    explicit CertificateTrust(QObject *parent = nullptr);
    ~CertificateTrust() override;

    /// Keeps pins in this INI file (read now, written on every change). Empty: memory only.
    void setStorageFile(const QString &path);
    /// Extra authorities to trust besides the system's (tests; a company's own CA could go here).
    void addCaCertificates(const QList<QSslCertificate> &certificates);
    /// The clock for "pinned since" (tests).
    void setClock(std::function<QDateTime()> now) { m_now = std::move(now); }

    static QString keyFor(const ServerAddress &server);

    std::optional<CertificatePin> pin(const ServerAddress &server) const;
    /// Pins a fingerprint that came from a source trusted for it (discovery, a link, a QR code, the chat
    /// this app hosts), before connecting. A server without a pin must then present exactly this
    /// certificate; for one that has a pin the pin stays in force, and a different fingerprint here only
    /// shows in the Mismatch explanation (an announcement or link must not silently replace a pin).
    void expect(const ServerAddress &server, const CertificateFingerprint &fingerprint, PinSource source);
    std::optional<CertificateFingerprint> expected(const ServerAddress &server) const;
    /// The person accepted this certificate (first use, or a new one after a change): it is pinned.
    void trust(const CertificateCheck &check);
    void forget(const ServerAddress &server);

    /// The TLS configuration for a connection to server (see the class comment).
    QSslConfiguration configurationFor(const ServerAddress &server) const;
    /// Judges what the server presented, with the errors ordinary validation reported (empty when it
    /// passed). Pins what was pre-verified and renewals; never pins a FirstUse by itself.
    CertificateCheck check(const ServerAddress &server, const QSslCertificate &presented, const QList<QSslError> &errors);
    /// The same judgement without remembering anything (tests, previews).
    CertificateCheck evaluate(const ServerAddress &server, const QSslCertificate &presented,
                              const QList<QSslError> &errors) const;

Q_SIGNALS:
    void pinsChanged();

private:
    void load();
    void save();
    void store(const QString &key, const CertificatePin &pin);

    struct Expectation
    {
        CertificateFingerprint fingerprint;
        PinSource source;
    };

    std::unique_ptr<QSettings> m_settings;
    QHash<QString, CertificatePin> m_pins;
    QHash<QString, Expectation> m_expected;
    QList<QSslCertificate> m_extraCas;
    std::function<QDateTime()> m_now;
};

} // namespace Tertulia
