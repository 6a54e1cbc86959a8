#pragma once

#include "server/fastpath/fastwebsocket.h"
#include "server/session/nativewebsockettransport.h"

#include <memory>

namespace Tertulia {

class AdmissionTicket;
struct Metrics;
struct ServerLimits;

namespace FastPath {
class FlushList;
}

/// The native protocol `tertulia.v1` over a FastWebSocket: what NativeWebSocketTransport does on the portable
/// path, on a connection that owns its descriptor (Linux, plain TCP). Events go out as the one frame every
/// recipient shares (OutboundEvent::wireFrame()), membership and presence notifications held up to the
/// FlushList's delay.
class FastTransport final : public NativeWebSocketTransport, private FastPath::FastWebSocket::Handler
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
    void sendOk(const QString &id, const Protocol::RoomResult &result) override;
    void sendEvent(const OutboundEvent &event) override;
    void close(Protocol::CloseCode code, const QString &reason) override;
    void abort() override;
    qint64 bytesQueued() const override;
    void flush() override;
    QString peerAddress() const override { return m_peer; }
    QString transportName() const override { return QStringLiteral("fastpath"); }
    /// Pings carry the sending time, so the pong gives the round trip.
    void ping() override;

    const FastPath::FastWebSocket &socket() const { return m_socket; }
    /// Keeps the connection's admission ticket (counted against the caps) for as long as the transport lives.
    void holdTicket(std::unique_ptr<AdmissionTicket> ticket);

private:
    void onTextMessage(QByteArray utf8) override { receivedText(utf8); }
    void onBinaryMessage(QByteArray) override { receivedBinary(); }
    void onPing(const QByteArray &) override { receivedPing(); }
    void onPong(const QByteArray &payload) override { receivedPong(payload); }
    void onDisconnected(quint16 code) override { ended(code); }

    QString m_peer;
    FastPath::FastWebSocket m_socket;
    std::unique_ptr<AdmissionTicket> m_ticket;
};

} // namespace Tertulia
