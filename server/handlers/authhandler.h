#pragma once

#include "server/auth/tokenservice.h"
#include "server/handlers/requesthandler.h"

#include <functional>

namespace Tertulia {

class ConnectionAdmission;

/// `auth` (first frame or re-authentication) and in-band `refresh`. Also authenticates sessions that
/// brought an Authorization header, and Socket.IO connections (SocketIoGateway).
class AuthHandler final : public RequestHandler
{
public:
    /// `admission` decides whether a user may open one more session now (its churn limit).
    AuthHandler(ServerContext &context, ConnectionAdmission &admission);

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

    /// Sends a session's first frame (`hello`, or the `ok` to its first `auth`).
    using Greeting = std::function<void()>;

    /// The outcome of authenticate(): nullopt when the session is authenticated.
    using AuthDone = std::function<void(Session &session, const std::optional<Protocol::Error> &refusal)>;
    /// Verifies the access token and, the first time, attaches the session to its user: indexes it,
    /// `greet`s it, then subscribes it to the user's rooms and announces presence. Greeting before subscribing
    /// is what makes the greeting the session's first frame: once subscribed, the session is in the
    /// audience of its own presence and of everything its rooms say. Re-authentication must be the same user
    /// (and greets nobody). A login this node does not hold is looked up off the event loop
    /// (TokenService::verifyAccess()): `done` runs now when memory answers, later otherwise, never once the
    /// session is gone; meanwhile the session's requests wait (Session::holdRequests()) and are handled,
    /// in order, after `done`.
    void authenticate(Session &session, const QString &token, Greeting greet, AuthDone done);
    Protocol::HelloInfo hello(const Session &session) const;
    /// How a session that failed its first authentication is closed: 4008 when it came too soon after
    /// others of its user (retry later), 4006 for a token of a deleted account, 4002 otherwise (sign in again).
    static Protocol::CloseCode closeCodeFor(const Protocol::Error &error);

private:
    /// authenticate()'s second half, once the token's standing is known.
    std::optional<Protocol::Error> admit(Session &session, const TokenService::Verified &verified,
                                         const Greeting &greet);

    ConnectionAdmission &m_admission;
};

} // namespace Tertulia
