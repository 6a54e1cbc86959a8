#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>

#include <optional>

namespace Tertulia::Protocol {

/// Error codes carried by `error` replies (and by HTTP error bodies). Only append to the end: the wire
/// names are part of the protocol.
enum class ErrorCode {
    BadRequest,       ///< malformed JSON, missing or wrongly typed field
    UnknownType,      ///< a request type this server does not know
    NotAuthenticated, ///< anything but `auth` before authenticating
    AuthFailed,       ///< invalid, expired or revoked token; wrong credentials
    TokenExpired,     ///< the access token's lifetime ended
    Forbidden,        ///< authenticated but not allowed (private room, not the creator, ...)
    NotFound,         ///< no such room or user
    Conflict,         ///< the name is taken
    TooLarge,         ///< text or frame over the limit
    RateLimited,      ///< token bucket empty; retry later
    InvalidName,      ///< user or room name breaks the naming rules
    RegistrationClosed,
    Internal,         ///< the server could not do it (storage error); safe to retry
    Unavailable,      ///< too many connections, shutting down
    WrongPassword,    ///< an account request's password (the current one) is not the account's
    AccountDeleted,   ///< a token of an account that was deleted (only a genuine token learns this)
    Archived,         ///< the room is archived (read-only): no sends, edits, reactions or deletions
};

QString errorCodeName(ErrorCode code);
std::optional<ErrorCode> parseErrorCode(QStringView name);

/// An error as an enum plus a human-readable message (never thrown).
struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;

    friend bool operator==(const Error &, const Error &) = default;
};

} // namespace Tertulia::Protocol
