#include "app/session/connectionmanager.h"

#include "app/logging.h"
#include "app/net/authclient.h"
#include "app/net/clock.h"
#include "app/session/connectionhealth.h"
#include "shared/protocol/closecode.h"

#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::CloseCode;
using Protocol::ErrorCode;
using namespace std::chrono_literals;

namespace {
constexpr auto kRequestIdPrefix = u'r';
}

ConnectionManager::ConnectionManager(Clock &clock, TransportFactory factory, TokenRefresher *refresher, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_factory(std::move(factory))
    , m_refresher(refresher)
    , m_health(new ConnectionHealth(clock, this))
{
    m_reconnectTimer = clock.createTimer(this, [this] { beginAttempt(); });
    m_openTimer = clock.createTimer(this, [this] { dropTransport(tr("The server did not answer in time")); });
    m_authTimer = clock.createTimer(this, [this] { dropTransport(tr("The server did not confirm the sign-in in time")); });
    m_pingTimer = clock.createTimer(this, [this] { onPingTimer(); });
    m_refreshTimer = clock.createTimer(this, [this] { refreshInBand(); });
}

ConnectionManager::~ConnectionManager()
{
    // Pending handlers must not run while this object is half destroyed.
    m_pending.clear();
    if (m_transport)
        m_transport->disconnect(this);
}

void ConnectionManager::setOptions(const ConnectionOptions &options)
{
    m_options = options;
    if (m_pingTimer->isActive())
        m_pingTimer->start(m_options.pingInterval);
}

void ConnectionManager::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCInfo(lcClientSession) << "state:" << state << (state == State::Reconnecting ? m_attempt : 0);
    Q_EMIT stateChanged(state);
}

void ConnectionManager::start(const ServerAddress &server, const Credentials &credentials)
{
    auto pending = takePending();
    releaseTransport(int(CloseCode::Normal));
    stopTimers();
    ++m_generation;
    m_server = server;
    m_credentials = credentials;
    m_failure = Failure::None;
    m_certificateProblem.reset();
    m_forceRefresh = false;
    m_attempt = 0;
    m_backoff.reset();
    beginAttempt();
    failRequests(std::move(pending));
}

void ConnectionManager::stop()
{
    ++m_generation;
    auto pending = takePending();
    stopTimers();
    releaseTransport(int(CloseCode::Normal), u"bye"_s);
    m_attempt = 0;
    m_failure = Failure::None;
    m_certificateProblem.reset();
    m_connectedSinceMs = -1;
    setState(State::Disconnected);
    failRequests(std::move(pending));
}

void ConnectionManager::retryNow()
{
    if (m_state == State::Reconnecting)
        beginAttempt();
}

void ConnectionManager::notifyNetworkOnline()
{
    if (m_state == State::Reconnecting) {
        qCInfo(lcClientSession) << "network is back: reconnecting now";
        beginAttempt();
    }
}

void ConnectionManager::setSyncHandler(QObject *context, std::function<void()> handler)
{
    m_syncContext = context;
    m_syncHandler = std::move(handler);
}

qint64 ConnectionManager::msUntilNextAttempt() const
{
    if (m_state != State::Reconnecting)
        return 0;
    return std::max<qint64>(0, m_nextAttemptMs - m_clock.elapsedMs());
}

qint64 ConnectionManager::refreshMarginMs() const
{
    // A fifth of the lifetime, between 1 s and 1 min: 1 min for the default 15-minute tokens, and
    // still sensible for the short lifetimes tests configure.
    const qint64 lifetime = m_credentials.accessLifetimeMs > 0 ? m_credentials.accessLifetimeMs : 900000;
    return std::clamp<qint64>(lifetime / 5, 1000, 60000);
}

bool ConnectionManager::needsRefresh() const
{
    if (m_credentials.refreshToken.isEmpty())
        return false;
    if (m_forceRefresh || m_credentials.accessToken.isEmpty())
        return true;
    return m_credentials.accessExpiresAtMs > 0
           && m_credentials.accessExpiresAtMs - m_clock.elapsedMs() < refreshMarginMs();
}

