#include "app/net/serveraddress.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

ServerAddress::ServerAddress(const QString &host, quint16 port, bool secure)
    : m_host(host.toLower()), m_port(port), m_secure(secure)
{
}

std::optional<ServerAddress> ServerAddress::parse(const QString &text)
{
    QString input = text.trimmed();
    if (input.isEmpty())
        return std::nullopt;
    // Without a scheme QUrl would read "host:port" as scheme "host"; give it one.
    if (!input.contains(u"://"_s))
        input.prepend(u"http://"_s);

    const QUrl url(input, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || !url.userInfo().isEmpty() || url.hasQuery()
        || url.hasFragment())
        return std::nullopt;

    const QString scheme = url.scheme().toLower();
    bool secure = false;
    if (scheme == u"https"_s || scheme == u"wss"_s)
        secure = true;
    else if (scheme != u"http"_s && scheme != u"ws"_s)
        return std::nullopt;

    const QString path = url.path();
    if (!path.isEmpty() && path != u"/"_s && path != u"/ws"_s)
        return std::nullopt;

    const int port = url.port(kDefaultPort);
    if (port <= 0 || port > 65535)
        return std::nullopt;
    return ServerAddress(url.host(), quint16(port), secure);
}

QUrl ServerAddress::baseUrl(bool webSocket) const
{
    QUrl url;
    if (webSocket)
        url.setScheme(m_secure ? u"wss"_s : u"ws"_s);
    else
        url.setScheme(m_secure ? u"https"_s : u"http"_s);
    url.setHost(m_host);
    url.setPort(m_port);
    return url;
}

QUrl ServerAddress::webSocketUrl() const
{
    QUrl url = baseUrl(true);
    url.setPath(u"/ws"_s);
    return url;
}

QUrl ServerAddress::apiUrl(const QString &endpoint) const
{
    QUrl url = baseUrl(false);
    url.setPath(u"/api/v1/"_s + endpoint);
    return url;
}

QString ServerAddress::id() const
{
    const QString host = m_host.contains(u':') ? u'[' + m_host + u']' : m_host;
    const QString hostPort = host + u':' + QString::number(m_port);
    return m_secure ? u"https://"_s + hostPort : hostPort;
}

} // namespace Tertulia
