#include "server/handlers/requesthandler.h"

#include "server/core/serverconfig.h"
#include "server/handlers/servercontext.h"
#include "server/rooms/roomregistry.h"
#include "server/store/store.h"
#include "shared/names.h"

namespace Tertulia {

using namespace Protocol;
using namespace Qt::StringLiterals;

Room *RequestHandler::accessibleRoom(Session &session, const Request &request, const QString &name, Access access)
{
    Room *room = m_context.rooms.find(name);
    const QString &user = session.userKey();
    // The creator of a private room, the only one who can invite, may always come back to it.
    const bool visible = room
        && (!room->isPrivate() || room->isMember(user)
            || (access == Access::Visible
                && (Names::canonical(room->record().creator) == user
                    || m_context.store.hasInvite(room->record().id, user))));
    if (!visible) {
        fail(session, request, ErrorCode::NotFound, QStringLiteral("there is no room '%1'").arg(name));
        return nullptr;
    }
    if (access == Access::Member && !room->isMember(user)) {
        fail(session, request, ErrorCode::Forbidden, QStringLiteral("join '%1' first").arg(room->name()));
        return nullptr;
    }
    return room;
}

bool RequestHandler::textFits(Session &session, const Request &request, const QString &text)
{
    const qsizetype bytes = text.toUtf8().size();
    const qsizetype limit = m_context.config.limits.maxTextBytes;
    if (bytes <= limit)
        return true;
    fail(session, request, ErrorCode::TooLarge, u"the text is %1 bytes; the limit is %2"_s.arg(bytes).arg(limit));
    return false;
}

} // namespace Tertulia
