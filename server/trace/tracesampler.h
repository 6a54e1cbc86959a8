#pragma once

#include "server/trace/tracecontext.h"
#include "server/trace/tracingconfig.h"

#include <QtCore/QSet>

#include <functional>
#include <optional>

namespace Tertulia::Trace {

/// Decides which messages are traced: a client's sampled trace context (the W3C "parent-based" rule: the
/// caller asked for this one), a room or a user traced always, or the configured ratio. Pure apart from the
/// injected random source.
class TraceSampler
{
public:
    /// `random` returns a number in [0, 1).
    TraceSampler(const TracingConfig &config, std::function<double()> random);

    bool shouldTrace(const QString &roomKey, const QString &userKey,
                     const std::optional<TraceContext> &clientContext) const;

private:
    double m_ratio;
    QSet<QString> m_rooms;   ///< canonical names
    QSet<QString> m_users;
    std::function<double()> m_random;
};

} // namespace Tertulia::Trace
