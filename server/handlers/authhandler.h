#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

/// `auth` (first frame or re-authentication) and in-band `refresh`. Also authenticates sessions that
/// brought an Authorization header.
class AuthHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

    /// Verifies the access token and, the first time, attaches the session to its user: indexes it,
    /// subscribes it to the user's rooms, announces presence. Re-authentication must be the same user.
    std::optional<Protocol::Error> authenticate(Session &session, const QString &token);
    Protocol::HelloInfo hello(const Session &session) const;
};

} // namespace Tertulia