void ConnectionManager::beginAttempt()
{
    m_reconnectTimer->stop();
    ++m_generation;
    if (!m_server.isValid()) {
        fail(Failure::InvalidAddress);
        return;
    }
    setState(State::Connecting);
    if (needsRefresh() && m_refresher) {
        const quint64 generation = m_generation;
        qCDebug(lcClientSession) << "refreshing the access token before connecting";
        m_refresher->refreshTokens(m_server, m_credentials.refreshToken, this,
                                   [this, generation](const AuthResult<Protocol::TokenPair> &result) {
            if (generation != m_generation)
                return;
            if (const auto *pair = std::get_if<Protocol::TokenPair>(&result)) {
                m_credentials.apply(*pair, m_clock.elapsedMs());
                m_forceRefresh = false;
                Q_EMIT credentialsChanged(m_credentials);
                openTransport();
                return;
            }
            const auto &error = std::get<AuthError>(result);
            if (error.certificate) {
                failOnCertificate(*error.certificate);
                return;
            }
            if (!error.isTransient()) {
                fail(Failure::SessionExpired);
                return;
            }
            DisconnectInfo info;
            info.errorString = error.message();
            handleConnectionEnd(info);
        });
        return;
    }
    openTransport();
}

void ConnectionManager::openTransport()
{
    std::unique_ptr<Transport> transport = m_factory();
    m_transport = transport.release();
    m_transport->setParent(this);
    m_transport->setCertificateTrust(m_trust);
    connect(m_transport, &Transport::opened, this, &ConnectionManager::onOpened);
    connect(m_transport, &Transport::closed, this, &ConnectionManager::onClosed);
    connect(m_transport, &Transport::replyReceived, this, &ConnectionManager::onReply);
    connect(m_transport, &Transport::eventReceived, this, &ConnectionManager::onEvent);
    connect(m_transport, &Transport::pongReceived, this, [this](double rtt) {
        m_lastActivityMs = m_clock.elapsedMs();
        m_health->recordRtt(rtt);
    });
    connect(m_transport, &Transport::frameReceived, this, [this](qint64 bytes) {
        m_lastActivityMs = m_clock.elapsedMs();
        m_health->recordIncoming(bytes);
    });
    connect(m_transport, &Transport::frameSent, m_health, &ConnectionHealth::recordOutgoing);
    connect(m_transport, &Transport::malformedFrameReceived, this, [](const QString &why) {
        qCWarning(lcClientSession) << "ignored a malformed frame:" << why;
    });
    m_openTimer->start(m_options.openTimeout);
    const bool header = m_options.authMode == ConnectionOptions::AuthMode::Header;
    m_transport->open(m_server.webSocketUrl(), header ? m_credentials.accessToken : QString());
}

void ConnectionManager::onOpened()
{
    m_openTimer->stop();
    m_lastActivityMs = m_clock.elapsedMs();
    m_health->setTls(m_transport->tlsInfo());
    setState(State::Authenticating);
    m_authTimer->start(m_options.authTimeout);
    if (m_options.authMode != ConnectionOptions::AuthMode::FirstFrame)
        return; // the server pushes `hello`
    const auto request = Protocol::Request::auth({}, m_credentials.accessToken);
    sendRaw(request, this, [this](const Protocol::Reply &reply) {
        if (!reply.isOk()) {
            handleAuthError(*reply.error);
            return;
        }
        auto hello = Protocol::HelloInfo::fromJson(reply.data);
        if (auto *error = std::get_if<Protocol::Error>(&hello)) {
            qCWarning(lcClientSession) << "unreadable auth reply:" << error->message;
            dropTransport(tr("The server sent an unreadable reply"));
            return;
        }
        onAuthenticated(std::get<Protocol::HelloInfo>(hello));
    });
}

void ConnectionManager::handleAuthError(const Protocol::Error &error)
{
    qCInfo(lcClientSession) << "authentication refused:" << Protocol::describe(error);
    if (error.code == ErrorCode::AuthFailed) {
        fail(Failure::BadCredentials);
    } else if (error.code == ErrorCode::TokenExpired) {
        m_forceRefresh = true;
        dropTransport(tr("The sign-in expired"));
    } else if (error.code != ErrorCode::Unavailable || m_transport) {
        // `unavailable` with no transport means the connection already ended: nothing to drop.
        dropTransport(error.message);
    }
}

