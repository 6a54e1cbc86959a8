#pragma once

#include "server/http/httpresponse.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <variant>

namespace Tertulia::Admin {

/// The routes of the admin API below /api/v1/admin/: method and pattern ("connections/{}/disconnect", where
/// "{}" takes one path segment) to a route number. Resolving is a pure function of the method and the path,
/// so the 404/405 rules are tested without a server.
class RouteTable
{
public:
    /// Returns the route's number (its index, in the order added).
    int add(const QByteArray &method, const QString &pattern);

    struct Match
    {
        int route = -1;
        QStringList params;      ///< the "{}" segments, in order (percent-decoded with the path)
    };
    /// The route of `subpath` (the path below the prefix), or the JSON error to answer: 404 for a path no
    /// route has (or a segment longer than kMaxSegment), 405 with Allow for a known path and another method.
    std::variant<Match, Http::Response> resolve(QByteArrayView method, QStringView subpath) const;

    static constexpr qsizetype kMaxSegment = 256;

private:
    struct Route
    {
        QByteArray method;
        QStringList segments;
    };
    QList<Route> m_routes;
};

} // namespace Tertulia::Admin
