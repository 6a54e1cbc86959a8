#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

namespace Tertulia::EngineIo {

/// Work for the next event-loop pass, batched behind a single posted event: deletions (like
/// QObject::deleteLater()) and calls (like a queued invocation) of the objects of one Engine.IO server.
///
/// Why not Qt's own: deleteLater() and queued calls post one event per object, and every QObject destroyed
/// while it still has a posted event makes Qt scan the thread's whole posted-event list
/// (QCoreApplication::removePostedEvents()). A server shutdown closes every connection (each one posting a
/// few events) and then deletes them all: O(N^2), 3 s with 5 000 Socket.IO connections. Here only the
/// queue itself has a posted event. The order of the work is kept; a context that is gone is skipped.
///
/// At most kBatch items run per event-loop pass: after thousands of connections drop at once, each close
/// report costs a presence update to the room; in one pass they kept the loop (and SIGTERM) waiting for
/// seconds, in batches other sockets and signals are served in between.
class DeferredQueue : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeferredQueue)

public:
    explicit DeferredQueue(QObject *parent = nullptr);
    /// Deletes the objects still waiting (like Qt at shutdown, without running the calls).
    ~DeferredQueue() override;

    void deleteLater(QObject *object);
    /// Runs `work` on the next pass unless `context` has been destroyed by then.
    void post(QObject *context, std::function<void()> work);

    /// `object` deleted through `queue`, or through Qt if there is no queue (any more).
    static void deleteLater(const QPointer<DeferredQueue> &queue, QObject *object);

    qsizetype pending() const { return m_items.size() - m_next; }

    static constexpr qsizetype kBatch = 256;

private:
    struct Item
    {
        QPointer<QObject> context;
        std::function<void()> work; ///< empty: delete the context
    };
    void schedule();
    void run();

    QList<Item> m_items;
    qsizetype m_next = 0;          ///< m_items before this index have run
    bool m_scheduled = false;
};

} // namespace Tertulia::EngineIo
