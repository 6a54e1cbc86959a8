#pragma once

#include "shared/protocol/errorcode.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <optional>
#include <variant>

/// Typed payloads of the native protocol (the `data` member of every frame). Each has toJson() and a
/// static fromJson() that validates field presence, types and lengths and never throws. Semantic rules
/// that depend on server settings (text size limit, room existence) are the server's to check.
namespace Tertulia::Protocol {

template<typename T>
using Parsed = std::variant<T, Error>;

class JsonWriter;

inline constexpr qsizetype kMaxIdLength = 64;          ///< request ids and client message ids
inline constexpr qsizetype kMaxTokenLength = 4096;
inline constexpr qsizetype kMaxTextLength = 1 << 20;   ///< codec bound; the server's limit is lower
inline constexpr int kMaxHistoryPage = 200;
inline constexpr int kDefaultHistoryPage = 50;
inline constexpr int kMaxResumeRooms = 1000;
inline constexpr qsizetype kMaxDeviceLabelLength = 100;
inline constexpr int kMaxDevices = 1000;   ///< codec bound on a device list

enum class PresenceStatus { Online, Away, Offline };
QString presenceName(PresenceStatus status);
std::optional<PresenceStatus> parsePresence(QStringView name);

/// What an entry of a room's sequence is. Edits and deletions are entries of the sequence themselves (with
/// the room's next seq), so every way messages reach a client (live, resume, history, Socket.IO recovery,
/// other nodes) carries them too. Only append to the end: the names are part of the protocol.
enum class MessageKind {
    Text,   ///< a message (no `kind` on the wire)
    Edit,   ///< "edit": `target`'s text is now `text`
    Delete, ///< "delete": `target` is deleted (its text is gone)
    React,   ///< "react": `sender` reacted to `target` with `text` (one emoji)
    Unreact, ///< "unreact": `sender` took the reaction `text` back from `target`
};
QString messageKindName(MessageKind kind);
std::optional<MessageKind> parseMessageKind(QStringView name);

// ---- shared value types -----------------------------------------------------------------------

/// One reaction on a message and who reacted so (in the order they did).
struct Reaction
{
    QString reaction;   ///< one emoji (isValidReaction)
    QStringList users;
    QJsonObject toJson() const;
    static Parsed<Reaction> fromJson(const QJsonObject &json);
    friend bool operator==(const Reaction &, const Reaction &) = default;
};

/// Reactions are short: one emoji (one grapheme cluster) of at most this many UTF-8 bytes, no letters, digits,
/// spaces or control characters.
inline constexpr int kMaxReactionBytes = 32;
bool isValidReaction(const QString &reaction);

// ---- files (issue 12) ---------------------------------------------------------------------------
inline constexpr qsizetype kMaxFileNameLength = 255;   ///< characters of an uploaded file's name
inline constexpr qsizetype kMaxFileIdLength = 64;
inline constexpr qsizetype kMaxFileTypeLength = 100;   ///< a media type ("image/png")

/// A file attached to a message (docs/protocol.md#files): uploaded over HTTP first, then named by its id in a
/// `send`. The server fills in the rest from what it stored; `width`/`height` are 0 for what is not an image.
struct FileInfo
{
    QString id;              ///< unguessable; GET /api/v1/files/<id>
    QString name;            ///< as uploaded (display only; the server never uses it as a path)
    QString type;            ///< "image/png", "image/jpeg", "image/gif", "image/webp" or "application/octet-stream"
    qint64 size = 0;         ///< bytes
    int width = 0;           ///< images: pixels (read from the header); 0 otherwise
    int height = 0;
    bool isImage() const { return type.startsWith(QLatin1StringView("image/")); }
    QJsonObject toJson() const;
    static Parsed<FileInfo> fromJson(const QJsonObject &json);
    friend bool operator==(const FileInfo &, const FileInfo &) = default;
};

// ---- when a message was written (issue 12, defect 11) --------------------------------------------
/// A `send` may say when its text was written (`written_at`, ms since the epoch on the sender's clock): a
/// message written offline and sent from an outbox after a reconnect. The server keeps it only when it is
/// plausible (plausibleWrittenAt()); its own time (`ts`) stays the message's time for order, history and resume.
inline constexpr qint64 kWrittenAtMinDelayMs = 60 * 1000;   ///< kept only when this much before the receive time
inline constexpr qint64 kWrittenAtMaxAheadMs = 60 * 1000;   ///< a sender's clock this much fast is clamped
inline constexpr qint64 kWrittenAtMaxAgeMs = qint64(7) * 24 * 60 * 60 * 1000; ///< older claims are ignored

/// What the server keeps of a send's `written_at` that it received at `receivedMs` (its wall clock), 0 for
/// nothing (docs/protocol.md, **send**). A value up to kWrittenAtMaxAheadMs after `receivedMs` is a sender's clock
/// running a little fast and counts as `receivedMs`; one further ahead, or older than kWrittenAtMaxAgeMs, is
/// ignored (never refused: a sender with a wrong clock can still send). What is left is kept only when it is
/// more than kWrittenAtMinDelayMs before `receivedMs`, so a message sent as it was written carries nothing.
qint64 plausibleWrittenAt(qint64 writtenAt, qint64 receivedMs);

struct ChatMessage
{
    QString room;
    qint64 seq = 0;          ///< per-room sequence number, 1, 2, 3, ... without holes
    QString sender;
    QString text;
    QString clientMsgId;     ///< the sender's id for the message; retries reuse it
    qint64 timestamp = 0;    ///< server time of the commit, milliseconds since the epoch (UTC)
    // Edits and deletions (issue 12). Each has an initializer, so the six-field messages written before
    // stay complete aggregates (-Wmissing-field-initializers).
    MessageKind kind = MessageKind::Text;
    qint64 target = 0;       ///< Edit, Delete: the seq of the message changed; 0 for Text
    /// Text: when it was last edited (ms since the epoch); 0 when never. History shows a message as it
    /// is now, so a page read after an edit already has the new text and this time.
    qint64 editedAt = 0;
    /// Text: the seq of the last edit or delete applied to it (0: none). A client applies an Edit or Delete
    /// entry only when its seq is above this, so an older entry never undoes a newer state read from history.
    qint64 editSeq = 0;
    bool deleted = false;    ///< Text: a tombstone; sender and time stay, the text is empty
    /// Text, deleted by a moderator of the room rather than its sender (issue 13): who deleted it. Empty when
    /// the sender deleted it (or it is not deleted).
    QString deletedBy{};
    /// Text: the seq of the message of the same room it replies to (0: not a reply). The server checked, when
    /// it stored the reply, that it named a message of that room (not an edit or deletion, not deleted then);
    /// clients quote the original from what they have of the room (it may since have been edited or deleted).
    qint64 replyTo = 0;
    /// Text: its reactions now (history presents each message as it is), in the order they were first given.
    QList<Reaction> reactions{};
    /// Text: the seq of the last reaction entry applied to it (0: none). As edit_seq for edits: a client applies a
    /// React or Unreact entry only when its seq is above this.
    qint64 reactionSeq = 0;
    /// Text: the file it carries (issue 12), as stored when it was sent; none for plain messages. A deletion
    /// takes it away with the text (the file's bytes go too).
    std::optional<FileInfo> file{};
    /// Text: when its sender wrote it (ms since the epoch, the sender's clock), for a message the server received
    /// more than a minute later (written offline, sent from an outbox after a reconnect); 0: none (sent as
    /// written). `timestamp` stays its time in the room's order.
    qint64 writtenAt = 0;

