#include "server/handlers/profilehandler.h"

#include "server/accounts/profiledirectory.h"
#include "server/handlers/servercontext.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"

namespace Tertulia {

using namespace Protocol;

ProfileHandler::ProfileHandler(ServerContext &context)
    : RequestHandler(context), m_changes(kProfileBurst, 1.0 / kProfileRefillSeconds)
{
}

void ProfileHandler::handle(Session &session, const Request &request)
{
    const auto p = params<SetProfileParams>(session, request);
    if (!p)
        return;
    const QString user = session.user();
    const QString displayName = p->displayName;
    if (m_context.profiles.displayName(user) == displayName) { // nothing changes: nobody needs telling
        session.reply(Reply::ok(request.id, m_context.profiles.profile(user).toJson()));
        return;
    }
    const qint64 now = m_context.clock.nowMs();
    if (!m_changes.take(session.userKey(), now)) {
        fail(session, request, ErrorCode::RateLimited,
             QStringLiteral("too many profile changes: retry in %1 ms").arg(m_changes.msUntilNext(session.userKey(), now)));
        return;
    }
    ask<bool>(
        session, [user, displayName](Store &store) { return store.setDisplayName(user, displayName); },
        [this, request, user, displayName](Session *asker, bool stored) {
            if (stored)
                m_context.rooms.publish(BusEvent::profileUpdated(user, displayName, m_context.profiles.avatar(user)));
            if (!asker)
                return;
            if (!stored) {
                fail(*asker, request, ErrorCode::Internal, QStringLiteral("could not store the display name"));
                return;
            }
            // The directory applied the fact as it was published (on this node, at once).
            asker->reply(Reply::ok(request.id, ProfileEvent{user, displayName, m_context.profiles.avatar(user)}.toJson()));
        });
}

} // namespace Tertulia
