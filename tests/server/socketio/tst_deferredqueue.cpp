// EngineIo::DeferredQueue: deferred deletions and calls behind one posted event, in order, skipping what
// is gone, and the objects themselves never holding a posted event.
#include "server/socketio/deferredqueue.h"

#include <QtCore/QCoreApplication>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using EngineIo::DeferredQueue;

class TestDeferredQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Calls and deletions run on the next pass, in the order they were asked for. */
    void runsInOrderOnTheNextPass()
    {
        DeferredQueue queue;
        QObject context;
        QStringList log;
        auto *doomed = new QObject;
        connect(doomed, &QObject::destroyed, &context, [&log] { log.append(u"deleted"_s); });
        queue.post(&context, [&log] { log.append(u"first"_s); });
        queue.deleteLater(doomed);
        queue.post(&context, [&log] { log.append(u"second"_s); });
        QVERIFY(log.isEmpty());
        QCOMPARE(queue.pending(), 3);
        QTRY_COMPARE(log, (QStringList{u"first"_s, u"deleted"_s, u"second"_s}));
        QCOMPARE(queue.pending(), 0);
    }

    /*! A call whose context is gone is skipped; an object deleted meanwhile is not deleted twice. */
    void skipsWhatIsGone()
    {
        DeferredQueue queue;
        bool ran = false;
        auto context = std::make_unique<QObject>();
        queue.post(context.get(), [&ran] { ran = true; });
        auto *object = new QObject;
        queue.deleteLater(object);
        queue.deleteLater(object); // twice, as deleteLater() may be
        delete object;
        context.reset();
        bool marker = false;
        QObject alive;
        queue.post(&alive, [&marker] { marker = true; });
        QTRY_VERIFY(marker);
        QVERIFY(!ran);
    }

    /*! Work posted while a batch runs waits for the next pass. */
    void workFromWorkWaits()
    {
        DeferredQueue queue;
        QObject context;
        int stage = 0;
        queue.post(&context, [&] {
            stage = 1;
            queue.post(&context, [&stage] { stage = 2; });
            QCOMPARE(stage, 1);
        });
        QTRY_COMPARE(stage, 2);
    }

    /*! The point of the queue: the objects carry no posted event of their own (Qt scans every posted event
        when an object that has one is destroyed); only the queue has one, however many objects wait. */
    void objectsHoldNoPostedEvent()
    {
        DeferredQueue queue;
        std::vector<QPointer<QObject>> objects;
        for (int i = 0; i < 100; ++i) {
            objects.emplace_back(new QObject);
            queue.deleteLater(objects.back());
            queue.post(objects.back(), [] {});
        }
        QCOMPARE(queue.pending(), 200);
        // Delivering the queue's own posted event, and nothing else, does all of it.
        QCoreApplication::sendPostedEvents(&queue, QEvent::MetaCall);
        QCOMPARE(queue.pending(), 0);
        for (const QPointer<QObject> &object : objects)
            QVERIFY(object.isNull());
    }

    /*! A long queue runs kBatch items per pass, so the event loop (sockets, signals) gets a turn between. */
    void batches()
    {
        DeferredQueue queue;
        QObject context;
        int ran = 0;
        const qsizetype total = DeferredQueue::kBatch * 2 + 10;
        for (qsizetype i = 0; i < total; ++i)
            queue.post(&context, [&ran] { ++ran; });
        QCoreApplication::sendPostedEvents(&queue, QEvent::MetaCall);
        QCOMPARE(ran, int(DeferredQueue::kBatch));
        QCOMPARE(queue.pending(), total - DeferredQueue::kBatch);
        QTRY_COMPARE(ran, int(total));
        QCOMPARE(queue.pending(), 0);
    }

    /*! Destroying the queue deletes the objects still waiting and runs no call. */
    void destructorDeletes()
    {
        QPointer<QObject> object = new QObject;
        bool ran = false;
        QObject context;
        {
            DeferredQueue queue;
            queue.deleteLater(object);
            queue.post(&context, [&ran] { ran = true; });
        }
        QVERIFY(object.isNull());
        QCoreApplication::processEvents();
        QVERIFY(!ran);
    }

    /*! Without a queue, deletion falls back on Qt's deleteLater(). */
    void fallback()
    {
        QPointer<QObject> object = new QObject;
        DeferredQueue::deleteLater(QPointer<DeferredQueue>(), object);
        QVERIFY(!object.isNull());
        QTRY_VERIFY(object.isNull());
    }
};

QTEST_GUILESS_MAIN(TestDeferredQueue)
#include "tst_deferredqueue.moc"
