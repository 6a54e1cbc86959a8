#include "app/net/autherror.h"

#include "shared/names.h"
#include "shared/protocol/errorcode.h"
#include "shared/protocol/jsonfields.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::ErrorCode;

namespace {
/// The protocol's error body: {"error": {"code": "...", "message": "..."}}.
std::optional<Protocol::Error> parseErrorBody(const QByteArray &body)
{
    const QJsonDocument document = QJsonDocument::fromJson(body);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject root = document.object();
    Protocol::FieldReader rootReader(root);
    const QJsonObject errorObject = rootReader.object(QLatin1StringView("error"));
    Protocol::FieldReader reader(errorObject);
    const QString code = reader.string(QLatin1StringView("code"), 64);
    const QString message = reader.optionalString(QLatin1StringView("message"), 4096).value_or(QString());
    if (!rootReader.ok() || !reader.ok())
        return std::nullopt;
    const auto parsed = Protocol::parseErrorCode(code);
    if (!parsed)
        return std::nullopt;
    return Protocol::Error{*parsed, message};
}

AuthError::Code fromNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::SslHandshakeFailedError:
        return AuthError::Code::TlsFailure;
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return AuthError::Code::ServerUnreachable;
    default:
        return AuthError::Code::ServerError;
    }
}
} // namespace

AuthError AuthError::fromReply(Endpoint endpoint, int httpStatus, const QByteArray &body,
                               QNetworkReply::NetworkError networkError, const QString &networkErrorString)
{
    if (httpStatus <= 0)
        return {fromNetworkError(networkError), networkErrorString};

    const auto error = parseErrorBody(body);
    const QString detail = error ? error->message : u"HTTP %1"_s.arg(httpStatus);
    const auto code = error ? std::optional(error->code) : std::nullopt;

    if (code == ErrorCode::AuthFailed || code == ErrorCode::TokenExpired || httpStatus == 401)
        return {endpoint == Endpoint::Login ? Code::WrongCredentials : Code::SessionExpired, detail};
    if (code == ErrorCode::Conflict || httpStatus == 409)
        return {Code::NameTaken, detail};
    if (code == ErrorCode::InvalidName)
        return {Code::InvalidName, detail};
    if (code == ErrorCode::RegistrationClosed)
        return {Code::RegistrationClosed, detail};
    if (code == ErrorCode::RateLimited || httpStatus == 429)
        return {Code::RateLimited, detail};
    if (code == ErrorCode::Unavailable || httpStatus == 503)
        return {Code::ServerBusy, detail};
    // On register, the one bad_request a well-behaved client can get is the password rule.
    if (code == ErrorCode::BadRequest && endpoint == Endpoint::Register)
        return {Code::InvalidPassword, detail};
    return {Code::ServerError, detail};
}

AuthError AuthError::fromCertificate(const CertificateCheck &check)
{
    AuthError error{check.outcome == CertificateCheck::Outcome::FirstUse ? Code::CertificateUnknown
                                                                         : Code::CertificateChanged,
                    check.errors.join(u"; "_s)};
    error.certificate = check;
    return error;
}

bool AuthError::isTransient() const
{
    switch (code) {
    case Code::RateLimited:
    case Code::ServerBusy:
    case Code::ServerUnreachable:
    case Code::ServerError:
    case Code::TlsFailure:
        return true;
    case Code::WrongCredentials:
    case Code::SessionExpired:
    case Code::NameTaken:
    case Code::InvalidName:
    case Code::InvalidPassword:
    case Code::RegistrationClosed:
    case Code::CertificateUnknown:
    case Code::CertificateChanged:
        return false;
    }
    return false;
}

QString AuthError::message() const
{
    switch (code) {
    case Code::WrongCredentials:
        return tr("Wrong user name or password.");
    case Code::SessionExpired:
        return tr("Your sign-in has expired. Please sign in again.");
    case Code::NameTaken:
        return tr("That name is already taken.");
    case Code::InvalidName:
        return tr("User names are %1 to %2 letters, digits, dots, dashes or underscores, starting with a letter or digit.")
            .arg(Names::kMinUserNameLength)
            .arg(Names::kMaxUserNameLength);
    case Code::InvalidPassword:
        return tr("The password must be %1 to %2 characters long.")
            .arg(Names::kMinPasswordLength)
            .arg(Names::kMaxPasswordLength);
    case Code::RegistrationClosed:
        return tr("This server does not accept new accounts.");
    case Code::RateLimited:
        return tr("Too many attempts. Please wait a moment and try again.");
    case Code::ServerBusy:
        return tr("The server is busy. Please try again later.");
    case Code::ServerUnreachable:
        return tr("The server cannot be reached.");
    case Code::TlsFailure:
        return tr("A secure connection to the server could not be established.");
    case Code::CertificateUnknown:
        return tr("This server's certificate is not vouched for by anyone yet. Nothing was sent to it.");
    case Code::CertificateChanged:
        return tr("This server's certificate is not the one this app trusts for it, so the connection was blocked. "
                  "Nothing was sent to it: not your password and not your sign-in.");
    case Code::ServerError:
        return tr("The server could not complete the request.");
    }
    return tr("The server could not complete the request.");
}

} // namespace Tertulia
