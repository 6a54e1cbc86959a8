#include "server/api/bearercaller.h"

#include "server/auth/tokenservice.h"
#include "server/http/httprouter.h"
#include "server/metrics/metrics.h"
#include "server/net/connectionadmission.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

void withBearerCaller(TokenService &tokens, Metrics &metrics, QObject *context, const Http::Request &request,
                      const Http::Responder &responder, std::function<void(const Jwt::Claims &)> then)
{
    const QString token = ConnectionAdmission::bearerToken(request);
    if (token.isEmpty()) {
        responder.send(Http::Response::error(401, Protocol::ErrorCode::AuthFailed,
                                             u"send 'Authorization: Bearer <access token>'"_s));
        return;
    }
    tokens.verifyAccess(token, context,
                        [&tokens, &metrics, responder, then = std::move(then)](const TokenService::Verified &claims) {
                            if (const auto *error = std::get_if<Protocol::Error>(&claims)) {
                                ++metrics.authFailures;
                                responder.send(Http::Response::error(401, error->code, error->message));
                                return;
                            }
                            const Jwt::Claims &verified = std::get<Jwt::Claims>(claims);
                            tokens.noteUse(verified.sessionId);
                            then(verified);
                        });
}

} // namespace Tertulia
