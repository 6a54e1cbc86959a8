#include "server/service/healthcheck.h"

#include "server/core/serverconfig.h"

#include <QtCore/QEventLoop>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QSslConfiguration>

using namespace Qt::StringLiterals;

namespace Tertulia {

HealthcheckResult checkHealth(const ServerConfig &config, int timeoutMs)
{
    if (config.port == 0)
        return {false, u"no port to check: give the --listen HOST:PORT or --config the server runs with"_s};
    QHostAddress host = config.address;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;

    QUrl url;
    url.setScheme(config.tlsEnabled() ? u"https"_s : u"http"_s);
    url.setHost(host.toString());
    url.setPort(config.port);
    url.setPath(u"/healthz"_s);

    QNetworkAccessManager manager;
    manager.setProxy(QNetworkProxy::NoProxy);
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    if (config.tlsEnabled()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setPeerVerifyMode(QSslSocket::VerifyNone); // liveness of a local process, nothing secret sent
        request.setSslConfiguration(tls);
    }
    QNetworkReply *reply = manager.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs + 1000, &loop, &QEventLoop::quit); // the transfer timeout's backstop
    if (!reply->isFinished())
        loop.exec();

    const QString where = url.toString();
    if (!reply->isFinished()) {
        reply->abort();
        delete reply;
        return {false, where + u": no answer within %1 ms"_s.arg(timeoutMs)};
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    const QString error = reply->errorString();
    delete reply;
    if (status == 0)
        return {false, where + u": "_s + error};
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    if (status != 200 || json.value(u"status"_s).toString() != u"ok")
        return {false, where + u": HTTP %1 %2"_s.arg(status).arg(QString::fromUtf8(body.left(200)).trimmed())};
    return {true, where + u": ok (%1, version %2, up %3 s, %4 connections)"_s
                              .arg(json.value(u"name"_s).toString(), json.value(u"version"_s).toString())
                              .arg(json.value(u"uptime_s"_s).toInteger())
                              .arg(json.value(u"connections"_s).toInteger())};
}

} // namespace Tertulia
