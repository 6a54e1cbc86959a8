#pragma once

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpServer>

class QTcpSocket;

namespace Tertulia::Testing {

/// A TCP relay on 127.0.0.1 between clients and a server, so a test can break the network the way
/// it really breaks: cutAll() resets every connection (no close frame, no goodbye), and
/// setAccepting(false) makes new connections fail with "connection refused" until accepting again
/// on the same port.
class TcpProxy final : public QObject
{
    Q_OBJECT

public:
    explicit TcpProxy(QObject *parent = nullptr);
    ~TcpProxy() override;

    /// Listens on 127.0.0.1:0 and relays to target.
    bool start(quint16 targetPort, const QHostAddress &target = QHostAddress::LocalHost);
    quint16 port() const { return m_port; }
    void setTarget(quint16 port) { m_targetPort = port; }

    /// Resets every relayed connection on both sides.
    void cutAll();
    /// Open connections stop carrying data but stay open (a peer that froze, a dead Wi-Fi);
    /// new connections work normally.
    void freezeAll();
    void setAccepting(bool accepting);
    bool isAccepting() const { return m_server.isListening(); }
    int connectionCount() const;
    int acceptedTotal() const { return m_acceptedTotal; }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
    };
    void onNewConnection();

    QTcpServer m_server;
    QHostAddress m_target;
    quint16 m_targetPort = 0;
    quint16 m_port = 0;
    QList<Pair> m_pairs;
    QSet<const QTcpSocket *> m_frozen;
    int m_acceptedTotal = 0;
};

} // namespace Tertulia::Testing
