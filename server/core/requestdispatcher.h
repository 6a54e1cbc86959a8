#pragma once

#include "shared/protocol/frames.h"
#include "shared/protocol/messagetype.h"

#include <QtCore/QString>

#include <array>
#include <functional>
#include <vector>

namespace Tertulia {

class RateLimiter;
class RequestHandler;
class Session;

/// Every request's one way through the server, whatever the transport (native, fast path, Socket.IO): an
/// explicit chain of small filters (the auth gate, the rate limits; later validation and tracing), then the
/// handler its type is routed to. Each filter is a unit a test can run alone (RequestFilters).
class RequestDispatcher
{
public:
    /// A step before the handler: true lets the request on; false means the filter answered it (or closed
    /// the session) and the request goes no further.
    using Filter = std::function<bool(Session &session, const Protocol::Request &request)>;

    /// Appends a filter to the chain; `name` is for logs and tests.
    void addFilter(const QString &name, Filter filter);
    /// Routes the handler's types to it; each type goes to exactly one handler (false if one is taken).
    bool route(RequestHandler &handler);
    /// Whether every request type has a handler (the server checks this once it is wired).
    bool isComplete() const;
    QStringList filterNames() const;

    /// Runs the chain, then the handler.
    void dispatch(Session &session, const Protocol::Request &request) const;
    void clear();

private:
    struct NamedFilter
    {
        QString name;
        Filter filter;
    };
    std::vector<NamedFilter> m_filters;
    /// Indexed by RequestType; sized by the protocol's count of types, which its name table checks.
    std::array<RequestHandler *, Protocol::kRequestTypeCount> m_routes{};
};

/// The filters of the server's chain.
namespace RequestFilters {

/// Nothing but `auth` before a session has authenticated: NotAuthenticated.
RequestDispatcher::Filter authGate();
/// The per-connection and per-user token buckets (RateLimiter answers or closes the session itself).
RequestDispatcher::Filter rateLimit(RateLimiter &limiter);

} // namespace RequestFilters

} // namespace Tertulia
