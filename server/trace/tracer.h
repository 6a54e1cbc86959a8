#pragma once

#include "server/trace/messagetrace.h"
#include "server/trace/tracering.h"
#include "server/trace/tracesampler.h"
#include "server/trace/tracingconfig.h"

#include <QtCore/QObject>

#include <QtCore/QHash>
#include <QtCore/QTimer>

#include <deque>
#include <memory>

namespace Tertulia {

class Room;
class Session;
namespace Protocol {
struct ChatMessage;
struct Request;
}

namespace Trace {

class OtlpExporter;

/// Delivery traces of this node (docs/administration.md#delivery-traces). The `send` handler asks begin()
/// whether a message is traced and fills in its stages; once it is committed the trace awaits its delivery
/// here by (room, seq), where RoomRegistry finds it when it hands the message out, whichever way the message
/// comes (at once on one node; from the log, perhaps after earlier ones, with several). A trace is complete
/// when it was both delivered and answered to its sender: it is then logged with its trace id, kept in the
/// ring and handed to the OTLP exporter when there is a collector. With several nodes, a traced message
/// another node received is traced here too as RoomRegistry hands it out (relayed(): this node's part, under
/// the same trace id). Untraced messages cost one sampling decision and two checks that nothing awaits its
/// commit or delivery.
class Tracer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Tracer)

public:
    Tracer(const TracingConfig &config, const QString &node, QObject *parent = nullptr);
    ~Tracer() override;

    /// A trace for a `send` into `roomName` if this one is traced (a client's sampled traceparent, a room or
    /// user traced always, the ratio), else null. A client's trace context is continued: same trace id, its
    /// span as the parent.
    std::shared_ptr<MessageTrace> begin(const Protocol::Request &request, const Session &sender,
                                        const QString &roomName);
    /// Notes, just before the room hands the event out, which of its subscribers get it and which of its
    /// members are not connected here.
    static void noteDelivery(MessageTrace &trace, const Room &room, const QString &excludeUserKey);
    /// The message goes to the store now. With several nodes, this node may read it from the log before the
    /// store reports its commit (another node's notice, or its own, woke the read first): until
    /// awaitDelivery() or answered(), RoomRegistry finds its trace by its sender and client_msg_id
    /// (takeCommitting()). At most kMaxAwaiting.
    void committing(const std::shared_ptr<MessageTrace> &trace);
    bool awaitsCommit() const { return !m_committing.isEmpty(); }
    /// The trace of this node's message of the room, read from the log before its commit was reported (its
    /// deliveries are noted now, its answer comes later); null when there is none.
    std::shared_ptr<MessageTrace> takeCommitting(const QString &roomKey, const Protocol::ChatMessage &message);
    /// The message is committed (it has its seq): its delivery is awaited, unless it was delivered already
    /// (takeCommitting()). At most kMaxAwaiting wait, for at most kAwaitMs; past either the trace is completed
    /// as it stands, without deliveries (never handed out here: its room is gone; or handed out before its
    /// commit was reported while kMaxAwaiting others were committing).
    void awaitDelivery(const std::shared_ptr<MessageTrace> &trace);
    bool awaitsDelivery() const { return !m_awaiting.isEmpty(); }
    /// The trace of message `seq` of the room, if it awaits delivery (it no longer does).
    std::shared_ptr<MessageTrace> takeAwaitingDelivery(const QString &roomKey, qint64 seq);
    /// A traced message that node `origin` received (its trace context, whose span is that node's span of the
    /// `send`), routed here from the log: its relayed trace on this node, to note its deliveries in and hand
    /// to delivered(), which completes it. Traced because its origin traced it (parent-based), whatever the
    /// sampler here says.
    std::shared_ptr<MessageTrace> relayed(const TraceContext &origin, const QString &originNode,
                                          const QString &roomName, const Protocol::ChatMessage &message,
                                          qint64 position);
    /// Every local subscriber was handed the message: a relayed trace is complete, another when it was
    /// answered too.
    void delivered(const std::shared_ptr<MessageTrace> &trace);
    /// The sender was answered (ok or error): complete unless the delivery is still awaited.
    void answered(const std::shared_ptr<MessageTrace> &trace);
    /// A reader's session reports that it showed message `seq` of the room (`displayed`). Kept, logged and
    /// exported (a `displayed` span) when the message's trace is in the ring and that session was handed the
    /// message, once per session; false otherwise (not traced, forgotten, or not delivered to that session).
    bool displayed(const QString &roomKey, qint64 seq, quint64 session, const QString &user);

    static constexpr int kMaxAwaiting = 1024;
    static constexpr int kAwaitMs = 10000;

    const TraceRing &ring() const { return m_ring; }
    /// Null without a collector.
    const OtlpExporter *exporter() const { return m_exporter; }
    quint64 tracesStarted() const { return m_started; }
    /// Traced messages of other nodes routed here (relayed()).
    quint64 tracesRelayed() const { return m_relayed; }

    /// Wall clock, ns since the epoch. Not the server's injectable clock (ServerContext::wallClockMs): spans
    /// need nanoseconds, and OTLP collectors line them up with other services' spans by the real time.
    static qint64 nowNs();

private:
    static QString keyOf(const QString &roomKey, qint64 seq) { return roomKey + u'\x1f' + QString::number(seq); }
    static QString committingKey(const QString &roomKey, const QString &sender, const QString &clientMsgId);
    /// Forgets it as committing (its commit was reported).
    void committed(const std::shared_ptr<MessageTrace> &trace);
    /// Logs it, keeps it, exports it.
    void finish(const MessageTrace &trace);
    /// Completes the traces that waited longer than kAwaitMs for their delivery.
    void expireAwaiting();

    TraceSampler m_sampler;
    TraceRing m_ring;
    QString m_node;
    OtlpExporter *m_exporter = nullptr;
    quint64 m_started = 0;
    quint64 m_relayed = 0;
    QHash<QString, std::shared_ptr<MessageTrace>> m_awaiting;   ///< by keyOf(room key, seq)
    std::deque<QString> m_awaitingOrder;                        ///< keys, oldest first (some already taken)
    QHash<QString, std::shared_ptr<MessageTrace>> m_committing; ///< by committingKey()
    QTimer m_expiry;                                             ///< runs while something awaits
};

} // namespace Trace
} // namespace Tertulia
