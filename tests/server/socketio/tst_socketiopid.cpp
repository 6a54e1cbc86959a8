// Signed Socket.IO pids (several nodes): any node with the key verifies them; nothing else passes.
#include "server/auth/jwt.h"
#include "server/socketio/chat/socketiopid.h"

#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace Tertulia;

class TestSocketIoPid : public QObject
{
    Q_OBJECT

private:
    const QByteArray m_key = Jwt::hmacSha256("socket.io pid", QByteArray(32, 'k'));

private Q_SLOTS:
    void roundTripOnAnyNode()
    {
        const SocketIoPid issuer(m_key), otherNode(m_key);
        const QString pid = issuer.issue({u"ana"_s, u"sock-1"_s});
        const auto claims = otherNode.verify(pid);
        QVERIFY(claims);
        QCOMPARE(claims->userKey, u"ana"_s);
        QCOMPARE(claims->socketId, u"sock-1"_s);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("pid");
        const SocketIoPid issuer(m_key);
        const QString good = issuer.issue({u"ana"_s, u"sock-1"_s});
        QString tampered = good;
        tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == u'A' ? u'B' : u'A';
        QTest::newRow("empty") << QString();
        QTest::newRow("random") << u"no-such-pid"_s;
        QTest::newRow("tampered") << tampered;
        QTest::newRow("another secret") << SocketIoPid(Jwt::hmacSha256("socket.io pid", QByteArray(32, 'x')))
                                               .issue({u"ana"_s, u"sock-1"_s});
        // Signed with the right key but not a pid (e.g. something else derived from the same purpose).
        QTest::newRow("wrong type") << QString::fromLatin1(
            Jwt::sign(QJsonObject{{u"typ"_s, u"access"_s}, {u"sub"_s, u"ana"_s}, {u"sock"_s, u"s"_s}}, m_key));
        QTest::newRow("no user") << QString::fromLatin1(
            Jwt::sign(QJsonObject{{u"typ"_s, u"sio-pid"_s}, {u"sock"_s, u"s"_s}}, m_key));
        QTest::newRow("huge") << QString(5000, u'a');
        QTest::newRow("not latin-1") << u"ñandú.ñandú.ñandú"_s;
    }
    void refused()
    {
        QFETCH(QString, pid);
        QVERIFY(!SocketIoPid(m_key).verify(pid));
    }
};

QTEST_GUILESS_MAIN(TestSocketIoPid)
#include "tst_socketiopid.moc"
