#pragma once

#include "server/session/sessiontransport.h"

class QWebSocket;

namespace Tertulia {

struct Metrics;
struct ServerLimits;

/// The native protocol `tertulia.v1` over one accepted QWebSocket: JSON text frames, size limits, pings.
class WebSocketTransport final : public SessionTransport
{
    Q_OBJECT

public:
    /// Takes ownership of the socket.
    WebSocketTransport(QWebSocket *socket, const ServerLimits &limits, Metrics &metrics, QObject *parent = nullptr);

    void sendReply(const Protocol::Reply &reply) override;
    void sendEvent(const OutboundEvent &event) override;
    void close(Protocol::CloseCode code, const QString &reason) override;
    void abort() override;
    qint64 bytesQueued() const override;
    void flush() override;
    QString peerAddress() const override;
    QString bearerToken() const override;
    void ping() override;

private:
    void sendText(const QString &frame);
    void onTextMessage(const QString &message);

    QWebSocket *m_socket;
    Metrics &m_metrics;
    bool m_closedEmitted = false;
};

} // namespace Tertulia
