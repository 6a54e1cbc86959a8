// The epoll event dispatcher, installed before QCoreApplication exists, as the whole test's dispatcher: timers,
// socket notifiers on real descriptors, posted events, wake-ups, nested loops, threads, and Qt's own network
// classes (QTcpSocket, QWebSocket) running on top of it.
#include "server/eventloop/epolleventdispatcher.h"
#include "server/eventloop/fasteventdispatcher.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCoreApplication>
#include <QtCore/QCryptographicHash>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QPointer>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTemporaryFile>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketServer>

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Tertulia;
using namespace std::chrono_literals;

namespace {

EpollEventDispatcher *epollDispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

// A connected pair of non-blocking Unix stream sockets. Declare it before the notifiers that watch it, so they
// are destroyed (and unregistered) before the descriptors are closed.
struct SocketPair
{
    SocketPair()
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
            fds[0] = fds[1] = -1;
    }
    ~SocketPair()
    {
        closeEnd(0);
        closeEnd(1);
    }
    Q_DISABLE_COPY_MOVE(SocketPair)

    bool isValid() const { return fds[0] >= 0 && fds[1] >= 0; }
    void closeEnd(int end)
    {
        if (fds[end] >= 0)
            ::close(fds[end]);
        fds[end] = -1;
    }
    int fds[2] = {-1, -1};
};

bool writeByte(int fd)
{
    const char byte = 'x';
    return ::write(fd, &byte, 1) == 1;
}

qsizetype drain(int fd)
{
    qsizetype total = 0;
    char buffer[4096];
    for (;;) {
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0)
            return total;
        total += n;
    }
}

// A socket pair whose read end is watched by a notifier that drains and counts every activation.
class CountingReader
{
public:
    CountingReader()
        : m_reader(m_pair.fds[0], QSocketNotifier::Read)
    {
        QObject::connect(&m_reader, &QSocketNotifier::activated, &m_reader, [this] {
            drain(m_pair.fds[0]);
            ++m_activations;
        });
    }
    Q_DISABLE_COPY_MOVE(CountingReader)

    bool isValid() const { return m_pair.isValid(); }
    bool poke() { return writeByte(m_pair.fds[1]); } // makes the read end readable
    int activations() const { return m_activations; }

private:
    SocketPair m_pair; // declared first: outlives the notifier
    QSocketNotifier m_reader;
    int m_activations = 0;
};

// Runs non-blocking passes: a level-triggered descriptor that is ready shows up in the first one.
void runPasses(int passes)
{
    for (int i = 0; i < passes; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents);
}

// Runs the event loop until a single-shot timer started now has fired, so every timer due before it has had
// its chance too: negative checks on timers wait for this instead of sleeping.
bool runUntilMarker(std::chrono::milliseconds delay)
{
    QTimer marker;
    marker.setSingleShot(true);
    QSignalSpy spy(&marker, &QTimer::timeout);
    marker.start(delay);
    return spy.wait(5000 + int(delay.count()));
}

// A QObject whose timer events go to a callback.
class TimerRecorder : public QObject
{
public:
    std::function<void(QTimerEvent *)> onTimer;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        if (onTimer)
            onTimer(event);
    }
};

const QEvent::Type numberedEventType = QEvent::Type(QEvent::registerEventType());

class NumberedEvent : public QEvent
{
public:
    explicit NumberedEvent(int n)
        : QEvent(numberedEventType)
        , number(n)
    {
    }
    int number;
};

class EventRecorder : public QObject
{
public:
    QList<int> received;

protected:
    bool event(QEvent *event) override
    {
        if (event->type() == numberedEventType) {
            received.append(static_cast<NumberedEvent *>(event)->number);
            return true;
        }
        return QObject::event(event);
    }
};

// Where a timer was started (bracketing the call, so its true deadline is in [before, after] + interval) and
// when it fired, in nanoseconds of one monotonic clock (QElapsedTimer and the dispatcher both use it).
struct StartedTimer
{
    int id = 0;
    qint64 before = 0;
    qint64 after = 0;
    qint64 interval = 0;
    qint64 fired = -1;
};

// Fails (returning a description) if a timer fired before its deadline, or after a timer whose deadline was
// certainly later. Needs no tolerance: the brackets absorb any preemption between clock reads and the start.
QString checkFiringOrder(const std::vector<StartedTimer> &timers, const std::vector<int> &firingOrder)
{
    for (std::size_t i = 0; i < firingOrder.size(); ++i) {
        const StartedTimer &t = timers[std::size_t(firingOrder[i])];
        if (t.fired < t.before + t.interval)
            return QStringLiteral("timer %1 fired %2 ns early").arg(t.id).arg(t.before + t.interval - t.fired);
        if (i + 1 < firingOrder.size()) {
            const StartedTimer &next = timers[std::size_t(firingOrder[i + 1])];
            if (t.before + t.interval > next.after + next.interval)
                return QStringLiteral("timer %1 (%2 ms) fired before timer %3 (%4 ms), whose deadline was earlier")
                    .arg(t.id).arg(t.interval / 1000000).arg(next.id).arg(next.interval / 1000000);
        }
    }
    return {};
}

} // namespace

class TestEpollDispatcher : public QObject
{
    Q_OBJECT

public:
    explicit TestEpollDispatcher(bool installedBeforeApplication)
        : m_installedBeforeApplication(installedBeforeApplication)
    {
    }

private:
    bool m_installedBeforeApplication;
    QElapsedTimer m_clock;

private Q_SLOTS:
    void initTestCase()
    {
        m_clock.start();
        QVERIFY2(m_installedBeforeApplication, "installFastEventDispatcherForApplication() failed");
    }

    /*! main() installed the dispatcher before QCoreApplication: every event of this test runs on it. */
    void dispatcherIsInstalled()
    {
        QVERIFY(epollDispatcher());
        QVERIFY(epollDispatcher()->isValid());
        QCOMPARE(QCoreApplication::eventDispatcher(), QAbstractEventDispatcher::instance());
        QCOMPARE(QThread::currentThread()->eventDispatcher(), QAbstractEventDispatcher::instance());
        QTest::ignoreMessage(QtWarningMsg,
                             "a fast event dispatcher must be installed before the application object exists");
        QVERIFY(!installFastEventDispatcherForApplication()); // too late now: refused, nothing replaced
        QVERIFY(epollDispatcher());
    }

