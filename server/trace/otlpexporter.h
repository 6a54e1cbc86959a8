#pragma once

#include "server/trace/messagetrace.h"

#include <QtCore/QObject>
#include <QtCore/QUrl>

#include <deque>

class QNetworkAccessManager;
class QNetworkReply;

namespace Tertulia::Trace {

/// Sends finished traces to an OpenTelemetry collector: OTLP over HTTP with the JSON encoding, POST
/// <endpoint>/v1/traces. Like the store's group commit, at most one request is in flight and the next batch
/// gathers meanwhile, so a slow collector costs one request at a time, never one per message. The queue is
/// bounded: when the collector cannot keep up, the oldest traces are dropped and counted (a trace is a
/// debugging aid; it must never hold up or grow the chat).
class OtlpExporter : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OtlpExporter)

public:
    static constexpr int kMaxQueued = 4096;
    static constexpr int kMaxBatch = 512;
    static constexpr int kTimeoutMs = 10000;

    /// `endpoint`: the collector's base URL (http:// or https://).
    OtlpExporter(const QUrl &endpoint, const QString &serviceVersion, QObject *parent = nullptr);
    ~OtlpExporter() override;

    void enqueue(MessageTrace trace);

    quint64 exported() const { return m_exported; }  ///< traces the collector accepted
    quint64 failed() const { return m_failed; }      ///< traces in requests that failed
    quint64 dropped() const { return m_dropped; }    ///< traces dropped from a full queue
    /// Whether nothing waits and nothing is in flight.
    bool isIdle() const { return m_queue.empty() && !m_inFlight; }

    /// The URL spans go to.
    static QUrl tracesUrl(const QUrl &endpoint);

Q_SIGNALS:
    /// A request finished; `ok` when the collector answered 2xx.
    void batchFinished(bool ok, int traces);

private:
    void sendNext();
    void onFinished(QNetworkReply *reply, int traces);

    QUrl m_url;
    QString m_serviceVersion;
    QNetworkAccessManager *m_network;
    std::deque<MessageTrace> m_queue;
    bool m_inFlight = false;
    quint64 m_exported = 0;
    quint64 m_failed = 0;
    quint64 m_dropped = 0;
};

} // namespace Tertulia::Trace
