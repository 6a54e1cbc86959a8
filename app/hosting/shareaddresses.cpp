#include "app/hosting/shareaddresses.h"

#include <algorithm>

namespace Tertulia::ShareAddresses {

namespace {
// Virtual interfaces rank after every address of a real one.
constexpr int kVirtualPenalty = 100;
} // namespace

QList<QUrl> fromInterfaces(const QList<NetworkInterfaceInfo> &interfaces, quint16 port)
{
    struct Candidate
    {
        QHostAddress address;
        int rank;
    };
    QList<Candidate> candidates;
    for (const NetworkInterfaceInfo &interface : interfaces) {
        if (!interface.isUsable() || interface.isLoopback())
            continue;
        for (const QNetworkAddressEntry &entry : interface.addresses) {
            const QHostAddress ip = entry.ip();
            const bool v4 = ip.protocol() == QAbstractSocket::IPv4Protocol;
            const bool v6 = ip.protocol() == QAbstractSocket::IPv6Protocol;
            if ((!v4 && !v6) || ip.isLoopback() || ip.isNull() || (v6 && ip.isLinkLocal()) || ip.isMulticast())
                continue;
            const bool seen = std::any_of(candidates.begin(), candidates.end(),
                                          [&](const Candidate &c) { return c.address.isEqual(ip); });
            if (seen)
                continue;
            candidates.append({ip, NetworkInterfaceInfo::addressRank(ip)
                                       + (interface.looksVirtual() ? kVirtualPenalty : 0)});
        }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate &a, const Candidate &b) { return a.rank < b.rank; });
    QList<QUrl> urls;
    for (const Candidate &candidate : std::as_const(candidates))
        urls.append(NetworkInterfaceInfo::httpUrl(candidate.address, port));
    return urls;
}

QUrl preferred(const QList<NetworkInterfaceInfo> &interfaces, quint16 port)
{
    return fromInterfaces(interfaces, port).value(0);
}

} // namespace Tertulia::ShareAddresses
