// The connection state machine with a hand-driven clock and a fake transport: every state, the
// backoff schedule, terminal close codes, timeouts, dead-peer detection, token refresh (in-band and
// before an attempt), request routing and the health numbers it feeds.
#include "app/session/connectionhealth.h"
#include "app/session/connectionmanager.h"
#include "shared/protocol/closecode.h"
#include "support/fakerefresher.h"
#include "support/faketransport.h"
#include "support/manualclock.h"
#include "support/printers.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Protocol::ErrorCode;
using Protocol::Event;
using Protocol::RequestType;
using State = ConnectionManager::State;

Q_DECLARE_METATYPE(Tertulia::DisconnectInfo)
Q_DECLARE_METATYPE(Tertulia::Credentials)

namespace {
Protocol::HelloInfo helloInfo(qint64 expiresIn = 900)
{
    return {u"alice"_s, {u"Casa"_s, u"0.1.0"_s, 16384}, expiresIn};
}
} // namespace

class TestConnectionManager : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    /*! Header auth: Connecting → Authenticating → Syncing (sync handler) → Connected. */
    void happyPathHeaderAuth();
    /*! First-frame auth sends `auth` with the token and needs its ok reply. */
    void firstFrameAuth();
    /*! A refused first-frame auth fails for good: no retry, ever. */
    void firstFrameAuthRefused();
    /*! Lost connections retry after 0.25, 0.5, 1, 2, … s (random 0.5 × ceiling), capped at 15 s. */
    void backoffSchedule();
    /*! Close codes 4002, 4004, 4005 fail with the right reason and never retry. */
    void terminalCloseCodes_data();
    void terminalCloseCodes();
    /*! Every other close code reconnects. */
    void transientCloseCodes_data();
    void transientCloseCodes();
    /*! 4003: the next attempt refreshes the token over HTTP first and uses the new one. */
    void tokenExpiredRefreshesBeforeReconnecting();
    /*! "Retry now" and "network is back" skip the wait; both do nothing when connected. */
    void retryNowAndNetworkOnline();
    /*! A handshake or sign-in that never finishes is abandoned and retried. */
    void openAndAuthTimeouts();
    /*! Pings go out every interval; pongs feed the RTT; silence drops the connection. */
    void pingsAndDeadPeer();
    /*! A new ping interval applies to the open connection at once. */
    void pingIntervalChangesAtOnce();
    /*! Near expiry the pair is refreshed in-band, the session re-authenticates, and it repeats. */
    void inBandRefresh();
    /*! A refused in-band refresh ends the session: sign in again. */
    void inBandRefreshRejected();
    /*! Before an attempt an expiring token is refreshed over HTTP; transient failures retry. */
    void httpRefreshBeforeAttempt();
    /*! Replies reach the handler of their request, whatever the order; lost ones get `unavailable`. */
    void requestRouting();
    /*! Events are only delivered once authenticated. */
    void eventsOnlyWhenAuthenticated();
    /*! A short-lived connection keeps growing the backoff; a stable one resets it. */
    void backoffResetsOnlyAfterStableConnection();
    /*! stop() closes with 1000 and never reconnects. */
    void stopClosesCleanly();
    /*! 4008 waits at least the rate-limit delay; an incompatible server fails. */
    void rateLimitedAndIncompatible();
    /*! A drop during Syncing reconnects, and a late finishSync() is ignored. */
    void dropDuringSync();
    /*! The health object counts frames, bytes, reconnects and the last disconnect. */
    void healthNumbers();
    /*! A connection or a refresh stopped by the certificate fails for good (no retry loop), keeps the
     *  credentials, exposes the check, and start() after the person decided tries again. */
    void certificateStopsWithoutRetry();

private:
    Credentials credentials(qint64 expiresIn = 900) const;
    void connectFully();
    FakeTransport *transport() const { return m_network.last(); }

    std::unique_ptr<ManualClock> m_clock;
    FakeNetwork m_network;
    FakeRefresher m_refresher;
    std::unique_ptr<ConnectionManager> m_session;
    QList<State> m_states;
    const ServerAddress m_server{u"127.0.0.1"_s, 7420, false};
};

