// PresenceTracker across nodes: the views other nodes publish, merged, and how they fade when a node is lost
// or asked again, on the server's injectable clock (tests skip it instead of waiting the grace).
#include "support/serverparts.h"
#include "support/testmain.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;

namespace {
/// A fact as a cluster bus hands it over from node "n2".
void fromOtherNode(ServerParts &f, BusEvent event)
{
    event.originNode = u"n2"_s;
    Q_EMIT f.bus.received(event);
}

/// The presence statuses of `user` the wire received, in order.
QList<PresenceStatus> presenceOf(const RecordingTransport *wire, const QString &user)
{
    QList<PresenceStatus> seen;
    for (const Event &event : wire->eventsOf(EventType::Presence)) {
        const auto parsed = PresenceEvent::fromJson(event.data);
        if (const auto *presence = std::get_if<PresenceEvent>(&parsed); presence && presence->user == user)
            seen.append(presence->status);
    }
    return seen;
}

/// Ana signed in here, and bob, on node n2, online in a room they share.
struct TwoNodes
{
    ServerParts f;
    RecordingTransport *anaWire = nullptr;

    bool start()
    {
        if (!f.start())
            return false;
        anaWire = f.signIn(u"ana"_s).second;
        const RoomRecord plans{7, u"plans"_s, false, u"ana"_s, 0, 1};
        fromOtherNode(f, BusEvent::roomCreated(plans));
        fromOtherNode(f, BusEvent::memberJoined(plans, u"bob"_s));
        fromOtherNode(f, BusEvent::presence(u"bob"_s, PresenceStatus::Online));
        return f.presence->status(u"bob"_s) == PresenceStatus::Online;
    }
};
} // namespace

class TestPresenceTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! A lost node's users stay as they were for the presence grace, timed on the server's clock: a skip short
        of the grace changes nothing, the skip that reaches it shows them offline before it returns (a real
        timer would wait the 30 s). */
    void lostNodeFadesOnTheServersClock()
    {
        TwoNodes t;
        QVERIFY(t.start());
        t.f.presence->setNodeGrace(30s);
        QCOMPARE(presenceOf(t.anaWire, u"bob"_s), QList<PresenceStatus>{PresenceStatus::Online});

        t.f.presence->nodeLost(u"n2"_s);
        QCOMPARE(t.f.presence->status(u"bob"_s), PresenceStatus::Online);
        t.f.clock.skip(29000);
        QCOMPARE(t.f.presence->status(u"bob"_s), PresenceStatus::Online);
        QCOMPARE(presenceOf(t.anaWire, u"bob"_s).size(), 1);
        t.f.clock.skip(1000);
        QCOMPARE(t.f.presence->status(u"bob"_s), PresenceStatus::Offline);
        QCOMPARE(presenceOf(t.anaWire, u"bob"_s), (QList<PresenceStatus>{PresenceStatus::Online, PresenceStatus::Offline}));
    }

    /*! After a resynchronisation (this node listens again), a view the other node says again outlives the
        fade of the old one: no flicker during the grace, and still online after it. Two fades at different
        times each end at their own deadline. */
    void resaidViewOutlivesItsFade()
    {
        TwoNodes t;
        QVERIFY(t.start());
        t.f.presence->setNodeGrace(10s);
        t.f.presence->resynchronise();
        t.f.clock.skip(4000);
        fromOtherNode(t.f, BusEvent::presence(u"bob"_s, PresenceStatus::Online)); // n2 answers the request
        t.f.clock.skip(6000); // the old view's fade ends
        QCOMPARE(t.f.presence->status(u"bob"_s), PresenceStatus::Online);
        QCOMPARE(presenceOf(t.anaWire, u"bob"_s), QList<PresenceStatus>{PresenceStatus::Online});

        // n2 is lost 2 s later; its view fades 10 s after that, not with an earlier deadline.
        t.f.clock.skip(2000);
        t.f.presence->nodeLost(u"n2"_s);
        t.f.clock.skip(9999);
        QCOMPARE(t.f.presence->status(u"bob"_s), PresenceStatus::Online);
        t.f.clock.skip(1);
        QCOMPARE(t.f.presence->status(u"bob"_s), PresenceStatus::Offline);
        QCOMPARE(presenceOf(t.anaWire, u"bob"_s), (QList<PresenceStatus>{PresenceStatus::Online, PresenceStatus::Offline}));
    }
};

TERTULIA_SERVER_TEST_MAIN(TestPresenceTracker)
#include "tst_presencetracker.moc"
