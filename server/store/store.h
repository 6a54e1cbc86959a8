#pragma once

#include "server/trace/tracecontext.h"
#include "shared/protocol/errorcode.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <variant>

class QObject;

namespace Tertulia {

struct UserRecord
{
    QString name;              ///< as registered ("Alice")
    QByteArray passwordHash;   ///< libsodium's encoded Argon2id string
    bool isAdmin = false;
    qint64 createdAt = 0;
    /// Disabled by an administrator (schema version 5): cannot sign in or refresh; the account and its name
    /// stay. Initialized, so the four-field records written before stay complete aggregates.
    bool disabled = false;
};

/// One sign-in: the family of refresh tokens rotated from one login. Revoking it ends them all.
struct LoginRecord
{
    QString id;                ///< the `sid` claim
    QString user;
    QString refreshTokenId;    ///< jti of the only refresh token that may be used next
    bool revoked = false;
    qint64 expiresAt = 0;      ///< seconds since the epoch
    // Schema version 2 (devices). Each has an initializer, so the five-field records written before stay
    // complete aggregates (-Wmissing-field-initializers).
    /// What the client called itself when it signed in ("Tertulia 0.1 on Linux"): the device list shows it.
    QString device{};
    qint64 createdAt = 0;      ///< seconds since the epoch; 0 for logins older than schema version 2
    qint64 lastUsedAt = 0;     ///< last sign-in or token refresh (seconds); TokenService knows later uses
};

struct RoomRecord
{
    qint64 id = 0;
    QString name;
    bool isPrivate = false;
    QString creator;
    qint64 lastSeq = 0;
    qint64 createdAt = 0;
    // Settings (schema version 11, issue 13). Each has an initializer, so the six-field records written
    // before stay complete aggregates.
    QString title{};           ///< display name given by a rename; empty: `name` (the address never changes)
    QString topic{};
    bool archived = false;     ///< read-only
};

/// The settings an update_room changes (schema version 11): each absent one stays as stored, so two owners
/// changing different settings at once both get their way.
struct RoomChange
{
    std::optional<QString> title;
    std::optional<QString> topic;
    std::optional<bool> isPrivate;
    std::optional<bool> archived;
};

/// A direct conversation (issue 12) as Store::openDirect() answers it.
struct DirectRoom
{
    RoomRecord room;           ///< private, named Names::directAddress() of its two users
    bool created = false;      ///< this call made it (else it existed: opened before, from either side or node)
};

/// A user's standing in one room (issue 13). Members have no row: only owners and moderators are stored.
enum class RoomRole : quint8 { Member = 0, Moderator = 1, Owner = 2 };

struct RoomRoleRecord
{
    QString user;              ///< as registered
    RoomRole role = RoomRole::Moderator;
    friend bool operator==(const RoomRoleRecord &, const RoomRoleRecord &) = default;
};

/// What a moderator did to a user in a room that lasts: a ban (not in the room, cannot join, read or send)
/// or a mute (cannot send). Stored numbers: only append.
enum class SanctionKind : quint8 { Ban = 1, Mute = 2 };

struct SanctionRecord
{
    qint64 roomId = 0;
    QString user;              ///< as registered
    SanctionKind kind = SanctionKind::Ban;
    qint64 until = 0;          ///< ms since the epoch when it ends by itself; 0: until lifted
    QString by;                ///< who imposed it
    QString reason{};
    qint64 at = 0;             ///< ms since the epoch
    /// Whether it still holds at `nowMs`.
    bool activeAt(qint64 nowMs) const { return until == 0 || until > nowMs; }
    friend bool operator==(const SanctionRecord &, const SanctionRecord &) = default;
};

/// An uploaded avatar picture (issue 12, schema version 15): one per account, replaced whole.
struct AvatarRecord
{
    QString version;           ///< Identity::avatarVersion() of the bytes: what clients name it by
    QString type;              ///< its media type, sniffed (image/png, image/jpeg, image/gif, image/webp)
    QByteArray bytes;
    qint64 updatedAt = 0;      ///< ms since the epoch
    friend bool operator==(const AvatarRecord &, const AvatarRecord &) = default;
};

/// One node's answer to a cluster-wide request of the admin API (schema 17): e.g. its open connections for a
/// GET connections another node was asked, as JSON. Written by the answering node, taken (read and removed) by
/// the asking one; too big for a fact (a NOTIFY carries at most 8000 bytes), so the store carries it.
struct NodeSnapshot
{
    QString request;           ///< the request's id (the asking node's, unique)
    QString node;              ///< the answering node
    qint64 takenAt = 0;        ///< when it was taken (ms since the epoch)
    QByteArray body;           ///< what the node answered (compact JSON)

