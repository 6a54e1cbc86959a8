#include "support/tcpproxy.h"

#include <QtNetwork/QTcpSocket>

namespace Tertulia::Testing {

TcpProxy::TcpProxy(QObject *parent) : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
}

TcpProxy::~TcpProxy() { cutAll(); }

bool TcpProxy::start(quint16 targetPort, const QHostAddress &target)
{
    m_target = target;
    m_targetPort = targetPort;
    if (!m_server.listen(QHostAddress::LocalHost, 0))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void TcpProxy::setAccepting(bool accepting)
{
    if (accepting == m_server.isListening())
        return;
    if (accepting) {
        if (!m_server.listen(QHostAddress::LocalHost, m_port))
            qWarning() << "proxy could not listen again on" << m_port << m_server.errorString();
    } else {
        m_server.close();
    }
}

int TcpProxy::connectionCount() const
{
    return int(std::count_if(m_pairs.begin(), m_pairs.end(), [](const Pair &pair) {
        return pair.client && pair.client->state() == QAbstractSocket::ConnectedState;
    }));
}

void TcpProxy::cutAll()
{
    const QList<Pair> pairs = std::exchange(m_pairs, {});
    for (const Pair &pair : pairs) {
        for (QTcpSocket *socket : {pair.client.data(), pair.upstream.data()}) {
            if (!socket)
                continue;
            socket->disconnect(this);
            socket->abort();
            socket->deleteLater();
        }
    }
}

void TcpProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        ++m_acceptedTotal;
        auto *upstream = new QTcpSocket(this);
        client->setParent(this);
        m_pairs.append(Pair{client, upstream});
        // What the client says before the upstream is connected waits in the client's buffer.
        const auto pump = [](QTcpSocket *from, QTcpSocket *to) {
            if (to->state() == QAbstractSocket::ConnectedState)
                to->write(from->readAll());
        };
        connect(client, &QTcpSocket::readyRead, this, [=] { pump(client, upstream); });
        connect(upstream, &QTcpSocket::readyRead, this, [=] { pump(upstream, client); });
        connect(upstream, &QTcpSocket::connected, this, [=] { pump(client, upstream); });
        const auto closeBoth = [client, upstream] {
            // Deliver what is still buffered (a close frame, say) before the other side closes.
            if (client->state() == QAbstractSocket::ConnectedState && upstream->bytesAvailable() > 0)
                client->write(upstream->readAll());
            if (upstream->state() == QAbstractSocket::ConnectedState && client->bytesAvailable() > 0)
                upstream->write(client->readAll());
            for (QTcpSocket *socket : {client, upstream}) {
                if (socket->state() != QAbstractSocket::UnconnectedState)
                    socket->disconnectFromHost();
                socket->deleteLater();
            }
        };
        connect(client, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::errorOccurred, this, [client, upstream](QAbstractSocket::SocketError) {
            if (upstream->state() == QAbstractSocket::UnconnectedState)
                client->abort();
        });
        upstream->connectToHost(m_target, m_targetPort);
    }
}

} // namespace Tertulia::Testing
