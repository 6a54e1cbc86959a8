#pragma once

#include "server/handlers/requesthandler.h"
#include "server/store/store.h"

namespace Tertulia {

class Room;

/// Room settings (issue 13): update_room (topic, title, privacy, archived) and delete_room. Authorised here by
/// standing, as ModerationHandler does: a topic is for the room's moderators and above; the title, privacy,
/// archiving and deletion are for its owner and above (a server administrator for any room). What is allowed
/// is stored first (off the event loop, Store::async()), recorded in the audit log, then published as a fact
/// (BusEvent::RoomUpdated, RoomDeleted) that every node applies: members hear `room_updated` or
/// `room_deleted` at once, and a deleted room's members leave it.
class RoomSettingsHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

private:
    /// The room, if the request may go on with it; null when the request was answered (no such room, one the
    /// user may not see: Moderation::hides(), or a direct conversation, which has no settings).
    Room *visibleRoom(Session &session, const Protocol::Request &request, const QString &name, Room *room,
                      Standing actor);
    void update(Session &session, const Protocol::Request &request, const Protocol::UpdateRoomParams &params,
                Room *room, bool admin);
    void remove(Session &session, const Protocol::Request &request, const Protocol::DeleteRoomParams &params,
                Room *room, bool admin);
    /// Reads what needs the store off the event loop (Moderation::lookUp(): the actor's administrator flag; the
    /// room if this node has not loaded it), then runs `then` on the loop if the session is still there; its
    /// later requests wait meanwhile.
    void known(Session &session, const QString &room, std::function<void(Session &, Room *, bool admin)> then);

    Moderation m_moderation{m_context};
};

} // namespace Tertulia
