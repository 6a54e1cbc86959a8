#include "server/metrics/metrics.h"

namespace Tertulia {

namespace {
void writeHeader(QByteArray &out, const char *name, const char *help, const char *type)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void writeValue(QByteArray &out, const char *name, const char *labels, double value)
{
    out += name;
    if (labels && *labels) {
        out += '{';
        out += labels;
        out += '}';
    }
    out += ' ';
    out += QByteArray::number(value, 'g', 17);
    out += '\n';
}

void counter(QByteArray &out, const char *name, const char *help, quint64 value)
{
    writeHeader(out, name, help, "counter");
    writeValue(out, name, nullptr, double(value));
}

void gauge(QByteArray &out, const char *name, const char *help, double value)
{
    writeHeader(out, name, help, "gauge");
    writeValue(out, name, nullptr, value);
}
} // namespace

void Histogram::observe(double seconds)
{
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        if (seconds <= kBounds[i]) {
            ++m_buckets[i];
            break;
        }
    }
    ++m_count;
    m_sum += seconds;
}

void Histogram::write(QByteArray &out, const char *name, const char *help) const
{
    writeHeader(out, name, help, "histogram");
    const QByteArray bucket = QByteArray(name) + "_bucket";
    quint64 cumulative = 0;
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        cumulative += m_buckets[i];
        writeValue(out, bucket.constData(), ("le=\"" + QByteArray::number(kBounds[i], 'g', 6) + '"').constData(),
                   double(cumulative));
    }
    writeValue(out, bucket.constData(), "le=\"+Inf\"", double(m_count));
    writeValue(out, (QByteArray(name) + "_sum").constData(), nullptr, m_sum);
    writeValue(out, (QByteArray(name) + "_count").constData(), nullptr, double(m_count));
}

