#include "server/socketio/engineiosocket.h"

#include "server/http/httpconnection.h"
#include "server/socketio/socketiologging.h"
#include "server/websocket/websocketconnection.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia::EngineIo {

namespace {
Http::Response badRequest()
{
    Http::Response response = Http::Response::text(400, QByteArray(), "application/json");
    response.body = QByteArrayLiteral(R"({"code":3,"message":"Bad request"})");
    return response;
}
} // namespace

Socket::Socket(const QString &sid, Transport transport, const ServerOptions &options, const Http::Request &handshake,
               DeferredQueue &deferred, QObject *parent)
    : QObject(parent), m_sid(sid), m_transport(transport), m_options(options), m_deferred(&deferred),
      m_handshake(handshake)
{
    m_handshake.body.clear();
    m_pingTimer.setSingleShot(true);
    m_pongTimer.setSingleShot(true);
    // The heartbeat deadlines are part of the protocol: coarse timers may fire 5% late (or early).
    m_pingTimer.setTimerType(Qt::PreciseTimer);
    m_pongTimer.setTimerType(Qt::PreciseTimer);
    m_upgradeTimer.setSingleShot(true);
    m_closeTimer.setSingleShot(true);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_pingTimer, &QTimer::timeout, this, &Socket::onPingTimer);
    connect(&m_pongTimer, &QTimer::timeout, this, [this] { shutdown(CloseReason::PingTimeout); });
    connect(&m_upgradeTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcEngineIo) << "sid" << m_sid << "upgrade not completed in time";
        endProbe();
    });
    connect(&m_closeTimer, &QTimer::timeout, this, &Socket::finish);
    m_noopTimer.setSingleShot(true);
    m_noopTimer.setInterval(100);
    connect(&m_noopTimer, &QTimer::timeout, this, [this] {
        if (m_poll.isPending() && m_queue.isEmpty())
            respondToPoll({Packet::of(PacketType::Noop)});
    });
    // Polling: packets written in one event-loop turn go out in one response.
    connect(&m_flushTimer, &QTimer::timeout, this, &Socket::flush);
}

Socket::~Socket()
{
    // Sockets still attached go with the session; retire() has moved the closing ones to the server.
    if (m_socket)
        m_socket->abort();
    if (m_probe)
        m_probe->abort();
}

QString Socket::describe(CloseReason reason)
{
    switch (reason) {
    case CloseReason::TransportClose: return u"transport close"_s;
    case CloseReason::TransportError: return u"transport error"_s;
    case CloseReason::PingTimeout: return u"ping timeout"_s;
    case CloseReason::ParseError: return u"parse error"_s;
    case CloseReason::ClientClose: return u"client close"_s;
    case CloseReason::ServerClose: return u"forced close"_s;
    case CloseReason::Aborted: return u"aborted"_s;
    }
    return {};
}

void Socket::start()
{
    QJsonObject open{{u"sid"_s, m_sid},
                     {u"upgrades"_s, m_transport == Transport::Polling && m_options.allowWebSocket
                                          ? QJsonArray{u"websocket"_s}
                                          : QJsonArray()},
                     {u"pingInterval"_s, m_options.pingIntervalMs},
                     {u"pingTimeout"_s, m_options.pingTimeoutMs},
                     {u"maxPayload"_s, double(m_options.maxPayload)}};
    m_queue.append(Packet::of(PacketType::Open, QString::fromUtf8(QJsonDocument(open).toJson(QJsonDocument::Compact))));
    m_queuedWeight += m_queue.last().weight();
    schedulePing();
}

void Socket::schedulePing()
{
    m_pingScheduled.start();
    m_pingTimer.start(m_options.pingIntervalMs);
}

void Socket::applyOverdueDeadline()
{
    // A busy loop runs timers late: a ping that is due goes now (its pong deadline counts from when it was
    // due), and a pong deadline that has passed ends the session, before this request is served.
    if (m_pingTimer.isActive() && m_pingTimer.remainingTime() == 0) {
        m_pingTimer.stop();
        onPingTimer();
    }
    if (m_pongTimer.isActive() && m_pongTimer.remainingTime() == 0)
        shutdown(CloseReason::PingTimeout);
}

void Socket::send(const QString &text) { enqueue(Packet::message(text)); }

void Socket::sendBinary(const QByteArray &bytes) { enqueue(Packet::binaryMessage(bytes)); }

void Socket::close() { shutdown(CloseReason::ServerClose); }

