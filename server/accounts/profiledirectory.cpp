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
    m_avatars = m_store.avatarVersions();
    qCInfo(lcAccounts) << "display names loaded:" << m_names.size() << "avatar pictures:" << m_avatars.size();
}

void ProfileDirectory::reload()
{
    using Both = std::pair<QHash<QString, QString>, QHash<QString, QString>>;
    m_store.async<Both>(
        this, [](Store &store) { return Both{store.displayNames(), store.avatarVersions()}; },
        [this](const Both &both) {
            m_names = both.first;
            m_avatars = both.second;
        });
}

QString ProfileDirectory::displayName(const QString &user) const { return m_names.value(Names::canonical(user)); }

QString ProfileDirectory::avatar(const QString &user) const { return m_avatars.value(Names::canonical(user)); }

Protocol::ProfileEvent ProfileDirectory::profile(const QString &user) const
{
    return {user, displayName(user), avatar(user)};
}

bool ProfileDirectory::hasProfile(const QString &user) const
{
    const QString key = Names::canonical(user);
    return m_names.contains(key) || m_avatars.contains(key);
}

void ProfileDirectory::addSender(const QString &sender, QMap<QString, QString> &displayNames,
                                 QMap<QString, QString> &avatars) const
{
    if (!displayNames.contains(sender)) {
        if (const QString shown = displayName(sender); !shown.isEmpty())
            displayNames.insert(sender, shown);
    }
    if (!avatars.contains(sender)) {
        if (const QString version = avatar(sender); !version.isEmpty())
            avatars.insert(sender, version);
    }
}

namespace {
void setOrRemove(QHash<QString, QString> &hash, const QString &key, const QString &value)
{
    if (value.isEmpty())
        hash.remove(key);
    else
        hash.insert(key, value);
}
} // namespace

void ProfileDirectory::onFact(const BusEvent &event)
{
    if (event.kind != BusEvent::Kind::ProfileUpdated)
        return;
    const QString userKey = Names::canonical(event.user);
    // Only the parts the fact changes: a rename on one node and a new picture on another at the same moment
    // then both hold everywhere, in whichever order their facts arrive.
    if (event.profileParts & BusEvent::ProfileDisplayName)
        setOrRemove(m_names, userKey, event.displayName);
    if (event.profileParts & BusEvent::ProfileAvatar)
        setOrRemove(m_avatars, userKey, event.avatar);
    // The user's own sessions (their other devices) and everyone sharing a room with them, once per session
    // however many rooms they share.
    QSet<Session *> audience;
    for (Session *session : m_sessions.sessionsOf(userKey))
        audience.insert(session);
    for (const Room *room : m_rooms.roomsOf(userKey))
        audience.unite(room->subscribers());
    const SharedEvent told = makeEvent(Protocol::Event::profileUpdated(profile(event.user)));
    for (Session *session : std::as_const(audience)) {
        if (session->isAuthenticated())
            session->deliver(told, {});
    }
}

} // namespace Tertulia
