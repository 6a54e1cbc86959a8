#include "chaos/connectionkiller.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QSet>
#include <QtCore/QStandardPaths>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace Tertulia::Chaos {

namespace {
constexpr int kEstablished = 1; // TCP_ESTABLISHED in /proc/net/tcp

/// Runs ss with a filter; true when it ran and exited 0.
bool runSs(const QStringList &arguments, QString *output = nullptr)
{
    const QString ss = QStandardPaths::findExecutable(u"ss"_s, {u"/usr/sbin"_s, u"/sbin"_s, u"/usr/bin"_s, u"/bin"_s});
    if (ss.isEmpty())
        return false;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(ss, arguments);
    if (!process.waitForFinished(5000)) {
        process.kill();
        process.waitForFinished();
        return false;
    }
    if (output)
        *output = QString::fromUtf8(process.readAll()).simplified();
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

/// `( sport = :a or sport = :b ... )`, as separate arguments for ss.
QStringList portFilter(const char *key, const QList<quint16> &ports)
{
    QStringList filter{u"("_s};
    for (qsizetype i = 0; i < ports.size(); ++i) {
        if (i > 0)
            filter << u"or"_s;
        filter << QString::fromLatin1(key) << u"="_s << u":%1"_s.arg(ports[i]);
    }
    filter << u")"_s;
    return filter;
}

/// Inodes of the established IPv4 connections whose local port is `local` and remote port is in `remote`
/// (all remote ports when empty), from /proc/net/tcp.
QSet<quint64> connectionInodes(quint16 local, const QSet<quint16> &remote)
{
    QSet<quint64> inodes;
    QFile table(u"/proc/net/tcp"_s);
    if (!table.open(QIODevice::ReadOnly))
        return inodes;
    // Read whole: procfs reports a size of 0, so atEnd() cannot be trusted between lines.
    const QList<QByteArray> lines = table.readAll().split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) { // line 0 is the header
        const QList<QByteArray> fields = lines[i].simplified().split(' ');
        if (fields.size() < 10)
            continue;
        const quint16 localPort = quint16(fields[1].mid(fields[1].indexOf(':') + 1).toUInt(nullptr, 16));
        const quint16 remotePort = quint16(fields[2].mid(fields[2].indexOf(':') + 1).toUInt(nullptr, 16));
        if (fields[3].toInt(nullptr, 16) != kEstablished || localPort != local)
            continue;
        if (remote.isEmpty() || remote.contains(remotePort))
            inodes.insert(fields[9].toULongLong());
    }
    return inodes;
}
} // namespace

ConnectionKiller::Method ConnectionKiller::detect(QString *why)
{
    // A probe connection of our own: killed by ss -K, or ss -K is not what we get here.
    QTcpServer server;
    QTcpSocket client;
    if (server.listen(QHostAddress::LocalHost, 0)) {
        client.connectToHost(QHostAddress::LocalHost, server.serverPort());
        if (client.waitForConnected(5000)) {
            QString output;
            const bool ran = runSs({u"-K"_s, u"-t"_s, u"dst"_s, u"127.0.0.1"_s, u"dport"_s, u"="_s,
                                    u":%1"_s.arg(server.serverPort()), u"sport"_s, u"="_s,
                                    u":%1"_s.arg(client.localPort())},
                                   &output);
            QSignalSpy gone(&client, &QTcpSocket::errorOccurred);
            if (ran && (gone.count() > 0 || gone.wait(2000))) {
                *why = u"ss -K (the kernel destroys the client's socket and resets the server's)"_s;
                return Method::SocketDestroy;
            }
            *why = ran ? u"ss -K ran but did not kill the probe connection (no CONFIG_INET_DIAG_DESTROY or no "
                         u"CAP_NET_ADMIN): "_s + output
                       : u"ss -K is not available here: "_s + output;
            return Method::ServerShutdown;
        }
    }
    *why = u"no probe connection possible"_s;
    return Method::ServerShutdown;
}

QString ConnectionKiller::name(Method method)
{
    return method == Method::SocketDestroy ? u"ss -K"_s : u"server-side shutdown(2)"_s;
}

int ConnectionKiller::kill(const QList<quint16> &clientPorts) const
{
    QList<quint16> ports;
    for (quint16 port : clientPorts) {
        if (port != 0)
            ports.append(port);
    }
    if (ports.isEmpty())
        return 0;
    return m_method == Method::SocketDestroy ? socketDestroy(ports) : serverShutdown(ports);
}

int ConnectionKiller::killAll() const
{
    if (m_method == Method::SocketDestroy) {
        return runSs({u"-K"_s, u"-t"_s, u"dst"_s, u"127.0.0.1"_s, u"dport"_s, u"="_s, u":%1"_s.arg(m_serverPort)}) ? 1
                                                                                                                 : 0;
    }
    return serverShutdown({});
}

int ConnectionKiller::socketDestroy(const QList<quint16> &clientPorts) const
{
    const QStringList arguments = QStringList{u"-K"_s, u"-t"_s, u"dst"_s, u"127.0.0.1"_s, u"dport"_s, u"="_s,
                                              u":%1"_s.arg(m_serverPort)}
                                  + portFilter("sport", clientPorts);
    return runSs(arguments) ? int(clientPorts.size()) : 0;
}

int ConnectionKiller::serverShutdown(const QList<quint16> &clientPorts) const
{
    // The server's end of each connection: local port = the server's, remote port = the client's.
    const QSet<quint16> remote(clientPorts.cbegin(), clientPorts.cend());
    const QSet<quint64> inodes = connectionInodes(m_serverPort, remote);
    int killed = 0;
    const QDir fds(u"/proc/self/fd"_s);
    for (const QString &entry : fds.entryList(QDir::Files | QDir::System)) {
        const QString target = QFileInfo(fds.filePath(entry)).symLinkTarget();
        const qsizetype open = target.indexOf(u"socket:["_s);
        if (open < 0)
            continue;
        const quint64 inode = QStringView(target).mid(open + 8).chopped(1).toULongLong();
        if (inodes.contains(inode) && ::shutdown(entry.toInt(), SHUT_RDWR) == 0)
            ++killed;
    }
    return killed;
}

} // namespace Tertulia::Chaos
