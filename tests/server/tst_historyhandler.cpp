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
        QCOMPARE(f.rooms->find(u"general"_s)->lastSeq(), 4);

        // Alice reconnects holding up to 1.
        auto [again, againWire] = f.signIn(u"alice"_s);
        f.core->dispatcher().dispatch(*again, Request::resume(u"r"_s, ResumeParams{{{u"general"_s, 1}}}));
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
        const RoomRecord record = f.rooms->find(u"general"_s)->record();
        int stored = 0;
        for (int i = 4; i <= 5; ++i) {
            f.store.append(AppendRequest{record, u"bob"_s, u"other%1"_s.arg(i), u"from another node"_s},
                           [&stored](const StoreResult<AppendResult> &result) { stored += std::holds_alternative<AppendResult>(result); });
        }
        f.store.flush();
        QCOMPARE(stored, 2);
        QCOMPARE(f.rooms->find(u"general"_s)->lastSeq(), 3); // this node has not heard of 4 and 5

        auto [again, againWire] = f.signIn(u"alice"_s); // reconnected here, holding up to 1
        f.core->dispatcher().dispatch(*again, Request::resume(u"r"_s, ResumeParams{{{u"general"_s, 1}}}));
        QCOMPARE(seqsOf(againWire->eventsOf(EventType::Message)), (QList<qint64>{2, 3}));
        const ResumeRoomState state = stateOf(againWire->replies.last(), u"general"_s);
        QVERIFY(state.recovered);
        QCOMPARE(state.lastSeq, 3);
        QCOMPARE(state.replayedTo, 3);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestHistoryHandler)
#include "tst_historyhandler.moc"
