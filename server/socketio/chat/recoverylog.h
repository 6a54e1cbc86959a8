#pragma once

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace Tertulia {

/// What one Socket.IO chat connection delivered, so that a reconnect can tell what the client missed.
///
/// Socket.IO's connection state recovery gives every event an offset and the client sends back the last
/// one it saw. Here each delivered `message` gets the next offset of this connection; the log remembers
/// (offset, room, seq), and with the client's last offset works out the last seq the client holds in
/// every room. The rooms' own sequence numbers then tell the server exactly what to replay (the same
/// `resume` the native protocol uses). A pure value type: no I/O, tested from tables.
class RecoveryLog
{
public:
    explicit RecoveryLog(qsizetype capacity = 4096) : m_capacity(capacity) { }

    /// The client holds `room` up to `seq` (at connect time, or when it joined). Never moves back.
    void setBase(const QString &roomKey, qint64 seq);
    /// Records a delivered message; returns its offset.
    qint64 record(const QString &roomKey, qint64 seq);
    /// The offset of the last recorded message (0: none).
    qint64 lastOffset() const { return m_nextOffset - 1; }
    /// At disconnect: rooms the log knows nothing about (joined from another session, and nothing
    /// delivered since) stood where they stand now.
    void settle(const QHash<QString, qint64> &roomPositions);

    /// Where the client stands in every known room, given the last offset it received (none: it
    /// received no message). Nothing when the offset cannot be trusted: older than what the log still
    /// knows, or never issued.
    std::optional<QHash<QString, qint64>> positionsAt(std::optional<qint64> offset) const;

private:
    struct Entry
    {
        qint64 offset;
        QString roomKey;
        qint64 seq;
    };
    qsizetype m_capacity;
    QList<Entry> m_entries;                ///< ascending offsets
    QHash<QString, qint64> m_base;         ///< seq held before the first logged entry of the room
    qint64 m_nextOffset = 1;
    qint64 m_folded = 0;                   ///< entries up to this offset were folded into m_base
};

} // namespace Tertulia
