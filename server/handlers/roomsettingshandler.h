#pragma once

#include "server/handlers/requesthandler.h"
#include "server/handlers/roomsettings.h"

namespace Tertulia {

/// Room settings (issue 13) over the chat protocols: update_room (topic, title, privacy, archived) and
/// delete_room. The rules, the audit lines and the live effects are RoomSettings' (shared with the admin HTTP
/// API); this handler decodes the request, keeps the session's later requests waiting until it is answered
/// (per-session order), and replies: update_room with the room as the asker sees it now.
class RoomSettingsHandler final : public RequestHandler
{
public:
    explicit RoomSettingsHandler(ServerContext &context) : RequestHandler(context), m_settings(context) { }

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

private:
    RoomSettings m_settings;
};

} // namespace Tertulia
