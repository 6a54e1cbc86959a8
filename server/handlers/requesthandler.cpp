#include "server/handlers/requesthandler.h"

#include "server/core/serverconfig.h"
#include "server/handlers/servercontext.h"
#include "server/rooms/roomregistry.h"
#include "server/store/store.h"
#include "shared/names.h"

#include <QtCore/QDateTime>

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
    // Banned (issue 13): nothing of the room, not even a public one's history or members, until it ends.
    if (const auto ban = room->sanction(user, SanctionKind::Ban, m_context.wallClockMs())) {
        fail(session, request, ErrorCode::Forbidden,
             ban->until ? QStringLiteral("you are banned from '%1' until %2")
                              .arg(room->name(), QDateTime::fromMSecsSinceEpoch(ban->until).toUTC().toString(Qt::ISODate))
                        : QStringLiteral("you are banned from '%1'").arg(room->name()));
        return nullptr;
    }
    if (access == Access::Member && !room->isMember(user)) {
        fail(session, request, ErrorCode::Forbidden, QStringLiteral("join '%1' first").arg(room->name()));
        return nullptr;
    }
    return room;
}

RequestHandler::Standing RequestHandler::standing(const Session &session, const Room &room) const
{
    if (const auto user = m_context.store.findUser(session.user()); user && user->isAdmin)
        return Standing::Administrator;
    return Standing(int(room.role(session.userKey())));
}

bool RequestHandler::isMuted(Session &session, const Request &request, const Room &room)
{
    const auto mute = room.sanction(session.userKey(), SanctionKind::Mute, m_context.wallClockMs());
    if (!mute)
        return false;
    fail(session, request, ErrorCode::Forbidden,
         mute->until ? QStringLiteral("you are muted in '%1' until %2")
                           .arg(room.name(), QDateTime::fromMSecsSinceEpoch(mute->until).toUTC().toString(Qt::ISODate))
                     : QStringLiteral("you are muted in '%1'").arg(room.name()));
    return true;
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