    friend bool operator==(const NodeSnapshot &, const NodeSnapshot &) = default;
};

/// One line of the audit log: who did what to whom, where, when and why (moderation and administration).
struct AuditRecord
{
    qint64 id = 0;             ///< ascending in the order recorded (0 before it is stored)
    qint64 at = 0;             ///< ms since the epoch
    QString actor;             ///< who acted (a user name)
    QString action;            ///< "ban", "mute", "remove_member", "set_admin", ... (docs/administration.md)
    QString target{};          ///< the user (or connection) acted on; may be empty
    QString room{};            ///< the room, for room actions; empty otherwise
    QString reason{};          ///< the actor's reason, optional (at most kMaxAuditReasonLength characters)
    QString detail{};          ///< what else the action was ("until 1765000000000", "admin=true", ...)
    friend bool operator==(const AuditRecord &, const AuditRecord &) = default;
};

/// The longest reason a moderation or administration request may give (characters).
inline constexpr qsizetype kMaxAuditReasonLength = 500;

struct AppendRequest
{
    RoomRecord room;
    QString sender;
    QString clientMsgId;
    QString text;
    /// The seq of the message of `room` this one replies to (0: none). The store checks it in the append's
    /// transaction (a message of the room, not an edit or a deletion, not deleted); the other appends of the
    /// batch are not held back by a refused one.
    qint64 replyTo = 0;
    /// A file to attach (issue 12; empty: none): the store checks, in the append's transaction, that `sender`
    /// uploaded it to `room` and no message carries it yet (NotFound otherwise, alone, as a refused reply), and
    /// the stored message carries its FileInfo.
    QString fileId{};
    /// When the sender wrote it (issue 12, defect 11; ms since the epoch), as MessageHandler kept it
    /// (Protocol::plausibleWrittenAt()); 0: none. Stored as is (`messages.written_at`, schema 14; NULL for 0).
    qint64 writtenAt = 0;
    /// A traced message's trace context (docs/administration.md#delivery-traces; invalid: not traced) and the
    /// node that received its `send`. Both stores keep them with the message (`messages.traceparent` and
    /// `trace_node`, schema 16; NULL when untraced), so that another node reading the message from the log
    /// records its part of the trace (PositionedMessage::trace); a store that tells other nodes of its commits
    /// (PostgreSQL with a notifying node) also puts the context in the batch's notice, for nodes of the
    /// previous version during a rolling upgrade.
    Trace::TraceContext trace{};
    QString traceNode{};
};

/// A stored file (issue 12, schema version 12): what was uploaded, where, by whom, and which message carries
/// it (docs/architecture.md#files: the bytes are under the data directory with SQLite, in the database with
/// PostgreSQL).
struct FileRecord
{
    Protocol::FileInfo info;
    qint64 roomId = 0;
    QString room{};            ///< the room's name (findFile() fills it in)
    QString uploader{};        ///< as registered
    qint64 seq = 0;            ///< the message of `room` that carries it; 0: none yet (only its uploader sees it)
    qint64 createdAt = 0;      ///< ms since the epoch
};

/// An edit, a deletion or a reaction to a message (issue 12): an entry of the room's sequence of its own.
struct AmendRequest
{
    RoomRecord room;
    QString sender;
    QString clientMsgId;
    Protocol::MessageKind kind = Protocol::MessageKind::Edit; ///< Edit, Delete, React or Unreact
    qint64 target = 0;         ///< the seq of the message changed
    QString text;              ///< Edit: the new text; React, Unreact: the reaction
    /// Delete: the sender moderates the room (issue 13) and may delete anyone's message; the target then
    /// records who deleted it (`deleted_by`).
    bool asModerator = false;
    /// With asModerator: the user keys whose messages the sender may still not delete (the owner's and the
    /// other moderators' for a moderator): Forbidden.
    QStringList protectedSenders{};
};

struct AppendResult
{
    Protocol::ChatMessage message;
    bool duplicate = false;    ///< this (sender, client message id) was stored before; nothing was added
    qint64 position = 0;       ///< the global position, where the store keeps them (see PositionedMessage)
};

/// A stored message with its room and its global position (stores shared by several nodes number every
/// message in commit order across all rooms; 0 where there is no such number).
struct PositionedMessage
{
    RoomRecord room;
    Protocol::ChatMessage message;
    qint64 position = 0;
    /// A traced message's trace context and the node that received its `send`, as appended
    /// (AppendRequest::trace, traceNode); invalid and empty for an untraced one, and for one stored before
    /// schema 16 or by a node of an earlier version.
    Trace::TraceContext trace{};
    QString traceNode{};
};

template<typename T>
using StoreResult = std::variant<T, Protocol::Error>;

/// One page of a room's history, as readHistory() answers it.
struct HistorySlice
{
    QList<Protocol::ChatMessage> messages;   ///< ascending seq order
    bool hasMore = false;
};

/// Where a page of search results ends: the (time, room id, seq) of its last hit. Results come newest first in
/// this order, so the next page is what lies below it. Clients get it as an opaque string (`next`, `before`).
struct SearchCursor
{
    qint64 ts = 0;
    qint64 roomId = 0;
    qint64 seq = 0;
    QString toString() const;
    /// nullopt for anything toString() does not write.
    static std::optional<SearchCursor> parse(const QString &text);
    friend bool operator==(const SearchCursor &, const SearchCursor &) = default;
};

/// A search (issue 12): the messages of `rooms` (the caller checked the user may read each) whose current
/// text holds every one of `terms` (Protocol::searchTerms(): each matches the words beginning with it, case
/// and accents aside), newest first, below `before`, at most `limit`.
struct SearchRequest
{
    QStringList terms;
    QList<RoomRecord> rooms;
    std::optional<SearchCursor> before;
    int limit = Protocol::kDefaultSearchPage;
};

/// A page of search results, as readSearch() answers it: the hits, newest first, and where each stands (the
/// cursor of a page that ends with it).
struct SearchSlice
{
    QList<Protocol::SearchHit> hits;
    QList<SearchCursor> positions;   ///< one per hit
    bool hasMore = false;            ///< more hits lie below the last one
};

/// Persistence behind one interface, so that SQLite and PostgreSQL (several nodes) are interchangeable. User
/// and room identities are compared by Names::canonical(). Message appends are asynchronous so that an
/// implementation can group many of them into one transaction. The callback of an append runs only after its
/// transaction committed (or failed), and in append order.
///
/// Writes: the SQL stores run every write on a connection and a thread of their own (StoreWriter), so a
/// commit that waits (the disk, another node's lock, a restarting server) never stalls the event loop.
/// append(), amend() and addMember() are queued and committed later (group commit); their answers come back
/// on the store's thread (the event loop), later than the call, in the order asked. The other writes are
/// synchronous: they run after everything asked for before (one FIFO) and the caller waits, also for the
/// batch being committed; request handlers call them inside async(), whose job runs on the writer, so the
/// event loop never waits for them (start, tools and tests call them directly). A SQLite database in
/// memory writes on the loop thread (one connection), answering through the event loop all the same.
///
/// Reads come in two kinds:
/// - The reads that can be long or many (history pages, the `resume` replay, the cluster's catch-up from
///   the log, where a recovering Socket.IO client stands) have an asynchronous form, readHistory(),
///   readMessagesAfter() and readSeqsAtPosition(): the SQL stores run them on a connection and a thread of
///   their own (StoreReader), so a page of a big room never stalls everyone's deliveries. Their callbacks
///   run on the thread of `context` (the store's thread: the event loop), always later than the call, in the
///   order asked, and never once `context` is gone (a session that closed gets no answer). They see what is
///   committed: call flush() first to include what was acknowledged.
/// - The other reads are synchronous point lookups and small ranges (findUser, findLogin, findRoom,
///   hasInvite, members, invitedRooms, roomRoles, sanctions, ...). Called directly (at start, in tools and
///   tests, on the paths docs/architecture.md lists) they run on the loop's connection and read what is
///   committed: a membership queued for the writer is seen once whenCommitted() says so. Called inside a job
///   of async() (the WebSocket request paths) they run on the writer's connection, after everything asked
///   for before, and see it. docs/benchmarks.md measures what the asynchronous reads change for deliveries.
class Store
{
public:
    virtual ~Store() = default;

