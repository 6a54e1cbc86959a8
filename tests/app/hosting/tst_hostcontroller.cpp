// "Host a chat" for real: HostController runs the embedded server on a free port with its data in a
// temporary directory, over TLS with the chat's own certificate (the same one at every start), the host's
// tokens sign a real ChatClient in, a guest account joins from another ChatClient that pinned the
// certificate, the LAN hears about it with the fingerprint (discovery kept on the loopback interface), and
// stopping closes every connection with 1001 and frees the port.
#include "app/hosting/hostcontroller.h"
#include "app/hosting/shareaddresses.h"
#include "app/lan/lanannouncer.h"
#include "app/lan/lanbrowser.h"
#include "app/lan/lantestkit.h"
#include "app/net/certificatetrust.h"
#include "app/net/chatconnection.h"
#include "app/net/clock.h"
#include "app/session/chatclient.h"
#include "app/session/chatroom.h"
#include "app/session/connectionhealth.h"
#include "app/session/connectionmanager.h"
#include "app/storage/memorycredentialstore.h"
#include "shared/protocol/closecode.h"
#include "support/wsclient.h"

#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Tertulia;
using namespace Qt::StringLiterals;
using State = ConnectionManager::State;

namespace {
constexpr int kTimeoutMs = 20000;

quint16 freeTcpPort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::Any, 0))
        qFatal("cannot listen: %s", qPrintable(probe.errorString()));
    return probe.serverPort();
}

std::unique_ptr<ChatClient> makeClient(CredentialStore &store, const QString &dataDir)
{
    auto client = std::make_unique<ChatClient>(
        store, SystemClock::instance(), [] { return std::unique_ptr<Transport>(std::make_unique<ChatConnection>()); });
    client->setDataDirectory(dataDir);
    return client;
}

QUrl webSocketUrl(const QUrl &httpsUrl)
{
    QUrl url = httpsUrl;
    url.setScheme(u"wss"_s);
    url.setPath(u"/ws"_s);
    url.setFragment({});
    return url;
}

/// Trusts exactly the host's certificate (its subjectAltName has 127.0.0.1, so it validates as a CA would).
void trustHost(Test::WsClient &client, const HostController &host)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({host.certificate()});
    client.socket().setSslConfiguration(configuration);
}

/// A guest that got the certificate's fingerprint from the share card (a link or the QR code).
std::unique_ptr<ChatClient> makeGuest(CredentialStore &store, const QString &dataDir, const HostController &host)
{
    auto client = makeClient(store, dataDir);
    client->certificateTrust()->expect(host.localAddress(), host.fingerprint(), PinSource::Link);
    return client;
}
} // namespace

class TestHostController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    /*! The server starts on the chosen port, the host is signed in, and its tokens work both on a raw
     *  WebSocket and through ChatClient::signInWithTokens (rooms can be created). */
    void hostsAndSignsTheHostIn();
    /*! Guests count as online users; stop() closes every connection with 1001 (clients retry rather
     *  than give up), empties the share card and frees the port. */
    void stopClosesConnectionsCleanly();
    /*! A port in use fails in plain words naming the port; nothing is left running. */
    void portInUseFails();
    /*! An unusable host name fails before anything starts. */
    void invalidHostUserFails();
    /*! Port 0 picks a free port; stopping while starting never lets a late start through; the same
     *  data directory can be hosted again and the host's account is still there. */
    void anyPortStopWhileStartingAndRestart();
    /*! While hosting, the LAN hears the name, port and user count; stopping says bye. */
    void announcesWhileHosting();
    /*! The share card lists this machine's own addresses with the port, best first, as https:// links
     *  that carry the certificate's fingerprint. */
    void shareAddressesComeFromThisMachine();
    /*! The chat serves TLS with its own certificate, made on the first start and the same at the next
     *  (in the data folder, key 0600); plain http:// gets a redirect, unless the host turned the
     *  unencrypted option on. */
    void servesTlsWithItsOwnCertificate();

