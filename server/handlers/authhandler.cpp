#include "server/handlers/authhandler.h"

#include "server/accounts/profiledirectory.h"
#include "server/auth/tokenservice.h"
#include "server/core/serverconfig.h"
#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/metrics/metrics.h"
#include "server/net/connectionadmission.h"
#include "server/rooms/presencetracker.h"
#include "server/rooms/roomregistry.h"
#include "server/session/sessionregistry.h"
#include "server/session/session.h"
#include "server/store/store.h"
#include "shared/names.h"
#include "shared/version.h"

#include <QtCore/QDateTime>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

AuthHandler::AuthHandler(ServerContext &context, ConnectionAdmission &admission)
    : RequestHandler(context), m_admission(admission)
{
}

CloseCode AuthHandler::closeCodeFor(const Error &error)
{
    switch (error.code) {
    case ErrorCode::RateLimited: return CloseCode::RateLimited;
    case ErrorCode::AccountDeleted: return CloseCode::AccountDeleted;
    default: return CloseCode::AuthFailed;
    }
}

QList<RequestType> AuthHandler::types() const { return {RequestType::Auth, RequestType::Refresh}; }

void AuthHandler::authenticate(Session &session, const QString &token, Greeting greet, AuthDone done)
{
    session.holdRequests();
    // The signature is checked once, here (it is the largest cost of a connect); the login after the read
    // below, so that nothing (a revocation) comes between the login's check and the admission.
    const TokenService::Verified checked = m_context.tokens.checkAccessToken(token);
    const auto verify = [this, checked, greet = std::move(greet), done = std::move(done)](Session &asker) {
        m_context.tokens.verifyAccess(checked, &asker,
                                      [this, asker = &asker, greet, done](const TokenService::Verified &verified) {
                                          // `asker` lives: the session is the callback's context.
                                          done(*asker, admit(*asker, verified, greet));
                                          asker->releaseRequests();
                                      });
    };
    // The account's administrator flag goes in the hello (clients offer what the server allows them): read
    // off the event loop first, for a token that is genuine.
    const auto *claims = std::get_if<Jwt::Claims>(&checked);
    if (!claims)
        return verify(session);
    m_context.store.async<bool>(
        &session, [user = claims->subject](Store &store) {
            const auto account = store.findUser(user);
            return account && account->isAdmin;
        },
        [asker = &session, verify](bool admin) {
            asker->setServerAdmin(admin);
            verify(*asker);
        });
}

std::optional<Error> AuthHandler::admit(Session &session, const TokenService::Verified &verified,
                                        const Greeting &greet)
{
    if (auto *error = std::get_if<Error>(&verified)) {
        ++m_context.metrics.authFailures;
        qCInfo(lcAuth).noquote() << session.logTag() << "authentication failed:" << error->message;
        return *error;
    }
    const Jwt::Claims &claims = std::get<Jwt::Claims>(verified);
    m_context.tokens.noteUse(claims.sessionId); // the device list's "last used"
    if (session.isAuthenticated()) {
        if (Names::canonical(claims.subject) != session.userKey())
            return Error{ErrorCode::Forbidden, u"a session cannot change its user"_s};
        session.authenticate(session.user(), claims.sessionId, claims.expiresAt);
        m_context.sessions.reschedule(&session); // the new token may end before the old deadline
        return std::nullopt;
    }
    // A new session of the user: within the user's churn limit (a reconnect loop is refused here, whatever
    // the way in), asked only once the token is good so nobody can spend another user's budget.
    if (const auto refused = m_admission.admitSession(Names::canonical(claims.subject))) {
        qCInfo(lcAuth).noquote() << session.logTag() << u"user="_s + claims.subject << "refused:" << refused->message;
        return Error{refused->code, refused->message};
    }
    session.authenticate(claims.subject, claims.sessionId, claims.expiresAt);
    m_context.sessions.indexAuthenticated(&session);
    if (greet)
        greet();
    m_context.rooms.attach(&session);
    m_context.presence.refresh(session.userKey(), session.user());
    // Debug, not info: at tens of thousands of connections one line each is most of the log.
    qCDebug(lcSession).noquote() << session.logTag() << "authenticated from" << session.peerAddress();
    return std::nullopt;
}

HelloInfo AuthHandler::hello(const Session &session) const
{
    const ServerConfig &config = m_context.config;
    HelloInfo info{session.user(),
                   ServerInfo{config.name, versionString(), config.limits.maxTextBytes},
                   std::max<qint64>(0, session.tokenExpiresAt() - QDateTime::currentSecsSinceEpoch()),
                   m_context.profiles.displayName(session.userKey())};
    info.admin = session.isServerAdmin();
    info.avatar = m_context.profiles.avatar(session.userKey());
    return info;
}

void AuthHandler::handle(Session &session, const Request &request)
{
    if (request.type == RequestType::Auth) {
        const auto p = params<AuthParams>(session, request);
        if (!p)
            return;
        const bool firstAuth = !session.isAuthenticated();
        // The first `ok` is the session's hello: it goes out before any event of the user's rooms.
        auto answered = std::make_shared<bool>(false);
        const auto greet = [this, asker = &session, answered, id = request.id] {
            asker->reply(Reply::ok(id, hello(*asker).toJson()));
            *answered = true;
        };
        authenticate(session, p->token, greet,
                     [this, firstAuth, answered, id = request.id](Session &asker, const std::optional<Error> &error) {
                         if (error) {
                             asker.reply(Reply::failure(id, *error));
                             // A session that never authenticated has nothing to keep: close it with the reason.
                             if (firstAuth)
                                 asker.closeWith(closeCodeFor(*error), error->message);
                             return;
                         }
                         if (!*answered) // re-authentication
                             asker.reply(Reply::ok(id, hello(asker).toJson()));
                     });
        return;
    }

    // In-band refresh: a new pair, and the session continues on the new access token.
    const auto p = params<RefreshParams>(session, request);
    if (!p)
        return;
    // Read and rotated off the event loop; the session's later requests wait for it (they may need the new
    // token's standing).
    session.holdRequests();
    m_context.tokens.refresh(
        p->refreshToken, &session,
        [this, asker = &session, id = request.id](const StoreResult<TokenPair> &refreshed) {
            // `asker` lives: the session is the callback's context.
            if (const auto *error = std::get_if<Error>(&refreshed)) {
                ++m_context.metrics.authFailures;
                asker->reply(Reply::failure(id, *error));
            } else {
                const TokenPair pair = std::get<TokenPair>(refreshed);
                // The new pair's login is held here now (the refresh kept it): answered in this call.
                authenticate(*asker, pair.accessToken, {},
                             [id, pair](Session &authenticated, const std::optional<Error> &refused) {
                                 if (refused)
                                     authenticated.reply(Reply::failure(id, *refused));
                                 else
                                     authenticated.reply(Reply::ok(id, pair.toJson()));
                             });
            }
            asker->releaseRequests();
        });
}

} // namespace Tertulia
