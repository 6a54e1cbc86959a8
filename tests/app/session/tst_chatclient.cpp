// ChatClient against a fake server (FakeTransport) on a hand-driven clock: the sync after every
// (re)connect (list, resume, gap paging, outbox flush), routing of events, the outbox's life with
// acks and echoes in either order, failures, credentials in the store, and every model under
// QAbstractItemModelTester through room switches and disconnects.
#include "app/models/memberlistmodel.h"
#include "app/models/messagelistmodel.h"
#include "app/models/roomlistmodel.h"
#include "app/session/chatclient.h"
#include "app/session/chatroom.h"
#include "app/session/connectionmanager.h"
#include "app/session/outbox.h"
#include "app/session/roomdirectory.h"
#include "app/storage/memorycredentialstore.h"
#include "support/faketransport.h"
#include "support/manualclock.h"
#include "support/messagefixtures.h"
#include "support/printers.h"

#include <QtNetwork/QTcpServer>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Tertulia;
using namespace Tertulia::Testing;
using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Protocol::ChatMessage;
using Protocol::ErrorCode;
using Protocol::Event;
using Protocol::RequestType;
using State = ConnectionManager::State;
using Delivery = TimelineItem::Delivery;

Q_DECLARE_METATYPE(Tertulia::ResumeSummary)
Q_DECLARE_METATYPE(Tertulia::Protocol::ChatMessage)

namespace {
QJsonObject roomList(qint64 generalLastSeq)
{
    return Protocol::RoomListResult{{{u"general"_s, false, u"alice"_s, generalLastSeq, 2, true},
                                     {u"plans"_s, true, u"bob"_s, 0, 1, false}}}
        .toJson();
}

QJsonObject page(const QList<ChatMessage> &messages, bool hasMore = false)
{
    return Protocol::HistoryPage{u"general"_s, messages, hasMore}.toJson();
}

QJsonObject sendOk(qint64 seq) { return Protocol::SendResult{u"general"_s, seq, 1741944600000 + seq * 1000, false}.toJson(); }

} // namespace

class TestChatClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    /*! Sign-in stores the refresh token; the first sync lists rooms and goes Connected. */
    void signInAndFirstSync();
    /*! Opening a room loads its newest page and members; scrolling back prepends a page. */
    void openRoomAndScrollBack();
    /*! A send acknowledged before its echo, and one echoed before its ack: one row each, outbox empty. */
    void ackAndEchoInEitherOrder();
    /*! Offline sends queue; the reconnect resumes first, then sends them in order, once. */
    void sendWhileDisconnectedThenResume();
    /*! A message that waited more than a minute for the connection says when it was written (written_at, by
     *  this clock), one that waited less does not; the server's written_at shows in the timeline. */
    void offlineMessagesSayWhenWritten();
    /*! A resume that could not replay everything pages the gap in with `history after`. */
    void resumeWithGapPagesIn();
    /*! A gap too large for paging jumps to the newest page. */
    void hugeGapJumpsToNewest();
    /*! Refused sends fail (retry resends with the same id, discard drops); rate limits retry by themselves. */
    void sendFailures();
    /*! Presence, membership, typing, invitations and new rooms reach rooms and models. */
    void eventRouting();
    /*! Roles and moderation in the core: moderate() sends the request (a mute marks the member when it succeeded);
     *  role_changed updates roles; moderated mutes us until its end (the clock lifts it), removes us from a public
     *  room (it stays, not joined) and a ban takes the room out of the list; each is re-emitted for the UI. */
    void moderationEvents();
    /*! Unread counts for other rooms; the current room is read; notifications only for others' live messages. */
    void unreadAndNotifications();
    /*! A connection lost during the sync leaves no half state; the next sync completes. */
    void dropDuringSync();
    /*! A traced message is reported `displayed` once, when it is read here (its room open at the newest), not
        when it arrives elsewhere nor when another device's marker passes it; untraced ones never. */
    void displayedReports();
    /*! No keychain: the UI is told, the client stays signed in for this run. */
    void keychainUnavailable();
    /*! Rotated tokens replace the stored one; a refused login deletes it; sign-out deletes it and resets models. */
    void credentialsFollowTheSession();
    /*! The composer's checks: empty, too long for the server, not joined. */
    void sendChecks();

private:
    void signIn(bool remember = true);
    /// Accepts the pending connection, says hello and answers list_rooms; the caller answers the rest.
    void connectAndList(qint64 generalLastSeq);
    FakeTransport *server() const { return m_network.last(); }
    ChatRoom *general() const { return m_client->rooms()->find(u"general"_s); }

    std::unique_ptr<ManualClock> m_clock;
    FakeNetwork m_network;
    MemoryCredentialStore m_store;
    std::unique_ptr<ChatClient> m_client;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;
    ServerAddress m_address;
};

