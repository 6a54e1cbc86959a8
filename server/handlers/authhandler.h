#pragma once

#include "server/handlers/requesthandler.h"

#include <functional>

namespace Tertulia {

/// `auth` (first frame or re-authentication) and in-band `refresh`. Also authenticates sessions that
/// brought an Authorization header.
class AuthHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

    /// Sends a session's first frame (`hello`, or the `ok` to its first `auth`).
    using Greeting = std::function<void()>;

    /// Verifies the access token and, the first time, attaches the session to its user: indexes it,
    /// `greet`s it, then subscribes it to the user's rooms and announces presence. Greeting before subscribing
    /// is what makes the greeting the session's first frame: once subscribed, the session is in the
    /// audience of its own presence and of everything its rooms say. Re-authentication must be the same user
    /// (and greets nobody).
    std::optional<Protocol::Error> authenticate(Session &session, const QString &token, const Greeting &greet = {});
    Protocol::HelloInfo hello(const Session &session) const;
};

} // namespace Tertulia
