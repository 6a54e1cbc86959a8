// A LAN discovery peer in its own process, for tst_lannetns, which starts it inside a network
// namespace with `ip netns exec`:
//   lanpeer announce <port> <channels> <intervalMs> <name>   announces until stdin closes (then says bye)
//   lanpeer browse <port> <channels>                         prints {"hosts":[…],"accepted":n} on every
//                                                            change and every 100 ms
#include "app/lan/lanannouncer.h"
#include "app/lan/lanbrowser.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>

#include <cstdio>
#include <unistd.h>

using namespace Tertulia;
using namespace Qt::StringLiterals;

namespace {
void printHosts(const LanBrowser &browser)
{
    const QList<DiscoveredHost> hosts = browser.hosts();
    QJsonArray list;
    for (const DiscoveredHost &host : hosts) {
        QJsonArray addresses;
        for (const QHostAddress &address : host.addresses)
            addresses.append(address.toString());
        list.append(QJsonObject{{"name"_L1, host.name}, {"address"_L1, host.address.toString()},
                                {"addresses"_L1, addresses}, {"port"_L1, host.port}, {"users"_L1, host.users}});
    }
    const QJsonObject line{{"hosts"_L1, list}, {"accepted"_L1, browser.datagramsAccepted()}};
    std::fputs(QJsonDocument(line).toJson(QJsonDocument::Compact).append('\n').constData(), stdout);
    std::fflush(stdout);
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        std::fputs("usage: lanpeer announce PORT CHANNELS INTERVAL NAME | browse PORT CHANNELS\n", stderr);
        return 2;
    }
    LanDiscoverySettings settings;
    settings.port = quint16(args.at(2).toUInt());
    const auto channels = LanDiscoverySettings::parseChannels(args.at(3));
    if (!channels || settings.port == 0) {
        std::fputs("lanpeer: bad port or channels\n", stderr);
        return 2;
    }
    settings.channels = *channels;

    LanAnnouncer announcer;
    LanBrowser browser;
    if (args.at(1) == "announce"_L1 && args.size() == 6) {
        settings.intervalMs = args.at(4).toInt();
        announcer.setSettings(settings);
        if (!announcer.start(LanAnnouncement{args.at(5), 7420, u"0.1.0"_s, 1, false, QByteArray("peer-") + args.at(5).toUtf8()}))
            return 1;
    } else if (args.at(1) == "browse"_L1) {
        browser.setSettings(settings);
        QObject::connect(&browser, &LanBrowser::hostsChanged, &browser, [&browser] { printHosts(browser); });
        if (!browser.start()) {
            std::fprintf(stderr, "lanpeer: %s\n", qPrintable(browser.errorString()));
            return 1;
        }
        printHosts(browser); // the first line says "listening"
        // Also periodically, so the test can see datagrams arriving that change nothing.
        auto *ticker = new QTimer(&browser);
        QObject::connect(ticker, &QTimer::timeout, &browser, [&browser] { printHosts(browser); });
        ticker->start(100);
    } else {
        return 2;
    }

    // The test ends a peer by closing its stdin (a clean stop: bye) or by killing it (silence).
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &app, [&] {
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0) {
            input.setEnabled(false);
            announcer.stop();
            browser.stop();
            app.quit();
        }
    });
    return app.exec();
}
