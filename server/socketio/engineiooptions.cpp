#include "server/socketio/engineiooptions.h"

namespace Tertulia::EngineIo {

bool originPermitted(const ServerOptions &options, const Http::Request &request)
{
    const QByteArray origin = request.header("origin");
    return origin.isEmpty() || !options.originAllowed || options.originAllowed(origin, request);
}

void addCorsHeaders(const ServerOptions &options, const Http::Request &request, Http::Response &response)
{
    const QByteArray origin = request.header("origin");
    if (origin.isEmpty() || !originPermitted(options, request))
        return;
    // Echo the one origin (not "*"), so credentials (cookies of a reverse proxy) may flow as well.
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.setHeader("Access-Control-Allow-Credentials", "true");
    response.setHeader("Vary", "Origin");
}

} // namespace Tertulia::EngineIo
