// Session's delivery holds (while a `resume` reads its replay off the event loop) on the server's own parts
// (ServerParts: sessions on recording transports) and an injected MonotonicClock: what waits goes out in
// order once released, and counts against the same unsent-bytes bound as a socket's queue, so a replay the
// database holds up in a busy room closes the session as a slow consumer instead of growing without bound.
#include "support/serverparts.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Test;
using Protocol::ChatMessage;
using Protocol::Event;
using Protocol::EventType;

namespace {

/// A room message of about `textBytes` bytes, as the room would deliver it.
SharedEvent messageEvent(qint64 seq, qsizetype textBytes = 16)
{
    return makeEvent(Event::message(ChatMessage{u"plaza"_s, seq, u"ana"_s, QString(textBytes, u'x'),
                                                u"m%1"_s.arg(seq), 1'700'000'000'000 + seq}));
}

QList<qint64> seqsOf(const QList<Event> &events)
{
    QList<qint64> seqs;
    for (const Event &event : events)
        seqs << event.data.value(u"seq"_s).toInteger();
    return seqs;
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! Held events wait, in arrival order, through nested holds, and go out when the last hold ends. */
    void heldDeliveriesGoOutInOrder()
    {
        ServerParts parts;
        QVERIFY(parts.start());
        auto [session, transport] = parts.signIn(u"bob"_s);
        const qsizetype before = transport->events.size();
        session->holdDeliveries();
        session->holdDeliveries();
        for (qint64 seq = 1; seq <= 5; ++seq)
            session->deliver(messageEvent(seq), {});
        QCOMPARE(transport->events.size(), before);
        session->releaseDeliveries();
        QCOMPARE(transport->events.size(), before); // one hold is still on
        session->releaseDeliveries();
        QCOMPARE(seqsOf(transport->eventsOf(EventType::Message)), (QList<qint64>{1, 2, 3, 4, 5}));
        QCOMPARE(session->state(), Session::State::Ready);
        // No hold: straight out.
        session->deliver(messageEvent(6), {});
        QCOMPARE(seqsOf(transport->eventsOf(EventType::Message)).last(), 6);
    }

    /*! Far over the bound (four times it) while held: closed at once as a slow consumer, counted once, and
        what waited is dropped (the client resumes from its last seq when it is back); releasing afterwards
        sends nothing. */
    void heldFarOverTheBoundClosesAtOnce()
    {
        ServerParts parts;
        parts.config.limits.maxBufferedBytes = 4096;
        QVERIFY(parts.start());
        auto [session, transport] = parts.signIn(u"bob"_s);
        const qsizetype before = transport->events.size();
        session->holdDeliveries();
        qint64 seq = 0;
        while (session->state() != Session::State::Closing && seq < 100)
            session->deliver(messageEvent(++seq, 1000), {});
        QCOMPARE(session->state(), Session::State::Closing);
        // The first frame that took what waited past four times the bound closed it.
        const qsizetype frame = messageEvent(1, 1000)->nativeFrame().size();
        QCOMPARE(seq, 4 * 4096 / frame + 1);
        QCOMPARE(parts.metrics.slowConsumerCloses, quint64(1));
        session->deliver(messageEvent(++seq, 1000), {});
        session->releaseDeliveries();
        QCOMPARE(transport->events.size(), before);
        QCOMPARE(parts.metrics.slowConsumerCloses, quint64(1));
    }

    /*! Over the bound but under four times it: the session gets the grace period, as a socket's queue
        would. If the hold ends in time, everything goes out and the session stays; if not, the registry's
        sweep closes it when the grace ends, with no more deliveries needed. */
    void heldOverTheBoundGetsTheGrace()
    {
        ServerParts parts;
        parts.config.limits.maxBufferedBytes = 4096;
        QVERIFY(parts.start());
        const int grace = parts.config.limits.slowConsumerGraceMs;
        auto [quick, quickTransport] = parts.signIn(u"quick"_s);
        auto [slow, slowTransport] = parts.signIn(u"slow"_s);
        for (Session *session : {quick, slow}) {
            session->holdDeliveries();
            for (qint64 seq = 1; seq <= 8; ++seq) // about 8 kB: twice the bound
                session->deliver(messageEvent(seq, 1000), {});
            QCOMPARE(session->state(), Session::State::Ready);
            QVERIFY(session->isBacklogged());
        }

        parts.clock.skip(grace / 2);
        parts.sessions->sweep();
        QCOMPARE(quick->state(), Session::State::Ready);
        QCOMPARE(slow->state(), Session::State::Ready);
        quick->releaseDeliveries();
        QCOMPARE(seqsOf(quickTransport->eventsOf(EventType::Message)), (QList<qint64>{1, 2, 3, 4, 5, 6, 7, 8}));

        parts.clock.skip(grace);
        parts.sessions->sweep();
        QCOMPARE(quick->state(), Session::State::Ready);
        QVERIFY(!quick->isBacklogged());
        QCOMPARE(slow->state(), Session::State::Closing);
        QCOMPARE(parts.metrics.slowConsumerCloses, quint64(1));
        slow->releaseDeliveries();
        QVERIFY(slowTransport->eventsOf(EventType::Message).isEmpty());
    }

    /*! The connect path's frames kept as values (written straight to JSON for the native transports) are the
        same events and replies for everyone else: the same Event, the same native frame, the same Reply. */
    void framesKeptAsValues()
    {
        const Protocol::HelloInfo info{u"ana"_s, {u"node"_s, u"1.0"_s, 4096}, 900, u"Ana"_s, true, u"v1"_s};
        const OutboundEvent hello = OutboundEvent::hello(info);
        QCOMPARE(hello.type(), EventType::Hello);
        QVERIFY(!hello.isNotification());
        QCOMPARE(hello.encodeNative(), Protocol::encode(Event::hello(info)));
        QCOMPARE(hello.nativeFrame(), QString::fromUtf8(Protocol::encode(Event::hello(info))));
        QCOMPARE(hello.event(), Event::hello(info));

        const Protocol::MembershipEvent joined{u"plaza"_s, u"ana"_s};
        const OutboundEvent memberJoined = OutboundEvent::memberJoined(joined);
        QCOMPARE(memberJoined.type(), EventType::MemberJoined);
        QVERIFY(memberJoined.isNotification()); // may be held back with the other notifications
        QCOMPARE(memberJoined.encodeNative(), Protocol::encode(Event::memberJoined(joined)));
        QCOMPARE(memberJoined.event(), Event::memberJoined(joined));

        const Protocol::PresenceEvent away{u"ana"_s, Protocol::PresenceStatus::Away};
        const OutboundEvent presence = OutboundEvent::presence(away);
        QCOMPARE(presence.type(), EventType::Presence);
        QVERIFY(presence.isNotification());
        QCOMPARE(presence.encodeNative(), Protocol::encode(Event::presence(away)));
        QCOMPARE(presence.event(), Event::presence(away));

        ServerParts parts;
        QVERIFY(parts.start());
        auto [session, transport] = parts.signIn(u"bob"_s);
        const Protocol::RoomResult room{{u"plaza"_s, false, u"ana"_s, 7, 2, true}, {}};
        session->replyOk(u"r1"_s, room);
        QCOMPARE(transport->replies.last(), Protocol::Reply::ok(u"r1"_s, room.toJson()));
        session->sendEvent(hello);
        QCOMPARE(transport->events.last(), Event::hello(info));
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