    virtual bool open(QString *errorMessage) = 0;
    virtual void close() = 0;

    // Users
    /// Accounts that exist: a deleted account is not found. Synchronous: one primary-key probe, on sign-in,
    /// token refresh, invitations and account changes (rare requests, never on the delivery path).
    virtual std::optional<UserRecord> findUser(const QString &name) = 0;
    /// Conflict when taken, and when the name belonged to a deleted account: deleted names are never
    /// given out again (their messages stay under that name; see deleteUser()).
    virtual StoreResult<UserRecord> createUser(const UserRecord &user) = 0;
    virtual int userCount() = 0;
    /// Replaces the password of an account that exists; false when there is none (or on a storage error).
    virtual bool setPasswordHash(const QString &user, const QByteArray &passwordHash) = 0;
    /// Sets or clears the administrator flag of an account that exists, and answers whether it changed (false:
    /// it had that value already). NotFound when there is no such account (deleted ones included); Conflict
    /// when it would clear the flag of the last administrator: the count and the change are one transaction
    /// that holds the administrators' rows (every node's writer), so two administrators demoting each other at
    /// once cannot both succeed and a server that has one never ends up with none this way. Internal on a
    /// storage error (nothing changed).
    virtual StoreResult<bool> setAdmin(const QString &user, bool admin) = 0;
    /// Disables or enables an account that exists, and answers whether it changed. NotFound when there is no
    /// such account; Internal on a storage error. The caller revokes the logins of an account it disables.
    virtual StoreResult<bool> setDisabled(const QString &user, bool disabled) = 0;
    /// Deletes an account in one transaction: the user stops existing (findUser(), liveLogins()) but the
    /// name stays taken, every login of it is revoked, its memberships and invitations go. Its messages
    /// stay, under its name. False when there is no such account (or on a storage error: nothing changed).
    virtual bool deleteUser(const QString &user, qint64 deletedAt) = 0;
    /// Every account that exists (disabled ones included, deleted ones not), a page at a time in canonical
    /// name order: at most `limit` whose canonical name sorts after `afterKey` (empty: from the first). For
    /// the admin API's user list; one index range.
    virtual QList<UserRecord> users(const QString &afterKey, int limit) = 0;

