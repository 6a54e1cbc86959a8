#include "server/rooms/busevent.h"

#include "shared/identity.h"
#include "shared/protocol/jsonfields.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
using L1 = QLatin1StringView;
constexpr int kLastKind = int(BusEvent::Kind::DisconnectDone);
/// A request's id (the asking node's name and a counter, or a UUID): short and plain.
constexpr qsizetype kMaxRequestLength = 128;
/// A node's name (ServerConfig: 1-16 letters, digits, '-'), with room to spare for later versions.
constexpr qsizetype kMaxNodeLength = 64;

bool isAdminRequest(BusEvent::Kind kind)
{
    return kind >= BusEvent::Kind::ConnectionsAsked && kind <= BusEvent::Kind::DisconnectDone;
}
} // namespace

QByteArray BusEvent::toJson() const
{
    QJsonObject json{{L1("k"), int(kind)}, {L1("u"), user}};
    if (kind == Kind::LoginRevoked)
        json.insert(L1("l"), login);
    if (kind == Kind::ProfileUpdated) {
        if (!displayName.isEmpty())
            json.insert(L1("dn"), displayName);
        if (!avatar.isEmpty())
            json.insert(L1("av"), avatar);
        if (profileParts != ProfileDisplayName) // absent: a rename, as nodes before avatar pictures wrote it
            json.insert(L1("pp"), profileParts);
    }
    if (kind == Kind::AdminChanged) { // issue 13: about a user, no room
        json.insert(L1("a"), active);
        json.insert(L1("b"), by);
        return QJsonDocument(json).toJson(QJsonDocument::Compact);
    }
    if (isAdminRequest(kind)) { // issue 13: the admin API across nodes, no room
        json.remove(L1("u"));
        json.insert(L1("q"), request);
        if (kind != Kind::ConnectionsAsked)
            json.insert(L1("n"), node);
        if (kind == Kind::ConnectionsListed || kind == Kind::DisconnectDone)
            json.insert(L1("a"), active);
        if (kind == Kind::DisconnectAsked) {
            json.insert(L1("se"), QString::number(session)); // a quint64: beyond a JSON number's exact range
            json.insert(L1("re"), reason);
            json.insert(L1("b"), by);
        }
        if (kind == Kind::DisconnectDone && active)
            json.insert(L1("d"), detail);
        return QJsonDocument(json).toJson(QJsonDocument::Compact);
    }
    if (kind != Kind::Presence && kind != Kind::LoginRevoked && kind != Kind::PresenceRequest
        && kind != Kind::ProfileUpdated) {
        QJsonObject r{{L1("id"), room.id},
                      {L1("name"), room.name},
                      {L1("private"), room.isPrivate},
                      {L1("creator"), room.creator},
                      {L1("created"), room.createdAt}};
        // Settings (issue 13), when set: a node that loads the room from a fact holds them too.
        if (!room.title.isEmpty())
            r.insert(L1("ti"), room.title);
        if (!room.topic.isEmpty())
            r.insert(L1("to"), room.topic);
        if (room.archived)
            r.insert(L1("ar"), true);
        json.insert(L1("r"), r);
    }
    if (kind == Kind::Invited || kind == Kind::RoleChanged || kind == Kind::Sanctioned || kind == Kind::DirectOpened
        || kind == Kind::RoomUpdated || kind == Kind::RoomDeleted || (kind == Kind::MemberLeft && !by.isEmpty()))
        json.insert(L1("b"), by);
    if (!reason.isEmpty())
        json.insert(L1("re"), reason);
    if (kind == Kind::RoleChanged)
        json.insert(L1("ro"), Protocol::roleName(role));
    if (kind == Kind::Sanctioned) {
        json.insert(L1("sk"), int(sanction));
        json.insert(L1("un"), until);
        json.insert(L1("a"), active);
    }
    if (kind == Kind::Presence)
        json.insert(L1("s"), Protocol::presenceName(status));
    if (kind == Kind::Typing || kind == Kind::RoomDeleted)
        json.insert(L1("a"), active);
    if (kind == Kind::ReadMarker) {
        json.insert(L1("sq"), seq);
        json.insert(L1("se"), QString::number(session)); // a quint64: beyond a JSON number's exact range
    }
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

std::optional<BusEvent> BusEvent::fromJson(QByteArrayView text)
{
    const QJsonObject json = QJsonDocument::fromJson(text.toByteArray()).object();
    Protocol::FieldReader fields(json);
    BusEvent event;
    const qint64 kind = fields.integer(L1("k"), 0, kLastKind);
    event.kind = Kind(kind);
    if (event.kind == Kind::LoginRevoked) {
        event.login = fields.string(L1("l"), 1024);
        return fields.ok() ? std::optional<BusEvent>(event) : std::nullopt;
    }
    if (event.kind == Kind::PresenceRequest)
        return fields.ok() ? std::optional<BusEvent>(event) : std::nullopt;
    if (isAdminRequest(event.kind)) { // issue 13: the admin API across nodes
        event.request = fields.string(L1("q"), kMaxRequestLength);
        if (event.kind != Kind::ConnectionsAsked)
            event.node = fields.string(L1("n"), kMaxNodeLength);
        if (event.kind == Kind::ConnectionsListed || event.kind == Kind::DisconnectDone)
            event.active = fields.boolean(L1("a"));
        if (event.kind == Kind::DisconnectAsked) {
            bool number = false;
            event.session = fields.string(L1("se"), 20).toULongLong(&number);
            event.reason = fields.string(L1("re"), kMaxAuditReasonLength);
            event.by = fields.string(L1("b"), 1024);
            if (!number)
                return std::nullopt;
        }
        if (event.kind == Kind::DisconnectDone && event.active)
            event.detail = fields.object(L1("d"));
        if (!fields.ok() || event.request.isEmpty() || (event.kind != Kind::ConnectionsAsked && event.node.isEmpty()))
            return std::nullopt;
        return event;
    }
    event.user = fields.string(L1("u"), 1024);
    if (!fields.ok() || event.kind == Kind::Message)
        return std::nullopt;
    if (event.kind == Kind::ProfileUpdated) { // issue 12: about a user, no room
        event.displayName = fields.optionalString(L1("dn"), Identity::kMaxDisplayNameUnits).value_or(QString());
        event.avatar = fields.optionalString(L1("av"), Identity::kMaxAvatarVersionLength).value_or(QString());
        event.profileParts = int(fields.optionalInteger(L1("pp"), ProfileDisplayName, ProfileDisplayName | ProfileAvatar)
                                     .value_or(ProfileDisplayName));
        if (!event.avatar.isEmpty() && !Identity::isAvatarVersion(event.avatar))
            return std::nullopt;
        return fields.ok() ? std::optional<BusEvent>(event) : std::nullopt;
    }
    if (event.kind == Kind::AdminChanged) { // issue 13: about a user, no room
        event.active = fields.boolean(L1("a"));
        event.by = fields.string(L1("b"), 1024);
        return fields.ok() ? std::optional<BusEvent>(event) : std::nullopt;
    }
    if (event.kind != Kind::Presence) {
        const QJsonObject room = fields.object(L1("r"));
        Protocol::FieldReader r(room);
        event.room.id = r.integer(L1("id"), 1, Protocol::kMaxJsonInteger);
        event.room.name = r.string(L1("name"), 1024);
        event.room.isPrivate = r.boolean(L1("private"));
        event.room.creator = r.string(L1("creator"), 1024);
        event.room.createdAt = r.integer(L1("created"), 0, Protocol::kMaxJsonInteger);
        event.room.title = r.optionalString(L1("ti"), Protocol::kMaxTitleLength).value_or(QString());
        event.room.topic = r.optionalString(L1("to"), Protocol::kMaxTopicLength).value_or(QString());
        event.room.archived = r.optionalBoolean(L1("ar"), false);
        if (!r.ok())
            return std::nullopt;
    }
    if (event.kind == Kind::Invited || event.kind == Kind::RoleChanged || event.kind == Kind::Sanctioned
        || event.kind == Kind::DirectOpened || event.kind == Kind::RoomUpdated || event.kind == Kind::RoomDeleted)
        event.by = fields.string(L1("b"), 1024);
    if (event.kind == Kind::MemberLeft)
        event.by = fields.optionalString(L1("b"), 1024).value_or(QString());
    event.reason = fields.optionalString(L1("re"), kMaxAuditReasonLength).value_or(QString());
    if (event.kind == Kind::RoleChanged) {
        const auto role = Protocol::parseRole(fields.string(L1("ro"), 16));
        if (!role)
            return std::nullopt;
        event.role = *role;
    }
    if (event.kind == Kind::Sanctioned) {
        const qint64 sanction = fields.integer(L1("sk"), int(SanctionKind::Ban), int(SanctionKind::Mute));
        event.sanction = SanctionKind(sanction);
        event.until = fields.integer(L1("un"), 0, Protocol::kMaxJsonInteger);
        event.active = fields.boolean(L1("a"));
    }
    if (event.kind == Kind::Presence) {
        const auto status = Protocol::parsePresence(fields.string(L1("s"), 16));
        if (!status)
            return std::nullopt;
        event.status = *status;
    }
    if (event.kind == Kind::Typing || event.kind == Kind::RoomDeleted)
        event.active = fields.boolean(L1("a"));
    if (event.kind == Kind::ReadMarker) {
        event.seq = fields.integer(L1("sq"), 0, Protocol::kMaxJsonInteger);
        bool number = false;
        event.session = fields.string(L1("se"), 20).toULongLong(&number);
        if (!number)
            return std::nullopt;
    }
    if (!fields.ok())
        return std::nullopt;
    return event;
}

} // namespace Tertulia
