#pragma once

#include "server/handlers/requesthandler.h"
#include "server/session/tokenbuckettable.h"

namespace Tertulia {

/// `set_profile` (issue 12): sets or clears the user's display name (validated by SetProfileParams, so both
/// wire protocols refuse the same names), stores it off the event loop, then publishes ProfileUpdated
/// (ProfileDirectory delivers `profile_updated`). Besides the request limits every request passes, a change
/// reaches everyone sharing a room with the user, so changes have a bucket of their own per user.
class ProfileHandler final : public RequestHandler
{
public:
    explicit ProfileHandler(ServerContext &context);

    QList<Protocol::RequestType> types() const override { return {Protocol::RequestType::SetProfile}; }
    void handle(Session &session, const Protocol::Request &request) override;

    /// Changes a user may make in a burst, and how fast they come back (one per kProfileRefillSeconds).
    static constexpr double kProfileBurst = 5;
    static constexpr double kProfileRefillSeconds = 12;

private:
    TokenBucketTable m_changes;
};

} // namespace Tertulia