void ConnectionManager::onAuthenticated(const Protocol::HelloInfo &hello)
{
    m_authTimer->stop();
    m_hello = hello;
    if (!hello.user.isEmpty())
        m_credentials.user = hello.user;
    m_credentials.setExpiry(hello.expiresIn, m_clock.elapsedMs());
    m_health->setServerInfo(hello.server);
    m_connectedSinceMs = m_clock.elapsedMs();
    m_pingTimer->start(m_options.pingInterval);
    scheduleTokenRefresh();
    setState(State::Syncing);
    Q_EMIT authenticated(hello);
    if (m_state != State::Syncing)
        return;
    if (m_syncHandler && m_syncContext)
        m_syncHandler();
    else
        finishSync();
}

void ConnectionManager::finishSync()
{
    if (m_state != State::Syncing)
        return;
    m_attempt = 0;
    m_health->recordConnected();
    setState(State::Connected);
}

void ConnectionManager::onClosed(const DisconnectInfo &info)
{
    releaseTransport(std::nullopt);
    handleConnectionEnd(info);
}

void ConnectionManager::handleConnectionEnd(const DisconnectInfo &info)
{
    ++m_generation;
    auto pending = takePending();
    stopTimers();
    if (m_connectedSinceMs >= 0 && m_clock.elapsedMs() - m_connectedSinceMs >= m_options.stableAfter.count())
        m_backoff.reset();
    m_connectedSinceMs = -1;
    m_lastDisconnect = info;
    m_health->recordDisconnect(info);
    qCInfo(lcClientSession) << "connection ended:" << info.closeCode << info.closeReason << info.errorString;
    Q_EMIT connectionLost(info);

    if (info.incompatible) {
        fail(Failure::Incompatible);
    } else if (info.certificate) {
        failOnCertificate(*info.certificate);
    } else {
        switch (CloseCode(info.closeCode)) {
        case CloseCode::AuthFailed:
            fail(Failure::BadCredentials);
            break;
        case CloseCode::LoggedOut:
            fail(Failure::LoginRevoked);
            break;
        case CloseCode::Kicked:
            fail(Failure::Kicked);
            break;
        case CloseCode::AccountDeleted:
            fail(Failure::AccountDeleted);
            break;
        case CloseCode::TokenExpired:
            m_forceRefresh = true;
            scheduleReconnect();
            break;
        case CloseCode::RateLimited:
            scheduleReconnect(m_options.rateLimitedDelay);
            break;
        default:
            scheduleReconnect();
            break;
        }
    }
    failRequests(std::move(pending));
}

void ConnectionManager::scheduleReconnect(std::chrono::milliseconds minimumDelay)
{
    const auto delay = std::max(m_backoff.next(), minimumDelay);
    m_attempt = m_backoff.attempts();
    m_nextAttemptMs = m_clock.elapsedMs() + delay.count();
    m_nextAttemptWall = m_clock.currentDateTime().addMSecs(delay.count());
    m_reconnectTimer->start(delay);
    qCInfo(lcClientSession) << "reconnect attempt" << m_attempt << "in" << delay.count() << "ms";
    Q_EMIT reconnectScheduled(m_attempt, delay.count());
    setState(State::Reconnecting);
}

void ConnectionManager::failOnCertificate(const CertificateCheck &check)
{
    // No retry: the same certificate would be refused again, and a changed one may mean someone is in the
    // middle. The person decides (the UI shows certificateProblem()); then start() connects again.
    m_certificateProblem = check;
    fail(check.outcome == CertificateCheck::Outcome::FirstUse ? Failure::CertificateUnknown : Failure::CertificateChanged);
}

