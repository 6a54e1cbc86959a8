// Discovery across a real link: two network namespaces joined by a veth pair, an announcer in one and
// a browser in the other (lanpeer processes started with `ip netns exec`). Broadcast and multicast
// datagrams really leave one interface and arrive on another. Needs permission to create network
// namespaces (root or CAP_SYS_ADMIN); skipped with the reason otherwise.
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtNetwork/QUdpSocket>
#include <QtTest/QTest>

#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
constexpr auto kAnnouncerAddress = "10.231.7.1";
constexpr auto kBrowserAddress = "10.231.7.2";

/// One lanpeer inside a namespace; remembers the last host list a browser printed.
class Peer
{
public:
    Peer(const QString &ip, const QString &netns, const QStringList &arguments)
    {
        m_process.setProgram(ip);
        m_process.setArguments(QStringList{u"netns"_s, u"exec"_s, netns, QStringLiteral(LANPEER_PATH)} + arguments);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            while (m_process.canReadLine()) {
                const QJsonObject line = QJsonDocument::fromJson(m_process.readLine()).object();
                if (line.contains("hosts"_L1)) {
                    m_hosts = line.value("hosts"_L1).toArray();
                    m_accepted = line.value("accepted"_L1).toInteger();
                    ++m_lines;
                }
            }
        });
        m_process.start();
    }
    ~Peer()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    bool waitStarted() { return m_process.waitForStarted(5000); }
    /// Clean stop: the peer sees EOF on stdin, says bye and exits.
    void closeInput() { m_process.closeWriteChannel(); }
    void kill() { m_process.kill(); }
    int lines() const { return m_lines; }
    /// Valid datagrams the browser has read.
    qint64 accepted() const { return m_accepted; }
    const QJsonArray &hosts() const { return m_hosts; }
    QProcess &process() { return m_process; }

private:
    QProcess m_process;
    QJsonArray m_hosts;
    qint64 m_accepted = 0;
    int m_lines = 0;
};
} // namespace

class TestLanNetns : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    /*! Directed broadcast from one namespace is heard in the other, with the sender's address;
     *  the bye removes it at once. */
    void broadcastCrossesTheLink();
    /*! The same with the multicast group (membership joined on the veth interface). */
    void multicastCrossesTheLink();
    /*! Heard on both channels every round, the host is still one entry with one address. */
    void bothChannelsMakeOneEntry();
    /*! A host killed without a bye disappears after ~3 missed announcements. */
    void killedHostExpires();

private:
    bool run(const QStringList &arguments, QString *error = nullptr);
    void crossTheLink(const QString &channels);
    std::unique_ptr<Peer> browse(const QString &channels);
    std::unique_ptr<Peer> announce(const QString &channels, int intervalMs, const QString &name);

    QString m_ip;
    QString m_nsA;
    QString m_nsB;
    quint16 m_port = 0;
    bool m_created = false;
};

bool TestLanNetns::run(const QStringList &arguments, QString *error)
{
    QProcess process;
    process.start(m_ip, arguments);
    const bool finished = process.waitForFinished(10000);
    const bool ok = finished && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    if (!ok && error)
        *error = u"`ip %1` failed: %2"_s.arg(arguments.join(u' '),
                                              QString::fromLocal8Bit(process.readAllStandardError()).trimmed());
    return ok;
}

void TestLanNetns::initTestCase()
{
    m_ip = QStandardPaths::findExecutable(u"ip"_s);
    if (m_ip.isEmpty())
        m_ip = QStandardPaths::findExecutable(u"ip"_s, {u"/usr/sbin"_s, u"/sbin"_s});
    if (m_ip.isEmpty())
        QSKIP("the `ip` command (iproute2) is not installed: network namespace test skipped");
    const QString suffix = QString::number(QCoreApplication::applicationPid());
    m_nsA = u"tertulia-lan-a-"_s + suffix;
    m_nsB = u"tertulia-lan-b-"_s + suffix;
    QString error;
    if (!run({u"netns"_s, u"add"_s, m_nsA}, &error))
        QSKIP(qPrintable(u"creating network namespaces is not permitted here (needs root or CAP_SYS_ADMIN), "
                         u"so discovery across a real link is not tested: "_s
                         + error));
    m_created = true;
    QVERIFY2(run({u"netns"_s, u"add"_s, m_nsB}, &error), qPrintable(error));
    // A veth pair: vA in namespace A, vB in namespace B, one /24 with a broadcast address.
    QVERIFY2(run({u"link"_s, u"add"_s, u"vA"_s, u"netns"_s, m_nsA, u"type"_s, u"veth"_s, u"peer"_s, u"name"_s,
                  u"vB"_s, u"netns"_s, m_nsB},
                 &error),
             qPrintable(error));
    QVERIFY2(run({u"-n"_s, m_nsA, u"addr"_s, u"add"_s, QString::fromLatin1(kAnnouncerAddress) + u"/24"_s, u"brd"_s,
                  u"+"_s, u"dev"_s, u"vA"_s},
                 &error),
             qPrintable(error));
    QVERIFY2(run({u"-n"_s, m_nsB, u"addr"_s, u"add"_s, QString::fromLatin1(kBrowserAddress) + u"/24"_s, u"brd"_s,
                  u"+"_s, u"dev"_s, u"vB"_s},
                 &error),
             qPrintable(error));
    for (const QString &ns : {m_nsA, m_nsB}) {
        QVERIFY2(run({u"-n"_s, ns, u"link"_s, u"set"_s, u"lo"_s, u"up"_s}, &error), qPrintable(error));
        QVERIFY2(run({u"-n"_s, ns, u"link"_s, u"set"_s, ns == m_nsA ? u"vA"_s : u"vB"_s, u"up"_s}, &error),
                 qPrintable(error));
    }
    // The kernel reports a new link as running (IFF_RUNNING, operstate UP) up to a second after it
    // comes up; until then the peers would rightly skip it.
    for (const auto &[ns, device] : {std::pair{m_nsA, u"vA"_s}, std::pair{m_nsB, u"vB"_s}}) {
        const bool up = QTest::qWaitFor(
            [&] {
                QProcess show;
                show.start(m_ip, {u"-n"_s, ns, u"-o"_s, u"link"_s, u"show"_s, u"dev"_s, device});
                return show.waitForFinished(5000) && show.readAllStandardOutput().contains("state UP");
            },
            10000);
        QVERIFY2(up, qPrintable(device + u" did not come up"_s));
    }
    // Any port will do inside fresh namespaces; a free one here keeps the choice honest.
    QUdpSocket probe;
    QVERIFY(probe.bind(QHostAddress::AnyIPv4, 0));
    m_port = probe.localPort();
}

