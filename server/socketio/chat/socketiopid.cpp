#include "server/socketio/chat/socketiopid.h"

#include "server/auth/jwt.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
using L1 = QLatin1StringView;
constexpr auto kType = "sio-pid";
} // namespace

QString SocketIoPid::issue(const Claims &claims) const
{
    const QJsonObject payload{{L1("typ"), L1(kType)},
                              {L1("sub"), claims.userKey},
                              {L1("sock"), claims.socketId},
                              {L1("iat"), QDateTime::currentSecsSinceEpoch()}};
    return QString::fromLatin1(Jwt::sign(payload, m_key));
}

std::optional<SocketIoPid::Claims> SocketIoPid::verify(const QString &pid) const
{
    if (pid.isEmpty() || pid.size() > 1024)
        return std::nullopt;
    const auto verified = Jwt::verifySignature(pid.toLatin1(), m_key);
    const auto *payload = std::get_if<QJsonObject>(&verified);
    if (!payload || payload->value(L1("typ")).toString() != L1(kType))
        return std::nullopt;
    Claims claims{payload->value(L1("sub")).toString(), payload->value(L1("sock")).toString()};
    if (claims.userKey.isEmpty() || claims.socketId.isEmpty())
        return std::nullopt;
    return claims;
}

} // namespace Tertulia
