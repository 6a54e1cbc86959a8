// RoomHandler against a real SqliteStore and registries, with a transport that records what a session would
// send: memberships are committed in groups, and join / create_room are answered only after their commit.
#include "support/serverparts.h"
#include "support/testmain.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;


class TestRoomHandler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! join and create_room are answered after the store commits the membership, not when it is written;
        joins of one moment share one commit. */
    void answeredAfterTheCommit()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [alice, aliceWire] = f.signIn(u"alice"_s);
        f.handler->handle(*alice, Request::createRoom(u"c1"_s, {u"general"_s, false}));
        QVERIFY(aliceWire->replies.isEmpty()); // stored off the event loop, then its membership committed
        QTRY_COMPARE(aliceWire->replies.size(), 1);
        QVERIFY(aliceWire->replies.first().isOk());

        QList<std::pair<Session *, RecordingTransport *>> users;
        for (int i = 0; i < 3; ++i)
            users << f.signIn(u"user%1"_s.arg(i));
        const quint64 commits = f.store.commitCount();
        QList<RecordingTransport *> wires;
        for (int i = 0; i < 3; ++i) {
            f.handler->handle(*users[i].first, Request::join(u"j%1"_s.arg(i), u"general"_s));
            wires << users[i].second;
        }
        for (RecordingTransport *wire : std::as_const(wires))
            QVERIFY(wire->replies.isEmpty());
        f.store.flush();
        QCOMPARE(f.store.commitCount(), commits + 1);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(wires[i]->replies.size(), 1);
            QCOMPARE(wires[i]->replies.first().id, u"j%1"_s.arg(i));
            QVERIFY(wires[i]->replies.first().isOk());
        }
        QCOMPARE(f.store.members(f.rooms->loaded(u"general"_s)->record().id).size(), 4);

        // Joining again (already a member) writes nothing: answered at once.
        f.handler->handle(*alice, Request::join(u"again"_s, u"general"_s));
        QCOMPARE(aliceWire->replies.size(), 2);
        QVERIFY(aliceWire->replies.last().isOk());
    }

    /*! A session that goes away before the commit gets nothing; the membership stays committed. */
    void sessionGoneBeforeTheCommit()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [alice, aliceWire] = f.signIn(u"alice"_s);
        f.handler->handle(*alice, Request::createRoom(u"c1"_s, {u"general"_s, false}));
        QTRY_COMPARE(aliceWire->replies.size(), 1);
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        Q_UNUSED(bobWire);
        f.handler->handle(*bob, Request::join(u"j"_s, u"general"_s));
        f.open.removeOne(bob);
        f.sessions->remove(bob);
        delete bob;
        f.store.flush();
        QCOMPARE(f.store.members(f.rooms->loaded(u"general"_s)->record().id).size(), 2);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestRoomHandler)
#include "tst_roomhandler.moc"
