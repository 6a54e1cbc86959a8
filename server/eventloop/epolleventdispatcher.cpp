#include "server/eventloop/epolleventdispatcher.h"

#include "server/eventloop/eventlooplogging.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>
#include <QtCore/QThread>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <limits>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace Tertulia {

using namespace std::chrono_literals;

namespace {

// Ready descriptors taken per pass. More than this simply come in the next pass: epoll moves the
// level-triggered descriptors it returned to the back of its ready list, so none starves.
constexpr int maxEventsPerPass = 256;

// What each QSocketNotifier::Type waits for; EPOLLERR and EPOLLHUP are always reported and wake all three.
constexpr std::array<quint32, 3> slotEvents{EPOLLIN, EPOLLOUT, EPOLLPRI};

int slotOf(QSocketNotifier::Type type)
{
    switch (type) {
    case QSocketNotifier::Read:
        return 0;
    case QSocketNotifier::Write:
        return 1;
    case QSocketNotifier::Exception:
        return 2;
    }
    return 0;
}

const char *slotName(int slot)
{
    static constexpr std::array<const char *, 3> names{"read", "write", "exception"};
    return names[std::size_t(slot)];
}

void closeDescriptor(int &fd)
{
    if (fd >= 0)
        ::close(fd);
    fd = -1;
}

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
#  define TERTULIA_HAVE_EPOLL_PWAIT2 1
// epoll_pwait2 needs Linux 5.11; older kernels (and valgrind before 3.21) answer ENOSYS once.
std::atomic<bool> s_pwait2Available{true};
#endif

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : EpollEventDispatcherBase(parent)
{
    m_epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    m_wakeOnlyEpollFd = ::epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epollFd < 0 || m_wakeOnlyEpollFd < 0 || m_wakeFd < 0) {
        qCWarning(lcEventLoop) << "cannot create the epoll dispatcher:" << std::strerror(errno);
        closeDescriptor(m_epollFd);
        closeDescriptor(m_wakeOnlyEpollFd);
        closeDescriptor(m_wakeFd);
        return;
    }
    for (const int epollFd : {m_epollFd, m_wakeOnlyEpollFd}) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = m_wakeFd;
        if (::epoll_ctl(epollFd, EPOLL_CTL_ADD, m_wakeFd, &event) != 0) {
            qCWarning(lcEventLoop) << "cannot watch the wake-up eventfd:" << std::strerror(errno);
            closeDescriptor(m_epollFd);
            closeDescriptor(m_wakeOnlyEpollFd);
            closeDescriptor(m_wakeFd);
            return;
        }
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    closeDescriptor(m_epollFd);
    closeDescriptor(m_wakeOnlyEpollFd);
    closeDescriptor(m_wakeFd);
}

bool EpollEventDispatcher::isValid() const
{
    return m_epollFd >= 0 && m_wakeOnlyEpollFd >= 0 && m_wakeFd >= 0;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    if (!isValid())
        return false;
    m_interrupted.store(false, std::memory_order_relaxed);

    const bool includeSockets = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    const bool includeTimers = !flags.testFlag(QEventLoop::X11ExcludeTimers);
    const bool mayWait = flags.testFlag(QEventLoop::WaitForMoreEvents);

    // Every postEvent() wakes us up, so a pending wake-up means posted events: count them as work done.
    int handled = consumeWakeUp() ? 1 : 0;
    QCoreApplication::sendPostedEvents();
    if (m_interrupted.load(std::memory_order_relaxed))
        return handled > 0;

    // Sleep only when asked to and when nothing is ready already.
    applyDeferredInterest();
    std::optional<TimerQueue::Duration> timeout;
    if (!mayWait || (includeSockets && (!m_activations.empty() || !m_alwaysReady.empty())))
        timeout = 0ns;
    else if (includeTimers)
        timeout = m_timers.timeToNextTimer(TimerQueue::Clock::now());
    const bool mayBlock = !timeout || *timeout > 0ns;
    if (mayBlock) {
        Q_EMIT aboutToBlock(); // a handler that posts or interrupts here wakes the wait below at once
        applyDeferredInterest(); // and one that toggles notifiers must not leave epoll behind
    }

    std::array<epoll_event, maxEventsPerPass> events;
    const int ready = wait(includeSockets ? m_epollFd : m_wakeOnlyEpollFd, events.data(), maxEventsPerPass, timeout);
    if (mayBlock)
        Q_EMIT awake();

    bool woken = false;
    for (int i = 0; i < ready; ++i) {
        const int fd = events[std::size_t(i)].data.fd;
        if (fd == m_wakeFd) {
            quint64 count = 0;
            [[maybe_unused]] const auto bytes = ::read(m_wakeFd, &count, sizeof count); // EAGAIN is fine
            m_wakeUpPending.exchange(false, std::memory_order_acq_rel);
            woken = true;
        } else {
            queueActivations(fd, events[std::size_t(i)].events);
        }
    }

    if (includeSockets) {
        queueAlwaysReady();
        handled += activateSocketNotifiers();
    }
    if (includeTimers && !m_interrupted.load(std::memory_order_relaxed))
        handled += m_timers.activateDueTimers(TimerQueue::Clock::now());
    if (woken && !m_interrupted.load(std::memory_order_relaxed)) {
        // Events posted from other threads while we slept: deliver them in the pass that woke up for them.
        consumeWakeUp();
        QCoreApplication::sendPostedEvents();
        ++handled;
    }
    return handled > 0;
}

