#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// HS256 JSON Web Tokens (RFC 7515/7519) minted by the generator itself, on libsodium's HMAC-SHA256, so
/// no account has to be registered for each of up to 19 000 simulated users. The claims are those
/// tertulia-server issues (docs/protocol.md).
namespace Tertulia::Bench::Token {

/// base64url without padding (RFC 7515 section 2).
std::string base64Url(std::string_view bytes);

/// The compact JWS of `headerJson`.`payloadJson`, signed with HS256.
std::string signCompact(std::string_view headerJson, std::string_view payloadJson, std::string_view key);

/// An access token for `user`: iss/aud "tertulia", sub, iat, exp (now + ttl), random jti, sid "bench-<user>"
/// (the login tertulia-bench-seed stores for the user), typ "access".
std::string mintAccess(std::string_view user, std::string_view key, int64_t nowSeconds, int64_t ttlSeconds);

/// Reads tertulia-server's secret file: 64 lowercase hex characters (32 bytes), an optional newline.
/// Returns the 32 key bytes, or nullopt with `error` set.
std::optional<std::string> readSecretFile(const std::string &path, std::string &error);

} // namespace Tertulia::Bench::Token
