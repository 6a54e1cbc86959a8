#pragma once

#include "server/http/httpconnection.h"
#include "server/http/httprequest.h"
#include "server/http/httpresponse.h"

#include <QtCore/QPointer>

#include <functional>
#include <optional>

class QTcpSocket;

namespace Tertulia::Http {

/// A handle to answer one request, now or later (long-polling keeps it). Copyable; answering twice, or after
/// the connection closed, does nothing.
class Responder
{
public:
    Responder() = default;
    Responder(Connection *connection, quint64 serial);

    void send(const Response &response) const;
    /// Still connected and not yet answered.
    bool isPending() const;
    /// The connection object, for connecting to its `closed` signal; null once it is gone.
    Connection *connection() const { return m_connection.data(); }

private:
    QPointer<Connection> m_connection;
    quint64 m_serial = 0;
};

using Handler = std::function<void(const Request &, const Responder &)>;

/// Takes over the socket of a WebSocket upgrade (bytes of the request still unread), or refuses it with a
/// response. The socket is unparented when handed over; the handler owns it from then on.
using UpgradeHandler = std::function<std::optional<Response>(QTcpSocket *socket, const Request &request)>;

/// Maps requests to handlers in one place. Exact paths and prefixes ("/socket.io/"); a prefix route gets
/// every method and checks it itself.
class Router
{
public:
    void addRoute(const QByteArray &method, const QString &path, Handler handler);
    void addPrefixRoute(const QString &prefix, Handler handler, qint64 maxBodyBytes);
    void addUpgrade(const QString &pathOrPrefix, UpgradeHandler handler);
    void setDefaultMaxBodyBytes(qint64 bytes) { m_defaultMaxBody = bytes; }

    struct Match
    {
        const Handler *handler = nullptr;
        const UpgradeHandler *upgrade = nullptr;
        qint64 maxBodyBytes = 0;
        std::optional<Response> refusal;   ///< 404 / 405 when nothing matches
    };
    Match match(const Request &request) const;

private:
    struct Route
    {
        QByteArray method;   ///< empty for prefix routes
        QString path;
        bool prefix = false;
        qint64 maxBody = 0;
        Handler handler;
    };
    struct Upgrade
    {
        QString path;
        UpgradeHandler handler;
    };
    QList<Route> m_routes;
    QList<Upgrade> m_upgrades;
    qint64 m_defaultMaxBody = 64 * 1024;
};

} // namespace Tertulia::Http
