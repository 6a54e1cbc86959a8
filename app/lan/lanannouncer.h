#pragma once

#include "app/lan/lanannouncement.h"
#include "app/lan/landiscoverysettings.h"

#include <QtCore/QObject>

class QTimer;
class QUdpSocket;

namespace Tertulia {

/// Tells the LAN that a chat is hosted here: a small JSON datagram (LanMessage) every intervalMs to the
/// directed broadcast address of every IPv4 interface and to a multicast group, and a "bye" on stop()
/// (docs/lan-discovery.md). Interfaces are looked up again every round, so a laptop that joins a
/// network starts being heard there without a restart.
class LanAnnouncer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LanAnnouncer)

public:
    /// Settings from LanDiscoverySettings::fromEnvironment().
    explicit LanAnnouncer(QObject *parent = nullptr);
    ~LanAnnouncer() override;

    /// Takes effect at the next start().
    void setSettings(const LanDiscoverySettings &settings) { m_settings = settings; }
    LanDiscoverySettings settings() const { return m_settings; }

    /// Announces at once and then every interval; a second call replaces the announcement. False when no
    /// UDP socket could be opened (the reason is logged); with no channel configured it does nothing.
    bool start(const LanAnnouncement &announcement);
    /// Says "bye" on every route and stops.
    void stop();
    bool isActive() const { return m_active; }

    /// Updates the user count; the change goes out within a quarter of a second rather than at the
    /// next round, so lists elsewhere follow people joining and leaving promptly.
    void setOnlineUsers(int users);
    LanAnnouncement announcement() const { return m_announcement; }

    /// Datagrams handed to the OS since construction (diagnostics, tests).
    qint64 datagramsSent() const { return m_sent; }

private:
    void announce();
    void sendEverywhere(const QByteArray &datagram);

    LanDiscoverySettings m_settings;
    LanAnnouncement m_announcement;
    QUdpSocket *m_socket = nullptr;
    QTimer *m_timer;
    QTimer *m_soon;
    bool m_active = false;
    qint64 m_sent = 0;
};

} // namespace Tertulia
