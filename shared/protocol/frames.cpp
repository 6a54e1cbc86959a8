#include "shared/protocol/frames.h"

#include "shared/protocol/jsonfields.h"
#include "shared/protocol/jsonwriter.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>

#include <algorithm>

namespace Tertulia::Protocol {

namespace {
using L1 = QLatin1StringView;

QByteArray toCompactJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

/// Room for a connect path frame (a hello takes about 150 bytes, a join's answer 200): one allocation each.
constexpr qsizetype kWrittenFrameReserve = 256;

/// encode(Event{type, payload.toJson()}) without the QJsonObject: {"data":{...},"type":"<type>"}.
template<typename Payload>
QByteArray writtenEvent(EventType type, const Payload &payload)
{
    QByteArray frame;
    frame.reserve(kWrittenFrameReserve);
    JsonWriter out(frame);
    out.beginObject();
    out.key(L1("data"));
    payload.writeJson(out);
    out.string(L1("type"), eventTypeName(type));
    out.endObject();
    return frame;
}

/// Parses the outer object, or explains why the bytes are not one.
std::variant<QJsonObject, Error> parseObject(QByteArrayView frame)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(frame.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{ErrorCode::BadRequest,
                     QStringLiteral("not valid JSON: %1 at offset %2")
                         .arg(parseError.errorString())
                         .arg(parseError.offset)};
    if (!document.isObject())
        return Error{ErrorCode::BadRequest, QStringLiteral("a frame must be a JSON object")};
    return document.object();
}

QJsonObject dataOf(const QJsonObject &object, Error *error)
{
    const QJsonValue data = object.value(L1("data"));
    if (data.isUndefined() || data.isNull())
        return {};
    if (!data.isObject())
        *error = Error{ErrorCode::BadRequest, QStringLiteral("field 'data' must be an object")};
    return data.toObject();
}

Request makeRequest(RequestType type, const QString &id, QJsonObject data = {})
{
    return Request{type, id, std::move(data), {}};
}
} // namespace

Request Request::auth(const QString &id, const QString &accessToken)
{
    return makeRequest(RequestType::Auth, id, AuthParams{accessToken}.toJson());
}
Request Request::refresh(const QString &id, const QString &refreshToken)
{
    return makeRequest(RequestType::Refresh, id, RefreshParams{refreshToken}.toJson());
}
Request Request::listRooms(const QString &id) { return makeRequest(RequestType::ListRooms, id); }
Request Request::createRoom(const QString &id, const CreateRoomParams &params)
{
    return makeRequest(RequestType::CreateRoom, id, params.toJson());
}
Request Request::join(const QString &id, const QString &room)
{
    return makeRequest(RequestType::Join, id, RoomParams{room}.toJson());
}
Request Request::leave(const QString &id, const QString &room)
{
    return makeRequest(RequestType::Leave, id, RoomParams{room}.toJson());
}
Request Request::invite(const QString &id, const InviteParams &params)
{
    return makeRequest(RequestType::Invite, id, params.toJson());
}
Request Request::members(const QString &id, const QString &room)
{
    return makeRequest(RequestType::Members, id, RoomParams{room}.toJson());
}
Request Request::send(const QString &id, const SendParams &params)
{
    return makeRequest(RequestType::Send, id, params.toJson());
}
Request Request::history(const QString &id, const HistoryParams &params)
{
    return makeRequest(RequestType::History, id, params.toJson());
}
Request Request::resume(const QString &id, const ResumeParams &params)
{
    return makeRequest(RequestType::Resume, id, params.toJson());
}
Request Request::typing(const QString &id, const TypingParams &params)
{
    return makeRequest(RequestType::Typing, id, params.toJson());
}
Request Request::presence(const QString &id, PresenceStatus status)
{
    return makeRequest(RequestType::Presence, id, PresenceParams{status}.toJson());
}
Request Request::ping(const QString &id) { return makeRequest(RequestType::Ping, id); }
Request Request::changePassword(const QString &id, const ChangePasswordParams &params)
{
    return makeRequest(RequestType::ChangePassword, id, params.toJson());
}
Request Request::devices(const QString &id) { return makeRequest(RequestType::Devices, id); }
Request Request::revokeDevice(const QString &id, const QString &device)
{
    return makeRequest(RequestType::RevokeDevice, id, DeviceParams{device}.toJson());
}
Request Request::revokeOtherDevices(const QString &id) { return makeRequest(RequestType::RevokeOtherDevices, id); }
Request Request::deleteAccount(const QString &id, const QString &password)
{
    return makeRequest(RequestType::DeleteAccount, id, PasswordParams{password}.toJson());
}
Request Request::edit(const QString &id, const EditParams &params)
{
    return makeRequest(RequestType::Edit, id, params.toJson());
}
Request Request::deleteMessage(const QString &id, const DeleteParams &params)
{
    return makeRequest(RequestType::Delete, id, params.toJson());
}
Request Request::moderation(RequestType type, const QString &id, const ModerationParams &params)
{
    return makeRequest(type, id, params.toJson());
}
Request Request::react(const QString &id, const ReactParams &params)
{
    return makeRequest(RequestType::React, id, params.toJson());
}
Request Request::search(const QString &id, const SearchParams &params)
{
    return makeRequest(RequestType::Search, id, params.toJson());
}

Request Request::markRead(const QString &id, const ReadMarker &marker)
{
    return makeRequest(RequestType::MarkRead, id, marker.toJson());
}
Request Request::updateRoom(const QString &id, const UpdateRoomParams &params)
{
    return makeRequest(RequestType::UpdateRoom, id, params.toJson());
}
Request Request::deleteRoom(const QString &id, const DeleteRoomParams &params)
{
    return makeRequest(RequestType::DeleteRoom, id, params.toJson());
}
Request Request::setProfile(const QString &id, const SetProfileParams &params)
{
    return makeRequest(RequestType::SetProfile, id, params.toJson());
}

Request Request::displayed(const QString &id, const ReadMarker &shown)
{
    return makeRequest(RequestType::Displayed, id, shown.toJson());
}

Request Request::openDirect(const QString &id, const OpenDirectParams &params)
{
    return makeRequest(RequestType::OpenDirect, id, params.toJson());
}

Request Request::listSanctions(const QString &id, const QString &room)
{
    return makeRequest(RequestType::ListSanctions, id, RoomParams{room}.toJson());
}

Reply Reply::ok(const QString &id, const QJsonObject &data) { return Reply{id, std::nullopt, data}; }
Reply Reply::failure(const QString &id, const Error &error) { return Reply{id, error, {}}; }
Reply Reply::failure(const QString &id, ErrorCode code, const QString &message)
{
    return Reply{id, Error{code, message}, {}};
}

Event Event::hello(const HelloInfo &info) { return {EventType::Hello, info.toJson()}; }
Event Event::message(const ChatMessage &message) { return {EventType::Message, message.toJson()}; }

Event Event::tracedMessage(const ChatMessage &message, const QString &traceIdHex)
{
    Event event = Event::message(message);
    event.data.insert(QLatin1String("trace"), traceIdHex);
    return event;
}

QString Event::traceIdOf(const QJsonObject &messageData)
{
    const QString id = messageData.value(QLatin1String("trace")).toString();
    // A W3C trace id: 32 lower-case hex digits, not all zero. Anything else is no trace.
    static const auto isHex = [](QChar c) { return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'); };
    if (id.size() != 32 || !std::all_of(id.cbegin(), id.cend(), isHex) || id == QString(32, u'0'))
        return {};
    return id;
}
Event Event::memberJoined(const MembershipEvent &m) { return {EventType::MemberJoined, m.toJson()}; }
Event Event::memberLeft(const MembershipEvent &m) { return {EventType::MemberLeft, m.toJson()}; }
Event Event::typing(const TypingEvent &typing) { return {EventType::Typing, typing.toJson()}; }
Event Event::presence(const PresenceEvent &presence) { return {EventType::Presence, presence.toJson()}; }
Event Event::invited(const RoomResult &invitation) { return {EventType::Invited, invitation.toJson()}; }
Event Event::roomCreated(const RoomResult &room) { return {EventType::RoomCreated, room.toJson()}; }
Event Event::roleChanged(const RoleEvent &role) { return {EventType::RoleChanged, role.toJson()}; }
Event Event::moderated(const ModerationEvent &moderation) { return {EventType::Moderated, moderation.toJson()}; }
Event Event::readMarker(const ReadMarker &marker) { return {EventType::ReadMarker, marker.toJson()}; }
Event Event::memberMuted(const MuteEvent &mute) { return {EventType::MemberMuted, mute.toJson()}; }

Event Event::directOpened(const RoomResult &opened) { return {EventType::DirectOpened, opened.toJson()}; }
Event Event::roomUpdated(const RoomResult &room) { return {EventType::RoomUpdated, room.toJson()}; }
Event Event::roomDeleted(const RoomDeletedEvent &deleted) { return {EventType::RoomDeleted, deleted.toJson()}; }
Event Event::profileUpdated(const ProfileEvent &profile) { return {EventType::ProfileUpdated, profile.toJson()}; }
Event Event::adminChanged(const AdminChangedEvent &change) { return {EventType::AdminChanged, change.toJson()}; }

QByteArray encode(const Request &request)
{
    QJsonObject object{{L1("type"), requestTypeName(request.type)}, {L1("id"), request.id}};
    if (!request.data.isEmpty())
        object.insert(L1("data"), request.data);
    if (!request.traceparent.isEmpty())
        object.insert(L1("traceparent"), request.traceparent);
    return toCompactJson(object);
}

QByteArray encode(const Reply &reply)
{
    QJsonObject object;
    object.insert(L1("id"), reply.id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(reply.id));
    if (reply.error) {
        object.insert(L1("type"), QStringLiteral("error"));
        object.insert(L1("error"), QJsonObject{{L1("code"), errorCodeName(reply.error->code)},
                                               {L1("message"), reply.error->message}});
    } else {
        object.insert(L1("type"), QStringLiteral("ok"));
        object.insert(L1("data"), reply.data);
    }
    return toCompactJson(object);
}

QByteArray encode(const Event &event)
{
    return toCompactJson({{L1("type"), eventTypeName(event.type)}, {L1("data"), event.data}});
}

QByteArray encodeHello(const HelloInfo &info) { return writtenEvent(EventType::Hello, info); }

QByteArray encodeMemberJoined(const MembershipEvent &membership)
{
    return writtenEvent(EventType::MemberJoined, membership);
}

QByteArray encodePresence(const PresenceEvent &presence) { return writtenEvent(EventType::Presence, presence); }

QByteArray encodeOk(const QString &id, const RoomResult &result)
{
    QByteArray frame;
    frame.reserve(kWrittenFrameReserve);
    JsonWriter out(frame);
    out.beginObject();
    out.key(L1("data"));
    result.writeJson(out);
    out.key(L1("id"));
    if (id.isEmpty())
        out.null();
    else
        out.string(id);
    out.string(L1("type"), u"ok");
    out.endObject();
    return frame;
}

std::variant<Request, DecodeFailure> decodeRequest(QByteArrayView frame)
{
    auto parsed = parseObject(frame);
    if (auto *error = std::get_if<Error>(&parsed))
        return DecodeFailure{*error, {}};
    const QJsonObject &object = std::get<QJsonObject>(parsed);

    // Read the id first so every later failure can be answered to the right request.
    FieldReader reader(object);
    const QString id = reader.string(L1("id"), kMaxIdLength);
    if (!reader.ok())
        return DecodeFailure{reader.error(), {}};
    const QString typeName = reader.string(L1("type"), 64);
    if (!reader.ok())
        return DecodeFailure{reader.error(), id};
    const auto type = parseRequestType(typeName);
    if (!type)
        return DecodeFailure{{ErrorCode::UnknownType, QStringLiteral("unknown request type '%1'").arg(typeName)},
                             id};
    Error dataError{ErrorCode::Internal, {}};
    QJsonObject data = dataOf(object, &dataError);
    if (!dataError.message.isEmpty())
        return DecodeFailure{dataError, id};
    // A trace context is a hint: one that is not a short string is dropped, never an error (W3C Trace Context).
    return Request{*type, id, std::move(data), keptTraceparent(object.value(L1("traceparent")).toString())};
}

std::variant<Reply, Event, DecodeFailure> decodeServerFrame(QByteArrayView frame)
{
    auto parsed = parseObject(frame);
    if (auto *error = std::get_if<Error>(&parsed))
        return DecodeFailure{*error, {}};
    const QJsonObject &object = std::get<QJsonObject>(parsed);

    FieldReader reader(object);
    const QString typeName = reader.string(L1("type"), 64);
    if (!reader.ok())
        return DecodeFailure{reader.error(), {}};

    if (typeName == u"ok" || typeName == u"error") {
        const QString id = reader.optionalString(L1("id"), kMaxIdLength).value_or(QString());
        if (!reader.ok())
            return DecodeFailure{reader.error(), {}};
        if (typeName == u"ok") {
            Error dataError{ErrorCode::Internal, {}};
            QJsonObject data = dataOf(object, &dataError);
            if (!dataError.message.isEmpty())
                return DecodeFailure{dataError, id};
            return Reply::ok(id, data);
        }
        const QJsonObject errorJson = reader.object(L1("error"));
        FieldReader errorReader(errorJson);
        const QString codeName = errorReader.string(L1("code"), 64);
        const QString message = errorReader.optionalString(L1("message"), 4096).value_or(QString());
        if (!reader.ok() || !errorReader.ok())
            return DecodeFailure{reader.ok() ? errorReader.error() : reader.error(), id};
        // An error code from a newer server is still an error: keep its text.
        const ErrorCode code = parseErrorCode(codeName).value_or(ErrorCode::Internal);
        return Reply::failure(id, code, message.isEmpty() ? codeName : message);
    }

    const auto type = parseEventType(typeName);
    if (!type)
        return DecodeFailure{{ErrorCode::UnknownType, QStringLiteral("unknown event type '%1'").arg(typeName)},
                             {}};
    Error dataError{ErrorCode::Internal, {}};
    QJsonObject data = dataOf(object, &dataError);
    if (!dataError.message.isEmpty())
        return DecodeFailure{dataError, {}};
    return Event{*type, std::move(data)};
}

} // namespace Tertulia::Protocol
