// ConnectionAdmission alone: the caps, the churn limits on the injected clock, draining, and the upgrade
// rules every way in shares (Origin, subprotocol, the Bearer parser).
#include "server/core/serverconfig.h"
#include "server/http/httprequest.h"
#include "server/metrics/metrics.h"
#include "server/net/connectionadmission.h"
#include "server/session/monotonicclock.h"
#include "shared/version.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace Tertulia;

namespace {
Http::Request upgradeRequest(QList<std::pair<QByteArray, QByteArray>> headers)
{
    Http::Request request;
    request.method = "GET";
    request.target = "/ws";
    request.path = u"/ws"_s;
    request.headers = std::move(headers);
    return request;
}

QString errorCodeOf(const Http::Response &response)
{
    return QJsonDocument::fromJson(response.body).object().value(u"error"_s).toObject().value(u"code"_s).toString();
}
} // namespace

class TestConnectionAdmission : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void capsCountUntilTheTicketGoes();
    /*! A socket holds its ticket as a child (AdmissionTicketHolder): counted until the socket goes, or
        taken along by whoever takes the connection over, who then counts it until it lets it go. */
    void aHeldTicketGoesWithItsCarrier();
    void addressChurnRefillsOnTheClock();
    void userChurnRefillsOnTheClock();
    void drainingRefusesEveryNewConnection();
    void refusalAnswersWithStatusBodyAndRetryAfter();
    void originRules_data();
    void originRules();
    void nativeUpgradeNeedsTheSubprotocol_data();
    void nativeUpgradeNeedsTheSubprotocol();
    void onlyCountedRefusalsReachTheMetrics();
    void bearerToken_data();
    void bearerToken();
};

void TestConnectionAdmission::capsCountUntilTheTicketGoes()
{
    ServerLimits limits;
    limits.maxConnections = 3;
    limits.maxConnectionsPerIp = 2;
    Metrics metrics;
    MonotonicClock clock;
    ConnectionAdmission admission(limits, metrics, clock);

    auto a1 = admission.admit(u"10.0.0.1"_s);
    auto a2 = admission.admit(u"10.0.0.1"_s);
    QVERIFY(a1->isAdmitted());
    QVERIFY(a2->isAdmitted());
    auto a3 = admission.admit(u"10.0.0.1"_s);
    QVERIFY(!a3->isAdmitted());
    QCOMPARE(a3->refusal()->reason, AdmissionRefusal::Reason::AddressFull);
    QCOMPARE(a3->refusal()->httpStatus, 503);
    QCOMPARE(metrics.connectionsRefusedPerIp, quint64(1));

    auto b1 = admission.admit(u"10.0.0.2"_s);
    QVERIFY(b1->isAdmitted());
    QCOMPARE(admission.connections(), 3);
    auto c1 = admission.admit(u"10.0.0.3"_s);
    QCOMPARE(c1->refusal()->reason, AdmissionRefusal::Reason::ServerFull);
    QCOMPARE(metrics.connectionsRefusedTotal, quint64(1));

    // A refused ticket never counted; an admitted one counts until it is destroyed.
    a3.reset();
    c1.reset();
    QCOMPARE(admission.connections(), 3);
    a1.reset();
    QCOMPARE(admission.connections(), 2);
    QCOMPARE(admission.connectionsFrom(u"10.0.0.1"_s), 1);
    QVERIFY(admission.admit(u"10.0.0.3"_s)->isAdmitted());
}

