#include "app/net/authclient.h"

#include "app/logging.h"
#include "app/net/certificatetrust.h"
#include "shared/names.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>
#include <QtNetwork/QSslConfiguration>

#include <memory>

using namespace Qt::StringLiterals;

namespace Tertulia {

using L1 = QLatin1StringView;

AuthClient::AuthClient(QNetworkAccessManager *network, QObject *parent)
    : QObject(parent), m_requests(network ? network : new QNetworkAccessManager(this))
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

void AuthClient::setCertificateTrust(CertificateTrust *trust) { m_requests.setCertificateTrust(trust); }

AuthError AuthClient::errorOf(const ApiAnswer &answer, AuthError::Endpoint endpoint)
{
    if (answer.refusedCertificate)
        return AuthError::fromCertificate(*answer.refusedCertificate);
    return AuthError::fromReply(endpoint, answer.status, answer.body, answer.networkError, answer.networkErrorString);
}

void AuthClient::post(const ServerAddress &server, const QString &endpoint, const QJsonObject &body,
                      const QString &bearer, QObject *context, ReplyHandler handler)
{
    m_requests.send("POST", server, server.apiUrl(endpoint), QJsonDocument(body).toJson(QJsonDocument::Compact),
                    bearer, context, std::move(handler));
}

void AuthClient::registerAccount(const ServerAddress &server, const QString &user, const QString &password,
                                 QObject *context, DoneCallback done)
{
    if (auto invalid = validateCredentials(user, password)) {
        QTimer::singleShot(0, context, [done, error = *invalid] { done(error); });
        return;
    }
    post(server, u"register"_s, {{L1("username"), user}, {L1("password"), password}}, {}, context,
         [done](const ApiAnswer &answer) {
             if (answer.status == 201 || answer.status == 200)
                 return done(std::nullopt);
             done(errorOf(answer, AuthError::Endpoint::Register));
         });
}

void AuthClient::tokenRequest(AuthError::Endpoint endpoint, const ServerAddress &server, const QString &path,
                              const QJsonObject &body, QObject *context, TokenCallback done)
{
    post(server, path, body, {}, context, [done, endpoint](const ApiAnswer &answer) {
        if (answer.status != 200)
            return done(errorOf(answer, endpoint));
        auto parsed = Protocol::TokenPair::fromJson(QJsonDocument::fromJson(answer.body).object());
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
    tokenRequest(AuthError::Endpoint::Login, server, u"login"_s, loginBody(user, password), context, std::move(done));
}

void AuthClient::refreshTokens(const ServerAddress &server, const QString &refreshToken, QObject *context,
                               TokenCallback done)
{
    tokenRequest(AuthError::Endpoint::Refresh, server, u"refresh"_s, Protocol::RefreshParams{refreshToken}.toJson(),
                 context, std::move(done));
}

void AuthClient::logout(const ServerAddress &server, const QString &accessToken, QObject *context,
                        DoneCallback done)
{
    post(server, u"logout"_s, {}, accessToken, context, [done](const ApiAnswer &answer) {
        if (answer.status == 200)
            return done(std::nullopt);
        done(errorOf(answer, AuthError::Endpoint::Logout));
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
