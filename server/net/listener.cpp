#include "server/net/listener.h"

#include "server/logging.h"

#include <QtCore/QTimer>
#include <QtNetwork/QSslSocket>

namespace Tertulia {

Listener::Listener(QObject *parent) : QTcpServer(parent)
{
    setListenBacklogSize(kBacklog);
    // Qt accepts until this many sockets wait in its own queue; ours is never used (accepted() instead).
    setMaxPendingConnections(kBacklog);
}

Listener::~Listener() = default;

void Listener::incomingConnection(qintptr descriptor)
{
    // Called once per accepted descriptor; Qt keeps accepting until the kernel queue is empty.
    QTcpSocket *socket = m_tls ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcServer) << "cannot adopt an accepted socket:" << socket->errorString();
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!m_tls) {
        Q_EMIT accepted(socket);
        return;
    }
    auto *tls = static_cast<QSslSocket *>(socket);
    tls->setSslConfiguration(*m_tls);
    auto *deadline = new QTimer(tls);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, tls, [tls] {
        qCDebug(lcServer) << "TLS handshake from" << tls->peerAddress().toString() << "timed out";
        tls->abort();
        tls->deleteLater();
    });
    connect(tls, &QSslSocket::encrypted, this, [this, tls, deadline] {
        deadline->stop();
        deadline->deleteLater();
        Q_EMIT accepted(tls);
    });
    connect(tls, &QSslSocket::disconnected, deadline, [tls] {
        if (!tls->isEncrypted())
            tls->deleteLater();
    });
    deadline->start(m_tlsTimeoutMs);
    tls->startServerEncryption();
}

} // namespace Tertulia