void TestChatClient::initTestCase()
{
    // A port with nothing behind it: the best-effort HTTP logout on sign-out goes nowhere.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    m_address = ServerAddress(u"127.0.0.1"_s, probe.serverPort(), false);
}

void TestChatClient::init()
{
    m_clock = std::make_unique<ManualClock>();
    m_network = FakeNetwork();
    m_store = MemoryCredentialStore();
    m_client = std::make_unique<ChatClient>(m_store, *m_clock, m_network.factory());
    m_client->connection()->setBackoff(Backoff({}, [] { return 0.5; }));
    int next = 0;
    m_client->outbox()->setIdGenerator([next]() mutable { return u"m%1"_s.arg(++next); });
    using Mode = QAbstractItemModelTester::FailureReportingMode;
    m_testers.clear();
    m_testers.push_back(std::make_unique<QAbstractItemModelTester>(m_client->roomListModel(), Mode::QtTest));
    m_testers.push_back(std::make_unique<QAbstractItemModelTester>(m_client->messageModel(), Mode::QtTest));
    m_testers.push_back(std::make_unique<QAbstractItemModelTester>(m_client->memberModel(), Mode::QtTest));
}

void TestChatClient::cleanup()
{
    m_testers.clear();
    m_client.reset();
}

void TestChatClient::signIn(bool remember)
{
    m_client->signInWithTokens(m_address, u"alice"_s, {u"a1"_s, u"r1"_s, 900}, remember);
}

void TestChatClient::connectAndList(qint64 generalLastSeq)
{
    server()->accept();
    server()->inject(Event::hello({u"alice"_s, {u"Casa"_s, u"0.1.0"_s, 100}, 900}));
    QVERIFY(!server()->replyOk(RequestType::ListRooms, roomList(generalLastSeq)).isEmpty());
}

void TestChatClient::signInAndFirstSync()
{
    QSignalSpy signedIn(m_client.get(), &ChatClient::signedIn);
    QSignalSpy synced(m_client.get(), &ChatClient::synced);
    signIn();
    QCOMPARE(signedIn.size(), 1);
    QCOMPARE(m_client->user(), u"alice"_s);
    QTRY_VERIFY(m_store.contains(CredentialStore::keyFor(m_address, u"alice"_s)));
    QCOMPARE(m_store.peek(CredentialStore::keyFor(m_address, u"alice"_s)), u"r1"_s);
    QTRY_VERIFY(m_client->isRemembered());

    QCOMPARE(m_client->connection()->state(), State::Connecting);
    server()->accept();
    server()->inject(Event::hello({u"alice"_s, {u"Casa"_s, u"0.1.0"_s, 100}, 900}));
    QCOMPARE(m_client->connection()->state(), State::Syncing);
    QVERIFY(server()->lastSent(RequestType::ListRooms));
    server()->replyOk(RequestType::ListRooms, roomList(3));
    // Nothing loaded yet: nothing to resume.
    QVERIFY(!server()->lastSent(RequestType::Resume));
    QCOMPARE(m_client->connection()->state(), State::Connected);
    QCOMPARE(synced.size(), 1);
    QCOMPARE(synced.first().first().value<ResumeSummary>().rooms, 0);
    QCOMPARE(m_client->roomListModel()->rowCount(), 2);
    QCOMPARE(m_client->rooms()->find(u"plans"_s)->isPrivate(), true);
    QCOMPARE(m_client->maxTextBytes(), 100);
    QCOMPARE(*m_client->health()->lastResume(), ResumeSummary{});
}

void TestChatClient::openRoomAndScrollBack()
{
    signIn();
    connectAndList(120);
    m_client->setCurrentRoom(u"general"_s);
    QCOMPARE(m_client->currentRoom(), general());
    const auto newest = server()->lastSent(RequestType::History);
    QVERIFY(newest);
    QVERIFY(!newest->data.contains(u"before"_s) && !newest->data.contains(u"after"_s));
    QCOMPARE(newest->data.value(u"limit"_s).toInt(), ChatClient::kPageSize);
    QVERIFY(server()->lastSent(RequestType::Members));
    server()->replyOk(RequestType::History, page(messages(71, 120), true));
    server()->replyOk(RequestType::Members, Protocol::MembersResult{u"general"_s, {{u"alice"_s, Protocol::PresenceStatus::Online}, {u"bob"_s, Protocol::PresenceStatus::Away}}}.toJson());
    QCOMPARE(m_client->messageModel()->rowCount(), 50);
    QCOMPARE(m_client->memberModel()->rowCount(), 2);
    QCOMPARE(general()->unreadCount(), 0);

    QSignalSpy loading(m_client.get(), &ChatClient::olderMessagesLoading);
    server()->clearSent();
    m_client->loadOlderMessages(u"general"_s);
    m_client->loadOlderMessages(u"general"_s); // one page at a time
    QCOMPARE(server()->sent(RequestType::History).size(), 1);
    QCOMPARE(server()->lastSent(RequestType::History)->data.value(u"before"_s).toInteger(), 71);
    QVERIFY(m_client->isLoadingOlder(u"general"_s));
    server()->replyOk(RequestType::History, page(messages(21, 70), true));
    QCOMPARE(m_client->messageModel()->rowCount(), 100);
    QCOMPARE(m_client->messageModel()->index(0).data(MessageListModel::SeqRole).toLongLong(), 21);
    QCOMPARE(loading.size(), 2);
    QCOMPARE(loading.first().at(0).value<ChatRoom *>(), general());
    QCOMPARE(loading.first().at(1).toBool(), true);
    QVERIFY(!m_client->isLoadingOlder(u"general"_s));
}

