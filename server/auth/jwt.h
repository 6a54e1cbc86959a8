#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <variant>

/// JSON Web Tokens, HS256 only (RFC 7519 / RFC 7515). Written on libsodium's HMAC-SHA256 rather than
/// Debian's libjwt because libjwt 1.10 accepts `alg: none` without a key and does not check `exp` unless
/// its separate validation API is used (see docs/architecture.md). The algorithm is pinned: any other
/// `alg` is refused before the signature is looked at. Tests check the RFC 7515 A.1 vector and cross-check
/// with cpp-jwt.
namespace Tertulia::Jwt {

enum class Error {
    Malformed,      ///< not three base64url parts of JSON objects
    BadAlgorithm,   ///< alg is not HS256
    BadSignature,
    Expired,
    NotYetValid,    ///< nbf after now, or iat in the future beyond the allowed skew
    WrongIssuer,
    WrongAudience,
    WrongType,      ///< an access token used as refresh token or the other way round
    MissingClaim,
};

QString errorMessage(Error error);

/// HMAC-SHA256 of `data` under `key` (any length), on libsodium.
QByteArray hmacSha256(QByteArrayView data, QByteArrayView key);

/// Signs the claims with HS256 (header {"alg":"HS256","typ":"JWT"}).
QByteArray sign(const QJsonObject &claims, QByteArrayView key);

/// Checks the header and signature (constant-time) and returns the claims; does not look at them.
std::variant<QJsonObject, Error> verifySignature(QByteArrayView token, QByteArrayView key);

/// The claims Tertulia issues and checks.
struct Claims
{
    QString subject;     ///< sub: the user name
    QString id;          ///< jti
    QString sessionId;   ///< sid: the login this token belongs to
    QString type;        ///< typ: "access" or "refresh"
    qint64 issuedAt = 0; ///< iat, seconds since the epoch
    qint64 expiresAt = 0;///< exp, seconds since the epoch
};

struct Expectations
{
    QString issuer;
    QString audience;
    QString type;
    qint64 now = 0;          ///< seconds since the epoch
    qint64 leewaySeconds = 30;
};

/// Signature, then iss, aud, typ, exp, nbf (when present), iat, sub, jti, sid.
std::variant<Claims, Error> verify(QByteArrayView token, QByteArrayView key, const Expectations &expect);

/// Builds the claim set for sign().
QJsonObject makeClaims(const Claims &claims, const QString &issuer, const QString &audience);

} // namespace Tertulia::Jwt
