#include "server/socketio/deferredqueue.h"

namespace Tertulia::EngineIo {

DeferredQueue::DeferredQueue(QObject *parent) : QObject(parent) { }

DeferredQueue::~DeferredQueue()
{
    const QList<Item> items = std::exchange(m_items, {});
    for (qsizetype i = m_next; i < items.size(); ++i) {
        if (!items[i].work)
            delete items[i].context.data();
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
    const qsizetype end = std::min(m_items.size(), m_next + kBatch);
    while (m_next < end) {
        // Taken out first: the work may queue more (appending may reallocate the list).
        const Item item = std::exchange(m_items[m_next], Item{});
        ++m_next;
        if (!item.context)
            continue;
        if (item.work)
            item.work();
        else
            delete item.context.data();
    }
    if (m_next == m_items.size()) {
        m_items.clear();
        m_next = 0;
        return;
    }
    if (m_next >= kBatch * 4 && m_next * 2 >= m_items.size()) { // a steady stream: drop what has run
        m_items.remove(0, m_next);
        m_next = 0;
    }
    schedule();
}

} // namespace Tertulia::EngineIo