void TestChatClient::ackAndEchoInEitherOrder()
{
    signIn();
    connectAndList(3);
    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page(messages(1, 3)));
    QCOMPARE(m_client->messageModel()->rowCount(), 3);

    // Ack first, then echo.
    const QString first = *m_client->sendMessage(u"general"_s, u"uno"_s);
    const auto send = server()->lastSent(RequestType::Send);
    QVERIFY(send);
    QCOMPARE(send->data.value(u"client_msg_id"_s).toString(), first);
    QCOMPARE(send->data.value(u"text"_s).toString(), u"uno"_s);
    QCOMPARE(m_client->messageModel()->rowCount(), 4);
    QCOMPARE(m_client->messageModel()->index(3).data(MessageListModel::DeliveryRole).toInt(), int(Delivery::Sending));
    QCOMPARE(m_client->health()->outboxLength(), 1);
    server()->replyOk(RequestType::Send, sendOk(4));
    QCOMPARE(m_client->messageModel()->index(3).data(MessageListModel::DeliveryRole).toInt(), int(Delivery::Sent));
    QCOMPARE(m_client->messageModel()->index(3).data(MessageListModel::PendingRole).toBool(), true);
    QCOMPARE(m_client->health()->outboxLength(), 0);
    server()->inject(Event::message(message(4, u"alice"_s, first)));
    QCOMPARE(m_client->messageModel()->rowCount(), 4);
    QCOMPARE(m_client->messageModel()->index(3).data(MessageListModel::PendingRole).toBool(), false);
    QVERIFY(m_client->outbox()->isEmpty());

    // Echo first (the server publishes before it replies), then the ack.
    const QString second = *m_client->sendMessage(u"general"_s, u"dos"_s);
    server()->inject(Event::message(message(5, u"alice"_s, second)));
    QCOMPARE(m_client->messageModel()->rowCount(), 5);
    QVERIFY(m_client->outbox()->isEmpty());
    server()->replyOk(RequestType::Send, sendOk(5));
    QCOMPARE(m_client->messageModel()->rowCount(), 5);
    QVERIFY(m_client->outbox()->isEmpty());
    QCOMPARE(seqsOf(*general()), seqRange(1, 5));
    QCOMPARE(general()->unreadCount(), 0);
}

void TestChatClient::sendWhileDisconnectedThenResume()
{
    signIn();
    connectAndList(3);
    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page(messages(1, 3)));
    FakeTransport *before = server();
    before->drop(0);
    QCOMPARE(m_client->connection()->state(), State::Reconnecting);

    const QString a = *m_client->sendMessage(u"general"_s, u"offline one"_s);
    const QString b = *m_client->sendMessage(u"general"_s, u"offline two"_s);
    QVERIFY(before->sent(RequestType::Send).isEmpty());
    QCOMPARE(m_client->messageModel()->rowCount(), 5);
    QCOMPARE(m_client->health()->outboxLength(), 2);

    QVERIFY(m_clock->fireNext());
    QVERIFY(server() != before);
    connectAndList(6);
    const auto resume = server()->lastSent(RequestType::Resume);
    QVERIFY(resume);
    QCOMPARE(resume->data.value(u"rooms"_s).toObject().value(u"general"_s).toInteger(), 3);
    QVERIFY(server()->sent(RequestType::Send).isEmpty()); // resume first
    QCOMPARE(m_client->connection()->state(), State::Syncing);

    // The server replays what we missed, then answers.
    for (const ChatMessage &missed : messages(4, 6))
        server()->inject(Event::message(missed));
    server()->replyOk(RequestType::Resume, Protocol::ResumeResult{{{u"general"_s, {true, 6, 6, {}}}}}.toJson());
    QCOMPARE(m_client->connection()->state(), State::Connected);
    const auto sends = server()->sent(RequestType::Send);
    QCOMPARE(sends.size(), 2);
    QCOMPARE(sends.at(0).data.value(u"client_msg_id"_s).toString(), a);
    QCOMPARE(sends.at(1).data.value(u"client_msg_id"_s).toString(), b);
    // They waited a moment only: sent as written.
    QVERIFY(!sends.at(0).data.contains(u"written_at"_s));
    QVERIFY(!sends.at(1).data.contains(u"written_at"_s));
    const ResumeSummary summary = *m_client->health()->lastResume();
    QCOMPARE(summary.rooms, 1);
    QCOMPARE(summary.replayed, 3);
    QVERIFY(summary.recovered());

    server()->reply(Protocol::Reply::ok(sends.at(0).id, sendOk(7)));
    server()->inject(Event::message(message(7, u"alice"_s, a)));
    server()->inject(Event::message(message(8, u"alice"_s, b)));
    server()->reply(Protocol::Reply::ok(sends.at(1).id, sendOk(8)));
    QCOMPARE(seqsOf(*general()), seqRange(1, 8));
    QCOMPARE(m_client->messageModel()->rowCount(), 8);
    QVERIFY(m_client->outbox()->isEmpty());
    QCOMPARE(m_client->health()->reconnectCount(), 1);
}

