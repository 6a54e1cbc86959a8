// Pinned certificates against real servers over real TLS: trust on first use, fingerprints that came
// from a link or the LAN, a certificate authority, and above all a server whose certificate changed.
// For the last, a TLS relay (tests/app/support/tlsrelay.h) sits in front of a real ChatServer and keeps
// every byte clients send it, as the server receives them: after the change it must have received
// nothing at all, on each way a token or password could leave (HTTP login, HTTP refresh, the WebSocket
// upgrade's Authorization header, an `auth` frame). A real TLS ChatServer restarted with a new
// certificate shows the same from its own metrics.
#include "app/hosting/hostcertificate.h"
#include "app/net/certificatetrust.h"
#include "app/net/chatconnection.h"
#include "app/net/clock.h"
#include "app/session/chatclient.h"
#include "app/session/chatroom.h"
#include "app/session/connectionhealth.h"
#include "app/session/connectionmanager.h"
#include "app/storage/memorycredentialstore.h"
#include "support/testpki.h"
#include "support/testserver.h"
#include "support/tlsrelay.h"

#include <QtCore/QFile>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QSslConfiguration>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using State = ConnectionManager::State;
using Failure = ConnectionManager::Failure;
using Outcome = CertificateCheck::Outcome;

Q_DECLARE_METATYPE(Tertulia::AuthError)

namespace {
constexpr int kTimeoutMs = 20000;
const QString kPassword = u"password123"_s;

struct Pair
{
    QSslCertificate certificate;
    QSslKey key;
    QString certificateFile;
    QString keyFile;
    CertificateFingerprint fingerprint() const { return CertificateFingerprint::of(certificate); }
};

Pair hostIdentity(const QString &dir)
{
    auto made = HostCertificate::loadOrCreate(dir, HostCertificate::requestFor(u"localhost"_s, {}));
    if (std::holds_alternative<HostCertificateError>(made))
        qFatal("%s", qPrintable(std::get<HostCertificateError>(made).message));
    const auto &certificate = std::get<HostCertificate>(made);
    QFile keyFile(certificate.keyFile());
    keyFile.open(QIODevice::ReadOnly);
    return Pair{certificate.certificate(), QSslKey(keyFile.readAll(), QSsl::Ec), certificate.certificateFile(),
                certificate.keyFile()};
}

std::unique_ptr<ChatClient> makeClient(CredentialStore &store, const QString &pinFile = {})
{
    auto client = std::make_unique<ChatClient>(
        store, SystemClock::instance(), [] { return std::unique_ptr<Transport>(std::make_unique<ChatConnection>()); });
    client->connection()->setBackoff(Backoff({20ms, 200ms}));
    if (!pinFile.isEmpty())
        client->certificateTrust()->setStorageFile(pinFile);
    return client;
}

bool waitState(const ChatClient &client, State state, int timeoutMs = kTimeoutMs)
{
    return QTest::qWaitFor([&] { return client.connection()->state() == state; }, timeoutMs);
}

/// Signs in and returns the AuthError if it failed (nullopt once connected).
std::optional<AuthError> signIn(ChatClient &client, const ServerAddress &server, const QString &user, bool remember = false)
{
    QSignalSpy failed(&client, &ChatClient::signInFailed);
    client.signIn(server, user, kPassword, remember);
    if (!QTest::qWaitFor([&] { return !failed.isEmpty() || client.connection()->state() == State::Connected; }, kTimeoutMs))
        qFatal("sign-in neither failed nor connected");
    if (!failed.isEmpty())
        return failed.first().first().value<AuthError>();
    return std::nullopt;
}

/// The payloads of the client's WebSocket frames after the upgrade request in a relay's record: client
/// frames are masked (RFC 6455), so a token in an `auth` frame only shows once unmasked.
QByteArray clientFramePayloads(const QByteArray &record)
{
    QByteArray payloads;
    qsizetype at = record.indexOf("\r\n\r\n");
    at = at < 0 ? record.size() : at + 4;
    // Skip the HTTP requests before the upgrade (each ends with a blank line and, here, small bodies).
    while (at + 2 <= record.size()) {
        const auto byte = [&](qsizetype i) { return quint8(record.at(i)); };
        if ((byte(at) & 0x70) != 0 || (byte(at + 1) & 0x80) == 0)
            break; // not a masked client frame
        quint64 length = byte(at + 1) & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            length = (quint64(byte(at + 2)) << 8) | byte(at + 3);
            header = 4;
        } else if (length == 127) {
            break; // nothing this big in these tests
        }
        if (at + header + 4 + qsizetype(length) > record.size())
            break;
        const QByteArray mask = record.mid(at + header, 4);
        for (quint64 i = 0; i < length; ++i)
            payloads.append(char(record.at(at + header + 4 + qsizetype(i)) ^ mask.at(qsizetype(i % 4))));
        at += header + 4 + qsizetype(length);
    }
    return payloads;
}

