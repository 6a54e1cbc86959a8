#include "shared/protocol/messagetype.h"

#include <array>

namespace Tertulia::Protocol {

namespace {
// The one table of wire names for message types: nowhere else compares type strings.
constexpr std::array kRequestNames{
    u"auth", u"refresh", u"list_rooms", u"create_room", u"join",   u"leave",    u"invite",
    u"members", u"send", u"history",    u"resume",      u"typing", u"presence", u"ping",
    u"change_password", u"devices", u"revoke_device", u"revoke_other_devices", u"delete_account",
    u"edit", u"delete", u"set_role", u"transfer_ownership", u"remove_member", u"ban", u"unban", u"mute",
    u"unmute", u"react", u"search", u"mark_read", u"displayed", u"open_direct", u"list_sanctions",
    u"update_room", u"delete_room",
    u"set_profile",
};
static_assert(kRequestNames.size() == kRequestTypeCount);

constexpr std::array kEventNames{
    u"hello", u"message", u"member_joined", u"member_left",
    u"typing", u"presence", u"invited", u"room_created", u"role_changed", u"moderated", u"read_marker",
    u"direct_opened", u"member_muted", u"room_updated", u"room_deleted",
    u"profile_updated",
    u"admin_changed",
};
static_assert(kEventNames.size() == std::size_t(EventType::AdminChanged) + 1);

template<typename Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<const char16_t *, N> &names, QStringView name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (name == QStringView(names[i]))
            return Enum(i);
    }
    return std::nullopt;
}
} // namespace

QString requestTypeName(RequestType type)
{
    return QString::fromUtf16(kRequestNames.at(std::size_t(type)));
}

std::optional<RequestType> parseRequestType(QStringView name)
{
    return lookup<RequestType>(kRequestNames, name);
}

QString eventTypeName(EventType type) { return QString::fromUtf16(kEventNames.at(std::size_t(type))); }

std::optional<EventType> parseEventType(QStringView name) { return lookup<EventType>(kEventNames, name); }

} // namespace Tertulia::Protocol