    // Profiles (issue 12, schema version 13)
    /// Sets the display name of an account that exists (already validated: Identity::validateDisplayName());
    /// empty clears it (NULL: the user name is shown). False when there is no such account or on a storage
    /// error. Synchronous: in a job of async().
    virtual bool setDisplayName(const QString &user, const QString &displayName) = 0;
    /// Every existing account's display name that is set: canonical user name -> display name. Read at start
    /// (ProfileDirectory holds them in memory, so member lists and history pages name people without a read)
    /// and again when a cluster bus resynchronises.
    virtual QHash<QString, QString> displayNames() = 0;
    // Avatar pictures (issue 12, schema version 15). The bytes are in the database on both stores: one small
    // picture per account (the avatar API's max_avatar_bytes), replaced rather than accumulated.
    /// Sets (or replaces) the picture of an account that exists. False when there is no such account or on a
    /// storage error. Synchronous: in a job of async().
    virtual bool setAvatar(const QString &user, const AvatarRecord &avatar) = 0;
    /// Removes the account's picture: whether it had one; Internal on a storage error. In a job of async().
    virtual StoreResult<bool> removeAvatar(const QString &user) = 0;
    /// The picture of an existing account; nullopt when it has none (or on a storage error). In a job of async().
    virtual std::optional<AvatarRecord> avatar(const QString &user) = 0;
    /// Every existing account's picture version: canonical user name -> version. Read with displayNames().
    virtual QHash<QString, QString> avatarVersions() = 0;

