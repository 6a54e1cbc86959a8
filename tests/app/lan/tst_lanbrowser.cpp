// Announcer → browser over real UDP sockets, kept on the loopback interface (a free port, multicast
// on lo): discovery, prompt updates, bye, expiry after silence, one entry per host, several browsers
// on one port, and hostile datagrams.
#include "app/lan/lanannouncer.h"
#include "app/lan/lanbrowser.h"
#include "app/lan/lantestkit.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::LanTest;
using namespace Qt::StringLiterals;

namespace {
LanAnnouncement anaChat()
{
    return LanAnnouncement{u"Ana's chat"_s, 7420, u"0.1.0"_s, 2, true, QByteArray("ana-instance-0001")};
}
} // namespace

class TestLanBrowser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    /*! A running announcer is listed with its name, port, version, users and the sender's address. */
    void findsAnAnnouncer();
    /*! A change in the user count reaches the list long before the next regular announcement. */
    void userCountFollowsPromptly();
    /*! stop() says bye: the host leaves the list at once, not after the expiry time. */
    void byeRemovesAtOnce();
    /*! A host that goes silent without a bye is dropped after ~3 missed announcements, not before. */
    void silentHostExpires();
    /*! The same host heard from two addresses is one entry; the silent address is dropped later. */
    void oneEntryPerInstance();
    /*! The certificate fingerprint is listed and turns the host's URL into an https:// link with it; an
     *  instance heard with two different fingerprints (one may be forged: datagrams are not signed) keeps
     *  no pre-verified fingerprint, so picking it asks the person. */
    void fingerprintAndConflict();
    /*! Two browsers on one machine share the port and both see the host. */
    void browsersShareThePort();
    /*! Garbage, other programs' datagrams and oversized ones are counted and ignored. */
    void hostileDatagramsAreIgnored();
    /*! A flood of invented hosts stops at kMaxHosts. */
    void floodIsCapped();
    /*! An ignored instance (our own host) is never listed; stop() empties the list. */
    void ignoredInstanceAndStop();
    /*! Discovery switched off: the browser starts, listens to nothing, reports no error. */
    void discoveryOff();

private:
    /// Starts both with m_settings; true once the browser lists the announcer.
    bool startAndMeet(LanBrowser &browser, LanAnnouncer &announcer);

    LanDiscoverySettings m_settings;
};

bool TestLanBrowser::startAndMeet(LanBrowser &browser, LanAnnouncer &announcer)
{
    browser.setSettings(m_settings);
    announcer.setSettings(m_settings);
    return browser.start() && announcer.start(anaChat())
        && QTest::qWaitFor([&] { return browser.hosts().size() == 1; }, 5000);
}

void TestLanBrowser::init() { m_settings = loopbackSettings(freeUdpPort()); }