bool EpollEventDispatcher::consumeWakeUp()
{
    if (!m_wakeUpPending.load(std::memory_order_acquire))
        return false;
    // Drain first, then clear: a wakeUp() racing with us either sees the flag still set (and its event is
    // delivered by the sendPostedEvents that follows) or writes the eventfd again (one spare wake-up).
    quint64 count = 0;
    [[maybe_unused]] const auto bytes = ::read(m_wakeFd, &count, sizeof count);
    m_wakeUpPending.exchange(false, std::memory_order_acq_rel);
    return true;
}

int EpollEventDispatcher::wait(int epollFd, epoll_event *events, int maxEvents,
                               std::optional<TimerQueue::Duration> timeout)
{
    int ready = -1;
#ifdef TERTULIA_HAVE_EPOLL_PWAIT2
    if (s_pwait2Available.load(std::memory_order_relaxed)) {
        timespec ts{};
        if (timeout) {
            const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*timeout);
            ts.tv_sec = time_t(seconds.count());
            ts.tv_nsec = long((*timeout - seconds).count());
        }
        ready = ::epoll_pwait2(epollFd, events, maxEvents, timeout ? &ts : nullptr, nullptr);
        if (ready >= 0 || errno != ENOSYS)
            return ready < 0 ? 0 : ready; // EINTR: the caller's loop simply comes back
        s_pwait2Available.store(false, std::memory_order_relaxed);
    }
#endif
    int milliseconds = -1;
    if (timeout) {
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*timeout).count();
        milliseconds = int(std::min<qint64>(ms, INT_MAX));
    }
    ready = ::epoll_wait(epollFd, events, maxEvents, milliseconds);
    return ready < 0 ? 0 : ready;
}

void EpollEventDispatcher::queueActivations(int fd, quint32 events)
{
    if (fd < 0 || std::size_t(fd) >= m_descriptors.size())
        return;
    const bool failed = events & (EPOLLERR | EPOLLHUP);
    Descriptor &descriptor = m_descriptors[std::size_t(fd)];
    for (int slot = 0; slot < slotCount; ++slot) {
        Watch &watch = descriptor.watches[std::size_t(slot)];
        if (!watch.notifier || watch.queued || !(failed || (events & slotEvents[std::size_t(slot)])))
            continue;
        watch.queued = true;
        m_activations.push_back(Activation{fd, slot, watch.registration});
    }
}

void EpollEventDispatcher::queueAlwaysReady()
{
    for (const int fd : m_alwaysReady)
        queueActivations(fd, EPOLLIN | EPOLLOUT);
}

