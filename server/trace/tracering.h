#pragma once

#include "server/trace/messagetrace.h"

#include <QtCore/QHash>

#include <deque>
#include <optional>

namespace Tertulia::Trace {

/// The node's recent traces, oldest dropped first: the answer to "what happened to message (room, seq)?"
/// without a collector. Bounded by a count; a trace is found by its room's canonical name and seq.
class TraceRing
{
public:
    explicit TraceRing(int capacity);

    /// Keeps a finished trace. One without a seq (a failed send) or of a retry is kept too, but listed only by
    /// recent().
    void add(MessageTrace trace);
    std::optional<MessageTrace> find(const QString &roomKey, qint64 seq) const;
    /// The kept trace itself, to add to it (display reports); null when it is not kept.
    MessageTrace *at(const QString &roomKey, qint64 seq);
    /// The newest traces first, at most `limit`.
    QList<MessageTrace> recent(int limit) const;
    int size() const { return int(m_traces.size()); }
    int capacity() const { return m_capacity; }

private:
    static QString keyOf(const QString &roomKey, qint64 seq) { return roomKey + u'\x1f' + QString::number(seq); }

    int m_capacity;
    std::deque<std::pair<QString, MessageTrace>> m_traces;   ///< (key, trace), oldest first
    QHash<QString, quint64> m_index;                        ///< key -> the trace's serial number
    quint64 m_firstSerial = 0;                              ///< serial number of m_traces.front()
};

} // namespace Tertulia::Trace
