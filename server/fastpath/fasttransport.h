#pragma once

#include "server/fastpath/fastwebsocket.h"
#include "server/websocket/websocketframe.h"
#include "server/session/sessiontransport.h"

namespace Tertulia {

struct Metrics;
struct ServerLimits;

namespace FastPath {
class FlushList;
}

/// The native protocol `tertulia.v1` over a FastWebSocket: the same Session and handlers as
/// WebSocketTransport, on a connection that owns its descriptor (Linux, plain TCP). Events go out as the
/// one frame every fast-path recipient shares (OutboundEvent::wireFrame()); requests are decoded from the
/// message's UTF-8 as received, with no QString in between.
class FastTransport final : public SessionTransport, private FastPath::FastWebSocket::Handler
{
    Q_OBJECT

public:
    /// Takes ownership of the upgraded connection's descriptor.
    FastTransport(int descriptor, const QString &peerAddress, const ServerLimits &limits, Metrics &metrics,
                  FastPath::FlushList &flushList, QObject *parent = nullptr);
    ~FastTransport() override;

    /// Sends the handshake's answer (101), then starts reading: `alreadyRead` (bytes the client sent after its
    /// upgrade request, read before the takeover) are decoded first.
    void start(const QByteArray &handshakeResponse, QByteArray alreadyRead);

    void sendReply(const Protocol::Reply &reply) override;
    void sendEvent(const OutboundEvent &event) override;
    void close(Protocol::CloseCode code, const QString &reason) override;
    void abort() override;
    qint64 bytesQueued() const override;
    void flush() override;
    QString peerAddress() const override { return m_peer; }
    /// Pings carry the sending time, so the pong gives the round trip.
    void ping() override;

    bool droppedWithoutClose() const override { return m_closedEmitted && m_endCode == WebSocket::CloseStatus::Abnormal; }

    const FastPath::FastWebSocket &socket() const { return m_socket; }

private:
    void send(const QByteArray &frame, qsizetype payloadBytes, FastPath::Urgency urgency = FastPath::Urgency::Now);
    void onTextMessage(QByteArray utf8) override;
    void onBinaryMessage(QByteArray bytes) override;
    void onPing(const QByteArray &payload) override;
    void onPong(const QByteArray &payload) override;
    void onDisconnected(quint16 code) override;

    Metrics &m_metrics;
    QString m_peer;
    FastPath::FastWebSocket m_socket;
    bool m_closedEmitted = false;
    quint16 m_endCode = 0; ///< the close code that ended the connection (Abnormal: it dropped)
};

} // namespace Tertulia