void Socket::abort() { shutdown(CloseReason::Aborted); }

qint64 Socket::bytesQueued() const
{
    const qint64 socketBytes = m_socket ? m_socket->bytesQueued() : 0;
    return m_queuedWeight + socketBytes;
}

void Socket::flushNetwork()
{
    if (m_socket)
        m_socket->flush();
}

void Socket::enqueue(const Packet &packet)
{
    if (m_state != State::Open)
        return;
    m_queue.append(packet);
    m_queuedWeight += packet.weight();
    if (m_transport == Transport::WebSocket)
        flush();
    else if (m_poll.isPending() && !m_flushTimer.isActive())
        m_flushTimer.start();
}

void Socket::flush()
{
    if (m_queue.isEmpty())
        return;
    if (m_transport == Transport::WebSocket) {
        if (!m_socket)
            return;
        for (const Packet &packet : std::as_const(m_queue)) {
            if (packet.isBinary)
                m_socket->sendBinary(packet.binary);
            else
                m_socket->sendText(encodeText(packet).toUtf8());
        }
        m_queue.clear();
        m_queuedWeight = 0;
        return;
    }
    if (m_poll.isPending())
        respondToPoll(std::exchange(m_queue, {}));
}

Http::Response Socket::pollResponse(const QByteArray &body, const QByteArray &contentType) const
{
    Http::Response response = Http::Response::text(200, body, contentType);
    response.setHeader("Cache-Control", "no-store");
    addCorsHeaders(m_options, m_pollRequest, response);
    return response;
}

void Socket::respondToPoll(const QList<Packet> &packets)
{
    m_flushTimer.stop();
    m_noopTimer.stop();
    QObject::disconnect(m_pollWatch);
    const Http::Responder poll = std::exchange(m_poll, {});
    m_queuedWeight = 0;
    for (const Packet &packet : m_queue)
        m_queuedWeight += packet.weight();
    poll.send(pollResponse(encodePayload(packets), "text/plain; charset=UTF-8"));
}

void Socket::handlePoll(const Http::Request &request, const Http::Responder &responder)
{
    if (m_poll.isPending()) {
        // One GET at a time: a second one is a broken client; the reference server ends the session
        // (the first GET receives the close packet).
        qCDebug(lcEngineIo) << "sid" << m_sid << "overlapping poll requests";
        Http::Response refusal = badRequest();
        addCorsHeaders(m_options, request, refusal);
        responder.send(refusal);
        shutdown(CloseReason::TransportError);
        return;
    }
    m_poll = responder;
    m_pollRequest = request;
    m_pollRequest.body.clear();
    if (Http::Connection *connection = responder.connection()) {
        m_pollWatch = connect(connection, &Http::Connection::closed, this, [this] {
            // The client gave up the long poll (closed its connection): the session is gone with it.
            QObject::disconnect(m_pollWatch);
            m_poll = {};
            shutdown(CloseReason::TransportError);
        });
    }
    if (m_state == State::Closing) {
        // A server close in progress: what was queued first, the close packet with the poll after (shutdown()).
        if (!m_queue.isEmpty()) {
            respondToPoll(std::exchange(m_queue, {}));
            return;
        }
        respondToPoll({Packet::of(PacketType::Close)});
        finish();
        return;
    }
    if (!m_queue.isEmpty())
        flush();
    else if (m_probed)
        m_noopTimer.start(); // a poll during the upgrade: a noop soon, unless the upgrade completes first
}

void Socket::handlePost(const Http::Request &request, const Http::Responder &responder)
{
    auto answer = [&](int status, const QByteArray &body) {
        Http::Response response = status == 200 ? Http::Response::text(200, body, "text/html") : badRequest();
        response.setHeader("Cache-Control", "no-store");
        addCorsHeaders(m_options, request, response);
        responder.send(response);
    };
    if (request.header("content-type").startsWith("application/octet-stream")) {
        // Protocol v4 sends binary inside text payloads (base64); raw bytes are a broken client.
        answer(400, {});
        shutdown(CloseReason::TransportError);
        return;
    }
    if (m_state != State::Open) {
        answer(200, "ok");
        return;
    }
    auto decoded = decodePayload(request.body);
    if (auto *error = std::get_if<DecodeError>(&decoded)) {
        qCDebug(lcEngineIo) << "sid" << m_sid << "malformed payload:" << EngineIo::describe(*error);
        answer(400, {});
        shutdown(CloseReason::ParseError);
        return;
    }
    for (const Packet &packet : std::get<QList<Packet>>(decoded)) {
        if (m_state != State::Open)
            break;
        handlePacket(packet);
    }
    answer(200, "ok");
}

