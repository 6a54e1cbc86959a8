#include "server/socketio/deferredqueue.h"

namespace Tertulia::EngineIo {

DeferredQueue::DeferredQueue(QObject *parent) : QObject(parent) { }

DeferredQueue::~DeferredQueue()
{
    for (const Item &item : std::exchange(m_items, {})) {
        if (!item.work)
            delete item.context.data();
    }
}

void DeferredQueue::deleteLater(QObject *object)
{
    m_items.append(Item{object, {}});
    schedule();
}

void DeferredQueue::post(QObject *context, std::function<void()> work)
{
    Q_ASSERT(work);
    m_items.append(Item{context, std::move(work)});
    schedule();
}

void DeferredQueue::deleteLater(const QPointer<DeferredQueue> &queue, QObject *object)
{
    if (queue)
        queue->deleteLater(object);
    else
        object->deleteLater();
}

void DeferredQueue::schedule()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(this, &DeferredQueue::run, Qt::QueuedConnection);
}

void DeferredQueue::run()
{
    m_scheduled = false;
    // Work queued while this batch runs waits for the next pass (as a posted event would).
    const QList<Item> batch = std::exchange(m_items, {});
    for (const Item &item : batch) {
        if (!item.context)
            continue;
        if (item.work)
            item.work();
        else
            delete item.context.data();
    }
}

} // namespace Tertulia::EngineIo