    // Logins (refresh token families)
    virtual bool createLogin(const LoginRecord &login) = 0;
    /// Synchronous: one primary-key probe, on token refresh and device changes (access tokens are checked in
    /// memory).
    virtual std::optional<LoginRecord> findLogin(const QString &id) = 0;
    /// Compare-and-set: moves the login to `newTokenId` only if `expectedTokenId` is still current.
    virtual bool rotateLogin(const QString &id, const QString &expectedTokenId, const QString &newTokenId,
                             qint64 newExpiresAt) = 0;
    virtual bool revokeLogin(const QString &id) = 0;
    /// The logins whose tokens may still be honoured: not revoked, not expired at `now`, and of a user that
    /// exists (loaded at start to check access tokens in memory). Synchronous: read once, before the server
    /// listens.
    virtual QList<LoginRecord> liveLogins(qint64 now) = 0;
    /// One user's logins that may still be honoured (not revoked, not expired at `now`), oldest first: the
    /// user's signed-in devices.
    virtual QList<LoginRecord> loginsOf(const QString &user, qint64 now) = 0;
    /// Records a use of the login (seconds since the epoch); never moves the time back.
    virtual bool touchLogin(const QString &id, qint64 lastUsedAt) = 0;
    /// Revokes every login of the user but `exceptId` (empty: all of them) in one transaction, and returns
    /// the ids it revoked (or the storage error: then none was).
    virtual StoreResult<QList<QString>> revokeLoginsOf(const QString &user, const QString &exceptId) = 0;

    // Rooms and membership
    /// Synchronous: read at start, and in a job of async() when the cluster bus resynchronises after an outage.
    virtual QList<RoomRecord> rooms() = 0;
    /// Synchronous: one unique-key probe; RoomRegistry keeps every room in memory and rarely asks.
    virtual std::optional<RoomRecord> findRoom(const QString &name) = 0;
    virtual StoreResult<RoomRecord> createRoom(const RoomRecord &room) = 0;   ///< Conflict when taken
    /// Synchronous: RoomRegistry reads it when it loads a room (at start; in a job of async() for a room another
    /// node created and on a resync) and needs the members before it delivers the room's next event; live
    /// membership is kept in memory, so no request reads it. A room of thousands is one index range of small rows.
    virtual QList<QString> members(qint64 roomId) = 0;
    /// Queued: committed later, with other writes of the moment (group commit). Acknowledge it to the user
    /// only from whenCommitted(), which also tells whether it failed; reads see it from then on. True when it
    /// was taken.
    virtual bool addMember(qint64 roomId, const QString &user) = 0;
    virtual bool removeMember(qint64 roomId, const QString &user) = 0;
    virtual bool addInvite(qint64 roomId, const QString &user, const QString &by) = 0;
    /// Synchronous: one primary-key probe, when someone not a member joins or reads a private room.
    virtual bool hasInvite(qint64 roomId, const QString &user) = 0;
    /// Uses an invitation up (the invited user left the room: coming back takes a new one).
    virtual bool removeInvite(qint64 roomId, const QString &user) = 0;
    virtual QList<qint64> invitedRooms(const QString &user) = 0;
    /// The direct conversation of two accounts (issue 12; the caller checked `other` exists and is not
    /// `user`): the one they have, or, the first time, a new private room with both of them as members and no
    /// owner, stored in one transaction. One per pair, enforced by a unique key on the pair (direct_rooms):
    /// two nodes opening it at once both get the same room, one of them `created`. Synchronous (in a job of
    /// async()); Internal on a storage error.
    virtual StoreResult<DirectRoom> openDirect(const QString &user, const QString &other, qint64 now) = 0;

    // Room settings (issue 13). Synchronous: in a job of Store::async().
    /// Changes the settings given and answers the room as stored after (nullopt: no such live room, or a
    /// storage error: nothing changed).
    virtual std::optional<RoomRecord> updateRoom(qint64 roomId, const RoomChange &change) = 0;
    /// Deletes a room in one transaction: it leaves rooms() and findRoom() for good (the row stays with
    /// `deleted_at`, so its name stays reserved: a client's drafts, read markers and links to it never reach
    /// a new room of the same name), its members, invitations, roles, sanctions and read markers go. With
    /// `keepHistory` its messages and reactions stay in the database (for the server's administrators and
    /// audits; no request reads a deleted room); otherwise they go too (and with them the search index).
    virtual bool deleteRoom(qint64 roomId, qint64 deletedAt, bool keepHistory) = 0;

