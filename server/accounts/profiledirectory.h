#pragma once

#include "shared/protocol/payloads.h"

#include <QtCore/QHash>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QString>

namespace Tertulia {

class EventBus;
class RoomRegistry;
class SessionRegistry;
class Store;
struct BusEvent;

/// Every user's display name and the version of their avatar picture (issue 12), held in memory: member
/// lists, the hello and history pages name people from here without a store read, and the avatar API answers
/// "none" without one. Loaded at start; kept current by ProfileUpdated facts, from this node or another (each
/// node applies the parts a fact changes and delivers `profile_updated`, with the whole profile, to the user's
/// sessions and to every session that shares a room with them, once each). A cluster bus's resync reads
/// them again (facts of an outage may be missing).
class ProfileDirectory : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileDirectory)

public:
    ProfileDirectory(Store &store, EventBus &bus, RoomRegistry &rooms, SessionRegistry &sessions,
                     QObject *parent = nullptr);

    /// Reads every display name and avatar version from the store (synchronous: at start, before the server
    /// listens).
    void load();
    /// Reads them again off the event loop (Store::async()), after a cluster bus outage.
    void reload();
    /// The user's display name (any spelling of the name); empty when none.
    QString displayName(const QString &user) const;
    /// The version of the user's avatar picture (any spelling of the name); empty when none.
    QString avatar(const QString &user) const;
    /// Both, as `profile_updated` carries them.
    Protocol::ProfileEvent profile(const QString &user) const;
    /// Whether the user has a display name or a picture (a profile worth telling about).
    bool hasProfile(const QString &user) const;
    /// Adds the sender's display name and picture version, those they have, under the name as given: how a
    /// history page and search results name their senders (`display_names`, `avatars`).
    void addSender(const QString &sender, QMap<QString, QString> &displayNames, QMap<QString, QString> &avatars) const;
    qsizetype count() const { return m_names.size(); }

private:
    void onFact(const BusEvent &event);

    Store &m_store;
    EventBus &m_bus;
    RoomRegistry &m_rooms;
    SessionRegistry &m_sessions;
    QHash<QString, QString> m_names; ///< canonical user name -> display name (only users that have one)
    QHash<QString, QString> m_avatars; ///< canonical user name -> avatar version (only users that have one)
};

} // namespace Tertulia
