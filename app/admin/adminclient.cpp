#include "app/admin/adminclient.h"

#include "shared/protocol/errorcode.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QUrlQuery>
#include <QtNetwork/QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace Tertulia {

using L1 = QLatin1StringView;

namespace {
/// The body of a removal, ban or mute: the reason the member sees and how long (seconds), each only when given.
QJsonObject restrictionBody(const QString &reason, std::optional<qint64> duration)
{
    QJsonObject body;
    if (!reason.isEmpty())
        body.insert(u"reason"_s, reason);
    if (duration)
        body.insert(u"duration"_s, *duration);
    return body;
}
} // namespace

AdminError AdminError::fromAnswer(const ApiAnswer &answer)
{
    if (answer.refusedCertificate || answer.status <= 0)
        return {Code::ServerUnreachable, answer.networkErrorString};
    const QJsonObject error = QJsonDocument::fromJson(answer.body).object().value(L1("error")).toObject();
    const QString detail = error.value(L1("message")).toString(u"HTTP %1"_s.arg(answer.status));
    switch (answer.status) {
    case 401: return {Code::SignedOut, detail};
    case 403: return {Code::NotAdministrator, detail};
    case 404: return {Code::NotFound, detail};
    default: break;
    }
    return {answer.status >= 400 && answer.status < 500 ? Code::Refused : Code::ServerError, detail};
}

QString AdminError::text() const
{
    switch (code) {
    case Code::NotAdministrator: return tr("You are not an administrator of this server.");
    case Code::SignedOut: return tr("Your sign-in expired. Wait until the app is connected again.");
    case Code::NotFound: return tr("It is not there any more.");
    case Code::Refused: return tr("The server refused: %1").arg(detail);
    case Code::ServerUnreachable: return tr("The server cannot be reached.");
    case Code::ServerError: break;
    }
    return tr("The server could not do it: %1").arg(detail);
}

AdminClient::AdminClient(const ServerAddress &server, std::function<QString()> accessToken,
                         QNetworkAccessManager *network, QObject *parent)
    : QObject(parent), m_server(server), m_accessToken(std::move(accessToken)),
      m_requests(network ? network : new QNetworkAccessManager(this))
{
}

QUrl AdminClient::adminUrl(const QString &path) const { return m_server.apiUrl(u"admin/"_s + path); }

void AdminClient::get(const QUrl &url, std::function<void(const ApiAnswer &)> handler)
{
    m_requests.send("GET", m_server, url, {}, m_accessToken(), this, std::move(handler));
}

namespace {
/// A list answer read into views, or the error.
template<typename View>
void answerList(const ApiAnswer &answer, QLatin1StringView key, const AdminClient::Done<QList<View>> &done)
{
    if (answer.status != 200)
        return done(AdminError::fromAnswer(answer));
    done(Admin::listFromJson<View>(QJsonDocument::fromJson(answer.body).object(), key));
}

void answerAction(const ApiAnswer &answer, const AdminClient::Done<std::monostate> &done)
{
    if (answer.status == 200)
        return done(std::monostate());
    done(AdminError::fromAnswer(answer));
}
} // namespace

void AdminClient::connections(Done<QList<Admin::Connection>> done)
{
    get(adminUrl(u"connections"_s), [done](const ApiAnswer &a) { answerList<Admin::Connection>(a, L1("connections"), done); });
}

void AdminClient::rooms(Done<QList<Admin::Room>> done)
{
    get(adminUrl(u"rooms"_s), [done](const ApiAnswer &a) { answerList<Admin::Room>(a, L1("rooms"), done); });
}

void AdminClient::users(Done<QList<Admin::User>> done)
{
    get(adminUrl(u"users"_s), [done](const ApiAnswer &a) { answerList<Admin::User>(a, L1("users"), done); });
}

void AdminClient::metrics(Done<Admin::MetricsScrape> done)
{
    QUrl url = m_server.apiUrl({});
    url.setPath(u"/metrics"_s);
    get(url, [done](const ApiAnswer &answer) {
        if (answer.status != 200)
            return done(AdminError::fromAnswer(answer));
        done(Admin::MetricsScrape::parse(answer.body, QDateTime::currentDateTimeUtc()));
    });
}

