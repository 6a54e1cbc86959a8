#include "server/core/chatserver.h"

#include "server/accounts/administrator.h"
#include "server/accounts/profiledirectory.h"
#include "server/api/accountapi.h"
#include "server/api/adminapi.h"
#include "server/api/avatarapi.h"
#include "server/api/fileapi.h"
#include "server/auth/passwordhasher.h"
#include "server/auth/tokenservice.h"
#include "server/cluster/pgnotifybus.h"
#include "server/cluster/redisaddress.h"
#ifdef TERTULIA_HAVE_REDIS
#include "server/cluster/redisbus.h"
#endif
#include "server/handlers/authhandler.h"
#include "server/handlers/servercontext.h"
#include "server/core/servercore.h"
#include "server/core/storeopener.h"
#include "server/http/httpconnection.h"
#include "server/http/httprouter.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/net/connectionadmission.h"
#include "server/net/listener.h"
#include "server/rooms/eventbus.h"
#include "server/rooms/presencetracker.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"
#include "server/trace/otlpexporter.h"
#include "server/trace/tracer.h"
#include "server/session/websockettransport.h"
#include "server/socketio/chat/socketiogateway.h"
#include "server/store/postgresstore.h"
#include "server/web/webpage.h"
#ifdef TERTULIA_HAVE_FAST_PATH
#include "server/fastpath/fasttransport.h"
#include "server/fastpath/flushlist.h"
#include "server/fastpath/sockettakeover.h"
#endif
#include "server/websocket/websocketconnection.h"
#include "server/websocket/websockethandshake.h"
#include "shared/names.h"
#include "shared/version.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QPointer>
#include <QtCore/QUuid>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

#include <sodium.h>

#include <array>
#ifdef TERTULIA_HAVE_FAST_PATH
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;
using Http::Response;

struct ChatServer::Private
{
    MonotonicClock clock;
    Metrics metrics;
    std::unique_ptr<Store> store;
    std::unique_ptr<PasswordHasher> hasher;
    std::unique_ptr<TokenService> tokens;
    std::unique_ptr<EventBus> bus;
    /// Registries, admission, accounts, handlers and their dispatcher (the chat without its network).
    std::unique_ptr<ServerCore> core;
    std::optional<std::chrono::milliseconds> presenceGraceTime; ///< setPresenceGrace(); else the config's
    Http::Router router;
    Http::ConnectionLimits httpLimits;
    std::unique_ptr<AccountApi> api;
    std::unique_ptr<AdminApi> admin;
    std::unique_ptr<FileApi> files;   ///< uploads and downloads (issue 12)
    std::unique_ptr<AvatarApi> avatars; ///< avatar pictures (issue 12)
    std::unique_ptr<SocketIoGateway> socketIo;
    QPointer<Listener> listener;
#ifdef TERTULIA_HAVE_FAST_PATH
    std::unique_ptr<FastPath::FlushList> flushList; ///< the fast path's, for this server's thread
#endif
    qint64 startedMs = 0;
    int lastOnlineUsers = 0;

    Metrics::Gauges gauges() const
    {
        Metrics::Gauges g;
        g.activeConnections = core ? core->sessions().sessionCount() : 0;
        g.authenticatedUsers = core ? core->sessions().userCount() : 0;
        g.rooms = core ? core->rooms().count() : 0;
        g.uptimeSeconds = (clock.nowMs() - startedMs) / 1000;
        g.storeCommits = store ? store->commitCount() : 0;
        g.tcpConnections = core ? core->admission().connections() : 0;
        g.nodeId = bus ? bus->nodeId().toUtf8() : QByteArray();
        g.duplicatesDropped = core ? core->rooms().duplicatesDropped() : 0;
        g.draining = core && core->admission().isDraining();
        if (core) {
            const Trace::Tracer &tracer = core->tracer();
            g.traces.started = tracer.tracesStarted();
            if (const Trace::OtlpExporter *exporter = tracer.exporter())
                g.traces = {tracer.tracesStarted(), exporter->exported(), exporter->failed(), exporter->dropped()};
            g.traces.relayed = tracer.tracesRelayed();
        }
        if (const auto *cluster = qobject_cast<const ClusterBus *>(bus.get())) {
            const ClusterBus::Stats &s = cluster->stats();
            g.bus = Metrics::Gauges::Bus{s.remoteFacts, s.messagesRead, s.catchUps, s.reconnects, cluster->cursor(),
                                         s.lastHeartbeatMs, cluster->isListening(), int(cluster->peers().size()),
                                         std::max<qint64>(0, cluster->knownPosition() - cluster->cursor()), s.nodesLost,
                                         cluster->transportName().toUtf8()};
        }
        return g;
    }
};

