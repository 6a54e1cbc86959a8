#pragma once

#include <QtCore/QObject>

#include <memory>

namespace Tertulia {

class Clock;
class ClockTimer;
class ConnectionHealth;
class ConnectionManager;
class Outbox;
struct OutboxEntry;

/// Sends what the outbox holds, in the order it was written, over the connection: every queued entry
/// goes out when flush() is called with the connection up (after each sync, for a new message, after a
/// retry, after an upload), except those behind a message of the same room whose file is still uploading. The answer is recorded in the outbox: a seq when stored; for rate-limited or internal errors
/// another try after a growing pause, up to kMaxTransientFailures, then failed; failed at once for
/// anything else. The policy is here, the entries are the Outbox's, so neither the account (ChatClient)
/// nor the outbox knows how a message travels.
///
/// An entry that waited for a connection says when it was written (`written_at`, its createdAt): the server
/// then shows everyone that time beside its own (docs/protocol.md, **send**). Only one that waited more than
/// Protocol::kWrittenAtMinDelayMs by this clock says so, so a wrong clock alone never marks a message sent
/// as it was written.
class OutboxSender final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutboxSender)

public:
    /// Rate-limited or internal-error sends tried this many times before showing as failed.
    static constexpr int kMaxTransientFailures = 5;
    /// The longest text until the server's hello says (UTF-8 bytes).
    static constexpr qint64 kDefaultMaxTextBytes = 16 * 1024;

    OutboxSender(ConnectionManager &connection, Outbox &outbox, Clock &clock, QObject *parent = nullptr);
    ~OutboxSender() override;

    /// Sends every queued entry now, if the connection is authenticated (otherwise they wait).
    void flush();
    /// Longest text the server accepts, in UTF-8 bytes (its `hello` says; kDefaultMaxTextBytes until then).
    qint64 maxTextBytes() const;

Q_SIGNALS:
    /// The server stored one of our messages (the health panel counts them).
    void messageStored();

private:
    void send(const OutboxEntry &entry);
    /// The `written_at` to send for the entry now (0: none; it did not wait).
    qint64 writtenAt(const OutboxEntry &entry) const;

    ConnectionManager &m_connection;
    Clock &m_clock;
    Outbox &m_outbox;
    std::unique_ptr<ClockTimer> m_retryTimer;
};

} // namespace Tertulia
