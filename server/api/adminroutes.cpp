#include "server/api/adminroutes.h"

using namespace Qt::StringLiterals;

namespace Tertulia::Admin {

using Protocol::ErrorCode;

int RouteTable::add(const QByteArray &method, const QString &pattern)
{
    m_routes.append(Route{method, pattern.split(u'/')});
    return int(m_routes.size()) - 1;
}

std::variant<RouteTable::Match, Http::Response> RouteTable::resolve(QByteArrayView method, QStringView subpath) const
{
    const QList<QStringView> segments = subpath.split(u'/');
    const auto notFound = [subpath] {
        // A hostile path is not echoed back whole.
        const QString shown = subpath.size() > 64 ? subpath.left(64).toString() + u"…"_s : subpath.toString();
        return Http::Response::error(404, ErrorCode::NotFound, QStringLiteral("no such admin path: %1").arg(shown));
    };
    for (QStringView segment : segments) {
        if (segment.size() > kMaxSegment)
            return notFound();
    }
    QByteArrayList allowed;
    for (qsizetype i = 0; i < m_routes.size(); ++i) {
        const Route &route = m_routes.at(i);
        if (route.segments.size() != segments.size())
            continue;
        Match match;
        bool matches = true;
        for (qsizetype s = 0; s < segments.size() && matches; ++s) {
            if (route.segments.at(s) == u"{}") {
                matches = !segments.at(s).isEmpty();
                match.params.append(segments.at(s).toString());
            } else {
                matches = route.segments.at(s) == segments.at(s);
            }
        }
        if (!matches)
            continue;
        if (route.method == method) {
            match.route = int(i);
            return match;
        }
        if (!allowed.contains(route.method))
            allowed.append(route.method);
    }
    if (allowed.isEmpty())
        return notFound();
    Http::Response refusal = Http::Response::error(
        405, ErrorCode::BadRequest,
        QStringLiteral("method %1 is not allowed here").arg(QString::fromLatin1(method.toByteArray())));
    refusal.setHeader("Allow", allowed.join(", "));
    return refusal;
}

} // namespace Tertulia::Admin
