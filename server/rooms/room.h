#pragma once

#include "server/rooms/messagerate.h"
#include "server/session/outboundevent.h"
#include "server/store/store.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QSet>

#include <memory>
#include <optional>

namespace Tertulia {

class Session;

/// A room on this node: its record, its members (persistent) and the sessions subscribed to it (the
/// members' open connections on this node). Only RoomRegistry changes members and subscriptions, from the
/// facts on the bus; the room delivers by walking its subscribers (no signal connection per member: a
/// hundred thousand of them cost more memory than the sessions themselves).
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
    /// A direct conversation (issue 12): its name is the address of its two users; no roles, no invitations.
    bool isDirect() const { return m_direct; }
    /// In a direct conversation, the other person of `userKey` (as registered); empty for rooms.
    QString peerOf(const QString &userKey) const;
    /// Read-only (issue 13): sends, edits, reactions and deletions are refused.
    bool isArchived() const { return m_record.archived; }
    /// Takes the settings of `stored` (title, topic, privacy, archived): a room_updated fact.
    void setSettings(const RoomRecord &stored);
    qint64 lastSeq() const { return m_record.lastSeq; }
    void setLastSeq(qint64 seq) { m_record.lastSeq = std::max(m_record.lastSeq, seq); }
    /// A message of the room was routed at `nowMs` (monotonic): counted for its message rate (the admin API).
    void noteMessage(qint64 nowMs)
    {
        if (!m_rate) // once per room that has messages, never per message
            m_rate = std::make_unique<MessageRate>();
        m_rate->note(nowMs);
    }
    /// Messages routed over the last minute up to `nowMs` (0 for a room that had none).
    qint64 messagesLastMinute(qint64 nowMs) const { return m_rate ? m_rate->count(nowMs) : 0; }

    bool isMember(const QString &userKey) const { return m_members.contains(userKey); }
    /// Public rooms are readable by everyone; private rooms by members only.
    bool canRead(const QString &userKey) const { return !isPrivate() || isMember(userKey); }
    QList<QString> memberNames() const;
    /// user key -> display name.
    const QHash<QString, QString> &members() const { return m_members; }
    int memberCount() const { return int(m_members.size()); }
    void addMember(const QString &user);
    void removeMember(const QString &userKey);

    // Roles and sanctions (issue 13), kept here as the store has them; RoomRegistry changes them from facts.
    Protocol::Role role(const QString &userKey) const { return m_roles.value(userKey, Protocol::Role::Member); }
    void setRole(const QString &userKey, Protocol::Role role);
    /// Whether the room has an owner (rooms of accounts deleted since have none: administrators act for them).
    bool hasOwner() const;
    /// The ban or mute of the user that holds at `nowMs` (wall clock, ms since the epoch), if any.
    std::optional<SanctionRecord> sanction(const QString &userKey, SanctionKind kind, qint64 nowMs) const;
    /// Every ban and mute that holds at `nowMs`: bans first, then mutes, each by user key.
    QList<SanctionRecord> sanctions(qint64 nowMs) const;
    void setSanction(const SanctionRecord &sanction);
    void removeSanction(const QString &userKey, SanctionKind kind);
    /// Replaces every role and sanction with the store's (at load and when a cluster bus resynchronises).
    void resetModeration(const QList<RoomRoleRecord> &roles, const QList<SanctionRecord> &sanctions);

    /// From now on the session receives the room's messages live; it notes where they start (resume).
    void subscribe(Session *session);
    void unsubscribe(Session *session);
    const QSet<Session *> &subscribers() const { return m_subscribers; }

    Protocol::RoomInfo info(const QString &forUserKey) const;
    /// Hands an encoded event to every subscriber but the sessions of `excludeUserKey`. A session that closes
    /// while it is handed the event (a slow consumer) may leave the room meanwhile: the walk is over a copy.
    void deliver(const SharedEvent &event, const QString &excludeUserKey = {}) const;

private:
    RoomRecord m_record;
    QString m_key;
    bool m_direct = false;
    QHash<QString, QString> m_members;   ///< user key -> display name
    QHash<QString, Protocol::Role> m_roles;   ///< user key -> owner or moderator (members are not here)
    QHash<QString, SanctionRecord> m_bans;    ///< user key -> ban (also of users who are not members)
    QHash<QString, SanctionRecord> m_mutes;   ///< user key -> mute
    QSet<Session *> m_subscribers;
    std::unique_ptr<MessageRate> m_rate;   ///< made at the room's first message here
};

} // namespace Tertulia