int EpollEventDispatcher::activateSocketNotifiers()
{
    int activated = 0;
    while (!m_activations.empty() && !m_interrupted.load(std::memory_order_relaxed)) {
        const Activation activation = m_activations.front();
        m_activations.pop_front();
        Watch &watch = m_descriptors[std::size_t(activation.fd)].watches[std::size_t(activation.slot)];
        if (watch.registration != activation.registration)
            continue; // disabled, deleted or replaced since it was queued
        watch.queued = false;
        QSocketNotifier *const notifier = watch.notifier;
        // `watch` may dangle from here on: the handler can register descriptors (growing m_descriptors).
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    return activated;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    Q_ASSERT(notifier);
    const qintptr socket = notifier->socket();
    if (socket < 0 || socket > INT_MAX || !isValid()) {
        qCWarning(lcEventLoop) << "cannot watch descriptor" << socket;
        return;
    }
    if (notifier->thread() != thread() || thread() != QThread::currentThread()) {
        qCWarning(lcEventLoop) << "socket notifiers cannot be enabled from another thread";
        return;
    }
    const int fd = int(socket);
    const int slot = slotOf(notifier->type());
    if (std::size_t(fd) >= m_descriptors.size())
        m_descriptors.resize(std::size_t(fd) + 1);
    Descriptor &descriptor = m_descriptors[std::size_t(fd)];
    Watch &watch = descriptor.watches[std::size_t(slot)];
    if (watch.notifier == notifier)
        return;
    if (watch.notifier) {
        qCWarning(lcEventLoop) << "several" << slotName(slot) << "notifiers for descriptor" << fd
                               << "- only the last one is activated";
    }
    watch = Watch{notifier, m_nextRegistration++, false};
    updateInterest(fd, descriptor);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    Q_ASSERT(notifier);
    const qintptr socket = notifier->socket();
    if (socket < 0 || std::size_t(socket) >= m_descriptors.size())
        return;
    const int fd = int(socket);
    Descriptor &descriptor = m_descriptors[std::size_t(fd)];
    Watch &watch = descriptor.watches[std::size_t(slotOf(notifier->type()))];
    if (watch.notifier != notifier)
        return; // never registered, or replaced by another notifier
    watch = Watch{}; // a queued activation no longer matches its registration and is skipped
    updateInterest(fd, descriptor);
}

quint32 EpollEventDispatcher::wantedEvents(const Descriptor &descriptor)
{
    quint32 wanted = 0;
    for (int slot = 0; slot < slotCount; ++slot) {
        if (descriptor.watches[std::size_t(slot)].notifier)
            wanted |= slotEvents[std::size_t(slot)];
    }
    return wanted;
}

void EpollEventDispatcher::updateInterest(int fd, Descriptor &descriptor)
{
    const quint32 wanted = wantedEvents(descriptor);
    if (descriptor.alwaysReady) {
        if (wanted == 0) {
            descriptor.alwaysReady = false;
            m_alwaysReady.erase(std::find(m_alwaysReady.begin(), m_alwaysReady.end(), fd));
        }
        return;
    }
    if (wanted == descriptor.interest)
        return;
    if (wanted != 0 && descriptor.interest != 0) {
        // The descriptor stays registered, so it cannot have been closed (a notifier is enabled all along):
        // defer the change to the next wait, where a write notifier enabled and disabled again within one
        // pass costs no system call at all.
        if (!descriptor.dirty) {
            descriptor.dirty = true;
            m_dirty.push_back(fd);
        }
        return;
    }
    // Adding and removing take effect at once: once its last notifier is gone the descriptor may be closed
    // and its number reused by a new socket, which must then get a registration of its own.
    commitInterest(fd, descriptor, wanted);
}

void EpollEventDispatcher::applyDeferredInterest()
{
    for (const int fd : m_dirty) {
        Descriptor &descriptor = m_descriptors[std::size_t(fd)];
        descriptor.dirty = false;
        const quint32 wanted = wantedEvents(descriptor);
        if (!descriptor.alwaysReady && wanted != descriptor.interest)
            commitInterest(fd, descriptor, wanted);
    }
    m_dirty.clear();
}

void EpollEventDispatcher::commitInterest(int fd, Descriptor &descriptor, quint32 wanted)
{
    if (wanted == 0) {
        // ENOENT/EBADF: the descriptor was closed before its notifier was disabled; epoll dropped it already.
        if (::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr) != 0 && errno != ENOENT && errno != EBADF)
            qCWarning(lcEventLoop) << "epoll_ctl(DEL)" << fd << "failed:" << std::strerror(errno);
        descriptor.interest = 0;
        --m_watchedDescriptors;
        return;
    }

    epoll_event event{};
    event.events = wanted;
    event.data.fd = fd;
    int op = descriptor.interest == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    int result = ::epoll_ctl(m_epollFd, op, fd, &event);
    if (result != 0 && ((op == EPOLL_CTL_MOD && errno == ENOENT) || (op == EPOLL_CTL_ADD && errno == EEXIST))) {
        // The descriptor was closed and reused behind our back (MOD finds nothing), or a duplicate of a closed
        // descriptor is still registered (ADD finds it): take over with the other operation.
        op = op == EPOLL_CTL_MOD ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
        result = ::epoll_ctl(m_epollFd, op, fd, &event);
    }
    if (result == 0) {
        if (descriptor.interest == 0)
            ++m_watchedDescriptors;
        descriptor.interest = wanted;
        return;
    }
    if (errno == EPERM) {
        // Regular files and directories cannot be polled; poll() reports them always ready, so do we.
        if (descriptor.interest != 0) {
            ::epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr);
            --m_watchedDescriptors;
        }
        descriptor.interest = 0;
        descriptor.alwaysReady = true;
        m_alwaysReady.push_back(fd);
        return;
    }
    qCWarning(lcEventLoop) << "cannot watch descriptor" << fd << ":" << std::strerror(errno);
}