ChatServer::ChatServer(const ServerConfig &config, QObject *parent)
    : QObject(parent), m_config(config), d(std::make_unique<Private>())
{
}

ChatServer::~ChatServer() { stop(); }

bool ChatServer::isRunning() const { return d->listener && d->listener->isListening(); }

quint16 ChatServer::port() const { return d->listener ? d->listener->serverPort() : 0; }

QUrl ChatServer::httpUrl() const
{
    QUrl url;
    url.setScheme(m_config.tlsEnabled() ? u"https"_s : u"http"_s);
    QHostAddress host = m_config.address;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    url.setHost(host.toString());
    url.setPort(port());
    url.setPath(u"/"_s);
    return url;
}

QUrl ChatServer::url() const
{
    QUrl url = httpUrl();
    url.setScheme(m_config.tlsEnabled() ? u"wss"_s : u"ws"_s);
    url.setPath(u"/ws"_s);
    return url;
}

int ChatServer::onlineUsers() const { return d->core ? d->core->sessions().userCount() : 0; }

int ChatServer::openSessions() const { return d->core ? d->core->sessions().sessionCount() : 0; }

void ChatServer::setPresenceGrace(std::chrono::milliseconds grace)
{
    d->presenceGraceTime = grace;
    if (d->core)
        d->core->setPresenceGrace(grace);
}

