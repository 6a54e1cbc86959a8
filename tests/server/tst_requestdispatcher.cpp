// The request chain on its own: each filter alone, their order, and routing to exactly one handler; no
// sockets (sessions on recording transports, the server's own pieces from ServerParts).
#include "server/core/requestdispatcher.h"
#include "server/handlers/requesthandler.h"
#include "server/session/ratelimiter.h"
#include "support/printers.h"
#include "support/serverparts.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;

namespace {
/// Answers its types with ok and remembers what it handled.
class EchoHandler final : public RequestHandler
{
public:
    EchoHandler(ServerContext &context, QList<RequestType> types) : RequestHandler(context), m_types(std::move(types)) { }
    QList<RequestType> types() const override { return m_types; }
    void handle(Session &session, const Request &request) override
    {
        handled.append(request.type);
        session.reply(Reply::ok(request.id));
    }
    QList<RequestType> handled;

private:
    QList<RequestType> m_types;
};

QList<RequestType> allTypes()
{
    QList<RequestType> types;
    for (std::size_t i = 0; i < kRequestTypeCount; ++i)
        types.append(RequestType(i));
    return types;
}
} // namespace

class TestRequestDispatcher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void authGateAlone()
    {
        ServerParts parts;
        QVERIFY(parts.start());
        auto *transport = new RecordingTransport;
        Session anonymous(1, transport, parts.config.limits, parts.metrics, parts.clock);
        const auto gate = RequestFilters::authGate();
        QVERIFY(!gate(anonymous, Request::join(u"1"_s, u"plaza"_s)));
        QCOMPARE(transport->replies.size(), 1);
        QCOMPARE(transport->replies.first().error->code, ErrorCode::NotAuthenticated);
        QVERIFY(gate(anonymous, Request{RequestType::Auth, u"2"_s, {}, {}})); // auth itself goes on
        const auto [signedIn, recorded] = parts.signIn(u"ana"_s);
        QVERIFY(gate(*signedIn, Request::join(u"3"_s, u"plaza"_s)));
        QVERIFY(recorded->replies.isEmpty());
    }

    void rateLimitAlone()
    {
        ServerParts parts;
        parts.config.limits.rateBurst = 2;
        parts.config.limits.ratePerSecond = 0.001;
        QVERIFY(parts.start());
        RateLimiter limiter(parts.config.limits, parts.metrics, parts.clock);
        const auto filter = RequestFilters::rateLimit(limiter);
        const auto [session, transport] = parts.signIn(u"ana"_s);
        QVERIFY(filter(*session, Request::join(u"1"_s, u"a"_s)));
        QVERIFY(filter(*session, Request::join(u"2"_s, u"b"_s)));
        QVERIFY(!filter(*session, Request::join(u"3"_s, u"c"_s)));
        QCOMPARE(transport->replies.last().error->code, ErrorCode::RateLimited);
    }

    /*! Filters run in the order added; the first that answers stops the request before the handler. */
    void chainOrderAndStop()
    {
        ServerParts parts;
        QVERIFY(parts.start());
        RequestDispatcher dispatcher;
        EchoHandler echo(*parts.context, allTypes());
        QVERIFY(dispatcher.route(echo));
        QStringList ran;
        dispatcher.addFilter(u"first"_s, [&](Session &, const Request &) { ran << u"first"_s; return true; });
        dispatcher.addFilter(u"stopper"_s, [&](Session &session, const Request &request) {
            ran << u"stopper"_s;
            if (request.type != RequestType::Ping)
                return true;
            session.reply(Reply::failure(request.id, ErrorCode::Forbidden, u"no"_s));
            return false;
        });
        dispatcher.addFilter(u"last"_s, [&](Session &, const Request &) { ran << u"last"_s; return true; });
        QCOMPARE(dispatcher.filterNames(), (QStringList{u"first"_s, u"stopper"_s, u"last"_s}));
        const auto [session, transport] = parts.signIn(u"ana"_s);
        dispatcher.dispatch(*session, Request{RequestType::Ping, u"1"_s, {}, {}});
        QCOMPARE(ran, (QStringList{u"first"_s, u"stopper"_s}));
        QVERIFY(echo.handled.isEmpty());
        QCOMPARE(transport->replies.size(), 1);
        ran.clear();
        dispatcher.dispatch(*session, Request::join(u"2"_s, u"plaza"_s));
        QCOMPARE(ran, (QStringList{u"first"_s, u"stopper"_s, u"last"_s}));
        QCOMPARE(echo.handled, QList<RequestType>{RequestType::Join});
    }

    /*! Each type goes to exactly one handler; a type nobody serves still gets one answer. */
    void routing()
    {
        ServerParts parts;
        QVERIFY(parts.start());
        RequestDispatcher dispatcher;
        EchoHandler pings(*parts.context, {RequestType::Ping});
        EchoHandler rival(*parts.context, {RequestType::Ping, RequestType::Send});
        QVERIFY(dispatcher.route(pings));
        QVERIFY(!dispatcher.route(rival)); // Ping is taken; Send is routed to it all the same
        QVERIFY(!dispatcher.isComplete());
        const auto [session, transport] = parts.signIn(u"ana"_s);
        dispatcher.dispatch(*session, Request{RequestType::Ping, u"1"_s, {}, {}});
        QCOMPARE(pings.handled.size(), 1);
        QVERIFY(rival.handled.isEmpty());
        dispatcher.dispatch(*session, Request::join(u"2"_s, u"plaza"_s));
        QCOMPARE(transport->replies.last().error->code, ErrorCode::UnknownType);
        EchoHandler rest(*parts.context, allTypes());
        QVERIFY(!dispatcher.route(rest));
        QVERIFY(dispatcher.isComplete());
    }
};

QTEST_GUILESS_MAIN(TestRequestDispatcher)
#include "tst_requestdispatcher.moc"
