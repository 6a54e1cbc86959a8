// Which addresses the share card offers, and which one the QR code gets, on invented machines.
#include "app/hosting/shareaddresses.h"
#include "app/lan/interfacefixtures.h"

#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;
using Flag = QNetworkInterface::InterfaceFlag;

namespace {
/// An interface with these addresses (no prefix or broadcast: sharing does not look at them).
NetworkInterfaceInfo interface(const QString &name, const QStringList &ips,
                               QNetworkInterface::InterfaceFlags flags = LanTest::kLanFlags,
                               QNetworkInterface::InterfaceType type = QNetworkInterface::Ethernet)
{
    QList<QNetworkAddressEntry> entries;
    for (const QString &ip : ips)
        entries.append(LanTest::addressEntry(ip));
    return LanTest::makeInterface(name, 0, flags, entries, type);
}

NetworkInterfaceInfo lo() { return LanTest::loopbackInterfaceInfo(); }
} // namespace

class TestShareAddresses : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromInterfaces_data();
    void fromInterfaces();
    /*! An IPv6 scope id never ends up in a URL. */
    void scopeIdIsDropped();
};

void TestShareAddresses::fromInterfaces_data()
{
    QTest::addColumn<QList<NetworkInterfaceInfo>>("interfaces");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("home laptop: Wi-Fi IPv4 first, then IPv6, link-local and loopback left out")
        << QList{lo(), interface(u"wlp2s0"_s, {u"fe80::1c2:3ff:fe4:5"_s, u"2a01:db8:1::5"_s, u"192.168.1.23"_s,
                                               u"fd12:3456::3"_s},
                                 LanTest::kLanFlags, QNetworkInterface::Wifi)}
        << QStringList{u"http://192.168.1.23:7420/"_s, u"http://[2a01:db8:1::5]:7420/"_s,
                       u"http://[fd12:3456::3]:7420/"_s};
    QTest::newRow("Docker bridge after the real network even though both are private")
        << QList{lo(), interface(u"docker0"_s, {u"172.17.0.1"_s}), interface(u"eth0"_s, {u"10.0.0.5"_s}),
                 interface(u"virbr0"_s, {u"192.168.122.1"_s})}
        << QStringList{u"http://10.0.0.5:7420/"_s, u"http://172.17.0.1:7420/"_s, u"http://192.168.122.1:7420/"_s};
    QTest::newRow("private IPv4 before a CGNAT or public one, whatever the order")
        << QList{interface(u"tailscale0"_s, {u"100.101.1.2"_s}, LanTest::kLanFlags, QNetworkInterface::Unknown),
                 interface(u"eth0"_s, {u"203.0.113.9"_s}), interface(u"eth1"_s, {u"192.168.0.4"_s})}
        << QStringList{u"http://192.168.0.4:7420/"_s, u"http://100.101.1.2:7420/"_s, u"http://203.0.113.9:7420/"_s};
    QTest::newRow("link-local IPv4 (no DHCP) is offered, after the others")
        << QList{interface(u"eth0"_s, {u"169.254.10.20"_s}), interface(u"wlan0"_s, {u"2001:db8::7"_s})}
        << QStringList{u"http://169.254.10.20:7420/"_s, u"http://[2001:db8::7]:7420/"_s};
    QTest::newRow("interfaces that are down or not running are skipped")
        << QList{interface(u"eth0"_s, {u"192.168.1.5"_s}, QNetworkInterface::InterfaceFlags(Flag::IsUp)),
                 interface(u"wlan0"_s, {u"192.168.2.5"_s}, QNetworkInterface::InterfaceFlags(Flag::IsRunning)),
                 interface(u"wlan1"_s, {u"192.168.3.5"_s})}
        << QStringList{u"http://192.168.3.5:7420/"_s};
    QTest::newRow("the same address on two interfaces is listed once")
        << QList{interface(u"br0"_s, {u"192.168.1.5"_s}), interface(u"eth0"_s, {u"192.168.1.5"_s})}
        << QStringList{u"http://192.168.1.5:7420/"_s};
    QTest::newRow("no network at all") << QList{lo()} << QStringList{};
    QTest::newRow("nothing") << QList<NetworkInterfaceInfo>{} << QStringList{};
}

void TestShareAddresses::fromInterfaces()
{
    QFETCH(QList<NetworkInterfaceInfo>, interfaces);
    QFETCH(QStringList, expected);
    QStringList actual;
    for (const QUrl &url : ShareAddresses::fromInterfaces(interfaces, 7420))
        actual << url.toString();
    QCOMPARE(actual, expected);
    QCOMPARE(ShareAddresses::preferred(interfaces, 7420).toString(), expected.value(0));
}

void TestShareAddresses::scopeIdIsDropped()
{
    QHostAddress address(u"fd00::5"_s);
    address.setScopeId(u"eth0"_s);
    QCOMPARE(NetworkInterfaceInfo::httpUrl(address, 8000).toString(), u"http://[fd00::5]:8000/"_s);
    QCOMPARE(NetworkInterfaceInfo::httpUrl(QHostAddress(QHostAddress::LocalHost), 1).toString(), u"http://127.0.0.1:1/"_s);
}

QTEST_APPLESS_MAIN(TestShareAddresses)
#include "tst_shareaddresses.moc"