    // Roles and sanctions in rooms (issue 13). RoomRegistry reads them when it loads a room and keeps them in
    // memory; the writes are synchronous (rare moderation requests).
    /// The room's owners and moderators (members have no row).
    virtual QList<RoomRoleRecord> roomRoles(qint64 roomId) = 0;
    /// Gives the user the role in the room (Member: removes their row). False on a storage error.
    virtual bool setRoomRole(qint64 roomId, const QString &user, RoomRole role) = 0;
    /// In one transaction: `to` becomes the owner and every other owner (`from` included) a moderator.
    virtual bool transferOwnership(qint64 roomId, const QString &from, const QString &to) = 0;
    /// The room's bans and mutes, expired ones included (the caller compares with its clock).
    virtual QList<SanctionRecord> sanctions(qint64 roomId) = 0;
    /// Imposes a ban or a mute, replacing one of the same kind on the same user in the room.
    virtual bool setSanction(const SanctionRecord &sanction) = 0;
    /// Lifts one (nothing when there is none). False on a storage error.
    virtual bool removeSanction(qint64 roomId, const QString &user, SanctionKind kind) = 0;

    // Audit log (issue 13)
    /// Records one line; its id and order are the store's. Synchronous and durable when it returns.
    virtual bool appendAudit(const AuditRecord &record) = 0;
    /// Newest first: at most `limit` lines with an id below `beforeId` (0: from the newest).
    virtual QList<AuditRecord> auditLog(qint64 beforeId, int limit) = 0;

    // Node snapshots (schema 17): the answers of the nodes of a cluster to one admin request.
    /// Stores `snapshot` (replacing one of the same request and node). Synchronous; false on a storage error.
    virtual bool putNodeSnapshot(const NodeSnapshot &snapshot) = 0;
    /// Reads and removes the answers to `request` (by node), and drops every answer taken before
    /// `staleBefore` (ms since the epoch): those a node wrote after its asker stopped waiting. Synchronous.
    virtual QList<NodeSnapshot> takeNodeSnapshots(const QString &request, qint64 staleBefore) = 0;

    // Messages
    using AppendCallback = std::function<void(const StoreResult<AppendResult> &)>;
    /// Stores the message with the room's next sequence number, or finds the earlier copy with the same
    /// (sender, client message id). `done` runs after the commit, from the event loop (never within the call).
    /// A reply (`replyTo`) whose original is missing or deleted is refused with NotFound (BadRequest when it
    /// names an edit or a deletion), alone: the rest of its batch is stored.
    virtual void append(const AppendRequest &request, AppendCallback done) = 0;
    /// Stores an edit or a deletion as the room's next entry and applies it to its target in the same
    /// transaction: an Edit replaces the target's text (with edited_at and edit_seq); a Delete empties the
    /// target (deleted) and every earlier edit of it, so its text is gone from the database. Only the
    /// target's sender may (Forbidden); NotFound when the room has no such message or it is deleted;
    /// BadRequest when the target is itself an edit or a deletion. A retry with the same (sender, client
    /// message id) gets the earlier entry (duplicate) and changes nothing. A React or Unreact may come from anyone
    /// (the caller checks the room) and gives or takes back the sender's reaction (SqlReactions: the target must
    /// be a message that is not deleted, and may have at most kMaxPerMessage different reactions: TooLarge);
    /// a deletion forgets the target's reactions. Queued appends are committed
    /// first (they were sent before); `done` runs after the entry's own commit (or failure), from the event
    /// loop, in order with the appends' callbacks.
    virtual void amend(const AmendRequest &request, AppendCallback done) = 0;
    /// Commits whatever is queued, now, and runs the callbacks of everything committed before returning (the
    /// caller waits for the writer: for tests, tools, shutdown and rare paths; the loop's own end-of-pass
    /// hand-over never waits).
    virtual void flush() = 0;
    /// Runs `done` once everything queued so far (appends, memberships, notices; amends are waited for too,
    /// their own callback tells their fate) is committed (true) or lost to a failed commit (false): at once
    /// when nothing waits for a commit, else after the commit, from the event loop, in the order asked.
    virtual void whenCommitted(std::function<void(bool committed)> done) = 0;
    /// Ascending seq order. `before`/`after` as in the protocol's history request. Synchronous: for tools and
    /// tests; request handlers (`history` pages, the `resume` replay) read with readHistory().
    virtual QList<Protocol::ChatMessage> history(const RoomRecord &room, std::optional<qint64> before,
                                                 std::optional<qint64> after, int limit, bool *hasMore) = 0;
    using HistoryCallback = std::function<void(const StoreResult<HistorySlice> &)>;
    /// history() off the event loop: `done` runs later on `context`'s thread (see the class comment). The
    /// default runs history() now and hands its answer on from the event loop.
    virtual void readHistory(const RoomRecord &room, std::optional<qint64> before, std::optional<qint64> after,
                             int limit, QObject *context, HistoryCallback done);

