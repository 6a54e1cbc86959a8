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
    core = std::make_unique<ServerCore>(ServerCore::Infrastructure{config, store, bus, *tokens, hasher, metrics, clock},
                                        false);
    sessions = &core->sessions();
    rooms = &core->rooms();
    presence = &core->presence();
    context = &core->context();
    handler = &core->roomHandler();
    return true;
}

ServerParts::~ServerParts()
{
    qDeleteAll(open); // sessions refer to the core
    core.reset();
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
