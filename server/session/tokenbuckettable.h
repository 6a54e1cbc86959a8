#pragma once

#include "server/session/tokenbucket.h"

#include <QtCore/QHash>
#include <QtCore/QString>

namespace Tertulia {

/// Token buckets by key (a user, an address) that outlive the connections they count, so that
/// reconnecting does not restore a burst: one user once stored 111 870 messages in 10 s over 3 734
/// connections when the user's bucket went with the last connection.
///
/// A bucket is kept until it would have refilled to full; from then on it is the same as a new one and is
/// forgotten (lazily, in passes amortised over insertions). Memory is bounded: at most `maxKeys` buckets.
/// When that many are all still refilling (a flood from many addresses), new keys share one overflow
/// bucket with the same budget: the flood throttles itself and cannot push anyone's bucket out (evicting
/// one would hand its owner a fresh burst).
class TokenBucketTable
{
public:
    TokenBucketTable(double burst, double perSecond, qsizetype maxKeys = 100000);

    /// Takes one token from the key's bucket if there is one.
    bool take(const QString &key, qint64 nowMs);
    /// Milliseconds until the key's bucket has a token (0: now).
    qint64 msUntilNext(const QString &key, qint64 nowMs);

    /// Buckets held (the overflow bucket not counted).
    qsizetype size() const { return m_buckets.size(); }
    /// Whether new keys currently share the overflow bucket.
    bool isOverflowing() const { return m_overflowing; }

private:
    TokenBucket &bucket(const QString &key, qint64 nowMs);
    void forgetFull(qint64 nowMs);

    double m_burst;
    double m_perSecond;
    qsizetype m_maxKeys;
    qsizetype m_pruneAt;
    qint64 m_nextPruneMs = 0;   ///< at the cap: no pass before this
    bool m_overflowing = false;
    QHash<QString, TokenBucket> m_buckets;
    TokenBucket m_overflow;
};

} // namespace Tertulia