void TestChatClient::offlineMessagesSayWhenWritten()
{
    // The first attempt after the drop comes two minutes later (half of the ceiling, as the jitter says).
    m_client->connection()->setBackoff(Backoff({std::chrono::minutes(4), std::chrono::minutes(4)}, [] { return 0.5; }));
    signIn();
    connectAndList(3);
    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page(messages(1, 3)));
    FakeTransport *before = server();
    before->drop(0);
    const QDateTime writtenAt = m_clock->currentDateTime();
    const QString id = *m_client->sendMessage(u"general"_s, u"from the tunnel"_s);
    while (server() == before && m_clock->fireNext()) {
    }
    QVERIFY(server() != before);
    QVERIFY(writtenAt.msecsTo(m_clock->currentDateTime()) >= 2 * 60 * 1000);
    connectAndList(3);
    server()->replyOk(RequestType::Resume, Protocol::ResumeResult{{{u"general"_s, {true, 3, 3, {}}}}}.toJson());
    const auto sends = server()->sent(RequestType::Send);
    QCOMPARE(sends.size(), 1);
    QCOMPARE(sends.at(0).data.value(u"client_msg_id"_s).toString(), id);
    QCOMPARE(sends.at(0).data.value(u"written_at"_s).toInteger(), writtenAt.toMSecsSinceEpoch());

    // The server kept it: the row shows when it was written, its time stays the server's.
    ChatMessage stored = message(4, u"alice"_s, id);
    stored.writtenAt = writtenAt.toMSecsSinceEpoch();
    server()->reply(Protocol::Reply::ok(sends.at(0).id, sendOk(4)));
    server()->inject(Event::message(stored));
    QVERIFY(m_client->outbox()->isEmpty());
    const QModelIndex row = m_client->messageModel()->index(3, 0);
    QCOMPARE(row.data(MessageListModel::SeqRole).toLongLong(), 4);
    QCOMPARE(row.data(MessageListModel::WrittenRole).toDateTime(), writtenAt.toLocalTime());
    QCOMPARE(row.data(MessageListModel::TimestampRole).toDateTime().toMSecsSinceEpoch(), stored.timestamp);
    QVERIFY(!m_client->messageModel()->index(2, 0).data(MessageListModel::WrittenRole).isValid());
}

void TestChatClient::resumeWithGapPagesIn()
{
    signIn();
    connectAndList(3);
    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page(messages(1, 3)));
    server()->drop(1001);
    QVERIFY(m_clock->fireNext());
    connectAndList(700);
    // The server replays 4..503 (its cap) and says the rest is a gap.
    for (const ChatMessage &missed : messages(4, 503))
        server()->inject(Event::message(missed));
    server()->replyOk(RequestType::Resume, Protocol::ResumeResult{{{u"general"_s, {false, 700, 503, {}}}}}.toJson());
    QCOMPARE(m_client->connection()->state(), State::Syncing);
    auto history = server()->lastSent(RequestType::History);
    QVERIFY(history);
    QCOMPARE(history->data.value(u"after"_s).toInteger(), 503);
    QCOMPARE(history->data.value(u"limit"_s).toInt(), Protocol::kMaxHistoryPage);
    server()->replyOk(RequestType::History, page(messages(504, 703 - 100), true)); // 504..603
    history = server()->lastSent(RequestType::History);
    QCOMPARE(history->data.value(u"after"_s).toInteger(), 603);
    // Meanwhile a live message beyond the gap arrives: it waits, nothing shows twice.
    server()->inject(Event::message(message(701)));
    server()->replyOk(RequestType::History, page(messages(604, 700), false));
    QCOMPARE(m_client->connection()->state(), State::Connected);
    QCOMPARE(seqsOf(*general()), seqRange(1, 701));
    const ResumeSummary summary = *m_client->health()->lastResume();
    QCOMPARE(summary.roomsWithGap, 1);
    QCOMPARE(summary.replayed, 500);
    QCOMPARE(summary.pagedIn, 198); // 100 + 97, then 701 waiting joins in: 198
    QVERIFY(!summary.recovered());
}

