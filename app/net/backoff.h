#pragma once

#include <chrono>
#include <functional>

namespace Tertulia {

struct BackoffPolicy
{
    std::chrono::milliseconds initial{500};
    std::chrono::milliseconds cap{30000};
    double multiplier = 2.0;
};

/// Reconnect delays: exponential backoff with full jitter. The n-th delay is uniform in
/// [0, min(cap, initial * multiplier^n)] — the spread keeps many clients that lost the same server
/// from coming back in lockstep ("thundering herd"), and the cap keeps a long outage from pushing
/// the next attempt out of sight.
class Backoff
{
public:
    /// Uniform random numbers in [0, 1). Injectable so tests get exact delays.
    using RandomSource = std::function<double()>;

    using Policy = BackoffPolicy;

    explicit Backoff(Policy policy = {}, RandomSource random = {});

    /// The delay before the next attempt; counts the attempt.
    std::chrono::milliseconds next();
    /// The upper bound of the delay of attempt n (0-based), before jitter.
    std::chrono::milliseconds ceiling(int attempt) const;
    /// Attempts counted since the last reset.
    int attempts() const { return m_attempts; }
    /// After a connection that worked: start again from the initial delay.
    void reset() { m_attempts = 0; }

    const Policy &policy() const { return m_policy; }

private:
    Policy m_policy;
    RandomSource m_random;
    int m_attempts = 0;
};

} // namespace Tertulia