    bool isText() const { return kind == MessageKind::Text; }
    bool isReaction() const { return kind == MessageKind::React || kind == MessageKind::Unreact; }
    /// Applies an Edit or Delete entry to this message (its target) when it is newer than what it shows;
    /// true when something changed.
    bool apply(const ChatMessage &change);

    QJsonObject toJson() const;
    static Parsed<ChatMessage> fromJson(const QJsonObject &json);
    friend bool operator==(const ChatMessage &, const ChatMessage &) = default;
};

struct RoomInfo
{
    QString name;
    bool isPrivate = false;
    QString creator;
    qint64 lastSeq = 0;
    int memberCount = 0;
    bool joined = false;     ///< whether the asking user is a member
    /// `list_rooms` only: the asking user's read marker in the room, as synced between their devices
    /// (`mark_read`); 0 (not written): none stored.
    qint64 readSeq = 0;
    /// A direct conversation (`kind: "direct"`, issue 12): private, exactly two members, `name` is its
    /// address (Names::directAddress()) and `peer` the other person, as registered. Not written for rooms.
    bool direct = false;
    QString peer{};
    // Room settings (issue 13). Not written when unset, so older clients see the frames they knew.
    /// The room's display name, set by a rename; empty: none, show `name`. `name` is the room's address and
    /// never changes (resume, drafts, read markers and links are keyed by it): docs/protocol.md#room-settings.
    QString title{};
    QString topic{};         ///< at most kMaxTopicLength characters; empty: none
    bool archived = false;   ///< read-only: sends, edits, reactions and deletions are refused (`archived`)

