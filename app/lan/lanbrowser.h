#pragma once

#include "app/lan/discoveredhost.h"
#include "app/lan/landiscoverysettings.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QSet>

class QTimer;
class QUdpSocket;

namespace Tertulia {

struct LanMessage;

/// Listens for LanAnnouncer datagrams and keeps the list of hosts on the LAN: one entry per instance
/// id however many interfaces and channels it is heard on, the address taken from the sender, gone
/// after a bye or ~3 missed announcements. Several browsers on one machine can listen at once (the
/// port is shared). Datagrams are untrusted: anything that does not parse is counted and dropped.
class LanBrowser : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LanBrowser)

public:
    /// Hosts kept at most: a flood of invented instance ids cannot grow the list without bound.
    static constexpr int kMaxHosts = 128;
    static constexpr int kMaxAddressesPerHost = 8;
    /// A host (or one of its addresses) is dropped when not heard for this many of its intervals (+½).
    static constexpr int kMissedAnnouncements = 3;
    /// Datagrams read per event-loop pass; the rest wait for the next pass so a flood cannot freeze the UI.
    static constexpr int kMaxDatagramsPerPass = 256;

    /// Settings from LanDiscoverySettings::fromEnvironment().
    explicit LanBrowser(QObject *parent = nullptr);
    ~LanBrowser() override;

    /// Takes effect at the next start().
    void setSettings(const LanDiscoverySettings &settings) { m_settings = settings; }
    LanDiscoverySettings settings() const { return m_settings; }

    /// Starts listening; false when the port cannot be opened (errorString() says why).
    bool start();
    /// Stops listening and forgets every host.
    void stop();
    bool isActive() const { return m_socket != nullptr; }
    QString errorString() const { return m_error; }

    /// In the order first heard.
    QList<DiscoveredHost> hosts() const;
    /// Never lists this instance (the app's own host, when it wants to hide it).
    void setIgnoredInstanceId(const QByteArray &instanceId);

    qint64 datagramsAccepted() const { return m_accepted; }
    qint64 datagramsRejected() const { return m_rejected; }

Q_SIGNALS:
    /// A host appeared, disappeared or changed what a list shows (not for lastSeen alone).
    void hostsChanged();

private:
    struct HeardFrom
    {
        QHostAddress address;
        qint64 lastMs;
    };
    struct Entry
    {
        DiscoveredHost host;
        QList<HeardFrom> heard;
        int intervalMs = 0;
    };

    void onReadyRead();
    bool handle(const LanMessage &message, const QHostAddress &sender);
    void refreshMembership();
    void expire();
    void scheduleExpiry();
    qint64 expiryMs(const Entry &entry) const;
    static void updateAddresses(Entry &entry);

    LanDiscoverySettings m_settings;
    QUdpSocket *m_socket = nullptr;
    QTimer *m_expiryTimer;
    QTimer *m_membershipTimer;
    QElapsedTimer m_clock;
    QList<Entry> m_entries;
    QSet<int> m_joined;
    QByteArray m_ignored;
    QString m_error;
    qint64 m_accepted = 0;
    qint64 m_rejected = 0;
};

} // namespace Tertulia
