#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

struct AmendRequest;

/// `edit` and `delete` of one's own message. Each is stored as the room's next entry (Store::amend: the
/// author check, the change of the target and the entry in one transaction), then delivered to the room
/// like a message, then acknowledged, so resume, history and Socket.IO recovery carry it with nothing
/// more. Same room access as `send` (a member), the same text limit, and rate-limited as every request;
/// a retry with the same client message id gets the original entry back and changes nothing. `react` gives
/// (or with `remove` takes back) one's reaction to anyone's message, as a React or Unreact entry the same way;
/// a member only, like `send`.
class EditHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override
    {
        return {Protocol::RequestType::Edit, Protocol::RequestType::Delete, Protocol::RequestType::React};
    }
    void handle(Session &session, const Protocol::Request &request) override;

private:
    void amend(Session &session, const Protocol::Request &request, Room &room, const AmendRequest &change);
};

} // namespace Tertulia
