#pragma once
// Who calls an HTTP API route with `Authorization: Bearer <access token>`: the one check the account, file and
// avatar APIs share (the admin API adds its administrator check and WWW-Authenticate in AdminAuth).

#include "server/auth/jwt.h"

#include <functional>

class QObject;

namespace Tertulia {

class TokenService;
struct Metrics;

namespace Http {
struct Request;
class Responder;
} // namespace Http

/// Runs `then` with the verified claims of the request's access token (read by the one Bearer parser,
/// ConnectionAdmission::bearerToken()), after noting the login's use; otherwise answers 401 with the reason and
/// counts an authentication failure. A login another node made is looked up off the event loop, so `then` may
/// run later, and does not run once `context` is gone.
void withBearerCaller(TokenService &tokens, Metrics &metrics, QObject *context, const Http::Request &request,
                      const Http::Responder &responder, std::function<void(const Jwt::Claims &)> then);

} // namespace Tertulia
