#include "server/rooms/presencetracker.h"

#include "server/rooms/roomregistry.h"
#include "server/session/session.h"
#include "server/session/sessionregistry.h"

namespace Tertulia {

using Protocol::PresenceStatus;

PresenceTracker::PresenceTracker(RoomRegistry &rooms, SessionRegistry &sessions, QObject *parent)
    : QObject(parent), m_rooms(rooms), m_sessions(sessions)
{
}

PresenceStatus PresenceTracker::status(const QString &userKey) const
{
    return m_status.value(userKey, PresenceStatus::Offline);
}

void PresenceTracker::refresh(const QString &userKey, const QString &userName)
{
    PresenceStatus now = PresenceStatus::Offline;
    for (Session *session : m_sessions.sessionsOf(userKey)) {
        if (session->state() == Session::State::Closing)
            continue;
        if (session->presence() == PresenceStatus::Online) {
            now = PresenceStatus::Online;
            break;
        }
        now = PresenceStatus::Away;
    }
    const PresenceStatus before = status(userKey);
    if (now == PresenceStatus::Offline)
        m_status.remove(userKey);
    else
        m_status.insert(userKey, now);
    if (now != before)
        announce(userName, now);
}

void PresenceTracker::announce(const QString &userName, PresenceStatus status)
{
    m_rooms.publish(BusEvent::presence(userName, status));
}

} // namespace Tertulia
