#include "histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace Tertulia::Bench {

int Histogram::indexOf(uint64_t value)
{
    if (value < 2 * SubBuckets)
        return int(value);
    const int msb = 63 - std::countl_zero(value);
    int shift = msb - SubBucketBits;
    if (shift > MaxShift) {
        shift = MaxShift;
        value = (uint64_t(2 * SubBuckets) << shift) - 1;   // clamp into the last bucket
    }
    const auto top = int(value >> shift);                   // in [SubBuckets, 2 * SubBuckets)
    return SubBuckets * shift + top;
}

uint64_t Histogram::lowerBoundOf(int index)
{
    if (index < 2 * SubBuckets)
        return uint64_t(index);
    const int shift = index / SubBuckets - 1;
    const auto top = uint64_t(index - SubBuckets * shift);
    return top << shift;
}

uint64_t Histogram::upperBoundOf(int index)
{
    if (index < 2 * SubBuckets)
        return uint64_t(index);
    const int shift = index / SubBuckets - 1;
    const auto top = uint64_t(index - SubBuckets * shift);
    return ((top + 1) << shift) - 1;
}

void Histogram::record(int64_t valueNs)
{
    const int64_t v = std::max<int64_t>(valueNs, 0);
    ++m_counts[size_t(indexOf(uint64_t(v)))];
    m_min = m_count ? std::min(m_min, v) : v;
    m_max = std::max(m_max, v);
    m_sum += v;
    ++m_count;
}

void Histogram::merge(const Histogram &other)
{
    for (size_t i = 0; i < m_counts.size(); ++i)
        m_counts[i] += other.m_counts[i];
    if (other.m_count) {
        m_min = m_count ? std::min(m_min, other.m_min) : other.m_min;
        m_max = std::max(m_max, other.m_max);
    }
    m_count += other.m_count;
    m_sum += other.m_sum;
}

void Histogram::reset()
{
    *this = Histogram{};
}

int64_t Histogram::percentile(double p) const
{
    if (m_count == 0)
        return 0;
    const double clamped = std::clamp(p, 0.0, 100.0);
    auto rank = uint64_t(std::ceil(clamped / 100.0 * double(m_count)));
    rank = std::clamp<uint64_t>(rank, 1, m_count);
    uint64_t seen = 0;
    for (size_t i = 0; i < m_counts.size(); ++i) {
        seen += m_counts[i];
        if (seen >= rank)
            return std::min<int64_t>(int64_t(upperBoundOf(int(i))), m_max);
    }
    return m_max;
}

} // namespace Tertulia::Bench
