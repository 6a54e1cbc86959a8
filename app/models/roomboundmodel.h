#pragma once

#include <QtCore/QAbstractListModel>
#include <QtCore/QPointer>

namespace Tertulia {

class ChatRoom;

/// A list model that shows one room at a time (its messages, its members). Switching rooms resets
/// the model and stops listening to the old room; a room that goes away empties it.
class RoomBoundModel : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoomBoundModel)

public:
    using QAbstractListModel::QAbstractListModel;
    ~RoomBoundModel() override;

    void setRoom(ChatRoom *room);
    ChatRoom *room() const { return m_room; }

protected:
    /// Connects to the new room's signals; runs inside the reset.
    virtual void attach(ChatRoom &room) = 0;
    /// Drops what was cached about the old room; runs inside the reset, before attach().
    virtual void detach() { }

private:
    QPointer<ChatRoom> m_room;
};

} // namespace Tertulia
