#pragma once

#include "app/net/backoff.h"
#include "app/net/certificatetrust.h"
#include "app/net/serveraddress.h"
#include "app/net/transport.h"
#include "app/session/credentials.h"
#include "shared/protocol/frames.h"

#include <QtCore/QDateTime>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <chrono>
#include <functional>
#include <map>
#include <memory>

namespace Tertulia {

class Clock;
class ClockTimer;
class ConnectionHealth;
class TokenRefresher;

struct ConnectionOptions
{
    enum class AuthMode {
        Header,     ///< Authorization header on the upgrade; the server pushes `hello`
        FirstFrame, ///< `auth` as the first frame (what browsers must do)
    };
    AuthMode authMode = AuthMode::Header;
    std::chrono::milliseconds openTimeout{15000};   ///< TCP + TLS + WebSocket handshake
    std::chrono::milliseconds authTimeout{10000};   ///< from open to `hello` / auth reply
    std::chrono::milliseconds pingInterval{5000};   ///< WebSocket pings while authenticated
    std::chrono::milliseconds deadAfter{20000};     ///< silence after which the connection is dropped
    /// How long a connection must have lasted for the backoff to start over after it ends; shorter
    /// connections keep growing the delay, so a server that accepts and drops at once is not hammered.
    std::chrono::milliseconds stableAfter{10000};
    /// Extra wait after close 4008 (the server asked us to slow down).
    std::chrono::milliseconds rateLimitedDelay{5000};
    /// Retry of a failed in-band token refresh (the connection itself is still fine).
    std::chrono::milliseconds refreshRetry{10000};
};

/// The connection state machine. It owns one Transport at a time, authenticates every attempt
/// afresh, refreshes the access token before it expires (in-band on an open connection, over HTTP
/// before an attempt), pings to measure RTT and to notice a dead peer, and reconnects with
/// exponential backoff and full jitter. It does not know about rooms: once authenticated it enters
/// `Syncing` and the sync handler (the ChatClient) calls finishSync() when resume is done.
///
/// States: Disconnected → Connecting → Authenticating → Syncing → Connected; on a lost connection
/// Reconnecting (attempt number, next attempt time) → Connecting …; Failed when only the user can
/// help (bad credentials, revoked login, kicked, expired session, incompatible server).
class ConnectionManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionManager)
    Q_PROPERTY(Tertulia::ConnectionManager::State state READ state NOTIFY stateChanged)

public:
    enum class State { Disconnected, Connecting, Authenticating, Syncing, Connected, Reconnecting, Failed };
    Q_ENUM(State)

    enum class Failure {
        None,
        BadCredentials, ///< the server refused the token (close 4002, auth_failed)
        LoginRevoked,   ///< signed out elsewhere or refresh-token reuse (close 4004)
        Kicked,         ///< removed by an administrator (close 4005)
        SessionExpired, ///< the refresh token was refused: sign in with the password again
        Incompatible,   ///< the server does not speak tertulia.v1
        InvalidAddress, ///< no usable server address
        CertificateUnknown, ///< the server's certificate needs the person's approval (certificateProblem())
        CertificateChanged, ///< not the pinned certificate: blocked, nothing sent (certificateProblem())
        AccountDeleted, ///< the account no longer exists (close 4006)
    };
    Q_ENUM(Failure)

    using ReplyHandler = std::function<void(const Protocol::Reply &)>;

    /// refresher may be null (then an expiring token is not refreshed before an attempt).
    ConnectionManager(Clock &clock, TransportFactory factory, TokenRefresher *refresher, QObject *parent = nullptr);
    ~ConnectionManager() override;

    /// Takes effect at once for the ping interval, otherwise from the next attempt.
    void setOptions(const ConnectionOptions &options);
    const ConnectionOptions &options() const { return m_options; }
    void setBackoff(const Backoff &backoff) { m_backoff = backoff; }
    ConnectionHealth *health() const { return m_health; }
    /// Given to every transport (see Transport::setCertificateTrust).
    void setCertificateTrust(CertificateTrust *trust) { m_trust = trust; }

    /// Connects to server with these credentials (from Disconnected or Failed, or to switch).
    void start(const ServerAddress &server, const Credentials &credentials);
    /// The user disconnects: close cleanly, stop retrying, keep the credentials.
    void stop();
    /// Skip the rest of the backoff wait.
    void retryNow();
    /// The OS reports the network is back: try at once if we are waiting to reconnect.
    void notifyNetworkOnline();

    /// Who takes over in the Syncing state; it must call finishSync() (or the connection drops).
    void setSyncHandler(QObject *context, std::function<void()> handler);
    void finishSync();

    State state() const { return m_state; }
    /// 1 for the first reconnect attempt after a lost connection, 2 for the next, ...; 0 otherwise.
    int attempt() const { return m_attempt; }
    QDateTime nextAttemptAt() const { return m_nextAttemptWall; }
    qint64 msUntilNextAttempt() const;
    Failure failure() const { return m_failure; }
    /// The failure in plain words (translated), empty unless Failed.
    QString failureText() const { return failureName(m_failure); }
    std::optional<DisconnectInfo> lastDisconnect() const { return m_lastDisconnect; }
    /// Why the certificate stopped the connection, while failed with CertificateUnknown or
    /// CertificateChanged.
    std::optional<CertificateCheck> certificateProblem() const { return m_certificateProblem; }
    Protocol::HelloInfo hello() const { return m_hello; }
    ServerAddress server() const { return m_server; }
    const Credentials &credentials() const { return m_credentials; }
    /// True while requests can be sent (Syncing or Connected).
    bool isAuthenticated() const { return m_state == State::Syncing || m_state == State::Connected; }

    /// Sends a request; the id is assigned here. The handler runs once: with the reply, or with an
    /// `unavailable` error if the connection ends first. Returns false (and never calls the handler)
    /// when not authenticated or the frame cannot be sent.
    bool request(Protocol::Request request, QObject *context, ReplyHandler handler);

    static QString stateName(State state);
    static QString failureName(Failure failure);