void TestChatClient::hugeGapJumpsToNewest()
{
    signIn();
    connectAndList(3);
    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page(messages(1, 3)));
    server()->drop(0);
    QVERIFY(m_clock->fireNext());
    connectAndList(100000);
    server()->replyOk(RequestType::Resume, Protocol::ResumeResult{{{u"general"_s, {false, 100000, 3, {}}}}}.toJson());
    for (int pageNo = 0; pageNo < ChatClient::kMaxGapPages; ++pageNo) {
        const auto history = server()->lastSent(RequestType::History);
        QVERIFY(history && history->data.contains(u"after"_s));
        const qint64 after = history->data.value(u"after"_s).toInteger();
        server()->replyOk(RequestType::History, page(messages(after + 1, after + 200), true));
    }
    const auto newest = server()->lastSent(RequestType::History);
    QVERIFY(!newest->data.contains(u"after"_s) && !newest->data.contains(u"before"_s));
    server()->replyOk(RequestType::History, page(messages(99951, 100000), true));
    QCOMPARE(m_client->connection()->state(), State::Connected);
    QCOMPARE(seqsOf(*general()), seqRange(99951, 100000));
    QCOMPARE(m_client->messageModel()->rowCount(), 50);
}

void TestChatClient::sendFailures()
{
    signIn();
    connectAndList(0);
    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page({}));

    const QString refused = *m_client->sendMessage(u"general"_s, u"no"_s);
    server()->replyError(RequestType::Send, ErrorCode::Forbidden, u"join first"_s);
    QCOMPARE(m_client->outbox()->find(refused)->state, OutboxEntry::State::Failed);
    QCOMPARE(m_client->messageModel()->index(0).data(MessageListModel::DeliveryRole).toInt(), int(Delivery::Failed));
    QCOMPARE(m_client->messageModel()->index(0).data(MessageListModel::ErrorRole).toString(), u"join first"_s);
    QCOMPARE(m_client->health()->outboxLength(), 1);
    server()->clearSent();
    QVERIFY(m_client->retryMessage(refused));
    QCOMPARE(server()->lastSent(RequestType::Send)->data.value(u"client_msg_id"_s).toString(), refused);
    server()->replyError(RequestType::Send, ErrorCode::Forbidden, u"still no"_s);
    QVERIFY(m_client->discardMessage(refused));
    QCOMPARE(m_client->messageModel()->rowCount(), 0);

    // Rate limited: retried by itself after 1 s, 2 s, …, shown as failed after five refusals.
    const QString busy = *m_client->sendMessage(u"general"_s, u"slow down"_s);
    for (int refusal = 1; refusal <= ChatClient::kMaxTransientFailures; ++refusal) {
        server()->replyError(RequestType::Send, ErrorCode::RateLimited, u"wait"_s);
        if (refusal == ChatClient::kMaxTransientFailures)
            break;
        QCOMPARE(m_client->outbox()->find(busy)->state, OutboxEntry::State::Queued);
        server()->clearSent();
        m_clock->advance(std::chrono::seconds(refusal) - 1ms);
        QVERIFY(server()->sent(RequestType::Send).isEmpty());
        m_clock->advance(1ms);
        QCOMPARE(server()->sent(RequestType::Send).size(), 1);
        QCOMPARE(server()->lastSent(RequestType::Send)->data.value(u"client_msg_id"_s).toString(), busy);
    }
    QCOMPARE(m_client->outbox()->find(busy)->state, OutboxEntry::State::Failed);
    QCOMPARE(m_client->outbox()->find(busy)->error->code, ErrorCode::RateLimited);
}

