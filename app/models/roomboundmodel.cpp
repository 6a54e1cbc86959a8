#include "app/models/roomboundmodel.h"

#include "app/session/chatroom.h"

namespace Tertulia {

RoomBoundModel::~RoomBoundModel() = default;

void RoomBoundModel::setRoom(ChatRoom *room)
{
    if (room == m_room)
        return;
    beginResetModel();
    if (m_room)
        m_room->disconnect(this);
    detach();
    m_room = room;
    if (m_room) {
        attach(*m_room);
        connect(m_room, &QObject::destroyed, this, [this] {
            beginResetModel();
            detach();
            endResetModel();
        });
    }
    endResetModel();
}

} // namespace Tertulia
