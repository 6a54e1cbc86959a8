#pragma once

#include "app/net/certificatecheck.h"
#include "app/net/serveraddress.h"

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtNetwork/QNetworkReply>

#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;

namespace Tertulia {

class CertificateTrust;

/// What came back from one HTTP API request: the status and body, or the network error, or the certificate
/// check that stopped it.
struct ApiAnswer
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString networkErrorString;
    std::optional<CertificateCheck> refusedCertificate;
};

/// Sends requests to a server's HTTP API (accounts, administration) the one way the app does: JSON, a
/// timeout, a Bearer token, and for https:// the CertificateTrust's verdict before anything is sent (a
/// certificate it does not accept stops the request in the TLS handshake, before the token or password in it
/// leaves). Each request answers once, in the context's thread, never after the context is gone.
class ApiRequester
{
public:
    using Handler = std::function<void(const ApiAnswer &)>;

    explicit ApiRequester(QNetworkAccessManager *network) : m_network(network) { }

    void setCertificateTrust(CertificateTrust *trust);
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    /// `method` GET or POST (a POST sends `body` as JSON, `{}` when empty).
    void send(const QByteArray &method, const ServerAddress &server, const QUrl &url, const QByteArray &body,
              const QString &bearer, QObject *context, Handler handler);
    /// The same with any body and its type (file uploads, issue 12); returns the reply for its progress signals
    /// and abort() (it is deleted after the handler ran). An empty contentType sends no Content-Type.
    QNetworkReply *start(const QByteArray &method, const ServerAddress &server, const QUrl &url,
                         const QByteArray &body, const QString &contentType, const QString &bearer,
                         QObject *context, Handler handler);

private:
    QNetworkAccessManager *m_network;
    QPointer<CertificateTrust> m_trust;
    std::chrono::milliseconds m_timeout{15000};
};

} // namespace Tertulia