void TestConnectionAdmission::aHeldTicketGoesWithItsCarrier()
{
    ServerLimits limits;
    Metrics metrics;
    MonotonicClock clock;
    ConnectionAdmission admission(limits, metrics, clock);

    auto carrier = std::make_unique<QObject>();
    QCOMPARE(AdmissionTicketHolder::of(carrier.get()), nullptr);
    QCOMPARE(AdmissionTicketHolder::take(carrier.get()), nullptr);
    AdmissionTicketHolder::attach(carrier.get(), admission.admit(u"10.0.0.1"_s));
    QVERIFY(AdmissionTicketHolder::of(carrier.get()));
    QCOMPARE(AdmissionTicketHolder::of(carrier.get())->address(), u"10.0.0.1"_s);
    QCOMPARE(admission.connections(), 1);
    carrier.reset();
    QCOMPARE(admission.connections(), 0);

    // Taken over: the carrier goes, the count stays with the new holder.
    carrier = std::make_unique<QObject>();
    AdmissionTicketHolder::attach(carrier.get(), admission.admit(u"10.0.0.2"_s));
    std::unique_ptr<AdmissionTicket> taken = AdmissionTicketHolder::take(carrier.get());
    QVERIFY(taken && taken->isAdmitted());
    QCOMPARE(AdmissionTicketHolder::of(carrier.get()), nullptr);
    QVERIFY(carrier->children().isEmpty());
    carrier.reset();
    QCOMPARE(admission.connectionsFrom(u"10.0.0.2"_s), 1);
    taken.reset();
    QCOMPARE(admission.connections(), 0);

    // A second ticket replaces the first, which gives its count back.
    carrier = std::make_unique<QObject>();
    AdmissionTicketHolder::attach(carrier.get(), admission.admit(u"10.0.0.3"_s));
    AdmissionTicketHolder::attach(carrier.get(), admission.admit(u"10.0.0.4"_s));
    QCOMPARE(admission.connectionsFrom(u"10.0.0.3"_s), 0);
    QCOMPARE(admission.connectionsFrom(u"10.0.0.4"_s), 1);
    QCOMPARE(carrier->children().size(), 1);
}

void TestConnectionAdmission::addressChurnRefillsOnTheClock()
{
    ServerLimits limits;
    limits.ipConnectBurst = 3;
    limits.ipConnectPerSecond = 2;
    Metrics metrics;
    MonotonicClock clock;
    ConnectionAdmission admission(limits, metrics, clock);

    for (int i = 0; i < 3; ++i)
        QVERIFY(admission.admit(u"10.0.0.1"_s)->isAdmitted()); // each ticket goes at once: only churn counts
    auto refused = admission.admit(u"10.0.0.1"_s);
    QVERIFY(!refused->isAdmitted());
    QCOMPARE(refused->refusal()->reason, AdmissionRefusal::Reason::AddressChurn);
    QCOMPARE(refused->refusal()->httpStatus, 429);
    QCOMPARE(refused->refusal()->retryAfterSeconds, 1);
    QVERIFY(admission.admit(u"10.0.0.2"_s)->isAdmitted()); // another address has its own budget

    // Half a second later (at 2 per second) one more connection may come, and only one.
    clock.skip(500);
    QVERIFY(admission.admit(u"10.0.0.1"_s)->isAdmitted());
    QVERIFY(!admission.admit(u"10.0.0.1"_s)->isAdmitted());
    QVERIFY(metrics.connectionsRefusedChurn >= 2);
}

void TestConnectionAdmission::userChurnRefillsOnTheClock()
{
    ServerLimits limits;
    limits.userConnectBurst = 2;
    limits.userConnectPerSecond = 0.5;
    Metrics metrics;
    MonotonicClock clock;
    ConnectionAdmission admission(limits, metrics, clock);

    QVERIFY(!admission.admitSession(u"alice"_s));
    QVERIFY(!admission.admitSession(u"alice"_s));
    const auto refused = admission.admitSession(u"alice"_s);
    QVERIFY(refused);
    QCOMPARE(refused->reason, AdmissionRefusal::Reason::UserChurn);
    QCOMPARE(refused->code, Protocol::ErrorCode::RateLimited);
    QCOMPARE(refused->retryAfterSeconds, 2);
    QVERIFY(!admission.admitSession(u"bob"_s));
    clock.skip(2000);
    QVERIFY(!admission.admitSession(u"alice"_s));
    QCOMPARE(metrics.sessionsRefusedChurn, quint64(1));
}