bool ChatServer::start()
{
    if (isRunning())
        return true;
    if (sodium_init() < 0) {
        m_error = u"libsodium could not be initialised"_s;
        return false;
    }
    d->startedMs = d->clock.nowMs();
    if (!QDir().mkpath(m_config.dataDir)) {
        m_error = QStringLiteral("cannot create the data directory %1").arg(m_config.dataDir);
        return false;
    }

    // TLS material first: a bad certificate must fail before anything listens.
    std::optional<QSslConfiguration> tls;
    if (m_config.tlsEnabled()) {
        const QList<QSslCertificate> chain = QSslCertificate::fromPath(m_config.tlsCertFile, QSsl::Pem);
        QFile keyFile(m_config.tlsKeyFile);
        if (chain.isEmpty()) {
            m_error = QStringLiteral("no PEM certificate in %1").arg(m_config.tlsCertFile);
            return false;
        }
        if (!keyFile.open(QIODevice::ReadOnly)) {
            m_error = QStringLiteral("cannot read %1: %2").arg(m_config.tlsKeyFile, keyFile.errorString());
            return false;
        }
        const QByteArray keyPem = keyFile.readAll();
        QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
        if (key.isNull()) {
            m_error = QStringLiteral("no RSA or EC private key in %1").arg(m_config.tlsKeyFile);
            return false;
        }
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificateChain(chain);
        configuration.setPrivateKey(key);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        tls = configuration;
    }

    QString error;
    const QString secretFile = m_config.secretFile.isEmpty() ? m_config.dataDir + u"/secret.key"_s : m_config.secretFile;
    const auto secret = TokenService::loadOrCreateSecret(secretFile, &error);
    if (!secret) {
        m_error = error;
        return false;
    }
    const QString nodeId = m_config.nodeId.isEmpty() ? QUuid::createUuid().toString(QUuid::WithoutBraces) : m_config.nodeId;
    // Long reads run on a reader thread; the variable puts them back on the loop, only to measure the
    // difference (bench/, docs/benchmarks.md "History paging beside live traffic").
    const bool readThread = !qEnvironmentVariableIsSet("TERTULIA_BENCH_STORE_READS_ON_LOOP");
    // Writes (the group commit's included) run on a writer thread; the variable puts them back on the loop,
    // only to measure the difference (bench/run.sh --cluster --parts ceiling, docs/benchmarks.md).
    const bool writeThread = !qEnvironmentVariableIsSet("TERTULIA_BENCH_STORE_WRITES_ON_LOOP");
    std::optional<PostgresAddress> postgres;
    // The Redis bus is checked before anything is opened: a build without it, or an address that is not one,
    // is one clear line.
    std::optional<RedisAddress> redis;
    if (m_config.store == StoreKind::Postgres && m_config.bus == BusKind::Redis) {
#ifdef TERTULIA_HAVE_REDIS
        redis = RedisAddress::fromUrl(m_config.redisUrl, &error);
        if (!redis) {
            m_error = error;
            return false;
        }
#else
        m_error = u"this tertulia-server was built without the Redis bus (hiredis, TERTULIA_WITH_REDIS): "
                  "use --bus postgres"_s;
        return false;
#endif
    }
    if (m_config.store == StoreKind::Postgres) {
        postgres = PostgresAddress::fromUrl(m_config.databaseUrl, &error);
        if (!postgres) {
            m_error = error;
            return false;
        }
    }
    // Several nodes may share the database: with NOTIFY as the bus every batch of messages tells the others
    // when it commits (with Redis as the bus the batches are announced there, and commits take no NOTIFY lock).
    const bool notifies = postgres && m_config.bus == BusKind::Postgres;
    auto opened = openConfiguredStore(m_config, StoreThreads{readThread, writeThread, notifies ? nodeId : QString()});
    if (auto *openError = std::get_if<QString>(&opened)) {
        m_error = *openError;
        return false;
    }
    d->store = std::move(std::get<std::unique_ptr<Store>>(opened));
    d->hasher = std::make_unique<PasswordHasher>(
        PasswordHasher::Cost{quint64(m_config.passwordHashOpsLimit), size_t(m_config.passwordHashMemKiB) * 1024u}, 2);
    d->tokens = std::make_unique<TokenService>(
        TokenService::Options{*secret, m_config.accessTokenTtlSeconds, m_config.refreshTokenTtlSeconds}, *d->store);
    d->tokens->loadLogins();
    ClusterBus *clusterBus = nullptr;
    if (postgres) {
        // The cluster bus reads the global position before the rooms are loaded: whatever commits in between
        // is read again and dropped as a repeat, never missed.
        ClusterBus::Options busOptions;
        busOptions.peerLeaseMs = m_config.limits.nodeLeaseMs;
        std::unique_ptr<ClusterBus> bus;
        if (redis) {
#ifdef TERTULIA_HAVE_REDIS
            bus = std::make_unique<RedisBus>(nodeId, *redis, busOptions, *d->store);
#endif
        } else {
            bus = std::make_unique<PgNotifyBus>(nodeId, *postgres, busOptions, *d->store);
        }
        if (!bus->start(&error)) {
            m_error = error;
            stop();
            return false;
        }
        bus->setMessageAgeObserver([this](qint64 ageMs) { d->metrics.busMessageAge.observe(double(ageMs) / 1000.0); });
        clusterBus = bus.get();
        d->bus = std::move(bus);
    } else {
        d->bus = std::make_unique<LocalBus>(nodeId);
    }
    d->core = std::make_unique<ServerCore>(
        ServerCore::Infrastructure{m_config, *d->store, *d->bus, *d->tokens, *d->hasher, d->metrics, d->clock},
        clusterBus != nullptr);
    if (d->presenceGraceTime)
        d->core->setPresenceGrace(*d->presenceGraceTime);
    if (clusterBus) {
        // After an outage of the bus: rooms and memberships are read again, and every node's presence views
        // are asked for again (as at start). A node that is gone: its users fade after the presence grace
        // unless they are back elsewhere.
        connect(clusterBus, &ClusterBus::resyncNeeded, &d->core->rooms(), &RoomRegistry::resync);
        connect(clusterBus, &ClusterBus::nodeLost, &d->core->presence(), &PresenceTracker::nodeLost);
        connect(clusterBus, &ClusterBus::resyncNeeded, &d->core->presence(), &PresenceTracker::resynchronise);
        // Display names (issue 12) too: a rename heard by nobody during the outage is read back.
        connect(clusterBus, &ClusterBus::resyncNeeded, &d->core->profiles(), &ProfileDirectory::reload);
        d->core->presence().resynchronise();
    }

    auto announceUsers = [this] {
        const int users = d->core->sessions().userCount();
        if (users != d->lastOnlineUsers) {
            d->lastOnlineUsers = users;
            Q_EMIT onlineUsersChanged(users);
        }
    };
    connect(&d->core->sessions(), &SessionRegistry::userOnline, this, announceUsers);
    connect(&d->core->sessions(), &SessionRegistry::swept, this, &ChatServer::housekeepingPassed);
    connect(&d->core->sessions(), &SessionRegistry::userOffline, this, announceUsers);

    // HTTP routes and the WebSocket endpoint, all on one port.
    d->api = std::make_unique<AccountApi>(m_config, *d->store, *d->tokens, *d->hasher, d->core->accounts(), d->metrics,
                                          d->clock, [this] { return d->gauges(); });
    d->api->addRoutes(d->router);
    // The admin API (docs/administration.md): administrators' Bearer tokens only.
    d->admin = std::make_unique<AdminApi>(*d->core, d->metrics, [] { return QDateTime::currentMSecsSinceEpoch(); });
    d->admin->addRoutes(d->router);
    // Files and images (docs/protocol.md#files): Bearer tokens, checked per room like messages.
    d->files = std::make_unique<FileApi>(d->core->context());
    d->files->addRoutes(d->router);
    // Avatar pictures (docs/protocol.md#avatar-pictures): one per account, seen by anyone signed in.
    d->avatars = std::make_unique<AvatarApi>(d->core->context());
    d->avatars->addRoutes(d->router);
    // Socket.IO on /socket.io/ and the guest page on / (docs/socketio.md): same sessions, same handlers.
    d->socketIo = std::make_unique<SocketIoGateway>(d->core->context(), d->core->auth(), d->core->admission(),
                                                    [this](SessionTransport *transport) { return openSession(transport); });
    if (clusterBus)
        d->socketIo->usePositions(*clusterBus, d->tokens->derivedKey("socket.io pid"));
    d->socketIo->addRoutes(d->router);
    if (m_config.webPage)
        Web::addPageRoutes(d->router);
    d->httpLimits.firstRequestTimeoutMs = m_config.limits.handshakeTimeoutMs;
    d->httpLimits.headTimeoutMs = m_config.limits.handshakeTimeoutMs;
    d->httpLimits.bodyTimeoutMs = m_config.limits.bodyTimeoutMs;
    d->httpLimits.minBodyBytesPerSecond = m_config.limits.minBodyBytesPerSecond;

    d->router.addUpgrade(u"/ws"_s, [this](QTcpSocket *socket, const Http::Request &request) -> std::optional<Response> {
        if (const auto refused = d->core->admission().refuseUpgrade(request, UpgradeKind::Native))
            return refused->response();
        if (m_config.fastPathActive())
            return upgradeFast(socket, request);
        return upgradePortable(socket, request);
    });
#ifdef TERTULIA_HAVE_FAST_PATH
    if (m_config.fastPathActive()) {
        d->flushList = std::make_unique<FastPath::FlushList>();
        // Joins, leaves and presence changes reach a room's members up to this much later, several per write:
        // 10 000 clients joining 100 rooms took 2.5 s of system calls without it. Measured (connect phase,
        // 10 000 clients into 100 rooms, 1 000 in flight): 1 770 clients/s sending each at once, 3 580/s
        // holding them up to 100 ms, 4 660/s up to 250 ms (the default).
        d->flushList->setNotificationDelay(std::chrono::milliseconds(m_config.limits.notificationDelayMs));
    }
#endif

    d->listener = new Listener(this);
    d->listener->setAdmission(&d->core->admission());
    if (tls) {
        d->listener->setTlsConfiguration(*tls);
        d->listener->setPlainHttpAllowed(m_config.allowPlainHttp);
    }
#ifdef TERTULIA_HAVE_FAST_PATH
    // Upgrades to /ws whose request is there at accept time skip QTcpSocket and Http::Connection altogether.
    if (m_config.fastPathActive()) {
        d->listener->setFastLane([this](int descriptor, const QString &peer, QByteArrayView bytes,
                                        std::unique_ptr<AdmissionTicket> &ticket) {
            return takeOnFastLane(descriptor, peer, bytes, ticket);
        });
        d->listener->setHeadWait(m_config.limits.handshakeTimeoutMs);
    }
#endif
    d->listener->setTlsHandshakeTimeout(m_config.limits.handshakeTimeoutMs);
    connect(d->listener, &Listener::accepted, this, &ChatServer::onAccepted);
    if (!d->listener->listen(m_config.address, m_config.port)) {
        m_error = QStringLiteral("cannot listen on %1:%2: %3")
                      .arg(m_config.address.toString())
                      .arg(m_config.port)
                      .arg(d->listener->errorString());
        stop();
        return false;
    }
    qCInfo(lcServer).noquote() << "listening on" << httpUrl().toString() << "and" << url().toString()
                               << "data in" << m_config.dataDir;
    return true;
}

