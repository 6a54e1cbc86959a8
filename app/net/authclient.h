#pragma once

#include "app/net/apirequest.h"
#include "app/net/autherror.h"
#include "app/net/certificatetrust.h"
#include "app/net/serveraddress.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtNetwork/QNetworkReply>

#include <chrono>
#include <functional>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace Tertulia {


/// Exchanges a refresh token for a new token pair. The ConnectionManager uses it before a connection attempt
/// when the access token is about to expire.
class TokenRefresher
{
public:
    using TokenCallback = std::function<void(const AuthResult<Protocol::TokenPair> &)>;
    virtual ~TokenRefresher() = default;
    /// Always answers asynchronously, in context's thread, and never after context is destroyed.
    virtual void refreshTokens(const ServerAddress &server, const QString &refreshToken, QObject *context,
                               TokenCallback done) = 0;
};

/// The HTTP account API (docs/protocol.md): register, login, refresh, logout. Every call answers
/// once, asynchronously; errors arrive as AuthError (enum + plain sentence).
class AuthClient final : public QObject, public TokenRefresher
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuthClient)

public:
    using DoneCallback = std::function<void(const std::optional<AuthError> &)>;

    /// Uses the given QNetworkAccessManager, or an own one when null.
    explicit AuthClient(QNetworkAccessManager *network = nullptr, QObject *parent = nullptr);
    ~AuthClient() override;

    void setTimeout(std::chrono::milliseconds timeout) { m_requests.setTimeout(timeout); }
    /// Who judges https:// servers' certificates (CertificateTrust). A certificate it does not accept
    /// stops the request in the TLS handshake, before the password or token in it is sent, and the
    /// answer is an AuthError CertificateUnknown or CertificateChanged carrying the check.
    void setCertificateTrust(CertificateTrust *trust);

    void registerAccount(const ServerAddress &server, const QString &user, const QString &password,
                         QObject *context, DoneCallback done);
    void login(const ServerAddress &server, const QString &user, const QString &password, QObject *context,
               TokenCallback done);
    void refreshTokens(const ServerAddress &server, const QString &refreshToken, QObject *context,
                       TokenCallback done) override;
    /// Revokes the login the access token belongs to.
    void logout(const ServerAddress &server, const QString &accessToken, QObject *context, DoneCallback done);
    /// What this app calls itself when it signs in ("Tertulia 0.1.0 on Debian GNU/Linux 12"): the account's
    /// device list on the server shows it. Empty: the server falls back to the User-Agent.
    void setDeviceLabel(const QString &label) { m_deviceLabel = label; }
    QString deviceLabel() const { return m_deviceLabel; }

private:
    static AuthError errorOf(const ApiAnswer &answer, AuthError::Endpoint endpoint);
    using ReplyHandler = ApiRequester::Handler;
    void post(const ServerAddress &server, const QString &endpoint, const QJsonObject &body, const QString &bearer,
              QObject *context, ReplyHandler handler);
    static std::optional<AuthError> validateCredentials(const QString &user, const QString &password);
    void tokenRequest(AuthError::Endpoint endpoint, const ServerAddress &server, const QString &path,
                      const QJsonObject &body, QObject *context, TokenCallback done);

    ApiRequester m_requests;
    QString m_deviceLabel;
    /// The login request's body: credentials, and the device label when there is one.
    QJsonObject loginBody(const QString &user, const QString &password) const;
};

} // namespace Tertulia