void TestConnectionAdmission::drainingRefusesEveryNewConnection()
{
    ServerLimits limits;
    Metrics metrics;
    MonotonicClock clock;
    ConnectionAdmission admission(limits, metrics, clock);
    auto open = admission.admit(u"10.0.0.1"_s);
    admission.setDraining(true);
    auto refused = admission.admit(u"10.0.0.1"_s);
    QCOMPARE(refused->refusal()->reason, AdmissionRefusal::Reason::Draining);
    QCOMPARE(refused->refusal()->httpStatus, 503);
    QVERIFY(open->isAdmitted()); // what is open stays open
    QCOMPARE(admission.connections(), 1);
}

void TestConnectionAdmission::refusalAnswersWithStatusBodyAndRetryAfter()
{
    ServerLimits limits;
    limits.ipConnectBurst = 1;
    limits.ipConnectPerSecond = 0.1;
    Metrics metrics;
    MonotonicClock clock;
    ConnectionAdmission admission(limits, metrics, clock);
    QVERIFY(admission.admit(u"10.0.0.1"_s)->isAdmitted());
    const Http::Response churn = admission.admit(u"10.0.0.1"_s)->refusal()->response();
    QCOMPARE(churn.status, 429);
    QCOMPARE(churn.header("retry-after"), QByteArray("10"));
    QCOMPARE(errorCodeOf(churn), u"rate_limited"_s);

    // A wrong request has nothing to wait for: no Retry-After.
    const Http::Response foreign =
        admission.upgradeRefusal(upgradeRequest({{"Origin", "https://evil.example"}}), UpgradeKind::SocketIo)->response();
    QCOMPARE(foreign.status, 403);
    QVERIFY(foreign.header("retry-after").isEmpty());
    QCOMPARE(errorCodeOf(foreign), u"forbidden"_s);
    QVERIFY(QString::fromUtf8(foreign.body).contains(u"https://evil.example"_s));
}

void TestConnectionAdmission::originRules_data()
{
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<bool>("allowed");

    QTest::newRow("no origin: not a browser") << false << QByteArray() << QByteArray("chat.example:8080") << true;
    QTest::newRow("the server's own page") << false << QByteArray("http://chat.example:8080")
                                           << QByteArray("chat.example:8080") << true;
    QTest::newRow("own host, other scheme") << true << QByteArray("http://chat.example:8080")
                                            << QByteArray("chat.example:8080") << false;
    QTest::newRow("own page over TLS") << true << QByteArray("https://chat.example:8080")
                                       << QByteArray("chat.example:8080") << true;
    QTest::newRow("allowed") << false << QByteArray("https://app.example") << QByteArray("chat.example:8080") << true;
    QTest::newRow("foreign") << false << QByteArray("https://evil.example") << QByteArray("chat.example:8080") << false;
    QTest::newRow("foreign, no host") << false << QByteArray("http://") << QByteArray() << false;
    QTest::newRow("allowed prefix is not enough") << false << QByteArray("https://app.example.evil")
                                                  << QByteArray("chat.example:8080") << false;
}

void TestConnectionAdmission::originRules()
{
    QFETCH(bool, tls);
    QFETCH(QByteArray, origin);
    QFETCH(QByteArray, host);
    QFETCH(bool, allowed);
    ServerLimits limits;
    Metrics metrics;
    MonotonicClock clock;
    ConnectionAdmission admission(limits, metrics, clock, UpgradeRules{{u"https://app.example"_s}, tls});
    QList<std::pair<QByteArray, QByteArray>> headers{{"Sec-WebSocket-Protocol", kSubprotocol}};
    if (!origin.isEmpty())
        headers.append({"Origin", origin});
    if (!host.isEmpty())
        headers.append({"Host", host});
    const Http::Request request = upgradeRequest(headers);
    QCOMPARE(admission.originAllowed(request), allowed);
    // Both ways in apply the same rule.
    QCOMPARE(!admission.upgradeRefusal(request, UpgradeKind::Native), allowed);
    QCOMPARE(!admission.upgradeRefusal(request, UpgradeKind::SocketIo), allowed);
}