void ConnectionManager::fail(Failure failure)
{
    ++m_generation;
    auto pending = takePending();
    stopTimers();
    releaseTransport(int(CloseCode::Normal));
    m_failure = failure;
    if (failure != Failure::CertificateUnknown && failure != Failure::CertificateChanged)
        m_certificateProblem.reset();
    m_attempt = 0;
    m_connectedSinceMs = -1;
    qCInfo(lcClientSession) << "failed:" << failure;
    setState(State::Failed);
    failRequests(std::move(pending));
}

void ConnectionManager::dropTransport(const QString &reason)
{
    qCInfo(lcClientSession) << "dropping the connection:" << reason;
    releaseTransport(int(CloseCode::Normal), reason);
    DisconnectInfo info;
    info.byClient = true;
    info.closeReason = reason;
    handleConnectionEnd(info);
}

void ConnectionManager::releaseTransport(std::optional<int> closeCode, const QString &reason)
{
    if (!m_transport)
        return;
    Transport *transport = m_transport;
    m_transport = nullptr;
    transport->disconnect(this);
    m_health->disconnect(transport);
    if (!closeCode) {
        transport->deleteLater();
        return;
    }
    // Keep it alive until the close handshake is done (so the close frame goes out), but not
    // forever: a peer that never answers must not pin the socket.
    connect(transport, &Transport::closed, transport, &QObject::deleteLater);
    QTimer::singleShot(5s, transport, &QObject::deleteLater);
    transport->close(*closeCode, reason);
}

void ConnectionManager::stopTimers()
{
    m_reconnectTimer->stop();
    m_openTimer->stop();
    m_authTimer->stop();
    m_pingTimer->stop();
    m_refreshTimer->stop();
}

void ConnectionManager::failRequests(std::map<quint64, Pending> pending)
{
    for (auto &[number, entry] : pending) {
        if (!entry.context)
            continue;
        entry.handler(Protocol::Reply::failure(kRequestIdPrefix + QString::number(number), ErrorCode::Unavailable,
                                               tr("The connection was lost")));
    }
}

bool ConnectionManager::request(Protocol::Request request, QObject *context, ReplyHandler handler)
{
    if (!isAuthenticated())
        return false;
    return sendRaw(std::move(request), context, std::move(handler));
}

bool ConnectionManager::sendRaw(const Protocol::Request &request, QObject *context, ReplyHandler handler)
{
    if (!m_transport)
        return false;
    const quint64 number = ++m_nextRequestId;
    Protocol::Request numbered = request;
    numbered.id = kRequestIdPrefix + QString::number(number);
    if (!m_transport->send(numbered))
        return false;
    m_pending.emplace(number, Pending{context, std::move(handler)});
    return true;
}

void ConnectionManager::onReply(const Protocol::Reply &reply)
{
    bool ok = false;
    const quint64 number = reply.id.startsWith(kRequestIdPrefix) ? reply.id.mid(1).toULongLong(&ok) : 0;
    const auto it = ok ? m_pending.find(number) : m_pending.end();
    if (it == m_pending.end()) {
        qCWarning(lcClientSession) << "reply to an unknown request" << reply.id
                                   << (reply.error ? Protocol::describe(*reply.error) : QString());
        return;
    }
    Pending pending = std::move(it->second);
    m_pending.erase(it);
    if (pending.context)
        pending.handler(reply);
}

void ConnectionManager::onEvent(const Protocol::Event &event)
{
    if (event.type == Protocol::EventType::Hello) {
        auto hello = Protocol::HelloInfo::fromJson(event.data);
        if (auto *error = std::get_if<Protocol::Error>(&hello)) {
            qCWarning(lcClientSession) << "unreadable hello:" << error->message;
            dropTransport(tr("The server sent an unreadable reply"));
            return;
        }
        if (m_state == State::Authenticating)
            onAuthenticated(std::get<Protocol::HelloInfo>(hello));
        return;
    }
    if (isAuthenticated())
        Q_EMIT eventReceived(event);
}

void ConnectionManager::onPingTimer()
{
    if (!isAuthenticated() || !m_transport)
        return;
    if (m_clock.elapsedMs() - m_lastActivityMs > m_options.deadAfter.count()) {
        dropTransport(tr("No response from the server"));
        return;
    }
    m_transport->ping();
    m_pingTimer->start(m_options.pingInterval);
}

