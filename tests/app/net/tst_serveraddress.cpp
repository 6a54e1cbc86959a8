// Server addresses as users type them: every accepted form gives the right WebSocket URL, API URL
// and id; everything else is refused.
#include "app/net/serveraddress.h"

#include <QtTest/QTest>

using namespace Tertulia;
using namespace Qt::StringLiterals;

class TestServerAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! host, host:port, IPv6, http(s) and ws(s) URLs parse to the same parts. */
    void parses_data();
    void parses();
    /*! Paths, queries, user info, unknown schemes and bad ports are refused. */
    void refuses_data();
    void refuses();
};

void TestServerAddress::parses_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("webSocket");
    QTest::addColumn<QString>("login");
    QTest::addColumn<QString>("id");

    QTest::newRow("host only") << u"chat.example.org"_s << u"ws://chat.example.org:7420/ws"_s
                               << u"http://chat.example.org:7420/api/v1/login"_s << u"chat.example.org:7420"_s;
    QTest::newRow("host:port") << u"192.168.1.20:8080"_s << u"ws://192.168.1.20:8080/ws"_s
                               << u"http://192.168.1.20:8080/api/v1/login"_s << u"192.168.1.20:8080"_s;
    QTest::newRow("spaces and case") << u"  Chat.Example.ORG:9000 "_s << u"ws://chat.example.org:9000/ws"_s
                                     << u"http://chat.example.org:9000/api/v1/login"_s
                                     << u"chat.example.org:9000"_s;
    QTest::newRow("ipv6") << u"[::1]:4000"_s << u"ws://[::1]:4000/ws"_s << u"http://[::1]:4000/api/v1/login"_s
                          << u"[::1]:4000"_s;
    QTest::newRow("http url") << u"http://10.0.0.5:7000/"_s << u"ws://10.0.0.5:7000/ws"_s
                              << u"http://10.0.0.5:7000/api/v1/login"_s << u"10.0.0.5:7000"_s;
    QTest::newRow("https default port") << u"https://chat.example.org"_s << u"wss://chat.example.org:7420/ws"_s
                                        << u"https://chat.example.org:7420/api/v1/login"_s
                                        << u"https://chat.example.org:7420"_s;
    QTest::newRow("ws url with path") << u"ws://127.0.0.1:5555/ws"_s << u"ws://127.0.0.1:5555/ws"_s
                                      << u"http://127.0.0.1:5555/api/v1/login"_s << u"127.0.0.1:5555"_s;
    QTest::newRow("wss url") << u"wss://h.example:443/ws"_s << u"wss://h.example:443/ws"_s
                             << u"https://h.example:443/api/v1/login"_s << u"https://h.example:443"_s;
}

void TestServerAddress::parses()
{
    QFETCH(QString, input);
    QFETCH(QString, webSocket);
    QFETCH(QString, login);
    QFETCH(QString, id);
    const auto address = ServerAddress::parse(input);
    QVERIFY(address.has_value());
    QVERIFY(address->isValid());
    QCOMPARE(address->webSocketUrl().toString(), webSocket);
    QCOMPARE(address->apiUrl(u"login"_s).toString(), login);
    QCOMPARE(address->id(), id);
    // The id parses back to the same address (it is what the server list stores).
    QCOMPARE(ServerAddress::parse(address->id()), address);
}

void TestServerAddress::refuses_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << u"   "_s;
    QTest::newRow("other path") << u"http://host:80/admin"_s;
    QTest::newRow("query") << u"http://host:80/?x=1"_s;
    QTest::newRow("user info") << u"http://bob:pw@host:80"_s;
    QTest::newRow("ftp") << u"ftp://host"_s;
    QTest::newRow("port zero") << u"host:0"_s;
    QTest::newRow("port too big") << u"host:70000"_s;
    QTest::newRow("port not a number") << u"host:abc"_s;
    QTest::newRow("space in host") << u"my host:80"_s;
}

void TestServerAddress::refuses()
{
    QFETCH(QString, input);
    QVERIFY(!ServerAddress::parse(input).has_value());
}

QTEST_APPLESS_MAIN(TestServerAddress)
#include "tst_serveraddress.moc"
