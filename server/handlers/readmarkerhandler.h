#pragma once

#include "server/handlers/requesthandler.h"

namespace Tertulia {

namespace Protocol {
struct RoomListResult;
}

/// `mark_read` (issue 12): the user has read a room (one they are a member of) up to a seq. The store keeps
/// the highest seq per user and room, written on its writer thread (Store::setReadMarker: the loop never
/// waits); a seq above the room's last is clamped to it. The answer carries the value stored; the user's
/// other sessions, on every node, hear it as `read_marker` (a ReadMarker fact on the bus). A read marker is
/// private: nobody else hears of it. Rate-limited as every request; clients coalesce.
class ReadMarkerHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override { return {Protocol::RequestType::MarkRead}; }
    void handle(Session &session, const Protocol::Request &request) override;

    /// Answers `list_rooms` with the user's read markers filled in (`read_seq`), read off the event loop
    /// (Store::readReadMarkers): the markers reach a client on every (re)connect without another round trip.
    /// A failed read answers the list without markers (clients keep their own).
    static void answerRoomList(ServerContext &context, Session &session, const QString &requestId,
                               Protocol::RoomListResult result);

private:
    /// Raises the marker in a room the session may use (withRoom()) and answers.
    void store(Session &session, const Protocol::Request &request, const Protocol::ReadMarker &marker, Room &room);
};

} // namespace Tertulia
