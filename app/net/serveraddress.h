#pragma once

#include <QtCore/QString>
#include <QtCore/QUrl>

#include <optional>

namespace Tertulia {

/// Where a Tertulia server is, parsed once from what the user typed or a link:
/// "host", "host:port", "[::1]:port", "http(s)://host:port", "ws(s)://host:port/ws".
/// One port serves the HTTP account API and the WebSocket endpoint, so one address gives both.
class ServerAddress
{
public:
    /// The port used when none is given.
    static constexpr quint16 kDefaultPort = 7420;

    ServerAddress() = default;
    ServerAddress(const QString &host, quint16 port, bool secure);

    /// Accepts the forms above; nullopt for anything else (paths other than /ws, queries,
    /// user info, unknown schemes, bad ports).
    static std::optional<ServerAddress> parse(const QString &text);

    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    bool isSecure() const { return m_secure; }
    bool isValid() const { return !m_host.isEmpty() && m_port != 0; }

    /// ws(s)://host:port/ws
    QUrl webSocketUrl() const;
    /// http(s)://host:port/api/v1/<endpoint>
    QUrl apiUrl(const QString &endpoint) const;
    /// "host:port" ("[v6]:port"), with "https://" in front for TLS: stable, used in keychain keys
    /// and the remembered-server list.
    QString id() const;

    friend bool operator==(const ServerAddress &, const ServerAddress &) = default;

private:
    QUrl baseUrl(bool webSocket) const;

    QString m_host;
    quint16 m_port = 0;
    bool m_secure = false;
};

} // namespace Tertulia
