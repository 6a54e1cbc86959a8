#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QStringList>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

#include <memory>

namespace Tertulia::Testing {

/// A certificate and its key, as PEM (for files and servers) and as Qt values.
struct Identity
{
    QByteArray certificatePem;
    QByteArray keyPem;
    QSslCertificate certificate() const { return QSslCertificate(certificatePem, QSsl::Pem); }
    QSslKey key() const { return QSslKey(keyPem, QSsl::Ec, QSsl::Pem); }
    /// Writes certificate.pem and key.pem into dir; the paths, for ServerConfig::tlsCertFile/KeyFile.
    std::pair<QString, QString> writeTo(const QString &dir) const;
};

/// A throwaway certificate authority made in the test (OpenSSL, ECDSA P-256), standing in for a public
/// one: a client that trusts it sees the server certificates it issues as "verified by an authority".
class TestCa
{
public:
    explicit TestCa(const QString &name = QStringLiteral("Tertulia Test Root CA"));
    ~TestCa();

    QSslCertificate certificate() const;
    /// A server certificate for these names and addresses, valid for a year.
    Identity issue(const QStringList &dnsNames, const QList<QHostAddress> &addresses) const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Tertulia::Testing
