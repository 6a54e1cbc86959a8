#pragma once

#include "server/http/httpconnection.h"
#include "server/http/httprouter.h"

#include <QtCore/QObject>
#include <QtCore/QUrl>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpServer>

namespace Tertulia::Testing {

/// Serves an Http::Router on a QTcpServer: the smallest host for the Socket.IO layer without the chat
/// server around it (protocol tests and the conformance fixture).
class TestHttpServer : public QObject
{
    Q_OBJECT

public:
    explicit TestHttpServer(QObject *parent = nullptr);

    Http::Router &router() { return m_router; }
    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const { return m_server.serverPort(); }
    /// http://127.0.0.1:<port>
    QUrl url() const;

private:
    QTcpServer m_server;
    Http::Router m_router;
    Http::ConnectionLimits m_limits;
};

} // namespace Tertulia::Testing
