#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <cstddef>
#include <optional>

namespace Tertulia::Protocol {

/// Requests a client sends. Only append to the end; wire names live in messagetype.cpp only.
enum class RequestType {
    Auth,       ///< "auth": authenticate (or re-authenticate with a fresh access token)
    Refresh,    ///< "refresh": rotate the token pair in-band
    ListRooms,  ///< "list_rooms"
    CreateRoom, ///< "create_room"
    Join,       ///< "join"
    Leave,      ///< "leave"
    Invite,     ///< "invite": the creator of a private room lets a user in
    Members,    ///< "members": who is in a room, with presence
    Send,       ///< "send": post a message with a client message id
    History,    ///< "history": a page before or after a sequence number
    Resume,     ///< "resume": replay what was missed since a sequence number per room
    Typing,     ///< "typing"
    Presence,   ///< "presence": set own status (online/away)
    Ping,       ///< "ping": application-level heartbeat for clients that cannot see WebSocket pings
    ChangePassword,     ///< "change_password": with the current one; the user's other logins are revoked
    Devices,            ///< "devices": the user's signed-in devices (logins)
    RevokeDevice,       ///< "revoke_device": sign one device out
    RevokeOtherDevices, ///< "revoke_other_devices": sign every device but this one out
    DeleteAccount,      ///< "delete_account": with the password
    Edit,               ///< "edit": replace the text of one's own message (an event in the room's sequence)
    Delete,             ///< "delete": delete one's own message (or, moderating, anyone's), leaving a tombstone
    // Roles and moderation (issue 13): owners, moderators and server administrators only.
    SetRole,            ///< "set_role": an owner makes a member a moderator, or a moderator a member again
    TransferOwnership,  ///< "transfer_ownership": the owner hands the room to another member
    RemoveMember,       ///< "remove_member": a member leaves the room, made to
    Ban,                ///< "ban": out of the room and kept out (optionally for a while)
    Unban,              ///< "unban"
    Mute,               ///< "mute": stays in the room, cannot send (optionally for a while)
    Unmute,             ///< "unmute"
    React,              ///< "react": add or remove one's reaction (an emoji) to a message (an event too)
    Search,             ///< "search": messages of the rooms one can read that hold some words, newest first
    MarkRead,           ///< "mark_read": the user has read a room up to a seq (synced to their other sessions)
    Displayed,          ///< "displayed": a traced message was shown to its reader (issue 13's delivery traces)
    OpenDirect,         ///< "open_direct": the direct conversation with a user (created the first time)
    ListSanctions,      ///< "list_sanctions": a room's bans and mutes that hold now (its moderators only)
    // Room settings (issue 13)
    UpdateRoom,         ///< "update_room": topic (moderators), title, privacy, archived (owners)
    DeleteRoom,         ///< "delete_room": the owner deletes the room, keeping its history or not
    // Profiles (issue 12)
    SetProfile,         ///< "set_profile": set or clear one's display name
};

/// How many request types there are (tables indexed by RequestType).
inline constexpr std::size_t kRequestTypeCount = std::size_t(RequestType::SetProfile) + 1;

/// Pushes the server sends without being asked. Only append to the end.
enum class EventType {
    Hello,        ///< "hello": after header authentication; who you are and which server this is
    Message,      ///< "message"
    MemberJoined, ///< "member_joined"
    MemberLeft,   ///< "member_left"
    Typing,       ///< "typing"
    Presence,     ///< "presence"
    Invited,      ///< "invited": you were invited to a private room
    RoomCreated,  ///< "room_created": a public room appeared
    RoleChanged,  ///< "role_changed": a member of a room became its owner, a moderator or a member again
    Moderated,    ///< "moderated": you were removed from, banned from, muted in (or let back into) a room
    ReadMarker,   ///< "read_marker": another session of yours read a room up to a seq (private to you)
    DirectOpened, ///< "direct_opened": a direct conversation of yours was opened (by you or the other person)
    MemberMuted,  ///< "member_muted": a member of a room was muted or unmuted (to the room's members)
    RoomUpdated,  ///< "room_updated": a room's settings changed (topic, title, privacy, archived)
    RoomDeleted,  ///< "room_deleted": a room was deleted; its members' sessions left it
    ProfileUpdated, ///< "profile_updated": a user's display name changed (to them and everyone sharing a room)
    AdminChanged, ///< "admin_changed": an administrator promoted or demoted you (to your own sessions only)
};

QString requestTypeName(RequestType type);
std::optional<RequestType> parseRequestType(QStringView name);
QString eventTypeName(EventType type);
std::optional<EventType> parseEventType(QStringView name);

} // namespace Tertulia::Protocol