void ChatServer::drain()
{
    if (!d->core || d->core->admission().isDraining())
        return;
    qCInfo(lcServer) << "draining: refusing new connections, /healthz answers 503";
    d->core->admission().setDraining(true);
}

bool ChatServer::isDraining() const { return d->core && d->core->admission().isDraining(); }

void ChatServer::stop()
{
    // Stop taking new connections first, then say goodbye to the open ones.
    if (d->listener) {
        d->listener->close();
        delete d->listener;
    }
    if (d->core) {
        for (Session *session : d->core->sessions().all())
            session->closeWith(CloseCode::GoingAway, u"the server is shutting down"_s);
    }
    if (d->store)
        d->store->flush();
    if (d->hasher)
        d->hasher->waitForDone();
    // Sessions and HTTP connections are children of this object; delete them before what they refer to.
    const auto children = findChildren<QObject *>(QString(), Qt::FindDirectChildrenOnly);
    for (QObject *child : children)
        delete child;
    d->socketIo.reset();
    d->api.reset();
    d->admin.reset();
    d->files.reset();
    d->avatars.reset();
    d->core.reset(); // after everything that held an admission ticket or a session
    d->bus.reset();
    d->tokens.reset();
    d->hasher.reset();
    if (d->store)
        d->store->close();
    d->store.reset();
    d->router = Http::Router();
#ifdef TERTULIA_HAVE_FAST_PATH
    d->flushList.reset();
#endif
}

