#include "server/socketio/chat/socketiotransport.h"

#include "server/metrics/metrics.h"
#include "server/socketio/engineiosocket.h"
#include "server/socketio/socketiologging.h"
#include "server/socketio/socketiosocket.h"
#include "shared/names.h"

#include <QtCore/QJsonDocument>

#include <map>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

namespace {
using L1 = QLatin1StringView;

/// The ack argument: the native reply without its id (the ack id already names the request).
QJsonObject ackBody(const Reply &reply)
{
    if (reply.isOk())
        return QJsonObject{{L1("type"), u"ok"_s}, {L1("data"), reply.data}};
    return QJsonObject{{L1("type"), u"error"_s},
                       {L1("error"), QJsonObject{{L1("code"), errorCodeName(reply.error->code)},
                                                 {L1("message"), reply.error->message}}}};
}
} // namespace

SocketIoTransport::SocketIoTransport(SocketIo::Socket *socket, Metrics &metrics, QObject *parent)
    : SessionTransport(parent), m_socket(socket), m_metrics(metrics)
{
    if (EngineIo::Socket *engine = socket->engine()) {
        m_peer = engine->peerAddress();
        m_deferred = engine->deferred();
        connect(engine, &EngineIo::Socket::packetReceived, this, &SessionTransport::activity);
        connect(engine, &EngineIo::Socket::pong, this, [this](qint64 rttMs) { Q_EMIT pong(quint64(rttMs)); });
    }
    connect(socket, &SocketIo::Socket::eventReceived, this, &SocketIoTransport::onEvent);
    connect(socket, &SocketIo::Socket::disconnected, this, [this](SocketIo::Socket::DisconnectReason reason) {
        // The connection went away without the client leaving the namespace: most likely it comes back in
        // a moment (a reload, a network change), so its presence may wait (PresenceGrace).
        using Reason = SocketIo::Socket::DisconnectReason;
        m_dropped = reason == Reason::TransportClose || reason == Reason::TransportError || reason == Reason::PingTimeout;
        reportClosed();
    });
    connect(socket, &QObject::destroyed, this, &SocketIoTransport::reportClosed);
}

SocketIoTransport::~SocketIoTransport() = default;

SocketIo::Socket *SocketIoTransport::socket() const { return m_socket; }

void SocketIoTransport::reportClosed()
{
    if (m_closedReported)
        return;
    m_closedReported = true;
    // Deferred, as for the native transport: a close can happen inside a send while the caller iterates.
    // Through the Engine.IO server's queue: a posted event per transport made the shutdown O(N^2).
    if (m_deferred)
        m_deferred->post(this, [this] { Q_EMIT closed(); });
    else
        QMetaObject::invokeMethod(this, &SessionTransport::closed, Qt::QueuedConnection);
}

void SocketIoTransport::abandon()
{
    m_socket = nullptr;
    reportClosed();
}

void SocketIoTransport::onEvent(const SocketIo::Event &event)
{
    ++m_metrics.framesIn;
    Q_EMIT activity();
    const QString id = event.ackId ? QString::number(*event.ackId) : u"~"_s + QString::number(++m_unackedRequests);
    const auto type = parseRequestType(event.name);
    if (!type) {
        Q_EMIT malformed(Error{ErrorCode::UnknownType, QStringLiteral("unknown request type '%1'").arg(event.name)}, id);
        return;
    }
    if (!event.attachments.isEmpty()) {
        Q_EMIT malformed(Error{ErrorCode::BadRequest, u"the chat API takes JSON only, no binary arguments"_s}, id);
        return;
    }
    const QJsonValue data = event.args.isEmpty() ? QJsonValue(QJsonObject()) : event.args.first();
    if (!data.isObject() && !data.isNull()) {
        Q_EMIT malformed(Error{ErrorCode::BadRequest, u"the first argument must be the request's data object"_s}, id);
        return;
    }
    Q_EMIT requestReceived(Request{*type, id, data.toObject()});
}

