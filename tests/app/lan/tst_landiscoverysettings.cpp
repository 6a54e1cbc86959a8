// Where announcements go on a given machine (a pure function of its interfaces), and the settings
// read from the environment.
#include "app/lan/interfacefixtures.h"
#include "app/lan/landiscoverysettings.h"

#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;
using Channel = LanDiscoverySettings::Channel;
using Channels = LanDiscoverySettings::Channels;
using Flag = QNetworkInterface::InterfaceFlag;

namespace {
using LanTest::addressEntry;
using LanTest::kLanFlags;
using LanTest::kUpRunning;
using LanTest::makeInterface;

NetworkInterfaceInfo lo() { return LanTest::loopbackInterfaceInfo(); }
NetworkInterfaceInfo eth0()
{
    return makeInterface(u"eth0"_s, 2, kLanFlags,
                         {addressEntry(u"192.168.1.5"_s, 24, u"192.168.1.255"_s), addressEntry(u"fe80::1"_s, 64)});
}
NetworkInterfaceInfo wlan0()
{
    return makeInterface(u"wlan0"_s, 3, kLanFlags, {addressEntry(u"10.0.0.7"_s, 8, u"10.255.255.255"_s)},
                         QNetworkInterface::Wifi);
}
} // namespace

class TestLanDiscoverySettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void routes_data();
    /*! Broadcast to each IPv4 interface's broadcast address once; the group on multicast-capable
     *  interfaces; loopback only when asked; nothing on interfaces that are down or IPv6-only. */
    void routes();
    void parseChannels_data();
    void parseChannels();
    /*! TERTULIA_LAN_PORT and TERTULIA_LAN_CHANNELS override the defaults; nonsense keeps them. */
    void fromEnvironment();
};

void TestLanDiscoverySettings::routes_data()
{
    QTest::addColumn<QList<NetworkInterfaceInfo>>("interfaces");
    QTest::addColumn<Channels>("channels");
    QTest::addColumn<QStringList>("broadcast");
    QTest::addColumn<QList<int>>("multicast");
    const Channels all = Channels(Channel::Broadcast) | Channel::Multicast | Channel::Loopback;

    QTest::newRow("laptop, every channel") << QList{lo(), eth0(), wlan0()} << all
                                           << QStringList{u"192.168.1.255"_s, u"10.255.255.255"_s} << QList{1, 2, 3};
    QTest::newRow("loopback only (tests)") << QList{lo(), eth0(), wlan0()} << Channels(Channel::Loopback)
                                           << QStringList{} << QList{1};
    QTest::newRow("broadcast only") << QList{lo(), eth0()} << Channels(Channel::Broadcast)
                                    << QStringList{u"192.168.1.255"_s} << QList<int>{};
    QTest::newRow("multicast only") << QList{lo(), eth0()} << Channels(Channel::Multicast) << QStringList{}
                                    << QList{2};
    QTest::newRow("discovery off") << QList{lo(), eth0()} << Channels() << QStringList{} << QList<int>{};

    NetworkInterfaceInfo down = eth0();
    down.flags = Flag::CanBroadcast | Flag::CanMulticast; // cable unplugged
    QTest::newRow("interface down") << QList{down, wlan0()} << all << QStringList{u"10.255.255.255"_s} << QList{3};

    NetworkInterfaceInfo v6only = makeInterface(u"eth1"_s, 4, kLanFlags, {addressEntry(u"2001:db8::5"_s, 64)});
    QTest::newRow("IPv6-only interface") << QList{v6only} << all << QStringList{} << QList<int>{};

    NetworkInterfaceInfo twoSubnets = makeInterface(
        u"eth0"_s, 2, kLanFlags,
        {addressEntry(u"192.168.1.5"_s, 24, u"192.168.1.255"_s), addressEntry(u"192.168.1.6"_s, 24, u"192.168.1.255"_s),
         addressEntry(u"172.16.0.2"_s, 16, u"172.16.255.255"_s)});
    QTest::newRow("two subnets on one interface, same broadcast once")
        << QList{twoSubnets} << all << QStringList{u"192.168.1.255"_s, u"172.16.255.255"_s} << QList{2};

    NetworkInterfaceInfo vpn = makeInterface(u"tun0"_s, 5, kUpRunning | Flag::IsPointToPoint | Flag::CanMulticast,
                                         {addressEntry(u"10.8.0.2"_s, 32)}, QNetworkInterface::Unknown);
    QTest::newRow("point-to-point VPN: no broadcast") << QList{vpn} << all << QStringList{} << QList{5};

    NetworkInterfaceInfo noMulticast = makeInterface(u"eth2"_s, 6, kUpRunning | Flag::CanBroadcast,
                                                 {addressEntry(u"192.168.50.2"_s, 24, u"192.168.50.255"_s)});
    QTest::newRow("no multicast flag") << QList{noMulticast} << all << QStringList{u"192.168.50.255"_s}
                                       << QList<int>{};
}

