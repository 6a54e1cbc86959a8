#include "server/core/servercore.h"

#include "server/accounts/accountservice.h"
#include "server/auth/tokenservice.h"
#include "server/core/serverconfig.h"
#include "server/handlers/accounthandler.h"
#include "server/handlers/authhandler.h"
#include "server/handlers/edithandler.h"
#include "server/handlers/readmarkerhandler.h"
#include "server/handlers/displayedhandler.h"
#include "server/handlers/moderationhandler.h"
#include "server/handlers/roomsettingshandler.h"
#include "server/handlers/profilehandler.h"
#include "server/accounts/profiledirectory.h"
#include "server/handlers/historyhandler.h"
#include "server/handlers/searchhandler.h"
#include "server/handlers/messagehandler.h"
#include "server/handlers/presencehandler.h"
#include "server/handlers/directhandler.h"
#include "server/handlers/roomhandler.h"
#include "server/handlers/servercontext.h"
#include "server/logging.h"
#include "server/net/connectionadmission.h"
#include "server/rooms/eventbus.h"
#include "server/rooms/presencetracker.h"
#include "server/rooms/roomregistry.h"
#include "server/session/presencegrace.h"
#include "server/session/ratelimiter.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"
#include "shared/names.h"
#include "server/trace/tracer.h"

#include <algorithm>
#include <initializer_list>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

ServerCore::ServerCore(const Infrastructure &infrastructure, bool clustered) : m_infrastructure(infrastructure)
{
    const ServerConfig &config = infrastructure.config;
    const std::chrono::milliseconds grace(config.limits.presenceGraceMs);
    m_tracer = std::make_unique<Trace::Tracer>(config.tracing, infrastructure.bus.nodeId());
    m_sessions = std::make_unique<SessionRegistry>(config.limits, infrastructure.metrics, infrastructure.clock);
    m_rooms = std::make_unique<RoomRegistry>(infrastructure.store, infrastructure.bus, *m_sessions);
    m_rooms->setTracer(m_tracer.get());
    m_rooms->setClock(&infrastructure.clock);
    m_rooms->load();
    m_rooms->setClustered(clustered);
    m_presence = std::make_unique<PresenceTracker>(*m_rooms, *m_sessions, infrastructure.bus, infrastructure.clock);
    m_presence->setNodeGrace(grace);
    m_profiles = std::make_unique<ProfileDirectory>(infrastructure.store, infrastructure.bus, *m_rooms, *m_sessions);
    m_profiles->load();
    m_rooms->setProfiles(m_profiles.get());
    m_rateLimiter = std::make_unique<RateLimiter>(config.limits, infrastructure.metrics, infrastructure.clock);
    m_presenceGrace = std::make_unique<PresenceGrace>(
        infrastructure.clock, [this](const QString &userKey, const QString &user) { m_presence->refresh(userKey, user); });
    m_presenceGrace->setGrace(grace);
    m_context = std::make_unique<ServerContext>(ServerContext{config, infrastructure.store, infrastructure.tokens, *m_rooms,
                                                              *m_sessions, *m_presence, infrastructure.metrics,
                                                              infrastructure.clock, *m_tracer, *m_profiles});
    m_admission = std::make_unique<ConnectionAdmission>(config.limits, infrastructure.metrics, infrastructure.clock,
                                                        UpgradeRules{config.allowedOrigins, config.tlsEnabled()});
    LoginThrottle::Options throttle;
    throttle.freeFailures = config.limits.loginFreeFailures;
    throttle.baseDelayMs = config.limits.loginDelayFirstMs;
    throttle.maxDelayMs = std::max(config.limits.loginDelayMaxMs, config.limits.loginDelayFirstMs);
    m_accounts = std::make_unique<AccountService>(infrastructure.store, infrastructure.tokens, infrastructure.hasher,
                                                  *m_rooms, *m_sessions, infrastructure.clock, throttle);
    m_accountHandler = std::make_unique<AccountHandler>(*m_context, *m_accounts);
    m_auth = std::make_unique<AuthHandler>(*m_context, *m_admission);
    m_roomHandler = std::make_unique<RoomHandler>(*m_context);
    m_messages = std::make_unique<MessageHandler>(*m_context);
    m_edits = std::make_unique<EditHandler>(*m_context);
    m_readMarkers = std::make_unique<ReadMarkerHandler>(*m_context);
    m_displayed = std::make_unique<DisplayedHandler>(*m_context);
    m_moderation = std::make_unique<ModerationHandler>(*m_context);
    m_history = std::make_unique<HistoryHandler>(*m_context);
    m_search = std::make_unique<SearchHandler>(*m_context);
    m_presenceHandler = std::make_unique<PresenceHandler>(*m_context);
    m_direct = std::make_unique<DirectHandler>(*m_context);
    m_roomSettings = std::make_unique<RoomSettingsHandler>(*m_context);
    m_profileHandler = std::make_unique<ProfileHandler>(*m_context);

    // Every request: the auth gate, the rate limits, then its handler.
    m_dispatcher.addFilter(u"auth gate"_s, RequestFilters::authGate());
    m_dispatcher.addFilter(u"rate limit"_s, RequestFilters::rateLimit(*m_rateLimiter));
    for (RequestHandler *handler : std::initializer_list<RequestHandler *>{
             m_auth.get(), m_roomHandler.get(), m_messages.get(), m_edits.get(), m_history.get(), m_search.get(),
             m_presenceHandler.get(), m_accountHandler.get(), m_moderation.get(), m_readMarkers.get(),
             m_displayed.get(), m_direct.get(), m_roomSettings.get(), m_profileHandler.get()}) {
        const bool routed = m_dispatcher.route(*handler);
        Q_ASSERT(routed);
        Q_UNUSED(routed);
    }
    Q_ASSERT(m_dispatcher.isComplete());

    m_wiring = std::make_unique<QObject>();
    // Queued: the request that caused the revocation (a reused refresh token) gets its answer first.
    QObject::connect(
        &infrastructure.tokens, &TokenService::loginRevoked, m_wiring.get(),
        [this](const QString &loginId) { m_infrastructure.bus.publish(BusEvent::loginRevoked(loginId)); },
        Qt::QueuedConnection);
    // On every node (a cluster bus carries the fact): the login's tokens die, its sockets close.
    QObject::connect(&infrastructure.bus, &EventBus::received, m_wiring.get(), [this](const BusEvent &event) {
        if (event.kind == BusEvent::Kind::AdminChanged) {
            applyAdminChange(event);
            return;
        }
        if (event.kind != BusEvent::Kind::LoginRevoked)
            return;
        m_infrastructure.tokens.forget(event.login);
        for (Session *session : m_sessions->sessionsOfLogin(event.login))
            session->closeWith(CloseCode::LoggedOut, u"signed out: this login was revoked"_s);
    });
}

