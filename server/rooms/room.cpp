#include "server/rooms/room.h"

#include "server/session/session.h"
#include "shared/names.h"

namespace Tertulia {

Room::Room(const RoomRecord &record, const QList<QString> &members, QObject *parent)
    : QObject(parent), m_record(record), m_key(Names::canonical(record.name)),
      m_direct(record.isPrivate && Names::isDirectAddress(record.name))
{
    for (const QString &member : members)
        m_members.insert(Names::canonical(member), member);
}

QList<QString> Room::memberNames() const
{
    QList<QString> names = m_members.values();
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return QString::compare(a, b, Qt::CaseInsensitive) < 0;
    });
    return names;
}

void Room::setSettings(const RoomRecord &stored)
{
    m_record.title = stored.title;
    m_record.topic = stored.topic;
    m_record.isPrivate = stored.isPrivate;
    m_record.archived = stored.archived;
}

void Room::addMember(const QString &user) { m_members.insert(Names::canonical(user), user); }

void Room::removeMember(const QString &userKey) { m_members.remove(userKey); }

void Room::setRole(const QString &userKey, Protocol::Role role)
{
    if (role == Protocol::Role::Member)
        m_roles.remove(userKey);
    else
        m_roles.insert(userKey, role);
}

bool Room::hasOwner() const
{
    return std::any_of(m_roles.cbegin(), m_roles.cend(), [](Protocol::Role r) { return r == Protocol::Role::Owner; });
}

std::optional<SanctionRecord> Room::sanction(const QString &userKey, SanctionKind kind, qint64 nowMs) const
{
    const auto &table = kind == SanctionKind::Ban ? m_bans : m_mutes;
    const auto it = table.constFind(userKey);
    if (it == table.cend() || !it->activeAt(nowMs))
        return std::nullopt;
    return *it;
}

QList<SanctionRecord> Room::sanctions(qint64 nowMs) const
{
    QList<SanctionRecord> held;
    for (const auto *table : {&m_bans, &m_mutes}) {
        QStringList keys = table->keys();
        keys.sort();
        for (const QString &key : std::as_const(keys)) {
            if (table->value(key).activeAt(nowMs))
                held.append(table->value(key));
        }
    }
    return held;
}

void Room::setSanction(const SanctionRecord &sanction)
{
    (sanction.kind == SanctionKind::Ban ? m_bans : m_mutes).insert(Names::canonical(sanction.user), sanction);
}

void Room::removeSanction(const QString &userKey, SanctionKind kind)
{
    (kind == SanctionKind::Ban ? m_bans : m_mutes).remove(userKey);
}

void Room::resetModeration(const QList<RoomRoleRecord> &roles, const QList<SanctionRecord> &sanctions)
{
    m_roles.clear();
    m_bans.clear();
    m_mutes.clear();
    for (const RoomRoleRecord &role : roles)
        setRole(Names::canonical(role.user), Protocol::Role(int(role.role)));
    for (const SanctionRecord &sanction : sanctions)
        setSanction(sanction);
}

void Room::subscribe(Session *session)
{
    m_subscribers.insert(session);
    session->noteSubscribed(key(), m_record.lastSeq);
}

void Room::unsubscribe(Session *session)
{
    m_subscribers.remove(session);
    session->noteUnsubscribed(key());
}

void Room::deliver(const SharedEvent &event, const QString &excludeUserKey) const
{
    const QSet<Session *> subscribers = m_subscribers; // implicitly shared: a copy costs nothing unless changed
    for (Session *session : subscribers)
        session->deliver(event, excludeUserKey);
}

Protocol::RoomInfo Room::info(const QString &forUserKey) const
{
    Protocol::RoomInfo info{m_record.name, m_record.isPrivate, m_record.creator, m_record.lastSeq, memberCount(),
                            isMember(forUserKey)};
    info.title = m_record.title;
    info.topic = m_record.topic;
    info.archived = m_record.archived;
    if (isDirect()) {
        info.direct = true;
        info.peer = peerOf(forUserKey);
    }
    return info;
}

QString Room::peerOf(const QString &userKey) const
{
    const QStringList users = Names::directUsers(m_record.name);
    if (users.isEmpty())
        return {};
    const QString &other = users[0] == userKey ? users[1] : users[0];
    // As registered while the account is a member; its key once it is gone (a deleted account).
    return m_members.value(other, other);
}

} // namespace Tertulia