void ChatServer::onAccepted(QTcpSocket *socket)
{
    // The Listener asked admission when it accepted the connection; the socket holds the ticket
    // (AdmissionTicketHolder), so the count lasts until the socket object goes, whether it stays HTTP or
    // becomes a WebSocket (the fast path moves the ticket to its transport: upgradeFast()).
    AdmissionTicket *ticket = AdmissionTicketHolder::of(socket);
    if (!ticket) {
        AdmissionTicketHolder::attach(socket, d->core->admission().admit(socket->peerAddress().toString()));
        ticket = AdmissionTicketHolder::of(socket);
    }
    std::optional<Response> refusal;
    if (const std::optional<AdmissionRefusal> &refused = ticket->refusal())
        refusal = refused->response();
    new Http::Connection(socket, d->router, d->httpLimits, refusal, this);
}

std::optional<Response> ChatServer::upgradePortable(QTcpSocket *socket, const Http::Request &request)
{
    // Origin and subprotocol are checked by the caller; the rest of the handshake is ours, answered at once
    // (the head arrived within the HTTP layer's deadline, so the handshake needs no deadline of its own).
    auto handshake = WebSocket::acceptHandshake(request, kSubprotocol);
    if (auto *refusal = std::get_if<Response>(&handshake))
        return *refusal;
    // The socket becomes the connection's child, and its admission ticket with it: the connection stays
    // counted under the caps until the socket object goes, after the close handshake.
    auto *transport = new WebSocketTransport(WebSocketTransport::makeConnection(socket, m_config.limits),
                                             ConnectionAdmission::bearerToken(request), d->metrics);
    transport->start(request, std::get<QByteArray>(handshake));
    openNativeSession(transport, transport->bearerToken());
    return std::nullopt;
}

void ChatServer::openNativeSession(SessionTransport *transport, const QString &bearerToken)
{
    Session *session = openSession(transport);
    if (!bearerToken.isEmpty()) {
        AuthHandler &auth = d->core->auth();
        const auto greet = [&auth, session] { session->sendEvent(OutboundEvent::hello(auth.hello(*session))); };
        auth.authenticate(*session, bearerToken, greet, [](Session &asker, const std::optional<Error> &error) {
            if (error)
                asker.closeWith(AuthHandler::closeCodeFor(*error), error->message);
        });
    }
}

