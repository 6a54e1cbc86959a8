#include "server/fastpath/flushlist.h"

#include "server/fastpath/fastwebsocket.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <algorithm>

namespace Tertulia::FastPath {

FlushList::FlushList(WritePolicy policy, QObject *parent) : QObject(parent), m_policy(policy)
{
    // Pass boundaries as the dispatcher shows them: ours emits both signals only around a wait that may block,
    // Qt's UNIX dispatcher emits awake every pass, Qt's GLib one aboutToBlock. Counting either is enough.
    // The loop counts as idle again (Adaptive) once a wait really slept, not when it returned at once because
    // more work was ready.
    if (QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance(thread())) {
        connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, [this] {
            ++m_pass;
            m_waitStart = std::chrono::steady_clock::now();
        });
        connect(dispatcher, &QAbstractEventDispatcher::awake, this, [this] {
            ++m_pass;
            if (m_waitStart && std::chrono::steady_clock::now() - *m_waitStart >= kSleptAtLeast)
                m_busy = false;
            m_waitStart.reset();
        });
    }
}

FlushList::~FlushList() = default;

void FlushList::add(FastWebSocket *socket)
{
    Q_ASSERT(thread() == QThread::currentThread());
    if (socket->m_listed)
        return;
    socket->m_listed = true;
    m_sockets.push_back(socket);
    if (!m_posted) {
        m_posted = true;
        QMetaObject::invokeMethod(this, &FlushList::flush, Qt::QueuedConnection);
    }
}

void FlushList::addHeld(FastWebSocket *socket)
{
    Q_ASSERT(thread() == QThread::currentThread());
    if (socket->m_heldListed)
        return;
    socket->m_heldListed = true;
    m_held.push_back(socket);
    if (!m_heldTimer) {
        m_heldTimer = new QTimer(this);
        m_heldTimer->setSingleShot(true);
        connect(m_heldTimer, &QTimer::timeout, this, &FlushList::flushHeld);
    }
    if (!m_heldTimer->isActive())
        m_heldTimer->start(m_notificationDelay);
}

void FlushList::setNotificationDelay(std::chrono::milliseconds delay)
{
    m_notificationDelay = delay;
    if (m_heldTimer && m_heldTimer->isActive())
        m_heldTimer->start(delay);
}

void FlushList::remove(FastWebSocket *socket)
{
    // Rare (a socket that goes away with frames waiting), so a scan is fine; null the slot, the flush skips it.
    if (socket->m_listed) {
        socket->m_listed = false;
        for (auto *list : {&m_sockets, &m_flushing})
            std::replace(list->begin(), list->end(), socket, static_cast<FastWebSocket *>(nullptr));
    }
    if (socket->m_heldListed) {
        socket->m_heldListed = false;
        for (auto *list : {&m_held, &m_heldFlushing})
            std::replace(list->begin(), list->end(), socket, static_cast<FastWebSocket *>(nullptr));
    }
}

void FlushList::flush()
{
    m_posted = false;
    ++m_pass;
    // Swap, so that sockets listed while flushing (a handler that sends) wait for the next pass.
    m_flushing.swap(m_sockets);
    for (std::size_t i = 0; i < m_flushing.size(); ++i) {
        FastWebSocket *socket = m_flushing[i];
        if (!socket)
            continue;
        socket->m_listed = false;
        // Frames piled up on a socket within one pass: the loop is falling behind (Adaptive coalesces all).
        // Frames deferred on purpose (Urgency) say nothing about the loop.
        if (socket->framesQueued() - socket->m_deferredFrames > 1)
            m_busy = true;
        socket->flush();
    }
    m_flushing.clear();
}

void FlushList::flushHeld()
{
    if (m_heldTimer)
        m_heldTimer->stop();
    m_heldFlushing.swap(m_held);
    for (std::size_t i = 0; i < m_heldFlushing.size(); ++i) {
        FastWebSocket *socket = m_heldFlushing[i];
        if (!socket)
            continue;
        socket->m_heldListed = false;
        // A socket on the pass list, or waiting for the kernel, writes its queue anyway.
        if (!socket->m_listed && socket->framesQueued() > 0)
            socket->flush();
    }
    m_heldFlushing.clear();
}

qsizetype FlushList::heldCount() const
{
    return std::count_if(m_held.begin(), m_held.end(), [](const FastWebSocket *s) { return s != nullptr; });
}

qsizetype FlushList::pendingCount() const
{
    return std::count_if(m_sockets.begin(), m_sockets.end(), [](const FastWebSocket *s) { return s != nullptr; });
}

char *FlushList::takeReadBuffer()
{
    if (m_readBufferBusy)
        return nullptr;
    if (!m_readBuffer)
        m_readBuffer = std::make_unique<char[]>(std::size_t(kReadBufferBytes));
    m_readBufferBusy = true;
    return m_readBuffer.get();
}

} // namespace Tertulia::FastPath
