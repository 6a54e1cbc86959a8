#pragma once

#include "server/handlers/moderation.h"
#include "server/store/store.h"
#include "shared/protocol/payloads.h"

#include <functional>
#include <optional>
#include <variant>

namespace Tertulia {

class Room;
struct ServerContext;

/// Room settings (issue 13), whoever asks: the native and Socket.IO requests (RoomSettingsHandler) and the
/// admin HTTP API (AdminApi, PATCH and DELETE rooms/{room}) run the same rules, audit lines and live effects
/// through this one class, as they do for moderation (Moderation).
///
/// Authorised by standing: a topic is for the room's moderators and above; the title, privacy, archiving
/// and deletion are for its owner and above (a server administrator for any room). A room the actor may not
/// see (Moderation::hides(): a private room they are neither in nor above, a direct conversation of others)
/// is not_found; a direct conversation of their own has no settings (bad_request). What is allowed is stored
/// first together with its audit lines (one job off the event loop: Store::async()), then published as a fact
/// (BusEvent::RoomUpdated, RoomDeleted) that every node applies: members hear `room_updated` or
/// `room_deleted` at once, and a deleted room's members leave it.
class RoomSettings
{
public:
    explicit RoomSettings(ServerContext &context);

    using Actor = Moderation::Actor;
    /// The room as it is after the change (as it was, when nothing differed), or the refusal.
    using Updated = std::variant<RoomRecord, Protocol::Error>;

    /// update_room. `done` runs exactly once, later, on the event loop, also when whoever asked is gone
    /// meanwhile (what was stored is still published): the caller checks that.
    void update(const Actor &actor, const Protocol::UpdateRoomParams &params, std::function<void(const Updated &)> done);
    /// delete_room. `done` (nullopt: deleted) runs before the deletion is published, so that the asker's
    /// answer goes out before its own sessions hear `room_deleted` like every member's.
    void remove(const Actor &actor, const Protocol::DeleteRoomParams &params,
                std::function<void(const std::optional<Protocol::Error> &)> done);

private:
    /// The refusal for a room the actor may not change settings of at all (not there, hidden, direct).
    static std::optional<Protocol::Error> unavailable(const QString &actorKey, const QString &name, const Room *room,
                                                      Moderation::Standing actor);

    ServerContext &m_context;
    Moderation m_moderation;
};

} // namespace Tertulia
