#include "support/httpclient.h"

#include <QtCore/QJsonDocument>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QSslConfiguration>
#include <QtTest/QSignalSpy>

namespace Tertulia::Test {

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QNetworkRequest HttpClient::makeRequest(const QString &path) const
{
    QNetworkRequest request(m_base.resolved(QUrl(path)));
    if (!m_trusted.isEmpty()) {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setCaCertificates(m_trusted);
        request.setSslConfiguration(configuration);
    }
    return request;
}

HttpResult HttpClient::get(const QString &path) { return wait(m_network.get(makeRequest(path))); }

HttpResult HttpClient::postJson(const QString &path, const QJsonObject &body, const QByteArray &bearer)
{
    return post(path, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json", bearer);
}

HttpResult HttpClient::post(const QString &path, const QByteArray &body, const QByteArray &contentType,
                            const QByteArray &bearer)
{
    QNetworkRequest request = makeRequest(path);
    request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    return wait(m_network.post(request, body));
}

HttpResult HttpClient::send(const QByteArray &method, const QString &path, const std::optional<QJsonObject> &body,
                            const QByteArray &bearer, const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(m_base.resolved(QUrl(path)));
    if (body)
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    const QByteArray bytes = body ? QJsonDocument(*body).toJson(QJsonDocument::Compact) : QByteArray();
    return wait(m_network.sendCustomRequest(request, method, bytes));
}

HttpResult HttpClient::sendBytes(const QByteArray &method, const QString &path, const QByteArray &body,
                                 const QByteArray &contentType, const QByteArray &bearer)
{
    QNetworkRequest request = makeRequest(path);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer);
    return wait(m_network.sendCustomRequest(request, method, body));
}

HttpResult HttpClient::wait(QNetworkReply *reply)
{
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        finished.wait(20000);
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.json = QJsonDocument::fromJson(result.body).object();
    result.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return result;
}

} // namespace Tertulia::Test
