#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

/// The client side of RFC 6455 framing, written by hand because the generator must own its sockets
/// (epoll, no library event loop) and needs only this: masked frames out, unmasked frames in.
namespace Tertulia::Bench::Ws {

enum class Opcode : uint8_t { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

/// Appends one final (FIN) client frame, masked with `maskKey` (RFC 6455 5.3: clients must mask).
void appendClientFrame(std::string &out, Opcode opcode, std::string_view payload, uint32_t maskKey);

struct FrameHeader
{
    bool fin = false;
    Opcode opcode = Opcode::Text;
    bool masked = false;
    uint32_t maskKey = 0;          ///< as the four bytes appear on the wire, first byte in the low bits
    uint64_t payloadLength = 0;
    size_t headerLength = 0;
};

enum class ParseStatus { NeedMore, Ok, Error };

/// Reads a frame header from `data`. `expectMasked`: a client reads unmasked server frames (a masked
/// one is a protocol error, RFC 6455 5.1); the self-test also reads client frames. Rejects reserved
/// bits (no extension is negotiated), unknown opcodes, fragmented or oversized control frames and
/// payloads over `maxPayload`.
ParseStatus parseHeader(std::string_view data, FrameHeader &out, bool expectMasked, uint64_t maxPayload);

/// XORs `length` bytes in place with the mask (the same operation masks and unmasks).
void applyMask(char *data, size_t length, uint32_t maskKey);

/// A key for `Sec-WebSocket-Key`: 16 random bytes, base64. Not checked against the server's
/// `Sec-WebSocket-Accept` (that needs SHA-1, which libsodium lacks; the server's own tests check its
/// handshake with a strict client), the status line, `Upgrade` and the subprotocol are.
std::string makeHandshakeKey();

} // namespace Tertulia::Bench::Ws
