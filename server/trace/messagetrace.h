#pragma once

#include "server/trace/tracecontext.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Tertulia::Trace {

/// One member's session that was handed the message.
struct Delivery
{
    quint64 session = 0;       ///< the connection id of the logs ("conn=12")
    QString user;
    QString protocol;          ///< "native" or "socket.io"
    qint64 atNs = 0;           ///< wall clock, ns since the epoch
    /// Unsent bytes the socket already held: 0 means the event went straight to the socket; more means it
    /// queued behind them (a slow reader, backpressure).
    qint64 queuedBehindBytes = 0;
};

/// One member's session that reported showing the message (`displayed`), after it was handed the message.
struct Display
{
    quint64 session = 0;       ///< the connection id, one of the trace's deliveries
    QString user;
    qint64 atNs = 0;           ///< when the report reached the server (wall clock, ns since the epoch)
    QByteArray spanId;         ///< its `displayed` span, a child of the message's `chat.send`
};

/// What happened to one message on this node, from its `send` to each member's socket. The handler and the
/// room registry fill it in as the message goes; times are wall clock in ns since the epoch (0: not reached).
///
/// With several nodes, a traced message another node received is traced here too, as the context stored with
/// it tells (a relayed trace: isRelayed()): the same trace id, this node's `deliver` span
/// (context.spanId) as a child of the other node's span of the `send` (parentSpanId), and only the stages
/// this node sees, routed and delivered.
struct MessageTrace
{
    /// Deliveries kept per trace: a room of many thousands still gets counted, but not listed.
    static constexpr int kMaxDeliveriesListed = 1000;

    TraceContext context;      ///< the trace, and this node's span of the `send`
    QByteArray parentSpanId;   ///< the client's span when it passed a traceparent; empty when the server began it
    /// The child spans' ids (validate, commit, publish, deliver), drawn when the trace begins.
    QByteArray validateSpanId, commitSpanId, publishSpanId, deliverSpanId;
    QString node;              ///< this node
    QString originNode;        ///< the node that received the `send` (`node` itself unless relayed)
    QString room;
    QString sender;
    QString clientMsgId;       ///< the sender's id for it (finds it before its seq is known; not shown)
    quint64 senderSession = 0;
    qint64 seq = 0;
    qint64 position = 0;       ///< the message's global position (several nodes), 0 on one node
    bool duplicate = false;    ///< a retry of a message already stored: nothing delivered again
    QString error;             ///< why it failed (validation or store), empty when it did not

    qint64 receivedNs = 0;     ///< the `send` reached its handler
    qint64 validatedNs = 0;    ///< parameters, room access and size checked
    qint64 committedNs = 0;    ///< the store's transaction committed
    qint64 publishedNs = 0;    ///< handed to the bus
    qint64 routedNs = 0;       ///< the room registry had it (at once on one node; from the log with several)
    qint64 deliveredNs = 0;    ///< every local subscriber handed the event
    qint64 ackedNs = 0;        ///< the sender's `ok` handed to its socket

    QList<Delivery> deliveries; ///< at most kMaxDeliveriesListed
    int deliveredCount = 0;     ///< every session handed the event (deliveries may list fewer)
    int queuedCount = 0;        ///< of those, sessions where it queued behind unsent bytes
    /// Members with no connection on this node when it was delivered: they get it by `resume` or history
    /// (at most kMaxDeliveriesListed named; offlineCount counts them all).
    QStringList offline;
    int offlineCount = 0;
    /// Sessions that reported showing it (at most kMaxDeliveriesListed; displayedCount counts them all).
    QList<Display> displays;
    int displayedCount = 0;
    /// A later report of displays of a trace already exported: only their `displayed` spans go to the
    /// collector (the rest of the trace went before).
    bool displaysOnly = false;

    /// A trace of a message another node received (its part here: the deliveries on this node).
    bool isRelayed() const { return !originNode.isEmpty() && originNode != node; }
    qint64 endNs() const;
    /// The admin API's view ("what happened to message (room, seq)?").
    QJsonObject toJson() const;
};

/// The traces as an OTLP ExportTraceServiceRequest in its JSON encoding (ids in hex, times as decimal strings
/// of ns): per message a server span `chat.send` (received to the later of delivered and answered) and its
/// children `validate` (received to validated), `store.commit` (validated to committed), `publish` (committed
/// to routed: the bus's share) and `deliver` (routed to delivered; one event per session handed the message),
/// and one `displayed` span per display report (a point in time: a reader's client showed it). A relayed trace
/// is one consumer span `deliver` (routed to delivered, with the events per session), a child of the origin
/// node's `chat.send`, and its displays. Pure.
QJsonObject toOtlp(const QList<MessageTrace> &traces, const QString &serviceName, const QString &serviceVersion);

} // namespace Tertulia::Trace
