#include "app/net/transport.h"

#include "shared/protocol/closecode.h"

namespace Tertulia {

using Protocol::CloseCode;

Transport::~Transport() = default;

QString DisconnectInfo::describe() const
{
    if (incompatible)
        return tr("This server does not speak the Tertulia protocol (or a newer version of it)");
    if (certificate)
        return certificate->summary();
    // When we closed it, the reason is our own (already translated) text.
    if (byClient)
        return closeReason.isEmpty() ? tr("Disconnected") : closeReason;
    switch (CloseCode(closeCode)) {
    case CloseCode::Normal:
        return tr("The server closed the connection");
    case CloseCode::GoingAway:
        return tr("The server is shutting down or restarting");
    case CloseCode::TooBig:
        return tr("A message was too big for the server");
    case CloseCode::AuthTimeout:
        return tr("The server did not see a sign-in in time");
    case CloseCode::AuthFailed:
        return tr("The server did not accept the sign-in");
    case CloseCode::TokenExpired:
        return tr("The sign-in expired");
    case CloseCode::LoggedOut:
        return tr("You were signed out on this server");
    case CloseCode::Kicked:
        return tr("An administrator removed you from the server");
    case CloseCode::AccountDeleted:
        return tr("The account was deleted");
    case CloseCode::RateLimited:
        return tr("Too many requests: the server asked to slow down");
    case CloseCode::SlowConsumer:
        return tr("The connection was too slow to keep up");
    case CloseCode::IdleTimeout:
        return tr("The server heard nothing for too long");
    case CloseCode::ProtocolViolation:
        return tr("The server refused malformed data");
    }
    if (!closeReason.isEmpty())
        return tr("Connection closed: %1").arg(closeReason);
    if (!errorString.isEmpty())
        return tr("Connection lost: %1").arg(errorString);
    return tr("Connection lost");
}

} // namespace Tertulia