    /// Runs `job` off the event loop and hands its result to `done` on `context`'s thread (the store's: the
    /// event loop), always later than this call, never once `context` is gone (a session that closed, a
    /// request that was abandoned: the answer is dropped, the job's writes stand). What request handlers use
    /// for every store call that is not an append (docs/architecture.md, "Store threading").
    ///
    /// `job` gets this store and calls its synchronous methods (findUser, createRoom, setSanction, ...). On
    /// the SQL stores it runs on the writer (StoreWriter::post), after every write asked for before it (queued
    /// appends, memberships and notices are handed over first: one FIFO), and the synchronous methods it calls
    /// run inline on the writer's connection: its reads see every write asked for before it, committed or
    /// not yet acknowledged (read-your-writes), and a write it makes runs before anything asked for after.
    /// A database in memory (the loop mode) runs `job` at once and still answers from the event loop.
    /// `job` must not call append(), amend(), addMember(), notify(), flush() or whenCommitted(): they belong
    /// to the event loop's side of the store.
    template<typename Result>
    void async(QObject *context, std::function<Result(Store &)> job, std::function<void(Result)> done)
    {
        auto result = std::make_shared<std::optional<Result>>();
        runJob([this, job = std::move(job), result] { result->emplace(job(*this)); }, context,
               [result, done = std::move(done)] { done(std::move(**result)); });
    }
    /// What async() stands on: `job` where async() says, then `answer` on `context`'s thread unless it is
    /// gone. The default (a store without a writer thread) runs `job` now and answers from the event loop.
    virtual void runJob(std::function<void()> job, QObject *context, std::function<void()> answer);

    /// A search (SearchRequest): messages, not edits, deletions or reactions, by their text now (an edited
    /// message by its new text; a deleted one never), each as history shows it, with a snippet of its text
    /// around what matched. Synchronous: for tools and tests; the `search` request reads with readSearch().
    virtual StoreResult<SearchSlice> search(const SearchRequest &request) = 0;
    using SearchCallback = std::function<void(const StoreResult<SearchSlice> &)>;
    /// search() off the event loop: `done` runs later on `context`'s thread (see the class comment). The
    /// default runs search() now and hands its answer on from the event loop.
    virtual void readSearch(const SearchRequest &request, QObject *context, SearchCallback done);

    // Read markers (issue 12): how far each user has read each room, synced between their devices.
    using ReadMarkerCallback = std::function<void(const StoreResult<qint64> &)>;
    /// Raises the user's marker in the room to `seq` (never lowers it) and answers the value stored now. On the
    /// writer (after what was queued before), so the event loop never waits; `done` runs later, from the event
    /// loop, in order with the other writes' callbacks. Internal on a storage error.
    virtual void setReadMarker(qint64 roomId, const QString &user, qint64 seq, ReadMarkerCallback done) = 0;
    /// The user's markers by room id; Internal on a storage error. Synchronous: for tools and tests;
    /// `list_rooms` reads readReadMarkers().
    virtual StoreResult<QHash<qint64, qint64>> readMarkers(const QString &user) = 0;
    using ReadMarkersCallback = std::function<void(const StoreResult<QHash<qint64, qint64>> &)>;
    /// readMarkers() off the event loop: `done` runs later on `context`'s thread (see the class comment). The
    /// default runs readMarkers() now and hands its answer on from the event loop.
    virtual void readReadMarkers(const QString &user, QObject *context, ReadMarkersCallback done);

