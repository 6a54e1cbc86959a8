#include "server/rooms/busevent.h"

#include "shared/protocol/jsonfields.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
using L1 = QLatin1StringView;
constexpr int kLastKind = int(BusEvent::Kind::PresenceRequest);
} // namespace

QByteArray BusEvent::toJson() const
{
    QJsonObject json{{L1("k"), int(kind)}, {L1("u"), user}};
    if (kind == Kind::LoginRevoked)
        json.insert(L1("l"), login);
    if (kind != Kind::Presence && kind != Kind::LoginRevoked && kind != Kind::PresenceRequest) {
        json.insert(L1("r"), QJsonObject{{L1("id"), room.id},
                                         {L1("name"), room.name},
                                         {L1("private"), room.isPrivate},
                                         {L1("creator"), room.creator},
                                         {L1("created"), room.createdAt}});
    }
    if (kind == Kind::Invited)
        json.insert(L1("b"), by);
    if (kind == Kind::Presence)
        json.insert(L1("s"), Protocol::presenceName(status));
    if (kind == Kind::Typing)
        json.insert(L1("a"), active);
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
    event.user = fields.string(L1("u"), 1024);
    if (!fields.ok() || event.kind == Kind::Message)
        return std::nullopt;
    if (event.kind != Kind::Presence) {
        const QJsonObject room = fields.object(L1("r"));
        Protocol::FieldReader r(room);
        event.room.id = r.integer(L1("id"), 1, Protocol::kMaxJsonInteger);
        event.room.name = r.string(L1("name"), 1024);
        event.room.isPrivate = r.boolean(L1("private"));
        event.room.creator = r.string(L1("creator"), 1024);
        event.room.createdAt = r.integer(L1("created"), 0, Protocol::kMaxJsonInteger);
        if (!r.ok())
            return std::nullopt;
    }
    if (event.kind == Kind::Invited)
        event.by = fields.string(L1("b"), 1024);
    if (event.kind == Kind::Presence) {
        const auto status = Protocol::parsePresence(fields.string(L1("s"), 16));
        if (!status)
            return std::nullopt;
        event.status = *status;
    }
    if (event.kind == Kind::Typing)
        event.active = fields.boolean(L1("a"));
    if (!fields.ok())
        return std::nullopt;
    return event;
}

} // namespace Tertulia
