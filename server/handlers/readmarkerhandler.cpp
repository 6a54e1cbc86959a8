#include "server/handlers/readmarkerhandler.h"

#include "server/handlers/servercontext.h"
#include "server/metrics/metrics.h"
#include "server/rooms/roomregistry.h"
#include "server/store/store.h"

#include <QtCore/QPointer>

namespace Tertulia {

using namespace Protocol;

void ReadMarkerHandler::handle(Session &session, const Request &request)
{
    const auto p = params<ReadMarker>(session, request);
    if (!p)
        return;
    // A room this node has not loaded yet is looked up off the loop; a loaded one is checked now.
    withRoom(session, request, p->room, Access::Member, [this, request, marker = *p](Session &asker, Room *room) {
        if (room)
            store(asker, request, marker, *room);
    });
}

void ReadMarkerHandler::store(Session &session, const Request &request, const ReadMarker &marker, Room &room)
{
    // Clamped, not refused: a client may have heard of a message this node has not yet (several nodes); it
    // marks the rest again later.
    const qint64 seq = std::min(marker.seq, room.lastSeq());
    QPointer<Session> sender(&session);
    const quint64 sessionId = session.id();
    const QString requestId = request.id;
    const QString user = session.user();
    const RoomRecord record = room.record();
    const QString roomName = room.name();
    ServerContext &context = m_context;
    context.store.setReadMarker(record.id, user, seq,
                                [&context, sender, sessionId, requestId, user, record, roomName, seq](
                                    const StoreResult<qint64> &stored) {
        if (const auto *error = std::get_if<Error>(&stored)) {
            ++context.metrics.storeErrors;
            if (sender)
                sender->reply(Reply::failure(requestId, *error));
            return;
        }
        const qint64 now = std::get<qint64>(stored);
        // Only a marker this request moved tells the other sessions: a higher one stored before was told then.
        if (now == seq && seq > 0)
            context.rooms.publish(BusEvent::readMarker(record, user, now, sessionId));
        if (sender)
            sender->reply(Reply::ok(requestId, ReadMarker{roomName, now}.toJson()));
    });
}

void ReadMarkerHandler::answerRoomList(ServerContext &context, Session &session, const QString &requestId,
                                       RoomListResult result)
{
    // The session is the context: one that closed before the answer gets none.
    context.store.readReadMarkers(
        session.user(), &session,
        [&context, session = &session, requestId, result = std::move(result)](
            const StoreResult<QHash<qint64, qint64>> &read) mutable {
            if (const auto *markers = std::get_if<QHash<qint64, qint64>>(&read)) {
                for (RoomInfo &info : result.rooms) {
                    if (!info.joined)
                        continue;
                    if (const Room *room = context.rooms.loaded(info.name))
                        info.readSeq = std::min(markers->value(room->record().id), room->lastSeq());
                }
            } else {
                ++context.metrics.storeErrors;
            }
            session->reply(Reply::ok(requestId, result.toJson()));
        });
}

} // namespace Tertulia
