#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>

#include <array>
#include <optional>

namespace Tertulia {

/// A Prometheus histogram with fixed buckets in seconds.
class Histogram
{
public:
    static constexpr std::array<double, 14> kBounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                    0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   2.5};
    void observe(double seconds);
    quint64 count() const { return m_count; }
    void write(QByteArray &out, const char *name, const char *help) const;

private:
    std::array<quint64, kBounds.size()> m_buckets{};
    quint64 m_count = 0;
    double m_sum = 0;
};

/// The server's counters, gauges and histograms, written as Prometheus text (format 0.0.4) by hand: the
/// format is a few lines of text, and no Qt Prometheus client is packaged for Debian. Lives on the server
/// thread; plain integers, no locking.
struct Metrics
{
    // connections and users
    quint64 connectionsAccepted = 0;
    quint64 connectionsRefusedPerIp = 0;
    quint64 connectionsRefusedTotal = 0;
    quint64 connectionsRefusedChurn = 0;   ///< new connections from one address too fast
    quint64 sessionsRefusedChurn = 0;      ///< new sessions of one user too fast
    quint64 originRefused = 0;
    quint64 sessionsOpened = 0;
    quint64 sessionsClosed = 0;
    // messages
    quint64 messagesReceived = 0;        ///< accepted `send` requests that stored a new message
    quint64 duplicateSends = 0;
    quint64 messagesDelivered = 0;       ///< message events written to sessions
    quint64 framesIn = 0;
    quint64 framesOut = 0;
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    // recovery
    quint64 resumesRecovered = 0;
    quint64 resumesGap = 0;
    // refusals
    quint64 authFailures = 0;
    quint64 rateLimitedConnection = 0;
    quint64 rateLimitedUser = 0;
    quint64 rateLimitedHttp = 0;
    quint64 rateLimitCloses = 0;
    quint64 slowConsumerCloses = 0;
    quint64 idleCloses = 0;
    quint64 malformedFrames = 0;
    quint64 storeErrors = 0;
    quint64 httpRequests = 0;
    quint64 filesServed = 0;             ///< file downloads answered with the file's bytes (issue 12)
    // latency
    Histogram deliveryLatency;           ///< `send` received -> written to every member's socket
    Histogram pingRtt;                   ///< server WebSocket ping -> pong
    Histogram commitLatency;             ///< append queued -> committed
    /// Several nodes: a message committed on another node -> read from the log here (wall clocks of two
    /// nodes: as good as their time synchronisation).
    Histogram busMessageAge;

    /// Gauges are read when /metrics is asked for.
    struct Gauges
    {
        int activeConnections = 0;       ///< open WebSocket sessions
        int authenticatedUsers = 0;      ///< distinct users with at least one session
        int rooms = 0;
        qint64 uptimeSeconds = 0;
        quint64 storeCommits = 0;
        int tcpConnections = 0;          ///< accepted connections counted against maxConnections
        QByteArray nodeId;               ///< this node's name (tertulia_node_info)
        quint64 duplicatesDropped = 0;   ///< messages heard twice (a cluster node reads its own back)
        bool draining = false;           ///< stopping: /healthz answers 503
        /// The cluster bus, when there is one (docs/scaling.md).
        struct Bus
        {
            quint64 remoteFacts = 0;
            quint64 messagesRead = 0;
            quint64 catchUps = 0;
            quint64 reconnects = 0;
            qint64 position = 0;
            qint64 heartbeatMs = -1;
            bool listening = false;
            int peers = 0;               ///< other nodes heard within their lease
            qint64 lag = 0;              ///< committed messages known, not handed on yet (knownPosition - cursor)
            quint64 nodesLost = 0;
            QByteArray transport;        ///< what carries the notices: postgres or redis (tertulia_bus_info)
        };
        std::optional<Bus> bus;
        /// Delivery traces (docs/administration.md#delivery-traces).
        struct Traces
        {
            quint64 started = 0;
            quint64 exported = 0;        ///< taken by the collector
            quint64 exportFailed = 0;    ///< in requests the collector did not take
            quint64 dropped = 0;         ///< dropped from a full export queue
            quint64 relayed = 0;         ///< traced messages of other nodes routed here (their part here)
        };
        Traces traces;
    };
    QByteArray prometheusText(const Gauges &gauges) const;
};

} // namespace Tertulia
