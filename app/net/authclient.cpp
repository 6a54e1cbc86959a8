#include "app/net/authclient.h"

#include "app/logging.h"
#include "shared/names.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

using namespace Qt::StringLiterals;

namespace Tertulia {

using L1 = QLatin1StringView;

AuthClient::AuthClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent), m_network(network ? network : new QNetworkAccessManager(this))
{
}

AuthClient::~AuthClient() = default;

std::optional<AuthError> AuthClient::validateCredentials(const QString &user, const QString &password)
{
    // Refuse early what the server would refuse, so the user hears about it without a round trip.
    if (!Names::isValidUserName(user))
        return AuthError{AuthError::Code::InvalidName, u"invalid user name"_s};
    if (password.size() < Names::kMinPasswordLength || password.size() > Names::kMaxPasswordLength)
        return AuthError{AuthError::Code::InvalidPassword, u"password length"_s};
    return std::nullopt;
}

void AuthClient::post(const QUrl &url, const QJsonObject &body, const QString &bearer, QObject *context,
                      ReplyHandler handler)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setTransferTimeout(int(m_timeout.count()));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer.toUtf8());
    QNetworkReply *reply = m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, context, [reply, guard, handler = std::move(handler)] {
        reply->deleteLater();
        if (!guard)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        handler(status, reply->readAll(), reply);
    });
    // The reply must not outlive the caller's interest in it.
    connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
}

void AuthClient::registerAccount(const ServerAddress &server, const QString &user, const QString &password,
                                 QObject *context, DoneCallback done)
{
    if (auto invalid = validateCredentials(user, password)) {
        QTimer::singleShot(0, context, [done, error = *invalid] { done(error); });
        return;
    }
    post(server.apiUrl(u"register"_s), {{L1("username"), user}, {L1("password"), password}}, {}, context,
         [done](int status, const QByteArray &body, QNetworkReply *reply) {
             if (status == 201 || status == 200)
                 return done(std::nullopt);
             done(AuthError::fromReply(AuthError::Endpoint::Register, status, body, reply->error(),
                                       reply->errorString()));
         });
}

void AuthClient::tokenRequest(AuthError::Endpoint endpoint, const QUrl &url, const QJsonObject &body,
                              QObject *context, TokenCallback done)
{
    post(url, body, {}, context, [done, endpoint](int status, const QByteArray &data, QNetworkReply *reply) {
        if (status != 200)
            return done(AuthError::fromReply(endpoint, status, data, reply->error(), reply->errorString()));
        auto parsed = Protocol::TokenPair::fromJson(QJsonDocument::fromJson(data).object());
        if (auto *error = std::get_if<Protocol::Error>(&parsed)) {
            qCWarning(lcClientNet) << "unreadable token reply:" << error->message;
            return done(AuthError{AuthError::Code::ServerError, error->message});
        }
        done(std::get<Protocol::TokenPair>(parsed));
    });
}

void AuthClient::login(const ServerAddress &server, const QString &user, const QString &password,
                       QObject *context, TokenCallback done)
{
    if (user.isEmpty() || password.isEmpty()) {
        QTimer::singleShot(0, context, [done] { done(AuthError{AuthError::Code::WrongCredentials, {}}); });
        return;
    }
    tokenRequest(AuthError::Endpoint::Login, server.apiUrl(u"login"_s),
                 loginBody(user, password), context, std::move(done));
}

void AuthClient::refreshTokens(const ServerAddress &server, const QString &refreshToken, QObject *context,
                               TokenCallback done)
{
    tokenRequest(AuthError::Endpoint::Refresh, server.apiUrl(u"refresh"_s),
                 Protocol::RefreshParams{refreshToken}.toJson(), context, std::move(done));
}

void AuthClient::logout(const ServerAddress &server, const QString &accessToken, QObject *context,
                        DoneCallback done)
{
    post(server.apiUrl(u"logout"_s), {}, accessToken, context,
         [done](int status, const QByteArray &body, QNetworkReply *reply) {
             if (status == 200)
                 return done(std::nullopt);
             done(AuthError::fromReply(AuthError::Endpoint::Logout, status, body, reply->error(),
                                       reply->errorString()));
         });
}

QJsonObject AuthClient::loginBody(const QString &user, const QString &password) const
{
    QJsonObject body{{L1("username"), user}, {L1("password"), password}};
    if (!m_deviceLabel.isEmpty())
        body.insert(L1("device"), m_deviceLabel);
    return body;
}

} // namespace Tertulia
