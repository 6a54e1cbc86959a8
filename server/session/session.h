#pragma once

#include "server/session/tokenbucket.h"
#include "shared/protocol/closecode.h"
#include "shared/protocol/frames.h"

#include <QtCore/QObject>
#include <QtCore/QString>

class QWebSocket;

namespace Tertulia {

class MonotonicClock;
struct Metrics;
struct ServerLimits;

/// One native-protocol WebSocket connection: frames <-> protocol values, size and malformed-frame limits,
/// the connection's state, and a bounded send queue. It knows nothing of rooms or handlers: requests go out
/// through requestReceived(), and rooms reach it through deliver().
class Session : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Session)

public:
    enum class State { AwaitingAuth, Ready, Closing };

    /// Takes ownership of the socket.
    Session(quint64 id, QWebSocket *socket, const ServerLimits &limits, Metrics &metrics,
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
    QString peerAddress() const { return m_peer; }
    /// "conn=12 user=alice": the prefix of every log line about this connection.
    QString logTag() const;
    /// The bearer token of the upgrade request's Authorization header, if any.
    QString bearerToken() const;

    Protocol::PresenceStatus presence() const { return m_presence; }
    void setPresence(Protocol::PresenceStatus status) { m_presence = status; }
    TokenBucket &rateBucket() { return m_rate; }
    int addRateViolation() { return ++m_rateViolations; }

    /// Marks the session as the user's; `expiresAt` (seconds) is when the access token ends.
    void authenticate(const QString &user, const QString &loginId, qint64 expiresAt);

    void reply(const Protocol::Reply &reply);
    void sendEvent(const Protocol::Event &event);
    /// Sends one text frame (already encoded). Closes the session when too much is queued.
    void send(const QString &frame);
    /// Closes with a code and a reason the client can show; the socket goes after the closing handshake.
    void closeWith(Protocol::CloseCode code, const QString &reason);
    /// Sends a WebSocket ping (the pong gives the RTT and proves the peer alive).
    void ping(qint64 nowMs);

    /// Room broadcasts arrive here; a frame meant for everyone but one user names that user.
    void deliver(const QString &frame, const QString &excludeUserKey);

Q_SIGNALS:
    void requestReceived(Tertulia::Session *session, const Tertulia::Protocol::Request &request);
    /// The socket is gone; the session deletes itself right after.
    void closed(Tertulia::Session *session);

private:
    void onTextMessage(const QString &message);
    void onBinaryMessage(const QByteArray &message);
    void onPong(quint64 elapsedMs);
    void onDisconnected();
    void countMalformed();

    quint64 m_id;
    QWebSocket *m_socket;
    const ServerLimits &m_limits;
    const MonotonicClock &m_clock;
    Metrics &m_metrics;
    State m_state = State::AwaitingAuth;
    QString m_user;
    QString m_userKey;
    QString m_loginId;
    QString m_peer;
    qint64 m_tokenExpiresAt = 0;
    qint64 m_connectedAtMs = 0;
    qint64 m_lastActivityMs = 0;
    qint64 m_lastPingMs = 0;
    int m_malformed = 0;
    int m_rateViolations = 0;
    TokenBucket m_rate;
    Protocol::PresenceStatus m_presence = Protocol::PresenceStatus::Online;
    bool m_closedEmitted = false;
};

} // namespace Tertulia
