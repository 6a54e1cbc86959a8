#include "server/trace/tracering.h"

#include "shared/names.h"

namespace Tertulia::Trace {

TraceRing::TraceRing(int capacity) : m_capacity(std::max(1, capacity)) { }

void TraceRing::add(MessageTrace trace)
{
    if (int(m_traces.size()) == m_capacity) {
        const QString &oldKey = m_traces.front().first;
        // A later trace of the same message (a retry) may have taken the key over: only drop our own entry.
        if (!oldKey.isEmpty() && m_index.value(oldKey) == m_firstSerial)
            m_index.remove(oldKey);
        m_traces.pop_front();
        ++m_firstSerial;
    }
    // A retry of a stored message (duplicate) names the original's seq: the original's trace keeps the key.
    const QString key = trace.seq > 0 && !trace.duplicate ? keyOf(Names::canonical(trace.room), trace.seq) : QString();
    if (!key.isEmpty())
        m_index.insert(key, m_firstSerial + m_traces.size());
    m_traces.emplace_back(key, std::move(trace));
}

std::optional<MessageTrace> TraceRing::find(const QString &roomKey, qint64 seq) const
{
    const auto it = m_index.constFind(keyOf(roomKey, seq));
    if (it == m_index.cend())
        return std::nullopt;
    return m_traces.at(size_t(*it - m_firstSerial)).second;
}

MessageTrace *TraceRing::at(const QString &roomKey, qint64 seq)
{
    const auto it = m_index.constFind(keyOf(roomKey, seq));
    return it == m_index.cend() ? nullptr : &m_traces.at(size_t(*it - m_firstSerial)).second;
}

QList<MessageTrace> TraceRing::recent(int limit) const
{
    QList<MessageTrace> result;
    for (auto it = m_traces.crbegin(); it != m_traces.crend() && result.size() < limit; ++it)
        result.append(it->second);
    return result;
}

} // namespace Tertulia::Trace