void Socket::handlePacket(const Packet &packet)
{
    if (m_state != State::Open)
        return;
    Q_EMIT packetReceived();
    if (m_pongTimer.isActive() && !m_pongTimeoutRefreshed && packet.type != PacketType::Pong) {
        // As the reference server: traffic while a pong is due proves life once more.
        m_pongTimer.start(m_options.pingTimeoutMs);
        m_pongTimeoutRefreshed = true;
    }
    switch (packet.type) {
    case PacketType::Ping:
        // Protocol v4: the server pings, never the client.
        shutdown(CloseReason::TransportError);
        return;
    case PacketType::Pong:
        if (m_pongTimer.isActive()) {
            m_pongTimer.stop();
            Q_EMIT pong(m_pingSent.elapsed());
            schedulePing();
        }
        return;
    case PacketType::Message:
        if (packet.isBinary)
            Q_EMIT binaryMessage(packet.binary);
        else
            Q_EMIT textMessage(packet.text);
        return;
    case PacketType::Close:
        shutdown(CloseReason::ClientClose);
        return;
    case PacketType::Open:
    case PacketType::Upgrade:
    case PacketType::Noop:
        return; // meaningless here; the reference server ignores them too
    }
}

void Socket::onPingTimer()
{
    if (m_state != State::Open)
        return;
    m_pongTimeoutRefreshed = false;
    m_pingSent.start();
    // The pong is due pingTimeout after the ping was due, not after this timer ran: a loaded loop must not
    // give a silent client more than the interval + timeout the open packet announced (the official suite
    // polls at exactly that moment and expects the session gone).
    const qint64 late = std::max<qint64>(0, m_pingScheduled.elapsed() - m_options.pingIntervalMs);
    m_pongTimer.start(int(std::max<qint64>(0, m_options.pingTimeoutMs - late)));
    enqueue(Packet::of(PacketType::Ping));
}

void Socket::attachWebSocket(WebSocket::Connection *socket)
{
    socket->setParent(this);
    m_socket = socket;
    m_transport = Transport::WebSocket;
    connect(socket, &WebSocket::Connection::textMessageReceived, this, [this](const QByteArray &utf8) {
        auto decoded = decodeText(QString::fromUtf8(utf8));
        if (auto *error = std::get_if<DecodeError>(&decoded)) {
            qCDebug(lcEngineIo) << "sid" << m_sid << "malformed packet:" << EngineIo::describe(*error);
            shutdown(CloseReason::ParseError);
            return;
        }
        handlePacket(std::get<Packet>(decoded));
    });
    connect(socket, &WebSocket::Connection::binaryMessageReceived, this,
            [this](const QByteArray &bytes) { handlePacket(Packet::binaryMessage(bytes)); });
    connect(socket, &WebSocket::Connection::disconnected, this, [this] {
        if (m_state == State::Open)
            shutdown(CloseReason::TransportClose);
    });
    flush();
}

bool Socket::canProbe() const
{
    return m_state == State::Open && m_transport == Transport::Polling && !m_probe && m_options.allowWebSocket;
}

void Socket::probe(WebSocket::Connection *socket)
{
    if (!canProbe()) {
        // 101 and then a close frame without a code: what the reference server's websocket.close() sends.
        retire(socket, WebSocket::CloseStatus::NoStatus);
        return;
    }
    socket->setParent(this);
    m_probe = socket;
    m_upgradeTimer.start(m_options.upgradeTimeoutMs);
    connect(socket, &WebSocket::Connection::textMessageReceived, this, [this](const QByteArray &utf8) {
        auto decoded = decodeText(QString::fromUtf8(utf8));
        const Packet *packet = std::get_if<Packet>(&decoded);
        if (packet && packet->type == PacketType::Ping && packet->text == u"probe") {
            m_probe->sendText(encodeText(Packet::of(PacketType::Pong, u"probe"_s)).toUtf8());
            m_probed = true;
            // The client waits for its pending poll to return before it sends "5": end it shortly (as the
            // reference server's 100 ms check does; a "5" racing ahead of it wins).
            if (m_poll.isPending() && m_queue.isEmpty())
                m_noopTimer.start();
        } else if (packet && packet->type == PacketType::Upgrade) {
            completeUpgrade();
        } else {
            endProbe(); // anything else on a probe: give up the upgrade, keep polling
        }
    });
    connect(socket, &WebSocket::Connection::binaryMessageReceived, this, [this](const QByteArray &) { endProbe(); });
    connect(socket, &WebSocket::Connection::disconnected, this, [this] { endProbe(); });
}

