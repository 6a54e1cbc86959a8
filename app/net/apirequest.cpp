#include "app/net/apirequest.h"

#include "app/net/certificatetrust.h"

#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QSslConfiguration>

#include <memory>

using namespace Qt::StringLiterals;

namespace Tertulia {

void ApiRequester::setCertificateTrust(CertificateTrust *trust) { m_trust = trust; }

void ApiRequester::send(const QByteArray &method, const ServerAddress &server, const QUrl &url,
                        const QByteArray &body, const QString &bearer, QObject *context, Handler handler)
{
    start(method, server, url, method == "GET" || !body.isEmpty() ? body : QByteArray("{}"), u"application/json"_s,
          bearer, context, std::move(handler));
}

QNetworkReply *ApiRequester::start(const QByteArray &method, const ServerAddress &server, const QUrl &url,
                                   const QByteArray &body, const QString &contentType, const QString &bearer,
                                   QObject *context, Handler handler)
{
    QNetworkRequest request(url);
    request.setTransferTimeout(int(m_timeout.count()));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer.toUtf8());
    QPointer<CertificateTrust> trust = server.isSecure() ? m_trust : nullptr;
    if (trust)
        request.setSslConfiguration(trust->configurationFor(server));
    QNetworkReply *reply = nullptr;
    if (method == "GET") {
        reply = m_network->get(request);
    } else {
        if (!contentType.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        reply = m_network->sendCustomRequest(request, method, body);
    }
    // The verdict on the server's certificate, shared by the handlers below.
    auto check = std::make_shared<std::optional<CertificateCheck>>();
    if (trust) {
        // Both run at the end of the TLS handshake, before the request (and the password or token in it)
        // is sent: QNetworkAccessManager waits for this slot before it goes on.
        QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                         [reply, trust, server, check](const QList<QSslError> &errors) {
                             if (!trust)
                                 return;
                             QSslCertificate peer = reply->sslConfiguration().peerCertificate();
                             if (peer.isNull() && !errors.isEmpty())
                                 peer = errors.first().certificate();
                             *check = trust->check(server, peer, errors);
                             if ((*check)->accepted())
                                 reply->ignoreSslErrors();
                         });
        QObject::connect(reply, &QNetworkReply::encrypted, reply, [reply, trust, server, check] {
            if (!trust || check->has_value())
                return;
            // No validation error: the system's authorities vouch for it, unless a pin says otherwise
            // (a pinned server is checked with no authority, so it never gets here unchecked).
            *check = trust->check(server, reply->sslConfiguration().peerCertificate(), {});
            if (!(*check)->accepted())
                reply->abort();
        });
    }
    QPointer<QObject> guard(context);
    QObject::connect(reply, &QNetworkReply::finished, context, [reply, guard, check, handler = std::move(handler)] {
        reply->deleteLater();
        if (!guard)
            return;
        ApiAnswer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        answer.networkError = reply->error();
        answer.networkErrorString = reply->errorString();
        if (check->has_value() && !(*check)->accepted())
            answer.refusedCertificate = **check;
        handler(answer);
    });
    // The reply must not outlive the caller's interest in it.
    QObject::connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
    return reply;
}

} // namespace Tertulia