void TestConnectionManager::certificateStopsWithoutRetry()
{
    CertificateCheck check;
    check.outcome = CertificateCheck::Outcome::Mismatch;
    check.server = u"127.0.0.1:7420"_s;
    check.presented = CertificateFingerprint::fromBytes(QByteArray(32, 'b'));
    check.pin = CertificatePin{CertificateFingerprint::fromBytes(QByteArray(32, 'a')), {}, PinSource::FirstUse, {}};

    m_session->start(m_server, credentials());
    DisconnectInfo blocked;
    blocked.errorString = check.summary();
    blocked.certificate = check;
    transport()->end(blocked);
    QCOMPARE(m_session->state(), State::Failed);
    QCOMPARE(m_session->failure(), ConnectionManager::Failure::CertificateChanged);
    QCOMPARE(m_session->certificateProblem(), check);
    QVERIFY(!m_session->failureText().isEmpty());
    QCOMPARE(m_session->credentials().refreshToken, u"r1"_s);
    m_clock->advance(60s);
    QCOMPARE(m_network.attempts(), 1);
    QCOMPARE(m_session->lastDisconnect()->describe(), check.summary());

    // The person accepted the certificate: start() connects again and forgets the problem.
    m_session->start(m_server, m_session->credentials());
    QCOMPARE(m_network.attempts(), 2);
    QVERIFY(!m_session->certificateProblem());
    transport()->accept();
    transport()->inject(Event::hello(helloInfo()));
    QCOMPARE(m_session->state(), State::Connected);

    // The HTTP refresh before an attempt, stopped by a certificate nobody has confirmed yet.
    m_session->stop();
    Credentials expiring = credentials(100);
    expiring.accessToken.clear();
    m_session->start(m_server, expiring);
    QCOMPARE(m_refresher.pendingCount(), 1);
    CertificateCheck unknown = check;
    unknown.outcome = CertificateCheck::Outcome::FirstUse;
    unknown.pin.reset();
    m_refresher.answer(AuthError::fromCertificate(unknown));
    QCOMPARE(m_session->state(), State::Failed);
    QCOMPARE(m_session->failure(), ConnectionManager::Failure::CertificateUnknown);
    QCOMPARE(m_session->certificateProblem()->outcome, CertificateCheck::Outcome::FirstUse);
    m_clock->advance(60s);
    QCOMPARE(m_refresher.totalCalls(), 1);
    QCOMPARE(m_network.attempts(), 2);
}

void TestConnectionManager::init()
{
    m_clock = std::make_unique<ManualClock>();
    m_network = FakeNetwork();
    m_refresher = FakeRefresher();
    m_session = std::make_unique<ConnectionManager>(*m_clock, m_network.factory(), &m_refresher);
    m_session->setBackoff(Backoff({}, [] { return 0.5; }));
    m_states.clear();
    connect(m_session.get(), &ConnectionManager::stateChanged, this, [this](State state) { m_states.append(state); });
}

void TestConnectionManager::cleanup() { m_session.reset(); }

Credentials TestConnectionManager::credentials(qint64 expiresIn) const
{
    Credentials credentials;
    credentials.user = u"alice"_s;
    credentials.apply({u"a1"_s, u"r1"_s, expiresIn}, m_clock->elapsedMs());
    return credentials;
}

void TestConnectionManager::connectFully()
{
    m_session->start(m_server, credentials());
    transport()->accept();
    transport()->inject(Event::hello(helloInfo()));
}

