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

Store &RequestHandler::contextStore() const { return m_context.store; }

QObject *RequestHandler::registryObject() const { return &m_context.rooms; }

void RequestHandler::withRoom(Session &session, const Request &request, const QString &name, Access access,
                              RoomThen then)
{
    Room *room = m_context.rooms.loaded(name);
    const QString user = session.userKey();
    const bool readRoom = !room && m_context.rooms.mayLoad(name);
    // The creator of a private room, the only one who can invite, may always come back to it.
    const bool probeInvite = access == Access::Visible
        && (room ? room->isPrivate() && !room->isMember(user) && Names::canonical(room->record().creator) != user
                 : readRoom);
    if (!readRoom && !probeInvite) {
        then(session, checkAccess(session, request, name, room, access, false));
        return;
    }
    struct Probe
    {
        std::optional<RoomRegistry::StoredRoom> stored;
        bool invited = false;
    };
    const qint64 knownId = room ? room->record().id : 0;
    ask<Probe>(
        session,
        [name, user, readRoom, probeInvite, knownId](Store &store) {
            Probe probe;
            qint64 id = knownId;
            if (readRoom) {
                probe.stored = RoomRegistry::readRoom(store, name);
                if (!probe.stored)
                    return probe;
                id = probe.stored->record.id;
            }
            probe.invited = probeInvite && store.hasInvite(id, user);
            return probe;
        },
        [this, request, name, access, then = std::move(then)](Session *asker, Probe probe) {
            // Loaded meanwhile (another request, a fact from another node): adopt() keeps the room held.
            Room *found = probe.stored ? m_context.rooms.adopt(*probe.stored) : m_context.rooms.loaded(name);
            if (asker)
                then(*asker, checkAccess(*asker, request, name, found, access, probe.invited));
        });
}

Room *RequestHandler::checkAccess(Session &session, const Request &request, const QString &name, Room *room,
                                  Access access, bool invited)
{
    const QString &user = session.userKey();
    const bool visible = room
        && (!room->isPrivate() || room->isMember(user)
            || (access == Access::Visible && (Names::canonical(room->record().creator) == user || invited)));
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

bool RequestHandler::isArchived(Session &session, const Request &request, const Room &room)
{
    if (!room.isArchived())
        return false;
    fail(session, request, ErrorCode::Archived,
         QStringLiteral("'%1' is archived: it is read-only until its owner unarchives it").arg(room.name()));
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
