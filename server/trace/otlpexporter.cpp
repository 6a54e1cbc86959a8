#include "server/trace/otlpexporter.h"

#include "server/logging.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkProxy>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

namespace Tertulia::Trace {

using namespace Qt::StringLiterals;

OtlpExporter::OtlpExporter(const QUrl &endpoint, const QString &serviceVersion, QObject *parent)
    : QObject(parent), m_url(tracesUrl(endpoint)), m_serviceVersion(serviceVersion),
      m_network(new QNetworkAccessManager(this))
{
    // A collector is a local agent or a service nearby; proxies configured for the desktop are not for it.
    m_network->setProxy(QNetworkProxy::NoProxy);
}

OtlpExporter::~OtlpExporter() = default;

QUrl OtlpExporter::tracesUrl(const QUrl &endpoint)
{
    QUrl url = endpoint;
    QString path = url.path();
    if (!path.endsWith(u"/v1/traces")) {
        if (path.endsWith(u'/'))
            path.chop(1);
        url.setPath(path + u"/v1/traces"_s);
    }
    return url;
}

void OtlpExporter::enqueue(MessageTrace trace)
{
    if (int(m_queue.size()) >= kMaxQueued) {
        m_queue.pop_front();
        ++m_dropped;
    }
    m_queue.push_back(std::move(trace));
    if (!m_inFlight)
        sendNext();
}

void OtlpExporter::sendNext()
{
    if (m_queue.empty())
        return;
    QList<MessageTrace> batch;
    while (!m_queue.empty() && batch.size() < kMaxBatch) {
        batch.append(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    QNetworkRequest request(m_url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setTransferTimeout(kTimeoutMs);
    const QByteArray body =
        QJsonDocument(toOtlp(batch, u"tertulia-server"_s, m_serviceVersion)).toJson(QJsonDocument::Compact);
    QNetworkReply *reply = m_network->post(request, body);
    m_inFlight = true;
    const int count = int(batch.size());
    connect(reply, &QNetworkReply::finished, this, [this, reply, count] { onFinished(reply, count); });
}

void OtlpExporter::onFinished(QNetworkReply *reply, int traces)
{
    reply->deleteLater();
    m_inFlight = false;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const bool ok = reply->error() == QNetworkReply::NoError && status >= 200 && status < 300;
    if (ok) {
        m_exported += quint64(traces);
    } else {
        m_failed += quint64(traces);
        // Said once per failed batch, never per trace: a collector that is down must not flood the log.
        qCWarning(lcTrace).noquote() << "the collector at" << m_url.toString() << "did not take" << traces
                                           << "traces:" << (status ? u"HTTP %1"_s.arg(status) : reply->errorString());
    }
    Q_EMIT batchFinished(ok, traces);
    // Outside this slot: a batch waiting may be sent at once.
    QTimer::singleShot(0, this, &OtlpExporter::sendNext);
}

} // namespace Tertulia::Trace
