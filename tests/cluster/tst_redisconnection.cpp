// The Qt adapter of hiredis (server/cluster/redisconnection.h) against a real, throw-away redis-server on a
// Unix socket: commands and their replies, pub/sub with binary payloads, a killed connection reported once
// from the event loop, a server that is not there.
#include "redistestserver.h"
#include "server/cluster/redisconnection.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace Tertulia;
using namespace Tertulia::Test;

class TestRedisConnection : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RedisTestServer> m_redis;

    RedisAddress address() const
    {
        QString error;
        return *RedisAddress::fromUrl(m_redis->url(), &error);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (RedisTestServer::serverBinary().isEmpty() && !RedisTestServer::required())
            QSKIP("redis-server is not installed (Debian: redis-server)");
        m_redis = std::make_unique<RedisTestServer>();
        QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    }

    /*! Commands are sent before the connection is up; replies come back in order, of every type. */
    void commandsAndReplies()
    {
        RedisConnection connection(address());
        QSignalSpy connected(&connection, &RedisConnection::connected);
        QString error;
        QVERIFY2(connection.open(&error), qPrintable(error));
        QList<RedisReply> replies;
        auto collect = [&](const RedisReply &reply) { replies.append(reply); };
        const QByteArray binary("a\0b|c\r\n", 7);
        QVERIFY(connection.command({"SET", "key", binary}, collect));
        QVERIFY(connection.command({"GET", "key"}, collect));
        QVERIFY(connection.command({"GET", "missing"}, collect));
        QVERIFY(connection.command({"INCRBY", "counter", "41"}, collect));
        QVERIFY(connection.command({"RPUSH", "list", "x", "y"}, collect));
        QVERIFY(connection.command({"LRANGE", "list", "0", "-1"}, collect));
        QVERIFY(connection.command({"NOSUCHCOMMAND"}, collect));
        QTRY_COMPARE(replies.size(), 7);
        QVERIFY(connected.count() == 1 && connection.isConnected());
        QCOMPARE(replies[0].type, RedisReply::Type::Status);
        QCOMPARE(replies[0].text, QByteArray("OK"));
        QCOMPARE(replies[1].type, RedisReply::Type::String);
        QCOMPARE(replies[1].text, binary);
        QCOMPARE(replies[2].type, RedisReply::Type::Nil);
        QCOMPARE(replies[3].type, RedisReply::Type::Integer);
        QCOMPARE(replies[3].integer, 41);
        QCOMPARE(replies[5].type, RedisReply::Type::Array);
        QCOMPARE(replies[5].elements.size(), 2);
        QCOMPARE(replies[5].elements[1].text, QByteArray("y"));
        QVERIFY(replies[6].isError());
    }

    /*! SUBSCRIBE confirms each channel; PUBLISHed messages arrive whole and in order, binary ones too; a
        subscriber drains what arrived without waiting for the event loop. */
    void publishSubscribe()
    {
        RedisConnection subscriber(address()), publisher(address());
        QString error;
        QVERIFY(subscriber.open(&error) && publisher.open(&error));
        QSignalSpy subscribed(&subscriber, &RedisConnection::subscribed);
        QList<QPair<QByteArray, QByteArray>> received;
        connect(&subscriber, &RedisConnection::message, this,
                [&](const QByteArray &channel, const QByteArray &payload) { received.append({channel, payload}); });
        QVERIFY(subscriber.subscribe({"one", "two"}));
        QTRY_COMPARE(subscribed.count(), 2);
        QCOMPARE(subscribed.at(0).at(0).toByteArray(), QByteArray("one"));
        QList<QByteArray> sent;
        for (int i = 0; i < 200; ++i) {
            sent.append("m|n1|" + QByteArray::number(i) + QByteArray(i % 7, '\0'));
            QVERIFY(publisher.command({"PUBLISH", i % 2 ? "one" : "two", sent.back()}));
        }
        QTRY_COMPARE(received.size(), 200);
        for (int i = 0; i < 200; ++i) {
            QCOMPARE(received[i].first, QByteArray(i % 2 ? "one" : "two"));
            QCOMPARE(received[i].second, sent[i]);
        }

        // readPending() handles what is on the socket now, inside the caller.
        bool answered = false;
        QVERIFY(publisher.command({"PUBLISH", "one", "now"}, [&](const RedisReply &) { answered = true; }));
        QTRY_VERIFY(answered); // the server has forwarded it before it answered the publisher
        QTRY_VERIFY_WITH_TIMEOUT((subscriber.readPending(), received.size() == 201), 5000);
        QCOMPARE(received.last().second, QByteArray("now"));
    }

    /*! A connection the server kills is reported once, from the event loop, and is closed: commands fail
        until it is opened again. */
    void killedConnection()
    {
        RedisConnection subscriber(address());
        QString error;
        QVERIFY(subscriber.open(&error));
        QSignalSpy subscribed(&subscriber, &RedisConnection::subscribed);
        QSignalSpy disconnected(&subscriber, &RedisConnection::disconnected);
        QVERIFY(subscriber.subscribe({"victim"}));
        QTRY_COMPARE(subscribed.count(), 1);
        QCOMPARE(m_redis->cli({u"CLIENT"_s, u"KILL"_s, u"TYPE"_s, u"pubsub"_s}), QByteArray("1"));
        QVERIFY(disconnected.wait(5000));
        QVERIFY(!subscriber.isOpen());
        QVERIFY(!subscriber.command({"PING"}));
        QVERIFY(!disconnected.wait(200)); // once
        QCOMPARE(disconnected.count(), 1);
        QVERIFY(subscriber.open(&error));
        QVERIFY(subscriber.subscribe({"victim"}));
        QTRY_COMPARE(subscribed.count(), 2);
    }

    /*! Closing from inside a reply handler (hiredis is on the stack) is safe and reports nothing. */
    void closeInsideCallback()
    {
        RedisConnection connection(address());
        QString error;
        QVERIFY(connection.open(&error));
        QSignalSpy disconnected(&connection, &RedisConnection::disconnected);
        bool handled = false;
        QVERIFY(connection.command({"PING"}, [&](const RedisReply &reply) {
            handled = reply.text == "PONG";
            connection.close();
        }));
        QVERIFY(connection.command({"PING"}, [&](const RedisReply &) { QFAIL("a reply after close()"); }));
        QTRY_VERIFY(handled);
        QVERIFY(!connection.isOpen());
        QVERIFY(!disconnected.wait(200));
    }

    /*! No server at that address: open() fails at once with a line that names the address. */
    void nobodyThere()
    {
        QString error;
        const auto missing = RedisAddress::fromUrl(m_redis->url() + u".missing"_s, &error);
        RedisConnection connection(*missing);
        QVERIFY(!connection.open(&error));
        QVERIFY2(error.contains(u"cannot connect to Redis at unix://"_s), qPrintable(error));
        QVERIFY(!connection.isOpen());
    }
};

QTEST_GUILESS_MAIN(TestRedisConnection)
#include "tst_redisconnection.moc"