QByteArray Metrics::prometheusText(const Gauges &g) const
{
    QByteArray out;
    out.reserve(8192);
    gauge(out, "tertulia_connections_active", "Open WebSocket sessions.", g.activeConnections);
    gauge(out, "tertulia_tcp_connections_open",
          "TCP connections counted against the connection cap (HTTP, WebSocket, Socket.IO; this request's too).",
          g.tcpConnections);
    gauge(out, "tertulia_users_authenticated", "Distinct users with at least one open session.",
          g.authenticatedUsers);
    gauge(out, "tertulia_rooms", "Rooms on this server.", g.rooms);
    gauge(out, "tertulia_uptime_seconds", "Seconds since the server started.", double(g.uptimeSeconds));
    writeHeader(out, "tertulia_node_info", "This node's name (constant 1).", "gauge");
    writeValue(out, "tertulia_node_info", ("node=\"" + g.nodeId + '"').constData(), 1);
    counter(out, "tertulia_messages_repeated_total",
            "Messages heard a second time and dropped by (room, seq) (a cluster node reads its own back).",
            g.duplicatesDropped);
    if (g.bus) {
        writeHeader(out, "tertulia_bus_info", "What carries the cluster bus's notices: postgres or redis (constant 1).",
                    "gauge");
        writeValue(out, "tertulia_bus_info", ("bus=\"" + g.bus->transport + '"').constData(), 1);
        gauge(out, "tertulia_bus_listening", "Whether the cluster bus can hear (its LISTEN or SUBSCRIBE connection is up).", g.bus->listening);
        gauge(out, "tertulia_bus_position", "The global position of the last message this node handed on.",
              double(g.bus->position));
        gauge(out, "tertulia_bus_heartbeat_seconds", "Round trip of the bus's last heartbeat to itself.",
              g.bus->heartbeatMs < 0 ? -1.0 : double(g.bus->heartbeatMs) / 1000.0);
        counter(out, "tertulia_bus_remote_facts_total", "Facts heard from other nodes.", g.bus->remoteFacts);
        counter(out, "tertulia_bus_messages_read_total", "Committed messages read from the store after a notice.",
                g.bus->messagesRead);
        counter(out, "tertulia_bus_catch_ups_total", "Reads of the log after the bus connection was replaced.",
                g.bus->catchUps);
        counter(out, "tertulia_bus_reconnects_total", "Bus connections (LISTEN or Redis) found dead and replaced.",
                g.bus->reconnects);
        gauge(out, "tertulia_bus_peers", "Other nodes heard within the node lease.", g.bus->peers);
        gauge(out, "tertulia_bus_lag_messages", "Committed messages (any node) this node has not handed on yet.",
              double(g.bus->lag));
        busMessageAge.write(out, "tertulia_bus_message_age_seconds",
                            "From a message's commit on another node to this node reading it from the log.");
        counter(out, "tertulia_bus_nodes_lost_total", "Other nodes not heard for the node lease.", g.bus->nodesLost);
    }
    counter(out, "tertulia_traces_started_total", "Messages traced (docs/administration.md#delivery-traces).",
            g.traces.started);
    counter(out, "tertulia_traces_relayed_total",
            "Traced messages another node received, traced here as they were delivered.", g.traces.relayed);
    counter(out, "tertulia_traces_exported_total", "Traces the OTLP collector took.", g.traces.exported);
    counter(out, "tertulia_traces_export_failed_total", "Traces in export requests the collector did not take.",
            g.traces.exportFailed);
    counter(out, "tertulia_traces_dropped_total", "Traces dropped because the export queue was full.",
            g.traces.dropped);
    counter(out, "tertulia_connections_accepted_total", "TCP connections accepted.", connectionsAccepted);
    writeHeader(out, "tertulia_connections_refused_total", "Connections refused, by reason.", "counter");
    writeValue(out, "tertulia_connections_refused_total", "reason=\"per_ip\"", double(connectionsRefusedPerIp));
    writeValue(out, "tertulia_connections_refused_total", "reason=\"total\"", double(connectionsRefusedTotal));
    writeValue(out, "tertulia_connections_refused_total", "reason=\"per_ip_rate\"", double(connectionsRefusedChurn));
    writeValue(out, "tertulia_connections_refused_total", "reason=\"per_user_rate\"", double(sessionsRefusedChurn));
    writeValue(out, "tertulia_connections_refused_total", "reason=\"origin\"", double(originRefused));
    counter(out, "tertulia_sessions_opened_total", "WebSocket sessions opened.", sessionsOpened);
    counter(out, "tertulia_sessions_closed_total", "WebSocket sessions closed.", sessionsClosed);
    counter(out, "tertulia_messages_received_total", "Messages stored from clients.", messagesReceived);
    counter(out, "tertulia_messages_duplicate_total", "Sends answered from an earlier copy (retries).",
            duplicateSends);
    counter(out, "tertulia_messages_delivered_total", "Message events written to sessions.", messagesDelivered);
    counter(out, "tertulia_frames_in_total", "WebSocket frames received.", framesIn);
    counter(out, "tertulia_frames_out_total", "WebSocket frames sent.", framesOut);
    counter(out, "tertulia_bytes_in_total", "Payload bytes received over WebSocket.", bytesIn);
    counter(out, "tertulia_bytes_out_total", "Payload bytes sent over WebSocket.", bytesOut);
    writeHeader(out, "tertulia_resumes_total", "Resumes after a reconnect, by outcome.", "counter");
    writeValue(out, "tertulia_resumes_total", "outcome=\"recovered\"", double(resumesRecovered));
    writeValue(out, "tertulia_resumes_total", "outcome=\"gap\"", double(resumesGap));
    counter(out, "tertulia_auth_failures_total", "Failed authentications (HTTP and WebSocket).", authFailures);
    writeHeader(out, "tertulia_rate_limited_total", "Requests refused by a rate limit, by scope.", "counter");
    writeValue(out, "tertulia_rate_limited_total", "scope=\"connection\"", double(rateLimitedConnection));
    writeValue(out, "tertulia_rate_limited_total", "scope=\"user\"", double(rateLimitedUser));
    writeValue(out, "tertulia_rate_limited_total", "scope=\"http\"", double(rateLimitedHttp));
    writeHeader(out, "tertulia_closes_total", "Sessions closed by a server policy, by reason.", "counter");
    writeValue(out, "tertulia_closes_total", "reason=\"rate_limit\"", double(rateLimitCloses));
    writeValue(out, "tertulia_closes_total", "reason=\"slow_consumer\"", double(slowConsumerCloses));
    writeValue(out, "tertulia_closes_total", "reason=\"idle\"", double(idleCloses));
    counter(out, "tertulia_slow_consumer_closes_total", "Sessions closed for too many unsent bytes.",
            slowConsumerCloses);
    counter(out, "tertulia_malformed_frames_total", "Frames that could not be decoded.", malformedFrames);
    counter(out, "tertulia_store_commits_total", "Message transactions committed.", g.storeCommits);
    counter(out, "tertulia_store_errors_total", "Message appends that failed.", storeErrors);
    counter(out, "tertulia_http_requests_total", "HTTP requests answered by the API.", httpRequests);
    counter(out, "tertulia_files_served_total", "File downloads answered with the file's bytes.", filesServed);
    deliveryLatency.write(out, "tertulia_delivery_latency_seconds",
                          "From a send arriving to the message written to every member's socket.");
    commitLatency.write(out, "tertulia_commit_latency_seconds", "From a send arriving to its commit.");
    pingRtt.write(out, "tertulia_ping_rtt_seconds", "Round trip of the server's WebSocket pings.");
    return out;
}

} // namespace Tertulia
