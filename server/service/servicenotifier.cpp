#include "server/service/servicenotifier.h"

#include "server/logging.h"

#include <QtCore/QCoreApplication>

#include <cerrno>
#include <cstring>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace Tertulia {

ServiceNotifier::ServiceNotifier()
{
#ifdef Q_OS_UNIX
    const QByteArray socket = qgetenv("NOTIFY_SOCKET");
    if (socket.isEmpty())
        return;
    if ((socket.front() != '/' && socket.front() != '@') || socket.size() >= qsizetype(sizeof(sockaddr_un::sun_path))) {
        qCWarning(lcServer) << "NOTIFY_SOCKET is not a socket path or an abstract name; not notifying";
        return;
    }
    m_address = socket;
    if (m_address.front() == '@')
        m_address[0] = '\0'; // Linux's abstract namespace
    m_descriptor = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    if (m_descriptor < 0) {
        qCWarning(lcServer) << "cannot make the notification socket:" << std::strerror(errno);
        return;
    }
    ::fcntl(m_descriptor, F_SETFD, FD_CLOEXEC);

    bool ok = false;
    const qlonglong usec = qEnvironmentVariable("WATCHDOG_USEC").toLongLong(&ok);
    const QString pid = qEnvironmentVariable("WATCHDOG_PID");
    const bool forUs = pid.isEmpty() || pid.toLongLong() == QCoreApplication::applicationPid();
    if (ok && usec > 0 && forUs)
        m_watchdog = std::chrono::microseconds(usec);
#endif
    m_sinceLastPing.start();
}

ServiceNotifier::~ServiceNotifier()
{
#ifdef Q_OS_UNIX
    if (m_descriptor >= 0)
        ::close(m_descriptor);
#endif
}

bool ServiceNotifier::notify(QByteArrayView message)
{
#ifdef Q_OS_UNIX
    if (m_descriptor < 0)
        return false;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, m_address.constData(), std::size_t(m_address.size()));
    // An abstract name's length counts exactly (no terminating NUL); a path's may include its NUL.
    const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + std::size_t(m_address.size())
                                  + (m_address.front() == '\0' ? 0 : 1));
    ssize_t sent;
    do {
        sent = ::sendto(m_descriptor, message.data(), std::size_t(message.size()), 0,
                        reinterpret_cast<const sockaddr *>(&address), length);
    } while (sent < 0 && errno == EINTR);
    if (sent == message.size())
        return true;
    qCWarning(lcServer) << "service notification" << message.toByteArray().left(20) << "not sent:"
                        << std::strerror(errno);
    return false;
#else
    Q_UNUSED(message);
    return false;
#endif
}

bool ServiceNotifier::ready(const QString &status)
{
    return notify("READY=1\nSTATUS=" + status.toUtf8());
}

bool ServiceNotifier::stopping()
{
    if (m_stoppingSent)
        return true;
    m_stoppingSent = notify("STOPPING=1\nSTATUS=closing connections");
    return m_stoppingSent;
}

void ServiceNotifier::housekeepingPassed()
{
    using namespace std::chrono;
    if (m_watchdog.count() == 0 || m_descriptor < 0)
        return;
    if (m_pings > 0 && microseconds(m_sinceLastPing.nsecsElapsed() / 1000) < m_watchdog / 2)
        return;
    if (notify("WATCHDOG=1")) {
        ++m_pings;
        m_sinceLastPing.restart();
    }
}

} // namespace Tertulia