void TestConnectionManager::happyPathHeaderAuth()
{
    int syncCalls = 0;
    m_session->setSyncHandler(this, [&syncCalls] { ++syncCalls; });
    QSignalSpy authenticated(m_session.get(), &ConnectionManager::authenticated);

    m_session->start(m_server, credentials());
    QCOMPARE(m_session->state(), State::Connecting);
    QCOMPARE(transport()->url(), QUrl(u"ws://127.0.0.1:7420/ws"_s));
    QCOMPARE(transport()->bearerToken(), u"a1"_s);

    transport()->accept();
    QCOMPARE(m_session->state(), State::Authenticating);
    transport()->inject(Event::hello(helloInfo()));
    QCOMPARE(m_session->state(), State::Syncing);
    QCOMPARE(syncCalls, 1);
    QCOMPARE(authenticated.size(), 1);
    QCOMPARE(m_session->hello().server.name, u"Casa"_s);
    QCOMPARE(m_session->health()->serverInfo().version, u"0.1.0"_s);

    m_session->finishSync();
    QCOMPARE(m_session->state(), State::Connected);
    QCOMPARE(m_states, (QList<State>{State::Connecting, State::Authenticating, State::Syncing, State::Connected}));
    QCOMPARE(m_session->attempt(), 0);
    QCOMPARE(m_session->health()->reconnectCount(), 0);
    QVERIFY(transport()->sent().isEmpty()); // header auth sends no frame
}

void TestConnectionManager::firstFrameAuth()
{
    ConnectionOptions options;
    options.authMode = ConnectionOptions::AuthMode::FirstFrame;
    m_session->setOptions(options);
    m_session->start(m_server, credentials());
    QVERIFY(transport()->bearerToken().isEmpty());
    transport()->accept();
    const auto auth = transport()->lastSent(RequestType::Auth);
    QVERIFY(auth);
    QCOMPARE(auth->data.value(u"token"_s).toString(), u"a1"_s);
    QCOMPARE(m_session->state(), State::Authenticating);
    transport()->replyOk(RequestType::Auth, helloInfo().toJson());
    QCOMPARE(m_session->state(), State::Connected);
}

void TestConnectionManager::firstFrameAuthRefused()
{
    ConnectionOptions options;
    options.authMode = ConnectionOptions::AuthMode::FirstFrame;
    m_session->setOptions(options);
    m_session->start(m_server, credentials());
    transport()->accept();
    transport()->replyError(RequestType::Auth, ErrorCode::AuthFailed, u"invalid token"_s);
    QCOMPARE(m_session->state(), State::Failed);
    QCOMPARE(m_session->failure(), ConnectionManager::Failure::BadCredentials);
    QVERIFY(!m_session->failureText().isEmpty());
    QVERIFY(transport()->closedByClient());
    m_clock->advance(1h);
    QCOMPARE(m_network.attempts(), 1);
    QCOMPARE(m_clock->activeTimerCount(), 0);
}

void TestConnectionManager::backoffSchedule()
{
    QSignalSpy scheduled(m_session.get(), &ConnectionManager::reconnectScheduled);
    connectFully();
    transport()->drop(0);
    QCOMPARE(m_session->state(), State::Reconnecting);
    QCOMPARE(m_session->attempt(), 1);
    QCOMPARE(m_session->msUntilNextAttempt(), 250);
    QCOMPARE(m_session->nextAttemptAt(), m_clock->currentDateTime().addMSecs(250));
    m_clock->advance(249ms);
    QCOMPARE(m_network.attempts(), 1);
    QCOMPARE(m_session->msUntilNextAttempt(), 1);
    m_clock->advance(1ms);
    QCOMPARE(m_network.attempts(), 2);
    QCOMPARE(m_session->state(), State::Connecting);

    const QList<qint64> expected{500, 1000, 2000, 4000, 8000, 15000, 15000, 15000};
    for (int i = 0; i < expected.size(); ++i) {
        transport()->refuse(u"Connection refused"_s);
        QCOMPARE(m_session->state(), State::Reconnecting);
        QCOMPARE(m_session->attempt(), i + 2);
        QCOMPARE(scheduled.last().at(1).toLongLong(), expected.at(i));
        m_clock->advance(std::chrono::milliseconds(expected.at(i)));
        QCOMPARE(m_network.attempts(), i + 3);
    }
    QCOMPARE(m_session->lastDisconnect()->errorString, u"Connection refused"_s);
}

