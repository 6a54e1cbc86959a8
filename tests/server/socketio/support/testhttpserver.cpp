#include "testhttpserver.h"

#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

namespace Tertulia::Testing {

TestHttpServer::TestHttpServer(QObject *parent) : QObject(parent)
{
    m_limits.maxHeadBytes = 16 * 1024;
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
            new Http::Connection(socket, m_router, m_limits, std::nullopt, this);
        }
    });
}

bool TestHttpServer::listen(const QHostAddress &address, quint16 port) { return m_server.listen(address, port); }

QUrl TestHttpServer::url() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(m_server.serverAddress().toString());
    url.setPort(m_server.serverPort());
    return url;
}

} // namespace Tertulia::Testing
