// SessionRegistry's housekeeping on the server's own parts (ServerParts: the real registry, rooms and store,
// sessions on recording transports) and an injected MonotonicClock: a pass looks only at the sessions whose
// deadline came, and still pings and closes every one on time.
#include "support/serverparts.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;

class TestSessionRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! 300 idle sessions: nothing is due before the ping interval, so a pass looks at (almost) none of them;
        once the interval passed, one pass pings every one, and the passes after it look at none again. With
        no pong by the idle timeout, every one is closed, each counted once. */
    void passVisitsOnlyDueSessions()
    {
        ServerParts parts;
        QVERIFY(parts.start());
        const ServerLimits &limits = parts.config.limits;
        QVERIFY(limits.pingIntervalMs >= 10'000 && limits.idleTimeoutMs > 2 * limits.pingIntervalMs);
        const int count = 300;
        QList<Session *> sessions;
        for (int i = 0; i < count; ++i)
            sessions << parts.signIn(u"user%1"_s.arg(i)).first;
        QCOMPARE(parts.sessions->sessionCount(), count);

        parts.sessions->sweep();
        QVERIFY2(parts.sessions->lastSweepVisits() < count / 10, qPrintable(QString::number(parts.sessions->lastSweepVisits())));
        for (Session *session : sessions)
            QCOMPARE(session->lastPingMs(), session->connectedAtMs());

        parts.clock.skip(limits.pingIntervalMs);
        parts.sessions->sweep();
        QVERIFY(parts.sessions->lastSweepVisits() >= count);
        for (Session *session : sessions) {
            QVERIFY(session->lastPingMs() >= session->connectedAtMs() + limits.pingIntervalMs);
            QCOMPARE(session->state(), Session::State::Ready);
        }

        parts.sessions->sweep();
        QVERIFY2(parts.sessions->lastSweepVisits() < count / 10, qPrintable(QString::number(parts.sessions->lastSweepVisits())));
        parts.clock.skip(250);
        parts.sessions->sweep();
        QVERIFY2(parts.sessions->lastSweepVisits() < count / 10, qPrintable(QString::number(parts.sessions->lastSweepVisits())));
        QCOMPARE(parts.metrics.idleCloses, quint64(0));

        parts.clock.skip(limits.idleTimeoutMs - limits.pingIntervalMs);
        parts.sessions->sweep();
        for (Session *session : sessions)
            QCOMPARE(session->state(), Session::State::Closing);
        QCOMPARE(parts.metrics.idleCloses, quint64(count));
        parts.clock.skip(limits.idleTimeoutMs);
        parts.sessions->sweep(); // closed sessions are not looked at again
        QCOMPARE(parts.metrics.idleCloses, quint64(count));
        QCOMPARE(parts.sessions->lastSweepVisits(), qsizetype(0));
    }

    /*! Activity moves the idle deadline: a session that keeps talking is pinged but never closed, while a
        silent one beside it is. */
    void activityKeepsASessionOpen()
    {
        ServerParts parts;
        QVERIFY(parts.start());
        const ServerLimits &limits = parts.config.limits;
        auto [talker, talkerTransport] = parts.signIn(u"talker"_s);
        Session *silent = parts.signIn(u"silent"_s).first;
        const qint64 step = limits.pingIntervalMs / 2;
        for (qint64 passed = 0; passed <= limits.idleTimeoutMs; passed += step) {
            parts.clock.skip(step);
            talkerTransport->peerActive(); // a frame or a pong
            parts.sessions->sweep();
        }
        QCOMPARE(talker->state(), Session::State::Ready);
        QVERIFY(talker->lastPingMs() > talker->connectedAtMs());
        QCOMPARE(silent->state(), Session::State::Closing);
        QCOMPARE(parts.metrics.idleCloses, quint64(1));
    }
};

QTEST_GUILESS_MAIN(TestSessionRegistry)
#include "tst_sessionregistry.moc"
