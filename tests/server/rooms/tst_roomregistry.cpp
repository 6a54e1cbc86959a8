// RoomRegistry, the one place where room state, subscriptions and fan-out change: every fact goes through the
// bus, whether a handler published it here or another node did (a cluster bus emits received() for those),
// and the registry applies it and delivers it to exactly the local sessions it concerns; and traced messages
// have their deliveries noted, another node's included.
#include "server/trace/tracer.h"
#include "support/serverparts.h"
#include "support/testmain.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

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

RoomRecord record(qint64 id, const QString &name, bool isPrivate, const QString &creator, qint64 lastSeq = 0)
{
    return RoomRecord{id, name, isPrivate, creator, lastSeq, 1};
}

/// A room in the store that this node has not heard of (created elsewhere, its fact lost): `members`, and
/// `messages` messages of the first member; its record as stored, with its last seq.
RoomRecord storedElsewhere(ServerParts &f, const QString &name, const QList<QString> &members, int messages)
{
    const auto created = f.store.createRoom(RoomRecord{0, name, false, members.first(), 0, 1});
    if (!std::holds_alternative<RoomRecord>(created))
        return {};
    RoomRecord room = std::get<RoomRecord>(created);
    for (const QString &member : members)
        f.store.addMember(room.id, member);
    for (int i = 1; i <= messages; ++i)
        f.store.append(AppendRequest{room, members.first(), u"m%1"_s.arg(i), u"text %1"_s.arg(i)}, [](const auto &) {});
    f.store.flush();
    room.lastSeq = messages;
    return room;
}

ChatMessage messageOf(const RoomRecord &room, qint64 seq)
{
    return ChatMessage{room.name, seq, room.creator, u"text %1"_s.arg(seq), u"m%1"_s.arg(seq), 1700000000000};
}

/// The types of the events a session got about `room` (messages with their seq: "message 2"), in order.
QStringList eventsAbout(const RecordingTransport &wire, const QString &room)
{
    QStringList seen;
    for (const Event &event : wire.events) {
        if (event.data.value(u"room"_s).toString() != room)
            continue;
        seen << (event.type == EventType::Message ? u"message %1"_s.arg(event.data.value(u"seq"_s).toInteger())
                                                  : eventTypeName(event.type));
    }
    return seen;
}
} // namespace

class TestRoomRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! A public room created on another node appears here with its record; its creator's sessions here are
        subscribed, and every signed-in session hears room_created (joined only for the creator's). A private
        one appears too, but is announced to nobody. */
    void roomCreatedElsewhere()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [ana, anaWire] = f.signIn(u"Ana"_s);
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        fromOtherNode(f, BusEvent::roomCreated(record(41, u"Plans"_s, false, u"Ana"_s)));
        Room *room = f.rooms->loaded(u"plans"_s);
        QVERIFY(room);
        QCOMPARE(room->record().id, 41);
        QVERIFY(room->isMember(u"ana"_s));
        QCOMPARE(room->subscribers(), QSet<Session *>{ana});
        QCOMPARE(f.rooms->roomsOf(u"ana"_s), QList<Room *>{room});
        QCOMPARE(anaWire->eventsOf(EventType::RoomCreated).size(), 1);
        QVERIFY(anaWire->eventsOf(EventType::RoomCreated).first().data.value(u"room"_s).toObject().value(u"joined"_s).toBool());
        QCOMPARE(bobWire->eventsOf(EventType::RoomCreated).size(), 1);
        QVERIFY(!bobWire->eventsOf(EventType::RoomCreated).first().data.value(u"room"_s).toObject().value(u"joined"_s).toBool());

        fromOtherNode(f, BusEvent::roomCreated(record(42, u"secret"_s, true, u"bob"_s)));
        QVERIFY(f.rooms->loaded(u"secret"_s));
        QCOMPARE(f.rooms->loaded(u"secret"_s)->subscribers(), QSet<Session *>{bob});
        QCOMPARE(anaWire->eventsOf(EventType::RoomCreated).size(), 1);
        QCOMPARE(bobWire->eventsOf(EventType::RoomCreated).size(), 1);
    }

    /*! Membership from another node: the joiner's sessions here join the audience (and hear it), messages
        reach them once; after leaving, they hear the leave and nothing more. */
    void membershipElsewhere()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [ana, anaWire] = f.signIn(u"ana"_s);
        auto [bob1, bob1Wire] = f.signIn(u"bob"_s);
        auto [bob2, bob2Wire] = f.signIn(u"bob"_s);
        const RoomRecord plans = record(7, u"plans"_s, false, u"ana"_s);
        fromOtherNode(f, BusEvent::roomCreated(plans));
        fromOtherNode(f, BusEvent::memberJoined(plans, u"bob"_s));
        Room *room = f.rooms->loaded(u"plans"_s);
        QCOMPARE(room->subscribers(), (QSet<Session *>{ana, bob1, bob2}));
        for (RecordingTransport *wire : {anaWire, bob1Wire, bob2Wire})
            QCOMPARE(wire->eventsOf(EventType::MemberJoined).size(), 1);

        const ChatMessage message{u"plans"_s, 5, u"ana"_s, u"hola"_s, u"c1"_s, 1700000000000};
        fromOtherNode(f, BusEvent::messageStored(plans, message));
        QCOMPARE(room->lastSeq(), 5);
        for (RecordingTransport *wire : {anaWire, bob1Wire, bob2Wire})
            QCOMPARE(wire->eventsOf(EventType::Message).size(), 1);

        fromOtherNode(f, BusEvent::memberLeft(plans, u"BOB"_s));
        QVERIFY(!room->isMember(u"bob"_s));
        QCOMPARE(room->subscribers(), QSet<Session *>{ana});
        QCOMPARE(bob1Wire->eventsOf(EventType::MemberLeft).size(), 1); // the leaver's other tab hears it
        fromOtherNode(f, BusEvent::messageStored(plans, ChatMessage{u"plans"_s, 6, u"ana"_s, u"x"_s, u"c2"_s, 1}));
        QCOMPARE(anaWire->eventsOf(EventType::Message).size(), 2);
        QCOMPARE(bob1Wire->eventsOf(EventType::Message).size(), 1);
        QVERIFY(f.rooms->roomsOf(u"bob"_s).isEmpty());
    }

    /*! Room settings from another node (issue 13): room_updated reaches the members and, for a room public before
        or after, everyone signed in (an outsider sees a room made private as not joined); a deleted room's
        members hear room_deleted, leave its audience, and the room is no longer held. */
    void roomSettingsElsewhere()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [ana, anaWire] = f.signIn(u"ana"_s);
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        const RoomRecord plans = record(9, u"plans"_s, false, u"ana"_s);
        fromOtherNode(f, BusEvent::roomCreated(plans));
        RoomRecord settled = plans;
        settled.isPrivate = true;
        settled.topic = u"sólo nosotros"_s;
        settled.archived = true;
        fromOtherNode(f, BusEvent::roomUpdated(settled, u"ana"_s));
        Room *room = f.rooms->loaded(u"plans"_s);
        QVERIFY(room && room->isPrivate() && room->isArchived());
        QCOMPARE(room->record().topic, u"sólo nosotros"_s);
        QCOMPARE(anaWire->eventsOf(EventType::RoomUpdated).size(), 1);
        QCOMPARE(bobWire->eventsOf(EventType::RoomUpdated).size(), 1); // it was public: the outsider hears it go
        const RoomResult toBob = std::get<RoomResult>(RoomResult::fromJson(bobWire->eventsOf(EventType::RoomUpdated).first().data));
        QVERIFY(toBob.room.isPrivate && !toBob.room.joined);
        settled.topic.clear();
        fromOtherNode(f, BusEvent::roomUpdated(settled, u"ana"_s)); // private before and after: members only
        QCOMPARE(anaWire->eventsOf(EventType::RoomUpdated).size(), 2);
        QCOMPARE(bobWire->eventsOf(EventType::RoomUpdated).size(), 1);

        fromOtherNode(f, BusEvent::roomDeleted(settled, u"ana"_s, true, u"done"_s));
        QCOMPARE(anaWire->eventsOf(EventType::RoomDeleted).size(), 1);
        QCOMPARE(bobWire->eventsOf(EventType::RoomDeleted).size(), 0); // private: its members only
        QVERIFY(!f.rooms->loaded(u"plans"_s));
        QVERIFY(f.rooms->roomsOf(u"ana"_s).isEmpty());
        fromOtherNode(f, BusEvent::messageStored(plans, ChatMessage{u"plans"_s, 1, u"ana"_s, u"x"_s, u"c1"_s, 1}));
        QVERIFY(anaWire->eventsOf(EventType::Message).isEmpty());
    }

    /*! Presence reaches each session that shares any room with the user exactly once; typing reaches the
        room but not the typist; an invitation only the invitee. */
    void audiences()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [ana, anaWire] = f.signIn(u"ana"_s);
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        auto [eve, eveWire] = f.signIn(u"eve"_s);
        const RoomRecord a = record(1, u"a"_s, false, u"ana"_s), b = record(2, u"b"_s, false, u"ana"_s);
        for (const RoomRecord &r : {a, b}) {
            fromOtherNode(f, BusEvent::roomCreated(r));
            fromOtherNode(f, BusEvent::memberJoined(r, u"bob"_s));
        }
        fromOtherNode(f, BusEvent::presence(u"ana"_s, PresenceStatus::Away));
        QCOMPARE(bobWire->eventsOf(EventType::Presence).size(), 1); // two shared rooms, one event
        QCOMPARE(anaWire->eventsOf(EventType::Presence).size(), 1);
        QCOMPARE(eveWire->eventsOf(EventType::Presence).size(), 0); // shares nothing with ana

        fromOtherNode(f, BusEvent::typing(a, u"ana"_s, true));
        QCOMPARE(bobWire->eventsOf(EventType::Typing).size(), 1);
        QCOMPARE(anaWire->eventsOf(EventType::Typing).size(), 0);

        const RoomRecord secret = record(3, u"secret"_s, true, u"ana"_s);
        fromOtherNode(f, BusEvent::roomCreated(secret));
        fromOtherNode(f, BusEvent::invited(secret, u"Eve"_s, u"ana"_s));
        QCOMPARE(eveWire->eventsOf(EventType::Invited).size(), 1);
        QCOMPARE(eveWire->eventsOf(EventType::Invited).first().data.value(u"by"_s).toString(), u"ana"_s);
        QCOMPARE(bobWire->eventsOf(EventType::Invited).size(), 0);
        Q_UNUSED(eve);
    }

    /*! What handlers do here leaves as facts on the bus, each kind once: nothing reaches a session any other
        way. */
    void everythingGoesThroughTheBus()
    {
        ServerParts f;
        QVERIFY(f.start());
        QSignalSpy facts(&f.bus, &EventBus::received);
        auto [ana, anaWire] = f.signIn(u"ana"_s);
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        // One at a time, each answered before the next (a session's own requests are, by Session's hold).
        f.handler->handle(*ana, Request::createRoom(u"1"_s, {u"general"_s, false}));
        QTRY_COMPARE(anaWire->replies.size(), 1);
        f.handler->handle(*bob, Request::join(u"2"_s, u"general"_s));
        QTRY_COMPARE(bobWire->replies.size(), 1);
        f.handler->handle(*ana, Request::createRoom(u"3"_s, {u"secret"_s, true}));
        QTRY_COMPARE(anaWire->replies.size(), 2);
        f.handler->handle(*ana, Request::invite(u"4"_s, {u"secret"_s, u"bob"_s}));
        QTRY_COMPARE(anaWire->replies.size(), 3);
        f.handler->handle(*bob, Request::leave(u"5"_s, u"general"_s));
        QTRY_COMPARE(bobWire->replies.size(), 2);
        for (const RecordingTransport *wire : {anaWire, bobWire}) {
            for (const Reply &reply : wire->replies)
                QVERIFY2(reply.isOk(), qPrintable(reply.id));
        }
        QList<BusEvent::Kind> kinds;
        for (const QList<QVariant> &args : std::as_const(facts))
            kinds << args.first().value<BusEvent>().kind;
        using K = BusEvent::Kind;
        QCOMPARE(kinds, (QList<K>{K::RoomCreated, K::MemberJoined, K::RoomCreated, K::Invited, K::MemberLeft}));
        for (const QList<QVariant> &args : std::as_const(facts))
            QCOMPARE(args.first().value<BusEvent>().originNode, u"node"_s);
        QCOMPARE(bobWire->eventsOf(EventType::Invited).size(), 1);
        QCOMPARE(anaWire->eventsOf(EventType::MemberLeft).size(), 1);
    }

    /*! Several nodes: a fact about a room this node has not heard of (its room_created lost) has the room
        read from the store off the event loop, not in the call. The facts about that room that come
        meanwhile wait behind it and apply in order once it is held; none is taken for a repeat of the last
        seq the read found (the messages are delivered); another room's facts are delivered meanwhile. */
    void factsWaitForTheirRoomsLoad()
    {
        ServerParts f;
        QVERIFY(f.start());
        f.rooms->setClustered(true);
        auto [ana, anaWire] = f.signIn(u"ana"_s);
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        const RoomRecord lobby = record(90, u"lobby"_s, false, u"bob"_s);
        fromOtherNode(f, BusEvent::roomCreated(lobby));
        const RoomRecord far = storedElsewhere(f, u"far"_s, {u"ana"_s}, 2);
        QVERIFY(far.id > 0);

        fromOtherNode(f, BusEvent::messageStored(far, messageOf(far, 1)));
        fromOtherNode(f, BusEvent::messageStored(lobby, messageOf(lobby, 1)));
        fromOtherNode(f, BusEvent::messageStored(far, messageOf(far, 2)));
        fromOtherNode(f, BusEvent::memberJoined(far, u"bob"_s));
        // Not in the call: the room is being read; the other room's message is delivered already.
        QVERIFY(!f.rooms->loaded(u"far"_s));
        QVERIFY(eventsAbout(*anaWire, u"far"_s).isEmpty());
        QCOMPARE(eventsAbout(*bobWire, u"lobby"_s), QStringList{u"message 1"_s});

        QTRY_VERIFY(f.rooms->loaded(u"far"_s));
        QCOMPARE(eventsAbout(*anaWire, u"far"_s), (QStringList{u"message 1"_s, u"message 2"_s, u"member_joined"_s}));
        QCOMPARE(eventsAbout(*bobWire, u"far"_s), QStringList{u"member_joined"_s});
        QCOMPARE(f.rooms->loaded(u"far"_s)->lastSeq(), 2);
        QCOMPARE(f.rooms->loaded(u"far"_s)->subscribers(), (QSet<Session *>{ana, bob}));
        QCOMPARE(f.rooms->duplicatesDropped(), 0u);
    }

    /*! A resync (after a cluster bus's outage) reads the store off the event loop: a room created elsewhere
        during the outage is not held in the call; the facts that come during the read wait and apply after
        what it found, in order (a message of that room is delivered, not taken for a repeat). */
    void resyncReadsOffTheLoop()
    {
        ServerParts f;
        QVERIFY(f.start());
        f.rooms->setClustered(true);
        auto [ana, anaWire] = f.signIn(u"ana"_s);
        const RoomRecord far = storedElsewhere(f, u"far"_s, {u"ana"_s}, 3);
        QVERIFY(far.id > 0);
        f.rooms->resync();
        fromOtherNode(f, BusEvent::messageStored(far, messageOf(far, 3)));
        QVERIFY(!f.rooms->loaded(u"far"_s));
        QTRY_VERIFY(f.rooms->loaded(u"far"_s));
        QTRY_COMPARE(eventsAbout(*anaWire, u"far"_s), QStringList{u"message 3"_s});
        QCOMPARE(f.rooms->loaded(u"far"_s)->lastSeq(), 3);
        QVERIFY(f.rooms->loaded(u"far"_s)->subscribers().contains(ana));
    }

    /*! Several nodes, delivery traces: a message another node received and traced comes with its trace
        context (the cluster bus had it from that node's notice). This node records its part, a relayed trace
        under the same trace id with that node's span as the parent, delivers the message marked with the
        trace id, and keeps its reader's `displayed` report. A message without a context, or with one that
        names this node, is not relayed. */
    void tracedElsewhere()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        const RoomRecord plaza = record(7, u"plaza"_s, false, u"bob"_s);
        fromOtherNode(f, BusEvent::roomCreated(plaza));
        QVERIFY(f.rooms->loaded(u"plaza"_s));
        const auto origin = Trace::TraceContext::parse(u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        QVERIFY(origin);
        BusEvent traced = BusEvent::messageStored(plaza, messageOf(plaza, 1), 41);
        traced.trace = *origin;
        traced.traceNode = u"n2"_s;
        fromOtherNode(f, traced);
        fromOtherNode(f, BusEvent::messageStored(plaza, messageOf(plaza, 2), 42));
        BusEvent namesThisNode = BusEvent::messageStored(plaza, messageOf(plaza, 3), 43);
        namesThisNode.trace = *origin;
        namesThisNode.traceNode = u"node"_s;
        fromOtherNode(f, namesThisNode);

        const QList<Event> messages = bobWire->eventsOf(EventType::Message);
        QCOMPARE(messages.size(), 3);
        QCOMPARE(Event::traceIdOf(messages.at(0).data), u"4bf92f3577b34da6a3ce929d0e0e4736"_s);
        QVERIFY(Event::traceIdOf(messages.at(1).data).isEmpty());
        QVERIFY(Event::traceIdOf(messages.at(2).data).isEmpty());
        Trace::Tracer &tracer = f.core->tracer();
        QCOMPARE(tracer.tracesRelayed(), quint64(1));
        QCOMPARE(tracer.tracesStarted(), quint64(0));
        const auto part = tracer.ring().find(u"plaza"_s, 1);
        QVERIFY(part);
        QVERIFY(part->isRelayed());
        QCOMPARE(part->node, u"node"_s);
        QCOMPARE(part->originNode, u"n2"_s);
        QCOMPARE(part->context.traceId, origin->traceId);
        QCOMPARE(part->parentSpanId, origin->spanId);
        QVERIFY(part->context.spanId != origin->spanId);
        QCOMPARE(part->seq, 1);
        QCOMPARE(part->position, 41);
        QCOMPARE(part->sender, u"bob"_s);
        QVERIFY(part->routedNs > 0 && part->deliveredNs >= part->routedNs);
        QCOMPARE(part->deliveredCount, 1);
        QCOMPARE(part->deliveries.first().session, bob->id());
        QVERIFY(!tracer.ring().find(u"plaza"_s, 2));
        QVERIFY(!tracer.ring().find(u"plaza"_s, 3));
        QVERIFY(tracer.displayed(u"plaza"_s, 1, bob->id(), u"bob"_s));
        QCOMPARE(tracer.ring().find(u"plaza"_s, 1)->displayedCount, 1);
    }

    /*! Several nodes, delivery traces: this node may read its own traced message from the log before the
        store reports the commit to its handler (another notice woke the read). The trace, registered as the
        message went to the store, is found by its sender and client_msg_id: the delivery is noted and the
        message marked, and the trace completes when the sender is answered, without awaiting a delivery that
        happened already. */
    void ownTracedMessageReadBeforeItsCommit()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [ana, anaWire] = f.signIn(u"Ana"_s);
        const RoomRecord plaza = record(7, u"plaza"_s, false, u"Ana"_s);
        fromOtherNode(f, BusEvent::roomCreated(plaza));
        Trace::Tracer &tracer = f.core->tracer();
        Request send = Request::send(u"1"_s, {u"plaza"_s, u"hola"_s, u"c1"_s});
        send.traceparent = u"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"_s;
        const auto trace = tracer.begin(send, *ana, u"plaza"_s);
        QVERIFY(trace);
        trace->clientMsgId = u"c1"_s;
        tracer.committing(trace);
        QVERIFY(tracer.awaitsCommit());

        BusEvent read = BusEvent::messageStored(plaza, ChatMessage{u"plaza"_s, 1, u"ana"_s, u"hola"_s, u"c1"_s, 1}, 41);
        read.originNode = u"store"_s;
        Q_EMIT f.bus.received(read);
        const QList<Event> messages = anaWire->eventsOf(EventType::Message);
        QCOMPARE(messages.size(), 1);
        QCOMPARE(Event::traceIdOf(messages.first().data), trace->context.traceIdHex());
        QVERIFY(!tracer.awaitsCommit());
        QVERIFY(!tracer.ring().find(u"plaza"_s, 1)); // not answered yet

        // Then the store reports the commit, as MessageHandler hears it, and the sender is answered.
        trace->seq = 1;
        trace->committedNs = Trace::Tracer::nowNs();
        tracer.awaitDelivery(trace);
        QVERIFY(!tracer.awaitsDelivery());
        tracer.answered(trace);
        const auto kept = tracer.ring().find(u"plaza"_s, 1);
        QVERIFY(kept);
        QVERIFY(!kept->isRelayed());
        QCOMPARE(kept->deliveredCount, 1);
        QCOMPARE(kept->deliveries.first().session, ana->id());
        QVERIFY(kept->ackedNs > 0);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestRoomRegistry)
#include "tst_roomregistry.moc"
