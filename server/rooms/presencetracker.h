#pragma once

#include "shared/protocol/payloads.h"

#include <QtCore/QHash>
#include <QtCore/QObject>

namespace Tertulia {

class RoomRegistry;
class SessionRegistry;

/// A user's presence as others see it: online when any session is online, away when all are away, offline
/// without sessions. Changes are published on the bus; RoomRegistry delivers them to every session that
/// shares a room with the user, once per session.
class PresenceTracker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PresenceTracker)

public:
    PresenceTracker(RoomRegistry &rooms, SessionRegistry &sessions, QObject *parent = nullptr);

    Protocol::PresenceStatus status(const QString &userKey) const;
    /// Recomputes the user's status from their sessions and announces a change.
    void refresh(const QString &userKey, const QString &userName);

private:
    void announce(const QString &userName, Protocol::PresenceStatus status);

    RoomRegistry &m_rooms;
    SessionRegistry &m_sessions;
    QHash<QString, Protocol::PresenceStatus> m_status;   ///< users with sessions only
};

} // namespace Tertulia
