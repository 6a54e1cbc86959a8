// RoomHandler against a real SqliteStore and registries, with a transport that records what a session would
// send: memberships are committed in groups, and join / create_room are answered only after their commit.
#include "server/auth/tokenservice.h"
#include "server/core/serverconfig.h"
#include "server/handlers/roomhandler.h"
#include "server/handlers/servercontext.h"
#include "server/metrics/metrics.h"
#include "server/rooms/eventbus.h"
#include "server/rooms/presencetracker.h"
#include "server/rooms/roomregistry.h"
#include "server/session/monotonicclock.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"
#include "server/session/sessiontransport.h"
#include "server/store/sqlitestore.h"
#include "support/testmain.h"

#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using namespace Tertulia;
using namespace Tertulia::Protocol;

namespace {

/// Records the replies and events a session sends (a fake at the transport seam: no socket involved).
class RecordingTransport final : public SessionTransport
{
public:
    using SessionTransport::SessionTransport;

    void sendReply(const Reply &reply) override { replies << reply; }
    void sendEvent(const OutboundEvent &event) override { events << event.event(); }
    void close(CloseCode, const QString &) override { }
    void abort() override { }
    qint64 bytesQueued() const override { return 0; }
    QString peerAddress() const override { return u"127.0.0.1"_s; }

    QList<Reply> replies;
    QList<Event> events;
};

/// The server's pieces a RoomHandler uses, wired as ChatServer wires them, on a fresh database.
struct Fixture
{
    QTemporaryDir dir;
    ServerConfig config;
    MonotonicClock clock;
    Metrics metrics;
    SqliteStore store{SqliteStore::Options{dir.filePath(u"t.db"_s)}};
    std::unique_ptr<TokenService> tokens;
    EventBus bus{u"node"_s};
    std::unique_ptr<RoomRegistry> rooms;
    std::unique_ptr<SessionRegistry> sessions;
    std::unique_ptr<PresenceTracker> presence;
    std::unique_ptr<ServerContext> context;
    std::unique_ptr<RoomHandler> handler;
    QList<Session *> open;

    bool start()
    {
        QString error;
        if (!store.open(&error))
            return false;
        tokens = std::make_unique<TokenService>(TokenService::Options{QByteArray(32, 'k')}, store);
        rooms = std::make_unique<RoomRegistry>(store, bus);
        sessions = std::make_unique<SessionRegistry>(config.limits, metrics, clock);
        presence = std::make_unique<PresenceTracker>(*rooms, *sessions);
        context = std::make_unique<ServerContext>(
            ServerContext{config, store, *tokens, *rooms, *sessions, *presence, metrics, clock});
        handler = std::make_unique<RoomHandler>(*context);
        return true;
    }
    ~Fixture()
    {
        handler.reset();
        qDeleteAll(open);
    }

    /// A signed-in session of `user`; its transport records what it is sent.
    std::pair<Session *, RecordingTransport *> signIn(const QString &user)
    {
        auto *transport = new RecordingTransport;
        auto *session = new Session(quint64(open.size() + 1), transport, config.limits, metrics, clock);
        sessions->add(session);
        session->authenticate(user, u"login-"_s + user, QDateTime::currentSecsSinceEpoch() + 3600);
        sessions->indexAuthenticated(session);
        open << session;
        return {session, transport};
    }
};

} // namespace

class TestRoomHandler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    /*! join and create_room are answered after the store commits the membership, not when it is written;
        joins of one moment share one commit. */
    void answeredAfterTheCommit()
    {
        Fixture f;
        QVERIFY(f.start());
        auto [alice, aliceWire] = f.signIn(u"alice"_s);
        f.handler->handle(*alice, Request::createRoom(u"c1"_s, {u"general"_s, false}));
        QVERIFY(aliceWire->replies.isEmpty()); // written, not yet committed
        f.store.flush();
        QCOMPARE(aliceWire->replies.size(), 1);
        QVERIFY(aliceWire->replies.first().isOk());

        const quint64 commits = f.store.commitCount();
        QList<RecordingTransport *> wires;
        for (int i = 0; i < 3; ++i) {
            auto [session, wire] = f.signIn(u"user%1"_s.arg(i));
            f.handler->handle(*session, Request::join(u"j%1"_s.arg(i), u"general"_s));
            wires << wire;
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
        QCOMPARE(f.store.members(f.rooms->find(u"general"_s)->record().id).size(), 4);

        // Joining again (already a member) writes nothing: answered at once.
        f.handler->handle(*alice, Request::join(u"again"_s, u"general"_s));
        QCOMPARE(aliceWire->replies.size(), 2);
        QVERIFY(aliceWire->replies.last().isOk());
    }

    /*! A session that goes away before the commit gets nothing; the membership stays committed. */
    void sessionGoneBeforeTheCommit()
    {
        Fixture f;
        QVERIFY(f.start());
        auto [alice, aliceWire] = f.signIn(u"alice"_s);
        f.handler->handle(*alice, Request::createRoom(u"c1"_s, {u"general"_s, false}));
        f.store.flush();
        auto [bob, bobWire] = f.signIn(u"bob"_s);
        Q_UNUSED(bobWire);
        f.handler->handle(*bob, Request::join(u"j"_s, u"general"_s));
        f.open.removeOne(bob);
        f.sessions->remove(bob);
        delete bob;
        f.store.flush();
        QCOMPARE(f.store.members(f.rooms->find(u"general"_s)->record().id).size(), 2);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestRoomHandler)
#include "tst_roomhandler.moc"
