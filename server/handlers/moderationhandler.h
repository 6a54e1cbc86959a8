#pragma once

#include "server/handlers/moderation.h"
#include "server/handlers/requesthandler.h"

namespace Tertulia {

/// Roles and moderation in a room (issue 13) over the chat protocols: set_role, transfer_ownership,
/// remove_member, ban, unban, mute, unmute. The rules, the audit lines and the live effects are Moderation's
/// (shared with the admin HTTP API); this handler decodes the request, keeps the session's later requests
/// waiting until it is answered (per-session order), and replies.
class ModerationHandler final : public RequestHandler
{
public:
    explicit ModerationHandler(ServerContext &context) : RequestHandler(context), m_moderation(context) { }

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

private:
    Moderation m_moderation;
};

} // namespace Tertulia
