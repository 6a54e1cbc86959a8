#include "server/session/tokenbuckettable.h"

namespace Tertulia {

namespace {
constexpr qsizetype kMinPruneAt = 1024;
} // namespace

TokenBucketTable::TokenBucketTable(double burst, double perSecond, qsizetype maxKeys)
    : m_burst(burst),
      m_perSecond(perSecond),
      m_maxKeys(std::max<qsizetype>(1, maxKeys)),
      m_pruneAt(std::min(kMinPruneAt, m_maxKeys)),
      m_overflow(burst, perSecond, 0)
{
}

bool TokenBucketTable::take(const QString &key, qint64 nowMs) { return bucket(key, nowMs).take(nowMs); }

qint64 TokenBucketTable::msUntilNext(const QString &key, qint64 nowMs) { return bucket(key, nowMs).msUntilNext(nowMs); }

TokenBucket &TokenBucketTable::bucket(const QString &key, qint64 nowMs)
{
    auto it = m_buckets.find(key);
    if (it != m_buckets.end())
        return *it;
    // At the cap, a pass is worth it only once a bucket can have refilled, and at most once a second: a
    // flood of new keys must not buy a pass over the whole table each.
    if (m_buckets.size() >= m_pruneAt && (m_buckets.size() < m_maxKeys || nowMs >= m_nextPruneMs))
        forgetFull(nowMs);
    m_overflowing = m_buckets.size() >= m_maxKeys;
    if (m_overflowing)
        return m_overflow;
    return *m_buckets.insert(key, TokenBucket(m_burst, m_perSecond, nowMs));
}

void TokenBucketTable::forgetFull(qint64 nowMs)
{
    // A full bucket behaves exactly like the new one a later take() would make. One pass each time the
    // table doubles keeps it within twice the buckets that still matter, at O(1) per insertion.
    qint64 earliestFull = std::numeric_limits<qint64>::max();
    m_buckets.removeIf([nowMs, &earliestFull](const auto &entry) {
        const qint64 fullAt = entry.value().fullAtMs();
        if (fullAt <= nowMs)
            return true;
        earliestFull = std::min(earliestFull, fullAt);
        return false;
    });
    m_pruneAt = std::min(std::max(kMinPruneAt, 2 * m_buckets.size()), m_maxKeys);
    m_nextPruneMs = std::max(earliestFull, nowMs + 1000);
}

} // namespace Tertulia