    // Files (issue 12). Synchronous: in a job of Store::async() (the writer), as other rare writes.
    /// Stores an upload: its record (FileRecord::seq 0) and its bytes, durable when it returns (SQLite: a file
    /// under the data directory, written, synced and renamed into place before the row commits; PostgreSQL: a
    /// bytea row). Internal on a storage error (nothing stored).
    virtual StoreResult<FileRecord> storeFile(const FileRecord &file, const QByteArray &bytes)
    {
        Q_UNUSED(file);
        Q_UNUSED(bytes);
        return Protocol::Error{Protocol::ErrorCode::Internal, QStringLiteral("this store keeps no files")};
    }
    /// The file of a live room (nullopt: no such file, its message was deleted, its room deleted, or a storage
    /// error).
    virtual std::optional<FileRecord> findFile(const QString &id) { Q_UNUSED(id); return std::nullopt; }
    /// Its bytes (nullopt: gone, or a storage error).
    virtual std::optional<QByteArray> fileBytes(const QString &id) { Q_UNUSED(id); return std::nullopt; }
    /// How many of the user's uploads no message carries yet, in live rooms (-1 on a storage error).
    virtual int unsentFiles(const QString &uploader) { Q_UNUSED(uploader); return 0; }

    /// Group-commit transactions committed so far (metrics, tests of group commit).
    virtual quint64 commitCount() const = 0;

    // Several nodes (docs/scaling.md). A store that one process owns (SQLite) keeps the defaults.
    /// Tells every node listening to the store `payload` once what is written so far is committed (in commit
    /// order with the store's own notices of committed messages: it is queued with the next batch, after
    /// the memberships asked for before it). Nothing without listeners.
    virtual void notify(const QByteArray &payload) { Q_UNUSED(payload); }
    /// The highest global position so far (0 when positions are not kept).
    virtual qint64 lastPosition() { return 0; }
    /// Messages of every room with a global position above `position`, in position order, at most `limit`;
    /// nullopt when the store could not be read (try again later).
    virtual std::optional<QList<PositionedMessage>> messagesAfter(qint64 position, int limit)
    {
        Q_UNUSED(position);
        Q_UNUSED(limit);
        return QList<PositionedMessage>();
    }
    using MessagesAfterCallback = std::function<void(const std::optional<QList<PositionedMessage>> &)>;
    /// messagesAfter() off the event loop: `done` runs later on `context`'s thread (see the class comment).
    /// The default runs messagesAfter() now and hands its answer on from the event loop.
    virtual void readMessagesAfter(qint64 position, int limit, QObject *context, MessagesAfterCallback done);
    /// For each room (by id): the seq of its last message at or below the global position (0: none), that
    /// is, where a client that received everything up to that position stands. nullopt when positions are
    /// not kept or the store could not be read. Synchronous, for tools and tests: a Socket.IO recovery reads
    /// it with readSeqsAtPosition(); one index probe per room of the session.
    virtual std::optional<QHash<qint64, qint64>> seqsAtPosition(qint64 position, const QList<qint64> &roomIds)
    {
        Q_UNUSED(position);
        Q_UNUSED(roomIds);
        return std::nullopt;
    }
    using SeqsCallback = std::function<void(const std::optional<QHash<qint64, qint64>> &)>;
    /// seqsAtPosition() off the event loop, as a Socket.IO recovery asks it: `done` runs later on `context`'s
    /// thread (see the class comment). nullopt also when `position` is above lastPosition() (an offset the
    /// store never gave). The default runs both now and hands the answer on from the event loop.
    virtual void readSeqsAtPosition(qint64 position, const QList<qint64> &roomIds, QObject *context,
                                    SeqsCallback done);
};

} // namespace Tertulia
