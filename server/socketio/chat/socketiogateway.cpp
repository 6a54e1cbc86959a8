#include "server/socketio/chat/socketiogateway.h"

#include "server/core/serverconfig.h"
#include "server/handlers/authhandler.h"
#include "server/handlers/servercontext.h"
#include "server/metrics/metrics.h"
#include "server/net/connectionadmission.h"
#include "server/rooms/eventbus.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "server/session/session.h"
#include "server/store/store.h"
#include "server/socketio/chat/socketiopid.h"
#include "server/socketio/engineioserver.h"
#include "server/socketio/engineiosocket.h"
#include "server/socketio/randomid.h"
#include "server/socketio/socketiologging.h"
#include "server/socketio/socketioserver.h"
#include "server/socketio/socketiosocket.h"

using namespace Qt::StringLiterals;


namespace Tertulia {

using namespace Protocol;

namespace {
using L1 = QLatin1StringView;

QJsonObject refusalData(ErrorCode code) { return QJsonObject{{L1("code"), errorCodeName(code)}}; }
} // namespace

SocketIoGateway::SocketIoGateway(ServerContext &context, AuthHandler &auth, ConnectionAdmission &admission,
                                 SessionFactory openSession, QObject *parent)
    : QObject(parent), m_context(context), m_auth(auth), m_admission(admission), m_openSession(std::move(openSession))
{
    const ServerLimits &limits = context.config.limits;
    EngineIo::ServerOptions engine;
    engine.pingIntervalMs = limits.pingIntervalMs;
    engine.pingTimeoutMs = std::clamp(limits.idleTimeoutMs - limits.pingIntervalMs, 1000, 20000);
    engine.maxPayload = limits.maxFrameBytes;
    engine.messageTimeoutMs = limits.messageTimeoutMs;
    engine.maxSessions = limits.maxConnections;
    engine.maxSessionsPerPeer = limits.maxConnectionsPerIp;
    // Several nodes: session ids carry the node's id, for load balancers that route polling by it.
    if (context.config.store == StoreKind::Postgres)
        engine.sidTag = context.config.nodeId;
    engine.originAllowed = [this](const QByteArray &, const Http::Request &request) {
        return m_admission.originAllowed(request);
    };
    m_engine = std::make_unique<EngineIo::Server>(engine);
    connect(m_engine.get(), &EngineIo::Server::refused, this, [this](EngineIo::RequestError error) {
        if (error == EngineIo::RequestError::Forbidden)
            ++m_context.metrics.originRefused;
    });
    connect(m_engine.get(), &EngineIo::Server::overloaded, this, [this](bool perPeer) {
        ++(perPeer ? m_context.metrics.connectionsRefusedPerIp : m_context.metrics.connectionsRefusedTotal);
    });
    m_io = std::make_unique<SocketIo::Server>(*m_engine, SocketIo::ServerOptions{limits.authTimeoutMs, 10});
    m_io->addNamespace(u"/"_s, [this](SocketIo::Socket *socket) { onConnect(socket); });

    m_expiry.setInterval(10000);
    connect(&m_expiry, &QTimer::timeout, this, [this] {
        const qint64 now = m_context.clock.nowMs();
        for (auto it = m_parked.begin(); it != m_parked.end();) {
            if (now - (*it)->disconnectedAtMs > m_maxDisconnectionMs)
                it = m_parked.erase(it);
            else
                ++it;
        }
    });
    m_expiry.start();
}

SocketIoGateway::~SocketIoGateway() = default;

void SocketIoGateway::usePositions(EventBus &bus, QByteArray pidKey)
{
    m_bus = &bus;
    m_pids = std::make_unique<SocketIoPid>(std::move(pidKey));
}

int SocketIoGateway::engineSessions() const { return m_engine->sessionCount(); }

void SocketIoGateway::addRoutes(Http::Router &router) { m_engine->addRoutes(router, u"/socket.io/"_s); }

QHash<QString, qint64> SocketIoGateway::roomPositions(const QString &userKey) const
{
    QHash<QString, qint64> positions;
    for (const Room *room : m_context.rooms.roomsOf(userKey))
        positions.insert(room->key(), room->lastSeq());
    return positions;
}

void SocketIoGateway::onConnect(SocketIo::Socket *socket)
{
    const QJsonObject auth = socket->auth();
    const QString token = auth.value(L1("token")).toString();
    if (token.isEmpty()) {
        ++m_context.metrics.authFailures;
        socket->refuse(u"sign in first: connect with auth {\"token\": \"<access token>\"}"_s,
                       refusalData(ErrorCode::NotAuthenticated));
        return;
    }
    auto *transport = new SocketIoTransport(socket, m_context.metrics);
    Session *session = m_openSession(transport);
    // A login another node made is looked up off the event loop: the CONNECT is answered once it is known.
    m_auth.authenticate(*session, token, {},
                        [this, guarded = QPointer<SocketIo::Socket>(socket), transport](
                            Session &authenticated, const std::optional<Error> &error) {
                            if (!guarded) // gone meanwhile; the transport reports the close
                                return;
                            if (error) {
                                guarded->refuse(error->message, refusalData(error->code));
                                transport->abandon();
                                return;
                            }
                            onAuthenticated(guarded, transport, &authenticated);
                        });
}

void SocketIoGateway::onAuthenticated(SocketIo::Socket *socket, SocketIoTransport *transport, Session *session)
{
    const QJsonObject auth = socket->auth();
    connect(transport, &SocketIoTransport::ended, this, [this, transport] { park(transport); });
    if (m_pids) {
        connectByPosition(socket, transport, session);
        return;
    }

    // Connection state recovery: the client presents the private id of its previous connection and
    // the offset of the last message it received.
    const QPointer<SocketIo::Socket> guarded(socket);
    std::shared_ptr<Recovery> previous = claim(auth.value(L1("pid")).toString(), session->userKey());
    if (previous) {
        std::optional<qint64> offset;
        bool offsetOk = true;
        if (auth.value(L1("offset")).isString())
            offset = auth.value(L1("offset")).toString().toLongLong(&offsetOk);
        const auto positions = offsetOk ? previous->log.positionsAt(offset) : std::nullopt;
        if (positions) {
            QHash<QString, qint64> byName;
            for (const Room *room : m_context.rooms.roomsOf(session->userKey()))
                byName.insert(room->name(), positions->value(room->key(), room->lastSeq()));
            transport->setRecovery(previous);
            connect(
                transport, &SocketIoTransport::recoveryFinished, this,
                [this, guarded, transport, session, previous](bool recovered) {
                    qCDebug(lcSocketIoChat).noquote() << session->logTag() << "recovery" << (recovered ? "complete" : "has a gap");
                    finishConnect(guarded, transport, session, recovered ? previous : nullptr);
                },
                Qt::SingleShotConnection);
            transport->recover(byName);
            return;
        }
    }
    finishConnect(guarded, transport, session, nullptr);
}

void SocketIoGateway::finishConnect(const QPointer<SocketIo::Socket> &socket, SocketIoTransport *transport,
                                    Session *session, std::shared_ptr<Recovery> recovered)
{
    if (!socket || !socket->engine() || !socket->engine()->isOpen())
        return; // gone while recovering; the transport reports the close
    // `hello` is the first event of every connection, before anything the session was sent meanwhile (its
    // user's and others' presence, recovered messages).
    const auto greet = [this, session, transport] { transport->emitFirst(Event::hello(m_auth.hello(*session))); };
    if (recovered) {
        socket->setId(recovered->socketId);
        m_live.insert(recovered->pid, transport);
        socket->accept(QJsonObject{{L1("pid"), recovered->pid}}, greet);
        transport->deliverRecovered();
    } else {
        transport->dropRecovered();
        auto fresh = std::make_shared<Recovery>();
        fresh->pid = SocketIo::randomId(24);
        fresh->socketId = socket->id();
        fresh->userKey = session->userKey();
        const QHash<QString, qint64> positions = roomPositions(session->userKey());
        for (auto it = positions.cbegin(); it != positions.cend(); ++it)
            fresh->log.setBase(it.key(), it.value());
        transport->setRecovery(fresh);
        m_live.insert(fresh->pid, transport);
        socket->accept(QJsonObject{{L1("pid"), fresh->pid}}, greet);
    }
}

void SocketIoGateway::connectByPosition(SocketIo::Socket *socket, SocketIoTransport *transport, Session *session)
{
    // The session is subscribed to its rooms now: every message it gets from here on is above this position.
    const qint64 start = m_bus->position();
    transport->usePositions([bus = QPointer<EventBus>(m_bus)] { return bus ? bus->position() : 0; });
    const QPointer<SocketIo::Socket> guarded(socket);
    const QJsonObject auth = socket->auth();
    const QString pid = auth.value(L1("pid")).toString();
    const auto claims = m_pids->verify(pid);
    bool offsetOk = false;
    const qint64 offset = auth.value(L1("offset")).toString().toLongLong(&offsetOk);
    if (!claims || claims->userKey != session->userKey() || !offsetOk || offset < 0) {
        finishByPosition(guarded, transport, session, {}, {}, start);
        return;
    }
    // The client came back before its old connection (on this node) was seen gone: that one ends.
    if (const QPointer<SocketIoTransport> live = m_live.take(pid))
        live->abort();
    // Where the client stands in each of its rooms: the last message at or below the offset it received. Read
    // off the event loop; what the session is sent meanwhile waits, as during the replay. An offset above
    // every position the store ever gave was never issued: that answer is nullopt too.
    QList<qint64> roomIds;
    for (const Room *room : m_context.rooms.roomsOf(session->userKey()))
        roomIds.append(room->record().id);
    transport->holdEvents();
    m_context.store.readSeqsAtPosition(
        offset, roomIds, transport,
        [this, guarded, transport, session, pid, socketId = claims->socketId,
         start](const std::optional<QHash<qint64, qint64>> &seqs) {
            if (!seqs) {
                finishByPosition(guarded, transport, session, {}, {}, start);
                return;
            }
            // The session's rooms as they are now: one left meanwhile is not replayed, nor one joined since
            // (not asked about: its events come live).
            QHash<QString, qint64> byName;
            for (const Room *room : m_context.rooms.roomsOf(session->userKey())) {
                if (const auto seq = seqs->constFind(room->record().id); seq != seqs->cend())
                    byName.insert(room->name(), *seq);
            }
            connect(
                transport, &SocketIoTransport::recoveryFinished, this,
                [this, guarded, transport, session, pid, socketId, start](bool recovered) {
                    qCDebug(lcSocketIoChat).noquote()
                        << session->logTag() << "recovery" << (recovered ? "complete" : "has a gap");
                    finishByPosition(guarded, transport, session, recovered ? pid : QString(), socketId, start);
                },
                Qt::SingleShotConnection);
            transport->recover(byName);
        });
}

void SocketIoGateway::finishByPosition(const QPointer<SocketIo::Socket> &socket, SocketIoTransport *transport,
                                       Session *session, const QString &recoveredPid, const QString &recoveredSocketId,
                                       qint64 startPosition)
{
    if (!socket || !socket->engine() || !socket->engine()->isOpen())
        return; // gone while recovering; the transport reports the close
    if (!recoveredPid.isEmpty()) {
        // hello first without an offset (the client's old one holds until the replay's last message).
        socket->setId(recoveredSocketId);
        transport->setPid(recoveredPid);
        m_live.insert(recoveredPid, transport);
        socket->accept(QJsonObject{{L1("pid"), recoveredPid}},
                       [this, session, transport] { transport->emitFirst(Event::hello(m_auth.hello(*session))); });
        transport->deliverRecovered();
        return;
    }
    transport->dropRecovered();
    const QString pid = m_pids->issue({session->userKey(), socket->id()});
    transport->setPid(pid);
    m_live.insert(pid, transport);
    // hello carries the position the connection started from: a client that receives no message before it
    // drops still recovers from there.
    socket->accept(QJsonObject{{L1("pid"), pid}}, [this, session, transport, startPosition] {
        transport->emitFirst(Event::hello(m_auth.hello(*session)), startPosition);
    });
}

std::shared_ptr<SocketIoGateway::Recovery> SocketIoGateway::claim(const QString &pid, const QString &userKey)
{
    if (pid.isEmpty())
        return nullptr;
    if (const QPointer<SocketIoTransport> live = m_live.value(pid)) {
        // The client reconnected before its old connection was noticed gone: take the state over.
        if (live->recovery() && live->recovery()->userKey == userKey) {
            std::shared_ptr<Recovery> recovery = live->takeRecovery();
            m_live.remove(pid);
            recovery->log.settle(roomPositions(userKey));
            live->abort();
            return recovery;
        }
        return nullptr;
    }
    const auto it = m_parked.find(pid);
    if (it == m_parked.end() || (*it)->userKey != userKey)
        return nullptr;
    std::shared_ptr<Recovery> recovery = *it;
    m_parked.erase(it);
    if (m_context.clock.nowMs() - recovery->disconnectedAtMs > m_maxDisconnectionMs)
        return nullptr;
    return recovery;
}

void SocketIoGateway::park(SocketIoTransport *transport)
{
    if (m_pids) { // positions mode keeps nothing: only forget the live connection
        if (m_live.value(transport->pid()) == transport)
            m_live.remove(transport->pid());
        return;
    }
    std::shared_ptr<Recovery> recovery = transport->takeRecovery();
    if (!recovery)
        return;
    if (m_live.value(recovery->pid) == transport)
        m_live.remove(recovery->pid);
    recovery->log.settle(roomPositions(recovery->userKey));
    recovery->disconnectedAtMs = m_context.clock.nowMs();
    m_parked.insert(recovery->pid, recovery);
}

} // namespace Tertulia
