#include "support/tlsrelay.h"

#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>

namespace Tertulia::Testing {

TlsRelay::TlsRelay(QObject *parent) : QTcpServer(parent) { }

TlsRelay::~TlsRelay() { cutAll(); }

bool TlsRelay::start(quint16 targetPort)
{
    m_targetPort = targetPort;
    return listen(QHostAddress::LocalHost, 0);
}

void TlsRelay::setIdentity(const QSslCertificate &certificate, const QSslKey &key)
{
    m_certificate = certificate;
    m_key = key;
}

void TlsRelay::cutAll()
{
    const QList<Pair> pairs = std::exchange(m_pairs, {});
    for (const Pair &pair : pairs) {
        for (QTcpSocket *socket : {static_cast<QTcpSocket *>(pair.client.data()), pair.upstream.data()}) {
            if (!socket)
                continue;
            socket->disconnect(this);
            socket->abort();
            socket->deleteLater();
        }
    }
}

void TlsRelay::incomingConnection(qintptr descriptor)
{
    auto *client = new QSslSocket(this);
    if (!client->setSocketDescriptor(descriptor)) {
        delete client;
        return;
    }
    ++m_record.connections;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(m_certificate);
    configuration.setPrivateKey(m_key);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    client->setSslConfiguration(configuration);

    auto *upstream = new QTcpSocket(this);
    m_pairs.append(Pair{client, upstream});
    const QPointer<QSslSocket> clientGuard(client);
    const QPointer<QTcpSocket> upstreamGuard(upstream);
    const quint64 generation = m_generation;
    const auto fromClient = [this, clientGuard, upstreamGuard, generation] {
        if (!clientGuard || !upstreamGuard || upstreamGuard->state() != QAbstractSocket::ConnectedState)
            return; // kept in the client's buffer until the upstream is there
        const QByteArray bytes = clientGuard->readAll();
        if (generation == m_generation)
            m_record.received += bytes;
        upstreamGuard->write(bytes);
    };
    connect(client, &QSslSocket::encrypted, this, [this, upstream, generation] {
        if (generation == m_generation)
            ++m_record.handshakes;
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    });
    connect(client, &QSslSocket::readyRead, this, fromClient);
    connect(upstream, &QTcpSocket::connected, this, fromClient);
    connect(upstream, &QTcpSocket::readyRead, this, [clientGuard, upstreamGuard] {
        if (clientGuard && upstreamGuard)
            clientGuard->write(upstreamGuard->readAll());
    });
    const auto closeBoth = [this, clientGuard, upstreamGuard] {
        for (QTcpSocket *socket : {static_cast<QTcpSocket *>(clientGuard.data()), upstreamGuard.data()}) {
            if (!socket)
                continue;
            socket->disconnect(this);
            if (socket->state() != QAbstractSocket::UnconnectedState)
                socket->disconnectFromHost();
            socket->deleteLater();
        }
    };
    connect(client, &QSslSocket::disconnected, this, closeBoth);
    connect(upstream, &QTcpSocket::disconnected, this, closeBoth);
    client->startServerEncryption();
}

} // namespace Tertulia::Testing
