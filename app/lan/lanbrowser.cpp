#include "app/lan/lanbrowser.h"

#include "app/lan/lanlogging.h"
#include "app/lan/lanmessage.h"

#include <QtCore/QTimer>
#include <QtNetwork/QNetworkDatagram>
#include <QtNetwork/QNetworkInterface>
#include <QtNetwork/QUdpSocket>

#include <algorithm>

namespace Tertulia {

namespace {
// How often group membership follows interfaces coming and going (joining a Wi-Fi network, say).
constexpr int kMembershipRefreshMs = 5000;
} // namespace

LanBrowser::LanBrowser(QObject *parent)
    : QObject(parent), m_settings(LanDiscoverySettings::fromEnvironment()), m_expiryTimer(new QTimer(this)),
      m_membershipTimer(new QTimer(this))
{
    m_clock.start();
    m_expiryTimer->setSingleShot(true);
    connect(m_expiryTimer, &QTimer::timeout, this, &LanBrowser::expire);
    m_membershipTimer->setInterval(kMembershipRefreshMs);
    connect(m_membershipTimer, &QTimer::timeout, this, &LanBrowser::refreshMembership);
}

LanBrowser::~LanBrowser() = default;

bool LanBrowser::start()
{
    if (m_socket)
        return true;
    m_error.clear();
    if (!m_settings.channels)
        return true; // discovery is off: an empty list, and no error to show
    m_socket = new QUdpSocket(this);
    // ShareAddress + ReuseAddressHint: every copy of the app on this machine binds the same port and each
    // gets every broadcast and multicast datagram (Qt uses SO_REUSEPORT for UDP where it exists, which
    // macOS needs for this, and SO_REUSEADDR on Windows).
    if (!m_socket->bind(QHostAddress::AnyIPv4, m_settings.port,
                        QUdpSocket::ShareAddress | QUdpSocket::ReuseAddressHint)) {
        m_error = m_socket->errorString();
        qCWarning(lcClientLan) << "cannot listen for hosts on UDP port" << m_settings.port << ":" << m_error;
        delete m_socket;
        m_socket = nullptr;
        return false;
    }
    connect(m_socket, &QUdpSocket::readyRead, this, &LanBrowser::onReadyRead);
    m_joined.clear();
    refreshMembership();
    m_membershipTimer->start();
    return true;
}

void LanBrowser::stop()
{
    m_membershipTimer->stop();
    m_expiryTimer->stop();
    delete m_socket; // leaves the groups
    m_socket = nullptr;
    m_joined.clear();
    if (!m_entries.isEmpty()) {
        m_entries.clear();
        Q_EMIT hostsChanged();
    }
}

QList<DiscoveredHost> LanBrowser::hosts() const
{
    QList<DiscoveredHost> result;
    result.reserve(m_entries.size());
    for (const Entry &entry : m_entries)
        result.append(entry.host);
    return result;
}

void LanBrowser::setIgnoredInstanceId(const QByteArray &instanceId)
{
    m_ignored = instanceId;
    const auto removed = m_entries.removeIf([&](const Entry &entry) { return entry.host.instanceId == instanceId; });
    if (removed > 0)
        Q_EMIT hostsChanged();
}

void LanBrowser::refreshMembership()
{
    if (!m_socket)
        return;
    const QList<int> wanted = m_settings.routes(NetworkInterfaceInfo::fromSystem()).multicastInterfaces;
    for (const int index : wanted) {
        if (m_joined.contains(index))
            continue;
        const QNetworkInterface interface = QNetworkInterface::interfaceFromIndex(index);
        if (interface.isValid() && m_socket->joinMulticastGroup(m_settings.group, interface)) {
            m_joined.insert(index);
            qCDebug(lcClientLan) << "listening for hosts on" << interface.name();
        } else {
            qCDebug(lcClientLan) << "cannot join" << m_settings.group << "on" << interface.name() << ":"
                                 << m_socket->errorString();
        }
    }
    // Interfaces that went away: the kernel dropped their memberships with them; forget them so they are
    // joined again if they come back.
    m_joined.removeIf([&](int index) { return !wanted.contains(index); });
}

void LanBrowser::onReadyRead()
{
    bool changed = false;
    for (int read = 0; m_socket && read < kMaxDatagramsPerPass && m_socket->hasPendingDatagrams(); ++read) {
        const qint64 size = m_socket->pendingDatagramSize();
        if (size > LanMessage::kMaxDatagramBytes) {
            m_socket->readDatagram(nullptr, 0); // discards it
            ++m_rejected;
            continue;
        }
        const QNetworkDatagram datagram = m_socket->receiveDatagram(LanMessage::kMaxDatagramBytes);
        const auto message = LanMessage::parse(datagram.data());
        if (!message || datagram.senderAddress().isNull()) {
            ++m_rejected;
            qCDebug(lcClientLan) << "ignored a datagram of" << datagram.data().size() << "bytes from"
                                 << datagram.senderAddress();
            continue;
        }
        ++m_accepted;
        changed = handle(*message, datagram.senderAddress()) || changed;
    }
    if (changed)
        Q_EMIT hostsChanged();
    scheduleExpiry();
}

bool LanBrowser::handle(const LanMessage &message, const QHostAddress &sender)
{
    const QByteArray &id = message.announcement.instanceId;
    if (id == m_ignored)
        return false;
    auto it = std::find_if(m_entries.begin(), m_entries.end(),
                           [&](const Entry &entry) { return entry.host.instanceId == id; });
    if (message.kind == LanMessage::Kind::Bye) {
        if (it == m_entries.end())
            return false;
        m_entries.erase(it);
        return true;
    }

    if (it == m_entries.end()) {
        if (m_entries.size() >= kMaxHosts) {
            ++m_rejected;
            return false;
        }
        Entry entry;
        entry.host.instanceId = id;
        m_entries.append(entry);
        it = m_entries.end() - 1;
    }
    Entry &entry = *it;
    const DiscoveredHost before = entry.host;
    const LanAnnouncement &announcement = message.announcement;
    entry.intervalMs = message.intervalMs;
    entry.host.name = announcement.serverName;
    entry.host.port = announcement.port;
    entry.host.version = announcement.version;
    entry.host.users = announcement.users;
    entry.host.webPage = announcement.webPage;
    if (before.port != 0 && before.fingerprint != announcement.fingerprint) {
        // Anyone on the LAN can send a datagram with this id: two fingerprints for one host mean at least
        // one is not to be trusted without asking. Sticky until the entry expires.
        qCWarning(lcClientLan) << "host" << entry.host.name << "announced a different certificate fingerprint";
        entry.host.fingerprintConflict = true;
    }
    entry.host.fingerprint = announcement.fingerprint;
    entry.host.lastSeen = QDateTime::currentDateTimeUtc();
    const qint64 now = m_clock.elapsed();
    auto heard = std::find_if(entry.heard.begin(), entry.heard.end(),
                              [&](const HeardFrom &from) { return from.address.isEqual(sender); });
    if (heard != entry.heard.end())
        heard->lastMs = now;
    else if (entry.heard.size() < kMaxAddressesPerHost)
        entry.heard.append({sender, now});
    updateAddresses(entry);
    return before.port == 0 || !before.sameContent(entry.host);
}

void LanBrowser::updateAddresses(Entry &entry)
{
    QList<QHostAddress> addresses;
    for (const HeardFrom &from : std::as_const(entry.heard))
        addresses.append(from.address);
    std::stable_sort(addresses.begin(), addresses.end(), [](const QHostAddress &a, const QHostAddress &b) {
        return NetworkInterfaceInfo::addressRank(a) < NetworkInterfaceInfo::addressRank(b);
    });
    entry.host.addresses = addresses;
    entry.host.address = addresses.value(0);
}

qint64 LanBrowser::expiryMs(const Entry &entry) const
{
    return qint64(entry.intervalMs) * kMissedAnnouncements + entry.intervalMs / 2;
}

void LanBrowser::expire()
{
    const qint64 now = m_clock.elapsed();
    bool changed = false;
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        const qint64 limit = expiryMs(*it);
        const auto stale = it->heard.removeIf([&](const HeardFrom &from) { return now - from.lastMs >= limit; });
        if (it->heard.isEmpty()) {
            qCDebug(lcClientLan) << "host" << it->host.name << "went silent";
            it = m_entries.erase(it);
            changed = true;
            continue;
        }
        if (stale > 0) {
            updateAddresses(*it);
            changed = true;
        }
        ++it;
    }
    if (changed)
        Q_EMIT hostsChanged();
    scheduleExpiry();
}

void LanBrowser::scheduleExpiry()
{
    qint64 next = -1;
    for (const Entry &entry : std::as_const(m_entries)) {
        for (const HeardFrom &from : entry.heard) {
            const qint64 deadline = from.lastMs + expiryMs(entry);
            if (next < 0 || deadline < next)
                next = deadline;
        }
    }
    if (next < 0) {
        m_expiryTimer->stop();
        return;
    }
    m_expiryTimer->start(int(std::max<qint64>(0, next - m_clock.elapsed())));
}

} // namespace Tertulia
