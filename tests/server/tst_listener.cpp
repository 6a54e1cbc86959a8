// The server's Listener on real sockets: the listen backlog, the fast lane (a complete request head is offered
// with its bytes unread; taken or left to accepted() with every byte still there), the wait for a head that
// comes later, the deadline of that wait, and accepting everything before setting up a few per pass.
#include "rawtcp.h"

#include "server/net/connectionadmission.h"
#include "server/net/listener.h"
#include "support/testmain.h"

#include <QtCore/QFile>
#include <QtCore/QScopeGuard>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;

namespace {

const QByteArray kHead = "GET /ws HTTP/1.1\r\nHost: x\r\n\r\n";

/// The fast lane is part of the platform extras (TERTULIA_PLATFORM_EXTRAS, Linux); without them (Windows, macOS,
/// the portable preset) the listener makes a QTcpSocket of every connection at once and never offers one.
#ifdef TERTULIA_HAVE_FAST_PATH
#define REQUIRE_FAST_LANE()
#else
#define REQUIRE_FAST_LANE() QSKIP("the fast lane needs the platform extras (TERTULIA_PLATFORM_EXTRAS, Linux)")
#endif

/// What the lane was offered, once per call.
struct Offer
{
    int descriptor;
    QString peer;
    QByteArray bytes;
    qsizetype queuedAtCall;
};

} // namespace

