#include "support/serverparts.h"

namespace Tertulia::Test {

QList<Protocol::Event> RecordingTransport::eventsOf(Protocol::EventType type) const
{
    QList<Protocol::Event> found;
    for (const Protocol::Event &event : events) {
        if (event.type == type)
            found.append(event);
    }
    return found;
}

bool ServerParts::start()
{
    QString error;
    if (!store.open(&error))
        return false;
    tokens = std::make_unique<TokenService>(TokenService::Options{QByteArray(32, 'k')}, store);
    sessions = std::make_unique<SessionRegistry>(config.limits, metrics, clock);
    rooms = std::make_unique<RoomRegistry>(store, bus, *sessions);
    rooms->load();
    presence = std::make_unique<PresenceTracker>(*rooms, *sessions, bus);
    context = std::make_unique<ServerContext>(
        ServerContext{config, store, *tokens, *rooms, *sessions, *presence, metrics, clock});
    handler = std::make_unique<RoomHandler>(*context);
    return true;
}

ServerParts::~ServerParts()
{
    handler.reset();
    qDeleteAll(open);
}

std::pair<Session *, RecordingTransport *> ServerParts::signIn(const QString &user)
{
    if (!store.findUser(user))
        store.createUser(UserRecord{user, "test-hash", false, QDateTime::currentSecsSinceEpoch()});
    auto *transport = new RecordingTransport;
    auto *session = new Session(quint64(open.size() + 1), transport, config.limits, metrics, clock);
    sessions->add(session);
    session->authenticate(user, QStringLiteral("login-") + user, QDateTime::currentSecsSinceEpoch() + 3600);
    sessions->indexAuthenticated(session);
    rooms->attach(session);
    open << session;
    return {session, transport};
}

} // namespace Tertulia::Test