private:
    HostOptions options(quint16 port) const;
    bool startHost(HostController &host, const HostOptions &options, Protocol::TokenPair *tokens = nullptr);

    std::unique_ptr<QTemporaryDir> m_dir;
    LanDiscoverySettings m_lan;
    MemoryCredentialStore m_store;
};

void TestHostController::initTestCase() { QStandardPaths::setTestModeEnabled(true); }

void TestHostController::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_lan = LanTest::loopbackSettings(LanTest::freeUdpPort(), 200);
    m_store = MemoryCredentialStore();
}

void TestHostController::cleanup() { m_dir.reset(); }

HostOptions TestHostController::options(quint16 port) const
{
    HostOptions options;
    options.port = port;
    options.dataDir = m_dir->filePath(u"hosted"_s);
    options.serverName = u"Ana's kitchen"_s;
    options.hostUser = u"ana"_s;
    return options;
}

bool TestHostController::startHost(HostController &host, const HostOptions &options, Protocol::TokenPair *tokens)
{
    host.setDiscoverySettings(m_lan);
    QSignalSpy started(&host, &HostController::started);
    QSignalSpy failed(&host, &HostController::failed);
    host.start(options);
    if (!QTest::qWaitFor([&] { return !started.isEmpty() || !failed.isEmpty(); }, kTimeoutMs)) {
        qWarning("hosting neither started nor failed");
        return false;
    }
    if (!failed.isEmpty()) {
        qWarning() << "hosting failed:" << failed.first().first().toString();
        return false;
    }
    if (tokens)
        *tokens = started.first().at(1).value<Protocol::TokenPair>();
    return started.first().at(0).toUrl() == host.localUrl();
}

void TestHostController::hostsAndSignsTheHostIn()
{
    const quint16 port = freeTcpPort();
    HostController host;
    QCOMPARE(host.state(), HostController::State::Stopped);
    Protocol::TokenPair tokens;
    QVERIFY(startHost(host, options(port), &tokens));
    QVERIFY(host.isRunning());
    QCOMPARE(host.port(), port);
    QCOMPARE(host.localUrl(), QUrl(u"https://127.0.0.1:%1/"_s.arg(port)));
    QCOMPARE(host.localAddress().id(), u"https://127.0.0.1:%1"_s.arg(port));
    QCOMPARE(host.hostUser(), u"ana"_s);
    QCOMPARE(host.serverName(), u"Ana's kitchen"_s);
    QVERIFY(!tokens.accessToken.isEmpty());
    QVERIFY(!tokens.refreshToken.isEmpty());
    QVERIFY(tokens.expiresIn > 0);
    QVERIFY(QFile::exists(m_dir->filePath(u"hosted/tertulia.db"_s)));

    // The access token opens a session on the server as it is.
    Test::WsClient raw;
    trustHost(raw, host);
    QVERIFY(raw.openAndAuth(webSocketUrl(host.localUrl()), tokens.accessToken));
    QTRY_COMPARE(host.onlineUsers(), 1);

    // And the app's own client adopts the pair.
    const auto address = ServerAddress::parse(host.localUrl().toString());
    QVERIFY(address);
    QCOMPARE(*address, host.localAddress());
    auto client = makeClient(m_store, m_dir->filePath(u"ana-client"_s));
    client->certificateTrust()->expect(*address, host.fingerprint(), PinSource::OwnHost);
    QSignalSpy signedIn(client.get(), &ChatClient::signedIn);
    client->signInWithTokens(*address, host.hostUser(), tokens, true);
    QTRY_COMPARE_WITH_TIMEOUT(client->connection()->state(), State::Connected, kTimeoutMs);
    QCOMPARE(signedIn.size(), 1);
    QCOMPARE(client->user(), u"ana"_s);
    std::optional<std::optional<Protocol::Error>> created;
    client->createRoom(u"general"_s, false, this, [&](const auto &error) { created = error; });
    QTRY_VERIFY_WITH_TIMEOUT(created.has_value(), kTimeoutMs);
    QVERIFY2(!*created, qPrintable(Protocol::describe(**created)));
    // Remembered: the refresh token went to the credential store, as for a password sign-in.
    QTRY_VERIFY(client->isRemembered());
    QCOMPARE(client->health()->serverInfo().name, u"Ana's kitchen"_s);
    QCOMPARE(client->health()->tls().verification, TlsInfo::Verification::Pinned);
    QCOMPARE(client->health()->tls().pinSource, PinSource::OwnHost);
    QCOMPARE(client->health()->tls().fingerprint, host.fingerprint());
}