void AdminClient::disconnect(const QString &connection, const QString &reason, Done<std::monostate> done)
{
    const QByteArray body = QJsonDocument(QJsonObject{{L1("reason"), reason}}).toJson(QJsonDocument::Compact);
    m_requests.send("POST", m_server, adminUrl(u"connections/%1/disconnect"_s.arg(connection)), body,
                    m_accessToken(), this, [done](const ApiAnswer &a) { answerAction(a, done); });
}

void AdminClient::signOutEverywhere(const QString &user, Done<std::monostate> done)
{
    m_requests.send("POST", m_server, userUrl(user, u"sign-out-everywhere"_s), {}, m_accessToken(), this,
                    [done](const ApiAnswer &a) { answerAction(a, done); });
}

QUrl AdminClient::userUrl(const QString &user, const QString &action) const
{
    return adminUrl(u"users/%1/%2"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(user)), action));
}

QUrl AdminClient::roomUrl(const QString &room, const QString &what, const QString &user, const QString &action) const
{
    const auto encoded = [](const QString &part) { return QString::fromLatin1(QUrl::toPercentEncoding(part)); };
    return adminUrl(u"rooms/%1/%2/%3"_s.arg(encoded(room), what, encoded(user))
                    + (action.isEmpty() ? QString() : u'/' + action));
}

void AdminClient::removeFromRoom(const QString &room, const QString &user, const QString &reason,
                                 Done<std::monostate> done)
{
    post(roomUrl(room, u"members"_s, user, u"remove"_s), restrictionBody(reason, std::nullopt), std::move(done));
}

void AdminClient::ban(const QString &room, const QString &user, const QString &reason, std::optional<qint64> duration,
                      Done<std::monostate> done)
{
    post(roomUrl(room, u"bans"_s, user), restrictionBody(reason, duration), std::move(done));
}

void AdminClient::post(const QUrl &url, const QJsonObject &body, Done<std::monostate> done)
{
    send("POST", url, body, std::move(done));
}

void AdminClient::send(const QByteArray &method, const QUrl &url, const QJsonObject &body, Done<std::monostate> done)
{
    m_requests.send(method, m_server, url, QJsonDocument(body).toJson(QJsonDocument::Compact), m_accessToken(), this,
                    [done](const ApiAnswer &a) { answerAction(a, done); });
}

void AdminClient::updateRoom(const Protocol::UpdateRoomParams &params, Done<std::monostate> done)
{
    // The chat request's fields, the room in the path.
    QJsonObject body = params.toJson();
    body.remove(u"room"_s);
    send("PATCH", adminUrl(u"rooms/"_s + QString::fromLatin1(QUrl::toPercentEncoding(params.room))), body,
         std::move(done));
}

void AdminClient::deleteRoom(const Protocol::DeleteRoomParams &params, Done<std::monostate> done)
{
    QJsonObject body = params.toJson();
    body.remove(u"room"_s);
    send("DELETE", adminUrl(u"rooms/"_s + QString::fromLatin1(QUrl::toPercentEncoding(params.room))), body,
         std::move(done));
}

void AdminClient::remove(const QUrl &url, Done<std::monostate> done)
{
    m_requests.send("DELETE", m_server, url, {}, m_accessToken(), this,
                    [done](const ApiAnswer &a) { answerAction(a, done); });
}

void AdminClient::roomMembers(const QString &room, Done<QList<Admin::RoomMember>> done)
{
    const QString path = u"rooms/"_s + QString::fromLatin1(QUrl::toPercentEncoding(room));
    get(adminUrl(path + u"/members"_s), [this, path, done](const ApiAnswer &members) {
        if (members.status != 200)
            return done(AdminError::fromAnswer(members));
        get(adminUrl(path + u"/sanctions"_s), [done, list = QJsonDocument::fromJson(members.body).object()](const ApiAnswer &sanctions) {
            if (sanctions.status != 200)
                return done(AdminError::fromAnswer(sanctions));
            done(Admin::RoomMember::merge(list, QJsonDocument::fromJson(sanctions.body).object()));
        });
    });
}