    /// What a client shows as the room's name: its title, or its address when it has none.
    QString displayName() const { return title.isEmpty() ? name : title; }

    QJsonObject toJson() const;
    /// Writes what toJson() holds straight to `out` (docs/benchmarks.md, issue 14): both come from one field list.
    void writeJson(JsonWriter &out) const;
    static Parsed<RoomInfo> fromJson(const QJsonObject &json);
    friend bool operator==(const RoomInfo &, const RoomInfo &) = default;
};

/// A user's role in a room (issue 13). Only append: the names are part of the protocol.
enum class Role {
    Member,    ///< "member" (not written in member lists: the default)
    Moderator, ///< "moderator": removes, bans and mutes members, deletes anyone's message
    Owner,     ///< "owner": a moderator who also names moderators and can hand the room over
};
QString roleName(Role role);
std::optional<Role> parseRole(QStringView name);

struct Member
{
    QString user;
    PresenceStatus status = PresenceStatus::Offline;
    Role role = Role::Member;
    bool muted = false;      ///< cannot send in the room now
    QString displayName{};   ///< issue 12: the user's display name; empty: none (not written), show `user`
    QString avatar{};        ///< issue 12: the version of the user's avatar picture; empty: none (not written)

    QJsonObject toJson() const;
    static Parsed<Member> fromJson(const QJsonObject &json);
    friend bool operator==(const Member &, const Member &) = default;
};

struct ServerInfo
{
    QString name;
    QString version;
    qint64 maxTextBytes = 0; ///< longest message text the server accepts, in UTF-8 bytes

