#pragma once

#include <QtCore/QByteArrayView>
#include <QtCore/QElapsedTimer>
#include <QtCore/QString>

#include <chrono>

namespace Tertulia {

/// The service manager's notification protocol (systemd's sd_notify(3)) written by hand, with no libsystemd:
/// one datagram per message ("READY=1", "WATCHDOG=1", "STOPPING=1", "STATUS=...") to the AF_UNIX datagram
/// socket that $NOTIFY_SOCKET names (a file path, or "@name" in Linux's abstract namespace).
///
/// - Without $NOTIFY_SOCKET (started by hand, in a container, on Windows) every call does nothing.
/// - The watchdog: systemd sets $WATCHDOG_USEC (and $WATCHDOG_PID) when the unit has WatchdogSec=. The
///   server's housekeeping pass (once a second, on the thread that serves the connections) calls
///   housekeepingPassed(), which sends WATCHDOG=1 at most every half of that interval: an event loop that
///   stops turning stops the pings, and systemd restarts the service.
/// - The variables are read once, at construction; they are left in the environment (the server starts no
///   child that could take them for its own).
class ServiceNotifier
{
public:
    /// Reads $NOTIFY_SOCKET, $WATCHDOG_USEC and $WATCHDOG_PID.
    ServiceNotifier();
    ~ServiceNotifier();
    ServiceNotifier(const ServiceNotifier &) = delete;
    ServiceNotifier &operator=(const ServiceNotifier &) = delete;

    /// Whether a service manager asked for notifications (and the socket could be made).
    bool isActive() const { return m_descriptor >= 0; }
    /// The watchdog interval the service manager asked for this process, or zero for none.
    std::chrono::microseconds watchdogInterval() const { return m_watchdog; }

    /// Sends one message ("KEY=value" lines). False when inactive or the send failed.
    bool notify(QByteArrayView message);
    /// READY=1 with a STATUS line: the server listens and serves.
    bool ready(const QString &status);
    /// STOPPING=1: the server is shutting down (draining, closing connections, committing). Sent once.
    bool stopping();
    /// One housekeeping pass ran: WATCHDOG=1 when half the watchdog interval has passed since the last one.
    void housekeepingPassed();
    /// Watchdog pings sent so far.
    int watchdogPings() const { return m_pings; }

private:
    int m_descriptor = -1;
    QByteArray m_address; ///< the socket's name as it goes into sockaddr_un (a leading NUL: abstract)
    std::chrono::microseconds m_watchdog{0};
    QElapsedTimer m_sinceLastPing;
    int m_pings = 0;
    bool m_stoppingSent = false;
};

} // namespace Tertulia
