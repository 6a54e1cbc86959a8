// The admin API's route table (server/api/adminroutes.h): 404/405 decided without a server.
#include "server/api/adminroutes.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace Tertulia;
using namespace Tertulia::Admin;
using L1 = QLatin1StringView;

class TestAdminRoutes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! The table: exact segments, one "{}" per parameter, 405 with Allow for a known path, 404 otherwise. */
    void routes()
    {
        RouteTable table;
        QCOMPARE(table.add("GET", u"connections"_s), 0);
        QCOMPARE(table.add("POST", u"connections/{}/disconnect"_s), 1);
        QCOMPARE(table.add("GET", u"users"_s), 2);
        QCOMPARE(table.add("POST", u"users/{}/sign-out-everywhere"_s), 3);

        auto route = [&](QByteArrayView method, QStringView path) {
            const auto resolved = table.resolve(method, path);
            return std::holds_alternative<RouteTable::Match>(resolved) ? std::get<RouteTable::Match>(resolved)
                                                                       : RouteTable::Match{};
        };
        auto status = [&](QByteArrayView method, QStringView path) {
            const auto resolved = table.resolve(method, path);
            return std::holds_alternative<Http::Response>(resolved) ? std::get<Http::Response>(resolved).status : 200;
        };
        QCOMPARE(route("GET", u"connections").route, 0);
        const RouteTable::Match disconnect = route("POST", u"connections/17/disconnect");
        QCOMPARE(disconnect.route, 1);
        QCOMPARE(disconnect.params, QStringList{u"17"_s});
        QCOMPARE(route("POST", u"users/alice/sign-out-everywhere").params, QStringList{u"alice"_s});

        QCOMPARE(status("GET", u"connection"), 404);
        QCOMPARE(status("GET", u"connections/"), 404);            // a trailing slash is another path
        QCOMPARE(status("GET", u""), 404);
        QCOMPARE(status("POST", u"connections//disconnect"), 404); // an empty parameter
        QCOMPARE(status("POST", u"connections/1/disconnect/more"), 404);
        QCOMPARE(status("POST", QString(u"connections/"_s + QString(RouteTable::kMaxSegment + 1, u'7') + u"/disconnect"_s)), 404);
        QCOMPARE(status("get", u"connections"), 405);              // methods are case-sensitive (RFC 9110)

        const auto wrong = table.resolve("DELETE", u"connections/1/disconnect");
        QVERIFY(std::holds_alternative<Http::Response>(wrong));
        const Http::Response &refusal = std::get<Http::Response>(wrong);
        QCOMPARE(refusal.status, 405);
        QCOMPARE(refusal.header("allow"), QByteArray("POST"));
        const QJsonObject body = QJsonDocument::fromJson(refusal.body).object();
        QCOMPARE(body.value(L1("error")).toObject().value(L1("code")).toString(), u"bad_request"_s);

        // A hostile path is not echoed back whole.
        const auto long404 = table.resolve("GET", QString(200, u'z'));
        QVERIFY(std::get<Http::Response>(long404).body.size() < 200);
    }
};

QTEST_GUILESS_MAIN(TestAdminRoutes)
#include "tst_adminroutes.moc"
