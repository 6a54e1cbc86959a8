// The server's side of the native protocol: a client's text frame, then the typed payload its handler reads.
#include "fuzzcheck.h"
#include "shared/protocol/frames.h"

using namespace Tertulia;
using namespace Tertulia::Protocol;

namespace {
template<typename T>
void parsePayload(const QJsonObject &data)
{
    const auto parsed = T::fromJson(data);
    if (const auto *value = std::get_if<T>(&parsed)) {
        // What a handler accepted, written back and read again, is the same value.
        const auto again = T::fromJson(value->toJson());
        FUZZ_CHECK(std::holds_alternative<T>(again) && std::get<T>(again) == *value);
    } else {
        FUZZ_CHECK(!std::get<Error>(parsed).message.isEmpty());
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto decoded = decodeRequest(Fuzz::bytesOf(data, size));
    if (const auto *failure = std::get_if<DecodeFailure>(&decoded)) {
        FUZZ_CHECK(!failure->error.message.isEmpty());
        return 0;
    }
    const Request &request = std::get<Request>(decoded);
    // A decoded request survives encoding: what the client library writes, the server reads the same.
    const auto again = decodeRequest(encode(request));
    FUZZ_CHECK(std::holds_alternative<Request>(again) && std::get<Request>(again) == request);
    switch (request.type) {
    case RequestType::Auth: parsePayload<AuthParams>(request.data); break;
    case RequestType::Refresh: parsePayload<RefreshParams>(request.data); break;
    case RequestType::CreateRoom: parsePayload<CreateRoomParams>(request.data); break;
    case RequestType::Invite: parsePayload<InviteParams>(request.data); break;
    case RequestType::Send: parsePayload<SendParams>(request.data); break;
    case RequestType::History: parsePayload<HistoryParams>(request.data); break;
    case RequestType::Resume: parsePayload<ResumeParams>(request.data); break;
    case RequestType::Typing: parsePayload<TypingParams>(request.data); break;
    case RequestType::Presence: parsePayload<PresenceParams>(request.data); break;
    case RequestType::ChangePassword: parsePayload<ChangePasswordParams>(request.data); break;
    case RequestType::RevokeDevice: parsePayload<DeviceParams>(request.data); break;
    case RequestType::DeleteAccount: parsePayload<PasswordParams>(request.data); break;
    case RequestType::Edit: parsePayload<EditParams>(request.data); break;
    case RequestType::Delete: parsePayload<DeleteParams>(request.data); break;
    case RequestType::React: parsePayload<ReactParams>(request.data); break;
    case RequestType::Search: parsePayload<SearchParams>(request.data); break;
    case RequestType::MarkRead:
    case RequestType::Displayed: parsePayload<ReadMarker>(request.data); break;
    case RequestType::OpenDirect: parsePayload<OpenDirectParams>(request.data); break;
    case RequestType::UpdateRoom: parsePayload<UpdateRoomParams>(request.data); break;
    case RequestType::DeleteRoom: parsePayload<DeleteRoomParams>(request.data); break;
    case RequestType::SetProfile: parsePayload<SetProfileParams>(request.data); break;
    default: parsePayload<RoomParams>(request.data); break;
    }
    return 0;
}
