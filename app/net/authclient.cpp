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

void AuthClient::setCertificateTrust(CertificateTrust *trust) { m_trust = trust; }

AuthError AuthClient::Answer::error(AuthError::Endpoint endpoint) const
{
    if (refusedCertificate)
        return AuthError::fromCertificate(*refusedCertificate);
    return AuthError::fromReply(endpoint, status, body, networkError, networkErrorString);
}

void AuthClient::post(const ServerAddress &server, const QString &endpoint, const QJsonObject &body,
                      const QString &bearer, QObject *context, ReplyHandler handler)
{
    QNetworkRequest request(server.apiUrl(endpoint));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setTransferTimeout(int(m_timeout.count()));
    if (!bearer.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearer.toUtf8());
    QPointer<CertificateTrust> trust = server.isSecure() ? m_trust : nullptr;
    if (trust)
        request.setSslConfiguration(trust->configurationFor(server));
    QNetworkReply *reply = m_network->post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    // The verdict on the server's certificate, shared by the handlers below.
    auto check = std::make_shared<std::optional<CertificateCheck>>();
    if (trust) {
        // Both run at the end of the TLS handshake, before the request (and the password or token in it)
        // is sent: QNetworkAccessManager waits for this slot before it goes on.
        connect(reply, &QNetworkReply::sslErrors, reply, [reply, trust, server, check](const QList<QSslError> &errors) {
            if (!trust)
                return;
            QSslCertificate peer = reply->sslConfiguration().peerCertificate();
            if (peer.isNull() && !errors.isEmpty())
                peer = errors.first().certificate();
            *check = trust->check(server, peer, errors);
            if ((*check)->accepted())
                reply->ignoreSslErrors();
        });
        connect(reply, &QNetworkReply::encrypted, reply, [reply, trust, server, check] {
            if (!trust || check->has_value())
                return;
            // No validation error: the system's authorities vouch for it, unless a pin says otherwise
            // (a pinned server is checked with no authority, so it never gets here unchecked).
            *check = trust->check(server, reply->sslConfiguration().peerCertificate(), {});
            if (!(*check)->accepted())
                reply->abort();
        });
    }
    QPointer<QObject> guard(context);
    connect(reply, &QNetworkReply::finished, context, [reply, guard, check, handler = std::move(handler)] {
        reply->deleteLater();
        if (!guard)
            return;
        Answer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        answer.networkError = reply->error();
        answer.networkErrorString = reply->errorString();
        if (check->has_value() && !(*check)->accepted())
            answer.refusedCertificate = **check;
        handler(answer);
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
    post(server, u"register"_s, {{L1("username"), user}, {L1("password"), password}}, {}, context,
         [done](const Answer &answer) {
             if (answer.status == 201 || answer.status == 200)
                 return done(std::nullopt);
             done(answer.error(AuthError::Endpoint::Register));
         });
}

void AuthClient::tokenRequest(AuthError::Endpoint endpoint, const ServerAddress &server, const QString &path,
                              const QJsonObject &body, QObject *context, TokenCallback done)
{
    post(server, path, body, {}, context, [done, endpoint](const Answer &answer) {
        if (answer.status != 200)
            return done(answer.error(endpoint));
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
    post(server, u"logout"_s, {}, accessToken, context, [done](const Answer &answer) {
        if (answer.status == 200)
            return done(std::nullopt);
        done(answer.error(AuthError::Endpoint::Logout));
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