    /*! Single-shot timers started in scrambled order fire in deadline order, never early. */
    void timersFireInDeadlineOrder()
    {
        const std::vector<qint64> intervalsMs{60, 20, 100, 0, 40, 80, 10};
        TimerRecorder recorder;
        std::vector<StartedTimer> timers(intervalsMs.size());
        std::vector<int> firingOrder;
        recorder.onTimer = [&](QTimerEvent *event) {
            const auto it = std::find_if(timers.begin(), timers.end(),
                                         [&](const StartedTimer &t) { return t.id == event->timerId(); });
            QVERIFY(it != timers.end());
            it->fired = m_clock.nsecsElapsed();
            recorder.killTimer(it->id);
            firingOrder.push_back(int(it - timers.begin()));
        };
        for (std::size_t i = 0; i < intervalsMs.size(); ++i) {
            timers[i].interval = intervalsMs[i] * 1000000;
            timers[i].before = m_clock.nsecsElapsed();
            timers[i].id = recorder.startTimer(std::chrono::milliseconds(intervalsMs[i]), Qt::PreciseTimer);
            timers[i].after = m_clock.nsecsElapsed();
            QVERIFY(timers[i].id > 0);
        }
        QTRY_COMPARE(firingOrder.size(), intervalsMs.size());
        const QString error = checkFiringOrder(timers, firingOrder);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(&recorder).size(), 0);
    }

    void repeatingTimerKeepsItsInterval_data()
    {
        QTest::addColumn<int>("intervalMs");
        QTest::addColumn<Qt::TimerType>("type");
        QTest::addColumn<int>("ticks");
        QTest::newRow("precise 15 ms") << 15 << Qt::PreciseTimer << 12;
        QTest::newRow("coarse 40 ms") << 40 << Qt::CoarseTimer << 6;
        QTest::newRow("coarse 10 ms (runs precise)") << 10 << Qt::CoarseTimer << 10;
        QTest::newRow("very coarse 1 s") << 1000 << Qt::VeryCoarseTimer << 2;
    }
    /*! A repeating timer keeps a drift-free schedule: the k-th tick comes no earlier than k intervals after
        the start, and each tick waits for its own deadline. */
    void repeatingTimerKeepsItsInterval()
    {
        QFETCH(int, intervalMs);
        QFETCH(Qt::TimerType, type);
        QFETCH(int, ticks);
        QTimer timer;
        timer.setTimerType(type);
        timer.setInterval(intervalMs);
        std::vector<qint64> tickTimes;
        connect(&timer, &QTimer::timeout, this, [&] {
            tickTimes.push_back(m_clock.nsecsElapsed());
            if (int(tickTimes.size()) == ticks)
                timer.stop();
        });
        const qint64 start = m_clock.nsecsElapsed();
        timer.start();
        QTRY_COMPARE_WITH_TIMEOUT(int(tickTimes.size()), ticks, ticks * intervalMs * 4 + 5000);
        const qint64 intervalNs = qint64(intervalMs) * 1000000;
        for (int k = 1; k <= ticks; ++k) {
            const qint64 elapsed = tickTimes[std::size_t(k - 1)] - start;
            QVERIFY2(elapsed >= k * intervalNs,
                     qPrintable(QStringLiteral("tick %1 after %2 us").arg(k).arg(elapsed / 1000)));
        }
        QVERIFY(!timer.isActive());
    }

    /*! The timer list reports what was started (ids, intervals, types) and how long each has left. */
    void registeredTimersAndRemainingTime()
    {
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
        const qsizetype before = epollDispatcher()->timerCount();
        auto owner = std::make_unique<TimerRecorder>();
        const int precise = owner->startTimer(250ms, Qt::PreciseTimer);
        const int coarse = owner->startTimer(5s, Qt::CoarseTimer);
        const int veryCoarse = owner->startTimer(30s, Qt::VeryCoarseTimer);
        QCOMPARE(epollDispatcher()->timerCount(), before + 3);

        QList<QAbstractEventDispatcher::TimerInfo> infos = dispatcher->registeredTimers(owner.get());
        std::sort(infos.begin(), infos.end(), [](const auto &a, const auto &b) { return a.timerId < b.timerId; });
        QCOMPARE(infos.size(), 3);
        QList<int> ids{precise, coarse, veryCoarse};
        std::sort(ids.begin(), ids.end());
        for (int i = 0; i < 3; ++i)
            QCOMPARE(infos[i].timerId, ids[i]);
        const auto infoFor = [&](int id) {
            return *std::find_if(infos.begin(), infos.end(), [id](const auto &info) { return info.timerId == id; });
        };
        QCOMPARE(infoFor(precise).interval, 250);
        QCOMPARE(infoFor(precise).timerType, Qt::PreciseTimer);
        QCOMPARE(infoFor(coarse).interval, 5000);
        QCOMPARE(infoFor(coarse).timerType, Qt::CoarseTimer);
        QCOMPARE(infoFor(veryCoarse).interval, 30000);
        QCOMPARE(infoFor(veryCoarse).timerType, Qt::VeryCoarseTimer);

        const int left = dispatcher->remainingTime(precise);
        QVERIFY2(left >= 0 && left <= 250, qPrintable(QString::number(left)));
        // Coarse deadlines round up by at most 5 %; very coarse ones to the next whole second.
        QVERIFY(dispatcher->remainingTime(coarse) <= 5250);
        QVERIFY(dispatcher->remainingTime(veryCoarse) <= 31000);
        QVERIFY(dispatcher->remainingTime(veryCoarse) > 28000);

        owner->killTimer(precise);
        // -1 through the int API on every Qt (on 6.8 that is QAbstractEventDispatcherV2's conversion of the
        // chrono answer), and negative through the chrono API where it exists.
        QCOMPARE(dispatcher->remainingTime(precise), -1);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
        QVERIFY(dispatcher->remainingTime(Qt::TimerId(precise)) < 0ns);
        QVERIFY(dispatcher->remainingTime(Qt::TimerId(coarse)) > 0ns);
        QCOMPARE(dispatcher->timersForObject(owner.get()).size(), 2);
#endif
        QCOMPARE(dispatcher->registeredTimers(owner.get()).size(), 2);
        QCOMPARE(dispatcher->registeredTimers(this).size(), 0);
        owner.reset(); // ~QObject unregisters the rest
        QCOMPARE(epollDispatcher()->timerCount(), before);
        QCOMPARE(dispatcher->remainingTime(coarse), -1);
    }

    /*! An absurd interval is clamped (to a century) instead of overflowing the nanosecond deadline. */
    void hugeIntervalDoesNotOverflow()
    {
        QAbstractEventDispatcher *dispatcher = QAbstractEventDispatcher::instance();
        TimerRecorder recorder;
        bool fired = false;
        recorder.onTimer = [&](QTimerEvent *) { fired = true; };
        // Registered on the dispatcher directly (QObject caps intervals at int milliseconds in Qt 6.4); the id
        // it allocates is not returned to Qt's pool afterwards, which only a QObject::killTimer would do.
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
        // The largest interval Qt 6.8 can hand a dispatcher is Duration::max() nanoseconds. Its int64
        // milliseconds overload multiplies by 1 ms in nanoseconds and overflows itself (INT64_MAX ms arrives
        // as -1 ms) before any dispatcher sees it, so that overload cannot be the probe there.
        const int id = qToUnderlying(
            dispatcher->registerTimer(QAbstractEventDispatcher::Duration::max(), Qt::PreciseTimer, &recorder));
        QVERIFY(dispatcher->remainingTime(Qt::TimerId(id)) > 24h * 365 * 99);
        QCOMPARE(dispatcher->timersForObject(&recorder).size(), 1);
#else
        const int id = dispatcher->registerTimer(std::numeric_limits<qint64>::max(), Qt::PreciseTimer, &recorder);
#endif
        QVERIFY(id > 0);
        QVERIFY(dispatcher->remainingTime(id) > 0);
        QCOMPARE(dispatcher->registeredTimers(&recorder).size(), 1);
        runPasses(3);
        QVERIFY(!fired);
        QVERIFY(dispatcher->unregisterTimers(&recorder));
    }

    /*! Zero timers fire once per pass, in the order they were started, and do not starve sockets or posted
        events. */
    void zeroTimersShareTheLoop()
    {
        CountingReader socket;
        QVERIFY(socket.isValid());

        QString sequence;
        QTimer first;
        QTimer second;
        first.setInterval(0);
        second.setInterval(0);
        connect(&first, &QTimer::timeout, this, [&] { sequence += u'a'; });
        connect(&second, &QTimer::timeout, this, [&] { sequence += u'b'; });
        first.start();
        second.start();

        bool posted = false;
        QMetaObject::invokeMethod(this, [&] { posted = true; }, Qt::QueuedConnection);
        QVERIFY(socket.poke());
        QTRY_VERIFY(posted && socket.activations() == 1 && sequence.size() >= 200);
        first.stop();
        second.stop();
        if (sequence.size() % 2)
            sequence.chop(1);
        QCOMPARE(sequence, QStringLiteral("ab").repeated(sequence.size() / 2));
    }

    /*! Single shots fire exactly once; a zero single shot runs on the next pass. */
    void singleShotsFireOnce()
    {
        int lambdaShots = 0;
        int timerShots = 0;
        int zeroShots = 0;
        QTimer::singleShot(20ms, this, [&] { ++lambdaShots; });
        QTimer::singleShot(0ms, this, [&] { ++zeroShots; });
        QTimer oneShot;
        oneShot.setSingleShot(true);
        oneShot.setInterval(10ms);
        connect(&oneShot, &QTimer::timeout, this, [&] { ++timerShots; });
        oneShot.start();

        QVERIFY(runUntilMarker(150ms)); // due well after the others
        QCOMPARE(lambdaShots, 1);
        QCOMPARE(timerShots, 1);
        QCOMPARE(zeroShots, 1);
        QVERIFY(!oneShot.isActive());
    }

    /*! A handler may kill its own timer, kill another timer due in the same pass, or restart itself
        (the id may then be reused for the new timer). */
    void killAndRestartInsideCallback()
    {
        TimerRecorder recorder;
        int firstFired = 0;
        int secondFired = 0;
        int selfLimited = 0;
        int restarts = 0;
        int first = 0;
        int second = 0;
        int limited = 0;
        int restarting = 0;
        recorder.onTimer = [&](QTimerEvent *event) {
            const int id = event->timerId();
            if (id == first) {
                ++firstFired;
                recorder.killTimer(second); // due in this very pass: must not fire any more
                recorder.killTimer(first);
            } else if (id == second) {
                ++secondFired;
            } else if (id == limited) {
                if (++selfLimited == 3)
                    recorder.killTimer(limited);
            } else if (id == restarting) {
                recorder.killTimer(restarting);
                if (++restarts < 5)
                    restarting = recorder.startTimer(5ms, Qt::PreciseTimer);
            }
        };
        // Same interval, started in this order: `first` is due first, and `second` in the same pass or later.
        first = recorder.startTimer(20ms, Qt::PreciseTimer);
        second = recorder.startTimer(20ms, Qt::PreciseTimer);
        limited = recorder.startTimer(5ms, Qt::PreciseTimer);
        restarting = recorder.startTimer(5ms, Qt::PreciseTimer);

        QTRY_VERIFY(restarts == 5 && selfLimited == 3 && firstFired == 1);
        QVERIFY(runUntilMarker(100ms));
        QCOMPARE(firstFired, 1);
        QCOMPARE(secondFired, 0);
        QCOMPARE(selfLimited, 3);
        QCOMPARE(restarts, 5);
        QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(&recorder).size(), 0);
    }

    /*! Restarting a QTimer from its own timeout gives it the new interval at once. */
    void restartWithNewIntervalInsideCallback()
    {
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        std::vector<qint64> ticks;
        QList<QAbstractEventDispatcher::TimerInfo> afterRestart;
        connect(&timer, &QTimer::timeout, this, [&] {
            ticks.push_back(m_clock.nsecsElapsed());
            if (ticks.size() == 1) {
                timer.start(60ms);
                afterRestart = QAbstractEventDispatcher::instance()->registeredTimers(&timer);
            } else if (ticks.size() == 3) {
                timer.stop();
            }
        });
        timer.start(5ms);
        QTRY_COMPARE(ticks.size(), std::size_t(3));
        QCOMPARE(afterRestart.size(), 1);
        QCOMPARE(afterRestart.first().interval, 60);
        // Drift-free from the restart on: the n-th tick after it comes n intervals after it, at the earliest.
        QVERIFY(ticks[1] - ticks[0] >= 60 * 1000000);
        QVERIFY(ticks[2] - ticks[0] >= 120 * 1000000);
    }

    /*! Thousands of timers: all fire in deadline order, none early; killed ones never fire. */
    void manyTimers()
    {
        constexpr int count = 5000;
        const qsizetype baseline = epollDispatcher()->timerCount();
        TimerRecorder recorder;
        std::vector<StartedTimer> timers(count);
        QHash<int, int> indexById;
        std::vector<int> firingOrder;
        firingOrder.reserve(count);
        int killedButFired = 0;
        recorder.onTimer = [&](QTimerEvent *event) {
            const int index = indexById.value(event->timerId(), -1);
            QVERIFY(index >= 0);
            StartedTimer &timer = timers[std::size_t(index)];
            timer.fired = m_clock.nsecsElapsed();
            if (index % 3 == 0)
                ++killedButFired;
            recorder.killTimer(timer.id);
            firingOrder.push_back(index);
        };
        for (int i = 0; i < count; ++i) {
            StartedTimer &timer = timers[std::size_t(i)];
            const int ms = (i * 7919) % 150; // scrambled intervals, 0-149 ms
            timer.interval = qint64(ms) * 1000000;
            timer.before = m_clock.nsecsElapsed();
            timer.id = recorder.startTimer(std::chrono::milliseconds(ms), Qt::PreciseTimer);
            timer.after = m_clock.nsecsElapsed();
            indexById.insert(timer.id, i);
        }
        QCOMPARE(epollDispatcher()->timerCount(), baseline + count);
        int killed = 0;
        for (int i = 0; i < count; i += 3) {
            recorder.killTimer(timers[std::size_t(i)].id);
            ++killed;
        }
        QCOMPARE(epollDispatcher()->timerCount(), baseline + count - killed);

        QTRY_COMPARE_WITH_TIMEOUT(int(firingOrder.size()), count - killed, 20000);
        QCOMPARE(killedButFired, 0);
        std::vector<StartedTimer> live;
        std::vector<int> liveOrder;
        for (int index : firingOrder) {
            liveOrder.push_back(int(live.size()));
            live.push_back(timers[std::size_t(index)]);
        }
        const QString error = checkFiringOrder(live, liveOrder);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(epollDispatcher()->timerCount(), baseline);
    }

    /*! Read and write notifiers of one descriptor share one epoll registration and fire independently. */
    void readAndWriteNotifiersShareADescriptor()
    {
        SocketPair pair;
        QVERIFY(pair.isValid());
        const qsizetype baseline = epollDispatcher()->watchedDescriptorCount();
        auto reader = std::make_unique<QSocketNotifier>(pair.fds[0], QSocketNotifier::Read);
        auto writer = std::make_unique<QSocketNotifier>(pair.fds[0], QSocketNotifier::Write);
        QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline + 1);

        QSignalSpy readSpy(reader.get(), &QSocketNotifier::activated);
        QSignalSpy writeSpy(writer.get(), &QSocketNotifier::activated);
        QVERIFY(writeSpy.wait(5000)); // an empty socket is writable
        QCOMPARE(readSpy.count(), 0);
        writer->setEnabled(false);
        QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline + 1);

        connect(reader.get(), &QSocketNotifier::activated, this, [&] { drain(pair.fds[0]); });
        QVERIFY(writeByte(pair.fds[1]));
        QVERIFY(readSpy.wait(5000));
        QCOMPARE(readSpy.first().at(0).value<QSocketDescriptor>(), QSocketDescriptor(pair.fds[0]));
        QCOMPARE(readSpy.first().at(1).value<QSocketNotifier::Type>(), QSocketNotifier::Read);
        const auto writes = writeSpy.count();
        runPasses(3);
        QCOMPARE(writeSpy.count(), writes); // disabled: not activated although writable

        reader->setEnabled(false);
        QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline);
        writer->setEnabled(true);
        QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline + 1);
        QVERIFY(writeSpy.wait(5000));
        writer.reset();
        reader.reset();
        QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline);
    }

    /*! A disabled read notifier is not activated while data waits; enabling it delivers at once. */
    void disabledNotifierStaysQuiet()
    {
        SocketPair pair;
        QVERIFY(pair.isValid());
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        reader.setEnabled(false);
        QSignalSpy spy(&reader, &QSocketNotifier::activated);
        QVERIFY(writeByte(pair.fds[1]));
        runPasses(5);
        QCOMPARE(spy.count(), 0);
        reader.setEnabled(true);
        runPasses(1);
        QCOMPARE(spy.count(), 1);
        // Level-triggered: still readable, so activated again on the next pass.
        runPasses(1);
        QCOMPARE(spy.count(), 2);
        drain(pair.fds[0]);
        runPasses(2);
        QCOMPARE(spy.count(), 2);
    }

    /*! Toggling a write notifier thousands of times (what QTcpSocket does around every write) leaves the
        descriptor's registration exact: the read notifier still works, the write notifier fires only while
        enabled. */
    void toggleWriteNotifierRepeatedly()
    {
        SocketPair pair;
        QVERIFY(pair.isValid());
        const qsizetype baseline = epollDispatcher()->watchedDescriptorCount();
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        QSocketNotifier writer(pair.fds[0], QSocketNotifier::Write);
        QSignalSpy readSpy(&reader, &QSocketNotifier::activated);
        QSignalSpy writeSpy(&writer, &QSocketNotifier::activated);
        for (int i = 0; i < 20000; ++i)
            writer.setEnabled(i % 2 == 0); // ends disabled
        QVERIFY(!writer.isEnabled());
        QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline + 1);
        runPasses(3);
        QCOMPARE(writeSpy.count(), 0);
        QCOMPARE(readSpy.count(), 0);

        QVERIFY(writeByte(pair.fds[1]));
        QVERIFY(readSpy.wait(5000));
        drain(pair.fds[0]);
        reader.setEnabled(false);
        QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline);
        for (int i = 0; i < 20001; ++i)
            writer.setEnabled(i % 2 == 0); // ends enabled
        QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline + 1);
        runPasses(1);
        QCOMPARE(writeSpy.count(), 1);
        writer.setEnabled(false);
        runPasses(2);
        QCOMPARE(writeSpy.count(), 1);
    }

    /*! A peer hang-up activates the read notifier (read() then returns 0), instead of spinning the loop. */
    void hangUpActivatesReader()
    {
        SocketPair pair;
        QVERIFY(pair.isValid());
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        bool sawEndOfFile = false;
        connect(&reader, &QSocketNotifier::activated, this, [&] {
            char byte;
            if (::read(pair.fds[0], &byte, 1) == 0) {
                sawEndOfFile = true;
                reader.setEnabled(false);
            }
        });
        pair.closeEnd(1);
        QTRY_VERIFY(sawEndOfFile);
    }

    /*! Within one pass, a socket's notifiers are removed, the socket closed, its number taken by a new socket
        and a notifier enabled on that: the new socket gets a registration of its own and is heard. */
    void descriptorNumberReusedWithinAPass()
    {
        SocketPair old;
        SocketPair fresh;
        QVERIFY(old.isValid() && fresh.isValid());
        const int number = old.fds[0];
        auto reader = std::make_unique<QSocketNotifier>(number, QSocketNotifier::Read);
        auto writer = std::make_unique<QSocketNotifier>(number, QSocketNotifier::Write);
        writer->setEnabled(false);
        runPasses(1);
        int activations = 0;
        QMetaObject::invokeMethod(this, [&] {
            writer.reset();
            reader.reset();
            QCOMPARE(::dup2(fresh.fds[0], number), number); // closes the old socket, reuses its number
            reader = std::make_unique<QSocketNotifier>(number, QSocketNotifier::Read);
            connect(reader.get(), &QSocketNotifier::activated, this, [&] {
                ++activations;
                drain(number);
            });
            QVERIFY(writeByte(fresh.fds[1]));
        }, Qt::QueuedConnection);
        QTRY_COMPARE(activations, 1);
        reader.reset();
    }

    /*! A notifier enabled by an aboutToBlock() handler, just before the loop sleeps, is already watched by
        that sleep (its change is not left pending behind it). */
    void notifierEnabledFromAboutToBlock()
    {
        SocketPair pair;
        QVERIFY(pair.isValid());
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read); // keeps the descriptor registered
        QSocketNotifier writer(pair.fds[0], QSocketNotifier::Write);
        writer.setEnabled(false);
        runPasses(1);
        QSignalSpy writeSpy(&writer, &QSocketNotifier::activated);
        bool enabled = false;
        const auto connection = connect(epollDispatcher(), &QAbstractEventDispatcher::aboutToBlock, this, [&] {
            if (!enabled) {
                enabled = true;
                writer.setEnabled(true);
            }
        });
        const bool activated = writeSpy.wait(10000);
        disconnect(connection);
        writer.setEnabled(false);
        QVERIFY(enabled);
        QVERIFY(activated);
    }

    /*! A hung-up descriptor whose notifiers are all disabled leaves the epoll set: epoll reports EPOLLHUP
        whatever the interest, so keeping it registered would wake the loop forever. */
    void hungUpDescriptorWithoutNotifiersDoesNotSpin()
    {
        SocketPair pair;
        QVERIFY(pair.isValid());
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        reader.setEnabled(false);
        pair.closeEnd(1);
        int blocked = 0;
        const auto connection = connect(epollDispatcher(), &QAbstractEventDispatcher::aboutToBlock, this,
                                        [&] { ++blocked; });
        bool timerFired = false;
        QTimer::singleShot(30ms, this, [&] { timerFired = true; });
        int passes = 0;
        while (!timerFired && passes < 100000) {
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            ++passes;
        }
        disconnect(connection);
        QVERIFY(timerFired);
        QVERIFY2(passes < 20, qPrintable(QStringLiteral("%1 passes in 30 ms").arg(passes)));
        QVERIFY(blocked >= 1);
    }

    /*! A notifier deleted, or replaced on a reused descriptor number, after its activation was queued in the
        same pass is skipped: only one of two ready notifiers runs when each deletes the other. */
    void notifierDeletedWhileQueued()
    {
        auto first = std::make_unique<SocketPair>();
        auto second = std::make_unique<SocketPair>();
        QVERIFY(first->isValid() && second->isValid());
        std::unique_ptr<QSocketNotifier> notifiers[2];
        notifiers[0] = std::make_unique<QSocketNotifier>(first->fds[0], QSocketNotifier::Read);
        notifiers[1] = std::make_unique<QSocketNotifier>(second->fds[0], QSocketNotifier::Read);
        SocketPair replacement;
        QVERIFY(replacement.isValid());
        std::unique_ptr<QSocketNotifier> replacementNotifier;
        int replacementActivations = 0;
        int activations = 0;
        int reusedFd = -1;
        for (int i = 0; i < 2; ++i) {
            SocketPair *own = i == 0 ? first.get() : second.get();
            SocketPair *other = i == 0 ? second.get() : first.get();
            connect(notifiers[i].get(), &QSocketNotifier::activated, this, [&, i, own, other] {
                ++activations;
                drain(own->fds[0]);
                notifiers[1 - i].reset();
                // Put an idle socket at the other's descriptor number and watch it with a new notifier: the
                // stale queued activation carries the old registration and must not reach it.
                reusedFd = other->fds[0];
                QVERIFY(::dup2(replacement.fds[0], reusedFd) == reusedFd);
                replacementNotifier = std::make_unique<QSocketNotifier>(reusedFd, QSocketNotifier::Read);
                connect(replacementNotifier.get(), &QSocketNotifier::activated, this,
                        [&] { ++replacementActivations; });
            });
        }
        QVERIFY(writeByte(first->fds[1]));
        QVERIFY(writeByte(second->fds[1]));
        runPasses(3);
        QCOMPARE(activations, 1);
        QCOMPARE(replacementActivations, 0);
        QVERIFY(reusedFd >= 0);
        // The replacement works once it really has data.
        QVERIFY(writeByte(replacement.fds[1]));
        runPasses(1);
        QCOMPARE(replacementActivations, 1);
        replacementNotifier.reset();
        notifiers[0].reset();
        notifiers[1].reset();
    }

    /*! A nested pass inside one notifier's handler activates the other ready notifier queued by the outer
        pass exactly once: the queue holds one entry per notifier, shared by every nesting level. */
    void nestedPassActivatesQueuedNotifierOnce()
    {
        SocketPair pairs[2];
        QVERIFY(pairs[0].isValid() && pairs[1].isValid());
        std::unique_ptr<QSocketNotifier> notifiers[2];
        int activations[2] = {0, 0};
        int nestingHandler = -1;
        for (int i = 0; i < 2; ++i) {
            notifiers[i] = std::make_unique<QSocketNotifier>(pairs[i].fds[0], QSocketNotifier::Read);
            connect(notifiers[i].get(), &QSocketNotifier::activated, this, [&, i] {
                ++activations[i];
                drain(pairs[i].fds[0]);
                if (nestingHandler < 0) { // the first one to run nests a few passes
                    nestingHandler = i;
                    runPasses(3);
                }
            });
        }
        QVERIFY(writeByte(pairs[0].fds[1]));
        QVERIFY(writeByte(pairs[1].fds[1]));
        runPasses(3);
        QVERIFY(nestingHandler >= 0);
        QCOMPARE(activations[0], 1);
        QCOMPARE(activations[1], 1);
        notifiers[0].reset();
        notifiers[1].reset();
    }

    /*! interrupt() from a handler ends the pass after that handler; the other ready notifier is not lost but
        activated by the next pass. */
    void interruptKeepsTheRestQueued()
    {
        EpollEventDispatcher *dispatcher = epollDispatcher();
        runPasses(3);
        SocketPair pairs[2];
        QVERIFY(pairs[0].isValid() && pairs[1].isValid());
        std::unique_ptr<QSocketNotifier> notifiers[2];
        int total = 0;
        for (int i = 0; i < 2; ++i) {
            notifiers[i] = std::make_unique<QSocketNotifier>(pairs[i].fds[0], QSocketNotifier::Read);
            connect(notifiers[i].get(), &QSocketNotifier::activated, this, [&, i] {
                ++total;
                drain(pairs[i].fds[0]);
                dispatcher->interrupt();
            });
        }
        QVERIFY(writeByte(pairs[0].fds[1]));
        QVERIFY(writeByte(pairs[1].fds[1]));
        QVERIFY(dispatcher->processEvents(QEventLoop::AllEvents));
        QCOMPARE(total, 1);
        // The second socket still has its byte (and its queued activation): the next pass must not wait.
        QVERIFY(dispatcher->processEvents(QEventLoop::WaitForMoreEvents));
        QCOMPARE(total, 2);
        notifiers[0].reset();
        notifiers[1].reset();
    }

    /*! Out-of-band TCP data reaches an exception notifier (EPOLLPRI). */
    void exceptionNotifierSeesUrgentData()
    {
        const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        QVERIFY(listener >= 0);
        const auto closeListener = qScopeGuard([&] { ::close(listener); });
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof address;
        QCOMPARE(::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        QCOMPARE(::listen(listener, 1), 0);
        QCOMPARE(::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length), 0);
        const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        QVERIFY(client >= 0);
        const auto closeClient = qScopeGuard([&] { ::close(client); });
        QCOMPARE(::connect(client, reinterpret_cast<sockaddr *>(&address), sizeof address), 0);
        const int accepted = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        QVERIFY(accepted >= 0);
        const auto closeAccepted = qScopeGuard([&] { ::close(accepted); });

        QSocketNotifier exception(accepted, QSocketNotifier::Exception);
        QSignalSpy spy(&exception, &QSocketNotifier::activated);
        runPasses(2);
        QCOMPARE(spy.count(), 0);
        const char urgent = '!';
        QCOMPARE(::send(client, &urgent, 1, MSG_OOB), ssize_t(1));
        QVERIFY(spy.wait(5000));
        QCOMPARE(spy.first().at(1).value<QSocketNotifier::Type>(), QSocketNotifier::Exception);
        exception.setEnabled(false);
    }

    /*! epoll cannot watch a regular file; like poll(), the dispatcher treats it as always ready. */
    void regularFileIsAlwaysReady()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        const qsizetype baseline = epollDispatcher()->watchedDescriptorCount();
        QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
        QSignalSpy spy(&notifier, &QSocketNotifier::activated);
        QVERIFY(spy.wait(5000));
        QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline);
        notifier.setEnabled(false);
        const auto activations = spy.count();
        runPasses(3);
        QCOMPARE(spy.count(), activations);
    }

    /*! Qt's own QTcpSocket over the dispatcher: megabytes both ways at once, one side writing everything at
        once and the other in chunks paced by bytesWritten (both toggle write notifiers constantly). */
    void tcpLargeTransfersBothWays()
    {
        constexpr qsizetype size = 8 * 1024 * 1024;
        QByteArray toServer(size, Qt::Uninitialized);
        QByteArray toClient(size, Qt::Uninitialized);
        for (qsizetype i = 0; i < size; ++i) {
            toServer[i] = char((i * 131) >> 3);
            toClient[i] = char((i * 167) >> 5);
        }

        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        QSignalSpy newConnection(&server, &QTcpServer::newConnection);
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        QVERIFY(newConnection.wait(5000));
        std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
        QVERIFY(peer);

        QByteArray receivedByServer;
        QByteArray receivedByClient;
        connect(peer.get(), &QTcpSocket::readyRead, this, [&] { receivedByServer += peer->readAll(); });
        connect(&client, &QTcpSocket::readyRead, this, [&] { receivedByClient += client.readAll(); });

        // Server: all at once. Client: 64 KiB chunks, the next one when the previous left the buffer.
        QCOMPARE(peer->write(toClient), size);
        qsizetype sent = 0;
        const auto sendChunk = [&] {
            while (sent < size && client.bytesToWrite() < 128 * 1024) {
                const qsizetype chunk = std::min<qsizetype>(64 * 1024, size - sent);
                QCOMPARE(client.write(toServer.constData() + sent, chunk), chunk);
                sent += chunk;
            }
        };
        connect(&client, &QTcpSocket::bytesWritten, this, sendChunk);
        if (client.state() == QAbstractSocket::ConnectedState)
            sendChunk();
        else
            connect(&client, &QTcpSocket::connected, this, sendChunk);

        QTRY_VERIFY_WITH_TIMEOUT(receivedByServer.size() == size && receivedByClient.size() == size, 60000);
        QCOMPARE(QCryptographicHash::hash(receivedByServer, QCryptographicHash::Sha256),
                 QCryptographicHash::hash(toServer, QCryptographicHash::Sha256));
        QCOMPARE(QCryptographicHash::hash(receivedByClient, QCryptographicHash::Sha256),
                 QCryptographicHash::hash(toClient, QCryptographicHash::Sha256));

        QSignalSpy disconnected(peer.get(), &QTcpSocket::disconnected);
        client.disconnectFromHost();
        QVERIFY(disconnected.count() > 0 || disconnected.wait(5000));
    }

    /*! Posted events arrive in order; deleteLater deletes. */
    void postedEventsAndDeleteLater()
    {
        EventRecorder recorder;
        for (int i = 0; i < 1000; ++i)
            QCoreApplication::postEvent(&recorder, new NumberedEvent(i));
        QPointer<QObject> doomed = new QObject;
        doomed->deleteLater();
        QSignalSpy destroyed(doomed.data(), &QObject::destroyed);
        QVERIFY(destroyed.wait(5000));
        QVERIFY(doomed.isNull());
        QTRY_COMPARE(recorder.received.size(), 1000);
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(recorder.received[i], i);
    }

    /*! A queued call from a plain std::thread wakes the loop while it sleeps in epoll (no timer would). */
    void wakeUpFromAnotherThread()
    {
        QObject receiver;
        QSignalSpy spy(&receiver, &QObject::objectNameChanged);
        std::promise<void> blocking;
        std::atomic<bool> signalled{false};
        const auto connection = connect(epollDispatcher(), &QAbstractEventDispatcher::aboutToBlock, this, [&] {
            if (!signalled.exchange(true))
                blocking.set_value();
        });
        std::thread poster([&] {
            blocking.get_future().wait(); // the loop is about to sleep
            QMetaObject::invokeMethod(
                &receiver, [&] { receiver.setObjectName(QStringLiteral("woken")); }, Qt::QueuedConnection);
        });
        const bool woken = spy.wait(20000);
        if (!signalled.exchange(true))
            blocking.set_value(); // unblock the thread even if the loop never slept
        poster.join();
        disconnect(connection);
        QVERIFY(woken);
        QCOMPARE(receiver.objectName(), QStringLiteral("woken"));
    }

    /*! Wake-ups racing from several threads lose no event. */
    void manyWakeUpsFromManyThreads()
    {
        constexpr int threads = 4;
        constexpr int callsPerThread = 5000;
        QObject receiver;
        int delivered = 0;
        std::vector<std::thread> posters;
        for (int t = 0; t < threads; ++t) {
            posters.emplace_back([&] {
                for (int i = 0; i < callsPerThread; ++i)
                    QMetaObject::invokeMethod(&receiver, [&] { ++delivered; }, Qt::QueuedConnection);
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(delivered, threads * callsPerThread, 30000);
        for (auto &poster : posters)
            poster.join();
        runPasses(1);
        QCOMPARE(delivered, threads * callsPerThread);
    }

    /*! interrupt() from another thread makes a sleeping processEvents return. */
    void interruptFromAnotherThread()
    {
        EpollEventDispatcher *dispatcher = epollDispatcher();
        runPasses(5); // settle what earlier tests left
        bool watchdogFired = false;
        QTimer watchdog;
        watchdog.setSingleShot(true);
        connect(&watchdog, &QTimer::timeout, this, [&] { watchdogFired = true; });
        watchdog.start(20s);

        std::promise<void> blocking;
        std::atomic<bool> signalled{false};
        std::atomic<bool> interruptSent{false};
        const auto connection = connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, this, [&] {
            if (!signalled.exchange(true))
                blocking.set_value();
        });
        std::thread interrupter([&] {
            blocking.get_future().wait();
            interruptSent = true;
            dispatcher->interrupt();
        });
        do {
            dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
        } while (!interruptSent && !watchdogFired);
        if (!signalled.exchange(true))
            blocking.set_value();
        interrupter.join();
        disconnect(connection);
        // An interrupted pass skips timers, so check the watchdog's deadline, not only whether it fired.
        QVERIFY(!watchdogFired);
        QVERIFY2(watchdog.remainingTime() > 0, "processEvents slept until the watchdog instead of the interrupt");
    }

    /*! ExcludeSocketNotifiers neither activates a ready socket nor lets it spin the loop; the activation
        comes on the next normal pass. */
    void excludeSocketNotifiers()
    {
        SocketPair pair;
        QVERIFY(pair.isValid());
        QSocketNotifier reader(pair.fds[0], QSocketNotifier::Read);
        QSignalSpy spy(&reader, &QSocketNotifier::activated);
        QVERIFY(writeByte(pair.fds[1]));
        bool timerFired = false;
        QTimer::singleShot(50ms, this, [&] { timerFired = true; });
        int passes = 0;
        while (!timerFired && passes < 1000) {
            QCoreApplication::processEvents(QEventLoop::ExcludeSocketNotifiers | QEventLoop::WaitForMoreEvents);
            ++passes;
        }
        QVERIFY(timerFired);
        QVERIFY2(passes < 20, qPrintable(QStringLiteral("%1 passes: the ready socket woke the loop").arg(passes)));
        QCOMPARE(spy.count(), 0);
        QCoreApplication::processEvents();
        QCOMPARE(spy.count(), 1);
        drain(pair.fds[0]);
    }

    /*! X11ExcludeTimers leaves due timers for a later pass; ExcludeUserInputEvents changes nothing here. */
    void excludeTimersAndUserInput()
    {
        int fired = 0;
        QTimer timer;
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, this, [&] { ++fired; });
        timer.start(0);
        QCoreApplication::processEvents(QEventLoop::X11ExcludeTimers);
        QCoreApplication::processEvents(QEventLoop::X11ExcludeTimers);
        QCOMPARE(fired, 0);
        QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents);
        QCOMPARE(fired, 1);
    }

    /*! Without WaitForMoreEvents a pass never sleeps, and reports whether it did anything. */
    void processEventsWithoutWaiting()
    {
        EpollEventDispatcher *dispatcher = epollDispatcher();
        int passes = 0;
        while (dispatcher->processEvents(QEventLoop::AllEvents) && passes < 100)
            ++passes;
        QVERIFY(passes < 100);
        QVERIFY(!dispatcher->processEvents(QEventLoop::AllEvents));
        EventRecorder recorder;
        QCoreApplication::postEvent(&recorder, new NumberedEvent(7));
        QVERIFY(dispatcher->processEvents(QEventLoop::AllEvents));
        QCOMPARE(recorder.received, QList<int>{7});
    }

    /*! A timer handler runs a nested loop that sees timers, sockets and posted events; the timer running the
        handler is not re-entered meanwhile; the outer loop goes on afterwards. */
    void nestedLoopInsideTimerHandler()
    {
        CountingReader socket;
        QVERIFY(socket.isValid());

        QTimer outer;
        outer.setTimerType(Qt::PreciseTimer);
        outer.setInterval(2ms);
        QTimer inner;
        inner.setTimerType(Qt::PreciseTimer);
        inner.setInterval(2ms);
        int outerTicks = 0;
        int innerTicks = 0;
        int outerTicksDuringNested = -1;
        bool postedSeen = false;
        bool nestedDone = false;
        connect(&inner, &QTimer::timeout, this, [&] { ++innerTicks; });
        connect(&outer, &QTimer::timeout, this, [&] {
            if (++outerTicks != 1) {
                if (outerTicks == 4)
                    outer.stop();
                return;
            }
            QEventLoop nested;
            QTimer condition; // the nested loop ends once it has seen every kind of event
            condition.setInterval(0);
            connect(&condition, &QTimer::timeout, &nested, [&] {
                if (innerTicks >= 5 && socket.activations() == 1 && postedSeen)
                    nested.quit();
            });
            condition.start();
            inner.start();
            QMetaObject::invokeMethod(this, [&] { postedSeen = true; }, Qt::QueuedConnection);
            QVERIFY(socket.poke());
            nested.exec();
            inner.stop();
            outerTicksDuringNested = outerTicks - 1;
            nestedDone = true;
        });
        outer.start();
        QTRY_VERIFY_WITH_TIMEOUT(nestedDone && outerTicks == 4, 10000);
        QCOMPARE(outerTicksDuringNested, 0);
        QVERIFY(innerTicks >= 5);
        QCOMPARE(socket.activations(), 1);
    }

    /*! A nested loop run from a timer's handler sleeps although that timer is overdue: it may not fire the
        timer (its handler is still running), so it must not wait for it either. */
    void nestedLoopDoesNotSpinOnItsOwnTimer()
    {
        TimerRecorder recorder;
        int timerId = 0;
        int handlerRuns = 0;
        int blockedInNested = -1;
        int passesInNested = 0;
        recorder.onTimer = [&](QTimerEvent *) {
            ++handlerRuns;
            // The 1 ms timer stays registered, and overdue, while this nested loop runs for 40 ms.
            int blocked = 0;
            const auto connection = connect(epollDispatcher(), &QAbstractEventDispatcher::aboutToBlock, this,
                                            [&] { ++blocked; });
            bool quitTimerFired = false;
            QTimer::singleShot(40ms, this, [&] { quitTimerFired = true; });
            QEventLoop nested;
            while (!quitTimerFired && passesInNested < 1000000) {
                nested.processEvents(QEventLoop::WaitForMoreEvents);
                ++passesInNested;
            }
            disconnect(connection);
            blockedInNested = blocked;
            recorder.killTimer(timerId);
        };
        timerId = recorder.startTimer(1ms, Qt::PreciseTimer);
        QTRY_VERIFY(blockedInNested >= 0);
        QCOMPARE(handlerRuns, 1);
        QVERIFY2(blockedInNested >= 1, "the nested loop never slept");
        QVERIFY2(passesInNested < 40, qPrintable(QStringLiteral("%1 passes in 40 ms").arg(passesInNested)));
    }

    /*! deleteLater() called before a nested loop is honoured only when control is back in the calling loop. */
    void deleteLaterWaitsForItsLoop()
    {
        QEventLoop outer;
        QPointer<QObject> victim = new QObject;
        bool aliveAfterNested = false;
        bool deletedBackInOuter = false;
        QMetaObject::invokeMethod(
            this,
            [&] {
                victim->deleteLater();
                QEventLoop nested;
                int passes = 0;
                QTimer spinner; // lets the nested loop run a few passes with posted events and timers
                spinner.setInterval(0);
                connect(&spinner, &QTimer::timeout, &nested, [&] {
                    QMetaObject::invokeMethod(this, [] {}, Qt::QueuedConnection);
                    if (++passes == 20)
                        nested.quit();
                });
                spinner.start();
                nested.exec();
                aliveAfterNested = !victim.isNull();
                QMetaObject::invokeMethod(
                    this,
                    [&] {
                        deletedBackInOuter = victim.isNull();
                        outer.quit();
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
        QTimer::singleShot(20s, &outer, [&] { outer.exit(1); });
        QCOMPARE(outer.exec(), 0);
        QVERIFY(aliveAfterNested);
        QVERIFY(deletedBackInOuter);
    }

    /*! A QThread on its own epoll dispatcher: timers moved into it keep running, a QTcpSocket in it talks to
        a server here, and quit() from this thread stops it. */
    void threadWithFastDispatcher()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *socket = server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                if (socket->readAll() == "ping")
                    socket->write("pong");
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        });

        QThread thread;
        QVERIFY(installFastEventDispatcher(thread));
        QVERIFY(qobject_cast<EpollEventDispatcher *>(thread.eventDispatcher()));
        auto *worker = new QObject; // deleted in its thread when the thread finishes
        connect(&thread, &QThread::finished, worker, &QObject::deleteLater);

        // A timer started here and moved: QObject::moveToThread asks our registeredTimers()/unregisterTimers()
        // and re-registers it with the thread's dispatcher.
        auto *ticker = new QTimer(worker);
        ticker->setInterval(5ms);
        std::atomic<int> ticks{0};
        std::atomic<bool> tickedOnWorkerThread{true};
        connect(ticker, &QTimer::timeout, ticker, [&, ticker] {
            if (QThread::currentThread() != ticker->thread())
                tickedOnWorkerThread = false;
            ++ticks;
        });
        ticker->start();
        QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(ticker).size(), 1);
        worker->moveToThread(&thread);
        QCOMPARE(QAbstractEventDispatcher::instance()->registeredTimers(ticker).size(), 0);

        thread.start();
        QTest::ignoreMessage(QtWarningMsg, "a fast event dispatcher must be installed before the thread starts");
        QVERIFY(!installFastEventDispatcher(thread)); // running: refused

        const quint16 port = server.serverPort();
        QObject results;
        QSignalSpy done(&results, &QObject::objectNameChanged);
        QMetaObject::invokeMethod(worker, [&, worker] {
            const bool ours = qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()) != nullptr;
            auto *socket = new QTcpSocket(worker);
            connect(socket, &QTcpSocket::connected, socket, [socket] { socket->write("ping"); });
            connect(socket, &QTcpSocket::readyRead, socket, [&, socket, ours] {
                const QByteArray reply = socket->readAll();
                const QString summary = QStringLiteral("%1:%2").arg(ours).arg(QString::fromLatin1(reply));
                QMetaObject::invokeMethod(&results, [&, summary] { results.setObjectName(summary); },
                                          Qt::QueuedConnection);
                socket->disconnectFromHost();
            });
            socket->connectToHost(QHostAddress::LocalHost, port);
        });
        QVERIFY(done.wait(10000));
        QCOMPARE(results.objectName(), QStringLiteral("1:pong"));
        QTRY_VERIFY(ticks >= 5);
        QVERIFY(tickedOnWorkerThread);

        thread.quit();
        QVERIFY(thread.wait(10000));
    }

    /*! Thousands of descriptors: each notifier fires once for its own data; write notifiers toggled on all of
        them keep one registration per descriptor; all unregister cleanly; reused descriptor numbers work. */
    void thousandsOfSockets()
    {
        const qsizetype baseline = epollDispatcher()->watchedDescriptorCount();
        for (const int count : {3000, 1000}) {
            std::vector<std::unique_ptr<SocketPair>> pairs;
            std::vector<std::unique_ptr<QSocketNotifier>> readers;
            std::vector<std::unique_ptr<QSocketNotifier>> writers;
            std::vector<int> activations(std::size_t(count), 0);
            for (int i = 0; i < count; ++i) {
                pairs.push_back(std::make_unique<SocketPair>());
                QVERIFY(pairs.back()->isValid());
                const int fd = pairs.back()->fds[0];
                readers.push_back(std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read));
                connect(readers.back().get(), &QSocketNotifier::activated, this, [&activations, i, fd] {
                    drain(fd);
                    ++activations[std::size_t(i)];
                });
                writers.push_back(std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Write));
                writers.back()->setEnabled(false);
            }
            QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline + count);
            for (int round = 0; round < 10; ++round) {
                for (auto &writer : writers)
                    writer->setEnabled(round % 2 == 0);
            }
            QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline + count);

            for (auto &pair : pairs)
                QVERIFY(writeByte(pair->fds[1]));
            QTRY_VERIFY_WITH_TIMEOUT(std::all_of(activations.begin(), activations.end(), [](int n) { return n >= 1; }),
                                     20000);
            runPasses(3);
            QVERIFY(std::all_of(activations.begin(), activations.end(), [](int n) { return n == 1; }));

            writers.clear();
            readers.clear();
            QCOMPARE(epollDispatcher()->watchedDescriptorCount(), baseline);
            pairs.clear();
        }
    }

    /*! QWebSocketServer and QWebSocket clients echo text and binary messages, large ones included. */
    void webSocketEcho()
    {
        QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        connect(&server, &QWebSocketServer::newConnection, this, [&] {
            while (QWebSocket *socket = server.nextPendingConnection()) {
                socket->setParent(&server);
                connect(socket, &QWebSocket::textMessageReceived, socket,
                        [socket](const QString &message) { socket->sendTextMessage(message); });
                connect(socket, &QWebSocket::binaryMessageReceived, socket,
                        [socket](const QByteArray &message) { socket->sendBinaryMessage(message); });
                connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            }
        });

        constexpr int clientCount = 10;
        constexpr int messagesPerClient = 20;
        const QByteArray large(1024 * 1024, 'z');
        std::vector<std::unique_ptr<QWebSocket>> clients;
        std::vector<QStringList> texts(clientCount);
        std::vector<QList<QByteArray>> binaries(clientCount);
        for (int c = 0; c < clientCount; ++c) {
            clients.push_back(std::make_unique<QWebSocket>());
            QWebSocket *client = clients.back().get();
            connect(client, &QWebSocket::textMessageReceived, this,
                    [&texts, c](const QString &message) { texts[std::size_t(c)].append(message); });
            connect(client, &QWebSocket::binaryMessageReceived, this,
                    [&binaries, c](const QByteArray &message) { binaries[std::size_t(c)].append(message); });
            connect(client, &QWebSocket::connected, this, [client, c, &large] {
                for (int m = 0; m < messagesPerClient; ++m)
                    client->sendTextMessage(QStringLiteral("client %1 message %2").arg(c).arg(m));
                client->sendBinaryMessage(large);
            });
            client->open(server.serverUrl());
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(binaries.begin(), binaries.end(), [](const auto &b) { return !b.isEmpty(); }),
                                 30000);
        for (int c = 0; c < clientCount; ++c) {
            QStringList expected;
            for (int m = 0; m < messagesPerClient; ++m)
                expected.append(QStringLiteral("client %1 message %2").arg(c).arg(m));
            QCOMPARE(texts[std::size_t(c)], expected);
            QCOMPARE(binaries[std::size_t(c)].size(), 1);
            QVERIFY(binaries[std::size_t(c)].first() == large);
        }
        for (auto &client : clients)
            client->close();
        QTRY_VERIFY(std::all_of(clients.begin(), clients.end(),
                                [](const auto &c) { return c->state() == QAbstractSocket::UnconnectedState; }));
    }
};

int main(int argc, char *argv[])
{
    // The point of this test: Qt must use the epoll dispatcher from its very first event, which means installing
    // it before the application object exists.
    const bool installed = installFastEventDispatcherForApplication();
    QCoreApplication app(argc, argv);
    TestEpollDispatcher test(installed);
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolldispatcher.moc"
