// HistoryHandler's resume against a real SqliteStore and the server's own wiring (ServerCore), with sessions on
// recording transports.
#include "support/serverparts.h"
#include "support/testmain.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;
using namespace Tertulia::Test;

namespace {
QList<qint64> seqsOf(const QList<Event> &events)
{
    QList<qint64> seqs;
    for (const Event &event : events) {
        const auto message = ChatMessage::fromJson(event.data);
        if (const auto *m = std::get_if<ChatMessage>(&message))
            seqs.append(m->seq);
    }
    return seqs;
}

/// The reply to the request `id`, once it came (resume reads its replay off the event loop).
std::optional<Reply> replyTo(const RecordingTransport *wire, const QString &id)
{
    for (const Reply &reply : wire->replies) {
        if (reply.id == id)
            return reply;
    }
    return std::nullopt;
}

ResumeRoomState stateOf(const Reply &reply, const QString &room)
{
    const auto result = ResumeResult::fromJson(reply.data);
    return std::get<ResumeResult>(result).rooms.value(room);
}
} // namespace

class TestHistoryHandler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! A resume replays what the client missed up to the room's last_seq, and says so. */
    void resumeReplaysTheGap()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [alice, aliceWire] = f.signIn(u"alice"_s);
        f.handler->handle(*alice, Request::createRoom(u"c"_s, {u"general"_s, false}));
        f.store.flush();
        for (int i = 1; i <= 4; ++i)
            f.core->dispatcher().dispatch(*alice, Request::send(u"s%1"_s.arg(i), {u"general"_s, u"m%1"_s.arg(i), u"cm%1"_s.arg(i)}));
        f.store.flush();
        QCOMPARE(f.rooms->loaded(u"general"_s)->lastSeq(), 4);

        // Alice reconnects holding up to 1.
        auto [again, againWire] = f.signIn(u"alice"_s);
        f.core->dispatcher().dispatch(*again, Request::resume(u"r"_s, ResumeParams{{{u"general"_s, 1}}}));
        QVERIFY(!replyTo(againWire, u"r"_s)); // read off the loop: answered later
        QTRY_VERIFY(replyTo(againWire, u"r"_s));
        QCOMPARE(seqsOf(againWire->eventsOf(EventType::Message)), (QList<qint64>{2, 3, 4}));
        const ResumeRoomState state = stateOf(againWire->replies.last(), u"general"_s);
        QVERIFY(state.recovered);
        QCOMPARE(state.lastSeq, 4);
        QCOMPARE(state.replayedTo, 4);
    }

    /*! Messages that reached the new connection live, between its sign-in and its resume, are not sent again:
        the replay ends where live delivery began, and the client is recovered. */
    void resumeSkipsWhatCameLive()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [alice, aliceWire] = f.signIn(u"alice"_s);
        f.handler->handle(*alice, Request::createRoom(u"c"_s, {u"general"_s, false}));
        f.store.flush();
        auto send = [&](int i) {
            f.core->dispatcher().dispatch(*alice, Request::send(u"s%1"_s.arg(i), {u"general"_s, u"m%1"_s.arg(i), u"cm%1"_s.arg(i)}));
        };
        for (int i = 1; i <= 4; ++i)
            send(i);
        f.store.flush();
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        f.handler->handle(*bob, Request::join(u"j"_s, u"general"_s));
        f.store.flush();
        for (int i = 5; i <= 6; ++i)
            send(i);
        f.store.flush();
        QCOMPARE(seqsOf(bobWire->eventsOf(EventType::Message)), (QList<qint64>{5, 6}));

        f.core->dispatcher().dispatch(*bob, Request::resume(u"r"_s, ResumeParams{{{u"general"_s, 2}}}));
        QTRY_VERIFY(replyTo(bobWire, u"r"_s));
        QCOMPARE(seqsOf(bobWire->eventsOf(EventType::Message)), (QList<qint64>{5, 6, 3, 4})); // each once
        const ResumeRoomState state = stateOf(bobWire->replies.last(), u"general"_s);
        QVERIFY(state.recovered);
        QCOMPARE(state.lastSeq, 6);
        QCOMPARE(state.replayedTo, 6);
    }

    /*! Several nodes: the database holds messages another node committed that this node's room has not heard
        yet (they come through the bus later). A resume replays up to the room's last_seq only (the rest
        arrives live, once) and the client is recovered: it used to replay past last_seq and report a gap. */
    void resumeStopsAtTheRoomsLastSeq()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [alice, aliceWire] = f.signIn(u"alice"_s);
        f.handler->handle(*alice, Request::createRoom(u"c"_s, {u"general"_s, false}));
        f.store.flush();
        for (int i = 1; i <= 3; ++i)
            f.core->dispatcher().dispatch(*alice, Request::send(u"s%1"_s.arg(i), {u"general"_s, u"m%1"_s.arg(i), u"cm%1"_s.arg(i)}));
        f.store.flush();
        // Another node's writer: straight into the shared store, not through this node's bus.
        const RoomRecord record = f.rooms->loaded(u"general"_s)->record();
        int stored = 0;
        for (int i = 4; i <= 5; ++i) {
            f.store.append(AppendRequest{record, u"bob"_s, u"other%1"_s.arg(i), u"from another node"_s},
                           [&stored](const StoreResult<AppendResult> &result) { stored += std::holds_alternative<AppendResult>(result); });
        }
        f.store.flush();
        QCOMPARE(stored, 2);
        QCOMPARE(f.rooms->loaded(u"general"_s)->lastSeq(), 3); // this node has not heard of 4 and 5

        auto [again, againWire] = f.signIn(u"alice"_s); // reconnected here, holding up to 1
        f.core->dispatcher().dispatch(*again, Request::resume(u"r"_s, ResumeParams{{{u"general"_s, 1}}}));
        QVERIFY(!replyTo(againWire, u"r"_s)); // read off the loop: answered later
        QTRY_VERIFY(replyTo(againWire, u"r"_s));
        QCOMPARE(seqsOf(againWire->eventsOf(EventType::Message)), (QList<qint64>{2, 3}));
        const ResumeRoomState state = stateOf(againWire->replies.last(), u"general"_s);
        QVERIFY(state.recovered);
        QCOMPARE(state.lastSeq, 3);
        QCOMPARE(state.replayedTo, 3);
    }

    /*! The replay is read off the event loop; what reaches the session live meanwhile (a message committed
        after the request, a typing notice) waits and follows the replayed messages, each message once, in
        seq order, and the answer is the same. Without the hold the live message 7 would overtake 3 and 4. */
    void resumeHoldsLiveEventsBehindTheReplay()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [alice, aliceWire] = f.signIn(u"alice"_s);
        f.handler->handle(*alice, Request::createRoom(u"c"_s, {u"general"_s, false}));
        f.store.flush();
        auto send = [&](int i) {
            f.core->dispatcher().dispatch(*alice, Request::send(u"s%1"_s.arg(i), {u"general"_s, u"m%1"_s.arg(i), u"cm%1"_s.arg(i)}));
        };
        for (int i = 1; i <= 4; ++i)
            send(i);
        f.store.flush();
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        f.handler->handle(*bob, Request::join(u"j"_s, u"general"_s));
        f.store.flush();
        for (int i = 5; i <= 6; ++i)
            send(i);
        f.store.flush();
        QCOMPARE(seqsOf(bobWire->eventsOf(EventType::Message)), (QList<qint64>{5, 6}));

        f.core->dispatcher().dispatch(*bob, Request::resume(u"r"_s, ResumeParams{{{u"general"_s, 2}}}));
        QVERIFY(!replyTo(bobWire, u"r"_s));
        QVERIFY(bob->deliveriesHeld());
        send(7);
        f.store.flush(); // committed and delivered (to the hold) before the replay's read reports back
        f.core->dispatcher().dispatch(*alice, Request::typing(u"t"_s, {u"general"_s, true}));
        QCOMPARE(seqsOf(bobWire->eventsOf(EventType::Message)), (QList<qint64>{5, 6}));
        QVERIFY(bobWire->eventsOf(EventType::Typing).isEmpty());

        QTRY_VERIFY(replyTo(bobWire, u"r"_s));
        QVERIFY(!bob->deliveriesHeld());
        QCOMPARE(seqsOf(bobWire->eventsOf(EventType::Message)), (QList<qint64>{5, 6, 3, 4, 7}));
        // The typing notice came after the replay too.
        qsizetype lastReplayed = -1;
        qsizetype typing = -1;
        for (qsizetype i = 0; i < bobWire->events.size(); ++i) {
            const Event &event = bobWire->events.at(i);
            if (event.type == EventType::Typing)
                typing = i;
            else if (event.type == EventType::Message && event.data.value(u"seq"_s).toInteger() == 4)
                lastReplayed = i;
        }
        QVERIFY(lastReplayed >= 0 && typing > lastReplayed);
        const ResumeRoomState state = stateOf(*replyTo(bobWire, u"r"_s), u"general"_s);
        QVERIFY(state.recovered);
        QCOMPARE(state.lastSeq, 6); // as the request found it: 7 came live
        QCOMPARE(state.replayedTo, 6);
    }

    /*! A resume with nothing to read (the client is up to date, the room unknown) answers at once and holds
        nothing back. */
    void resumeWithNothingToReadAnswersAtOnce()
    {
        ServerParts f;
        QVERIFY(f.start());
        auto [alice, aliceWire] = f.signIn(u"alice"_s);
        f.handler->handle(*alice, Request::createRoom(u"c"_s, {u"general"_s, false}));
        f.store.flush();
        f.core->dispatcher().dispatch(*alice, Request::send(u"s1"_s, {u"general"_s, u"m1"_s, u"cm1"_s}));
        f.store.flush();
        f.core->dispatcher().dispatch(*alice,
                                      Request::resume(u"r"_s, ResumeParams{{{u"general"_s, 1}, {u"nowhere"_s, 3}}}));
        const auto reply = replyTo(aliceWire, u"r"_s);
        QVERIFY(reply);
        QVERIFY(!alice->deliveriesHeld());
        QVERIFY(stateOf(*reply, u"general"_s).recovered);
        QVERIFY(!stateOf(*reply, u"nowhere"_s).error.isEmpty());
    }
};

TERTULIA_SERVER_TEST_MAIN(TestHistoryHandler)
#include "tst_historyhandler.moc"