void TestHostController::stopClosesConnectionsCleanly()
{
    const quint16 port = freeTcpPort();
    HostController host;
    Protocol::TokenPair tokens;
    QVERIFY(startHost(host, options(port), &tokens));
    QSignalSpy users(&host, &HostController::onlineUsersChanged);

    auto anaClient = makeGuest(m_store, m_dir->filePath(u"ana-client"_s), host);
    anaClient->signInWithTokens(host.localAddress(), u"ana"_s, tokens, false);
    auto guest = makeGuest(m_store, m_dir->filePath(u"guest-client"_s), host);
    guest->createAccount(host.localAddress(), u"bob"_s, u"password123"_s, false);
    Test::WsClient raw;
    trustHost(raw, host);
    QVERIFY(raw.openAndAuth(webSocketUrl(host.localUrl()), tokens.accessToken));
    QTRY_COMPARE_WITH_TIMEOUT(anaClient->connection()->state(), State::Connected, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(guest->connection()->state(), State::Connected, kTimeoutMs);
    QTRY_COMPARE(host.onlineUsers(), 2); // ana (twice) and bob: what the stop warning counts
    QTRY_COMPARE(users.last().first().toInt(), 2);

    QSignalSpy stopped(&host, &HostController::stopped);
    host.stop();
    QCOMPARE(stopped.size(), 1);
    QVERIFY(!host.isRunning());
    QCOMPARE(host.onlineUsers(), 0);
    QCOMPARE(users.last().first().toInt(), 0);
    QVERIFY(host.shareAddresses().isEmpty());
    QVERIFY(host.preferredAddress().isEmpty());
    QVERIFY(host.localUrl().isEmpty());
    QCOMPARE(host.port(), quint16(0));

    QVERIFY(raw.waitForDisconnected());
    QCOMPARE(raw.closeCode(), int(Protocol::CloseCode::GoingAway));
    // 1001 is not final: both apps go on trying, ready for the host to come back.
    QTRY_COMPARE_WITH_TIMEOUT(anaClient->connection()->state(), State::Reconnecting, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(guest->connection()->state(), State::Reconnecting, kTimeoutMs);
    QCOMPARE(anaClient->connection()->lastDisconnect()->closeCode, int(Protocol::CloseCode::GoingAway));

    QTcpServer again;
    QVERIFY2(again.listen(QHostAddress::Any, port), qPrintable(again.errorString()));
    again.close();
    host.stop(); // a second stop does nothing
    QCOMPARE(stopped.size(), 1);
}

void TestHostController::portInUseFails()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::Any, 0));
    HostController host;
    host.setDiscoverySettings(m_lan);
    QSignalSpy failed(&host, &HostController::failed);
    QSignalSpy started(&host, &HostController::started);
    QSignalSpy stopped(&host, &HostController::stopped);
    host.start(options(squatter.serverPort()));
    QCOMPARE(failed.size(), 0); // always answered later, never from inside start()
    QVERIFY(failed.wait(kTimeoutMs));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QString::number(squatter.serverPort())), qPrintable(message));
    QVERIFY2(message.contains(u"already in use"_s), qPrintable(message));
    QCOMPARE(host.state(), HostController::State::Stopped);
    QCOMPARE(started.size(), 0);
    QCOMPARE(stopped.size(), 0);
    QVERIFY(!host.announcer()->isActive());
}

