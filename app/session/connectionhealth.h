#pragma once

#include "app/net/transport.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QObject>

#include <chrono>
#include <optional>

namespace Tertulia {

class Clock;

/// The outcome of the resume after the latest (re)connect.
struct ResumeSummary
{
    int rooms = 0;               ///< joined rooms that were resumed
    int roomsWithGap = 0;        ///< rooms where the server could not replay everything
    qint64 replayed = 0;         ///< messages the server pushed during the resume
    qint64 pagedIn = 0;          ///< messages fetched with `history after` to close gaps
    bool recovered() const { return roomsWithGap == 0; }
    friend bool operator==(const ResumeSummary &, const ResumeSummary &) = default;
};

/// Connection health, measured rather than guessed: RTT from WebSocket pings (current, mean,
/// standard deviation and the samples of the last few minutes), reconnects and the last disconnect
/// reason, traffic counters, the outbox length, the outcome of the last resume, the server's name
/// and version and the TLS parameters. The ConnectionManager and the ChatClient feed it; the UI reads it.
class ConnectionHealth final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionHealth)

public:
    struct RttSample
    {
        qint64 atMs = 0;         ///< on the health's clock (monotonic)
        QDateTime at;            ///< wall time, for the chart's axis
        double rttMs = 0;
        friend bool operator==(const RttSample &, const RttSample &) = default;
    };

    explicit ConnectionHealth(Clock &clock, QObject *parent = nullptr);

    /// How far back the RTT history (and the mean and deviation) reach; 5 minutes by default.
    void setHistoryWindow(std::chrono::milliseconds window);
    std::chrono::milliseconds historyWindow() const { return m_window; }

    // ---- measurements ----
    void recordRtt(double rttMs);
    void recordIncoming(qint64 bytes);
    void recordOutgoing(qint64 bytes);
    /// A connection reached the connected state; every one after the first counts as a reconnect.
    void recordConnected();
    /// A chat message from someone else entered a timeline (counted once, however often it came).
    void recordMessageReceived();
    /// One of our chat messages was stored by the server.
    void recordMessageSent();
    /// Forgets every reading: a new sign-in (another server, another account) starts from nothing.
    void reset();
    void recordDisconnect(const DisconnectInfo &info);
    void setOutboxLength(int length);
    void recordResume(const ResumeSummary &summary);
    void setServerInfo(const Protocol::ServerInfo &server);
    void setTls(const TlsInfo &tls);

    // ---- readings ----
    std::optional<double> currentRtt() const;
    /// Mean and population standard deviation of the samples in the window (nullopt without samples).
    std::optional<double> meanRtt() const;
    std::optional<double> rttDeviation() const;
    QList<RttSample> rttHistory() const;

    int connectionCount() const { return m_connections; }
    int reconnectCount() const { return m_connections > 0 ? m_connections - 1 : 0; }
    std::optional<DisconnectInfo> lastDisconnect() const { return m_lastDisconnect; }
    QDateTime lastDisconnectAt() const { return m_lastDisconnectAt; }
    /// Protocol frames on the wire (pings, typing, replies and events included).
    quint64 framesIn() const { return m_framesIn; }
    quint64 framesOut() const { return m_framesOut; }
    /// Chat messages: what the person saw arrive from others, and what they sent.
    quint64 messagesReceived() const { return m_messagesReceived; }
    quint64 messagesSent() const { return m_messagesSent; }
    quint64 bytesIn() const { return m_bytesIn; }
    quint64 bytesOut() const { return m_bytesOut; }
    int outboxLength() const { return m_outboxLength; }
    std::optional<ResumeSummary> lastResume() const { return m_lastResume; }
    Protocol::ServerInfo serverInfo() const { return m_server; }
    TlsInfo tls() const { return m_tls; }

    /// Everything above as plain text, for "copy diagnostics".
    QString diagnostics() const;

Q_SIGNALS:
    /// Some reading changed. Traffic changes with every frame: views should repaint on a timer.
    void changed();
    void rttMeasured(double rttMs);

private:
    void prune();

    Clock &m_clock;
    std::chrono::milliseconds m_window{std::chrono::minutes(5)};
    QList<RttSample> m_samples;
    int m_connections = 0;
    std::optional<DisconnectInfo> m_lastDisconnect;
    QDateTime m_lastDisconnectAt;
    quint64 m_framesIn = 0;
    quint64 m_framesOut = 0;
    quint64 m_messagesReceived = 0;
    quint64 m_messagesSent = 0;
    quint64 m_bytesIn = 0;
    quint64 m_bytesOut = 0;
    int m_outboxLength = 0;
    std::optional<ResumeSummary> m_lastResume;
    Protocol::ServerInfo m_server;
    TlsInfo m_tls;
};

} // namespace Tertulia
