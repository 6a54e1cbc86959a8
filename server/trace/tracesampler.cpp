#include "server/trace/tracesampler.h"

#include "shared/names.h"

namespace Tertulia::Trace {

TraceSampler::TraceSampler(const TracingConfig &config, std::function<double()> random)
    : m_ratio(config.ratio), m_random(std::move(random))
{
    for (const QString &room : config.rooms)
        m_rooms.insert(Names::canonical(room));
    for (const QString &user : config.users)
        m_users.insert(Names::canonical(user));
}

bool TraceSampler::shouldTrace(const QString &roomKey, const QString &userKey,
                               const std::optional<TraceContext> &clientContext) const
{
    if (clientContext && clientContext->isSampled())
        return true;
    if (m_rooms.contains(roomKey) || m_users.contains(userKey))
        return true;
    return m_ratio > 0 && (m_ratio >= 1 || m_random() < m_ratio);
}

} // namespace Tertulia::Trace
