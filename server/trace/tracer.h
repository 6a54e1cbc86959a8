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
struct Request;
}

namespace Trace {

class OtlpExporter;

/// Delivery traces of this node (docs/administration.md#delivery-traces). The `send` handler asks begin()
/// whether a message is traced and fills in its stages; once it is committed the trace awaits its delivery
/// here by (room, seq), where RoomRegistry finds it when it hands the message out, whichever way the message
/// comes (at once on one node; from the log, perhaps after earlier ones, with several). A trace is complete
/// when it was both delivered and answered to its sender: it is then logged with its trace id, kept in the
/// ring and handed to the OTLP exporter when there is a collector. Untraced messages cost one sampling
/// decision and one check that nothing awaits delivery.
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
    /// The message is committed (it has its seq): its delivery is awaited. At most kMaxAwaiting wait, for at
    /// most kAwaitMs; past either the trace is completed as it stands, without deliveries (a message handed
    /// out before its trace awaited it, from the log of a cluster, or never: its room is gone).
    void awaitDelivery(const std::shared_ptr<MessageTrace> &trace);
    bool awaitsDelivery() const { return !m_awaiting.isEmpty(); }
    /// The trace of message `seq` of the room, if it awaits delivery (it no longer does).
    std::shared_ptr<MessageTrace> takeAwaitingDelivery(const QString &roomKey, qint64 seq);
    /// Every local subscriber was handed the message.
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

    /// Wall clock, ns since the epoch. Not the server's injectable clock (ServerContext::wallClockMs): spans
    /// need nanoseconds, and OTLP collectors line them up with other services' spans by the real time.
    static qint64 nowNs();

private:
    static QString keyOf(const QString &roomKey, qint64 seq) { return roomKey + u'\x1f' + QString::number(seq); }
    /// Logs it, keeps it, exports it.
    void finish(const MessageTrace &trace);
    /// Completes the traces that waited longer than kAwaitMs for their delivery.
    void expireAwaiting();

    TraceSampler m_sampler;
    TraceRing m_ring;
    QString m_node;
    OtlpExporter *m_exporter = nullptr;
    quint64 m_started = 0;
    QHash<QString, std::shared_ptr<MessageTrace>> m_awaiting;   ///< by keyOf(room key, seq)
    std::deque<QString> m_awaitingOrder;                        ///< keys, oldest first (some already taken)
    QTimer m_expiry;                                             ///< runs while something awaits
};

} // namespace Trace
} // namespace Tertulia
