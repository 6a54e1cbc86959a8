#pragma once

#include <cstdint>
#include <string>
#include <string_view>

/// The chat subset the generator speaks, in both encodings: the native `tertulia.v1` frames
/// (docs/protocol.md) and Socket.IO v5 over Engine.IO v4 (the same event names and payloads, requests as
/// events with an ack id).
namespace Tertulia::Bench {

enum class Proto { Native, SocketIo };

/// One decoded server frame, reduced to what the generator acts on. Views point into the frame.
struct Inbound
{
    enum class Kind {
        Ignored,          ///< a valid frame the generator does not need (presence, member_joined, pong, ...)
        Malformed,
        Hello,            ///< native: the session is authenticated
        Ok,               ///< reply (native) or ack (Socket.IO) of type ok
        Error,            ///< reply or ack of type error; `code` says which
        Message,          ///< a chat message delivery
        SioOpen,          ///< Engine.IO open packet: 0{"sid":...}
        SioConnected,     ///< Socket.IO CONNECT accepted: 40{"sid":...}
        SioConnectError,  ///< 44{...}
        SioPing,          ///< Engine.IO ping "2": answer "3"
        SioClose,         ///< Engine.IO close "1"
    };
    Kind kind = Kind::Ignored;
    bool hasId = false;
    uint64_t id = 0;          ///< request id (the generator only uses decimal ids)
    std::string_view code;    ///< error code
    std::string_view room;
    bool hasSeq = false;
    uint64_t seq = 0;
    std::string_view text;
};

Inbound parseNative(std::string_view frame);
Inbound parseSocketIo(std::string_view frame);

/// Outgoing requests. Room names and texts are produced by the generator (ASCII, no escaping needed).
void appendJoin(std::string &out, Proto proto, uint32_t id, std::string_view room);
void appendCreateRoom(std::string &out, Proto proto, uint32_t id, std::string_view room);
void appendSend(std::string &out, Proto proto, uint32_t id, std::string_view room, std::string_view text,
                uint64_t messageIndex);

/// The text of benchmark message `index`: "b:<index>:<scheduled CLOCK_MONOTONIC ns>:" padded with 'x'
/// to `totalBytes` (when longer than the prefix).
void appendBenchText(std::string &out, uint64_t index, int64_t scheduledNs, size_t totalBytes);
bool parseBenchText(std::string_view text, uint64_t &index, int64_t &scheduledNs);

} // namespace Tertulia::Bench
