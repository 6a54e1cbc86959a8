#pragma once

#include "app/net/certificatecheck.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QString>
#include <QtNetwork/QNetworkReply>

#include <variant>

namespace Tertulia {

/// Why an account request (register, login, refresh, logout) failed, as an enum the UI can act on
/// plus a sentence it can show.
struct AuthError
{
    Q_DECLARE_TR_FUNCTIONS(Tertulia::AuthError)

public:
    enum class Code {
        WrongCredentials,   ///< login refused (the server does not say whether the user exists)
        SessionExpired,     ///< the refresh token or access token is no longer valid: sign in again
        NameTaken,          ///< registration: the name exists (ignoring case)
        InvalidName,        ///< the user name breaks the naming rules
        InvalidPassword,    ///< too short or too long
        RegistrationClosed, ///< the server does not accept new accounts
        RateLimited,        ///< too many attempts from here; try later
        ServerBusy,         ///< 503: connection limit reached or shutting down
        ServerUnreachable,  ///< no answer: refused, unknown host, timeout
        TlsFailure,         ///< the secure connection could not be set up
        CertificateUnknown, ///< nobody vouches for the server's certificate yet: the person decides (certificate)
        CertificateChanged, ///< not the pinned or announced certificate: blocked (certificate)
        ServerError,        ///< the server failed or answered something we do not understand
    };

    /// Which endpoint a reply came from: a 401 means wrong credentials on login, but an expired
    /// session on refresh or logout.
    enum class Endpoint { Register, Login, Refresh, Logout };

    Code code = Code::ServerError;
    QString detail; ///< the server's message or the network error, untranslated, for diagnostics
    /// For CertificateUnknown and CertificateChanged: what was presented and what was expected. Nothing was
    /// sent to the server (the request stopped in the TLS handshake).
    std::optional<CertificateCheck> certificate = std::nullopt;

    /// One plain sentence for the user.
    QString message() const;
    /// True when retrying later may work without the user doing anything.
    bool isTransient() const;

    /// Maps an HTTP reply: status and JSON error body when the server answered, otherwise the
    /// network error. Pure, so the mapping is tested without a server.
    static AuthError fromReply(Endpoint endpoint, int httpStatus, const QByteArray &body,
                               QNetworkReply::NetworkError networkError, const QString &networkErrorString);
    /// A request stopped because of the server's certificate.
    static AuthError fromCertificate(const CertificateCheck &check);

    friend bool operator==(const AuthError &, const AuthError &) = default;
};

template<typename T>
using AuthResult = std::variant<T, AuthError>;

} // namespace Tertulia
