#pragma once

#include <array>
#include <cstdint>

namespace Tertulia::Bench {

/// A log-bucketed latency histogram in the spirit of HdrHistogram: values (nanoseconds) below 128 are
/// kept exactly; above that every power of two is split into 64 linear sub-buckets, so a reported
/// percentile is within 1/64 (1.6 %) above the true value. Fixed size, no allocation when recording,
/// mergeable. Percentiles report the upper edge of their bucket (never optimistic), capped by the exact max.
class Histogram
{
public:
    static constexpr int SubBucketBits = 6;
    static constexpr int SubBuckets = 1 << SubBucketBits;   // 64 per octave
    static constexpr int MaxShift = 40;                      // values up to ~2^47 ns (39 hours)
    static constexpr int BucketCount = SubBuckets * (MaxShift + 2);

    void record(int64_t valueNs);
    void merge(const Histogram &other);
    void reset();

    uint64_t count() const { return m_count; }
    int64_t max() const { return m_max; }
    int64_t min() const { return m_count ? m_min : 0; }
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }
    /// p in [0, 100]; 0 when empty.
    int64_t percentile(double p) const;

    /// Exposed for the self-test.
    static int indexOf(uint64_t value);
    static uint64_t lowerBoundOf(int index);
    static uint64_t upperBoundOf(int index);

private:
    std::array<uint64_t, BucketCount> m_counts{};
    uint64_t m_count = 0;
    int64_t m_max = 0;
    int64_t m_min = 0;
    // Sums of nanoseconds overflow only after ~290 years of total latency.
    int64_t m_sum = 0;
};

} // namespace Tertulia::Bench
