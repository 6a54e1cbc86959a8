#include "server/session/websockettransport.h"

#include "server/core/serverconfig.h"
#include "server/websocket/websocketconnection.h"

namespace Tertulia {

using namespace Protocol;

WebSocketTransport::WebSocketTransport(WebSocket::Connection *connection, const QString &bearerToken,
                                       Metrics &metrics, QObject *parent)
    : NativeWebSocketTransport(metrics, parent), m_connection(connection), m_bearer(bearerToken)
{
    m_connection->setParent(this);
    using WebSocket::Connection;
    connect(m_connection, &Connection::textMessageReceived, this, &WebSocketTransport::receivedText);
    connect(m_connection, &Connection::binaryMessageReceived, this, &WebSocketTransport::receivedBinary);
    connect(m_connection, &Connection::pingReceived, this, &WebSocketTransport::receivedPing);
    connect(m_connection, &Connection::pongReceived, this, &WebSocketTransport::receivedPong);
    connect(m_connection, &Connection::disconnected, this, &WebSocketTransport::ended);
}

WebSocketTransport::~WebSocketTransport() = default;

WebSocket::Connection *WebSocketTransport::makeConnection(QTcpSocket *socket, const ServerLimits &limits)
{
    WebSocket::Connection::Options options;
    options.maxMessageBytes = limits.maxFrameBytes;
    options.messageTimeoutMs = limits.messageTimeoutMs;
    return new WebSocket::Connection(socket, options);
}

void WebSocketTransport::start(const Http::Request &request, const QByteArray &handshakeResponse)
{
    m_connection->start(request, handshakeResponse);
}

void WebSocketTransport::sendReply(const Reply &reply)
{
    const QByteArray frame = replyFrame(reply);
    m_connection->sendFrame(frame);
    countSent(frame.size());
}

void WebSocketTransport::sendOk(const QString &id, const RoomResult &result)
{
    const QByteArray frame = okFrame(id, result);
    m_connection->sendFrame(frame);
    countSent(frame.size());
}

void WebSocketTransport::sendEvent(const OutboundEvent &event)
{
    const QByteArray &frame = eventFrame(event);
    m_connection->sendFrame(frame);
    countSent(frame.size());
}

void WebSocketTransport::close(CloseCode code, const QString &reason)
{
    m_connection->close(quint16(code), reason.toUtf8());
}

void WebSocketTransport::abort() { m_connection->abort(); }

qint64 WebSocketTransport::bytesQueued() const { return m_connection->bytesQueued(); }

void WebSocketTransport::flush() { m_connection->flush(); }

QString WebSocketTransport::peerAddress() const { return m_connection->peerAddress(); }

void WebSocketTransport::ping() { m_connection->ping(pingPayload()); }

} // namespace Tertulia