void TestConnectionManager::terminalCloseCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<ConnectionManager::Failure>("failure");
    QTest::newRow("4002 auth failed") << 4002 << ConnectionManager::Failure::BadCredentials;
    QTest::newRow("4004 logged out") << 4004 << ConnectionManager::Failure::LoginRevoked;
    QTest::newRow("4005 kicked") << 4005 << ConnectionManager::Failure::Kicked;
    QTest::newRow("4006 account deleted") << 4006 << ConnectionManager::Failure::AccountDeleted;
}

void TestConnectionManager::terminalCloseCodes()
{
    QFETCH(int, code);
    QFETCH(ConnectionManager::Failure, failure);
    QVERIFY(Protocol::isTerminalClose(code));
    connectFully();
    transport()->drop(code, u"reason"_s);
    QCOMPARE(m_session->state(), State::Failed);
    QCOMPARE(m_session->failure(), failure);
    QCOMPARE(m_session->lastDisconnect()->closeCode, code);
    m_clock->advance(1h);
    QCOMPARE(m_network.attempts(), 1);
    m_session->retryNow();
    m_session->notifyNetworkOnline();
    QCOMPARE(m_network.attempts(), 1);
    QCOMPARE(m_session->state(), State::Failed);
}

void TestConnectionManager::transientCloseCodes_data()
{
    QTest::addColumn<int>("code");
    for (int code : {1000, 1001, 1006, 1009, 4001, 4009, 4010, 4011})
        QTest::addRow("%d", code) << code;
}

void TestConnectionManager::transientCloseCodes()
{
    QFETCH(int, code);
    connectFully();
    transport()->drop(code);
    QCOMPARE(m_session->state(), State::Reconnecting);
    QVERIFY(m_clock->fireNext());
    QCOMPARE(m_network.attempts(), 2);
}

void TestConnectionManager::tokenExpiredRefreshesBeforeReconnecting()
{
    QSignalSpy changed(m_session.get(), &ConnectionManager::credentialsChanged);
    connectFully();
    transport()->drop(int(Protocol::CloseCode::TokenExpired), u"expired"_s);
    QCOMPARE(m_session->state(), State::Reconnecting);
    QVERIFY(m_clock->fireNext());
    QCOMPARE(m_session->state(), State::Connecting);
    QCOMPARE(m_refresher.pendingCount(), 1);
    QCOMPARE(m_refresher.lastToken(), u"r1"_s);
    QCOMPARE(m_network.attempts(), 1); // no socket before the token is fresh

    m_refresher.answer(Protocol::TokenPair{u"a2"_s, u"r2"_s, 900});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().value<Credentials>().refreshToken, u"r2"_s);
    QCOMPARE(m_network.attempts(), 2);
    QCOMPARE(transport()->bearerToken(), u"a2"_s);
    transport()->accept();
    transport()->inject(Event::hello(helloInfo()));
    QCOMPARE(m_session->state(), State::Connected);
}

void TestConnectionManager::retryNowAndNetworkOnline()
{
    connectFully();
    m_session->retryNow();
    m_session->notifyNetworkOnline();
    QCOMPARE(m_network.attempts(), 1);
    QCOMPARE(m_session->state(), State::Connected);

    transport()->drop(0);
    QCOMPARE(m_session->state(), State::Reconnecting);
    m_session->retryNow();
    QCOMPARE(m_session->state(), State::Connecting);
    QCOMPARE(m_network.attempts(), 2);

    transport()->refuse(u"down"_s);
    QCOMPARE(m_session->state(), State::Reconnecting);
    m_session->notifyNetworkOnline();
    QCOMPARE(m_session->state(), State::Connecting);
    QCOMPARE(m_network.attempts(), 3);
    QCOMPARE(m_clock->activeTimerCount(), 1); // only the open timeout; the backoff timer is gone
}

