#pragma once

#include "server/auth/passwordhasher.h"
#include "server/auth/tokenservice.h"
#include "server/core/serverconfig.h"
#include "server/core/servercore.h"
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

#include <QtCore/QTemporaryDir>

#include <memory>

namespace Tertulia::Test {

/// Records the replies and events a session sends (a fake at the transport seam: no socket involved).
class RecordingTransport final : public SessionTransport
{
public:
    using SessionTransport::SessionTransport;

    void sendReply(const Protocol::Reply &reply) override { replies << reply; }
    void sendEvent(const OutboundEvent &event) override { events << event.event(); }
    void close(Protocol::CloseCode, const QString &) override { }
    void abort() override { }
    qint64 bytesQueued() const override { return 0; }
    QString peerAddress() const override { return QStringLiteral("127.0.0.1"); }
    QString protocolName() const override { return QStringLiteral("native"); }
    QString transportName() const override { return QStringLiteral("recording"); }

    /// As a transport does when any frame or pong arrives: the peer is alive.
    void peerActive() { reportActivity(); }

    /// The events of one type received so far.
    QList<Protocol::Event> eventsOf(Protocol::EventType type) const;

    QList<Protocol::Reply> replies;
    QList<Protocol::Event> events;
};

/// The server's pieces that handlers and rooms use, wired by the server's own composition root (ServerCore)
/// on a fresh SQLite database and a local bus, with sessions on RecordingTransports: for tests of one
/// handler or of the room registry without sockets.
struct ServerParts
{
    QTemporaryDir dir;
    ServerConfig config;
    MonotonicClock clock;
    Metrics metrics;
    SqliteStore store{SqliteStore::Options{dir.filePath(QStringLiteral("t.db"))}};
    std::unique_ptr<TokenService> tokens;
    /// The cheapest cost libsodium allows: these tests sign in without passwords.
    PasswordHasher hasher{PasswordHasher::Cost{1, 8192}, 1};
    LocalBus bus{QStringLiteral("node")};
    std::unique_ptr<ServerCore> core;
    // The core's parts, as tests use them.
    SessionRegistry *sessions = nullptr;
    RoomRegistry *rooms = nullptr;
    PresenceTracker *presence = nullptr;
    ServerContext *context = nullptr;
    RoomHandler *handler = nullptr;
    QList<Session *> open;

    bool start();
    ~ServerParts();

    /// A signed-in session of `user` (an account in the store from the first call), in the audience of the
    /// user's rooms; its transport records what it is sent.
    std::pair<Session *, RecordingTransport *> signIn(const QString &user);
};

} // namespace Tertulia::Test
