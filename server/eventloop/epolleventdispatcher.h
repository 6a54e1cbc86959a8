#pragma once

#include "server/eventloop/timerqueue.h"

#include <QtCore/QAbstractEventDispatcher>

#include <array>
#include <atomic>
#include <deque>
#include <optional>
#include <vector>

struct epoll_event;

// Qt 6.8 moved timers to std::chrono and Qt::TimerId through QAbstractEventDispatcherV2 (the int-based
// virtuals are then final and forward to the new ones). Override whichever set this Qt calls. The macro may
// be predefined only to compile-check the 6.8 branch on an older Qt against a stand-in header.
#ifndef TERTULIA_EVENTDISPATCHER_V2
#  if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#    define TERTULIA_EVENTDISPATCHER_V2 1
#  else
#    define TERTULIA_EVENTDISPATCHER_V2 0
#  endif
#endif

namespace Tertulia {

#if TERTULIA_EVENTDISPATCHER_V2
using EpollEventDispatcherBase = QAbstractEventDispatcherV2;
#else
using EpollEventDispatcherBase = QAbstractEventDispatcher;
#endif

/// A Linux event dispatcher on epoll, for threads that serve thousands of sockets.
///
/// Why: Qt's GLib dispatcher (the default on Linux) walks a list of every registered descriptor each time a
/// QSocketNotifier is enabled or disabled, and QTcpSocket toggles its write notifier around every buffered
/// write, so a broadcast to N clients costs O(N^2). Qt's poll dispatcher (QT_NO_GLIB=1) hands the whole
/// descriptor list to poll() on every pass: O(N) per pass. Here enabling or disabling a notifier is one hash
/// lookup (a vector indexed by descriptor) plus one epoll_ctl, and a pass costs O(ready descriptors).
///
/// Sockets. Level-triggered epoll, one registration per descriptor: the read, write and exception notifiers
/// of a descriptor share one interest set (EPOLLIN | EPOLLOUT | EPOLLPRI). A descriptor's first notifier adds
/// it (EPOLL_CTL_ADD) and its last one removes it (EPOLL_CTL_DEL) at once: after that it may be closed and its
/// number reused, and epoll always reports EPOLLHUP/EPOLLERR, so a registered but unwatched descriptor would
/// wake the loop forever. Changes in between (typically QTcpSocket enabling and disabling its write notifier
/// while its read notifier stays on) are recorded and applied with one EPOLL_CTL_MOD just before the next
/// wait, so a toggle undone within the same pass costs no system call. Level-triggered,
/// not edge-triggered, because QSocketNotifier is level-triggered by contract: Qt's socket classes read or
/// write only part of what is ready (read buffer limits, a disabled notifier re-enabled later) and rely on
/// being notified again; edge-triggered epoll would need them to drain every descriptor until EAGAIN.
/// EPOLLHUP/EPOLLERR activate every notifier of the descriptor, so its owner sees the error on its next call.
/// Descriptors epoll refuses (regular files) count as always ready, as poll() treats them.
/// Close a descriptor only after disabling or deleting its notifiers (as Qt's own classes do): epoll forgets a
/// descriptor on close only when no duplicate of it is still open.
///
/// Timers: see TimerQueue (O(log n) per operation). The wait uses epoll_pwait2 (nanoseconds) where the kernel
/// has it, else epoll_wait with the timeout rounded up to the next millisecond, so timers never fire early.
///
/// Posted events and wake-ups: every QCoreApplication::postEvent calls wakeUp(), which writes an eventfd
/// (once until the loop has seen it: an atomic flag). Each pass starts with QCoreApplication::sendPostedEvents
/// and sends them again after a wake-up, so events posted from another thread are delivered in the pass that
/// wakes up for them. interrupt() sets a flag and wakes up; the running pass stops after the activation in
/// progress and keeps the rest queued.
///
/// ProcessEventsFlags: WaitForMoreEvents lets the pass sleep until a socket, a timer or a wake-up;
/// ExcludeSocketNotifiers waits on a second epoll set that holds only the eventfd (so ready sockets neither
/// wake nor spin the loop) and keeps their activations queued; X11ExcludeTimers skips timers;
/// ExcludeUserInputEvents and EventLoopExec need nothing (no user input reaches a Core-only dispatcher).
///
/// Nested event loops (any handler may run QEventLoop::exec; processEvents is re-entrant):
/// - socket activations go through one dispatcher-wide FIFO with at most one entry per (descriptor, type); a
///   nested pass drains what outer passes queued, so one readiness report activates a notifier once, in order;
/// - every entry carries the registration serial of its notifier: a notifier disabled, deleted or replaced
///   (even by a new one on a reused descriptor) after it was queued is skipped, never touched;
/// - a timer is not fired again while its own event is being delivered, and is not waited for;
/// - posted events go through Qt's sendPostedEvents, so Qt's deleteLater rule holds: an object is deleted only
///   once control is back in the loop that called deleteLater().
///
/// Install it with createFastEventDispatcher() / installFastEventDispatcher() (fasteventdispatcher.h).
/// All functions but wakeUp() and interrupt() must be called from the dispatcher's thread.
class EpollEventDispatcher final : public EpollEventDispatcherBase
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    /// False when the kernel refused an epoll set or the eventfd (descriptor limit): do not install it then.
    bool isValid() const;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

#if TERTULIA_EVENTDISPATCHER_V2
    // The base keeps its int-based overloads as private finals, which these hide by design.
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_GCC("-Woverloaded-virtual")
    QT_WARNING_DISABLE_CLANG("-Woverloaded-virtual")
    void registerTimer(Qt::TimerId timerId, Duration interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(Qt::TimerId timerId) override;
    QList<TimerInfoV2> timersForObject(QObject *object) const override;
    Duration remainingTime(Qt::TimerId timerId) const override;
    QT_WARNING_POP
#else
    using QAbstractEventDispatcher::registerTimer;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
#endif
    bool unregisterTimers(QObject *object) override;

    void wakeUp() override;
    void interrupt() override;

    /// Descriptors currently in the epoll set (for tests and diagnostics).
    qsizetype watchedDescriptorCount() const { return m_watchedDescriptors; }
    /// Timers currently registered (for tests and diagnostics).
    qsizetype timerCount() const { return m_timers.count(); }

private:
    // Slots follow QSocketNotifier::Type (Read, Write, Exception).
    static constexpr int slotCount = 3;

    struct Watch
    {
        QSocketNotifier *notifier = nullptr;
        quint64 registration = 0; // unique per registerSocketNotifier() call; 0 = empty
        bool queued = false;      // an activation for this registration waits in m_activations
    };
    struct Descriptor
    {
        std::array<Watch, slotCount> watches;
        quint32 interest = 0;     // events currently registered with epoll; 0 = not in the epoll set
        bool alwaysReady = false; // epoll refused it (EPERM): treated as always readable and writable
        bool dirty = false;       // in m_dirty: its interest changes before the next wait
    };
    struct Activation
    {
        int fd;
        int slot;
        quint64 registration;
    };

    void registerTimerImpl(int id, TimerQueue::Duration interval, Qt::TimerType type, QObject *object);
    static quint32 wantedEvents(const Descriptor &descriptor);
    void updateInterest(int fd, Descriptor &descriptor);
    void applyDeferredInterest();
    void commitInterest(int fd, Descriptor &descriptor, quint32 wanted);
    void queueActivations(int fd, quint32 events);
    void queueAlwaysReady();
    int activateSocketNotifiers();
    bool consumeWakeUp();
    int wait(int epollFd, epoll_event *events, int maxEvents, std::optional<TimerQueue::Duration> timeout);

    std::vector<Descriptor> m_descriptors; // indexed by descriptor: the kernel hands out the lowest free one
    std::deque<Activation> m_activations;
    std::vector<int> m_alwaysReady;        // rare (regular files), so a plain list
    std::vector<int> m_dirty;              // descriptors whose EPOLL_CTL_MOD waits for the next wait
    qsizetype m_watchedDescriptors = 0;
    quint64 m_nextRegistration = 1;
    TimerQueue m_timers;

    int m_epollFd = -1;         // every watched descriptor plus the eventfd
    int m_wakeOnlyEpollFd = -1; // only the eventfd: waiting with ExcludeSocketNotifiers
    int m_wakeFd = -1;          // the eventfd
    std::atomic<bool> m_wakeUpPending{false};
    std::atomic<bool> m_interrupted{false};
};

} // namespace Tertulia