void EpollEventDispatcher::registerTimerImpl(int id, TimerQueue::Duration interval, Qt::TimerType type,
                                             QObject *object)
{
    if (id < 1 || interval < 0ns || !object) {
        qCWarning(lcEventLoop) << "registerTimer: invalid arguments";
        return;
    }
    if (object->thread() != thread() || thread() != QThread::currentThread()) {
        qCWarning(lcEventLoop) << "registerTimer: timers cannot be started from another thread";
        return;
    }
    m_timers.registerTimer(id, interval, type, object, TimerQueue::Clock::now());
}

#if TERTULIA_EVENTDISPATCHER_V2

void EpollEventDispatcher::registerTimer(Qt::TimerId timerId, Duration interval, Qt::TimerType timerType,
                                         QObject *object)
{
    registerTimerImpl(qToUnderlying(timerId), interval, timerType, object);
}

bool EpollEventDispatcher::unregisterTimer(Qt::TimerId timerId)
{
    return m_timers.unregisterTimer(qToUnderlying(timerId));
}

QList<EpollEventDispatcher::TimerInfoV2> EpollEventDispatcher::timersForObject(QObject *object) const
{
    QList<TimerInfoV2> result;
    const QList<TimerQueue::TimerInfo> timers = m_timers.timersForObject(object);
    result.reserve(timers.size());
    for (const TimerQueue::TimerInfo &timer : timers)
        result.append(TimerInfoV2{timer.interval, Qt::TimerId(timer.id), timer.type});
    return result;
}

EpollEventDispatcher::Duration EpollEventDispatcher::remainingTime(Qt::TimerId timerId) const
{
    // Zero for an overdue timer; for an unknown one "negative" (Qt 6.8's contract), and precisely -1 ms: the
    // int-based remainingTime(int), still public and final in QAbstractEventDispatcherV2, converts this value
    // to milliseconds rounded up and promises -1 for an inactive timer. Duration::min() would reach its
    // callers as INT_MIN.
    return m_timers.remainingTime(qToUnderlying(timerId), TimerQueue::Clock::now()).value_or(-1ms);
}

#else

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    // Clamped before the conversion to nanoseconds, which would overflow for absurd intervals.
    constexpr qint64 maximumMs = std::numeric_limits<qint64>::max() / 1'000'000 / 4;
    registerTimerImpl(timerId, std::chrono::milliseconds(std::min(interval, maximumMs)), timerType, object);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.unregisterTimer(timerId);
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> result;
    const QList<TimerQueue::TimerInfo> timers = m_timers.timersForObject(object);
    result.reserve(timers.size());
    for (const TimerQueue::TimerInfo &timer : timers) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timer.interval).count();
        result.append(TimerInfo(timer.id, int(std::min<qint64>(ms, INT_MAX)), timer.type));
    }
    return result;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    // Qt's convention: -1 for an unknown timer, 0 for an overdue one.
    const auto remaining = m_timers.remainingTime(timerId, TimerQueue::Clock::now());
    if (!remaining)
        return -1;
    return int(std::min<qint64>(std::chrono::duration_cast<std::chrono::milliseconds>(*remaining).count(), INT_MAX));
}

#endif

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    return m_timers.unregisterTimers(object);
}

void EpollEventDispatcher::wakeUp()
{
    // Any thread. One write until the loop has consumed it: posting a burst of events costs one syscall.
    if (m_wakeUpPending.exchange(true, std::memory_order_acq_rel) || m_wakeFd < 0)
        return;
    const quint64 one = 1;
    ssize_t written = 0;
    do {
        written = ::write(m_wakeFd, &one, sizeof one);
    } while (written < 0 && errno == EINTR);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true, std::memory_order_relaxed);
    wakeUp();
}

} // namespace Tertulia
