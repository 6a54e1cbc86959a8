#include "server/api/adminviews.h"

#include <QtCore/QJsonValue>

using namespace Qt::StringLiterals;

namespace Tertulia::Admin {

using L1 = QLatin1StringView;
using Protocol::ErrorCode;

namespace {
QJsonValue stringOrNull(const QString &text) { return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text); }
} // namespace

QJsonObject ConnectionView::toJson() const
{
    return QJsonObject{{L1("id"), QString::number(id)},
                       {L1("user"), stringOrNull(user)},
                       {L1("state"), state},
                       {L1("address"), address},
                       {L1("protocol"), protocol},
                       {L1("transport"), transport},
                       {L1("connected_at"), connectedAtMs},
                       {L1("rtt_ms"), rttMs ? QJsonValue(*rttMs) : QJsonValue(QJsonValue::Null)},
                       {L1("queued_bytes"), queuedBytes},
                       {L1("rooms"), rooms}};
}

QJsonObject RoomView::toJson() const
{
    return QJsonObject{{L1("name"), name},
                       {L1("private"), isPrivate},
                       {L1("creator"), creator},
                       {L1("created_at"), createdAtMs},
                       {L1("members"), members},
                       {L1("online_members"), onlineMembers},
                       {L1("connections"), connections},
                       {L1("last_seq"), lastSeq}};
}

QJsonObject UserView::toJson() const
{
    return QJsonObject{{L1("name"), name},
                       {L1("admin"), isAdmin},
                       {L1("created_at"), createdAtMs},
                       {L1("online"), online},
                       {L1("connections"), connections},
                       {L1("logins"), logins}};
}

std::optional<quint64> parseConnectionId(QStringView text)
{
    if (text.isEmpty() || text.size() > 20)
        return std::nullopt;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const quint64 id = text.toULongLong(&ok);
    if (!ok || id == 0) // ids start at 1
        return std::nullopt;
    return id;
}

std::optional<QString> checkedReason(const QString &reason, QString *error)
{
    if (reason.toUtf8().size() > kMaxReasonBytes) {
        *error = QStringLiteral("the reason must fit in %1 bytes of UTF-8").arg(kMaxReasonBytes);
        return std::nullopt;
    }
    for (const QChar c : reason) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format) {
            *error = u"the reason must not contain control characters"_s;
            return std::nullopt;
        }
    }
    return reason;
}

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