Q_SIGNALS:
    void stateChanged(Tertulia::ConnectionManager::State state);
    /// Authenticated on a new connection (the Syncing state begins right after).
    void authenticated(const Tertulia::Protocol::HelloInfo &hello);
    void eventReceived(const Tertulia::Protocol::Event &event);
    /// The token pair rotated: the new refresh token must replace the stored one.
    void credentialsChanged(const Tertulia::Credentials &credentials);
    void connectionLost(const Tertulia::DisconnectInfo &info);
    void reconnectScheduled(int attempt, qint64 delayMs);

private:
    struct Pending
    {
        QPointer<QObject> context;
        ReplyHandler handler;
    };

    void setState(State state);
    void beginAttempt();
    bool needsRefresh() const;
    qint64 refreshMarginMs() const;
    void openTransport();
    void onOpened();
    void onAuthenticated(const Protocol::HelloInfo &hello);
    void onClosed(const DisconnectInfo &info);
    void onReply(const Protocol::Reply &reply);
    void onEvent(const Protocol::Event &event);
    void onPingTimer();
    void handleAuthError(const Protocol::Error &error);
    void handleConnectionEnd(const DisconnectInfo &info);
    void scheduleReconnect(std::chrono::milliseconds minimumDelay = {});
    void fail(Failure failure);
    void failOnCertificate(const CertificateCheck &check);
    /// We end the current connection (timeouts, dead peer, refused auth) and react as if it broke.
    void dropTransport(const QString &reason);
    /// Detaches the current transport; with a close code it closes cleanly first.
    void releaseTransport(std::optional<int> closeCode, const QString &reason = {});
    /// Takes the outstanding requests; their handlers run later with failRequests(), after the
    /// state has moved on, so a handler never sees a connection that is already gone as alive.
    std::map<quint64, Pending> takePending() { return std::exchange(m_pending, {}); }
    void failRequests(std::map<quint64, Pending> pending);
    void stopTimers();
    void scheduleTokenRefresh();
    void refreshInBand();
    bool sendRaw(const Protocol::Request &request, QObject *context, ReplyHandler handler);

    Clock &m_clock;
    TransportFactory m_factory;
    TokenRefresher *m_refresher;
    ConnectionHealth *m_health;
    ConnectionOptions m_options;
    Backoff m_backoff;

    ServerAddress m_server;
    Credentials m_credentials;
    Protocol::HelloInfo m_hello;
    State m_state = State::Disconnected;
    Failure m_failure = Failure::None;
    std::optional<DisconnectInfo> m_lastDisconnect;
    std::optional<CertificateCheck> m_certificateProblem;
    QPointer<CertificateTrust> m_trust;
    int m_attempt = 0;
    qint64 m_nextAttemptMs = 0;
    QDateTime m_nextAttemptWall;
    bool m_forceRefresh = false;
    /// Bumped whenever an attempt is abandoned, so late callbacks of that attempt are ignored.
    quint64 m_generation = 0;
    qint64 m_connectedSinceMs = -1;
    qint64 m_lastActivityMs = 0;

    QPointer<Transport> m_transport;
    std::map<quint64, Pending> m_pending; ///< by request number, so failures run in send order
    quint64 m_nextRequestId = 0;

    QPointer<QObject> m_syncContext;
    std::function<void()> m_syncHandler;

    std::unique_ptr<ClockTimer> m_reconnectTimer;
    std::unique_ptr<ClockTimer> m_openTimer;
    std::unique_ptr<ClockTimer> m_authTimer;
    std::unique_ptr<ClockTimer> m_pingTimer;
    std::unique_ptr<ClockTimer> m_refreshTimer;
};

} // namespace Tertulia