void ConnectionManager::scheduleTokenRefresh()
{
    m_refreshTimer->stop();
    if (m_credentials.refreshToken.isEmpty() || m_credentials.accessExpiresAtMs <= 0)
        return;
    const qint64 due = m_credentials.accessExpiresAtMs - refreshMarginMs() - m_clock.elapsedMs();
    m_refreshTimer->start(std::chrono::milliseconds(std::max<qint64>(0, due)));
}

void ConnectionManager::refreshInBand()
{
    if (!isAuthenticated())
        return;
    // Known limit of the protocol: if the connection drops after the server rotated the pair but
    // before its reply reaches us, the old refresh token is spent and using it again revokes the
    // login (close 4004). The window is one round trip.
    const quint64 generation = m_generation;
    const bool sent = sendRaw(Protocol::Request::refresh({}, m_credentials.refreshToken), this,
                              [this, generation](const Protocol::Reply &reply) {
        if (generation != m_generation)
            return;
        if (!reply.isOk()) {
            if (reply.error->code == ErrorCode::AuthFailed)
                fail(Failure::SessionExpired);
            else if (reply.error->code != ErrorCode::Unavailable)
                m_refreshTimer->start(m_options.refreshRetry);
            return;
        }
        auto pair = Protocol::TokenPair::fromJson(reply.data);
        if (auto *error = std::get_if<Protocol::Error>(&pair)) {
            qCWarning(lcClientSession) << "unreadable refresh reply:" << error->message;
            m_refreshTimer->start(m_options.refreshRetry);
            return;
        }
        m_credentials.apply(std::get<Protocol::TokenPair>(pair), m_clock.elapsedMs());
        Q_EMIT credentialsChanged(m_credentials);
        // Re-authenticate this session with the fresh access token, so the server does not close
        // it when the old one expires.
        sendRaw(Protocol::Request::auth({}, m_credentials.accessToken), this,
                [this, generation](const Protocol::Reply &authReply) {
            if (generation != m_generation)
                return;
            if (!authReply.isOk()) {
                if (authReply.error->code == ErrorCode::AuthFailed)
                    fail(Failure::BadCredentials);
                return;
            }
            const auto hello = Protocol::HelloInfo::fromJson(authReply.data);
            if (const auto *info = std::get_if<Protocol::HelloInfo>(&hello))
                m_credentials.setExpiry(info->expiresIn, m_clock.elapsedMs());
            scheduleTokenRefresh();
        });
    });
    if (!sent)
        m_refreshTimer->start(m_options.refreshRetry);
}

QString ConnectionManager::stateName(State state)
{
    switch (state) {
    case State::Disconnected: return tr("Disconnected");
    case State::Connecting: return tr("Connecting");
    case State::Authenticating: return tr("Signing in");
    case State::Syncing: return tr("Catching up");
    case State::Connected: return tr("Connected");
    case State::Reconnecting: return tr("Reconnecting");
    case State::Failed: return tr("Not connected");
    }
    return {};
}

QString ConnectionManager::failureName(Failure failure)
{
    switch (failure) {
    case Failure::None: return {};
    case Failure::BadCredentials: return tr("The server did not accept your sign-in. Please sign in again.");
    case Failure::LoginRevoked: return tr("You were signed out (from another device or by the server).");
    case Failure::Kicked: return tr("An administrator removed you from this server.");
    case Failure::SessionExpired: return tr("Your sign-in has expired. Please sign in again.");
    case Failure::Incompatible: return tr("This server does not speak the Tertulia protocol (or a newer version of it).");
    case Failure::InvalidAddress: return tr("The server address is not valid.");
    case Failure::CertificateUnknown:
        return tr("This server's certificate has not been confirmed yet. Nothing was sent to it.");
    case Failure::CertificateChanged:
        return tr("The connection was blocked: this server's certificate has changed. Nothing was sent to it.");
    case Failure::AccountDeleted: return tr("This account was deleted.");
    }
    return {};
}

} // namespace Tertulia
