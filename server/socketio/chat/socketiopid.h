#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <optional>

namespace Tertulia {

/// Socket.IO's private session id (`pid`) as every node of a cluster can check it: nothing is saved when a
/// connection ends, so a client whose node died can recover on another. The pid is a JWT-shaped, HS256-signed
/// `{"typ":"sio-pid","sub":<user key>,"sock":<socket id>,"iat":<s>}` under a key derived from the shared
/// secret (TokenService::derivedKey), so it cannot be forged, cannot pass for an access token (another key
/// and type), and only its own user can present it. The single-node server keeps its random pids and
/// per-connection logs (SocketIoGateway); this is for stores that number messages globally.
class SocketIoPid
{
public:
    struct Claims
    {
        QString userKey;
        QString socketId;
    };

    explicit SocketIoPid(QByteArray key) : m_key(std::move(key)) { }

    QString issue(const Claims &claims) const;
    /// The claims of a pid this cluster issued; nothing for anything else.
    std::optional<Claims> verify(const QString &pid) const;

private:
    QByteArray m_key;
};

} // namespace Tertulia
