#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

namespace Tertulia::Chaos {

/// Kills established TCP connections to a server port on loopback, as a flaky network or a NAT
/// timeout would, without the client or the server choosing to close them.
class ConnectionKiller
{
public:
    enum class Method {
        /// `ss -K` (SOCK_DESTROY): the kernel aborts the client's socket and sends the server a reset.
        /// Needs CAP_NET_ADMIN and a kernel with CONFIG_INET_DIAG_DESTROY.
        SocketDestroy,
        /// shutdown(2) on the server's own descriptor of the connection, found through /proc: the server
        /// sees its connection end under it. Only for a server inside the test process; no privileges.
        ServerShutdown,
    };

    /// Which method works here: SocketDestroy when a probe connection really dies by `ss -K`, else
    /// ServerShutdown; why says what was found (for the test output).
    static Method detect(QString *why);
    static QString name(Method method);

    ConnectionKiller(quint16 serverPort, Method method) : m_serverPort(serverPort), m_method(method) { }
    void setServerPort(quint16 port) { m_serverPort = port; }
    Method method() const { return m_method; }

    /// Kills the connections from these client ports (127.0.0.1) to the server port; how many it asked
    /// the kernel to kill.
    int kill(const QList<quint16> &clientPorts) const;
    /// Every connection to the server port.
    int killAll() const;

private:
    int socketDestroy(const QList<quint16> &clientPorts) const;
    int serverShutdown(const QList<quint16> &clientPorts) const;

    quint16 m_serverPort;
    Method m_method;
};

} // namespace Tertulia::Chaos
