#include "server/cluster/redisaddress.h"

#include <QtCore/QUrl>

using namespace Qt::StringLiterals;

namespace Tertulia {

std::optional<RedisAddress> RedisAddress::fromUrl(const QString &url, QString *errorMessage)
{
    const QUrl parsed(url, QUrl::StrictMode);
    auto fail = [&](const QString &why) {
        *errorMessage = QStringLiteral("'%1' is not a Redis address: %2 (redis://HOST:PORT or unix:///PATH)")
                            .arg(url, why);
        return std::nullopt;
    };
    if (url.isEmpty())
        return fail(u"it is empty"_s);
    if (!parsed.isValid())
        return fail(parsed.errorString());
    RedisAddress address;
    if (parsed.scheme() == u"unix") {
        if (!parsed.host().isEmpty() || parsed.path().isEmpty() || !parsed.path().startsWith(u'/'))
            return fail(u"a Unix socket needs an absolute path after unix://"_s);
        address.socketPath = parsed.path();
        address.password = parsed.password();
        return address;
    }
    if (parsed.scheme() != u"redis")
        return fail(QStringLiteral("the scheme is '%1'").arg(parsed.scheme()));
    if (parsed.host().isEmpty())
        return fail(u"there is no host"_s);
    address.host = parsed.host();
    address.port = parsed.port(6379);
    if (address.port <= 0)
        return fail(u"the port is not a number from 1 to 65535"_s);
    const QString path = parsed.path();
    if (!path.isEmpty() && path != u"/") {
        bool ok = false;
        const int database = path.mid(1).toInt(&ok);
        if (!ok || database < 0)
            return fail(u"the database after the host must be a number"_s);
    }
    address.password = parsed.password();
    return address;
}

QString RedisAddress::displayUrl() const
{
    if (!socketPath.isEmpty())
        return u"unix://"_s + socketPath;
    const QString shownHost = host.contains(u':') ? u'[' + host + u']' : host;
    return QStringLiteral("redis://%1:%2").arg(shownHost).arg(port);
}

} // namespace Tertulia