void TestLanBrowser::findsAnAnnouncer()
{
    LanBrowser browser;
    browser.setSettings(m_settings);
    QVERIFY2(browser.start(), qPrintable(browser.errorString()));
    QSignalSpy changed(&browser, &LanBrowser::hostsChanged);
    LanAnnouncer announcer;
    announcer.setSettings(m_settings);
    QVERIFY(announcer.start(anaChat()));

    QTRY_COMPARE(browser.hosts().size(), 1);
    const DiscoveredHost host = browser.hosts().constFirst();
    QCOMPARE(host.instanceId, QByteArray("ana-instance-0001"));
    QCOMPARE(host.name, u"Ana's chat"_s);
    QCOMPARE(host.port, quint16(7420));
    QCOMPARE(host.version, u"0.1.0"_s);
    QCOMPARE(host.users, 2);
    QCOMPARE(host.webPage, true);
    QCOMPARE(host.address, QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(host.url(), QUrl(u"http://127.0.0.1:7420/"_s));
    QCOMPARE(host.serverAddress().id(), u"127.0.0.1:7420"_s);
    QVERIFY(host.lastSeen.isValid());
    QCOMPARE(changed.size(), 1);

    // Regular announcements of an unchanged host refresh it silently.
    const qint64 before = browser.datagramsAccepted();
    QTRY_VERIFY(browser.datagramsAccepted() >= before + 3);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(browser.hosts().size(), 1);
    QCOMPARE(browser.datagramsRejected(), 0);
}

void TestLanBrowser::userCountFollowsPromptly()
{
    m_settings.intervalMs = 10000; // only the prompt update can arrive within the wait below
    LanBrowser browser;
    LanAnnouncer announcer;
    QVERIFY(startAndMeet(browser, announcer));

    QElapsedTimer timer;
    timer.start();
    announcer.setOnlineUsers(5);
    announcer.setOnlineUsers(6); // coalesced into one datagram
    QTRY_COMPARE_WITH_TIMEOUT(browser.hosts().constFirst().users, 6, 2000);
    QVERIFY2(timer.elapsed() < 2000, QByteArray::number(timer.elapsed()).constData());
    QCOMPARE(browser.datagramsAccepted(), 2);
}

void TestLanBrowser::byeRemovesAtOnce()
{
    m_settings.intervalMs = 10000; // expiry would take 35 s
    LanBrowser browser;
    LanAnnouncer announcer;
    QVERIFY(startAndMeet(browser, announcer));

    announcer.stop();
    QVERIFY(!announcer.isActive());
    QTRY_COMPARE_WITH_TIMEOUT(browser.hosts().size(), 0, 2000);
}

void TestLanBrowser::silentHostExpires()
{
    LanBrowser browser;
    browser.setSettings(m_settings);
    QVERIFY(browser.start());
    RawSender sender(m_settings);
    constexpr int kIntervalMs = 200;
    QElapsedTimer timer;
    QVERIFY(sender.announce("quiet", u"Quiet host"_s, 0, kIntervalMs));
    timer.start();
    QTRY_COMPARE(browser.hosts().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(browser.hosts().size(), 0, 5000);
    // Not before three missed announcements (3.5 intervals after it was heard).
    QVERIFY2(timer.elapsed() >= LanBrowser::kMissedAnnouncements * kIntervalMs,
             QByteArray::number(timer.elapsed()).constData());
}

void TestLanBrowser::oneEntryPerInstance()
{
    LanBrowser browser;
    browser.setSettings(m_settings);
    QVERIFY(browser.start());
    RawSender first(m_settings, QHostAddress(u"127.0.0.1"_s));
    RawSender second(m_settings, QHostAddress(u"127.0.0.2"_s));
    QVERIFY(second.announce("same", u"Two-legged host"_s, 1, 300));
    QTRY_COMPARE(browser.hosts().size(), 1);
    QVERIFY(first.announce("same", u"Two-legged host"_s, 1, 300));
    QTRY_COMPARE(browser.hosts().constFirst().addresses.size(), 2);
    QCOMPARE(browser.hosts().size(), 1);
    QCOMPARE(browser.hosts().constFirst().addresses,
             (QList{QHostAddress(u"127.0.0.2"_s), QHostAddress(u"127.0.0.1"_s)})); // same rank: first heard first
    QCOMPARE(browser.hosts().constFirst().address, QHostAddress(u"127.0.0.2"_s));

    // Only 127.0.0.1 keeps announcing: the other address expires, the host stays.
    QTimer keepAnnouncing;
    connect(&keepAnnouncing, &QTimer::timeout, this, [&] { first.announce("same", u"Two-legged host"_s, 1, 300); });
    keepAnnouncing.start(100);
    QTRY_COMPARE_WITH_TIMEOUT(browser.hosts().value(0).addresses.size(), 1, 5000);
    QCOMPARE(browser.hosts().size(), 1);
    QCOMPARE(browser.hosts().constFirst().addresses, QList{QHostAddress(u"127.0.0.1"_s)});
    QCOMPARE(browser.hosts().constFirst().address, QHostAddress(u"127.0.0.1"_s));
}

void TestLanBrowser::fingerprintAndConflict()
{
    LanBrowser browser;
    browser.setSettings(m_settings);
    QVERIFY(browser.start());
    RawSender sender(m_settings);
    const auto real = CertificateFingerprint::fromBytes(QByteArray(32, '\x11'));
    const auto other = CertificateFingerprint::fromBytes(QByteArray(32, '\x22'));
    QVERIFY(sender.announce("secure", u"Casa"_s, 0, 300, 7420, real));
    QTRY_COMPARE(browser.hosts().size(), 1);
    DiscoveredHost host = browser.hosts().constFirst();
    QCOMPARE(host.fingerprint, real);
    QVERIFY(!host.fingerprintConflict);
    QCOMPARE(host.url(), QUrl(u"https://127.0.0.1:7420/#sha256="_s + real.toBase64Url()));
    QCOMPARE(ServerLink::parse(host.url().toString())->fingerprint, real);
    QCOMPARE(host.link().fingerprint, real);

    QVERIFY(sender.announce("secure", u"Casa"_s, 0, 300, 7420, other));
    QTRY_VERIFY(browser.hosts().constFirst().fingerprintConflict);
    host = browser.hosts().constFirst();
    QVERIFY(!host.link().fingerprint);
    QVERIFY(host.link().address.isSecure());
    QVERIFY(!ServerLink::parse(host.url().toString())->fingerprint); // the Server field gets no fingerprint
    // Announcing the first one again does not clear the doubt.
    const qint64 accepted = browser.datagramsAccepted();
    QVERIFY(sender.announce("secure", u"Casa"_s, 0, 300, 7420, real));
    QTRY_VERIFY(browser.datagramsAccepted() > accepted);
    QVERIFY(browser.hosts().constFirst().fingerprintConflict);

    // A host without TLS (an older version): http:// as before.
    QVERIFY(sender.announce("plain", u"Old"_s, 0, 300, 7421));
    QTRY_COMPARE(browser.hosts().size(), 2);
    QCOMPARE(browser.hosts().at(1).url(), QUrl(u"http://127.0.0.1:7421/"_s));
    QVERIFY(!browser.hosts().at(1).serverAddress().isSecure());
}

void TestLanBrowser::browsersShareThePort()
{
    LanBrowser one, two;
    one.setSettings(m_settings);
    two.setSettings(m_settings);
    QVERIFY2(one.start(), qPrintable(one.errorString()));
    QVERIFY2(two.start(), qPrintable(two.errorString()));
    LanAnnouncer announcer;
    announcer.setSettings(m_settings);
    QVERIFY(announcer.start(anaChat()));
    QTRY_COMPARE(one.hosts().size(), 1);
    QTRY_COMPARE(two.hosts().size(), 1);
    QCOMPARE(one.hosts().constFirst().instanceId, two.hosts().constFirst().instanceId);
}

void TestLanBrowser::hostileDatagramsAreIgnored()
{
    LanBrowser browser;
    browser.setSettings(m_settings);
    QVERIFY(browser.start());
    RawSender sender(m_settings);
    const QList<QByteArray> hostile{
        QByteArray("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n"),
        QByteArray::fromHex("deadbeef00ff"),
        QByteArray(4000, 'A'), // over the cap: dropped unread
        QByteArray(R"({"proto":"tertulia-lan","v":1,"type":"announce","id":"AAEC","port":0})"),
        QByteArray(R"({"proto":"tertulia-lan","v":2,"type":"announce","id":"AAEC","port":7420})"),
        QByteArray(R"({"proto":"tertulia-lan","v":1,"type":"announce","id":"../..","port":7420})"),
        QByteArray(R"([{"proto":"tertulia-lan"}])"),
        QByteArray(1000, '['),
        QByteArray(),
    };
    for (const QByteArray &datagram : hostile)
        QVERIFY(sender.send(datagram));
    QVERIFY(sender.announce("good", u"Good host"_s));
    QTRY_COMPARE(browser.datagramsAccepted(), 1);
    QTRY_COMPARE(browser.datagramsRejected(), hostile.size());
    QCOMPARE(browser.hosts().size(), 1);
    QCOMPARE(browser.hosts().constFirst().name, u"Good host"_s);
}

void TestLanBrowser::floodIsCapped()
{
    m_settings.intervalMs = 10000;
    LanBrowser browser;
    browser.setSettings(m_settings);
    QVERIFY(browser.start());
    RawSender sender(m_settings);
    constexpr int kTotal = LanBrowser::kMaxHosts + 72;
    // In batches, each read before the next, so the socket's receive buffer never overflows.
    for (int sent = 0; sent < kTotal;) {
        for (int i = 0; i < 25 && sent < kTotal; ++i, ++sent)
            QVERIFY(sender.announce("flood-" + QByteArray::number(sent), u"Flood %1"_s.arg(sent), 0, 10000));
        QTRY_COMPARE(browser.datagramsAccepted(), sent);
    }
    QCOMPARE(browser.hosts().size(), LanBrowser::kMaxHosts);
    QCOMPARE(browser.hosts().constLast().name, u"Flood %1"_s.arg(LanBrowser::kMaxHosts - 1));
    QCOMPARE(browser.datagramsRejected(), kTotal - LanBrowser::kMaxHosts);
    // Known hosts still update.
    QVERIFY(sender.announce("flood-0", u"Renamed"_s, 7, 10000));
    QTRY_COMPARE(browser.hosts().constFirst().name, u"Renamed"_s);
}

void TestLanBrowser::ignoredInstanceAndStop()
{
    LanBrowser browser;
    browser.setSettings(m_settings);
    QVERIFY(browser.start());
    RawSender sender(m_settings);
    QVERIFY(sender.announce("ours", u"Our own host"_s, 0, 10000));
    QVERIFY(sender.announce("theirs", u"Their host"_s, 0, 10000));
    QTRY_COMPARE(browser.hosts().size(), 2);
    QSignalSpy changed(&browser, &LanBrowser::hostsChanged);
    browser.setIgnoredInstanceId("ours");
    QCOMPARE(changed.size(), 1);
    QCOMPARE(browser.hosts().size(), 1);
    QVERIFY(sender.announce("ours", u"Our own host"_s, 0, 10000));
    QVERIFY(sender.announce("theirs", u"Their host, renamed"_s, 0, 10000));
    QTRY_COMPARE(browser.hosts().constFirst().name, u"Their host, renamed"_s);
    QCOMPARE(browser.hosts().size(), 1);

    browser.stop();
    QVERIFY(!browser.isActive());
    QCOMPARE(browser.hosts().size(), 0);
    QCOMPARE(changed.size(), 3);
}

void TestLanBrowser::discoveryOff()
{
    m_settings.channels = {};
    LanBrowser browser;
    browser.setSettings(m_settings);
    QVERIFY(browser.start());
    QVERIFY(!browser.isActive());
    QVERIFY(browser.errorString().isEmpty());
    LanAnnouncer announcer;
    announcer.setSettings(m_settings);
    QVERIFY(announcer.start(anaChat()));
    QVERIFY(!announcer.isActive());
    QCOMPARE(announcer.datagramsSent(), 0);
}

QTEST_GUILESS_MAIN(TestLanBrowser)
#include "tst_lanbrowser.moc"