ServerCore::~ServerCore() = default;

void ServerCore::applyAdminChange(const BusEvent &event)
{
    // The user's open sessions on this node (other nodes apply the same fact for theirs): what their hello
    // would say now, and the event that tells their clients at once. The server decides every request by the
    // stored flag anyway; this is what clients offer.
    const SharedEvent told = makeEvent(Event::adminChanged({event.active, event.by}));
    const QList<Session *> sessions = m_sessions->sessionsOf(Names::canonical(event.user));
    for (Session *session : sessions) {
        if (!session->isAuthenticated())
            continue;
        session->setServerAdmin(event.active);
        session->deliver(told, {});
    }
    qCInfo(lcSession).noquote() << u"user="_s + event.user << (event.active ? "is now" : "is no longer")
                                << "an administrator, by" << event.by << u"sessions_here="_s + QString::number(sessions.size());
}

void ServerCore::setPresenceGrace(std::chrono::milliseconds grace)
{
    m_presenceGrace->setGrace(grace);
    m_presence->setNodeGrace(grace);
}

Session *ServerCore::openSession(SessionTransport *transport, QObject *parent)
{
    auto *session = new Session(m_nextSessionId++, transport, m_infrastructure.config.limits, m_infrastructure.metrics,
                                m_infrastructure.clock, parent);
    m_sessions->add(session);
    qCDebug(lcSession).noquote() << session->logTag() << "opened from" << session->peerAddress();
    session->setObserver(this);
    return session;
}

void ServerCore::requestReceived(Session &session, const Request &request) { m_dispatcher.dispatch(session, request); }

void ServerCore::sessionClosed(Session &session)
{
    m_rooms->detach(&session);
    m_sessions->remove(&session);
    if (session.userKey().isEmpty())
        return;
    if (session.droppedWithoutClose())
        m_presenceGrace->defer(session.userKey(), session.user()); // probably back in a moment
    else
        m_presence->refresh(session.userKey(), session.user()); // offline, or back to away
}

} // namespace Tertulia
