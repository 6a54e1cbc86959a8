#pragma once

#include "server/http/httpresponse.h"
#include "server/session/tokenbuckettable.h"
#include "shared/protocol/errorcode.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>
#include <optional>

namespace Tertulia {

namespace Http {
class Request;
}
class MonotonicClock;
struct Metrics;
struct ServerLimits;

/// Why a connection or a new session was not let in, and what to tell the client.
struct AdmissionRefusal
{
    enum class Reason {
        ServerFull,     ///< max_connections open
        AddressFull,    ///< max_connections_per_ip open from this address
        AddressChurn,   ///< new connections from this address faster than ip_connect_burst/_per_second
        UserChurn,      ///< new sessions of this user faster than user_connect_burst/_per_second
        Draining,       ///< the server is shutting down (drain_ms): go to another node
        ForeignOrigin,  ///< an upgrade from a browser page whose Origin is not allowed
        NoSubprotocol,  ///< an upgrade to the native protocol that does not offer its subprotocol
    };
    Reason reason;
    int httpStatus;                 ///< 503 for the caps and draining, 429 for the churn limits, 403/400 upgrades
    Protocol::ErrorCode code;       ///< unavailable, rate_limited, forbidden or bad_request
    QString message;
    int retryAfterSeconds;          ///< 0: nothing to wait for (the request itself is wrong)

    /// The HTTP answer: the status, the JSON error body, and Retry-After when waiting helps.
    Http::Response response() const;
};

/// The ways a connection asks to become a long-lived one (an HTTP upgrade or an Engine.IO handshake).
enum class UpgradeKind {
    Native,     ///< /ws, the native protocol, on the portable path, the fast path or the fast lane
    SocketIo,   ///< /socket.io/, Engine.IO's handshake (polling) or its WebSocket upgrade
};

/// What every way in checks of an upgrade request beyond the caps (ServerConfig).
struct UpgradeRules
{
    QStringList allowedOrigins;     ///< browser pages of these origins may connect (besides the server's own)
    bool tls = false;               ///< the server's own origin is https://host, else http://host
};

class ConnectionAdmission;

/// What admission decided about one connection, carried by whatever holds the connection: the accepted
/// socket (through an AdmissionTicketHolder, its child), then the fast-path transport that takes it over (a
/// member). An admitted connection counts against the caps until its ticket is destroyed, however the
/// connection ends; a refused one carries the refusal, which the HTTP layer answers. A plain object, not a
/// QObject: an idle fast-path connection keeps it for its whole life (docs/benchmarks.md, issue 14).
class AdmissionTicket
{
    Q_DISABLE_COPY_MOVE(AdmissionTicket)

public:
    ~AdmissionTicket();

    bool isAdmitted() const { return !m_refusal; }
    const std::optional<AdmissionRefusal> &refusal() const { return m_refusal; }
    const QString &address() const { return m_address; }

private:
    friend class ConnectionAdmission;
    AdmissionTicket(ConnectionAdmission &admission, const QString &address, std::optional<AdmissionRefusal> refusal);

    QPointer<ConnectionAdmission> m_admission;
    QString m_address;
    std::optional<AdmissionRefusal> m_refusal;
};

/// Carries a ticket as a QObject's child (an accepted QTcpSocket, which has no room for it): the ticket goes
/// with the carrier however that ends, and whoever takes the connection over can take the ticket along.
/// A child rather than the carrier's destroyed() signal, which whoever adopts the socket might disconnect
/// with the rest of its signals.
class AdmissionTicketHolder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdmissionTicketHolder)

public:
    /// Makes `carrier` hold `ticket` (replacing any ticket it held).
    static void attach(QObject *carrier, std::unique_ptr<AdmissionTicket> ticket);
    /// The ticket `carrier` holds, if any.
    static AdmissionTicket *of(const QObject *carrier);
    /// Takes the ticket away from `carrier` (nullptr when it held none).
    static std::unique_ptr<AdmissionTicket> take(QObject *carrier);

private:
    static AdmissionTicketHolder *holderOf(const QObject *carrier);
    AdmissionTicketHolder(QObject *carrier, std::unique_ptr<AdmissionTicket> ticket);

    std::unique_ptr<AdmissionTicket> m_ticket;
};

/// Who may come in: one rule for every way in (the native /ws upgrade on either path, the Listener's fast
/// lane, Socket.IO's handshake).
/// - Connections: the Listener asks for each one as soon as it is accepted, before anything is read, whether
///   it then goes the QTcpSocket way, through TLS, on the fast lane or waits for its request head there
///   (which is why silent connections count too). Caps on open connections per address and in total
///   (503), and a churn limit on new connections per address (429), both with Retry-After and the JSON
///   body, before any upgrade.
/// - Sessions: AuthHandler asks when a connection first authenticates (native header or `auth` frame,
///   Socket.IO CONNECT): a churn limit on new sessions per user (`rate_limited`, then close 4008).
/// - Upgrades: a browser page may connect only from the server's own origin or an allowed one (403); the
///   native protocol must be asked for by its subprotocol (400); the access token of an upgrade comes from one
///   parser of `Authorization: Bearer` (Socket.IO carries it in its CONNECT packet instead).
/// The churn limits are token buckets that outlive the connections (TokenBucketTable), so a reconnect loop
/// gains nothing. Time comes from the injected MonotonicClock, which tests move forward (skip()).
class ConnectionAdmission : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionAdmission)

public:
    ConnectionAdmission(const ServerLimits &limits, Metrics &metrics, const MonotonicClock &clock,
                        UpgradeRules rules = {}, QObject *parent = nullptr);
    ~ConnectionAdmission() override;

    /// A new connection from `address`: always a ticket, admitted (counted until destroyed) or refused.
    std::unique_ptr<AdmissionTicket> admit(const QString &address);
    /// A connection of the user authenticates for the first time; a refusal when the user opens sessions
    /// too fast.
    std::optional<AdmissionRefusal> admitSession(const QString &userKey);

    /// Whether the request may open a connection of that kind (nullopt) or what to answer. Counts nothing:
    /// the fast lane asks it to decide whether to leave a request to the usual way, which asks refuseUpgrade().
    std::optional<AdmissionRefusal> upgradeRefusal(const Http::Request &request, UpgradeKind kind) const;
    /// upgradeRefusal(), counted in the metrics when refused.
    std::optional<AdmissionRefusal> refuseUpgrade(const Http::Request &request, UpgradeKind kind);
    /// No Origin (not a browser), the server's own origin (scheme and the request's Host), or an allowed one.
    bool originAllowed(const Http::Request &request) const;
    /// The access token of an `Authorization: Bearer <token>` header; empty without one.
    static QString bearerToken(const Http::Request &request);

    /// From now on every new connection is refused with 503 (the server drains before it stops).
    void setDraining(bool draining) { m_draining = draining; }
    bool isDraining() const { return m_draining; }
    int connections() const { return m_connections; }
    int connectionsFrom(const QString &address) const { return m_perAddress.value(address); }

private:
    friend class AdmissionTicket;
    void release(const QString &address);
    AdmissionRefusal refusal(AdmissionRefusal::Reason reason, qint64 waitMs) const;

    const ServerLimits &m_limits;
    Metrics &m_metrics;
    const MonotonicClock &m_clock;
    UpgradeRules m_rules;
    QHash<QString, int> m_perAddress;
    int m_connections = 0;
    bool m_draining = false;
    TokenBucketTable m_addressChurn;
    TokenBucketTable m_userChurn;
};

} // namespace Tertulia
