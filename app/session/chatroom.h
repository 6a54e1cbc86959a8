#pragma once

#include "app/session/outbox.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <map>
#include <memory>
#include <optional>

namespace Tertulia {

class Clock;
class DisplayNames;
class ClockTimer;

/// One row of a room's timeline: a message from the server, or one of ours still on its way.
struct TimelineItem
{
    enum class Delivery {
        Sending, ///< in the outbox, not acknowledged
        Sent,    ///< acknowledged, or a message from the server
        Failed,  ///< refused; retry or discard
    };

    qint64 seq = 0; ///< 0 until the server assigned one
    QString sender;
    QString text;
    QDateTime time; ///< server commit time; for our pending rows, when we wrote them
    QString clientMsgId;
    bool pending = false; ///< an outbox row (always after the server's messages)
    Delivery delivery = Delivery::Sent;
    QString error; ///< why it failed, when it did
    /// When its sender wrote it, for a message the server received more than a minute later (written
    /// offline, sent from an outbox after a reconnect: the message's `written_at`); invalid otherwise. The
    /// server's time stays `time`: it is the message's place in the room and when others got it.
    QDateTime writtenAt;
    /// When its current text was written, if it was edited (the row says "edited"); invalid otherwise.
    QDateTime editedAt{};
    bool deleted = false; ///< a tombstone: sender and time stay, the text is gone
    qint64 replyTo = 0;   ///< the seq of the message of this room it replies to; 0: not a reply
    QList<Protocol::Reaction> reactions{}; ///< who gave which reaction, now
    std::optional<Protocol::FileInfo> file{}; ///< the file it carries (issue 12), as the server described it

    friend bool operator==(const TimelineItem &, const TimelineItem &) = default;
};

/// A room as the client sees it: its info, a duplicate-free timeline, our pending messages, the
/// read marker and unread count, members with presence, and who is typing. It changes only through
/// the calls below (the ChatClient routes every server event here) and announces every change in
/// "about to" / "done" signal pairs, so a model can wrap them in begin/end calls.
///
/// Timeline invariant: the server's entries form one run of consecutive sequence numbers with no
/// duplicates, followed by our pending rows in the order they were written. Edits and deletions are
/// entries of that run but not rows: they change the message they target (when it is loaded and the
/// change is newer than what it shows, ChatMessage::apply) and the row reports timelineItemChanged. Messages that arrive
/// beyond a hole wait in a side buffer until the hole is filled (merge() reports it), and a pending
/// row leaves as its own message enters, in one step, so the same message never shows twice.
class ChatRoom final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatRoom)
    Q_PROPERTY(QString name READ name CONSTANT)
    Q_PROPERTY(bool isPrivate READ isPrivate NOTIFY infoChanged)
    Q_PROPERTY(bool joined READ isJoined NOTIFY infoChanged)
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)
    Q_PROPERTY(int mentionCount READ mentionCount NOTIFY mentionCountChanged)
    Q_PROPERTY(bool muted READ isMuted WRITE setMuted NOTIFY mutedChanged)
    Q_PROPERTY(QStringList typingUsers READ typingUsers NOTIFY typingUsersChanged)