class TestListener : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! The backlog is the kernel's cap (net.core.somaxconn) where it can be read, never below 1024. */
    void backlog()
    {
        Listener listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        QCOMPARE(listener.listenBacklogSize(), Listener::backlogSize());
        QVERIFY(Listener::backlogSize() >= 1024);
        QFile somaxconn(u"/proc/sys/net/core/somaxconn"_s);
        if (somaxconn.open(QIODevice::ReadOnly)) {
            const int cap = somaxconn.readAll().trimmed().toInt();
            QCOMPARE(Listener::backlogSize(), std::clamp(cap, 1024, 65535));
        }
    }

    /*! Without the platform extras (what Windows and macOS run) a lane is never offered anything: every
        connection, with or without a complete head, is announced with accepted() at once, its bytes unread. */
    void portableAnnouncesEveryConnection()
    {
#ifdef TERTULIA_HAVE_FAST_PATH
        QSKIP("with the platform extras complete heads go to the lane (laneTakesACompleteHead)");
#endif
        Listener listener;
        int offered = 0;
        listener.setFastLane([&offered](int, const QString &, QByteArrayView, std::unique_ptr<AdmissionTicket> &) {
            ++offered;
            return true;
        });
        QList<QTcpSocket *> sockets;
        connect(&listener, &Listener::accepted, this, [&sockets](QTcpSocket *socket) { sockets << socket; });
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));

        const int withHead = connectBlocking(listener.serverPort());
        QVERIFY(withHead >= 0);
        const auto closeWithHead = qScopeGuard([withHead] { ::close(withHead); });
        QVERIFY(sendAll(withHead, kHead + "rest"));
        QTRY_COMPARE(sockets.size(), 1);
        QTRY_COMPARE(sockets.first()->bytesAvailable(), kHead.size() + 4);
        QCOMPARE(sockets.first()->readAll(), kHead + "rest");

        const int silent = connectBlocking(listener.serverPort());
        QVERIFY(silent >= 0);
        const auto closeSilent = qScopeGuard([silent] { ::close(silent); });
        QTRY_COMPARE(sockets.size(), 2); // no head wait: announced at once
        QCOMPARE(offered, 0);
        QCOMPARE(listener.fastLaneCount(), quint64(0));
        QCOMPARE(listener.queuedCount(), 0);
    }

    /*! A head complete at accept time is offered with its bytes (and what follows) unread; the lane that takes
        it owns the descriptor; accepted() is not emitted. */
    void laneTakesACompleteHead()
    {
        REQUIRE_FAST_LANE();
        Listener listener;
        QList<Offer> offers;
        listener.setFastLane([&](int descriptor, const QString &peer, QByteArrayView bytes, std::unique_ptr<AdmissionTicket> &) {
            offers << Offer{descriptor, peer, bytes.toByteArray(), listener.queuedCount()};
            char drained[256];
            const ssize_t n = ::recv(descriptor, drained, sizeof drained, MSG_DONTWAIT);
            const QByteArray answer = "took " + QByteArray::number(qint64(n));
            ::send(descriptor, answer.constData(), size_t(answer.size()), kSendFlags);
            ::close(descriptor);
            return true;
        });
        QSignalSpy accepted(&listener, &Listener::accepted);
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));

        const int client = connectBlocking(listener.serverPort());
        QVERIFY(client >= 0);
        const auto closeClient = qScopeGuard([client] { ::close(client); });
        QVERIFY(sendAll(client, kHead + "first frame"));
        QTRY_COMPARE(offers.size(), 1);
        QCOMPARE(offers.first().bytes, kHead + "first frame"); // peeked: the lane reads them itself
        QCOMPARE(offers.first().peer, u"127.0.0.1"_s);
        QCOMPARE(readBytes(client, 9), QByteArray("took ") + QByteArray::number(kHead.size() + 11));
        QCOMPARE(listener.fastLaneCount(), quint64(1));

        // A head that comes after the accept: waited for, then offered the same way.
        const int later = connectBlocking(listener.serverPort());
        QVERIFY(later >= 0);
        const auto closeLater = qScopeGuard([later] { ::close(later); });
        QTRY_COMPARE(listener.queuedCount(), 1); // accepted, waiting for its head
        QCOMPARE(offers.size(), 1);
        QVERIFY(sendAll(later, kHead));
        QTRY_COMPARE(offers.size(), 2);
        QCOMPARE(offers.last().bytes, kHead);
        QCOMPARE(readBytes(later, 7), QByteArray("took ") + QByteArray::number(kHead.size()));
        QCOMPARE(listener.fastLaneCount(), quint64(2));
        QCOMPARE(listener.queuedCount(), 0);
        QCOMPARE(accepted.size(), 0);
    }

    /*! A lane that declines, or a head that comes in parts, leaves every byte to the QTcpSocket that accepted()
        announces. */
    void laneWaitsAndDeclines()
    {
        REQUIRE_FAST_LANE();
        Listener listener;
        QList<Offer> offers;
        listener.setFastLane([&](int descriptor, const QString &peer, QByteArrayView bytes, std::unique_ptr<AdmissionTicket> &) {
            offers << Offer{descriptor, peer, bytes.toByteArray(), listener.queuedCount()};
            return false;
        });
        QList<QTcpSocket *> sockets;
        connect(&listener, &Listener::accepted, this, [&sockets](QTcpSocket *socket) { sockets << socket; });
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));

        const int client = connectBlocking(listener.serverPort());
        QVERIFY(client >= 0);
        const auto closeClient = qScopeGuard([client] { ::close(client); });
        QTRY_COMPARE(listener.queuedCount(), 1); // accepted, waiting for its head
        QVERIFY(offers.isEmpty());
        QVERIFY(sendAll(client, "GET /ws HTTP/1.1\r\n")); // part of a head: not offered yet...
        QVERIFY(sendAll(client, "Host: x\r\n\r\nrest"));
        QTRY_COMPARE(sockets.size(), 1);
        // ...unless both parts arrived together before the notifier fired; either way at most one offer.
        QVERIFY(offers.size() <= 1);
        QTRY_COMPARE(sockets.first()->bytesAvailable(), kHead.size() + 4);
        QCOMPARE(sockets.first()->readAll(), kHead + "rest");
        QCOMPARE(listener.fastLaneCount(), quint64(0));
        QCOMPARE(listener.queuedCount(), 0);
    }

    /*! A client that says nothing is left to accepted() when the head wait is over (whose own deadline then
        applies); one that closes without a word is dropped. */
    void silentAndClosedClients()
    {
        REQUIRE_FAST_LANE();
        Listener listener;
        int offered = 0;
        listener.setFastLane([&offered](int, const QString &, QByteArrayView, std::unique_ptr<AdmissionTicket> &) {
            ++offered;
            return true;
        });
        listener.setHeadWait(100);
        QSignalSpy accepted(&listener, &Listener::accepted);
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));

        const int silent = connectBlocking(listener.serverPort());
        QVERIFY(silent >= 0);
        const auto closeSilent = qScopeGuard([silent] { ::close(silent); });
        QVERIFY(accepted.wait(5000));
        QCOMPARE(offered, 0);

        const int leaving = connectBlocking(listener.serverPort());
        QVERIFY(leaving >= 0);
        QTRY_COMPARE(listener.queuedCount(), 1);
        ::close(leaving);
        QTRY_COMPARE(listener.queuedCount(), 0);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(offered, 0);
    }

    /*! Every pending connection is accepted at once, the setting up comes after: the first offer already sees
        the others queued; all are served. */
    void acceptsAllThenSetsUp()
    {
        REQUIRE_FAST_LANE();
        constexpr int count = 200;
        Listener listener;
        QList<Offer> offers;
        listener.setFastLane([&](int descriptor, const QString &peer, QByteArrayView bytes, std::unique_ptr<AdmissionTicket> &) {
            offers << Offer{descriptor, peer, bytes.toByteArray(), listener.queuedCount()};
            ::send(descriptor, "ok", 2, kSendFlags);
            ::close(descriptor);
            return true;
        });
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        std::vector<int> clients;
        const auto closeClients = qScopeGuard([&clients] {
            for (int fd : clients)
                ::close(fd);
        });
        for (int i = 0; i < count; ++i) {
            clients.push_back(connectBlocking(listener.serverPort()));
            QVERIFY(clients.back() >= 0);
            QVERIFY(sendAll(clients.back(), kHead));
        }
        QTRY_COMPARE(offers.size(), count);
        QCOMPARE(offers.first().queuedAtCall, count - 1);
        for (int fd : clients)
            QCOMPARE(readBytes(fd, 2), QByteArray("ok"));
        QCOMPARE(listener.queuedCount(), 0);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestListener)
#include "tst_listener.moc"
