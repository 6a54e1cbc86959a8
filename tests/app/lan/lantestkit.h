#pragma once

// Helpers for LAN discovery tests: free ports, settings that keep every datagram on the loopback
// interface, and a sender of raw datagrams (valid or hostile) into the discovery group.
#include "app/lan/landiscoverysettings.h"
#include "app/lan/lanmessage.h"

#include <QtNetwork/QNetworkInterface>
#include <QtNetwork/QUdpSocket>
#include <QtTest/QTest>

namespace Tertulia::LanTest {

/// A UDP port nobody uses right now (bound on port 0, then released).
inline quint16 freeUdpPort()
{
    QUdpSocket socket;
    if (!socket.bind(QHostAddress::AnyIPv4, 0))
        qFatal("cannot bind a UDP socket: %s", qPrintable(socket.errorString()));
    return socket.localPort();
}

/// Discovery on the loopback interface only, on a free port: nothing reaches the real network.
inline LanDiscoverySettings loopbackSettings(quint16 port, int intervalMs = 100)
{
    LanDiscoverySettings settings;
    settings.port = port;
    settings.channels = LanDiscoverySettings::Channel::Loopback;
    settings.intervalMs = intervalMs;
    return settings;
}

inline QNetworkInterface loopbackInterface()
{
    const QList<QNetworkInterface> interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &interface : interfaces) {
        if (interface.flags().testFlag(QNetworkInterface::IsLoopBack))
            return interface;
    }
    return {};
}

/// Sends whatever bytes a test wants to the discovery group on the loopback interface, from a chosen
/// source address (127.0.0.2 makes a second "machine" as far as the sender address goes).
class RawSender
{
public:
    explicit RawSender(const LanDiscoverySettings &settings, const QHostAddress &source = QHostAddress::LocalHost)
        : m_settings(settings)
    {
        if (!m_socket.bind(source, 0))
            qFatal("cannot bind %s: %s", qPrintable(source.toString()), qPrintable(m_socket.errorString()));
        m_socket.setMulticastInterface(loopbackInterface());
    }
    bool send(const QByteArray &datagram)
    {
        return m_socket.writeDatagram(datagram, m_settings.group, m_settings.port) == datagram.size();
    }
    bool announce(const QByteArray &id, const QString &name, int users = 0, int intervalMs = 100, quint16 port = 7420,
                  const CertificateFingerprint &fingerprint = {})
    {
        LanAnnouncement announcement;
        announcement.fingerprint = fingerprint;
        announcement.instanceId = id;
        announcement.serverName = name;
        announcement.port = port;
        announcement.version = QStringLiteral("9.9.9");
        announcement.users = users;
        return send(LanMessage::announce(announcement, intervalMs).encode());
    }
    bool bye(const QByteArray &id) { return send(LanMessage::bye(id).encode()); }

private:
    LanDiscoverySettings m_settings;
    QUdpSocket m_socket;
};

} // namespace Tertulia::LanTest