void TestHostController::invalidHostUserFails()
{
    HostController host;
    host.setDiscoverySettings(m_lan);
    QSignalSpy failed(&host, &HostController::failed);
    HostOptions bad = options(0);
    bad.hostUser = u"a b"_s;
    host.start(bad);
    QVERIFY(failed.wait(kTimeoutMs));
    QVERIFY2(failed.first().first().toString().contains(u"a b"_s), qPrintable(failed.first().first().toString()));
    QVERIFY(!host.isRunning());
    QVERIFY(!QFile::exists(m_dir->filePath(u"hosted"_s)));
}

void TestHostController::anyPortStopWhileStartingAndRestart()
{
    HostController host;
    host.setDiscoverySettings(m_lan);
    QSignalSpy started(&host, &HostController::started);
    QSignalSpy stopped(&host, &HostController::stopped);

    // Stopped before it could answer: the first start must never be reported.
    host.start(options(0));
    QVERIFY(host.isStarting());
    host.stop();
    QCOMPARE(stopped.size(), 1);
    QCOMPARE(host.state(), HostController::State::Stopped);

    Protocol::TokenPair first;
    QVERIFY(startHost(host, options(0), &first));
    QCOMPARE(started.size(), 1);
    const quint16 port = host.port();
    QVERIFY(port != 0);
    Test::WsClient raw;
    trustHost(raw, host);
    QVERIFY(raw.openAndAuth(webSocketUrl(host.localUrl()), first.accessToken));
    const CertificateFingerprint fingerprint = host.fingerprint();
    host.stop();
    QVERIFY(raw.waitForDisconnected());

    // Same data, same port: the host's account and its earlier tokens' signing key are still there.
    Protocol::TokenPair second;
    QVERIFY(startHost(host, options(port), &second));
    QCOMPARE(started.size(), 2);
    QCOMPARE(host.port(), port);
    QCOMPARE(host.fingerprint(), fingerprint); // the same certificate: every pin still holds
    Test::WsClient again;
    trustHost(again, host);
    QVERIFY(again.openAndAuth(webSocketUrl(host.localUrl()), first.accessToken));
    Test::WsClient fresh;
    trustHost(fresh, host);
    QVERIFY(fresh.openAndAuth(webSocketUrl(host.localUrl()), second.accessToken));
}

void TestHostController::announcesWhileHosting()
{
    LanBrowser browser;
    browser.setSettings(m_lan);
    QVERIFY(browser.start());
    HostController host;
    Protocol::TokenPair tokens;
    HostOptions withPage = options(freeTcpPort());
    withPage.webPage = true;
    QVERIFY(startHost(host, withPage, &tokens));
    QVERIFY(host.announcer()->isActive());

    QTRY_COMPARE(browser.hosts().size(), 1);
    DiscoveredHost heard = browser.hosts().constFirst();
    QCOMPARE(heard.name, u"Ana's kitchen"_s);
    QCOMPARE(heard.port, host.port());
    QCOMPARE(heard.users, 0);
    QCOMPARE(heard.webPage, true);
    QCOMPARE(heard.version, QStringLiteral(TERTULIA_VERSION));
    QCOMPARE(heard.instanceId, host.instanceId());
    QCOMPARE(heard.serverAddress(), host.localAddress()); // heard on loopback here
    QCOMPARE(heard.fingerprint, host.fingerprint());
    QVERIFY(!heard.fingerprintConflict);
    QCOMPARE(heard.link().fingerprint, host.fingerprint());

    // Someone who picks it from the list connects with the announced certificate pinned.
    auto picker = makeClient(m_store, m_dir->filePath(u"picker"_s));
    picker->certificateTrust()->expect(heard.serverAddress(), *heard.link().fingerprint, PinSource::Discovery);
    picker->createAccount(heard.serverAddress(), u"carol"_s, u"password123"_s, false);
    QTRY_COMPARE_WITH_TIMEOUT(picker->connection()->state(), State::Connected, kTimeoutMs);
    QCOMPARE(picker->certificateTrust()->pin(heard.serverAddress())->source, PinSource::Discovery);
    picker.reset();

    Test::WsClient raw;
    trustHost(raw, host);
    QVERIFY(raw.openAndAuth(webSocketUrl(host.localUrl()), tokens.accessToken));
    QTRY_COMPARE(browser.hosts().constFirst().users, 1);

    // The app can hide its own host from its own list.
    browser.setIgnoredInstanceId(host.instanceId());
    QCOMPARE(browser.hosts().size(), 0);
    browser.setIgnoredInstanceId({});
    QTRY_COMPARE(browser.hosts().size(), 1);

    host.stop();
    QVERIFY(!host.announcer()->isActive());
    QTRY_COMPARE_WITH_TIMEOUT(browser.hosts().size(), 0, 500); // the bye, well before expiry (700 ms)
}

