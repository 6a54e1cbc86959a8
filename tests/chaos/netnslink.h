#pragma once

#include <QtCore/QString>
#include <QtNetwork/QHostAddress>

#include <memory>

namespace Tertulia::Chaos {

/// A network namespace joined to this one by a veth pair: a peer inside it reaches a server on
/// hostAddress(), and taking the inside end down makes the peer vanish without a FIN or a reset (its
/// packets, and the server's, go nowhere): a half-open connection, as after a lost Wi-Fi or a NAT that
/// forgot the flow. Needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN) and `ip`; everything is removed again
/// when it is destroyed.
class NetnsLink
{
public:
    /// nullptr (with why) when namespaces cannot be made here.
    static std::unique_ptr<NetnsLink> create(QString *why);
    ~NetnsLink();

    QString name() const { return m_name; }
    /// The address on this side: what a server listens on for the peer.
    QHostAddress hostAddress() const { return m_host; }
    /// Takes the inside end of the link down (the peer vanishes) or up again.
    bool setPeerLinkUp(bool up);

private:
    NetnsLink() = default;
    QString m_name;
    QString m_outside;
    QString m_inside;
    QHostAddress m_host;
};

} // namespace Tertulia::Chaos