void TestChatClient::moderationEvents()
{
    using Protocol::ModerationAction;
    using Protocol::Role;
    signIn();
    connectAndList(0);
    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page({}));
    server()->replyOk(RequestType::Members,
                      Protocol::MembersResult{u"general"_s,
                                              {{u"alice"_s, Protocol::PresenceStatus::Online, Role::Owner, false},
                                               {u"bob"_s, Protocol::PresenceStatus::Online}}}
                          .toJson());
    QCOMPARE(general()->ownRole(), Role::Owner);
    MemberListModel *members = m_client->memberModel();

    // Our request, as sent; the mute shows in the list once the server said yes.
    std::optional<std::optional<Protocol::Error>> answer;
    m_client->moderate(RequestType::Mute, {u"general"_s, u"bob"_s, std::nullopt, 3600, u"calm"_s}, this,
                       [&answer](const auto &error) { answer = error; });
    const auto sent = server()->lastSent(RequestType::Mute);
    QVERIFY(sent);
    QCOMPARE(sent->data.value(u"user"_s).toString(), u"bob"_s);
    QCOMPARE(sent->data.value(u"duration"_s).toInteger(), 3600);
    QCOMPARE(sent->data.value(u"reason"_s).toString(), u"calm"_s);
    QVERIFY(!members->index(1).data(MemberListModel::MutedRole).toBool());
    server()->replyOk(RequestType::Mute, QJsonObject{{u"until"_s, 1}});
    QTRY_VERIFY(answer.has_value());
    QVERIFY(!*answer);
    QVERIFY(members->index(1).data(MemberListModel::MutedRole).toBool());

    server()->inject(Event::roleChanged({u"general"_s, u"bob"_s, Role::Moderator, u"alice"_s}));
    QCOMPARE(members->index(1).data(MemberListModel::RoleRole).toInt(), int(Role::Moderator));
    QCOMPARE(members->index(1).data(MemberListModel::RoleTextRole).toString(), MemberListModel::tr("moderator"));

    QSignalSpy moderated(m_client.get(), &ChatClient::moderated);
    const qint64 until = m_clock->currentDateTime().addSecs(5).toMSecsSinceEpoch(); // short: pings wait longer
    server()->inject(Event::moderated({u"general"_s, ModerationAction::Muted, u"bob"_s, until, u"shh"_s}));
    QCOMPARE(moderated.size(), 1);
    QVERIFY(general()->silence());
    QCOMPARE(general()->silence()->reason, u"shh"_s);
    QVERIFY(members->index(0).data(MemberListModel::MutedRole).toBool());
    m_clock->advance(4999ms);
    QVERIFY(general()->silence());
    m_clock->advance(1ms);
    QVERIFY(!general()->silence());

    server()->inject(Event::moderated({u"general"_s, ModerationAction::Removed, u"bob"_s, 0, {}}));
    QCOMPARE(moderated.size(), 2);
    QCOMPARE(moderated.last().at(0).toString(), u"general"_s);
    QVERIFY(general() && !general()->isJoined()); // a public room stays, to join again
    QCOMPARE(members->rowCount(), 1);
    server()->inject(Event::moderated({u"general"_s, ModerationAction::Banned, u"bob"_s, 0, {}}));
    QCOMPARE(moderated.size(), 3);
    QVERIFY(!m_client->rooms()->find(u"general"_s));
    QVERIFY(!m_client->currentRoom());
    // An event about a room we do not know is still told (an unban lets us back in).
    server()->inject(Event::moderated({u"general"_s, ModerationAction::Unbanned, u"bob"_s, 0, {}}));
    QCOMPARE(moderated.size(), 4);
    QCOMPARE(moderated.last().at(1).value<Protocol::ModerationEvent>().action, ModerationAction::Unbanned);
}

void TestChatClient::eventRouting()
{
    signIn();
    connectAndList(0);
    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page({}));
    server()->replyOk(RequestType::Members, Protocol::MembersResult{u"general"_s, {{u"alice"_s, Protocol::PresenceStatus::Online}, {u"bob"_s, Protocol::PresenceStatus::Online}}}.toJson());
    MemberListModel *members = m_client->memberModel();
    QCOMPARE(members->rowCount(), 2);

    server()->inject(Event::presence({u"bob"_s, Protocol::PresenceStatus::Away}));
    QCOMPARE(members->index(1).data(MemberListModel::PresenceRole).toInt(), int(Protocol::PresenceStatus::Away));
    server()->inject(Event::memberJoined({u"general"_s, u"carol"_s}));
    QCOMPARE(members->rowCount(), 3);
    QCOMPARE(general()->memberCount(), 3);
    server()->inject(Event::typing({u"general"_s, u"carol"_s, true}));
    QCOMPARE(general()->typingUsers(), QStringList{u"carol"_s});
    QCOMPARE(members->index(2).data(MemberListModel::TypingRole).toBool(), true);
    server()->inject(Event::message({u"general"_s, 1, u"carol"_s, u"hi"_s, u"c"_s, 1}));
    QVERIFY(general()->typingUsers().isEmpty()); // she sent it
    server()->inject(Event::memberLeft({u"general"_s, u"carol"_s}));
    QCOMPARE(members->rowCount(), 2);

    QSignalSpy invited(m_client.get(), &ChatClient::invited);
    server()->inject(Event::invited({{u"secret"_s, true, u"bob"_s, 0, 1, false}, u"bob"_s}));
    QCOMPARE(invited.size(), 1);
    QCOMPARE(invited.first().at(1).toString(), u"bob"_s);
    server()->inject(Event::roomCreated({{u"random"_s, false, u"bob"_s, 0, 1, false}, {}}));
    QCOMPARE(m_client->roomListModel()->rowCount(), 4);
    // The creator gets room_created too, with joined false: it must not undo our membership.
    std::optional<std::optional<Protocol::Error>> created;
    m_client->createRoom(u"mine"_s, false, this, [&created](const auto &error) { created = error; });
    server()->replyOk(RequestType::CreateRoom, Protocol::RoomResult{{u"mine"_s, false, u"alice"_s, 0, 1, true}, {}}.toJson());
    server()->inject(Event::roomCreated({{u"mine"_s, false, u"alice"_s, 0, 1, false}, {}}));
    QTRY_VERIFY(created.has_value());
    QVERIFY(!*created);
    QVERIFY(m_client->rooms()->find(u"mine"_s)->isJoined());
    QVERIFY(m_client->rooms()->find(u"mine"_s)->isLoaded()); // a new room is empty: nothing to fetch
    QCOMPARE(m_client->roomListModel()->rowCount(), 5);
    QVERIFY(m_client->rooms()->find(u"SECRET"_s)->isPrivate());

    // We leave a room from another device: our own member_left clears "joined".
    server()->inject(Event::memberLeft({u"general"_s, u"alice"_s}));
    QVERIFY(!general()->isJoined());
    QCOMPARE(m_client->checkMessage(u"general"_s, u"x"_s), ChatClient::SendCheck::NotJoined);

    // Typing goes out throttled: at most every 3 s while active, and a stop at once.
    server()->clearSent();
    m_client->setTyping(true);
    m_client->setTyping(true);
    QCOMPARE(server()->sent(RequestType::Typing).size(), 1);
    m_clock->advance(3s);
    m_client->setTyping(true);
    m_client->setTyping(false);
    m_client->setTyping(false);
    const auto typing = server()->sent(RequestType::Typing);
    QCOMPARE(typing.size(), 3);
    QCOMPARE(typing.last().data.value(u"active"_s).toBool(), false);
}

