#pragma once

#include "shared/protocol/payloads.h"

#include <QtCore/QList>

namespace Tertulia {

/// What the member list's context menu may offer (issue 13). The server decides every request; this mirrors its
/// rules (docs/protocol.md, "Roles and moderation") so that nobody is offered what would only be refused.
enum class MemberAction {
    MakeModerator,     ///< set_role moderator: the owner, on a member
    MakeMember,        ///< set_role member: the owner, on a moderator
    TransferOwnership, ///< the owner, on anyone else in the room
    Remove,            ///< owners and moderators, on someone below them
    Ban,
    Mute,
    Unmute,            ///< instead of Mute when the member is muted
};

/// Who we are in a room, as the server ranks it (server/handlers/moderation.h): our role there, or above every
/// role for a server administrator (ChatClient::isServerAdmin()).
enum class Standing { Member = 0, Moderator = 1, Owner = 2, Administrator = 3 };
inline Standing standingOf(Protocol::Role own, bool serverAdmin)
{
    return serverAdmin ? Standing::Administrator : Standing(int(own));
}

/// The actions `own` may take on a member whose role is `target` (muted or not); none on oneself or for a member.
QList<MemberAction> allowedMemberActions(Standing own, Protocol::Role target, bool targetMuted, bool self);
inline QList<MemberAction> allowedMemberActions(Protocol::Role own, Protocol::Role target, bool targetMuted, bool self)
{
    return allowedMemberActions(standingOf(own, false), target, targetMuted, self);
}

/// Whether `own` may delete others' messages at all (owners and moderators; only of those below them).
inline bool canDeleteAnyMessage(Standing own) { return own != Standing::Member; }
inline bool canDeleteAnyMessage(Protocol::Role own) { return own != Protocol::Role::Member; }
/// Whether `own` may delete a message of someone whose role in the room is `sender`.
inline bool canDeleteMessageOf(Standing own, Protocol::Role sender) { return int(sender) < int(own); }

} // namespace Tertulia
