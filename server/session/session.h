#pragma once

#include "server/session/outboundevent.h"
#include "server/session/sessiontransport.h"
#include "server/session/tokenbucket.h"
#include "shared/protocol/closecode.h"
#include "shared/protocol/frames.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <optional>

namespace Tertulia {

class MonotonicClock;
class SessionRegistry;
struct Metrics;
struct ServerLimits;

/// One client connection, whatever its wire protocol: who it is, its state, its limits (malformed frames,
/// rate, unsent bytes) and its liveness. Requests go out to its Observer; rooms reach it through deliver().
/// The transport below (native WebSocket or Socket.IO) does the encoding and reports to it
/// (SessionTransport::Receiver).
class Session : public QObject, private SessionTransport::Receiver
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    enum class State { AwaitingAuth, Ready, Closing };

    /// Where a session's requests and its end go: the server's core (ServerCore), which routes them. An
    /// interface rather than two signals, for the memory of an idle connection (docs/benchmarks.md, issue 14).
    class Observer
    {
    public:
        virtual void requestReceived(Session &session, const Protocol::Request &request) = 0;
        /// The connection is gone; the session deletes itself right after (deleteLater()).
        virtual void sessionClosed(Session &session) = 0;

    protected:
        ~Observer() = default;
    };

    /// Takes ownership of the transport.
    Session(quint64 id, SessionTransport *transport, const ServerLimits &limits, Metrics &metrics,
            const MonotonicClock &clock, QObject *parent = nullptr);
    ~Session() override;

    quint64 id() const { return m_id; }
    State state() const { return m_state; }
    bool isAuthenticated() const { return m_state == State::Ready; }
    const QString &user() const { return m_user; }
    const QString &userKey() const { return m_userKey; }
    const QString &loginId() const { return m_loginId; }
    qint64 tokenExpiresAt() const { return m_tokenExpiresAt; }
    qint64 connectedAtMs() const { return m_connectedAtMs; }
    qint64 lastActivityMs() const { return m_lastActivityMs; }
    qint64 lastPingMs() const { return m_lastPingMs; }
    /// The round trip of the last answered liveness probe (WebSocket ping, Engine.IO heartbeat), if any yet.
    std::optional<qint64> lastRttMs() const { return m_lastRttMs; }
    QString peerAddress() const { return m_peer; }
    /// "conn=12 user=alice": the prefix of every log line about this connection.
    QString logTag() const;
    /// The bearer token the connection brought (Authorization header), if any.
    QString bearerToken() const;
    /// Once closed: the connection dropped without a closing handshake (SessionTransport::droppedWithoutClose).
    bool droppedWithoutClose() const;
    SessionTransport *transport() const { return m_transport; }

    /// Where the session's live messages of a room start: the room's last seq when the session was subscribed
    /// to it. Every later message of the room reaches the session live, in order, so `resume` replays only up
    /// to here (nullopt: not subscribed).
    std::optional<qint64> liveFrom(const QString &roomKey) const
    {
        const auto it = m_liveFrom.constFind(roomKey);
        return it == m_liveFrom.cend() ? std::nullopt : std::optional<qint64>(*it);
    }
    void noteSubscribed(const QString &roomKey, qint64 lastSeq) { m_liveFrom.insert(roomKey, lastSeq); }
    void noteUnsubscribed(const QString &roomKey) { m_liveFrom.remove(roomKey); }
    /// How many rooms it receives live events of.
    int subscribedRooms() const { return int(m_liveFrom.size()); }

    Protocol::PresenceStatus presence() const { return m_presence; }
    void setPresence(Protocol::PresenceStatus status) { m_presence = status; }
    TokenBucket &rateBucket() { return m_rate; }
    int addRateViolation() { return ++m_rateViolations; }

    /// Who hears its requests and its end from now on (nullptr: nobody).
    void setObserver(Observer *observer) { m_observer = observer; }

    /// Marks the session as the user's; `expiresAt` (seconds since the epoch) is when the access token ends.
    void authenticate(const QString &user, const QString &loginId, qint64 expiresAt);
    /// Whether its account was a server administrator when it (last) authenticated: told in the hello so
    /// that clients offer what the server allows them (AdminAuth and Moderation read the store each time).
    bool isServerAdmin() const { return m_serverAdmin; }
    void setServerAdmin(bool admin) { m_serverAdmin = admin; }