void TestChatClient::unreadAndNotifications()
{
    signIn();
    connectAndList(5);
    m_client->setCurrentRoom(u"plans"_s); // not joined: only to have a current room other than general
    QSignalSpy arrived(m_client.get(), &ChatClient::messageArrived);
    server()->inject(Event::message(message(6)));
    server()->inject(Event::message(message(7)));
    QCOMPARE(general()->unreadCount(), 2);
    QCOMPARE(arrived.size(), 2);
    QCOMPARE(arrived.first().at(0).value<ChatRoom *>(), general());
    QCOMPARE(arrived.first().at(1).value<ChatMessage>(), message(6));
    const QModelIndex row = m_client->roomListModel()->index(m_client->rooms()->indexOf(general()));
    QCOMPARE(row.data(RoomListModel::UnreadCountRole).toInt(), 2);
    server()->inject(Event::message(message(7))); // a duplicate: no second notification
    QCOMPARE(arrived.size(), 2);

    m_client->setCurrentRoom(u"general"_s);
    QCOMPARE(general()->unreadCount(), 0);
    server()->replyOk(RequestType::History, page(messages(3, 7)));
    server()->inject(Event::message(message(8)));
    QCOMPARE(general()->unreadCount(), 0); // looking at it
    server()->inject(Event::message(message(9, u"alice"_s, u"from another device"_s)));
    QCOMPARE(arrived.size(), 3); // ours do not notify
}

void TestChatClient::displayedReports()
{
    signIn();
    connectAndList(5);
    m_client->setCurrentRoom(u"plans"_s);
    const QString trace = u"4bf92f3577b34da6a3ce929d0e0e4736"_s;
    const auto reported = [this] {
        QList<qint64> seqs;
        for (const Protocol::Request &request : server()->sent(RequestType::Displayed)) {
            const auto shown = Protocol::ReadMarker::fromJson(request.data);
            seqs.append(std::holds_alternative<Protocol::ReadMarker>(shown) && std::get<Protocol::ReadMarker>(shown).room == u"general"_s
                            ? std::get<Protocol::ReadMarker>(shown).seq
                            : -1);
        }
        return seqs;
    };
    server()->inject(Event::tracedMessage(message(6), trace));
    server()->inject(Event::message(message(7)));
    QCOMPARE(reported(), QList<qint64>{}); // general is not open

    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page(messages(3, 7)));
    QTRY_COMPARE(reported(), QList<qint64>{6});
    server()->inject(Event::tracedMessage(message(8), trace)); // looking at it: shown at once
    QTRY_COMPARE(reported(), (QList<qint64>{6, 8}));
    server()->inject(Event::tracedMessage(message(8), trace)); // a repeat: nothing more
    QCOMPARE(reported(), (QList<qint64>{6, 8}));

    // Read on another device: that one showed it, not this one.
    m_client->setCurrentRoom(u"plans"_s);
    server()->inject(Event::tracedMessage(message(9), trace));
    server()->inject(Event::readMarker({u"general"_s, 9}));
    QTRY_COMPARE(general()->readSeq(), 9);
    QCOMPARE(reported(), (QList<qint64>{6, 8}));
}

