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

QString SocketIoTransport::transportName() const
{
    const EngineIo::Socket *engine = m_socket ? m_socket->engine() : nullptr;
    if (!engine)
        return u"closed"_s;
    return engine->transport() == EngineIo::Socket::Transport::Polling ? u"polling"_s : u"websocket"_s;
}

SocketIoTransport::SocketIoTransport(SocketIo::Socket *socket, Metrics &metrics, QObject *parent)
    : SessionTransport(parent), m_socket(socket), m_metrics(metrics)
{
    if (EngineIo::Socket *engine = socket->engine()) {
        m_peer = engine->peerAddress();
        m_deferred = engine->deferred();
        connect(engine, &EngineIo::Socket::packetReceived, this, [this] { reportActivity(); });
        connect(engine, &EngineIo::Socket::pong, this, [this](qint64 rttMs) { reportPong(quint64(rttMs)); });
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
        m_deferred->post(this, [this] { reportEnded(); });
    else
        QMetaObject::invokeMethod(this, [this] { reportEnded(); }, Qt::QueuedConnection);
}

void SocketIoTransport::reportEnded()
{
    reportClosedNow();
    Q_EMIT ended();
}

void SocketIoTransport::abandon()
{
    m_socket = nullptr;
    reportClosed();
}

void SocketIoTransport::onEvent(const SocketIo::Event &event)
{
    ++m_metrics.framesIn;
    reportActivity();
    const QString id = event.ackId ? QString::number(*event.ackId) : u"~"_s + QString::number(++m_unackedRequests);
    const auto type = parseRequestType(event.name);
    if (!type) {
        reportMalformed(Error{ErrorCode::UnknownType, QStringLiteral("unknown request type '%1'").arg(event.name)}, id);
        return;
    }
    if (!event.attachments.isEmpty()) {
        reportMalformed(Error{ErrorCode::BadRequest, u"the chat API takes JSON only, no binary arguments"_s}, id);
        return;
    }
    const QJsonValue data = event.args.isEmpty() ? QJsonValue(QJsonObject()) : event.args.first();
    if (!data.isObject() && !data.isNull()) {
        reportMalformed(Error{ErrorCode::BadRequest, u"the first argument must be the request's data object"_s}, id);
        return;
    }
    // Socket.IO has no envelope: a trace context rides in the data object (docs/socketio.md#tracing).
    QJsonObject object = data.toObject();
    QString traceparent = Protocol::keptTraceparent(object.take(u"traceparent").toString());
    reportRequest(Request{*type, id, std::move(object), std::move(traceparent)});
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
        // Every message handed on up to here was in the store when the replay was read.
        if (m_busPosition)
            m_replayWatermark = m_busPosition();
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
        // Held events count as queued bytes: a recovery the database holds up in a busy room ends in the
        // session's slow-consumer close, not in a list without bound. The native frame is encoded once per
        // event (shared by every recipient), so it is a cheap measure.
        m_heldBytes += event.nativeFrame().size();
        m_held.append(event);
        return;
    }
    if (m_busPosition && event.event().type == EventType::Message && !isNewForClient(event))
        return; // replayed already, or the client had it
    emitEvent(event);
}

bool SocketIoTransport::isNewForClient(const OutboundEvent &event)
{
    // Keyed by the room's name as the server spells it in every event and in recover(): no canonical form
    // to compute per delivery.
    const QJsonObject &data = event.event().data;
    const qint64 seq = data.value(L1("seq")).toInteger();
    qint64 &known = m_clientSeqs[data.value(L1("room")).toString()];
    if (seq <= known)
        return false;
    known = seq;
    return true;
}

void SocketIoTransport::emitEvent(const OutboundEvent &event, std::optional<QString> offset)
{
    // One encoding per event for every Socket.IO recipient: `2["<type>",<data>` without the closing
    // bracket, so each connection can add its own recovery offset.
    QString &shared = event.extraFrame();
    if (shared.isEmpty()) {
        shared = u"2[\""_s + eventTypeName(event.event().type) + u"\","_s
               + QString::fromUtf8(QJsonDocument(event.event().data).toJson(QJsonDocument::Compact));
    }
    ++m_metrics.framesOut;
    // A `message` carries its recovery offset: its global position (several nodes), or the next offset
    // of this connection's log. An explicit offset wins; an empty one means none.
    if (!offset && event.event().type == EventType::Message) {
        if (m_busPosition) {
            if (event.position() > 0)
                offset = QString::number(event.position());
        } else if (m_recovery) {
            const QJsonObject &data = event.event().data;
            offset = QString::number(m_recovery->log.record(Names::canonical(data.value(L1("room")).toString()),
                                                            data.value(L1("seq")).toInteger()));
        }
    }
    const QString frame = offset && !offset->isEmpty() ? shared + u",\""_s + *offset + u"\"]"_s : shared + u']';
    m_metrics.bytesOut += quint64(frame.size());
    m_socket->sendEncoded(frame);
}

void SocketIoTransport::recover(const QHash<QString, qint64> &positions)
{
    ResumeParams params;
    for (auto it = positions.cbegin(); it != positions.cend(); ++it) {
        params.rooms.insert(it.key(), it.value());
        if (m_busPosition)
            m_clientSeqs.insert(it.key(), it.value());
    }
    m_recovering = true;
    reportRequest(Request::resume(recoveryRequestId(), params));
}

void SocketIoTransport::deliverRecovered()
{
    m_recovering = false;
    m_heldBytes = 0;
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
    if (!m_busPosition) {
        for (const auto &[key, event] : messages)
            emitEvent(event);
        return;
    }
    // Positions mode: replayed messages have no position of their own. They go without offsets, and the
    // last one carries the point up to which the client now has everything: what the replay covered, and
    // every live message held meanwhile (the client's old offset stays good until then).
    QList<const OutboundEvent *> fresh;
    qint64 upTo = m_replayWatermark;
    for (const auto &[key, event] : messages) {
        if (!isNewForClient(event))
            continue;
        fresh.append(&event);
        upTo = std::max(upTo, event.position());
    }
    for (qsizetype i = 0; i < fresh.size(); ++i)
        emitEvent(*fresh.at(i), i + 1 == fresh.size() ? QString::number(upTo) : QString());
}

void SocketIoTransport::dropRecovered()
{
    m_recovering = false;
    m_held.clear();
    m_heldBytes = 0;
    m_clientSeqs.clear(); // a fresh start: the client resyncs by itself
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

qint64 SocketIoTransport::bytesQueued() const { return (m_socket ? m_socket->bytesQueued() : 0) + m_heldBytes; }

void SocketIoTransport::flush()
{
    if (EngineIo::Socket *engine = m_socket ? m_socket->engine() : nullptr)
        engine->flushNetwork();
}

} // namespace Tertulia
