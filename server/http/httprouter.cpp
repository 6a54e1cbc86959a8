#include "server/http/httprouter.h"

#include "server/http/httpconnection.h"

namespace Tertulia::Http {

using Protocol::ErrorCode;

Responder::Responder(Connection *connection, quint64 serial) : m_connection(connection), m_serial(serial) { }

void Responder::send(const Response &response) const
{
    if (m_connection)
        m_connection->respond(m_serial, response);
}

bool Responder::isPending() const { return m_connection && m_connection->isAwaiting(m_serial); }

void Router::addRoute(const QByteArray &method, const QString &path, Handler handler)
{
    m_routes.append(Route{method, path, false, m_defaultMaxBody, std::move(handler)});
}

void Router::addPrefixRoute(const QString &prefix, Handler handler, qint64 maxBodyBytes)
{
    m_routes.append(Route{{}, prefix, true, maxBodyBytes, std::move(handler)});
}

void Router::addUpgrade(const QString &pathOrPrefix, UpgradeHandler handler)
{
    m_upgrades.append(Upgrade{pathOrPrefix, std::move(handler)});
}

Router::Match Router::match(const Request &request) const
{
    Match result;
    if (request.isWebSocketUpgrade()) {
        for (const Upgrade &upgrade : m_upgrades) {
            const bool matches = upgrade.path.endsWith(u'/') ? request.path.startsWith(upgrade.path)
                                                             : request.path == upgrade.path;
            if (matches) {
                result.upgrade = &upgrade.handler;
                return result;
            }
        }
    }
    bool pathKnown = false;
    for (const Route &route : m_routes) {
        const bool pathMatches = route.prefix ? request.path.startsWith(route.path) : request.path == route.path;
        if (!pathMatches)
            continue;
        pathKnown = true;
        if (route.prefix || route.method == request.method) {
            result.handler = &route.handler;
            result.maxBodyBytes = route.maxBody;
            return result;
        }
    }
    if (!pathKnown) {
        // A WebSocket endpoint exists for upgrades only: the path is known, the request is not what it takes.
        for (const Upgrade &upgrade : m_upgrades) {
            if (upgrade.path.endsWith(u'/') ? !request.path.startsWith(upgrade.path) : request.path != upgrade.path)
                continue;
            if (request.method != "GET") {
                result.refusal = Response::error(405, ErrorCode::BadRequest,
                                                 QStringLiteral("method %1 is not allowed here: %2 takes a GET with "
                                                                "Upgrade: websocket")
                                                     .arg(QString::fromLatin1(request.method), request.path));
                result.refusal->setHeader("Allow", "GET");
            } else {
                result.refusal = Response::error(426, ErrorCode::BadRequest,
                                                 QStringLiteral("%1 is a WebSocket endpoint: upgrade the connection")
                                                     .arg(request.path));
                result.refusal->setHeader("Upgrade", "websocket");
            }
            return result;
        }
    }
    if (pathKnown)
        result.refusal = Response::error(405, ErrorCode::BadRequest,
                                         QStringLiteral("method %1 is not allowed here")
                                             .arg(QString::fromLatin1(request.method)));
    else
        result.refusal = Response::error(404, ErrorCode::NotFound,
                                         QStringLiteral("no such path: %1").arg(request.path));
    return result;
}

} // namespace Tertulia::Http