    void reply(const Protocol::Reply &reply);
    /// The ok reply with a room (join, create_room): as reply(Reply::ok(id, result.toJson())), which the
    /// native transports write without building the QJsonObject (SessionTransport::sendOk()).
    void replyOk(const QString &id, const Protocol::RoomResult &result);
    void sendEvent(const OutboundEvent &event);
    void sendEvent(const Protocol::Event &event) { sendEvent(OutboundEvent(event)); }
    /// Closes with a code and a reason the client can show.
    void closeWith(Protocol::CloseCode code, const QString &reason);
    /// Sends a liveness probe (the answer proves the peer alive and gives the RTT).
    void ping(qint64 nowMs);

    /// Slow-consumer policy, checked after sends and by the registry's sweep: closes the session when its
    /// unsent bytes stayed over the bound for the grace period, or passed four times the bound. Once over the
    /// bound, the registry (watchedBy) checks it every pass until the bytes drain.
    void checkBacklog();
    /// Whether its unsent bytes were over the bound at the last check.
    bool isBacklogged() const { return m_backlogSinceMs >= 0; }
    /// The registry that keeps its deadlines (SessionRegistry::add): told when the session goes over the bound.
    void watchedBy(SessionRegistry *registry) { m_registry = registry; }

    /// Room broadcasts arrive here; an event meant for everyone but one user names that user.
    void deliver(const Tertulia::SharedEvent &event, const QString &excludeUserKey);

    /// While a `resume` reads its replay (off the event loop), the room events delivered meanwhile wait:
    /// they must not reach the client before the replayed messages of the same rooms. Holds nest (one per
    /// pending resume); releaseDeliveries() sends what waited, in arrival order, once the last is released.
    /// The replay itself goes out with sendEvent(), which never waits. What waits counts as unsent bytes
    /// (checkBacklog()): a replay the database holds up for long, in a busy room, ends in a slow-consumer
    /// close like a client that does not read, never in a list that grows without bound.
    void holdDeliveries() { ++m_deliveryHolds; }
    void releaseDeliveries();
    bool deliveriesHeld() const { return m_deliveryHolds > 0; }

    /// While one of its requests waits for the store (Store::async(): a join that loads its room, a
    /// moderation write), the session's later requests wait too, so they are handled in the order sent (a
    /// `send` never overtakes the `join` before it). Holds nest; releaseRequests() hands on what waited, in
    /// order, until one of them holds again. At most kMaxHeldRequests wait: more are refused (rate_limited).
    void holdRequests() { ++m_requestHolds; }
    void releaseRequests();
    bool requestsHeld() const { return m_requestHolds > 0; }
    static constexpr qsizetype kMaxHeldRequests = 256;

private:
    // SessionTransport::Receiver
    void onRequest(const Protocol::Request &request) override;
    void onMalformed(const Protocol::Error &error, const QString &id) override;
    void onActivity() override;
    void onPong(quint64 elapsedMs) override;
    void onClosed() override;

    void afterSend();
    qint64 unsentBytes() const;
    /// Hands a request to the observer.
    void route(const Protocol::Request &request);

    quint64 m_id;
    SessionTransport *m_transport;
    const ServerLimits &m_limits;
    const MonotonicClock &m_clock;
    Metrics &m_metrics;
    SessionRegistry *m_registry = nullptr;
    Observer *m_observer = nullptr;
    State m_state = State::AwaitingAuth;
    QString m_user;
    QString m_userKey;
    /// By room key: liveFrom(). A QMap, not a QHash: a session is in a few rooms, and Qt's QHash allocates
    /// room for 48 entries with the first (1.5 kB a session in one room; docs/benchmarks.md, issue 14).
    QMap<QString, qint64> m_liveFrom;
    int m_deliveryHolds = 0;                ///< holdDeliveries() not yet released
    QList<Tertulia::SharedEvent> m_heldDeliveries; ///< delivered while held, in arrival order
    qint64 m_heldBytes = 0;                 ///< their frames' size: unsent bytes, for checkBacklog()
    int m_requestHolds = 0;                 ///< holdRequests() not yet released
    QList<Protocol::Request> m_heldRequests; ///< received while held, in arrival order
    QString m_loginId;
    QString m_peer;
    qint64 m_tokenExpiresAt = 0;
    qint64 m_connectedAtMs = 0;
    qint64 m_lastActivityMs = 0;
    qint64 m_lastPingMs = 0;
    std::optional<qint64> m_lastRttMs;
    qint64 m_backlogSinceMs = -1;   ///< when the unsent bytes went over the bound (-1: they are not)
    int m_malformed = 0;
    int m_rateViolations = 0;
    TokenBucket m_rate;
    Protocol::PresenceStatus m_presence = Protocol::PresenceStatus::Online;
    bool m_closedEmitted = false;
    bool m_serverAdmin = false;
};

} // namespace Tertulia
