#include "server/handlers/moderationhandler.h"

#include <QtCore/QPointer>

namespace Tertulia {

using namespace Protocol;

QList<RequestType> ModerationHandler::types() const
{
    return {RequestType::SetRole, RequestType::TransferOwnership, RequestType::RemoveMember, RequestType::Ban,
            RequestType::Unban,   RequestType::Mute,              RequestType::Unmute,
            RequestType::ListSanctions};
}

void ModerationHandler::handle(Session &session, const Request &request)
{
    // The session's later requests wait until this one is answered (its reads and writes run off the loop).
    const auto answer = [asker = QPointer<Session>(&session), id = request.id](const Moderation::Outcome &outcome) {
        if (!asker)
            return;
        if (const auto *error = std::get_if<Error>(&outcome))
            asker->reply(Reply::failure(id, *error));
        else if (const QJsonObject &data = std::get<QJsonObject>(outcome); data.isEmpty())
            asker->reply(Reply::ok(id));
        else
            asker->reply(Reply::ok(id, data));
        asker->releaseRequests();
    };
    const Moderation::Actor actor{session.user(), session.logTag()};
    if (request.type == RequestType::ListSanctions) {
        if (const auto p = params<RoomParams>(session, request)) {
            session.holdRequests();
            m_moderation.listSanctions(actor, p->room, answer);
        }
        return;
    }
    if (const auto p = params<ModerationParams>(session, request)) {
        session.holdRequests();
        m_moderation.run(actor, request.type, *p, answer);
    }
}

} // namespace Tertulia