void TestConnectionManager::openAndAuthTimeouts()
{
    m_session->start(m_server, credentials());
    m_clock->advance(m_session->options().openTimeout - 1ms);
    QCOMPARE(m_session->state(), State::Connecting);
    m_clock->advance(1ms);
    QCOMPARE(m_session->state(), State::Reconnecting);
    QVERIFY(m_session->lastDisconnect()->byClient);
    QVERIFY(!m_session->lastDisconnect()->describe().isEmpty());

    QVERIFY(m_clock->fireNext());
    transport()->accept();
    m_clock->advance(m_session->options().authTimeout - 1ms);
    QCOMPARE(m_session->state(), State::Authenticating);
    m_clock->advance(1ms);
    QCOMPARE(m_session->state(), State::Reconnecting);
    QVERIFY(transport()->closedByClient());
}

void TestConnectionManager::pingsAndDeadPeer()
{
    connectFully();
    FakeTransport *connection = transport();
    for (int i = 1; i <= 12; ++i) {
        m_clock->advance(5s);
        QCOMPARE(connection->pings(), i);
        connection->pong(10 + i);
    }
    QCOMPARE(m_session->state(), State::Connected);
    QCOMPARE(*m_session->health()->currentRtt(), 22.0);
    QCOMPARE(m_session->health()->rttHistory().size(), 12);

    // Silence from now on: the 20 s budget runs out at the fifth ping tick.
    m_clock->advance(20s);
    QCOMPARE(m_session->state(), State::Connected);
    m_clock->advance(5s);
    QCOMPARE(m_session->state(), State::Reconnecting);
    QVERIFY(connection->closedByClient());
    QCOMPARE(m_session->lastDisconnect()->describe(), ConnectionManager::tr("No response from the server"));
}

void TestConnectionManager::pingIntervalChangesAtOnce()
{
    connectFully();
    m_clock->advance(1s);
    QCOMPARE(transport()->pings(), 0);
    ConnectionOptions options;
    options.pingInterval = 1s;
    m_session->setOptions(options);
    m_clock->advance(1s);
    QCOMPARE(transport()->pings(), 1);
    transport()->pong(3);
    m_clock->advance(1s);
    QCOMPARE(transport()->pings(), 2);
}

void TestConnectionManager::inBandRefresh()
{
    ConnectionOptions options;
    options.deadAfter = 24h; // this test is about tokens, not liveness
    m_session->setOptions(options);
    QSignalSpy changed(m_session.get(), &ConnectionManager::credentialsChanged);
    m_session->start(m_server, credentials(100));
    transport()->accept();
    transport()->inject(Event::hello(helloInfo(100)));
    QCOMPARE(m_session->state(), State::Connected);

    // Lifetime 100 s → margin 20 s → refresh at 80 s.
    m_clock->advance(79999ms);
    QVERIFY(!transport()->lastSent(RequestType::Refresh));
    m_clock->advance(1ms);
    const auto refresh = transport()->lastSent(RequestType::Refresh);
    QVERIFY(refresh);
    QCOMPARE(refresh->data.value(u"refresh_token"_s).toString(), u"r1"_s);

    transport()->replyOk(RequestType::Refresh, Protocol::TokenPair{u"a2"_s, u"r2"_s, 100}.toJson());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(m_session->credentials().refreshToken, u"r2"_s);
    const auto reauth = transport()->lastSent(RequestType::Auth);
    QVERIFY(reauth);
    QCOMPARE(reauth->data.value(u"token"_s).toString(), u"a2"_s);
    transport()->replyOk(RequestType::Auth, helloInfo(100).toJson());

    transport()->clearSent();
    m_clock->advance(80s);
    const auto second = transport()->lastSent(RequestType::Refresh);
    QVERIFY(second);
    QCOMPARE(second->data.value(u"refresh_token"_s).toString(), u"r2"_s);
    QCOMPARE(m_session->state(), State::Connected);
    QCOMPARE(m_network.attempts(), 1);
}

void TestConnectionManager::inBandRefreshRejected()
{
    ConnectionOptions options;
    options.deadAfter = 24h;
    m_session->setOptions(options);
    m_session->start(m_server, credentials(100));
    transport()->accept();
    transport()->inject(Event::hello(helloInfo(100)));
    m_clock->advance(80s);
    transport()->replyError(RequestType::Refresh, ErrorCode::AuthFailed, u"reused"_s);
    QCOMPARE(m_session->state(), State::Failed);
    QCOMPARE(m_session->failure(), ConnectionManager::Failure::SessionExpired);
}