void TestHostController::shareAddressesComeFromThisMachine()
{
    HostController host;
    QVERIFY(startHost(host, options(freeTcpPort())));
    const QList<QUrl> addresses = host.shareAddresses();
    const QList<QUrl> plain = ShareAddresses::fromInterfaces(NetworkInterfaceInfo::fromSystem(), host.port());
    QCOMPARE(addresses.size(), plain.size());
    QCOMPARE(host.preferredAddress(), addresses.value(0));
    for (qsizetype i = 0; i < addresses.size(); ++i) {
        const QUrl &url = addresses.at(i);
        QCOMPARE(url.scheme(), u"https"_s);
        QCOMPARE(url.host(), plain.at(i).host());
        QCOMPARE(url.port(), int(host.port()));
        QVERIFY2(!QHostAddress(url.host()).isLoopback(), qPrintable(url.toString()));
        const auto link = ServerLink::parse(url.toString());
        QVERIFY(link.has_value());
        QVERIFY(link->address.isSecure());
        QCOMPARE(link->fingerprint, host.fingerprint());
    }
    QVERIFY(host.plainAddresses().isEmpty()); // the unencrypted option is off
    qInfo() << "this machine would share" << addresses;
}

void TestHostController::servesTlsWithItsOwnCertificate()
{
    const quint16 port = freeTcpPort();
    HostOptions hostOptions = options(port);
    {
        HostController host;
        QVERIFY(startHost(host, hostOptions));
        QVERIFY(!host.fingerprint().isNull());
        const QString keyFile = m_dir->filePath(u"hosted/host.key"_s);
        QVERIFY(QFile::exists(m_dir->filePath(u"hosted/host.crt"_s)));
        QCOMPARE(QFile::permissions(keyFile) & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());

        // Plain http:// to the port: a redirect to the same place on https://, nothing else.
        QTcpSocket plain;
        plain.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(plain.waitForConnected(kTimeoutMs));
        plain.write("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n\r\n");
        QSignalSpy closed(&plain, &QTcpSocket::disconnected);
        QVERIFY(closed.wait(kTimeoutMs));
        const QByteArray answer = plain.readAll();
        QVERIFY2(answer.startsWith("HTTP/1.1 301"), answer.constData());
        QVERIFY(answer.contains("Location: https://127.0.0.1:" + QByteArray::number(port) + "/\r\n"));
        hostOptions.port = port;
        const CertificateFingerprint first = host.fingerprint();
        host.stop();

        // The unencrypted option: http:// is served too (same port), and listed separately.
        hostOptions.allowPlainHttp = true;
        HostController again;
        QVERIFY(startHost(again, hostOptions));
        QCOMPARE(again.fingerprint(), first);
        QTcpSocket served;
        served.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(served.waitForConnected(kTimeoutMs));
        served.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        QSignalSpy servedClosed(&served, &QTcpSocket::disconnected);
        QVERIFY(servedClosed.wait(kTimeoutMs));
        QVERIFY(served.readAll().startsWith("HTTP/1.1 200"));
        QCOMPARE(again.plainAddresses(), ShareAddresses::fromInterfaces(NetworkInterfaceInfo::fromSystem(), port));
    }
}

QTEST_GUILESS_MAIN(TestHostController)
#include "tst_hostcontroller.moc"
