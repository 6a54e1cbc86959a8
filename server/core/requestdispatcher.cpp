#include "server/core/requestdispatcher.h"

#include "server/handlers/requesthandler.h"
#include "server/session/ratelimiter.h"
#include "server/session/session.h"

#include <QtCore/QStringList>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

void RequestDispatcher::addFilter(const QString &name, Filter filter)
{
    m_filters.push_back(NamedFilter{name, std::move(filter)});
}

bool RequestDispatcher::route(RequestHandler &handler)
{
    bool ok = true;
    for (const RequestType type : handler.types()) {
        RequestHandler *&slot = m_routes.at(std::size_t(type));
        if (slot && slot != &handler)
            ok = false; // the first handler keeps it
        else
            slot = &handler;
    }
    return ok;
}

bool RequestDispatcher::isComplete() const
{
    return std::all_of(m_routes.cbegin(), m_routes.cend(), [](const RequestHandler *handler) { return handler; });
}

QStringList RequestDispatcher::filterNames() const
{
    QStringList names;
    for (const NamedFilter &step : m_filters)
        names.append(step.name);
    return names;
}

void RequestDispatcher::dispatch(Session &session, const Request &request) const
{
    for (const NamedFilter &step : m_filters) {
        if (!step.filter(session, request))
            return;
    }
    if (RequestHandler *handler = m_routes.at(std::size_t(request.type)))
        handler->handle(session, request);
    else // a type the protocol knows and this server does not serve: still exactly one answer
        session.reply(Reply::failure(request.id, ErrorCode::UnknownType,
                                     QStringLiteral("'%1' is not served here").arg(requestTypeName(request.type))));
}

void RequestDispatcher::clear()
{
    m_filters.clear();
    m_routes.fill(nullptr);
}

namespace RequestFilters {

RequestDispatcher::Filter authGate()
{
    return [](Session &session, const Request &request) {
        if (session.isAuthenticated() || request.type == RequestType::Auth)
            return true;
        session.reply(Reply::failure(request.id, ErrorCode::NotAuthenticated, u"send auth first"_s));
        return false;
    };
}

RequestDispatcher::Filter rateLimit(RateLimiter &limiter)
{
    return [&limiter](Session &session, const Request &request) { return limiter.admit(session, request); };
}

} // namespace RequestFilters

} // namespace Tertulia
