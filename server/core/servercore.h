#pragma once

#include "server/core/requestdispatcher.h"
#include "server/session/session.h"

#include <QtCore/QObject>

#include <chrono>
#include <memory>

namespace Tertulia {

class AccountHandler;
class AccountService;
class AuthHandler;
struct BusEvent;
class ConnectionAdmission;
class EditHandler;
class ReadMarkerHandler;
class DisplayedHandler;
class ModerationHandler;
class RoomSettingsHandler;
class ProfileHandler;
class ProfileDirectory;
class EventBus;
class HistoryHandler;
class MessageHandler;
class MonotonicClock;
class PasswordHasher;
class PresenceGrace;
class PresenceHandler;
class DirectHandler;
class PresenceTracker;
class RateLimiter;
class RoomHandler;
class RoomRegistry;
class SearchHandler;
class Session;
class SessionRegistry;
class SessionTransport;
class Store;
class TokenService;
namespace Trace {
class Tracer;
}
struct Metrics;
struct ServerConfig;
struct ServerContext;

/// The composition root of the chat without its network: registries, presence, admission, accounts, the
/// request handlers and the one RequestDispatcher in front of them, wired once, here. ChatServer puts it
/// behind its listener, HTTP routes and Socket.IO gateway; test fixtures (tests/support/serverparts.h) build
/// the same object on a store and a bus of their own, so a handler test runs exactly the server's wiring.
///
/// The infrastructure is injected, because the configuration chooses it: the store (SQLite, PostgreSQL),
/// the bus (local, cluster), the token service (its secret) and the password hasher (its cost). Members are
/// declared in the order they are built, so they are destroyed in the reverse order with nothing to
/// remember; sessions, which refer to all of them, are the caller's QObject children and must be gone first.
class ServerCore final : private Session::Observer
{
    Q_DISABLE_COPY_MOVE(ServerCore)

public:
    struct Infrastructure
    {
        const ServerConfig &config;
        Store &store;
        EventBus &bus;
        TokenService &tokens;
        PasswordHasher &hasher;
        Metrics &metrics;
        MonotonicClock &clock;
    };

    /// Loads the rooms from the store and wires everything. `clustered`: facts of other nodes arrive on the
    /// bus (RoomRegistry::setClustered).
    ServerCore(const Infrastructure &infrastructure, bool clustered);
    ~ServerCore();

    /// A Session for a new connection, whatever its transport: registered, routed to the dispatcher, and
    /// on close taken out of its rooms with its presence settled (at once, or after the grace when it
    /// dropped without a close). The session is a child of `parent`.
    Session *openSession(SessionTransport *transport, QObject *parent);

    /// How long a user whose last connection dropped without a closing handshake still counts as present.
    void setPresenceGrace(std::chrono::milliseconds grace);

    const ServerConfig &config() const { return m_infrastructure.config; }
    Store &store() const { return m_infrastructure.store; }
    EventBus &bus() const { return m_infrastructure.bus; }
    TokenService &tokens() const { return m_infrastructure.tokens; }
    SessionRegistry &sessions() const { return *m_sessions; }
    RoomRegistry &rooms() const { return *m_rooms; }
    PresenceTracker &presence() const { return *m_presence; }
    ProfileDirectory &profiles() const { return *m_profiles; }
    ServerContext &context() const { return *m_context; }
    ConnectionAdmission &admission() const { return *m_admission; }
    Trace::Tracer &tracer() const { return *m_tracer; }
    AccountService &accounts() const { return *m_accounts; }
    AuthHandler &auth() const { return *m_auth; }
    RoomHandler &roomHandler() const { return *m_roomHandler; }
    const RequestDispatcher &dispatcher() const { return m_dispatcher; }

private:
    // Session::Observer: requests go to the dispatcher; a closed session leaves its rooms, the registry and
    // (at once, or after the grace) its user's presence.
    void requestReceived(Session &session, const Protocol::Request &request) override;
    void sessionClosed(Session &session) override;

    /// BusEvent::AdminChanged on this node: the user's sessions take the new flag and hear `admin_changed`.
    void applyAdminChange(const BusEvent &event);

    Infrastructure m_infrastructure;
    std::unique_ptr<Trace::Tracer> m_tracer;   ///< first: the room registry notes deliveries in it
    std::unique_ptr<SessionRegistry> m_sessions;
    std::unique_ptr<RoomRegistry> m_rooms;
    std::unique_ptr<PresenceTracker> m_presence;
    std::unique_ptr<RateLimiter> m_rateLimiter;
    std::unique_ptr<PresenceGrace> m_presenceGrace;
    std::unique_ptr<ServerContext> m_context;
    /// Caps and churn limits for every way in; outlives everything here that holds one of its tickets
    /// (the caller's listener and transports must be gone before this object).
    std::unique_ptr<ConnectionAdmission> m_admission;
    std::unique_ptr<AccountService> m_accounts;
    std::unique_ptr<AccountHandler> m_accountHandler;
    std::unique_ptr<AuthHandler> m_auth;
    std::unique_ptr<RoomHandler> m_roomHandler;
    std::unique_ptr<MessageHandler> m_messages;
    std::unique_ptr<EditHandler> m_edits;
    std::unique_ptr<ReadMarkerHandler> m_readMarkers;
    std::unique_ptr<DisplayedHandler> m_displayed;
    std::unique_ptr<ModerationHandler> m_moderation;
    std::unique_ptr<HistoryHandler> m_history;
    std::unique_ptr<SearchHandler> m_search;
    std::unique_ptr<PresenceHandler> m_presenceHandler;
    std::unique_ptr<DirectHandler> m_direct;
    std::unique_ptr<RoomSettingsHandler> m_roomSettings;
    std::unique_ptr<ProfileDirectory> m_profiles;
    std::unique_ptr<ProfileHandler> m_profileHandler;
    /// Routing in one place: the filters every request passes, then the one handler of its type.
    RequestDispatcher m_dispatcher;
    quint64 m_nextSessionId = 1;
    /// Receives what the bus says about logins; destroyed first, so no fact reaches a half-torn core.
    std::unique_ptr<QObject> m_wiring;
};

} // namespace Tertulia
