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
    m_frozen.clear();
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

void TcpProxy::freezeAll()
{
    for (const Pair &pair : std::as_const(m_pairs)) {
        m_frozen.insert(pair.client.data());
        m_frozen.insert(pair.upstream.data());
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
        const auto pump = [this](QTcpSocket *from, QTcpSocket *to) {
            if (to->state() == QAbstractSocket::ConnectedState && !m_frozen.contains(from))
                to->write(from->readAll());
        };
        connect(client, &QTcpSocket::readyRead, this, [=] { pump(client, upstream); });
        connect(upstream, &QTcpSocket::readyRead, this, [=] { pump(upstream, client); });
        connect(upstream, &QTcpSocket::connected, this, [=] { pump(client, upstream); });
        const QPointer<QTcpSocket> clientGuard(client);
        const QPointer<QTcpSocket> upstreamGuard(upstream);
        const auto closeBoth = [this, clientGuard, upstreamGuard] {
            if (!clientGuard || !upstreamGuard)
                return;
            // Once: a socket being destroyed says "disconnected" again.
            clientGuard->disconnect(this);
            upstreamGuard->disconnect(this);
            // Deliver what is still buffered (a close frame, say) before the other side closes.
            if (!m_frozen.contains(upstreamGuard) && clientGuard->state() == QAbstractSocket::ConnectedState)
                clientGuard->write(upstreamGuard->readAll());
            if (!m_frozen.contains(clientGuard) && upstreamGuard->state() == QAbstractSocket::ConnectedState)
                upstreamGuard->write(clientGuard->readAll());
            for (QTcpSocket *socket : {clientGuard.data(), upstreamGuard.data()}) {
                m_frozen.remove(socket); // its address may be reused by a new socket
                if (socket->state() != QAbstractSocket::UnconnectedState)
                    socket->disconnectFromHost();
                socket->deleteLater();
            }
        };
        connect(client, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::disconnected, this, closeBoth);
        connect(upstream, &QTcpSocket::errorOccurred, this, [clientGuard, upstreamGuard](QAbstractSocket::SocketError) {
            if (clientGuard && upstreamGuard && upstreamGuard->state() == QAbstractSocket::UnconnectedState)
                clientGuard->abort();
        });
        upstream->connectToHost(m_target, m_targetPort);
    }
}

} // namespace Tertulia::Testing
