// The desktop client's side: a frame from a server (possibly hostile or newer), as ChatConnection decodes
// it, then the typed payload the session reads from each kind of reply and event.
#include "fuzzcheck.h"
#include "shared/protocol/frames.h"

using namespace Tertulia;
using namespace Tertulia::Protocol;

namespace {
template<typename T>
void parsePayload(const QJsonObject &data)
{
    const auto parsed = T::fromJson(data);
    if (const auto *error = std::get_if<Error>(&parsed))
        FUZZ_CHECK(!error->message.isEmpty());
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto decoded = decodeServerFrame(Fuzz::bytesOf(data, size));
    if (const auto *event = std::get_if<Event>(&decoded)) {
        switch (event->type) {
        case EventType::Hello: parsePayload<HelloInfo>(event->data); break;
        case EventType::Message: parsePayload<ChatMessage>(event->data); break;
        case EventType::MemberJoined:
        case EventType::MemberLeft: parsePayload<MembershipEvent>(event->data); break;
        case EventType::Typing: parsePayload<TypingEvent>(event->data); break;
        case EventType::Presence: parsePayload<PresenceEvent>(event->data); break;
        case EventType::ProfileUpdated: parsePayload<ProfileEvent>(event->data); break;
        default: parsePayload<RoomResult>(event->data); break;
        }
    } else if (const auto *reply = std::get_if<Reply>(&decoded)) {
        // The client does not know which request a hostile reply answers: it may try any reply shape.
        if (reply->isOk()) {
            parsePayload<TokenPair>(reply->data);
            parsePayload<RoomListResult>(reply->data);
            parsePayload<RoomResult>(reply->data);
            parsePayload<SendResult>(reply->data);
            parsePayload<HistoryPage>(reply->data);
            parsePayload<ResumeResult>(reply->data);
            parsePayload<MembersResult>(reply->data);
            parsePayload<HelloInfo>(reply->data);
        } else {
            FUZZ_CHECK(reply->error.has_value());
        }
    } else {
        FUZZ_CHECK(!std::get<DecodeFailure>(decoded).error.message.isEmpty());
    }
    return 0;
}
