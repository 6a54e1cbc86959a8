#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QSslCertificate>

#include <optional>

namespace Tertulia::Test {

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;
    QString errorCode() const { return json.value(QLatin1StringView("error")).toObject().value(QLatin1StringView("code")).toString(); }
    QByteArray header(const QByteArray &name) const;
};

/// Real HTTP requests against a test server; each call waits (event loop, QSignalSpy) for the answer.
class HttpClient
{
public:
    explicit HttpClient(const QUrl &base) : m_base(base) { }

    /// For https:// servers: trust exactly these certificates (a test server's own).
    void trust(const QList<QSslCertificate> &certificates) { m_trusted = certificates; }

    HttpResult get(const QString &path);
    HttpResult postJson(const QString &path, const QJsonObject &body, const QByteArray &bearer = {});
    HttpResult post(const QString &path, const QByteArray &body, const QByteArray &contentType,
                    const QByteArray &bearer = {});
    /// Any method, with a JSON body when `body` is given, a bearer token and further headers.
    HttpResult send(const QByteArray &method, const QString &path, const std::optional<QJsonObject> &body = {},
                    const QByteArray &bearer = {}, const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    /// Any method with raw bytes as the body (a PUT of an image); no Content-Type when `contentType` is empty.
    HttpResult sendBytes(const QByteArray &method, const QString &path, const QByteArray &body,
                         const QByteArray &contentType, const QByteArray &bearer = {});

private:
    HttpResult wait(QNetworkReply *reply);
    QNetworkRequest makeRequest(const QString &path) const;
    QUrl m_base;
    QList<QSslCertificate> m_trusted;
    QNetworkAccessManager m_network;
};

} // namespace Tertulia::Test