void Socket::completeUpgrade()
{
    m_upgradeTimer.stop();
    WebSocket::Connection *socket = m_probe;
    m_probe = nullptr;
    m_probed = false;
    socket->disconnect(this);
    m_noopTimer.stop();
    if (m_poll.isPending()) {
        // A conforming client has no poll pending when it sends "5" (the probe's noop ended it); one that
        // races a poll against its upgrade gets what any poll after the upgrade gets.
        QObject::disconnect(m_pollWatch);
        Http::Response refusal = badRequest();
        addCorsHeaders(m_options, m_pollRequest, refusal);
        std::exchange(m_poll, {}).send(refusal);
    }
    qCDebug(lcEngineIo) << "sid" << m_sid << "upgraded to websocket";
    attachWebSocket(socket);
    Q_EMIT upgraded();
}

void Socket::endProbe()
{
    m_upgradeTimer.stop();
    m_noopTimer.stop(); // a poll held for the upgrade is an ordinary long poll again
    m_probed = false;
    if (WebSocket::Connection *socket = m_probe) {
        m_probe = nullptr;
        retire(socket, WebSocket::CloseStatus::Normal);
    }
}

void Socket::retire(WebSocket::Connection *socket, quint16 code)
{
    // The connection outlives this session while its close handshake runs (its own deadline cuts a peer
    // that does not answer); the server owns it meanwhile.
    socket->disconnect(this);
    socket->setParent(parent());
    const QPointer<DeferredQueue> deferred = m_deferred;
    if (socket->state() == WebSocket::Connection::State::Closed) {
        DeferredQueue::deleteLater(deferred, socket);
        return;
    }
    connect(socket, &WebSocket::Connection::disconnected, socket,
            [deferred, socket] { DeferredQueue::deleteLater(deferred, socket); });
    socket->close(code);
}

void Socket::shutdown(CloseReason reason)
{
    if (m_state != State::Open)
        return;
    qCDebug(lcEngineIo) << "sid" << m_sid << "closing:" << describe(reason);
    m_state = State::Closing;
    m_pingTimer.stop();
    m_pongTimer.stop();
    m_flushTimer.stop();
    endProbe();
    Q_EMIT closed(reason);

    if (m_transport == Transport::WebSocket) {
        m_queue.clear();
        m_queuedWeight = 0;
        if (WebSocket::Connection *socket = m_socket) {
            m_socket = nullptr;
            if (reason == CloseReason::Aborted) {
                socket->disconnect(this);
                socket->abort();
                DeferredQueue::deleteLater(m_deferred, socket);
            } else {
                retire(socket, WebSocket::CloseStatus::Normal);
            }
        }
        finish();
        return;
    }

    // Polling. A client that said "close" gets its pending poll ended with a noop; errors end it with a
    // close packet. An orderly server close delivers what is queued first and the close packet with the next
    // poll, never in the same payload, as the reference server does: the official client hands Socket.IO
    // packets on a tick later, so a close packet beside them ends the connection before it sees them (the
    // `closing` event of a shutdown). A client that does not poll again is let go after closeTimeoutMs.
    if (reason == CloseReason::ClientClose) {
        if (m_poll.isPending())
            respondToPoll({Packet::of(PacketType::Noop)});
        finish();
        return;
    }
    if (reason == CloseReason::ServerClose) {
        if (m_poll.isPending() && !m_queue.isEmpty())
            respondToPoll(std::exchange(m_queue, {}));
        if (m_poll.isPending()) {
            respondToPoll({Packet::of(PacketType::Close)});
            finish();
            return;
        }
        m_closeTimer.start(m_options.closeTimeoutMs); // the next poll gets the rest and the close packet
        return;
    }
    m_queue.clear();
    if (m_poll.isPending())
        respondToPoll({Packet::of(PacketType::Close)});
    finish();
}

void Socket::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_closeTimer.stop();
    m_queue.clear();
    m_queuedWeight = 0;
    QObject::disconnect(m_pollWatch);
    if (m_poll.isPending())
        respondToPoll({Packet::of(PacketType::Close)});
    Q_EMIT finished();
}

} // namespace Tertulia::EngineIo
