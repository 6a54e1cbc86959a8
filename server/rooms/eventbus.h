#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

#include "server/session/outboundevent.h"

namespace Tertulia {

/// Something that happened in a room and must reach its members' sessions: an encoded frame.
struct RoomEvent
{
    QString originNode;       ///< the node that published it (a node ignores its own echoes)
    QString roomKey;          ///< canonical room name
    SharedEvent event;        ///< the event, encoded at most once per wire format
    QString excludeUserKey;   ///< do not deliver to this user (typing goes to the others)
};

/// Every room event passes through here. Today it is in-process and synchronous; with several nodes a
/// bus on PostgreSQL LISTEN/NOTIFY or Redis pub/sub relays events to the other nodes (docs/architecture.md).
class EventBus : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventBus)

public:
    explicit EventBus(const QString &nodeId, QObject *parent = nullptr) : QObject(parent), m_nodeId(nodeId) { }

    const QString &nodeId() const { return m_nodeId; }
    void publish(const RoomEvent &event) { Q_EMIT delivered(event); }

Q_SIGNALS:
    void delivered(const Tertulia::RoomEvent &event);

private:
    QString m_nodeId;
};

} // namespace Tertulia
