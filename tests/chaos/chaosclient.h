#pragma once

#include "shared/protocol/frames.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QRandomGenerator>
#include <QtCore/QSet>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtWebSockets/QWebSocket>

#include <deque>
#include <functional>

namespace Tertulia::Chaos {

/// Everything one client holds of a room, by seq: what it received live, what resume replayed and what
/// history pages filled in.
using RoomView = QMap<qint64, Protocol::ChatMessage>;

/// A native-protocol client that behaves like a well-written app under a hostile network, driven only by
/// signals (no nested event loops, so many of them run side by side with an in-process server):
/// - an outbox: every message gets a client_msg_id once; at most `window` sends are on the wire; whatever
///   is unacknowledged when the connection drops goes back to the front of the queue and is sent again
///   with the same id; `internal`/`unavailable`/`rate_limited` answers are retried after a pause;
/// - reconnects by itself after a random pause while started, authenticates with `auth`, then resumes
///   every room from the last seq up to which it holds everything, and pages in what the resume could
///   not replay with `history {after}`. Not from the highest seq it holds: live messages may overtake the
///   replay, and a connection lost before the sync completes would leave the hole behind for good. A
///   message the server skips live is still caught: once synced, a room's live messages must follow on
///   without a hole (an anomaly otherwise);
/// - records what it sees and notes every protocol breach as an anomaly instead of failing on the spot.
class ChaosClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChaosClient)

public:
    struct Options
    {
        QString user;
        QString accessToken;
        QStringList rooms;          ///< rooms the user is a member of (joined beforehand)
        int window = 8;             ///< sends in flight at most
        int reconnectMinMs = 10;
        int reconnectMaxMs = 150;
        int retryPauseMs = 50;      ///< after an `internal` or `unavailable` answer
        bool ensureRooms = false;   ///< create (or join) the rooms after each sign-in, before resuming
        QString idPrefix = {};      ///< client message ids are "<prefix>-<n>"; the user's name when empty
        quint32 seed = 1;
    };
    using UrlSource = std::function<QUrl()>;

    enum class State { Stopped, Connecting, Authenticating, Syncing, Synced };
    Q_ENUM(State)

    struct Ack
    {
        QString room;
        qint64 seq = 0;
        QString text;
    };

    struct Counters
    {
        int connections = 0;     ///< sessions authenticated
        int drops = 0;           ///< connections lost (for any reason) while started
        int resends = 0;         ///< sends of a client_msg_id after its first
        int internalErrors = 0;  ///< `internal` or `unavailable` answers to a send
        int rateLimited = 0;
        int duplicates = 0;      ///< acks with duplicate: true (the first ack was lost with its connection)
        int replayed = 0;        ///< message events received while a room was resuming
        int historyPages = 0;    ///< gap pages fetched after a resume that was not `recovered`
        int live = 0;            ///< message events received in a synced room
    };

    ChaosClient(Options options, UrlSource url, QObject *parent = nullptr);
    ~ChaosClient() override;

    /// Connects, and reconnects after every drop until stop().
    void start();
    /// No more reconnects; the connection is aborted.
    void stop();
    /// Queues a message; its client message id.
    QString enqueue(const QString &room, const QString &text);

    State state() const { return m_state; }
    bool isSynced() const { return m_state == State::Synced; }
    QString user() const { return m_options.user; }
    /// The local port of the current connection (0 when not connected): what `ss -K` aims at.
    quint16 localPort() const;
    QWebSocket &socket() { return m_socket; }

    /// Acknowledged messages by client message id.
    const QHash<QString, Ack> &acked() const { return m_acked; }
    /// Messages not acknowledged yet (queued or on the wire).
    int unackedCount() const { return int(m_pending.size()); }
    /// Messages the server refused for good (anything but a transient error), by client message id.
    const QHash<QString, Protocol::Error> &refused() const { return m_refused; }
    const QMap<QString, RoomView> &views() const { return m_views; }
    qint64 maxHeld(const QString &room) const;
    /// The seq up to which the client holds every message of the room: where its resume starts.
    qint64 contiguousHeld(const QString &room) const;
    const QStringList &anomalies() const { return m_anomalies; }
    const Counters &counters() const { return m_counters; }
    /// Every error answered to a send, for tests that expect (or forbid) some.
    const QList<Protocol::Error> &sendErrors() const { return m_sendErrors; }
    /// From each send that was acknowledged to its ack, in ms (the attempt that got the ack).
    const QList<qint64> &ackLatenciesMs() const { return m_ackLatencies; }

Q_SIGNALS:
    /// Something arrived or changed (an ack, a message, a state change): for QSignalSpy::wait.
    void progressed();

private:
    struct Pending
    {
        QString room;
        QString text;
        int attempts = 0;
    };

    void connectNow();
    void onConnected();
    void onStateChanged(QAbstractSocket::SocketState socketState);
    /// The connection is gone (or never came): requeue what was on the wire, reconnect later. Idempotent.
    void onDropped();
    void onText(const QString &text);
    void onReply(const Protocol::Reply &reply);
    void onSendReply(const QString &clientMsgId, const Protocol::Reply &reply);
    void onResumeReply(const Protocol::Reply &reply);
    void onHistoryReply(const QString &room, const Protocol::Reply &reply);
    void onMessage(const Protocol::ChatMessage &message);
    void pumpSends();
    void pauseSends(int ms);
    void requestGapPage(const QString &room, qint64 after);
    void roomSynced(const QString &room);
    void post(const Protocol::Request &request);
    void anomaly(const QString &what);
    QString nextId(QChar kind) { return QString(kind) + QString::number(m_generation) + u'.' + QString::number(++m_lastId); }

    Options m_options;
    UrlSource m_url;
    QWebSocket m_socket;
    QTimer m_reconnectTimer;
    QTimer m_watchdog;      ///< a connection that does not get to `auth ok` in time is dropped
    QTimer m_sendPause;
    QRandomGenerator m_random;
    State m_state = State::Stopped;
    quint64 m_generation = 0;
    int m_lastId = 0;
    int m_nextMessage = 0;

    std::deque<QString> m_queue;              ///< client message ids waiting to be sent, in order
    QHash<QString, Pending> m_pending;        ///< unacknowledged, queued or in flight
    QHash<QString, QString> m_inFlight;       ///< request id -> client message id (this connection)
    QHash<QString, qint64> m_sentAt;          ///< request id -> m_clock when sent
    QElapsedTimer m_clock;
    QList<qint64> m_ackLatencies;
    QHash<QString, Ack> m_acked;
    QHash<QString, Protocol::Error> m_refused;
    QList<Protocol::Error> m_sendErrors;

    QString m_authId, m_resumeId;
    QSet<QString> m_setupIds;                 ///< create_room and join sent for ensureRooms: answers ignored
    QHash<QString, QString> m_historyIds;     ///< request id -> room
    QSet<QString> m_syncedRooms;              ///< rooms synced on this connection
    QMap<QString, RoomView> m_views;
    QStringList m_anomalies;
    Counters m_counters;
};

/// A digest of a room's messages (seq, sender, client message id, text, timestamp, in seq order): equal
/// digests mean equal histories, so a client process can report its view in one line.
QByteArray viewDigest(const QList<Protocol::ChatMessage> &messages);
QByteArray viewDigest(const RoomView &view);

} // namespace Tertulia::Chaos
