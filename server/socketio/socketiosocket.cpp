#include "server/socketio/socketiosocket.h"

#include "server/socketio/engineiosocket.h"
#include "server/socketio/socketioconnection.h"
#include "server/socketio/socketiologging.h"

using namespace Qt::StringLiterals;

namespace Tertulia::SocketIo {

Socket::Socket(const QString &id, const QString &nsp, const QJsonObject &auth, Connection &connection)
    : QObject(&connection), m_id(id), m_nsp(nsp), m_auth(auth), m_connection(&connection)
{
}

Socket::~Socket() = default;

QString Socket::describe(DisconnectReason reason)
{
    switch (reason) {
    case DisconnectReason::ClientNamespaceDisconnect: return u"client namespace disconnect"_s;
    case DisconnectReason::ServerNamespaceDisconnect: return u"server namespace disconnect"_s;
    case DisconnectReason::TransportClose: return u"transport close"_s;
    case DisconnectReason::TransportError: return u"transport error"_s;
    case DisconnectReason::PingTimeout: return u"ping timeout"_s;
    case DisconnectReason::ParseError: return u"parse error"_s;
    case DisconnectReason::ServerClose: return u"forced server close"_s;
    }
    return {};
}

EngineIo::Socket *Socket::engine() const { return m_connection ? &m_connection->engine() : nullptr; }

void Socket::accept(const QJsonObject &extra, const std::function<void()> &greet)
{
    if (m_state != State::Connecting || !m_connection)
        return;
    QJsonObject reply = extra;
    reply.insert(u"sid"_s, m_id);
    m_state = State::Connected;
    m_connection->accepted();
    m_connection->write(encode(Packet{PacketType::Connect, m_nsp, std::nullopt, reply, 0}), {});
    if (greet)
        greet();
    if (!m_connection)
        return; // the greeting closed the connection
    for (const auto &[text, attachments] : std::exchange(m_beforeAccept, {}))
        m_connection->write(text, attachments);
}

void Socket::refuse(const QString &message, const QJsonValue &data)
{
    if (m_state != State::Connecting || !m_connection)
        return;
    QJsonObject error{{u"message"_s, message}};
    if (!data.isUndefined())
        error.insert(u"data"_s, data);
    m_state = State::Disconnected;
    m_beforeAccept.clear();
    m_connection->write(encode(Packet{PacketType::ConnectError, m_nsp, std::nullopt, error, 0}), {});
    m_connection->remove(this);
    EngineIo::DeferredQueue::deleteLater(engine() ? engine()->deferred() : nullptr, this);
}

void Socket::writeEncoded(const QString &text, const QList<QByteArray> &attachments)
{
    if (!m_connection || m_state == State::Disconnected)
        return;
    if (m_state == State::Connecting)
        m_beforeAccept.append({text, attachments});
    else
        m_connection->write(text, attachments);
}

void Socket::write(const Packet &packet, const QList<QByteArray> &attachments)
{
    Packet out = packet;
    out.nsp = m_nsp;
    if (!attachments.isEmpty()) {
        out.type = out.isAck() ? PacketType::BinaryAck : PacketType::BinaryEvent;
        out.attachments = int(attachments.size());
    }
    writeEncoded(encode(out), attachments);
}

void Socket::emitEvent(const QString &name, const QJsonArray &args, const QList<QByteArray> &attachments)
{
    QJsonArray data = args;
    data.prepend(name);
    write(Packet{PacketType::Event, m_nsp, std::nullopt, data, 0}, attachments);
}

void Socket::emitWithAck(const QString &name, const QJsonArray &args, const QList<QByteArray> &attachments,
                         AckCallback callback)
{
    const qint64 id = m_nextAckId++;
    m_acks.insert(id, std::move(callback));
    QJsonArray data = args;
    data.prepend(name);
    write(Packet{PacketType::Event, m_nsp, id, data, 0}, attachments);
}

void Socket::ack(qint64 id, const QJsonArray &args, const QList<QByteArray> &attachments)
{
    write(Packet{PacketType::Ack, m_nsp, id, args, 0}, attachments);
}

void Socket::sendEncoded(const QString &packet) { writeEncoded(packet, {}); }

void Socket::disconnectFromNamespace()
{
    if (m_state == State::Disconnected || !m_connection)
        return;
    if (m_state == State::Connected)
        m_connection->write(encode(Packet{PacketType::Disconnect, m_nsp, std::nullopt, QJsonValue(QJsonValue::Undefined), 0}), {});
    markDisconnected(DisconnectReason::ServerNamespaceDisconnect);
}

void Socket::closeConnection()
{
    if (m_connection)
        m_connection->engine().close();
}

void Socket::abortConnection()
{
    if (m_connection)
        m_connection->engine().abort();
}

qint64 Socket::bytesQueued() const { return m_connection ? m_connection->engine().bytesQueued() : 0; }

void Socket::onPacket(const Packet &packet, const QList<QByteArray> &attachments)
{
    if (m_state != State::Connected)
        return;
    if (packet.isEvent()) {
        QJsonArray args = packet.data.toArray();
        const QJsonValue name = args.takeAt(0);
        Q_EMIT eventReceived(Event{name.isString() ? name.toString() : QString::number(name.toDouble()), args,
                                   attachments, packet.id});
    } else if (packet.isAck()) {
        if (!packet.id)
            return;
        const AckCallback callback = m_acks.take(*packet.id);
        if (callback)
            callback(AckArguments{packet.data.toArray(), attachments});
    } else if (packet.type == PacketType::Disconnect) {
        markDisconnected(DisconnectReason::ClientNamespaceDisconnect);
    }
}

void Socket::markDisconnected(DisconnectReason reason)
{
    if (m_state == State::Disconnected)
        return;
    m_state = State::Disconnected;
    m_beforeAccept.clear();
    m_acks.clear();
    if (m_connection)
        m_connection->remove(this);
    qCDebug(lcSocketIo).noquote() << "socket" << m_id << "on" << m_nsp << "disconnected:" << describe(reason);
    Q_EMIT disconnected(reason);
    EngineIo::DeferredQueue::deleteLater(engine() ? engine()->deferred() : nullptr, this);
}

} // namespace Tertulia::SocketIo
