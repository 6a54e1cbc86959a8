#include "server/accounts/profiledirectory.h"

#include "server/logging.h"
#include "server/rooms/eventbus.h"
#include "server/rooms/roomregistry.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"
#include "server/store/store.h"
#include "shared/names.h"

#include <QtCore/QSet>

namespace Tertulia {

ProfileDirectory::ProfileDirectory(Store &store, EventBus &bus, RoomRegistry &rooms, SessionRegistry &sessions,
                                   QObject *parent)
    : QObject(parent), m_store(store), m_bus(bus), m_rooms(rooms), m_sessions(sessions)
{
    connect(&m_bus, &EventBus::received, this, &ProfileDirectory::onFact);
}

void ProfileDirectory::load()
{
    m_names = m_store.displayNames();
    qCInfo(lcAccounts) << "display names loaded:" << m_names.size();
}

void ProfileDirectory::reload()
{
    m_store.async<QHash<QString, QString>>(
        this, [](Store &store) { return store.displayNames(); },
        [this](const QHash<QString, QString> &names) { m_names = names; });
}

QString ProfileDirectory::displayName(const QString &user) const { return m_names.value(Names::canonical(user)); }

void ProfileDirectory::onFact(const BusEvent &event)
{
    if (event.kind != BusEvent::Kind::ProfileUpdated)
        return;
    const QString userKey = Names::canonical(event.user);
    if (event.displayName.isEmpty())
        m_names.remove(userKey);
    else
        m_names.insert(userKey, event.displayName);
    // The user's own sessions (their other devices) and everyone sharing a room with them, once per session
    // however many rooms they share.
    QSet<Session *> audience;
    for (Session *session : m_sessions.sessionsOf(userKey))
        audience.insert(session);
    for (const Room *room : m_rooms.roomsOf(userKey))
        audience.unite(room->subscribers());
    const SharedEvent told = makeEvent(Protocol::Event::profileUpdated({event.user, event.displayName}));
    for (Session *session : std::as_const(audience)) {
        if (session->isAuthenticated())
            session->deliver(told, {});
    }
}

} // namespace Tertulia
