#pragma once

#include "server/rooms/busevent.h"

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace Tertulia {

/// The one way out for everything that happens in rooms (docs/architecture.md, "How a message flows"):
/// handlers publish facts here, and every node's RoomRegistry hears them through received(). A node hears
/// its own facts at once, inside publish(), so its state and its sessions never lag behind what it just
/// answered; other nodes hear them when the bus carries them. LocalBus (one node, the embedded and
/// standalone servers) is the whole of it for one process; a cluster bus relays to the other nodes.
class EventBus : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventBus)

public:
    explicit EventBus(const QString &nodeId, QObject *parent = nullptr) : QObject(parent), m_nodeId(nodeId) { }

    const QString &nodeId() const { return m_nodeId; }
    /// Stamps the fact with this node's id; this node receives it before publish() returns.
    virtual void publish(BusEvent event) = 0;
    /// The global position of the last message handed on (every message at or below it was), where the
    /// store keeps positions (several nodes); 0 otherwise.
    virtual qint64 position() const { return 0; }
    /// The other nodes this node hears now (a cluster bus: those heard within their lease); none on one node.
    virtual QStringList peers() const { return {}; }

Q_SIGNALS:
    /// A fact, from this node or another (`originNode` tells), in the order the bus guarantees: per node, in
    /// publish order.
    void received(const Tertulia::BusEvent &event);

private:
    QString m_nodeId;
};

/// The bus of a single node: publish() is received() at once, in the same call.
class LocalBus final : public EventBus
{
    Q_OBJECT

public:
    using EventBus::EventBus;

    void publish(BusEvent event) override
    {
        event.originNode = nodeId();
        Q_EMIT received(event);
    }
};

} // namespace Tertulia
