#pragma once

#include "server/handlers/requesthandler.h"
#include "server/store/store.h"

#include <QtCore/QJsonObject>

#include <functional>

namespace Tertulia {

class Room;

/// Roles and moderation in a room (issue 13): set_role, transfer_ownership, remove_member, ban, unban, mute,
/// unmute. Every request is authorised here, on the server, by standing: a server administrator outranks
/// the room's owner, who outranks its moderators, who outrank members; one may act only on someone of lower
/// standing (a moderator never on the owner or another moderator), never on oneself, and only an owner (or
/// an administrator) names moderators or hands the room over. What is allowed is stored first, then
/// recorded in the audit log, then published as a fact (BusEvent) that every node applies: the user acted
/// on hears `moderated` at once, and a removed or banned user's sessions leave the room's audience.
class ModerationHandler final : public RequestHandler
{
public:
    using RequestHandler::RequestHandler;

    QList<Protocol::RequestType> types() const override;
    void handle(Session &session, const Protocol::Request &request) override;

private:
    struct Act;
    /// The checks every action shares, once the store's answers are in (on the event loop).
    void act(Session &session, const Protocol::Request &request, const Protocol::ModerationParams &params, Room *room,
             bool admin, const std::optional<UserRecord> &target);
    void setRole(const Act &act);
    void transferOwnership(const Act &act);
    void removeMember(const Act &act);
    void sanction(const Act &act, SanctionKind kind, bool impose);
    /// Runs the action's `writes` and its audit line in one job off the event loop (Store::async(); the
    /// session's later requests wait); then answers `answer` (or Internal with `failure` when `writes` failed)
    /// and runs `publish`, even if the session closed meanwhile. A failure to record the audit line is
    /// logged, the action stands.
    void commit(const Act &act, std::function<bool(Store &)> writes, const QString &action, const QString &detail,
                const QString &failure, const QJsonObject &answer, std::function<void()> publish);
};

} // namespace Tertulia
