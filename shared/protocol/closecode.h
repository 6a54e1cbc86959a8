#pragma once

namespace Tertulia::Protocol {

/// WebSocket close codes the server uses (RFC 6455 leaves 4000–4999 to applications). Every close
/// also carries a human-readable reason. Only append.
enum class CloseCode : int {
    Normal = 1000,
    GoingAway = 1001,        ///< server shutting down, or the host stopped hosting
    TooBig = 1009,           ///< frame or message over the limit (QtWebSockets sends it itself)
    AuthTimeout = 4001,      ///< no successful `auth` within the deadline
    AuthFailed = 4002,       ///< the token in the header or first frame is invalid or revoked
    TokenExpired = 4003,     ///< the access token expired on an open socket; refresh and reconnect
    LoggedOut = 4004,        ///< the login was revoked (logout, refresh-token reuse)
    Kicked = 4005,           ///< an administrator removed the user
    AccountDeleted = 4006,   ///< the account was deleted (its every login ends)
    RateLimited = 4008,      ///< repeated rate-limit violations
    SlowConsumer = 4009,     ///< too many unsent bytes queued for this client
    IdleTimeout = 4010,      ///< no traffic and no pong for too long
    ProtocolViolation = 4011,///< repeated malformed frames
};

/// Close codes after which a client must not reconnect automatically (it needs the user).
constexpr bool isTerminalClose(int code)
{
    return code == int(CloseCode::AuthFailed) || code == int(CloseCode::LoggedOut)
        || code == int(CloseCode::Kicked) || code == int(CloseCode::AccountDeleted);
}

} // namespace Tertulia::Protocol