void TestConnectionAdmission::nativeUpgradeNeedsTheSubprotocol_data()
{
    QTest::addColumn<QByteArray>("offered");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("none") << QByteArray() << false;
    QTest::newRow("ours") << QByteArray(kSubprotocol) << true;
    QTest::newRow("among others") << QByteArray("chat, ") + kSubprotocol + " ,x" << true;
    QTest::newRow("another") << QByteArray("tertulia.v0") << false;
    QTest::newRow("ours as a prefix") << QByteArray(kSubprotocol) + "x" << false;
}

void TestConnectionAdmission::nativeUpgradeNeedsTheSubprotocol()
{
    QFETCH(QByteArray, offered);
    QFETCH(bool, accepted);
    ServerLimits limits;
    Metrics metrics;
    MonotonicClock clock;
    ConnectionAdmission admission(limits, metrics, clock);
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!offered.isEmpty())
        headers.append({"Sec-WebSocket-Protocol", offered});
    const Http::Request request = upgradeRequest(headers);
    const auto refused = admission.upgradeRefusal(request, UpgradeKind::Native);
    QCOMPARE(!refused, accepted);
    if (refused) {
        QCOMPARE(refused->reason, AdmissionRefusal::Reason::NoSubprotocol);
        QCOMPARE(refused->httpStatus, 400);
        QVERIFY(refused->message.contains(QLatin1StringView(kSubprotocol)));
    }
    // Engine.IO's upgrade has no subprotocol of ours.
    QVERIFY(!admission.upgradeRefusal(request, UpgradeKind::SocketIo));
}

void TestConnectionAdmission::onlyCountedRefusalsReachTheMetrics()
{
    ServerLimits limits;
    Metrics metrics;
    MonotonicClock clock;
    ConnectionAdmission admission(limits, metrics, clock);
    const Http::Request foreign = upgradeRequest({{"Origin", "https://evil.example"}, {"Sec-WebSocket-Protocol", kSubprotocol}});
    QVERIFY(admission.upgradeRefusal(foreign, UpgradeKind::Native)); // the fast lane's question
    QCOMPARE(metrics.originRefused, quint64(0));
    QVERIFY(admission.refuseUpgrade(foreign, UpgradeKind::Native)); // the answer given
    QCOMPARE(metrics.originRefused, quint64(1));
    QVERIFY(admission.refuseUpgrade(upgradeRequest({}), UpgradeKind::Native)); // no subprotocol: not an origin
    QCOMPARE(metrics.originRefused, quint64(1));
}

void TestConnectionAdmission::bearerToken_data()
{
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QString>("token");
    QTest::newRow("none") << QByteArray() << QString();
    QTest::newRow("bearer") << QByteArray("Bearer abc.def.ghi") << u"abc.def.ghi"_s;
    QTest::newRow("any case, padded") << QByteArray("bEARER   abc  ") << u"abc"_s;
    QTest::newRow("no token") << QByteArray("Bearer ") << QString();
    QTest::newRow("another scheme") << QByteArray("Basic YWxpY2U6eA==") << QString();
    QTest::newRow("no space") << QByteArray("Bearerabc") << QString();
}

void TestConnectionAdmission::bearerToken()
{
    QFETCH(QByteArray, authorization);
    QFETCH(QString, token);
    QList<std::pair<QByteArray, QByteArray>> headers;
    if (!authorization.isEmpty())
        headers.append({"Authorization", authorization});
    QCOMPARE(ConnectionAdmission::bearerToken(upgradeRequest(headers)), token);
}

QTEST_GUILESS_MAIN(TestConnectionAdmission)
#include "tst_connectionadmission.moc"