void AdminClient::mute(const QString &room, const QString &user, const QString &reason, std::optional<qint64> duration,
                       Done<std::monostate> done)
{
    post(roomUrl(room, u"mutes"_s, user), restrictionBody(reason, duration), std::move(done));
}

void AdminClient::unmute(const QString &room, const QString &user, Done<std::monostate> done)
{
    remove(roomUrl(room, u"mutes"_s, user), std::move(done));
}

void AdminClient::unban(const QString &room, const QString &user, Done<std::monostate> done)
{
    remove(roomUrl(room, u"bans"_s, user), std::move(done));
}

void AdminClient::setModerator(const QString &room, const QString &user, bool moderator, Done<std::monostate> done)
{
    post(roomUrl(room, u"roles"_s, user), QJsonObject{{L1("role"), moderator ? u"moderator"_s : u"member"_s}},
         std::move(done));
}

void AdminClient::transferOwnership(const QString &room, const QString &user, Done<std::monostate> done)
{
    post(roomUrl(room, u"owner"_s, user), QJsonObject(), std::move(done));
}

void AdminClient::audit(qint64 before, int limit, Done<Admin::AuditPage> done)
{
    QUrl url = adminUrl(u"audit"_s);
    QUrlQuery query;
    query.addQueryItem(u"limit"_s, QString::number(limit));
    if (before > 0)
        query.addQueryItem(u"before"_s, QString::number(before));
    url.setQuery(query);
    get(url, [done](const ApiAnswer &answer) {
        if (answer.status != 200)
            return done(AdminError::fromAnswer(answer));
        done(Admin::AuditPage::fromJson(QJsonDocument::fromJson(answer.body).object()));
    });
}

void AdminClient::setDisabled(const QString &user, bool disabled, Done<std::monostate> done)
{
    post(userUrl(user, u"disable"_s), QJsonObject{{L1("disabled"), disabled}}, std::move(done));
}

void AdminClient::setAdministrator(const QString &user, bool admin, Done<std::monostate> done)
{
    post(userUrl(user, u"admin"_s), QJsonObject{{L1("admin"), admin}}, std::move(done));
}

void AdminClient::resetPassword(const QString &user, const QString &password, Done<std::monostate> done)
{
    post(userUrl(user, u"password"_s), QJsonObject{{L1("password"), password}}, std::move(done));
}

void AdminClient::traces(int limit, Done<Admin::TraceList> done)
{
    QUrl url = adminUrl(u"traces"_s);
    url.setQuery(QUrlQuery{{u"limit"_s, QString::number(limit)}});
    get(url, [done](const ApiAnswer &answer) {
        if (answer.status != 200)
            return done(AdminError::fromAnswer(answer));
        QJsonObject json;
        if (const QString error = Admin::jsonObjectError(answer.body, &json); !error.isEmpty())
            return done(AdminError{AdminError::Code::ServerError, error});
        done(Admin::TraceList::fromJson(json));
    });
}

void AdminClient::trace(const QString &room, qint64 seq, Done<Admin::Trace> done)
{
    get(adminUrl(u"traces/%1/%2"_s.arg(QString::fromLatin1(QUrl::toPercentEncoding(room))).arg(seq)),
        [done](const ApiAnswer &answer) {
            if (answer.status != 200)
                return done(AdminError::fromAnswer(answer));
            QJsonObject json;
            if (const QString error = Admin::jsonObjectError(answer.body, &json); !error.isEmpty())
                return done(AdminError{AdminError::Code::ServerError, error});
            if (auto trace = Admin::Trace::fromJson(json))
                return done(*trace);
            done(AdminError{AdminError::Code::ServerError, tr("The server's answer is not a trace.")});
        });
}

} // namespace Tertulia
