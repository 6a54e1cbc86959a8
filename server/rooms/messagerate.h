#pragma once

#include <QtCore/QtGlobal>

#include <algorithm>
#include <array>

namespace Tertulia {

/// How many messages a room had over the last minute (the admin API's and console's message rate per room,
/// issue 13): one counter per second of a 60-second ring, advanced by the messages themselves. note() is a few
/// integer operations and never allocates; a room that is quiet keeps stale buckets that count() ignores.
///
/// Hand-written rather than a metric: `/metrics` has no per-room series (unbounded labels), and this is the
/// smallest thing that answers "messages per second in this room" on the node that routes its messages.
class MessageRate
{
public:
    static constexpr int kSeconds = 60;

    /// One message at `nowMs` (a monotonic clock, ms from 0).
    void note(qint64 nowMs)
    {
        const qint64 second = nowMs / 1000;
        advanceTo(second);
        ++m_counts[std::size_t(second % kSeconds)];
    }

    /// Messages noted in the last kSeconds seconds up to `nowMs` (its own second included).
    qint64 count(qint64 nowMs) const
    {
        const qint64 now = nowMs / 1000;
        if (m_last < 0)
            return 0;
        qint64 total = 0;
        // The buckets hold the seconds (m_last - kSeconds, m_last], none before 0; the window is
        // (now - kSeconds, now].
        const qint64 first = std::max({qint64(0), now - kSeconds + 1, m_last - kSeconds + 1});
        for (qint64 second = first; second <= std::min(now, m_last); ++second)
            total += m_counts[std::size_t(second % kSeconds)];
        return total;
    }

    /// count() per second, averaged over the minute.
    double perSecond(qint64 nowMs) const { return double(count(nowMs)) / kSeconds; }

private:
    void advanceTo(qint64 second)
    {
        if (second <= m_last)
            return;
        // The seconds skipped since the last message held none: clear them (at most the whole ring).
        const qint64 from = std::max(m_last + 1, second - kSeconds + 1);
        for (qint64 s = from; s <= second; ++s)
            m_counts[std::size_t(s % kSeconds)] = 0;
        m_last = second;
    }

    std::array<quint32, kSeconds> m_counts{};
    qint64 m_last = -1;   ///< the newest second counted; -1: none yet
};

} // namespace Tertulia
