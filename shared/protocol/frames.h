#pragma once

#include "shared/protocol/errorcode.h"
#include "shared/protocol/messagetype.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QJsonObject>

#include <optional>
#include <variant>

/// Frames of the native protocol `tertulia.v1`: one JSON object per WebSocket text message.
///   request  {"type": "<request>", "id": "<client id>", "data": {...}}
///   reply    {"type": "ok", "id": "<same id>", "data": {...}}
///            {"type": "error", "id": "<same id>" | null, "error": {"code": "...", "message": "..."}}
///   event    {"type": "<event>", "data": {...}}
/// See docs/protocol.md for every frame with an example.
namespace Tertulia::Protocol {

/// The longest trace context a request keeps (W3C traceparent version 00 takes 55 characters; later versions
/// may append fields); a longer one is dropped.
constexpr qsizetype kMaxTraceparentLength = 256;

/// The trace context a request keeps from what a client sent: itself, or nothing when over the bound. Every
/// wire format (the native envelope, a Socket.IO event's data) goes through this one rule.
inline QString keptTraceparent(QString traceparent)
{
    if (traceparent.size() > kMaxTraceparentLength)
        traceparent.clear();
    return traceparent;
}

struct Request
{
    RequestType type = RequestType::Ping;
    QString id;
    QJsonObject data;
    /// A W3C trace context the client passes along ("traceparent" beside "id"; docs/protocol.md#tracing). Kept
    /// as sent: the server parses it only when it traces, and an invalid one is ignored, as the W3C says.
    QString traceparent;

    /// Named constructors: call sites never assemble JSON by hand.
    static Request auth(const QString &id, const QString &accessToken);
    static Request refresh(const QString &id, const QString &refreshToken);
    static Request listRooms(const QString &id);
    static Request createRoom(const QString &id, const CreateRoomParams &params);
    static Request join(const QString &id, const QString &room);
    static Request leave(const QString &id, const QString &room);
    static Request invite(const QString &id, const InviteParams &params);
    static Request members(const QString &id, const QString &room);
    static Request send(const QString &id, const SendParams &params);
    static Request history(const QString &id, const HistoryParams &params);
    static Request resume(const QString &id, const ResumeParams &params);
    static Request typing(const QString &id, const TypingParams &params);
    static Request presence(const QString &id, PresenceStatus status);
    static Request ping(const QString &id);
    static Request changePassword(const QString &id, const ChangePasswordParams &params);
    static Request devices(const QString &id);
    static Request revokeDevice(const QString &id, const QString &device);
    static Request revokeOtherDevices(const QString &id);
    static Request deleteAccount(const QString &id, const QString &password);
    static Request edit(const QString &id, const EditParams &params);
    static Request deleteMessage(const QString &id, const DeleteParams &params);
    /// set_role, transfer_ownership, remove_member, ban, unban, mute, unmute.
    static Request moderation(RequestType type, const QString &id, const ModerationParams &params);
    static Request react(const QString &id, const ReactParams &params);
    static Request search(const QString &id, const SearchParams &params);
    static Request markRead(const QString &id, const ReadMarker &marker);
    /// `displayed`: the message (room, seq) of a traced `message` event was shown to the reader.
    static Request displayed(const QString &id, const ReadMarker &shown);
    static Request openDirect(const QString &id, const OpenDirectParams &params);
    static Request listSanctions(const QString &id, const QString &room);
    static Request updateRoom(const QString &id, const UpdateRoomParams &params);
    static Request deleteRoom(const QString &id, const DeleteRoomParams &params);
    static Request setProfile(const QString &id, const SetProfileParams &params);

    friend bool operator==(const Request &, const Request &) = default;
};

struct Reply
{
    QString id;                 ///< empty when the request's id could not be read
    std::optional<Error> error; ///< set for an error reply
    QJsonObject data;           ///< the result of an ok reply

    bool isOk() const { return !error.has_value(); }
    static Reply ok(const QString &id, const QJsonObject &data = {});
    static Reply failure(const QString &id, const Error &error);
    static Reply failure(const QString &id, ErrorCode code, const QString &message);

    friend bool operator==(const Reply &, const Reply &) = default;
};

struct Event
{
    EventType type = EventType::Message;
    QJsonObject data;

    static Event hello(const HelloInfo &info);
    static Event message(const ChatMessage &message);
    /// A message that is being traced (docs/administration.md#delivery-traces): `trace` carries its trace id
    /// (32 hex digits), so a client can report when it showed it (`displayed`).
    static Event tracedMessage(const ChatMessage &message, const QString &traceIdHex);
    /// The trace id of a traced `message` event's data; empty for any other.
    static QString traceIdOf(const QJsonObject &messageData);
    static Event memberJoined(const MembershipEvent &membership);
    static Event memberLeft(const MembershipEvent &membership);
    static Event typing(const TypingEvent &typing);
    static Event presence(const PresenceEvent &presence);
    static Event invited(const RoomResult &invitation);
    static Event roomCreated(const RoomResult &room);
    static Event roleChanged(const RoleEvent &role);
    static Event moderated(const ModerationEvent &moderation);
    static Event readMarker(const ReadMarker &marker);
    /// The room (direct, its `peer` the recipient's other person) and `by`, who opened it.
    static Event directOpened(const RoomResult &opened);
    static Event memberMuted(const MuteEvent &mute);
    /// With `by`: who changed the settings.
    static Event roomUpdated(const RoomResult &room);
    static Event roomDeleted(const RoomDeletedEvent &deleted);
    static Event profileUpdated(const ProfileEvent &profile);
    static Event adminChanged(const AdminChangedEvent &change);

    friend bool operator==(const Event &, const Event &) = default;
};

/// Why a frame could not be decoded, and the request id when it could still be read (so the error
/// reply can name the request it refuses).
struct DecodeFailure
{
    Error error;
    QString id;
    friend bool operator==(const DecodeFailure &, const DecodeFailure &) = default;
};

QByteArray encode(const Request &request);
QByteArray encode(const Reply &reply);
QByteArray encode(const Event &event);

/// The frames of the connect path, written straight from their values (JsonWriter; docs/benchmarks.md, issue
/// 14): byte for byte what the line beside each writes through an Event or a Reply and its QJsonObject.
QByteArray encodeHello(const HelloInfo &info);                     ///< encode(Event::hello(info))
QByteArray encodeMemberJoined(const MembershipEvent &membership);  ///< encode(Event::memberJoined(membership))
QByteArray encodePresence(const PresenceEvent &presence);           ///< encode(Event::presence(presence))
QByteArray encodeOk(const QString &id, const RoomResult &result);  ///< encode(Reply::ok(id, result.toJson()))

/// Server side: a client frame. Never throws; hostile bytes give a DecodeFailure.
std::variant<Request, DecodeFailure> decodeRequest(QByteArrayView frame);

/// Client side: a server frame. Unknown event types give a DecodeFailure with UnknownType, which a
/// client should ignore (newer servers may send more kinds of events).
std::variant<Reply, Event, DecodeFailure> decodeServerFrame(QByteArrayView frame);

/// Decodes a typed payload and folds its error into the same shape, for handlers:
///   auto params = payload<SendParams>(request); if (!params) return reply(params.error());
template<typename T>
Parsed<T> payload(const QJsonObject &data)
{
    return T::fromJson(data);
}

} // namespace Tertulia::Protocol
