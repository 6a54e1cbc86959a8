#pragma once

#include "server/session/tokenbuckettable.h"
#include "shared/protocol/errorcode.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>

#include <memory>
#include <optional>

namespace Tertulia {

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
    };
    Reason reason;
    int httpStatus;                 ///< 503 for the caps, 429 for the churn limits
    Protocol::ErrorCode code;       ///< unavailable or rate_limited
    QString message;
    int retryAfterSeconds;
};

class ConnectionAdmission;

/// What admission decided about one connection, carried by whatever holds the connection: the accepted
/// socket (a child), then the fast-path transport that takes it over (reparented). An admitted connection
/// counts against the caps until its ticket is destroyed, however the connection ends; a refused one
/// carries the refusal, which the HTTP layer answers.
class AdmissionTicket : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdmissionTicket)

public:
    ~AdmissionTicket() override;

    bool isAdmitted() const { return !m_refusal; }
    const std::optional<AdmissionRefusal> &refusal() const { return m_refusal; }
    const QString &address() const { return m_address; }

    /// The ticket `carrier` (a socket, a transport) holds as a direct child, if any.
    static AdmissionTicket *of(const QObject *carrier);

private:
    friend class ConnectionAdmission;
    AdmissionTicket(ConnectionAdmission &admission, const QString &address, std::optional<AdmissionRefusal> refusal);

    QPointer<ConnectionAdmission> m_admission;
    QString m_address;
    std::optional<AdmissionRefusal> m_refusal;
};

/// Who may come in: one rule for every way in.
/// - Connections: the Listener asks for each one as soon as it is accepted, before anything is read, whether
///   it then goes the QTcpSocket way, through TLS, on the fast lane or waits for its request head there
///   (which is why silent connections count too). Caps on open connections per address and in total
///   (503), and a churn limit on new connections per address (429), both with Retry-After and the JSON
///   body, before any upgrade.
/// - Sessions: AuthHandler asks when a connection first authenticates (native header or `auth` frame,
///   Socket.IO CONNECT): a churn limit on new sessions per user (`rate_limited`, then close 4008).
/// The churn limits are token buckets that outlive the connections (TokenBucketTable), so a reconnect loop
/// gains nothing.
class ConnectionAdmission : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionAdmission)

public:
    ConnectionAdmission(const ServerLimits &limits, Metrics &metrics, const MonotonicClock &clock,
                        QObject *parent = nullptr);
    ~ConnectionAdmission() override;

    /// A new connection from `address`: always a ticket, admitted (counted until destroyed) or refused.
    std::unique_ptr<AdmissionTicket> admit(const QString &address);
    /// A connection of the user authenticates for the first time; a refusal when the user opens sessions
    /// too fast.
    std::optional<AdmissionRefusal> admitSession(const QString &userKey);

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
    QHash<QString, int> m_perAddress;
    int m_connections = 0;
    bool m_draining = false;
    TokenBucketTable m_addressChurn;
    TokenBucketTable m_userChurn;
};

} // namespace Tertulia
