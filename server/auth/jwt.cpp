#include "server/auth/jwt.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <sodium.h>

#include <cmath>
#include <optional>

namespace Tertulia::Jwt {

namespace {
using L1 = QLatin1StringView;
constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray base64Url(const QByteArray &bytes) { return bytes.toBase64(kBase64Url); }

std::optional<QByteArray> fromBase64Url(QByteArrayView text)
{
    auto decoded = QByteArray::fromBase64Encoding(text.toByteArray(),
                                                  kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    // Only the canonical spelling: Qt's decoder ignores the unused low bits of a final character, so "…A" and
    // "…B" could be the same signature; one token, one string (found by fuzz_jwt).
    if (!decoded || base64Url(*decoded) != text)
        return std::nullopt;
    return *decoded;
}

std::optional<QJsonObject> jsonObject(QByteArrayView encoded)
{
    const auto bytes = fromBase64Url(encoded);
    if (!bytes)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(*bytes, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}
} // namespace

QByteArray hmacSha256(QByteArrayView data, QByteArrayView key)
{
    // The streaming API takes keys of any length (RFC 7515's example key is 64 bytes).
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char *>(key.data()), size_t(key.size()));
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char *>(data.data()),
                                  quint64(data.size()));
    QByteArray mac(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char *>(mac.data()));
    sodium_memzero(&state, sizeof state);
    return mac;
}

QString errorMessage(Error error)
{
    switch (error) {
    case Error::Malformed: return QStringLiteral("the token is malformed");
    case Error::BadAlgorithm: return QStringLiteral("the token's algorithm is not accepted");
    case Error::BadSignature: return QStringLiteral("the token's signature is invalid");
    case Error::Expired: return QStringLiteral("the token has expired");
    case Error::NotYetValid: return QStringLiteral("the token is not valid yet");
    case Error::WrongIssuer: return QStringLiteral("the token was issued by someone else");
    case Error::WrongAudience: return QStringLiteral("the token is meant for someone else");
    case Error::WrongType: return QStringLiteral("the token is of the wrong type");
    case Error::MissingClaim: return QStringLiteral("the token lacks a required claim");
    }
    return QStringLiteral("the token is invalid");
}

namespace {
/// The header sign() writes, as it appears in a token.
QByteArrayView signedHeader()
{
    static const QByteArray header = base64Url(QByteArrayLiteral(R"({"alg":"HS256","typ":"JWT"})"));
    return header;
}
} // namespace

QByteArray sign(const QJsonObject &claims, QByteArrayView key)
{
    const QByteArray signingInput = signedHeader().toByteArray() + '.'
        + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));
    return signingInput + '.' + base64Url(hmacSha256(signingInput, key));
}

std::variant<QJsonObject, Error> verifySignature(QByteArrayView token, QByteArrayView key)
{
    if (token.size() > 8192 || token.count('.') != 2)
        return Error::Malformed;
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = token.lastIndexOf('.');
    // Pin the algorithm before anything else: no "none", no RS/HS confusion. The header every token of
    // ours carries is known by its bytes; only another one is parsed (that saves a JSON parse, a fifth of
    // a token's check, on every connect).
    if (token.first(dot1) != signedHeader()) {
        const auto header = jsonObject(token.first(dot1));
        if (!header)
            return Error::Malformed;
        if (header->value(L1("alg")).toString() != u"HS256")
            return Error::BadAlgorithm;
    }
    const auto signature = fromBase64Url(token.sliced(dot2 + 1));
    if (!signature || signature->size() != crypto_auth_hmacsha256_BYTES)
        return Error::BadSignature;
    const QByteArray expected = hmacSha256(token.first(dot2), key);
    if (sodium_memcmp(expected.constData(), signature->constData(), size_t(expected.size())) != 0)
        return Error::BadSignature;
    const auto payload = jsonObject(token.sliced(dot1 + 1, dot2 - dot1 - 1));
    if (!payload)
        return Error::Malformed;
    return *payload;
}

std::variant<Claims, Error> verify(QByteArrayView token, QByteArrayView key, const Expectations &expect)
{
    auto verified = verifySignature(token, key);
    if (auto *error = std::get_if<Error>(&verified))
        return *error;
    const QJsonObject &json = std::get<QJsonObject>(verified);

    const QJsonValue iss = json.value(L1("iss")), aud = json.value(L1("aud")), typ = json.value(L1("typ"));
    const QJsonValue exp = json.value(L1("exp")), iat = json.value(L1("iat"));
    const QJsonValue sub = json.value(L1("sub")), jti = json.value(L1("jti")), sid = json.value(L1("sid"));
    for (const QJsonValue &value : {iss, typ, sub, jti, sid}) {
        if (!value.isString() || value.toString().isEmpty())
            return Error::MissingClaim;
    }
    if (!exp.isDouble() || !iat.isDouble())
        return Error::MissingClaim;
    // NumericDate is seconds; only whole values a JSON number holds exactly are taken. Converting anything
    // else (1e300, NaN) to an integer would be undefined behaviour (found by fuzz_jwt).
    const auto seconds = [](const QJsonValue &value) -> std::optional<qint64> {
        const double number = value.toDouble();
        if (!std::isfinite(number) || std::trunc(number) != number || std::fabs(number) > 9007199254740991.0)
            return std::nullopt;
        return qint64(number);
    };
    const std::optional<qint64> expires = seconds(exp), issued = seconds(iat);
    if (!expires || !issued)
        return Error::Malformed;
    if (iss.toString() != expect.issuer)
        return Error::WrongIssuer;
    // aud may be a string or an array of strings (RFC 7519 4.1.3).
    bool audienceMatches = aud.toString() == expect.audience;
    if (aud.isArray()) {
        for (const QJsonValue &entry : aud.toArray())
            audienceMatches = audienceMatches || entry.toString() == expect.audience;
    }
    if (!audienceMatches)
        return Error::WrongAudience;
    if (typ.toString() != expect.type)
        return Error::WrongType;
    Claims claims;
    claims.expiresAt = *expires;
    claims.issuedAt = *issued;
    if (expect.now >= claims.expiresAt)
        return Error::Expired;
    // nbf is optional (Tertulia does not issue it) but binding when present (RFC 7519 4.1.5), with the same
    // allowance as exp: none, the clock that checks is the one that signs.
    const QJsonValue nbf = json.value(L1("nbf"));
    if (!nbf.isUndefined()) {
        const std::optional<qint64> notBefore = nbf.isDouble() ? seconds(nbf) : std::nullopt;
        if (!notBefore)
            return Error::Malformed;
        if (*notBefore > expect.now)
            return Error::NotYetValid;
    }
    if (claims.issuedAt > expect.now + expect.leewaySeconds)
        return Error::NotYetValid;
    claims.subject = sub.toString();
    claims.id = jti.toString();
    claims.sessionId = sid.toString();
    claims.type = typ.toString();
    return claims;
}

QJsonObject makeClaims(const Claims &claims, const QString &issuer, const QString &audience)
{
    return {{L1("iss"), issuer},          {L1("aud"), audience},           {L1("sub"), claims.subject},
            {L1("iat"), claims.issuedAt}, {L1("exp"), claims.expiresAt},   {L1("jti"), claims.id},
            {L1("sid"), claims.sessionId}, {L1("typ"), claims.type}};
}

} // namespace Tertulia::Jwt
