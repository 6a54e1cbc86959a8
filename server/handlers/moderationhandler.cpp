#include "server/handlers/moderationhandler.h"

#include <QtCore/QPointer>

namespace Tertulia {

using namespace Protocol;

QList<RequestType> ModerationHandler::types() const
{
    return {RequestType::SetRole, RequestType::TransferOwnership, RequestType::RemoveMember, RequestType::Ban,
            RequestType::Unban,   RequestType::Mute,              RequestType::Unmute};
}

void ModerationHandler::handle(Session &session, const Request &request)
{
    const auto p = params<ModerationParams>(session, request);
    if (!p)
        return;
    // The session's later requests wait until this one is answered (its reads and writes run off the loop).
    session.holdRequests();
    m_moderation.run({session.user(), session.logTag()}, request.type, *p,
                     [asker = QPointer<Session>(&session), id = request.id](const Moderation::Outcome &outcome) {
                         if (!asker)
                             return;
                         if (const auto *error = std::get_if<Error>(&outcome))
                             asker->reply(Reply::failure(id, *error));
                         else if (const QJsonObject &answer = std::get<QJsonObject>(outcome); answer.isEmpty())
                             asker->reply(Reply::ok(id));
                         else
                             asker->reply(Reply::ok(id, answer));
                         asker->releaseRequests();
                     });
}

} // namespace Tertulia
