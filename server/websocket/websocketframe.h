#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <array>
#include <optional>
#include <variant>

/// RFC 6455 framing for the server side, as value types and pure functions: no socket, no QObject. The
/// message decoder (WebSocketDecoder) and both server connections (WebSocket::Connection over QTcpSocket or
/// QSslSocket, and the Linux fast path's FastWebSocket) stand on it; tests call it on bytes.
namespace Tertulia::WebSocket {

enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

/// Close status codes the codec itself uses (RFC 6455 section 7.4.1). Application codes (4000-4999) are
/// Protocol::CloseCode.
namespace CloseStatus {
inline constexpr quint16 Normal = 1000;
inline constexpr quint16 GoingAway = 1001;
inline constexpr quint16 ProtocolError = 1002;
inline constexpr quint16 UnsupportedData = 1003;
inline constexpr quint16 NoStatus = 1005;       ///< never on the wire: a close frame without a code
inline constexpr quint16 Abnormal = 1006;       ///< never on the wire: the connection dropped without a close
inline constexpr quint16 InvalidPayload = 1007; ///< e.g. a text message that is not UTF-8
inline constexpr quint16 PolicyViolation = 1008;
inline constexpr quint16 TooBig = 1009;
inline constexpr quint16 InternalError = 1011;
} // namespace CloseStatus

/// Control frames carry at most this many payload bytes (RFC 6455 section 5.5).
inline constexpr qsizetype kMaxControlPayload = 125;
/// A close reason fits after the two code bytes of a control frame.
inline constexpr qsizetype kMaxCloseReason = kMaxControlPayload - 2;

constexpr bool isControl(quint8 opcode) { return (opcode & 0x8) != 0; }
/// The opcodes RFC 6455 defines; the others (3-7, 0xB-0xF) are reserved and fail the connection.
constexpr bool isKnownOpcode(quint8 opcode) { return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA); }

/// Whether a close code may appear in a close frame on the wire (RFC 6455 section 7.4 and the IANA registry):
/// 1000-1003, 1007-1014 and 3000-4999. 1004 is reserved, 1005/1006/1015 must never be sent, the rest of
/// 1000-2999 is reserved for future revisions, 5000 and up are undefined.
constexpr bool isValidWireCloseCode(int code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/// One frame header as it is on the wire.
struct FrameHeader
{
    bool fin = true;
    quint8 rsv = 0;            ///< the RSV1-3 bits as a number 0-7 (no extension is negotiated: must be 0)
    quint8 opcode = 0;         ///< raw, so that reserved values can be reported
    bool masked = false;
    quint64 payloadLength = 0;
    std::array<quint8, 4> mask{};
    int headerLength = 0;      ///< 2 to 14 bytes

    friend bool operator==(const FrameHeader &, const FrameHeader &) = default;
};

/// Not enough bytes for the whole header yet.
struct NeedMoreBytes
{
    friend bool operator==(const NeedMoreBytes &, const NeedMoreBytes &) = default;
};

/// A reason to fail the connection: the close code to send and a reason for logs and the close frame.
struct FrameError
{
    quint16 closeCode = CloseStatus::ProtocolError;
    QString reason;

    friend bool operator==(const FrameError &, const FrameError &) = default;
};

/// Parses the header at the start of `bytes`. Only structure is checked here (a 64-bit length must have its
/// top bit clear); what a server must refuse from a client (unmasked frames, RSV bits, reserved opcodes,
/// long or fragmented control frames) is validateClientFrame()'s job, so tests can see both apart.
std::variant<FrameHeader, NeedMoreBytes, FrameError> parseFrameHeader(QByteArrayView bytes);

/// The rules RFC 6455 sets for frames a server receives. Returns the error to fail the connection with.
std::optional<FrameError> validateClientFrame(const FrameHeader &header);

/// Writes a server frame header (never masked) for a payload of `length` bytes.
void appendFrameHeader(QByteArray &out, Opcode opcode, quint64 length, bool fin = true);
/// One complete unmasked server frame: header and payload in one buffer, ready to be shared by many sockets.
QByteArray serverFrame(Opcode opcode, QByteArrayView payload, bool fin = true);
/// A close frame with a code and a UTF-8 reason, cut to kMaxCloseReason bytes on a character boundary.
/// Code 1005 (NoStatus) gives a close frame without a payload.
QByteArray closeFrame(quint16 code, QByteArrayView reasonUtf8);

/// XORs `length` bytes with the masking key, starting at key byte `keyOffset` (0-3), into `out` (which may
/// be `in`).
void unmask(const char *in, char *out, qsizetype length, const std::array<quint8, 4> &mask, qsizetype keyOffset = 0);

/// Cuts UTF-8 text to at most `maxBytes` without splitting a character (the text is assumed to be valid).
QByteArrayView truncateUtf8(QByteArrayView text, qsizetype maxBytes);

} // namespace Tertulia::WebSocket