void TestChatClient::dropDuringSync()
{
    signIn();
    connectAndList(3);
    m_client->setCurrentRoom(u"general"_s);
    server()->replyOk(RequestType::History, page(messages(1, 3)));
    const QString queued = [this] {
        server()->drop(0);
        return *m_client->sendMessage(u"general"_s, u"hello?"_s);
    }();
    QVERIFY(m_clock->fireNext());
    connectAndList(3);
    QVERIFY(server()->lastSent(RequestType::Resume));
    server()->drop(1001); // gone again before the resume reply
    QCOMPARE(m_client->connection()->state(), State::Reconnecting);
    QCOMPARE(m_client->outbox()->find(queued)->state, OutboxEntry::State::Queued);
    QVERIFY(m_clock->fireNext());
    connectAndList(3);
    server()->replyOk(RequestType::Resume, Protocol::ResumeResult{{{u"general"_s, {true, 3, 3, {}}}}}.toJson());
    QCOMPARE(m_client->connection()->state(), State::Connected);
    QCOMPARE(server()->sent(RequestType::Send).size(), 1);
}

void TestChatClient::keychainUnavailable()
{
    m_store.setAvailable(false);
    QSignalSpy unavailable(m_client.get(), &ChatClient::credentialStorageUnavailable);
    signIn();
    QVERIFY(unavailable.wait(1000));
    QCOMPARE(unavailable.first().first().toString(), CredentialStore::describe(CredentialStore::Error::Unavailable));
    QVERIFY(!m_client->isRemembered());
    QVERIFY(m_client->isSignedIn());
    connectAndList(0);
    QCOMPARE(m_client->connection()->state(), State::Connected);
    QCOMPARE(m_store.size(), 0);
}

void TestChatClient::credentialsFollowTheSession()
{
    const QString key = CredentialStore::keyFor(m_address, u"alice"_s);
    {   // sign in, then the in-band rotation replaces the stored token
        signIn();
        QTRY_COMPARE(m_store.peek(key), u"r1"_s);
        ConnectionOptions options = m_client->connection()->options();
        options.deadAfter = 24h;
        m_client->connection()->setOptions(options);
        connectAndList(0);
        m_clock->advance(14min); // 15-minute token, 1-minute margin
        server()->replyOk(RequestType::Refresh, Protocol::TokenPair{u"a2"_s, u"r2"_s, 900}.toJson());
        QTRY_COMPARE(m_store.peek(key), u"r2"_s);
    }
    // The server revokes the login: the stored token is useless and goes.
    server()->drop(4004, u"logged out"_s);
    QCOMPARE(m_client->connection()->failure(), ConnectionManager::Failure::LoginRevoked);
    QTRY_VERIFY(!m_store.contains(key));

    // Sign in again, then sign out: entry deleted, rooms and models emptied.
    signIn();
    connectAndList(0);
    m_client->setCurrentRoom(u"general"_s);
    QTRY_VERIFY(m_store.contains(key));
    QSignalSpy signedOut(m_client.get(), &ChatClient::signedOut);
    m_client->signOut();
    QCOMPARE(signedOut.size(), 1);
    QVERIFY(!m_client->isSignedIn());
    QCOMPARE(m_client->connection()->state(), State::Disconnected);
    QCOMPARE(m_client->roomListModel()->rowCount(), 0);
    QVERIFY(!m_client->messageModel()->room());
    QTRY_VERIFY(!m_store.contains(key));

    // Not remembered: nothing stored, and an older entry is removed.
    m_store.write(key, u"old"_s, this, [](const CredentialStore::Result &) {});
    QTRY_VERIFY(m_store.contains(key));
    signIn(false);
    QTRY_VERIFY(!m_store.contains(key));
}

void TestChatClient::sendChecks()
{
    QCOMPARE(m_client->checkMessage(u"general"_s, u"x"_s), ChatClient::SendCheck::NotSignedIn);
    signIn();
    connectAndList(0);
    QCOMPARE(m_client->checkMessage(u"general"_s, u"  \n "_s), ChatClient::SendCheck::Empty);
    QCOMPARE(m_client->checkMessage(u"general"_s, QString(100, u'x')), ChatClient::SendCheck::Ok);
    QCOMPARE(m_client->checkMessage(u"general"_s, QString(101, u'x')), ChatClient::SendCheck::TooLong);
    QCOMPARE(m_client->checkMessage(u"general"_s, QString(50, u'ñ')), ChatClient::SendCheck::Ok);   // 100 bytes
    QCOMPARE(m_client->checkMessage(u"general"_s, QString(51, u'ñ')), ChatClient::SendCheck::TooLong); // 102 bytes
    QCOMPARE(m_client->checkMessage(u"plans"_s, u"x"_s), ChatClient::SendCheck::NotJoined);
    QCOMPARE(m_client->checkMessage(u"nowhere"_s, u"x"_s), ChatClient::SendCheck::NotJoined);
    QVERIFY(!m_client->sendMessage(u"general"_s, QString(101, u'x')));
    QVERIFY(m_client->outbox()->isEmpty());
}

QTEST_GUILESS_MAIN(TestChatClient)
#include "tst_chatclient.moc"
