#pragma once

#include "server/store/store.h"
#include "shared/protocol/messagetype.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QJsonObject>

#include <functional>
#include <variant>

namespace Tertulia {

class Room;
struct ServerContext;

/// Roles and moderation in a room (issue 13), whoever asks: the native and Socket.IO requests
/// (ModerationHandler) and the admin HTTP API (AdminApi) run the same rules, audit lines and live effects
/// through this one class.
///
/// Every action is authorised by standing: a server administrator outranks the room's owner, who outranks
/// its moderators, who outrank members; one may act only on someone of lower standing (a moderator never on
/// the owner or another moderator), never on oneself, and only an owner (or an administrator) names
/// moderators or hands the room over. What is allowed is stored first together with its audit line (one job
/// off the event loop: Store::async()), then published as a fact (BusEvent) that every node applies: the
/// user acted on hears `moderated` at once, a removed or banned user's sessions leave the room's audience,
/// and the room's members hear of a mute (`member_muted`).
class Moderation
{
public:
    explicit Moderation(ServerContext &context);

    /// What an action answers: the reply's data (empty: none), or the refusal.
    using Outcome = std::variant<QJsonObject, Protocol::Error>;
    using Done = std::function<void(const Outcome &)>;

    /// Who asks: the account's name (as registered) and, for the log line, the connection or address.
    struct Actor
    {
        QString user;
        QString logTag;
    };

    /// One of set_role, transfer_ownership, remove_member, ban, unban, mute, unmute. Reads what it needs off
    /// the event loop (the actor's administrator flag, the target account, the room where this node has not
    /// loaded it), checks, stores and publishes. `done` runs exactly once, later, on the event loop, also
    /// when whoever asked is gone meanwhile (what was stored is still published): the caller checks that.
    void run(const Actor &actor, Protocol::RequestType type, const Protocol::ModerationParams &params, Done done);

    /// The room's bans and mutes that hold now (`list_sanctions`, GET rooms/{room}/sanctions): for its owner
    /// and moderators and for administrators (forbidden for other members; not_found for a room the actor
    /// cannot see). `done` as for run(), with a Protocol::SanctionsResult.
    void listSanctions(const Actor &actor, const QString &room, Done done);
    /// The room as its owner, moderators and administrators may see it (the admin API's member list), under
    /// the same checks as listSanctions(): `then` runs on the event loop with the room, or `refused` with the
    /// refusal (not_found, forbidden, bad_request for a direct conversation). Exactly one of them, once.
    void inspect(const Actor &actor, const QString &room, std::function<void(const Room &)> then, Done refused);

    /// Who a user is in a room, for moderation: its role there, or above every role for a server
    /// administrator (who acts for rooms without an owner, and for any other).
    enum class Standing { Member = 0, Moderator = 1, Owner = 2, Administrator = 3 };
    /// `admin`: the user's administrator flag (read in a job: Store::findUser()).
    static Standing standing(const QString &userKey, const Room &room, bool admin);
    /// Whether the room is hidden from this user, who must then hear of it exactly as of a room that is not
    /// there (not_found): a private room from whoever is neither in it nor above it, a direct conversation
    /// from everyone but its two people, administrators included. The one rule for moderation and settings.
    static bool hides(const QString &userKey, const Room &room, Standing standing);

    /// Reads the actor's administrator flag, the account `target` (if not empty) and the room off the event
    /// loop, then runs `then` on the loop with the room (null: none), the flag and the account. `then` always
    /// runs (the room registry outlives every request): a caller answering a session checks it is still there.
    void lookUp(const QString &actor, const QString &room, const QString &target,
                std::function<void(Room *room, bool admin, const std::optional<UserRecord> &target)> then);

private:
    struct Act;
    void act(const Actor &actor, Protocol::RequestType type, const Protocol::ModerationParams &params, Room *room,
             bool admin, const std::optional<UserRecord> &target, const Done &done);
    void setRole(const Act &act);
    void transferOwnership(const Act &act);
    void removeMember(const Act &act);
    void sanction(const Act &act, SanctionKind kind, bool impose);
    /// Runs the action's `writes` and its audit line in one job off the event loop; then runs `publish` and
    /// answers `answer` (or Internal with `failure` when `writes` failed). A failure to record the audit
    /// line is logged, the action stands.
    void commit(const Act &act, std::function<bool(Store &)> writes, const QString &action, const QString &detail,
                const QString &failure, const QJsonObject &answer, std::function<void()> publish);

    ServerContext &m_context;
};

} // namespace Tertulia