void TestConnectionManager::httpRefreshBeforeAttempt()
{
    Credentials expiring = credentials(100);
    expiring.accessExpiresAtMs = m_clock->elapsedMs() + 5000; // inside the 20 s margin
    m_session->start(m_server, expiring);
    QCOMPARE(m_session->state(), State::Connecting);
    QCOMPARE(m_refresher.pendingCount(), 1);
    QCOMPARE(m_network.attempts(), 0);

    m_refresher.answer(AuthError{AuthError::Code::ServerUnreachable, u"refused"_s});
    QCOMPARE(m_session->state(), State::Reconnecting);
    const AuthError unreachable{AuthError::Code::ServerUnreachable, {}};
    QCOMPARE(m_session->lastDisconnect()->errorString, unreachable.message());

    QVERIFY(m_clock->fireNext());
    QCOMPARE(m_refresher.pendingCount(), 1);
    m_refresher.answer(AuthError{AuthError::Code::SessionExpired, u"revoked"_s});
    QCOMPARE(m_session->state(), State::Failed);
    QCOMPARE(m_session->failure(), ConnectionManager::Failure::SessionExpired);
    QCOMPARE(m_network.attempts(), 0);
}

void TestConnectionManager::requestRouting()
{
    QVERIFY(!m_session->request(Protocol::Request::listRooms({}), this, [](const Protocol::Reply &) {
        QFAIL("a request that was not sent must not be answered");
    }));
    connectFully();
    QList<QString> answered;
    QVERIFY(m_session->request(Protocol::Request::listRooms({}), this,
                               [&](const Protocol::Reply &reply) { answered << u"list:"_s + reply.data.value(u"n"_s).toString(); }));
    QVERIFY(m_session->request(Protocol::Request::join({}, u"general"_s), this,
                               [&](const Protocol::Reply &reply) { answered << u"join:"_s + reply.data.value(u"n"_s).toString(); }));
    const auto sent = transport()->sent();
    QCOMPARE(sent.size(), 2);
    QVERIFY(sent.at(0).id != sent.at(1).id);
    transport()->reply(Protocol::Reply::ok(sent.at(1).id, {{u"n"_s, u"2"_s}}));
    transport()->reply(Protocol::Reply::ok(u"r999"_s, {}));  // unknown id: ignored
    transport()->reply(Protocol::Reply::ok(sent.at(0).id, {{u"n"_s, u"1"_s}}));
    QCOMPARE(answered, (QList<QString>{u"join:2"_s, u"list:1"_s}));

    // Lost replies: every pending handler hears `unavailable`, in send order; dead contexts are skipped.
    QList<ErrorCode> lost;
    auto context = std::make_unique<QObject>();
    m_session->request(Protocol::Request::members({}, u"general"_s), this,
                       [&](const Protocol::Reply &reply) { lost << reply.error->code; });
    m_session->request(Protocol::Request::members({}, u"dev"_s), context.get(),
                       [](const Protocol::Reply &) { QFAIL("context is gone"); });
    context.reset();
    transport()->drop(0);
    QCOMPARE(lost, QList<ErrorCode>{ErrorCode::Unavailable});
}

void TestConnectionManager::eventsOnlyWhenAuthenticated()
{
    QSignalSpy events(m_session.get(), &ConnectionManager::eventReceived);
    m_session->start(m_server, credentials());
    transport()->accept();
    transport()->inject(Event::presence({u"bob"_s, Protocol::PresenceStatus::Away}));
    QCOMPARE(events.size(), 0);
    transport()->inject(Event::hello(helloInfo()));
    transport()->inject(Event::presence({u"bob"_s, Protocol::PresenceStatus::Online}));
    QCOMPARE(events.size(), 1);
}

