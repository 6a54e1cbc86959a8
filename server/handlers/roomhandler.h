#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

class Room;

/// Rooms and membership: list_rooms, create_room, join, leave, invite, members.
class RoomHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

private:
    void listRooms(Session &session, const Protocol::Request &request);
    void createRoom(Session &session, const Protocol::Request &request);
    void join(Session &session, const Protocol::Request &request);
    void leave(Session &session, const Protocol::Request &request);
    void invite(Session &session, const Protocol::Request &request);
    void members(Session &session, const Protocol::Request &request);

    /// Answers a join or create_room with the room once the store has committed the membership.
    void answerAfterCommit(Session &session, const Protocol::Request &request, Room &room);
};

} // namespace Tertulia
