#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

class Room;

/// Direct conversations (issue 12): `open_direct` answers the one room of two people, making it the first
/// time. Everything else (send, history, reactions, read markers, ...) treats it as the private room it is.
class DirectHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

private:
    /// The room as the user sees it, with its other person's display name and picture version (issue 12).
    Protocol::RoomResult roomAnswer(const Room &room, const QString &userKey) const;
};

} // namespace Tertulia
