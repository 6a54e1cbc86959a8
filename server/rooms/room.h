#pragma once

#include "server/session/outboundevent.h"
#include "server/store/store.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>

namespace Tertulia {

class Session;

/// A room on this server: its record, its members (persistent) and the sessions subscribed to it (the
/// members' open connections). The room emits, its subscribers receive: each subscribed session's
/// deliver() slot is connected to broadcast().
class Room : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Room)

public:
    Room(const RoomRecord &record, const QList<QString> &members, QObject *parent = nullptr);

    const RoomRecord &record() const { return m_record; }
    const QString &name() const { return m_record.name; }
    const QString &key() const { return m_key; }
    bool isPrivate() const { return m_record.isPrivate; }
    qint64 lastSeq() const { return m_record.lastSeq; }
    void setLastSeq(qint64 seq) { m_record.lastSeq = std::max(m_record.lastSeq, seq); }

    bool isMember(const QString &userKey) const { return m_members.contains(userKey); }
    /// Public rooms are readable by everyone; private rooms by members only.
    bool canRead(const QString &userKey) const { return !isPrivate() || isMember(userKey); }
    QList<QString> memberNames() const;
    int memberCount() const { return int(m_members.size()); }
    void addMember(const QString &user);
    void removeMember(const QString &userKey);

    void subscribe(Session *session);
    void unsubscribe(Session *session);
    const QSet<Session *> &subscribers() const { return m_subscribers; }

    Protocol::RoomInfo info(const QString &forUserKey) const;
    /// Hands an encoded event to every subscriber (called by the registry for events off the bus).
    void deliver(const Tertulia::SharedEvent &event, const QString &excludeUserKey) { Q_EMIT broadcast(event, excludeUserKey); }

Q_SIGNALS:
    void broadcast(const Tertulia::SharedEvent &event, const QString &excludeUserKey);

private:
    RoomRecord m_record;
    QString m_key;
    QHash<QString, QString> m_members;   ///< user key -> display name
    QSet<Session *> m_subscribers;
};

} // namespace Tertulia
