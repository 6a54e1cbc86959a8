#include "server/socketio/socketioconnection.h"

#include "server/socketio/engineiosocket.h"
#include "server/socketio/randomid.h"
#include "server/socketio/socketiologging.h"
#include "server/socketio/socketioserver.h"

using namespace Qt::StringLiterals;


namespace Tertulia::SocketIo {

namespace {
Socket::DisconnectReason reasonFor(EngineIo::Socket::CloseReason reason)
{
    using Close = EngineIo::Socket::CloseReason;
    switch (reason) {
    case Close::TransportClose:
    case Close::ClientClose: return Socket::DisconnectReason::TransportClose;
    case Close::TransportError: return Socket::DisconnectReason::TransportError;
    case Close::PingTimeout: return Socket::DisconnectReason::PingTimeout;
    case Close::ParseError: return Socket::DisconnectReason::ParseError;
    case Close::ServerClose:
    case Close::Aborted: return Socket::DisconnectReason::ServerClose;
    }
    return Socket::DisconnectReason::TransportClose;
}
} // namespace

Connection::Connection(EngineIo::Socket &engine, Server &server)
    : QObject(&engine), m_engine(engine), m_server(server), m_decoder(server.options().maxAttachments)
{
    connect(&m_engine, &EngineIo::Socket::textMessage, this, &Connection::onText);
    connect(&m_engine, &EngineIo::Socket::binaryMessage, this, &Connection::onBinary);
    connect(&m_engine, &EngineIo::Socket::closed, this,
            [this](EngineIo::Socket::CloseReason reason) { onEngineClosed(int(reason)); });
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcSocketIo) << "sid" << m_engine.id() << "joined no namespace in time; closing";
        m_engine.close();
    });
    m_connectTimer.start(server.options().connectTimeoutMs);
}

Connection::~Connection() = default;

void Connection::write(const QString &text, const QList<QByteArray> &attachments)
{
    m_engine.send(text);
    for (const QByteArray &attachment : attachments)
        m_engine.sendBinary(attachment);
}

void Connection::remove(Socket *socket)
{
    const auto it = m_sockets.constFind(socket->nsp());
    if (it != m_sockets.cend() && it->data() == socket)
        m_sockets.erase(it);
}

void Connection::accepted() { m_connectTimer.stop(); }

void Connection::fail(DecodeError error)
{
    if (m_failed)
        return;
    m_failed = true;
    qCDebug(lcSocketIo) << "sid" << m_engine.id() << "protocol violation:" << describe(error);
    const auto sockets = m_sockets;
    for (const QPointer<Socket> &socket : sockets) {
        if (socket)
            socket->markDisconnected(Socket::DisconnectReason::ParseError);
    }
    m_sockets.clear();
    m_engine.close();
}

void Connection::onText(const QString &text) { onDecoded(m_decoder.addText(text)); }

void Connection::onBinary(const QByteArray &bytes) { onDecoded(m_decoder.addBinary(bytes)); }

void Connection::onDecoded(const Decoder::Result &result)
{
    if (m_failed)
        return;
    if (const auto *error = std::get_if<DecodeError>(&result)) {
        fail(*error);
        return;
    }
    if (const auto &complete = std::get<std::optional<CompletePacket>>(result))
        dispatch(*complete);
}

void Connection::dispatch(const CompletePacket &complete)
{
    const Packet &packet = complete.packet;
    Socket *socket = m_sockets.value(packet.nsp);
    if (packet.type == PacketType::Connect && !socket) {
        if (!m_server.hasNamespace(packet.nsp)) {
            Packet refusal{PacketType::ConnectError, packet.nsp, std::nullopt,
                           QJsonObject{{u"message"_s, u"Invalid namespace"_s}}, 0};
            write(encode(refusal), {});
            return;
        }
        // A random id, not the Engine.IO sid: socket ids are shown to others, sids are secrets.
        auto *created = new Socket(randomId(15), packet.nsp, packet.data.toObject(), *this);
        m_sockets.insert(packet.nsp, created);
        m_server.connectSocket(created);
        return;
    }
    // Anything else needs a connected socket: a second CONNECT, an event before the CONNECT was
    // answered, or a CONNECT_ERROR from a client are protocol violations (the reference server closes).
    if (!socket || !socket->isConnected() || packet.type == PacketType::Connect
        || packet.type == PacketType::ConnectError) {
        fail(DecodeError::InvalidPayload);
        return;
    }
    socket->onPacket(packet, complete.attachments);
}

void Connection::onEngineClosed(int reason)
{
    const auto sockets = std::exchange(m_sockets, {});
    for (const QPointer<Socket> &socket : sockets) {
        if (socket)
            socket->markDisconnected(reasonFor(EngineIo::Socket::CloseReason(reason)));
    }
}

} // namespace Tertulia::SocketIo