    friend bool operator==(const ServerInfo &, const ServerInfo &) = default;
};

// ---- request payloads ---------------------------------------------------------------------------

struct AuthParams
{
    QString token;
    QJsonObject toJson() const;
    static Parsed<AuthParams> fromJson(const QJsonObject &json);
    friend bool operator==(const AuthParams &, const AuthParams &) = default;
};

struct RefreshParams
{
    QString refreshToken;
    QJsonObject toJson() const;
    static Parsed<RefreshParams> fromJson(const QJsonObject &json);
    friend bool operator==(const RefreshParams &, const RefreshParams &) = default;
};

struct CreateRoomParams
{
    QString name;
    bool isPrivate = false;
    QJsonObject toJson() const;
    static Parsed<CreateRoomParams> fromJson(const QJsonObject &json);
    friend bool operator==(const CreateRoomParams &, const CreateRoomParams &) = default;
};

/// For join, leave and members.
struct RoomParams
{
    QString room;
    QJsonObject toJson() const;
    static Parsed<RoomParams> fromJson(const QJsonObject &json);
    friend bool operator==(const RoomParams &, const RoomParams &) = default;
};

/// `open_direct`: the direct conversation with `user` (issue 12).
struct OpenDirectParams
{
    QString user;
    QJsonObject toJson() const;
    static Parsed<OpenDirectParams> fromJson(const QJsonObject &json);
    friend bool operator==(const OpenDirectParams &, const OpenDirectParams &) = default;
};

struct InviteParams
{
    QString room;
    QString user;
    QJsonObject toJson() const;
    static Parsed<InviteParams> fromJson(const QJsonObject &json);
    friend bool operator==(const InviteParams &, const InviteParams &) = default;
};

struct SendParams
{
    QString room;
    QString text;
    QString clientMsgId;
    qint64 replyTo = 0;      ///< `reply_to`: the seq of the message of `room` this one replies to; 0: none
    /// `file: {"id": ...}` (issue 12): a file the sender uploaded to `room` and no message carries yet; empty:
    /// none. With a file the text may be empty.
    QString fileId{};
    /// `written_at`: when the text was written, ms since the epoch on the sender's clock (an outbox sends it
    /// for what waited for a connection); 0: not said. The server keeps it only when plausibleWrittenAt() does.
    qint64 writtenAt = 0;
    QJsonObject toJson() const;
    static Parsed<SendParams> fromJson(const QJsonObject &json);
    friend bool operator==(const SendParams &, const SendParams &) = default;
};

/// `edit`: the new text of one's own message `seq`; `client_msg_id` makes a retry harmless.
struct EditParams
{
    QString room;
    qint64 seq = 0;
    QString text;
    QString clientMsgId;
    QJsonObject toJson() const;
    static Parsed<EditParams> fromJson(const QJsonObject &json);
    friend bool operator==(const EditParams &, const EditParams &) = default;
};

/// `react`: add (or, with `remove`, take back) one's reaction `reaction` to message `seq` of `room`;
/// `client_msg_id` makes a retry harmless.
struct ReactParams
{
    QString room;
    qint64 seq = 0;
    QString reaction;
    QString clientMsgId;
    bool remove = false;
    QJsonObject toJson() const;
    static Parsed<ReactParams> fromJson(const QJsonObject &json);
    friend bool operator==(const ReactParams &, const ReactParams &) = default;
};

/// `mark_read` (the request and its answer) and the `read_marker` event: the user has read `room` up to
/// `seq`. The server keeps the highest seq it was told per user and room; the answer and the event carry
/// the value stored.
struct ReadMarker
{
    QString room;
    qint64 seq = 0;
    QJsonObject toJson() const;
    static Parsed<ReadMarker> fromJson(const QJsonObject &json);
    friend bool operator==(const ReadMarker &, const ReadMarker &) = default;
};

/// `delete`: one's own message `seq`; `client_msg_id` makes a retry harmless.
struct DeleteParams
{
    QString room;
    qint64 seq = 0;
    QString clientMsgId;
    QJsonObject toJson() const;
    static Parsed<DeleteParams> fromJson(const QJsonObject &json);
    friend bool operator==(const DeleteParams &, const DeleteParams &) = default;
};

/// For set_role, transfer_ownership, remove_member, ban, unban, mute and unmute: who, where, and for ban and
/// mute how long (seconds; none: until lifted), for set_role which role; a reason for the audit log and
/// the user acted on.
struct ModerationParams
{
    QString room;
    QString user;
    std::optional<Role> role;         ///< set_role: Moderator or Member
    std::optional<qint64> duration;   ///< ban, mute: seconds, 1 .. 10 years
    QString reason;                   ///< optional, at most kMaxReasonLength characters
    QJsonObject toJson() const;
    static Parsed<ModerationParams> fromJson(const QJsonObject &json);
    friend bool operator==(const ModerationParams &, const ModerationParams &) = default;
};
inline constexpr qsizetype kMaxReasonLength = 500;

/// A page of history. With `before`, the newest messages with seq < before; with `after`, the oldest
/// with seq > after; with neither, the newest messages. Pages come back in ascending seq order.
struct HistoryParams
{
    QString room;
    std::optional<qint64> before;
    std::optional<qint64> after;
    int limit = kDefaultHistoryPage;
    QJsonObject toJson() const;
    static Parsed<HistoryParams> fromJson(const QJsonObject &json);
    friend bool operator==(const HistoryParams &, const HistoryParams &) = default;
};

inline constexpr qsizetype kMaxSearchQueryLength = 200;
inline constexpr int kMaxSearchPage = 50;
inline constexpr int kDefaultSearchPage = 20;
inline constexpr int kMaxSearchTerms = 16;
inline constexpr qsizetype kMaxSearchCursorLength = 64;
/// `search` (issue 12): messages of the rooms the user can read that hold every word of `query`, newest
/// first. A word is a run of letters, digits and combining marks (searchTerms()); each matches the words
/// that begin with it, case and accents aside ("cafe" finds "Café", "cafés"). Without `room`, every room
/// the user is a member of. `before` is the `next` of the previous page (opaque to clients).
struct SearchParams
{
    QString query;
    QString room;            ///< empty: every room the user is a member of
    QString before;          ///< empty: from the newest
    int limit = kDefaultSearchPage;
    QJsonObject toJson() const;
    static Parsed<SearchParams> fromJson(const QJsonObject &json);
    friend bool operator==(const SearchParams &, const SearchParams &) = default;
};
/// The words a search query looks for: runs of letters, digits and combining marks, in order, each once
/// (case kept: the stores fold case and accents). Empty when the query has none.
QStringList searchTerms(const QString &query);

/// A part of a snippet that matched: `length` UTF-16 code units from `start`.
struct TextRange
{
    int start = 0;
    int length = 0;
    friend bool operator==(const TextRange &, const TextRange &) = default;
};

/// One message a search found: the message as history shows it now, and a short excerpt of its text around
/// the words found (`snippet`, plain text, never markup) with where they are in it (`highlights`).
struct SearchHit
{
    ChatMessage message;
    QString snippet;
    QList<TextRange> highlights;
    QJsonObject toJson() const;
    static Parsed<SearchHit> fromJson(const QJsonObject &json);
    friend bool operator==(const SearchHit &, const SearchHit &) = default;
};

/// The answer to `search`: newest first; `next` (empty when there is no more) asks for the following page.
struct SearchResults
{
    QList<SearchHit> results;
    QString next;
    /// Issue 12: the display names and avatar picture versions of the results' senders that have one (user as
    /// sent -> name or version), as a history page carries them: results come from rooms and people a client
    /// may not have met. Not written when empty.
    QMap<QString, QString> displayNames{};
    QMap<QString, QString> avatars{};
    QJsonObject toJson() const;
    static Parsed<SearchResults> fromJson(const QJsonObject &json);
    friend bool operator==(const SearchResults &, const SearchResults &) = default;
};

/// The last sequence number the client holds, per room (0 = nothing yet).
struct ResumeParams
{
    QMap<QString, qint64> rooms;
    QJsonObject toJson() const;
    static Parsed<ResumeParams> fromJson(const QJsonObject &json);
    friend bool operator==(const ResumeParams &, const ResumeParams &) = default;
};

struct TypingParams
{
    QString room;
    bool active = true;
    QJsonObject toJson() const;
    static Parsed<TypingParams> fromJson(const QJsonObject &json);
    friend bool operator==(const TypingParams &, const TypingParams &) = default;
};

struct PresenceParams
{
    PresenceStatus status = PresenceStatus::Online; ///< Offline is not settable: it means no session
    QJsonObject toJson() const;
    static Parsed<PresenceParams> fromJson(const QJsonObject &json);
    friend bool operator==(const PresenceParams &, const PresenceParams &) = default;
};

/// `change_password` (and the body of POST /api/v1/account/password).
struct ChangePasswordParams
{
    QString currentPassword;
    QString newPassword;
    QJsonObject toJson() const;
    static Parsed<ChangePasswordParams> fromJson(const QJsonObject &json);
    friend bool operator==(const ChangePasswordParams &, const ChangePasswordParams &) = default;
};

/// `revoke_device`: the id of a device from the device list.
struct DeviceParams
{
    QString device;
    QJsonObject toJson() const;
    static Parsed<DeviceParams> fromJson(const QJsonObject &json);
    friend bool operator==(const DeviceParams &, const DeviceParams &) = default;
};

/// `delete_account` (and the body of POST /api/v1/account/delete).
struct PasswordParams
{
    QString password;
    QJsonObject toJson() const;
    static Parsed<PasswordParams> fromJson(const QJsonObject &json);
    friend bool operator==(const PasswordParams &, const PasswordParams &) = default;
};

// ---- results and events ----------------------------------------------------------------------------

/// Result of `auth`, and the payload of the `hello` event.
struct HelloInfo
{
    QString user;
    ServerInfo server;
    qint64 expiresIn = 0;    ///< seconds until the access token expires
    QString displayName{};   ///< issue 12: the user's own display name; empty: none (not written)
    /// The account is a server administrator (issue 13): it outranks every room role, and the admin API
    /// answers it. Written only when true; read when the session authenticated.
    bool admin = false;
    QString avatar{};        ///< issue 12: the version of the user's own avatar picture; empty: none (not written)
    QJsonObject toJson() const;
    void writeJson(JsonWriter &out) const; ///< as RoomInfo::writeJson()
    static Parsed<HelloInfo> fromJson(const QJsonObject &json);
    friend bool operator==(const HelloInfo &, const HelloInfo &) = default;
};

/// Result of `refresh` (and the body of HTTP login and refresh).
struct TokenPair
{
    QString accessToken;
    QString refreshToken;
    qint64 expiresIn = 0;
    QJsonObject toJson() const;
    static Parsed<TokenPair> fromJson(const QJsonObject &json);
    friend bool operator==(const TokenPair &, const TokenPair &) = default;
};

struct RoomListResult
{
    QList<RoomInfo> rooms;
    /// Issue 12: the display names and avatar picture versions of the other people of the direct conversations
    /// listed (user as `peer` names them -> name or version), those that have one, in the shape a history page
    /// and search results carry their senders' profiles; not written when empty.
    QMap<QString, QString> displayNames{};
    QMap<QString, QString> avatars{};
    QJsonObject toJson() const;
    static Parsed<RoomListResult> fromJson(const QJsonObject &json);
    friend bool operator==(const RoomListResult &, const RoomListResult &) = default;
};

/// Result of create_room and join; payload of `invited` and `room_created` (with `by`).
struct RoomResult
{
    RoomInfo room;
    QString by;              ///< for `invited`: who invited; empty otherwise
    /// Issue 12: for a direct conversation (`direct_opened`, the answer to `open_direct`), the other person's
    /// display name and avatar picture version, when they have one (as RoomListResult); not written when empty.
    QMap<QString, QString> displayNames{};
    QMap<QString, QString> avatars{};
    QJsonObject toJson() const;
    void writeJson(JsonWriter &out) const; ///< as RoomInfo::writeJson()
    static Parsed<RoomResult> fromJson(const QJsonObject &json);
    friend bool operator==(const RoomResult &, const RoomResult &) = default;
};

struct SendResult
{
    QString room;
    qint64 seq = 0;
    qint64 timestamp = 0;
    bool duplicate = false;  ///< true when this client message id was already stored
    QJsonObject toJson() const;
    static Parsed<SendResult> fromJson(const QJsonObject &json);
    friend bool operator==(const SendResult &, const SendResult &) = default;
};

struct HistoryPage
{
    QString room;
    QList<ChatMessage> messages;
    bool hasMore = false;    ///< more messages exist beyond this page in the asked direction
    /// Issue 12: the display names of the page's senders that have one (user as sent -> display name), so a
    /// client can name senders who are no longer members. Not written when empty.
    QMap<QString, QString> displayNames{};
    /// Issue 12: likewise the versions of the avatar pictures of the page's senders that have one (user as sent
    /// -> version). Not written when empty.
    QMap<QString, QString> avatars{};
    QJsonObject toJson() const;
    static Parsed<HistoryPage> fromJson(const QJsonObject &json);
    friend bool operator==(const HistoryPage &, const HistoryPage &) = default;
};

struct ResumeRoomState
{
    bool recovered = false;  ///< every missed message was replayed; false: page in the gap
    qint64 lastSeq = 0;      ///< the room's last sequence number at the time of the resume
    qint64 replayedTo = 0;   ///< the last seq replayed (== lastSeq when recovered)
    QString error;           ///< non-empty when the room cannot be resumed (left, not found)
    friend bool operator==(const ResumeRoomState &, const ResumeRoomState &) = default;
};

struct ResumeResult
{
    QMap<QString, ResumeRoomState> rooms;
    QJsonObject toJson() const;
    static Parsed<ResumeResult> fromJson(const QJsonObject &json);
    friend bool operator==(const ResumeResult &, const ResumeResult &) = default;
};

struct MembersResult
{
    QString room;
    QList<Member> members;
    QJsonObject toJson() const;
    static Parsed<MembersResult> fromJson(const QJsonObject &json);
    friend bool operator==(const MembersResult &, const MembersResult &) = default;
};

/// One signed-in device of the user: a login, made by signing in with the password once and kept by its
/// refresh tokens.
struct DeviceInfo
{
    QString id;              ///< what revoke_device takes
    QString label;           ///< what the client called itself when it signed in; may be empty
    qint64 createdAt = 0;    ///< sign-in, milliseconds since the epoch; 0 when unknown (older logins)
    qint64 lastUsedAt = 0;   ///< last sign-in, token refresh or connection, milliseconds; 0 when unknown
    bool current = false;    ///< the device this request came from
    QJsonObject toJson() const;
    static Parsed<DeviceInfo> fromJson(const QJsonObject &json);
    friend bool operator==(const DeviceInfo &, const DeviceInfo &) = default;
};

/// Result of `devices`, oldest sign-in first.
struct DeviceList
{
    QList<DeviceInfo> devices;
    QJsonObject toJson() const;
    static Parsed<DeviceList> fromJson(const QJsonObject &json);
    friend bool operator==(const DeviceList &, const DeviceList &) = default;
};

/// Result of `change_password` and `revoke_other_devices`: how many other devices were signed out.
struct RevokedResult
{
    int revoked = 0;
    QJsonObject toJson() const;
    static Parsed<RevokedResult> fromJson(const QJsonObject &json);
    friend bool operator==(const RevokedResult &, const RevokedResult &) = default;
};

/// Payload of member_joined and member_left.
struct MembershipEvent
{
    QString room;
    QString user;
    QString by{};            ///< member_left: the moderator who removed or banned the user; empty when they left
    QJsonObject toJson() const;
    void writeJson(JsonWriter &out) const; ///< as RoomInfo::writeJson()
    static Parsed<MembershipEvent> fromJson(const QJsonObject &json);
    friend bool operator==(const MembershipEvent &, const MembershipEvent &) = default;
};

/// Payload of role_changed: `user`'s role in `room` is now `role`, by `by`'s doing.
struct RoleEvent
{
    QString room;
    QString user;
    Role role = Role::Member;
    QString by;
    QJsonObject toJson() const;
    static Parsed<RoleEvent> fromJson(const QJsonObject &json);
    friend bool operator==(const RoleEvent &, const RoleEvent &) = default;
};

/// What a `moderated` event tells its user. Only append: the names are part of the protocol.
enum class ModerationAction { Removed, Banned, Unbanned, Muted, Unmuted };
QString moderationActionName(ModerationAction action);
std::optional<ModerationAction> parseModerationAction(QStringView name);

/// Payload of `moderated`, sent to the sessions of the user acted on, and the result of ban and mute.
struct ModerationEvent
{
    QString room;
    ModerationAction action = ModerationAction::Removed;
    QString by;
    qint64 until = 0;        ///< banned, muted: when it ends by itself (ms since the epoch); 0: until lifted
    QString reason;
    QJsonObject toJson() const;
    static Parsed<ModerationEvent> fromJson(const QJsonObject &json);
    friend bool operator==(const ModerationEvent &, const ModerationEvent &) = default;
};

/// One ban or mute of a room that holds now, in the answer of `list_sanctions`.
struct SanctionInfo
{
    QString user;
    bool ban = true;         ///< a ban ("kind": "ban"), else a mute ("kind": "mute")
    QString by;              ///< who imposed it
    QString reason;
    qint64 until = 0;        ///< when it ends by itself (ms since the epoch); 0: until lifted
    qint64 at = 0;           ///< when it was imposed (ms since the epoch; 0 where the server does not know)
    QJsonObject toJson() const;
    static Parsed<SanctionInfo> fromJson(const QJsonObject &json);
    friend bool operator==(const SanctionInfo &, const SanctionInfo &) = default;
};

/// The result of `list_sanctions`: bans first, then mutes, each by user name.
struct SanctionsResult
{
    QString room;
    QList<SanctionInfo> sanctions;
    QJsonObject toJson() const;
    static Parsed<SanctionsResult> fromJson(const QJsonObject &json);
    friend bool operator==(const SanctionsResult &, const SanctionsResult &) = default;
};

/// Payload of `member_muted`, sent to the members of a room when one of them is muted or unmuted (the member
/// list's badge changes at once).
struct MuteEvent
{
    QString room;
    QString user;
    bool muted = true;
    QString by;
    qint64 until = 0;        ///< muted: when it ends by itself (ms since the epoch); 0: until lifted
    QJsonObject toJson() const;
    static Parsed<MuteEvent> fromJson(const QJsonObject &json);
    friend bool operator==(const MuteEvent &, const MuteEvent &) = default;
};

struct TypingEvent
{
    QString room;
    QString user;
    bool active = true;
    QJsonObject toJson() const;
    static Parsed<TypingEvent> fromJson(const QJsonObject &json);
    friend bool operator==(const TypingEvent &, const TypingEvent &) = default;
};

struct PresenceEvent
{
    QString user;
    PresenceStatus status = PresenceStatus::Online;
    QJsonObject toJson() const;
    void writeJson(JsonWriter &out) const; ///< as RoomInfo::writeJson()
    static Parsed<PresenceEvent> fromJson(const QJsonObject &json);
    friend bool operator==(const PresenceEvent &, const PresenceEvent &) = default;
};

/// update_room (issue 13): the settings to change, each optional (absent: unchanged); at least one. A topic
/// (moderators and above) or a title (owners and above) of "" clears it; `private` and `archived` are for
/// owners and above. `reason` goes to the audit log.
struct UpdateRoomParams
{
    QString room;
    std::optional<QString> title;
    std::optional<QString> topic;
    std::optional<bool> isPrivate;
    std::optional<bool> archived;
    QString reason;
    QJsonObject toJson() const;
    static Parsed<UpdateRoomParams> fromJson(const QJsonObject &json);
    friend bool operator==(const UpdateRoomParams &, const UpdateRoomParams &) = default;
};
inline constexpr qsizetype kMaxTopicLength = 300;
inline constexpr qsizetype kMaxTitleLength = 64;

/// delete_room (issue 13): owners and above. `keepHistory` is required: the owner says whether the messages
/// stay in the store (kept for the server's administrators, never shown to a client again) or go with it.
struct DeleteRoomParams
{
    QString room;
    bool keepHistory = false;
    QString reason;
    QJsonObject toJson() const;
    static Parsed<DeleteRoomParams> fromJson(const QJsonObject &json);
    friend bool operator==(const DeleteRoomParams &, const DeleteRoomParams &) = default;
};

/// Payload of `room_deleted`: the room is gone for its members (their sessions left it) and from every list.
struct RoomDeletedEvent
{
    QString room;
    QString by;
    bool historyKept = false;
    QString reason{};
    QJsonObject toJson() const;
    static Parsed<RoomDeletedEvent> fromJson(const QJsonObject &json);
    friend bool operator==(const RoomDeletedEvent &, const RoomDeletedEvent &) = default;
};

// ---- Profiles (issue 12) ----

/// set_profile: the display name to set (validated by Identity::validateDisplayName(): trimmed, NFC, 1–64
/// code points, no control or format characters but ZWJ/ZWNJ). Null, absent or "" clears it (the user name
/// is shown again).
struct SetProfileParams
{
    QString displayName;     ///< normalised; empty: clear
    QJsonObject toJson() const;
    static Parsed<SetProfileParams> fromJson(const QJsonObject &json);
    friend bool operator==(const SetProfileParams &, const SetProfileParams &) = default;
};

/// The reply to set_profile and to the avatar API (PUT/DELETE /api/v1/profile/avatar), and the payload of
/// `profile_updated`: `user`'s profile as it is now, whichever part changed: the display name (empty: none;
/// written as null) and the version of the avatar picture (empty: none; written as null).
struct ProfileEvent
{
    QString user;
    QString displayName;
    QString avatar{};
    QJsonObject toJson() const;
    static Parsed<ProfileEvent> fromJson(const QJsonObject &json);
    friend bool operator==(const ProfileEvent &, const ProfileEvent &) = default;
};

// ---- Server administrators (issue 13) ----

/// `admin_changed`: an administrator (`by`) made the account a server administrator (`admin` true) or took
/// that away; to the account's own sessions, on every node, at once. The `hello` of a later connection says
/// the same (`admin`).
struct AdminChangedEvent
{
    bool admin = false;
    QString by;
    QJsonObject toJson() const;
    static Parsed<AdminChangedEvent> fromJson(const QJsonObject &json);
    friend bool operator==(const AdminChangedEvent &, const AdminChangedEvent &) = default;
};

/// Readable dumps for test failure messages.
QString describe(const ChatMessage &message);
QString describe(const Error &error);

} // namespace Tertulia::Protocol