public:
    /// How long a typing notice lasts without a repeat (the server forgets after 6 s).
    static constexpr std::chrono::milliseconds kTypingExpiry{7000};

    struct MergeResult
    {
        int added = 0;                   ///< messages that entered the timeline
        std::optional<qint64> gapAfter;  ///< messages wait beyond a hole after this seq: page it in
    };

    ChatRoom(const Protocol::RoomInfo &info, const QString &ownUser, Clock &clock, QObject *parent = nullptr);
    ~ChatRoom() override;

    // ---- info ----
    QString name() const { return m_info.name; }
    bool isPrivate() const { return m_info.isPrivate; }
    QString creator() const { return m_info.creator; }
    /// A direct conversation (issue 12): with exactly one other person, `peer()`.
    bool isDirect() const { return m_info.direct; }
    QString peer() const { return m_info.peer; }
    // Room settings (issue 13)
    /// What people call it: the other person of a direct conversation; a room's title when it has one (a
    /// rename), else its name (the address, never changed).
    /// The other person is named by their display name (issue 12) when they have one.
    QString displayName() const { return isDirect() ? shownName(m_info.peer) : m_info.displayName(); }
    /// The display name as the window shows it: "@peer" or "#room".
    QString label() const { return QChar(isDirect() ? u'@' : u'#') + displayName(); }
    /// The title a rename set (empty: none).
    QString title() const { return m_info.title; }
    QString topic() const { return m_info.topic; }
    /// Read-only: the composer is off and says why.
    bool isArchived() const { return m_info.archived; }
    bool isJoined() const { return m_info.joined; }
    int memberCount() const { return m_info.memberCount; }
    /// The newest seq the server has told us about (it may be beyond the loaded timeline).
    qint64 lastSeq() const { return m_info.lastSeq; }
    /// Our user name as we sign in (pending rows are ours).
    QString ownUser() const { return m_ownUser; }
    Protocol::RoomInfo info() const { return m_info; }
    void updateInfo(const Protocol::RoomInfo &info);
    void setJoined(bool joined);
    void noteLastSeq(qint64 seq);

    // ---- timeline ----
    /// Loaded once the timeline is anchored: a page, a live message, or "empty room" arrived.
    bool isLoaded() const { return m_anchor.has_value(); }
    int timelineCount() const { return int(m_messages.size() + m_pending.size()); }
    TimelineItem itemAt(int row) const;
    int messageCount() const { return int(m_messages.size()); }
    /// The newest seq in the timeline (0 for a loaded empty room); nullopt when not loaded.
    std::optional<qint64> lastLoadedSeq() const { return m_anchor; }
    /// The oldest seq of the loaded run (an entry or a message); 0 when none.
    qint64 firstLoadedSeq() const { return m_firstSeq; }
    /// Older messages exist on the server (scroll back with `history before`).
    bool hasOlder() const { return m_firstSeq > 1; }
    bool contains(qint64 seq) const;
    /// The loaded messages (rows), as they are now; edits and deletions are folded in.
    QList<Protocol::ChatMessage> messages() const { return m_messages; }
    /// The loaded message `seq` (a row) as it is now; nullopt when it is not loaded (or is an edit or deletion).
    std::optional<Protocol::ChatMessage> message(qint64 seq) const;
    /// The row of the loaded message `seq`; -1 when it is not loaded.
    int rowOf(qint64 seq) const;
    /// Our newest message that can still be edited (sent, not deleted), for "edit the last one".
    std::optional<Protocol::ChatMessage> lastOwnMessage() const;

    /// Takes server messages from anywhere (live events, resume replays, history pages, either
    /// direction); duplicates are dropped by seq.
    MergeResult merge(const QList<Protocol::ChatMessage> &messages);
    /// Marks a room with no messages as loaded (a history page came back empty).
    void markLoadedEmpty();
    /// Replaces the server messages by this page (a gap too large to page in). Pending rows stay.
    void resetTimeline(const QList<Protocol::ChatMessage> &newest);

    // ---- our pending messages (a projection of the outbox) ----
    void addPending(const OutboxEntry &entry);
    void updatePending(const OutboxEntry &entry);
    void removePending(const QString &clientMsgId);
    int pendingCount() const { return int(m_pending.size()); }

    // ---- read state ----
    qint64 readSeq() const { return m_readSeq; }
    void setReadSeq(qint64 seq);
    void markRead() { setReadSeq(m_info.lastSeq); }
    /// Messages after the read marker; always 0 in a room we are not in (nothing there is ours to read).
    int unreadCount() const;
    /// Unread messages (after the read marker, loaded) from others that mention us (Mentions::find):
    /// the room list's mention badge. Reading the room clears it with the unread count.
    int mentionCount() const { return m_mentionCount; }

    // ---- notification settings (the client's own: ChatClient keeps them per account) ----
    /// A muted room still counts unread messages, but does not notify (except a mention) and its badge
    /// is quiet.
    bool isMuted() const { return m_muted; }
    void setMuted(bool muted);

    // ---- people (issue 12) ----
    /// The client's display names (RoomDirectory hands them over); renames update the member list, the
    /// typing list and, for a direct conversation, the room's name.
    void setDisplayNames(DisplayNames *names);
    /// What to show for a person: their display name, or their user name.
    QString shownName(const QString &user) const;

    // ---- members ----
    bool membersLoaded() const { return m_membersLoaded; }
    QList<Protocol::Member> members() const { return m_members; }
    void setMembers(const QList<Protocol::Member> &members);
    void addMember(const QString &user, Protocol::PresenceStatus status = Protocol::PresenceStatus::Online);
    void removeMember(const QString &user);
    void setPresence(const QString &user, Protocol::PresenceStatus status);
    /// Everyone offline: while we are disconnected nobody's presence is known, and a green dot would
    /// claim what we cannot see. The next member list or presence event brings it back.
    void forgetPresence();
    int memberRow(const QString &user) const;
    /// The user's role in the room as the member list says (Member when unknown or not listed).
    Protocol::Role roleOf(const QString &user) const;
    /// Our own role here (issue 13): what the member list's context menu offers follows it.
    Protocol::Role ownRole() const { return roleOf(m_ownUser); }
    /// A role_changed event, or what our own request changed.
    void setRole(const QString &user, Protocol::Role role);
    /// Whether a member may not send now (a moderator's mute): from the room's member_muted events (every
    /// member hears them), the muted user's own `moderated`, and a moderator's own request once it succeeded.
    void setMemberMuted(const QString &user, bool muted);

    // ---- our own mute by a moderator ----
    /// We are muted here: the composer says why and until when, and stays off until it is lifted or ends.
    struct Silence
    {
        QString by;        ///< empty when only the member list told us (after a reconnect)
        QDateTime until;   ///< invalid: until a moderator lifts it
        QString reason;
        friend bool operator==(const Silence &, const Silence &) = default;
    };
    std::optional<Silence> silence() const { return m_silence; }
    /// Sets or lifts our mute; one with an end lifts itself then (the server sends nothing when it ends).
    void setSilence(const std::optional<Silence> &silence);

    // ---- typing ----
    QStringList typingUsers() const;
    void setTyping(const QString &user, bool active);

