#include "server/api/adminauth.h"

#include "server/auth/tokenservice.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/net/connectionadmission.h"
#include "server/store/store.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

using Protocol::ErrorCode;

AdminAuth::AdminAuth(TokenService &tokens, Store &store, Metrics &metrics)
    : m_tokens(tokens), m_store(store), m_metrics(metrics)
{
}

void AdminAuth::check(const Http::Request &request, QObject *context, std::function<void(const Checked &)> done) const
{
    // The one parser of `Authorization: Bearer` (the native upgrade uses it too).
    const QString token = ConnectionAdmission::bearerToken(request);
    if (token.isEmpty()) {
        Http::Response refusal =
            Http::Response::error(401, ErrorCode::AuthFailed, u"send 'Authorization: Bearer <access token>'"_s);
        refusal.setHeader("WWW-Authenticate", "Bearer");
        return done(refusal);
    }
    // The token off the event loop too: a login another node made is read from the store.
    m_tokens.verifyAccess(token, context,
                          [this, context, request, done = std::move(done)](const TokenService::Verified &claims) {
        if (const auto *error = std::get_if<Protocol::Error>(&claims)) {
            ++m_metrics.authFailures;
            Http::Response refusal = Http::Response::error(401, error->code, error->message);
            refusal.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return done(refusal);
        }
        const Jwt::Claims verified = std::get<Jwt::Claims>(claims);
        // The target as received (printable ASCII only: the parser refuses anything else), not the decoded
        // path, which could put a line break into the log.
        const QString line = QString::fromLatin1(request.method) + u' ' + QString::fromLatin1(request.target.left(200));
        m_store.async<std::optional<UserRecord>>(
            context, [name = verified.subject](Store &store) { return store.findUser(name); },
            [this, verified, line, address = request.peerAddress, done](const std::optional<UserRecord> &user) {
                if (!user || !user->isAdmin) {
                    qCInfo(lcAdmin).noquote() << u"user="_s + verified.subject << "from" << address
                                              << "refused: not an administrator:" << line;
                    return done(Http::Response::error(403, ErrorCode::Forbidden, u"this account is not an administrator"_s));
                }
                m_tokens.noteUse(verified.sessionId);
                done(AdminActor{user->name, verified.sessionId, address});
            });
    });
}

} // namespace Tertulia