void TestConnectionManager::backoffResetsOnlyAfterStableConnection()
{
    QSignalSpy scheduled(m_session.get(), &ConnectionManager::reconnectScheduled);
    ConnectionOptions options;
    options.deadAfter = 24h;
    m_session->setOptions(options);
    connectFully();
    transport()->drop(0);
    QCOMPARE(scheduled.last().at(1).toLongLong(), 250);
    QVERIFY(m_clock->fireNext());
    transport()->accept();
    transport()->inject(Event::hello(helloInfo()));
    QCOMPARE(m_session->state(), State::Connected);
    m_clock->advance(9s);
    transport()->drop(0); // lasted 9 s: not stable
    QCOMPARE(scheduled.last().at(1).toLongLong(), 500);
    QVERIFY(m_clock->fireNext());
    transport()->accept();
    transport()->inject(Event::hello(helloInfo()));
    m_clock->advance(10s);
    transport()->drop(0); // lasted 10 s: stable, start over
    QCOMPARE(scheduled.last().at(1).toLongLong(), 250);
}

void TestConnectionManager::stopClosesCleanly()
{
    connectFully();
    FakeTransport *connection = transport();
    m_session->stop();
    QCOMPARE(m_session->state(), State::Disconnected);
    QVERIFY(connection->closedByClient());
    QCOMPARE(connection->clientCloseCode(), 1000);
    m_clock->advance(1h);
    QCOMPARE(m_network.attempts(), 1);
    QCOMPARE(m_clock->activeTimerCount(), 0);
}

void TestConnectionManager::rateLimitedAndIncompatible()
{
    QSignalSpy scheduled(m_session.get(), &ConnectionManager::reconnectScheduled);
    connectFully();
    transport()->drop(int(Protocol::CloseCode::RateLimited));
    QCOMPARE(scheduled.last().at(1).toLongLong(), 5000);
    QVERIFY(m_clock->fireNext());
    DisconnectInfo incompatible;
    incompatible.incompatible = true;
    transport()->end(incompatible);
    QCOMPARE(m_session->state(), State::Failed);
    QCOMPARE(m_session->failure(), ConnectionManager::Failure::Incompatible);
}

void TestConnectionManager::dropDuringSync()
{
    m_session->setSyncHandler(this, [] {});
    m_session->start(m_server, credentials());
    transport()->accept();
    transport()->inject(Event::hello(helloInfo()));
    QCOMPARE(m_session->state(), State::Syncing);
    QVERIFY(m_session->isAuthenticated());
    transport()->drop(1001);
    QCOMPARE(m_session->state(), State::Reconnecting);
    m_session->finishSync();
    QCOMPARE(m_session->state(), State::Reconnecting);
}

void TestConnectionManager::healthNumbers()
{
    ConnectionHealth *health = m_session->health();
    m_session->start(m_server, credentials());
    transport()->setTlsInfo({u"TLSv1.3"_s, u"TLS_AES_128_GCM_SHA256"_s});
    transport()->accept();
    transport()->inject(Event::hello(helloInfo()));
    QCOMPARE(health->tls().cipher, u"TLS_AES_128_GCM_SHA256"_s);
    const Event presence = Event::presence({u"bob"_s, Protocol::PresenceStatus::Away});
    transport()->inject(presence);
    m_session->request(Protocol::Request::listRooms({}), this, [](const Protocol::Reply &) {});
    QCOMPARE(health->framesIn(), 2u); // hello + presence
    QCOMPARE(health->bytesIn(), quint64(Protocol::encode(Event::hello(helloInfo())).size()
                                        + Protocol::encode(presence).size()));
    QCOMPARE(health->framesOut(), 1u);
    QCOMPARE(health->reconnectCount(), 0);

    transport()->drop(1001, u"restarting"_s);
    QCOMPARE(health->lastDisconnect()->closeCode, 1001);
    QVERIFY(!health->tls().isEncrypted());
    QVERIFY(m_clock->fireNext());
    transport()->accept();
    transport()->inject(Event::hello(helloInfo()));
    QCOMPARE(health->reconnectCount(), 1);
    QCOMPARE(health->framesIn(), 3u); // counters add up across connections
    QVERIFY(health->diagnostics().contains(u"Casa"_s));
}

QTEST_GUILESS_MAIN(TestConnectionManager)
#include "tst_connectionmanager.moc"