void TestLanNetns::cleanupTestCase()
{
    if (!m_created)
        return;
    run({u"netns"_s, u"del"_s, m_nsA}); // deleting a namespace deletes its end of the veth pair, and the pair
    run({u"netns"_s, u"del"_s, m_nsB});
}

std::unique_ptr<Peer> TestLanNetns::browse(const QString &channels)
{
    auto peer = std::make_unique<Peer>(m_ip, m_nsB, QStringList{u"browse"_s, QString::number(m_port), channels});
    if (!peer->waitStarted())
        return nullptr;
    // The first line says the browser is listening.
    if (!QTest::qWaitFor([&] { return peer->lines() >= 1; }, 10000))
        return nullptr;
    return peer;
}

std::unique_ptr<Peer> TestLanNetns::announce(const QString &channels, int intervalMs, const QString &name)
{
    auto peer = std::make_unique<Peer>(
        m_ip, m_nsA, QStringList{u"announce"_s, QString::number(m_port), channels, QString::number(intervalMs), name});
    return peer->waitStarted() ? std::move(peer) : nullptr;
}

void TestLanNetns::crossTheLink(const QString &channels)
{
    auto browser = browse(channels);
    QVERIFY(browser);
    // A long interval: only the bye can make the host disappear within the wait below.
    auto announcer = announce(channels, 10000, u"Across the veth"_s);
    QVERIFY(announcer);
    QTRY_COMPARE_WITH_TIMEOUT(browser->hosts().size(), 1, 10000);
    const QJsonObject host = browser->hosts().at(0).toObject();
    QCOMPARE(host.value("name"_L1).toString(), u"Across the veth"_s);
    QCOMPARE(host.value("address"_L1).toString(), QString::fromLatin1(kAnnouncerAddress));
    QCOMPARE(host.value("port"_L1).toInt(), 7420);

    announcer->closeInput();
    QTRY_COMPARE_WITH_TIMEOUT(browser->hosts().size(), 0, 3000);
    // It exits by itself after the bye (waitForFinished() would report false if it already has).
    QTRY_COMPARE_WITH_TIMEOUT(announcer->process().state(), QProcess::NotRunning, 5000);
    QCOMPARE(announcer->process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(announcer->process().exitCode(), 0);
}

void TestLanNetns::broadcastCrossesTheLink() { crossTheLink(u"broadcast"_s); }

void TestLanNetns::multicastCrossesTheLink() { crossTheLink(u"multicast"_s); }

void TestLanNetns::bothChannelsMakeOneEntry()
{
    const QString channels = u"broadcast,multicast"_s;
    auto browser = browse(channels);
    QVERIFY(browser);
    auto announcer = announce(channels, 100, u"Twice per round"_s);
    QVERIFY(announcer);
    QTRY_COMPARE_WITH_TIMEOUT(browser->hosts().size(), 1, 10000);
    // Five more rounds of two datagrams each arrive; the list never grows.
    const qint64 accepted = browser->accepted();
    QTRY_VERIFY_WITH_TIMEOUT(browser->accepted() >= accepted + 10, 5000);
    QCOMPARE(browser->hosts().size(), 1);
    QCOMPARE(browser->hosts().at(0).toObject().value("addresses"_L1).toArray(),
             QJsonArray{QString::fromLatin1(kAnnouncerAddress)});
}

void TestLanNetns::killedHostExpires()
{
    const QString channels = u"broadcast,multicast"_s;
    constexpr int kIntervalMs = 200;
    auto browser = browse(channels);
    QVERIFY(browser);
    auto announcer = announce(channels, kIntervalMs, u"About to crash"_s);
    QVERIFY(announcer);
    QTRY_COMPARE_WITH_TIMEOUT(browser->hosts().size(), 1, 10000);
    announcer->kill(); // SIGKILL: no bye
    QElapsedTimer timer;
    timer.start();
    QTRY_COMPARE_WITH_TIMEOUT(browser->hosts().size(), 0, 5000);
    // The last announcement was heard at most one interval before the kill, so expiry (3.5 intervals)
    // comes at least 2.5 intervals after it.
    QVERIFY2(timer.elapsed() >= 5 * kIntervalMs / 2, QByteArray::number(timer.elapsed()).constData());
    qInfo("a killed host left the list %lld ms after the kill (interval %d ms)", timer.elapsed(), kIntervalMs);
}

QTEST_GUILESS_MAIN(TestLanNetns)
#include "tst_lannetns.moc"
