#include "server/handlers/roomsettingshandler.h"

#include "server/handlers/servercontext.h"
#include "server/rooms/room.h"
#include "server/rooms/roomregistry.h"

#include <QtCore/QPointer>

namespace Tertulia {

using namespace Protocol;

QList<RequestType> RoomSettingsHandler::types() const { return {RequestType::UpdateRoom, RequestType::DeleteRoom}; }

void RoomSettingsHandler::handle(Session &session, const Request &request)
{
    // The session's later requests wait until this one is answered (its reads and writes run off the loop).
    const RoomSettings::Actor actor{session.user(), session.logTag()};
    const QPointer<Session> asker(&session);
    if (request.type == RequestType::UpdateRoom) {
        const auto p = params<UpdateRoomParams>(session, request);
        if (!p)
            return;
        session.holdRequests();
        m_settings.update(actor, *p, [this, asker, id = request.id](const RoomSettings::Updated &outcome) {
            if (!asker)
                return;
            if (const auto *error = std::get_if<Error>(&outcome)) {
                asker->reply(Reply::failure(id, *error));
            } else {
                const Room *held = m_context.rooms.loaded(std::get<RoomRecord>(outcome).name);
                asker->reply(Reply::ok(id, RoomResult{held ? held->info(asker->userKey()) : RoomInfo{}, {}}.toJson()));
            }
            asker->releaseRequests();
        });
        return;
    }
    const auto p = params<DeleteRoomParams>(session, request);
    if (!p)
        return;
    session.holdRequests();
    m_settings.remove(actor, *p, [asker, id = request.id](const std::optional<Error> &error) {
        if (!asker)
            return;
        asker->reply(error ? Reply::failure(id, *error) : Reply::ok(id));
        asker->releaseRequests();
    });
}

} // namespace Tertulia
