#include "server/socketio/chat/recoverylog.h"

namespace Tertulia {

void RecoveryLog::setBase(const QString &roomKey, qint64 seq)
{
    auto it = m_base.find(roomKey);
    if (it == m_base.end())
        m_base.insert(roomKey, seq);
    else
        *it = std::max(*it, seq);
}

qint64 RecoveryLog::record(const QString &roomKey, qint64 seq)
{
    // Seqs of a room reach a connection in order and without holes, so the first message seen from a
    // room tells where the client stood in it before.
    if (!m_base.contains(roomKey))
        m_base.insert(roomKey, seq - 1);
    const qint64 offset = m_nextOffset++;
    m_entries.append(Entry{offset, roomKey, seq});
    if (m_entries.size() > m_capacity) {
        // Fold the oldest entry into the base: a client that saw it (or later) still recovers exactly.
        const Entry oldest = m_entries.takeFirst();
        setBase(oldest.roomKey, oldest.seq);
        m_folded = oldest.offset;
    }
    return offset;
}

void RecoveryLog::settle(const QHash<QString, qint64> &roomPositions)
{
    for (auto it = roomPositions.cbegin(); it != roomPositions.cend(); ++it) {
        if (!m_base.contains(it.key()))
            m_base.insert(it.key(), it.value());
    }
}

std::optional<QHash<QString, qint64>> RecoveryLog::positionsAt(std::optional<qint64> offset) const
{
    const qint64 seen = offset.value_or(0);
    if (seen < m_folded || seen >= m_nextOffset)
        return std::nullopt;
    QHash<QString, qint64> positions = m_base;
    for (const Entry &entry : m_entries) {
        if (entry.offset > seen)
            break;
        qint64 &position = positions[entry.roomKey];
        position = std::max(position, entry.seq);
    }
    return positions;
}

} // namespace Tertulia