#ifdef TERTULIA_HAVE_FAST_PATH
bool ChatServer::takeOnFastLane(int descriptor, const QString &peer, QByteArrayView bytes,
                                std::unique_ptr<AdmissionTicket> &ticket)
{
    // Only an upgrade to /ws that will succeed: anything to refuse or to serve otherwise goes the usual way
    // (Http::Connection and the router), which answers it with the right status and counts it.
    auto parsed = Http::parseRequestHead(bytes, Listener::kMaxPeekBytes);
    auto *head = std::get_if<Http::ParsedHead>(&parsed);
    if (!head)
        return false;
    Http::Request &request = head->request;
    request.peerAddress = peer;
    if (!request.isWebSocketUpgrade() || request.path != u"/ws")
        return false;
    // The same checks as the usual way (admission was asked when the connection was accepted); a refusal is
    // left to it, which answers and counts it.
    if (!ticket || !ticket->isAdmitted() || d->core->admission().upgradeRefusal(request, UpgradeKind::Native))
        return false;
    auto handshake = WebSocket::acceptHandshake(request, kSubprotocol);
    if (!std::holds_alternative<QByteArray>(handshake))
        return false;
    // What was peeked is in the kernel's buffer: read it for real. The head goes; the rest is the client's
    // first frames.
    QByteArray input(bytes.size(), Qt::Uninitialized);
    ssize_t received;
    do {
        received = ::recv(descriptor, input.data(), std::size_t(input.size()), MSG_DONTWAIT);
    } while (received < 0 && errno == EINTR);
    if (received != input.size()) {
        ::close(descriptor); // cannot happen with the bytes peeked just now; nothing to answer on
        return true;
    }
    input.remove(0, head->headLength);
    openFastSession(descriptor, request, std::get<QByteArray>(handshake), std::move(input), std::move(ticket));
    return true;
}

void ChatServer::openFastSession(int descriptor, const Http::Request &request, const QByteArray &handshake,
                                 QByteArray alreadyRead, std::unique_ptr<AdmissionTicket> ticket)
{
    auto *transport = new FastTransport(descriptor, request.peerAddress, m_config.limits, d->metrics, *d->flushList);
    transport->holdTicket(std::move(ticket)); // counted for as long as the transport lives
    transport->start(handshake, std::move(alreadyRead));
    openNativeSession(transport, ConnectionAdmission::bearerToken(request));
}
#endif

std::optional<Response> ChatServer::upgradeFast(QTcpSocket *socket, const Http::Request &request)
{
#ifdef TERTULIA_HAVE_FAST_PATH
    // Origin and subprotocol are checked by the caller; the rest of the handshake is ours.
    auto handshake = WebSocket::acceptHandshake(request, kSubprotocol);
    if (auto *refusal = std::get_if<Response>(&handshake))
        return *refusal;
    QString error;
    auto taken = FastPath::takeOverSocket(socket, &error);
    if (!taken) {
        qCWarning(lcServer) << "fast path: cannot take the connection over:" << error;
        return Response::error(503, ErrorCode::Unavailable, u"the server cannot take this connection now"_s);
    }
    // The accept-time ticket follows the connection from the socket object (deleted later) to the transport.
    std::unique_ptr<AdmissionTicket> ticket = AdmissionTicketHolder::take(socket);
    // The request head is among the bytes Qt had read; what follows it is the client's first frames.
    QByteArray input = std::move(taken->alreadyRead);
    const auto parsed = Http::parseRequestHead(input, input.size());
    if (const auto *head = std::get_if<Http::ParsedHead>(&parsed))
        input.remove(0, head->headLength);
    openFastSession(taken->descriptor, request, std::get<QByteArray>(handshake), std::move(input), std::move(ticket));
    return std::nullopt;
#else
    Q_UNUSED(socket);
    Q_UNUSED(request);
    return Response::error(503, ErrorCode::Unavailable, u"the fast path is not available on this platform"_s);
#endif
}

Session *ChatServer::openSession(SessionTransport *transport) { return d->core->openSession(transport, this); }

MonotonicClock &ChatServer::clock() { return d->clock; }

std::variant<TokenPair, Error> ChatServer::hostLogin(const QString &user)
{
    if (!d->store)
        return Error{ErrorCode::Unavailable, u"the server is not running"_s};
    if (!Names::isValidUserName(user))
        return Error{ErrorCode::InvalidName, QStringLiteral("'%1' is not a valid user name").arg(user)};
    if (!d->store->findUser(user)) {
        // An unusable password hash: the account signs in only through the host.
        auto created = d->store->createUser(UserRecord{user, "!host-only", true, QDateTime::currentSecsSinceEpoch()});
        if (auto *error = std::get_if<Error>(&created))
            return *error;
    }
    return d->tokens->issue(user);
}

void ChatServer::createAdministrator(const QString &user, const QString &password, QObject *context,
                                     std::function<void(const std::optional<Error> &)> done)
{
    if (!d->store || !d->hasher) {
        QMetaObject::invokeMethod(
            context, [done] { done(Error{ErrorCode::Unavailable, u"the server is not running"_s}); }, Qt::QueuedConnection);
        return;
    }
    createAdministratorAccount(*d->store, *d->hasher, user, password, context, std::move(done));
}

} // namespace Tertulia