void TestLanDiscoverySettings::routes()
{
    QFETCH(QList<NetworkInterfaceInfo>, interfaces);
    QFETCH(Channels, channels);
    QFETCH(QStringList, broadcast);
    QFETCH(QList<int>, multicast);
    LanDiscoverySettings settings;
    settings.channels = channels;
    const auto routes = settings.routes(interfaces);
    QStringList actual;
    for (const QHostAddress &address : routes.broadcast)
        actual << address.toString();
    QCOMPARE(actual, broadcast);
    QCOMPARE(routes.multicastInterfaces, multicast);
}

void TestLanDiscoverySettings::parseChannels_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Channels>("expected");
    QTest::newRow("one") << u"loopback"_s << true << Channels(Channel::Loopback);
    QTest::newRow("several, spaces, case") << u" Broadcast , multicast"_s << true
                                           << (Channels(Channel::Broadcast) | Channel::Multicast);
    QTest::newRow("none") << u"none"_s << true << Channels();
    QTest::newRow("empty") << u""_s << false << Channels();
    QTest::newRow("unknown word") << u"loopback,bluetooth"_s << false << Channels();
}

void TestLanDiscoverySettings::parseChannels()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(Channels, expected);
    const auto parsed = LanDiscoverySettings::parseChannels(text);
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, expected);
}

void TestLanDiscoverySettings::fromEnvironment()
{
    qunsetenv("TERTULIA_LAN_PORT");
    qunsetenv("TERTULIA_LAN_CHANNELS");
    LanDiscoverySettings settings = LanDiscoverySettings::fromEnvironment();
    QCOMPARE(settings.port, quint16(7421));
    QCOMPARE(settings.group, QHostAddress(u"239.255.74.21"_s));
    QCOMPARE(settings.channels, Channels(Channel::Broadcast) | Channel::Multicast | Channel::Loopback);

    qputenv("TERTULIA_LAN_PORT", "40001");
    qputenv("TERTULIA_LAN_CHANNELS", "loopback");
    settings = LanDiscoverySettings::fromEnvironment();
    QCOMPARE(settings.port, quint16(40001));
    QCOMPARE(settings.channels, Channels(Channel::Loopback));

    qputenv("TERTULIA_LAN_PORT", "99999");
    qputenv("TERTULIA_LAN_CHANNELS", "carrier-pigeon");
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"TERTULIA_LAN_PORT"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"TERTULIA_LAN_CHANNELS"_s));
    settings = LanDiscoverySettings::fromEnvironment();
    QCOMPARE(settings.port, quint16(7421));
    QCOMPARE(settings.channels, Channels(Channel::Broadcast) | Channel::Multicast | Channel::Loopback);
    qunsetenv("TERTULIA_LAN_PORT");
    qunsetenv("TERTULIA_LAN_CHANNELS");
}

QTEST_APPLESS_MAIN(TestLanDiscoverySettings)
#include "tst_landiscoverysettings.moc"
