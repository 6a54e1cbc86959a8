#include "app/net/backoff.h"

#include <QtCore/QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace Tertulia {

Backoff::Backoff(Policy policy, RandomSource random)
    : m_policy(policy), m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

std::chrono::milliseconds Backoff::ceiling(int attempt) const
{
    const double cap = double(m_policy.cap.count());
    // Computed in floating point and clamped before converting: 2^attempt overflows integers long
    // before anyone stops retrying.
    const double grown = double(m_policy.initial.count()) * std::pow(m_policy.multiplier, std::max(0, attempt));
    return std::chrono::milliseconds(qint64(std::min(cap, grown)));
}

std::chrono::milliseconds Backoff::next()
{
    const double bound = double(ceiling(m_attempts).count());
    ++m_attempts;
    const double r = std::clamp(m_random(), 0.0, 1.0);
    return std::chrono::milliseconds(qint64(std::floor(r * bound)));
}

} // namespace Tertulia