void SocketIoTransport::sendReply(const Reply &reply)
{
    if (!m_socket)
        return;
    if (reply.id == recoveryRequestId()) {
        bool recovered = false;
        if (reply.isOk()) {
            const auto result = ResumeResult::fromJson(reply.data);
            if (const auto *resumed = std::get_if<ResumeResult>(&result)) {
                // A room the user left meanwhile is not missing anything.
                recovered = std::all_of(resumed->rooms.cbegin(), resumed->rooms.cend(), [](const ResumeRoomState &room) {
                    return room.recovered || !room.error.isEmpty();
                });
            }
        }
        Q_EMIT recoveryFinished(recovered);
        return;
    }
    ++m_metrics.framesOut;
    if (reply.id.startsWith(u'~') || reply.id.isEmpty()) {
        // Emitted without an ack callback (or unreadable): only errors are worth telling.
        if (!reply.isOk())
            m_socket->emitEvent(u"error"_s, {ackBody(reply).value(L1("error"))});
        return;
    }
    bool ok = false;
    const qint64 ackId = reply.id.toLongLong(&ok);
    if (ok)
        m_socket->ack(ackId, {ackBody(reply)});
}

void SocketIoTransport::sendEvent(const OutboundEvent &event)
{
    // A connection that is closing takes nothing more: skip the encoding (after a mass drop, every close
    // report announces presence to the others, most of them closing too).
    const EngineIo::Socket *engine = m_socket ? m_socket->engine() : nullptr;
    if (!engine || !engine->isOpen())
        return;
    if (m_recovering) {
        m_held.append(event);
        return;
    }
    emitEvent(event);
}

void SocketIoTransport::emitEvent(const OutboundEvent &event)
{
    // One encoding per event for every Socket.IO recipient: `2["<type>",<data>` without the closing
    // bracket, so each connection can add its own recovery offset.
    QString &shared = event.extraFrame();
    if (shared.isEmpty()) {
        shared = u"2[\""_s + eventTypeName(event.event().type) + u"\","_s
               + QString::fromUtf8(QJsonDocument(event.event().data).toJson(QJsonDocument::Compact));
    }
    ++m_metrics.framesOut;
    if (event.event().type == EventType::Message && m_recovery) {
        const QJsonObject &data = event.event().data;
        const qint64 offset = m_recovery->log.record(Names::canonical(data.value(L1("room")).toString()),
                                                     data.value(L1("seq")).toInteger());
        const QString frame = shared + u",\""_s + QString::number(offset) + u"\"]"_s;
        m_metrics.bytesOut += quint64(frame.size());
        m_socket->sendEncoded(frame);
        return;
    }
    const QString frame = shared + u']';
    m_metrics.bytesOut += quint64(frame.size());
    m_socket->sendEncoded(frame);
}

void SocketIoTransport::recover(const QHash<QString, qint64> &positions)
{
    ResumeParams params;
    for (auto it = positions.cbegin(); it != positions.cend(); ++it)
        params.rooms.insert(it.key(), it.value());
    m_recovering = true;
    Q_EMIT requestReceived(Request::resume(recoveryRequestId(), params));
}

void SocketIoTransport::deliverRecovered()
{
    m_recovering = false;
    // The replay and live messages committed meanwhile can overlap: per room, in seq order, each once.
    QList<OutboundEvent> others;
    std::map<std::pair<QString, qint64>, OutboundEvent> messages;
    for (const OutboundEvent &event : std::exchange(m_held, {})) {
        if (event.event().type != EventType::Message) {
            others.append(event);
            continue;
        }
        const QJsonObject &data = event.event().data;
        messages.try_emplace({Names::canonical(data.value(L1("room")).toString()), data.value(L1("seq")).toInteger()},
                             event);
    }
    for (const OutboundEvent &event : others)
        emitEvent(event);
    for (const auto &[key, event] : messages)
        emitEvent(event);
}

void SocketIoTransport::dropRecovered()
{
    m_recovering = false;
    m_held.clear();
}

void SocketIoTransport::close(CloseCode code, const QString &reason)
{
    if (!m_socket)
        return;
    const bool terminal = isTerminalClose(int(code));
    // The client cannot see a close code: tell it first, then end the connection the way that makes the
    // official client do the right thing (a transport close reconnects by itself, a namespace
    // disconnect does not).
    m_socket->emitEvent(u"closing"_s, {QJsonObject{{L1("code"), int(code)},
                                                    {L1("reason"), reason},
                                                    {L1("reconnect"), !terminal}}});
    if (terminal)
        m_socket->disconnectFromNamespace();
    else
        m_socket->closeConnection();
}

void SocketIoTransport::abort()
{
    if (m_socket)
        m_socket->abortConnection();
}

qint64 SocketIoTransport::bytesQueued() const { return m_socket ? m_socket->bytesQueued() : 0; }

void SocketIoTransport::flush()
{
    if (EngineIo::Socket *engine = m_socket ? m_socket->engine() : nullptr)
        engine->flushNetwork();
}

} // namespace Tertulia