/// One metric's value from the server's Prometheus text.
double metric(const QByteArray &text, const QByteArray &name)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).toDouble();
    }
    return -1;
}
} // namespace

class TestCertificatePinning : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<AuthError>();
        QStandardPaths::setTestModeEnabled(true);
        m_a = hostIdentity(m_dirA.path());
        m_b = hostIdentity(m_dirB.path());
    }

    void init()
    {
        m_server = std::make_unique<Test::TestServer>();
        m_server->login(u"ana"_s, kPassword); // registers
        m_relay = std::make_unique<TlsRelay>();
        m_relay->setIdentity(m_a.certificate, m_a.key);
        QVERIFY(m_relay->start(m_server->server().port()));
        m_address = ServerAddress(u"127.0.0.1"_s, m_relay->port(), true);
    }

    void cleanup()
    {
        m_relay.reset();
        m_server.reset();
    }

    /*! First use: the sign-in stops in the TLS handshake (the password never reaches the server) and
     *  names the certificate; once the person accepts it, the same sign-in connects, pinned, and the
     *  relay sees the password and the token go by (so it would have seen them before). */
    void firstUseThenPinned()
    {
        MemoryCredentialStore store;
        auto client = makeClient(store);
        const auto refused = signIn(*client, m_address, u"ana"_s);
        QVERIFY(refused);
        QCOMPARE(refused->code, AuthError::Code::CertificateUnknown);
        QVERIFY(refused->certificate);
        QCOMPARE(refused->certificate->outcome, Outcome::FirstUse);
        QCOMPARE(refused->certificate->presented, m_a.fingerprint());
        QCOMPARE(refused->certificate->server, u"127.0.0.1:%1"_s.arg(m_relay->port()));
        QVERIFY(m_relay->record().connections >= 1);
        QCOMPARE(m_relay->record().received, QByteArray());
        QVERIFY(!client->certificateTrust()->pin(m_address));

        client->trustCertificate(*refused->certificate);
        QVERIFY(!signIn(*client, m_address, u"ana"_s));
        const TlsInfo tls = client->health()->tls();
        QVERIFY2(tls.protocol.startsWith(u"TLSv1."_s), qPrintable(tls.protocol));
        QCOMPARE(tls.verification, TlsInfo::Verification::Pinned);
        QCOMPARE(tls.fingerprint, m_a.fingerprint());
        QCOMPARE(tls.pinSource, PinSource::FirstUse);
        QVERIFY(m_relay->record().received.contains(kPassword.toUtf8()));
        QVERIFY(m_relay->record().received.contains("Authorization: Bearer "));
    }

    /*! A fingerprint from a link, a QR code or the LAN: the matching server is trusted at once, without a
     *  question, and stays pinned with where it came from. */
    void preVerified_data()
    {
        QTest::addColumn<int>("source");
        QTest::newRow("link or QR code") << int(PinSource::Link);
        QTest::newRow("LAN announcement") << int(PinSource::Discovery);
    }
    void preVerified()
    {
        QFETCH(int, source);
        MemoryCredentialStore store;
        auto client = makeClient(store);
        client->certificateTrust()->expect(m_address, m_a.fingerprint(), PinSource(source));
        QVERIFY(!signIn(*client, m_address, u"ana"_s));
        QCOMPARE(client->health()->tls().verification, TlsInfo::Verification::Pinned);
        QCOMPARE(client->health()->tls().pinSource, PinSource(source));
        QCOMPARE(client->certificateTrust()->pin(m_address)->fingerprint, m_a.fingerprint());
    }

    /*! A link or announcement that names another certificate: blocked, nothing sent, nothing pinned. */
    void preVerifiedMismatch()
    {
        MemoryCredentialStore store;
        auto client = makeClient(store);
        client->certificateTrust()->expect(m_address, m_b.fingerprint(), PinSource::Link);
        const auto refused = signIn(*client, m_address, u"ana"_s);
        QVERIFY(refused);
        QCOMPARE(refused->code, AuthError::Code::CertificateChanged);
        QCOMPARE(*refused->certificate->expected, m_b.fingerprint());
        QCOMPARE(refused->certificate->presented, m_a.fingerprint());
        QVERIFY(m_relay->record().connections >= 1);
        QCOMPARE(m_relay->record().received, QByteArray());
        QVERIFY(!client->certificateTrust()->pin(m_address));
    }

    /*! The server's certificate changes under a client that pinned the old one. Whichever way the client
     *  would authenticate next, the server receives zero bytes: no upgrade request with its
     *  Authorization header, no `auth` frame, no refresh token, no password. The client stops (no retry
     *  loop) and says why; accepting the new certificate connects again. */
    void changedCertificateSendsNothing_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("WebSocket upgrade with the Authorization header") << u"header"_s;
        QTest::newRow("auth as the first frame") << u"frame"_s;
        QTest::newRow("HTTP refresh at the next start") << u"refresh"_s;
        QTest::newRow("HTTP login with the password") << u"login"_s;
    }
    void changedCertificateSendsNothing()
    {
        QFETCH(QString, path);
        QTemporaryDir profile;
        const QString pins = profile.filePath(u"pins.ini"_s);
        MemoryCredentialStore store;
        auto client = makeClient(store, pins);
        if (path == u"frame"_s) {
            ConnectionOptions options = client->connection()->options();
            options.authMode = ConnectionOptions::AuthMode::FirstFrame;
            client->connection()->setOptions(options);
        }
        client->certificateTrust()->expect(m_address, m_a.fingerprint(), PinSource::Link);
        QVERIFY(!signIn(*client, m_address, u"ana"_s, /*remember*/ true));
        const QString accessToken = client->connection()->credentials().accessToken;
        const QString refreshToken = client->connection()->credentials().refreshToken;
        QVERIFY(!accessToken.isEmpty() && !refreshToken.isEmpty());
        // The relay does see secrets when the certificate is right.
        const QByteArray before = m_relay->record().received;
        if (path == u"frame"_s)
            QVERIFY(clientFramePayloads(before.mid(before.lastIndexOf("GET /ws"))).contains(accessToken.toUtf8()));
        else
            QVERIFY(before.contains("Authorization: Bearer " + accessToken.toUtf8()));

        // The certificate changes (a new machine, a wiped profile, or someone in the middle).
        m_relay->setIdentity(m_b.certificate, m_b.key);
        m_relay->clearRecord();
        ChatClient *blocked = client.get();
        std::unique_ptr<ChatClient> restarted;
        if (path == u"header"_s || path == u"frame"_s) {
            m_relay->cutAll(); // the client reconnects by itself
        } else {
            client.reset(); // the app quits; the next start has the same pins and keychain
            restarted = makeClient(store, pins);
            blocked = restarted.get();
            if (path == u"refresh"_s) {
                blocked->resumeSavedSignIn(m_address, u"ana"_s);
            } else {
                const auto refused = signIn(*blocked, m_address, u"ana"_s);
                QVERIFY(refused);
                QCOMPARE(refused->code, AuthError::Code::CertificateChanged);
                QCOMPARE(refused->certificate->pin->fingerprint, m_a.fingerprint());
            }
        }
        if (path != u"login"_s) {
            QVERIFY(waitState(*blocked, State::Failed));
            QCOMPARE(blocked->connection()->failure(), Failure::CertificateChanged);
            const auto problem = blocked->connection()->certificateProblem();
            QVERIFY(problem);
            QCOMPARE(problem->outcome, Outcome::Mismatch);
            QCOMPARE(problem->pin->fingerprint, m_a.fingerprint());
            QCOMPARE(problem->presented, m_b.fingerprint());
        }

        // What the server received after the change: connections (the client did try), not one byte.
        const TlsRelay::Record after = m_relay->record();
        QVERIFY(after.connections >= 1);
        QCOMPARE(after.received.size(), 0);
        QVERIFY(!after.received.contains(accessToken.toUtf8()));
        QVERIFY(!after.received.contains(refreshToken.toUtf8()));
        QVERIFY(!after.received.contains(kPassword.toUtf8()));
        // No retry loop: a while later, still nothing and still failed.
        const int attempts = m_relay->record().connections;
        QTest::qWait(500);
        QCOMPARE(m_relay->record().connections, attempts);
        // The refresh token was kept (the person may accept the new certificate).
        if (path != u"login"_s)
            QVERIFY(blocked->connection()->credentials().refreshToken == refreshToken || path == u"refresh"_s);

        // Accepting the new certificate: pinned as a replacement, and the connection comes back.
        if (path == u"login"_s) {
            blocked->trustCertificate(*signIn(*blocked, m_address, u"ana"_s)->certificate);
            QVERIFY(!signIn(*blocked, m_address, u"ana"_s));
        } else {
            blocked->trustCertificate(*blocked->connection()->certificateProblem());
            QVERIFY(waitState(*blocked, State::Connected));
        }
        QCOMPARE(blocked->certificateTrust()->pin(m_address)->source, PinSource::Replaced);
        QCOMPARE(blocked->health()->tls().fingerprint, m_b.fingerprint());
        QVERIFY(!m_relay->record().received.isEmpty());
    }

    /*! A server whose certificate a (test) authority issued: validated normally, no question, not
     *  pinned; the health panel names the authority. Without that authority it would be a first use. */
    void caVerifiedServer()
    {
        TestCa ca;
        QTemporaryDir dir;
        const auto [certificateFile, keyFile] = ca.issue({u"localhost"_s}, {QHostAddress(QHostAddress::LocalHost)}).writeTo(dir.path());
        ServerConfig config = Test::TestServer::testConfig();
        config.tlsCertFile = certificateFile;
        config.tlsKeyFile = keyFile;
        Test::TestServer server(config);
        const ServerAddress address(u"127.0.0.1"_s, server.server().port(), true);

        MemoryCredentialStore store;
        auto stranger = makeClient(store);
        const auto refused = signIn(*stranger, address, u"ana"_s);
        QVERIFY(refused);
        QCOMPARE(refused->code, AuthError::Code::CertificateUnknown);

        auto client = makeClient(store);
        client->certificateTrust()->addCaCertificates({ca.certificate()});
        // The account is made through the verified connection itself.
        client->createAccount(address, u"ana"_s, kPassword, false);
        QVERIFY(waitState(*client, State::Connected));
        const TlsInfo tls = client->health()->tls();
        QCOMPARE(tls.verification, TlsInfo::Verification::CaVerified);
        QCOMPARE(tls.issuer, u"Tertulia Test Root CA"_s);
        QVERIFY(!client->certificateTrust()->pin(address));

        // A pin outranks the authority: a server pinned to another certificate is blocked even though
        // the authority vouches for the one it presents.
        auto pinned = makeClient(store);
        pinned->certificateTrust()->addCaCertificates({ca.certificate()});
        pinned->certificateTrust()->expect(address, m_a.fingerprint(), PinSource::Link);
        const auto blocked = signIn(*pinned, address, u"ana"_s);
        QVERIFY(blocked);
        QCOMPARE(blocked->code, AuthError::Code::CertificateChanged);
    }

    /*! A real TLS ChatServer restarted with a new certificate on the same port and data: the client that
     *  pinned the old one stops, and the server's own counters show that no HTTP request, no WebSocket
     *  session and no authentication attempt reached it. */
    void realServerWithANewCertificate()
    {
        QTemporaryDir data;
        ServerConfig config = Test::TestServer::testConfig(data.path());
        config.tlsCertFile = m_a.certificateFile;
        config.tlsKeyFile = m_a.keyFile;
        auto server = std::make_unique<ChatServer>(config);
        QVERIFY2(server->start(), qPrintable(server->errorString()));
        const quint16 port = server->port();
        const ServerAddress address(u"127.0.0.1"_s, port, true);

        MemoryCredentialStore store;
        auto client = makeClient(store);
        {
            // Register over the pinned connection itself (the account is created on this server).
            QSignalSpy failed(client.get(), &ChatClient::signInFailed);
            client->createAccount(address, u"bea"_s, kPassword, false);
            QVERIFY(failed.wait(kTimeoutMs));
            const auto error = failed.first().first().value<AuthError>();
            QCOMPARE(error.code, AuthError::Code::CertificateUnknown);
            client->trustCertificate(*error.certificate);
            client->createAccount(address, u"bea"_s, kPassword, false);
            QVERIFY(waitState(*client, State::Connected));
        }

        server->stop();
        server.reset();
        config.port = port;
        config.tlsCertFile = m_b.certificateFile;
        config.tlsKeyFile = m_b.keyFile;
        server = std::make_unique<ChatServer>(config);
        QVERIFY2(server->start(), qPrintable(server->errorString()));

        QVERIFY(waitState(*client, State::Failed));
        QCOMPARE(client->connection()->failure(), Failure::CertificateChanged);
        QCOMPARE(client->connection()->certificateProblem()->presented, m_b.fingerprint());

        // The server's view, read over a connection that trusts the new certificate.
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(u"https://127.0.0.1:%1/metrics"_s.arg(port)));
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({m_b.certificate});
        request.setSslConfiguration(tls);
        QNetworkReply *reply = network.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(kTimeoutMs));
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        const QByteArray metrics = reply->readAll();
        reply->deleteLater();
        QCOMPARE(metric(metrics, "tertulia_http_requests_total"), 1.0); // this scrape, nothing else
        QCOMPARE(metric(metrics, "tertulia_sessions_opened_total"), 0.0);
        QCOMPARE(metric(metrics, "tertulia_auth_failures_total"), 0.0);
    }

private:
    QTemporaryDir m_dirA;
    QTemporaryDir m_dirB;
    Pair m_a;
    Pair m_b;
    std::unique_ptr<Test::TestServer> m_server;
    std::unique_ptr<TlsRelay> m_relay;
    ServerAddress m_address;
};

QTEST_GUILESS_MAIN(TestCertificatePinning)
#include "tst_certificatepinning.moc"
