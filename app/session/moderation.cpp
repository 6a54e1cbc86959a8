#include "app/session/moderation.h"

namespace Tertulia {

QList<MemberAction> allowedMemberActions(Standing own, Protocol::Role target, bool targetMuted, bool self)
{
    using Protocol::Role;
    // Nobody acts on themselves (bad_request), nor on someone of their own standing or above (forbidden).
    if (self || own == Standing::Member || int(target) >= int(own))
        return {};
    QList<MemberAction> actions;
    // An administrator names moderators and hands the room over like its owner, but does not demote the
    // owner (that would leave the room without one): the owner is only removed, banned or muted.
    if (own == Standing::Owner || (own == Standing::Administrator && target != Role::Owner)) {
        actions << (target == Role::Moderator ? MemberAction::MakeMember : MemberAction::MakeModerator)
                << MemberAction::TransferOwnership;
    }
    actions << MemberAction::Remove << MemberAction::Ban
            << (targetMuted ? MemberAction::Unmute : MemberAction::Mute);
    return actions;
}

} // namespace Tertulia
