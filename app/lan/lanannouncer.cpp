#include "app/lan/lanannouncer.h"

#include "app/lan/lanlogging.h"
#include "app/lan/lanmessage.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QTimer>
#include <QtCore/QVariant>
#include <QtNetwork/QNetworkInterface>
#include <QtNetwork/QUdpSocket>

namespace Tertulia {

namespace {
constexpr int kPromptUpdateMs = 250;

QByteArray randomInstanceId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof words);
}
} // namespace

LanAnnouncer::LanAnnouncer(QObject *parent)
    : QObject(parent), m_settings(LanDiscoverySettings::fromEnvironment()), m_timer(new QTimer(this)),
      m_soon(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &LanAnnouncer::announce);
    m_soon->setSingleShot(true);
    m_soon->setInterval(kPromptUpdateMs);
    connect(m_soon, &QTimer::timeout, this, &LanAnnouncer::announce);
}

LanAnnouncer::~LanAnnouncer() { stop(); }

bool LanAnnouncer::start(const LanAnnouncement &announcement)
{
    if (m_active)
        stop();
    m_announcement = announcement;
    if (m_announcement.instanceId.isEmpty() || m_announcement.instanceId.size() > LanMessage::kMaxInstanceIdBytes)
        m_announcement.instanceId = randomInstanceId();
    if (!m_settings.channels)
        return true;

    m_socket = new QUdpSocket(this);
    // Bound so the multicast options below apply; port 0: the source port does not matter.
    if (!m_socket->bind(QHostAddress::AnyIPv4, 0)) {
        qCWarning(lcClientLan) << "cannot open a UDP socket to announce the chat:" << m_socket->errorString();
        delete m_socket;
        m_socket = nullptr;
        return false;
    }
    // Link-local only: announcements are for the people on this network, never routed further.
    m_socket->setSocketOption(QAbstractSocket::MulticastTtlOption, QVariant(1));
    // Copies of the app on this machine listen too.
    m_socket->setSocketOption(QAbstractSocket::MulticastLoopbackOption, QVariant(1));
    m_active = true;
    m_timer->start(m_settings.intervalMs);
    announce();
    return true;
}

void LanAnnouncer::stop()
{
    m_timer->stop();
    m_soon->stop();
    if (!m_active)
        return;
    m_active = false;
    if (m_socket) {
        sendEverywhere(LanMessage::bye(m_announcement.instanceId).encode());
        delete m_socket;
        m_socket = nullptr;
    }
}

void LanAnnouncer::setOnlineUsers(int users)
{
    if (users == m_announcement.users)
        return;
    m_announcement.users = users;
    if (m_active && !m_soon->isActive())
        m_soon->start();
}

void LanAnnouncer::announce()
{
    if (!m_active || !m_socket)
        return;
    m_soon->stop();
    sendEverywhere(LanMessage::announce(m_announcement, m_settings.intervalMs).encode());
}

void LanAnnouncer::sendEverywhere(const QByteArray &datagram)
{
    const LanDiscoverySettings::Routes routes = m_settings.routes(NetworkInterfaceInfo::fromSystem());
    // Failures are expected now and then (an interface going down between the lookup and the send) and
    // the next round tries again, so they are only logged.
    for (const QHostAddress &broadcast : routes.broadcast) {
        if (m_socket->writeDatagram(datagram, broadcast, m_settings.port) == datagram.size())
            ++m_sent;
        else
            qCDebug(lcClientLan) << "broadcast to" << broadcast << "failed:" << m_socket->errorString();
    }
    for (const int index : routes.multicastInterfaces) {
        const QNetworkInterface interface = QNetworkInterface::interfaceFromIndex(index);
        if (!interface.isValid())
            continue;
        m_socket->setMulticastInterface(interface);
        if (m_socket->writeDatagram(datagram, m_settings.group, m_settings.port) == datagram.size())
            ++m_sent;
        else
            qCDebug(lcClientLan) << "multicast on" << interface.name() << "failed:" << m_socket->errorString();
    }
}

} // namespace Tertulia
