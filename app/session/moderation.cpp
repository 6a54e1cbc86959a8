#include "app/session/moderation.h"

namespace Tertulia {

QList<MemberAction> allowedMemberActions(Protocol::Role own, Protocol::Role target, bool targetMuted, bool self)
{
    using Protocol::Role;
    // Nobody acts on themselves (bad_request), nor on someone of their own standing or above (forbidden).
    if (self || own == Role::Member || int(target) >= int(own))
        return {};
    QList<MemberAction> actions;
    if (own == Role::Owner) {
        actions << (target == Role::Moderator ? MemberAction::MakeMember : MemberAction::MakeModerator)
                << MemberAction::TransferOwnership;
    }
    actions << MemberAction::Remove << MemberAction::Ban
            << (targetMuted ? MemberAction::Unmute : MemberAction::Mute);
    return actions;
}

} // namespace Tertulia