Q_SIGNALS:
    void infoChanged();
    void unreadCountChanged(int count);
    void readSeqChanged(qint64 seq);
    void mentionCountChanged(int count);
    void mutedChanged(bool muted);

    void timelineAboutToInsert(int first, int last);
    void timelineInserted(int first, int last);
    void timelineAboutToRemove(int first, int last);
    void timelineRemoved(int first, int last);
    void timelineAboutToReset();
    void timelineReset();
    void timelineItemChanged(int row);
    /// One of our messages is now in the timeline: its outbox entry is done.
    void pendingConfirmed(const QString &clientMsgId, qint64 seq);

    void membersAboutToReset();
    void membersReset();
    void memberAboutToInsert(int row);
    void memberInserted(int row);
    void memberAboutToRemove(int row);
    void memberRemoved(int row);
    void memberChanged(int row);

    void typingUsersChanged(const QStringList &users);
    /// A person's display name changed (issue 12): the timeline's rows of theirs show the new one.
    void personRenamed(const QString &user);
    /// Our own role here changed (a role_changed event, a new member list).
    void ownRoleChanged(Tertulia::Protocol::Role role);
    void silenceChanged();

private:
    bool isOwn(const Protocol::ChatMessage &message) const;
    qsizetype pendingIndex(const QString &clientMsgId) const;
    /// Removes the pending rows of our messages among these; returns the confirmed ids.
    QList<std::pair<QString, qint64>> takePendingFor(const QList<Protocol::ChatMessage> &messages);
    void removePendingAt(qsizetype index);
    /// Acknowledged pending rows whose seq the loaded timeline now covers leave.
    QList<std::pair<QString, qint64>> settlePending();
    void insertMessages(qsizetype at, const QList<Protocol::ChatMessage> &messages);
    /// Applies the edits and deletions among `entries` to the loaded messages they target.
    void applyChanges(const QList<Protocol::ChatMessage> &entries);
    void afterMessages(const QList<Protocol::ChatMessage> &added, int oldUnread);
    TimelineItem pendingItem(const OutboxEntry &entry) const;
    /// Counts the unread mentions of us again; announces a change.
    void recountMentions();

    Clock &m_clock;
    QString m_ownUser;
    QString m_ownKey;
    Protocol::RoomInfo m_info;
    QList<Protocol::ChatMessage> m_messages;
    std::optional<qint64> m_anchor;
    qint64 m_firstSeq = 0; ///< the oldest seq of the loaded run (m_messages holds its messages only)
    QMap<qint64, Protocol::ChatMessage> m_ahead;
    QList<TimelineItem> m_pending;
    qint64 m_readSeq = 0;
    int m_mentionCount = 0;
    bool m_muted = false;
    QPointer<DisplayNames> m_names;
    bool m_membersLoaded = false;
    QList<Protocol::Member> m_members;
    std::optional<Silence> m_silence;
    std::unique_ptr<ClockTimer> m_silenceTimer;
    std::map<QString, std::pair<QString, std::unique_ptr<ClockTimer>>> m_typing; ///< by canonical name
};

} // namespace Tertulia
