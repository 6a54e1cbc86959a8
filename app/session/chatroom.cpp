#include "app/session/chatroom.h"

#include "app/session/displaynames.h"
#include "app/session/mentions.h"

#include "app/logging.h"
#include "app/net/clock.h"
#include "shared/names.h"

#include <QtCore/QSignalBlocker>
#include <QtCore/QTimeZone>

#include <algorithm>

namespace Tertulia {

using Protocol::ChatMessage;

namespace {
bool bySeq(const ChatMessage &a, const ChatMessage &b) { return a.seq < b.seq; }

/// The messages among a run of entries (edits and deletions are no rows).
QList<ChatMessage> textOnly(const QList<ChatMessage> &entries)
{
    QList<ChatMessage> messages;
    messages.reserve(entries.size());
    for (const ChatMessage &entry : entries) {
        if (entry.isText())
            messages.append(entry);
    }
    return messages;
}

bool memberLess(const Protocol::Member &a, const QString &user)
{
    return QString::compare(a.user, user, Qt::CaseInsensitive) < 0;
}
} // namespace

ChatRoom::ChatRoom(const Protocol::RoomInfo &info, const QString &ownUser, Clock &clock, QObject *parent)
    : QObject(parent), m_clock(clock), m_ownUser(ownUser), m_ownKey(Names::canonical(ownUser)), m_info(info)
{
    // Nothing is unread in a room we have just met; a saved read marker may say otherwise.
    m_readSeq = info.lastSeq;
}

ChatRoom::~ChatRoom() = default;

void ChatRoom::updateInfo(const Protocol::RoomInfo &info)
{
    const int oldUnread = unreadCount();
    Protocol::RoomInfo merged = info;
    merged.lastSeq = std::max(info.lastSeq, m_info.lastSeq);
    if (merged == m_info)
        return;
    m_info = merged;
    Q_EMIT infoChanged();
    if (unreadCount() != oldUnread)
        Q_EMIT unreadCountChanged(unreadCount());
    recountMentions();
}

void ChatRoom::setJoined(bool joined)
{
    if (m_info.joined == joined)
        return;
    const int oldUnread = unreadCount();
    m_info.joined = joined;
    Q_EMIT infoChanged();
    if (unreadCount() != oldUnread)
        Q_EMIT unreadCountChanged(unreadCount());
    recountMentions();
}

void ChatRoom::noteLastSeq(qint64 seq)
{
    if (seq <= m_info.lastSeq)
        return;
    const int oldUnread = unreadCount();
    m_info.lastSeq = seq;
    Q_EMIT infoChanged();
    if (unreadCount() != oldUnread)
        Q_EMIT unreadCountChanged(unreadCount());
}

bool ChatRoom::isOwn(const ChatMessage &message) const { return Names::canonical(message.sender) == m_ownKey; }

// ---- timeline -----------------------------------------------------------------------------------

bool ChatRoom::contains(qint64 seq) const
{
    return m_anchor && m_firstSeq > 0 && seq >= m_firstSeq && seq <= *m_anchor;
}

int ChatRoom::rowOf(qint64 seq) const
{
    // Rows are in ascending seq order (entries are not rows, so seqs have holes).
    const auto it = std::lower_bound(m_messages.cbegin(), m_messages.cend(), seq,
                                     [](const ChatMessage &m, qint64 wanted) { return m.seq < wanted; });
    return it != m_messages.cend() && it->seq == seq ? int(it - m_messages.cbegin()) : -1;
}

std::optional<ChatMessage> ChatRoom::message(qint64 seq) const
{
    const int row = rowOf(seq);
    return row < 0 ? std::nullopt : std::optional<ChatMessage>(m_messages.at(row));
}

std::optional<ChatMessage> ChatRoom::lastOwnMessage() const
{
    for (auto it = m_messages.crbegin(); it != m_messages.crend(); ++it) {
        if (isOwn(*it) && !it->deleted)
            return *it;
    }
    return std::nullopt;
}

void ChatRoom::applyChanges(const QList<ChatMessage> &entries)
{
    for (const ChatMessage &change : entries) {
        if (change.isText())
            continue;
        const auto it = std::lower_bound(m_messages.begin(), m_messages.end(), change.target,
                                         [](const ChatMessage &m, qint64 seq) { return m.seq < seq; });
        if (it == m_messages.end() || it->seq != change.target)
            continue; // not loaded: history brings it as it is now
        if (it->apply(change))
            Q_EMIT timelineItemChanged(int(it - m_messages.begin()));
    }
    // The caller's afterMessages() counts the mentions again: an edit may add or take one away.
}

TimelineItem ChatRoom::itemAt(int row) const
{
    if (row < 0 || row >= timelineCount())
        return {};
    if (row < m_messages.size()) {
        const ChatMessage &message = m_messages.at(row);
        TimelineItem item;
        item.seq = message.seq;
        item.sender = message.sender;
        item.text = message.text;
        item.time = QDateTime::fromMSecsSinceEpoch(message.timestamp, QTimeZone::utc());
        item.clientMsgId = message.clientMsgId;
        if (message.writtenAt > 0)
            item.writtenAt = QDateTime::fromMSecsSinceEpoch(message.writtenAt, QTimeZone::utc());
        if (message.editedAt > 0 && !message.deleted)
            item.editedAt = QDateTime::fromMSecsSinceEpoch(message.editedAt, QTimeZone::utc());
        item.deleted = message.deleted;
        item.replyTo = message.replyTo;
        item.reactions = message.reactions;
        item.file = message.file;
        return item;
    }
    return m_pending.at(row - m_messages.size());
}

void ChatRoom::insertMessages(qsizetype at, const QList<ChatMessage> &messages)
{
    if (messages.isEmpty())
        return;
    Q_EMIT timelineAboutToInsert(int(at), int(at + messages.size() - 1));
    for (qsizetype i = 0; i < messages.size(); ++i)
        m_messages.insert(at + i, messages.at(i));
    Q_EMIT timelineInserted(int(at), int(at + messages.size() - 1));
}

ChatRoom::MergeResult ChatRoom::merge(const QList<ChatMessage> &incoming)
{
    MergeResult result;
    QList<ChatMessage> sorted;
    sorted.reserve(incoming.size());
    for (const ChatMessage &message : incoming) {
        if (message.seq > 0)
            sorted.append(message);
    }
    std::stable_sort(sorted.begin(), sorted.end(), bySeq);
    sorted.erase(std::unique(sorted.begin(), sorted.end(),
                             [](const ChatMessage &a, const ChatMessage &b) { return a.seq == b.seq; }),
                 sorted.end());
    if (sorted.isEmpty())
        return result;

    const int oldUnread = unreadCount();
    QList<ChatMessage> older;
    QList<ChatMessage> newer;
    if (!m_anchor) {
        // First messages of this room: keep the newest consecutive run; older pieces beyond a hole
        // are fetched again when the user scrolls back.
        qsizetype start = sorted.size() - 1;
        while (start > 0 && sorted.at(start - 1).seq == sorted.at(start).seq - 1)
            --start;
        newer = sorted.mid(start);
    } else {
        const qint64 last = *m_anchor;
        const qint64 first = m_firstSeq > 0 ? m_firstSeq : last + 1;
        for (const ChatMessage &message : std::as_const(sorted)) {
            if (message.seq > last)
                m_ahead.insert(message.seq, message);
        }
        for (qint64 next = last + 1; m_ahead.contains(next); ++next)
            newer.append(m_ahead.take(next));
        qint64 expected = first - 1;
        for (qsizetype i = sorted.size() - 1; i >= 0 && expected >= 1; --i) {
            const qint64 seq = sorted.at(i).seq;
            if (seq > expected)
                continue;
            if (seq < expected)
                break; // a hole below: the rest of the page does not connect
            older.prepend(sorted.at(i));
            --expected;
        }
    }

    auto confirmed = takePendingFor(textOnly(older + newer));
    insertMessages(0, textOnly(older));
    if (!older.isEmpty())
        m_firstSeq = older.first().seq;
    if (!newer.isEmpty()) {
        insertMessages(m_messages.size(), textOnly(newer));
        if (!m_anchor || m_firstSeq == 0)
            m_firstSeq = newer.first().seq;
        m_anchor = newer.last().seq;
    }
    applyChanges(older + newer);
    // Anything still waiting must be beyond a hole (the anchor moved past what it could drain).
    while (!m_ahead.isEmpty() && m_ahead.firstKey() <= *m_anchor)
        m_ahead.remove(m_ahead.firstKey());
    if (!m_ahead.isEmpty())
        result.gapAfter = *m_anchor;
    result.added = int(older.size() + newer.size());
    confirmed += settlePending();
    afterMessages(older + newer, oldUnread);
    for (const auto &[id, seq] : std::as_const(confirmed))
        Q_EMIT pendingConfirmed(id, seq);
    return result;
}

void ChatRoom::afterMessages(const QList<ChatMessage> &added, int oldUnread)
{
    qint64 newest = 0;
    qint64 ownNewest = 0;
    for (const ChatMessage &message : added) {
        newest = std::max(newest, message.seq);
        if (isOwn(message))
            ownNewest = std::max(ownNewest, message.seq);
    }
    // Both numbers change before anyone hears of either: a listener that reads the unread count on
    // infoChanged() must not see our own new message as unread (the title once kept "(1)" that way).
    const bool newer = newest > m_info.lastSeq;
    if (newer)
        m_info.lastSeq = newest;
    // Writing in a room means having read it up to there. An edit or a deletion is nothing new to read: a
    // reader who had read up to it has read it too (else the title would count someone's typo fix).
    qint64 read = std::max(m_readSeq, ownNewest);
    QList<ChatMessage> sorted = added;
    std::sort(sorted.begin(), sorted.end(), bySeq);
    for (const ChatMessage &message : std::as_const(sorted)) {
        if (!message.isText() && message.seq == read + 1)
            read = message.seq;
    }
    const bool readMoved = read > m_readSeq;
    if (readMoved)
        m_readSeq = read;
    if (newer)
        Q_EMIT infoChanged();
    if (readMoved)
        Q_EMIT readSeqChanged(m_readSeq);
    if (unreadCount() != oldUnread)
        Q_EMIT unreadCountChanged(unreadCount());
    recountMentions();
}

void ChatRoom::markLoadedEmpty()
{
    if (m_anchor)
        return;
    m_anchor = 0;
    settlePending();
}

void ChatRoom::resetTimeline(const QList<ChatMessage> &newest)
{
    const int oldUnread = unreadCount();
    Q_EMIT timelineAboutToReset();
    m_messages.clear();
    m_ahead.clear();
    m_anchor.reset();
    m_firstSeq = 0;
    QList<ChatMessage> sorted = newest;
    std::stable_sort(sorted.begin(), sorted.end(), bySeq);
    qsizetype start = sorted.size() - 1;
    while (start > 0 && sorted.at(start - 1).seq == sorted.at(start).seq - 1)
        --start;
    const QList<ChatMessage> run = sorted.isEmpty() ? QList<ChatMessage>() : sorted.mid(start);
    // Our pending rows whose messages are in the page leave with the reset (no row signals inside).
    QList<std::pair<QString, qint64>> confirmed;
    for (const ChatMessage &message : run) {
        const qsizetype index = isOwn(message) ? pendingIndex(message.clientMsgId) : -1;
        if (index >= 0) {
            m_pending.removeAt(index);
            confirmed.append({message.clientMsgId, message.seq});
        }
    }
    m_messages = textOnly(run);
    m_anchor = run.isEmpty() ? qint64(0) : run.last().seq;
    m_firstSeq = run.isEmpty() ? 0 : run.first().seq;
    // Quietly: the reset tells the views everything; an entry of the page changes a message of it only
    // when the page is older than the message's state, which a page read at once never is.
    {
        const QSignalBlocker quiet(this);
        applyChanges(run);
    }
    Q_EMIT timelineReset();
    confirmed += settlePending();
    afterMessages(run, oldUnread);
    for (const auto &[id, seq] : std::as_const(confirmed))
        Q_EMIT pendingConfirmed(id, seq);
}

// ---- pending --------------------------------------------------------------------------------------

TimelineItem ChatRoom::pendingItem(const OutboxEntry &entry) const
{
    TimelineItem item;
    item.sender = m_ownUser;
    item.seq = entry.seq;
    item.text = entry.text;
    item.time = entry.createdAt;
    item.clientMsgId = entry.clientMsgId;
    item.replyTo = entry.replyTo;
    item.file = entry.file;
    item.pending = true;
    switch (entry.state) {
    case OutboxEntry::State::Queued:
    case OutboxEntry::State::Sending:
        item.delivery = TimelineItem::Delivery::Sending;
        break;
    case OutboxEntry::State::Sent:
        item.delivery = TimelineItem::Delivery::Sent;
        break;
    case OutboxEntry::State::Failed:
        item.delivery = TimelineItem::Delivery::Failed;
        item.error = entry.error ? entry.error->message : QString();
        break;
    }
    return item;
}

qsizetype ChatRoom::pendingIndex(const QString &clientMsgId) const
{
    if (clientMsgId.isEmpty())
        return -1;
    for (qsizetype i = 0; i < m_pending.size(); ++i) {
        if (m_pending.at(i).clientMsgId == clientMsgId)
            return i;
    }
    return -1;
}

void ChatRoom::removePendingAt(qsizetype index)
{
    const int row = int(m_messages.size() + index);
    Q_EMIT timelineAboutToRemove(row, row);
    m_pending.removeAt(index);
    Q_EMIT timelineRemoved(row, row);
}

QList<std::pair<QString, qint64>> ChatRoom::takePendingFor(const QList<ChatMessage> &messages)
{
    QList<std::pair<QString, qint64>> confirmed;
    for (const ChatMessage &message : messages) {
        if (!isOwn(message))
            continue;
        const qsizetype index = pendingIndex(message.clientMsgId);
        if (index < 0)
            continue;
        removePendingAt(index);
        confirmed.append({message.clientMsgId, message.seq});
    }
    return confirmed;
}

QList<std::pair<QString, qint64>> ChatRoom::settlePending()
{
    QList<std::pair<QString, qint64>> confirmed;
    if (!m_anchor)
        return confirmed;
    for (qsizetype i = m_pending.size() - 1; i >= 0; --i) {
        const TimelineItem &item = m_pending.at(i);
        if (item.delivery == TimelineItem::Delivery::Sent && item.seq > 0 && item.seq <= *m_anchor) {
            confirmed.prepend({item.clientMsgId, item.seq});
            removePendingAt(i);
        }
    }
    return confirmed;
}

void ChatRoom::addPending(const OutboxEntry &entry)
{
    if (pendingIndex(entry.clientMsgId) >= 0)
        return updatePending(entry);
    // Acknowledged and already in the loaded timeline (a restart, a resume): nothing to show.
    if (entry.state == OutboxEntry::State::Sent && m_anchor && entry.seq <= *m_anchor) {
        Q_EMIT pendingConfirmed(entry.clientMsgId, entry.seq);
        return;
    }
    const int row = timelineCount();
    Q_EMIT timelineAboutToInsert(row, row);
    m_pending.append(pendingItem(entry));
    Q_EMIT timelineInserted(row, row);
}

void ChatRoom::updatePending(const OutboxEntry &entry)
{
    const qsizetype index = pendingIndex(entry.clientMsgId);
    if (index < 0)
        return;
    const TimelineItem item = pendingItem(entry);
    if (m_pending.at(index) == item)
        return;
    m_pending[index] = item;
    Q_EMIT timelineItemChanged(int(m_messages.size() + index));
    const auto confirmed = settlePending();
    for (const auto &[id, seq] : confirmed)
        Q_EMIT pendingConfirmed(id, seq);
}

void ChatRoom::removePending(const QString &clientMsgId)
{
    const qsizetype index = pendingIndex(clientMsgId);
    if (index >= 0)
        removePendingAt(index);
}

// ---- read state ---------------------------------------------------------------------------------

int ChatRoom::unreadCount() const
{
    return m_info.joined ? int(std::max<qint64>(0, m_info.lastSeq - m_readSeq)) : 0;
}

void ChatRoom::setReadSeq(qint64 seq)
{
    if (seq == m_readSeq)
        return;
    const int oldUnread = unreadCount();
    m_readSeq = seq;
    Q_EMIT readSeqChanged(seq);
    if (unreadCount() != oldUnread)
        Q_EMIT unreadCountChanged(unreadCount());
    recountMentions();
}

void ChatRoom::recountMentions()
{
    int count = 0;
    if (m_info.joined) {
        // Newest first: only the messages after the read marker count, and those are at the end.
        for (auto it = m_messages.crbegin(); it != m_messages.crend() && it->seq > m_readSeq; ++it) {
            if (!it->deleted && !isOwn(*it) && Mentions::mentions(it->text, m_ownUser))
                ++count;
        }
    }
    if (count == m_mentionCount)
        return;
    m_mentionCount = count;
    Q_EMIT mentionCountChanged(count);
}

void ChatRoom::setMuted(bool muted)
{
    if (muted == m_muted)
        return;
    m_muted = muted;
    Q_EMIT mutedChanged(muted);
}

// ---- members ------------------------------------------------------------------------------------

int ChatRoom::memberRow(const QString &user) const
{
    const QString key = Names::canonical(user);
    for (qsizetype i = 0; i < m_members.size(); ++i) {
        if (Names::canonical(m_members.at(i).user) == key)
            return int(i);
    }
    return -1;
}

Protocol::Role ChatRoom::roleOf(const QString &user) const
{
    const int row = memberRow(user);
    return row < 0 ? Protocol::Role::Member : m_members.at(row).role;
}

void ChatRoom::setRole(const QString &user, Protocol::Role role)
{
    const int row = memberRow(user);
    if (row < 0 || m_members.at(row).role == role)
        return;
    m_members[row].role = role;
    Q_EMIT memberChanged(row);
    if (Names::canonical(user) == m_ownKey)
        Q_EMIT ownRoleChanged(role);
}

void ChatRoom::setMemberMuted(const QString &user, bool muted)
{
    const int row = memberRow(user);
    if (row < 0 || m_members.at(row).muted == muted)
        return;
    m_members[row].muted = muted;
    Q_EMIT memberChanged(row);
}

void ChatRoom::setSilence(const std::optional<Silence> &silence)
{
    m_silenceTimer.reset();
    const QDateTime now = m_clock.currentDateTime();
    // A mute that ended while we were away (or an event that came late) holds no longer.
    const bool over = silence && silence->until.isValid() && silence->until <= now;
    const std::optional<Silence> next = over ? std::nullopt : silence;
    if (next && next->until.isValid()) {
        // Not setSilence(): that would delete this timer from inside its own callback.
        m_silenceTimer = m_clock.createTimer(this, [this] {
            if (!m_silence)
                return;
            m_silence.reset();
            setMemberMuted(m_ownUser, false);
            Q_EMIT silenceChanged();
        });
        m_silenceTimer->start(std::chrono::milliseconds(std::max<qint64>(1, now.msecsTo(next->until))));
    }
    setMemberMuted(m_ownUser, next.has_value());
    if (next == m_silence)
        return;
    m_silence = next;
    Q_EMIT silenceChanged();
}

void ChatRoom::setMembers(const QList<Protocol::Member> &members)
{
    const Protocol::Role oldRole = ownRole();
    Q_EMIT membersAboutToReset();
    m_members = members;
    std::sort(m_members.begin(), m_members.end(), [](const Protocol::Member &a, const Protocol::Member &b) {
        return QString::compare(a.user, b.user, Qt::CaseInsensitive) < 0;
    });
    m_membersLoaded = true;
    Q_EMIT membersReset();
    if (m_info.memberCount != m_members.size()) {
        m_info.memberCount = int(m_members.size());
        Q_EMIT infoChanged();
    }
    if (ownRole() != oldRole)
        Q_EMIT ownRoleChanged(ownRole());
    // The server's list says whether we are muted now (after a reconnect we may have missed the event).
    if (const int own = memberRow(m_ownUser); own >= 0) {
        if (m_members.at(own).muted && !m_silence)
            setSilence(Silence{});
        else if (!m_members.at(own).muted && m_silence)
            setSilence(std::nullopt);
    }
}

void ChatRoom::addMember(const QString &user, Protocol::PresenceStatus status)
{
    if (memberRow(user) >= 0)
        return;
    ++m_info.memberCount;
    if (m_membersLoaded) {
        const auto it = std::lower_bound(m_members.begin(), m_members.end(), user, memberLess);
        const int row = int(it - m_members.begin());
        Q_EMIT memberAboutToInsert(row);
        m_members.insert(row, {user, status});
        Q_EMIT memberInserted(row);
    }
    Q_EMIT infoChanged();
}

void ChatRoom::removeMember(const QString &user)
{
    const int row = memberRow(user);
    if (row >= 0) {
        Q_EMIT memberAboutToRemove(row);
        m_members.removeAt(row);
        Q_EMIT memberRemoved(row);
    }
    if (row >= 0 || !m_membersLoaded) {
        m_info.memberCount = std::max(0, m_info.memberCount - 1);
        Q_EMIT infoChanged();
    }
    setTyping(user, false);
}

void ChatRoom::setPresence(const QString &user, Protocol::PresenceStatus status)
{
    const int row = memberRow(user);
    if (row < 0 || m_members.at(row).status == status)
        return;
    m_members[row].status = status;
    Q_EMIT memberChanged(row);
}

void ChatRoom::forgetPresence()
{
    for (qsizetype row = 0; row < m_members.size(); ++row) {
        if (m_members.at(row).status == Protocol::PresenceStatus::Offline)
            continue;
        m_members[row].status = Protocol::PresenceStatus::Offline;
        Q_EMIT memberChanged(int(row));
    }
}

// ---- typing -------------------------------------------------------------------------------------

QStringList ChatRoom::typingUsers() const
{
    QStringList users;
    for (const auto &[key, entry] : m_typing)
        users.append(shownName(entry.first)); // issue 12: as people call themselves
    return users;
}

void ChatRoom::setDisplayNames(DisplayNames *names)
{
    if (m_names)
        m_names->disconnect(this);
    m_names = names;
    if (!m_names)
        return;
    connect(m_names, &DisplayNames::changed, this, [this](const QString &user) {
        const QString key = Names::canonical(user);
        if (isDirect() && Names::canonical(m_info.peer) == key)
            Q_EMIT infoChanged();
        if (const int row = memberRow(user); row >= 0) {
            m_members[row].displayName = m_names->of(user);
            m_members[row].avatar = m_names->avatarOf(user);
            Q_EMIT memberChanged(row);
        }
        if (m_typing.count(key))
            Q_EMIT typingUsersChanged(typingUsers());
        Q_EMIT personRenamed(user);
    });
}

QString ChatRoom::shownName(const QString &user) const { return m_names ? m_names->shown(user) : user; }

void ChatRoom::setTyping(const QString &user, bool active)
{
    const QString key = Names::canonical(user);
    if (key == m_ownKey)
        return;
    const auto it = m_typing.find(key);
    if (!active) {
        if (it == m_typing.end())
            return;
        m_typing.erase(it);
        Q_EMIT typingUsersChanged(typingUsers());
        return;
    }
    if (it != m_typing.end()) {
        it->second.second->start(kTypingExpiry);
        return;
    }
    auto timer = m_clock.createTimer(this, [this, user] { setTyping(user, false); });
    timer->start(kTypingExpiry);
    m_typing.emplace(key, std::make_pair(user, std::move(timer)));
    Q_EMIT typingUsersChanged(typingUsers());
}

} // namespace Tertulia
