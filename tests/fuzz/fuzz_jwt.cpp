// JWT (HS256): a bearer token from anyone, checked with the server's key. Anything but a token this key
// signed must be refused, and a refusal never depends on more than the bytes.
#include "fuzzcheck.h"
#include "server/auth/jwt.h"

#include <QtCore/QJsonDocument>

using namespace Tertulia;

namespace {
const QByteArray kKey = QByteArray(32, 'k');
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView token = Fuzz::bytesOf(data, size);
    const Jwt::Expectations expect{QStringLiteral("tertulia"), QStringLiteral("tertulia"), QStringLiteral("access"),
                                   1'800'000'000, 30};
    const auto verified = Jwt::verify(token, kKey, expect);
    const auto signature = Jwt::verifySignature(token, kKey);
    // A random input practically never carries a valid HMAC; when the fuzzer builds one from a signed seed,
    // the claims must have passed every check.
    if (const auto *claims = std::get_if<Jwt::Claims>(&verified)) {
        FUZZ_CHECK(std::holds_alternative<QJsonObject>(signature));
        FUZZ_CHECK(claims->expiresAt > expect.now);
        FUZZ_CHECK(claims->type == expect.type);
        FUZZ_CHECK(!claims->subject.isEmpty() && !claims->sessionId.isEmpty());
    } else {
        FUZZ_CHECK(!Jwt::errorMessage(std::get<Jwt::Error>(verified)).isEmpty());
    }
    // Tokens we sign from arbitrary claims verify their signature, and a flipped byte breaks it.
    const QJsonObject claims = QJsonDocument::fromJson(token.toByteArray()).object();
    const QByteArray signedToken = Jwt::sign(claims, kKey);
    FUZZ_CHECK(std::holds_alternative<QJsonObject>(Jwt::verifySignature(signedToken, kKey)));
    // The claim checks see arbitrary claims only through a valid signature: sign the fuzzer's claims.
    const auto checked = Jwt::verify(signedToken, kKey, expect);
    if (const auto *accepted = std::get_if<Jwt::Claims>(&checked)) {
        FUZZ_CHECK(accepted->expiresAt > expect.now);
        FUZZ_CHECK(accepted->issuedAt <= expect.now + expect.leewaySeconds);
        FUZZ_CHECK(claims.value(QLatin1StringView("iss")).toString() == expect.issuer);
    }
    QByteArray tampered = signedToken;
    tampered[tampered.size() - 1] = tampered.back() == 'A' ? 'B' : 'A';
    FUZZ_CHECK(!std::holds_alternative<QJsonObject>(Jwt::verifySignature(tampered, kKey)));
    return 0;
}
