#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QTcpServer>

class QSslSocket;
class QTcpSocket;

namespace Tertulia::Testing {

/// A TLS front for a plain server on 127.0.0.1, as a reverse proxy (or someone in the middle) would be:
/// clients do TLS with it, using the certificate it is given, and it relays the decrypted bytes to the
/// server, keeping a copy of everything clients sent. setIdentity() changes the certificate for new
/// connections: from the client's side, the server's certificate changed; from the server's side, the
/// record says exactly what arrived.
class TlsRelay final : public QTcpServer
{
    Q_OBJECT

public:
    /// What clients did on the connections accepted since the last clearRecord().
    struct Record
    {
        int connections = 0;   ///< TCP connections accepted
        int handshakes = 0;    ///< TLS handshakes completed on our side
        QByteArray received;   ///< every decrypted byte clients sent
    };

    explicit TlsRelay(QObject *parent = nullptr);
    ~TlsRelay() override;

    /// Listens on 127.0.0.1:0 and relays to 127.0.0.1:targetPort.
    bool start(quint16 targetPort);
    quint16 port() const { return serverPort(); }
    void setIdentity(const QSslCertificate &certificate, const QSslKey &key);

    const Record &record() const { return m_record; }
    /// Starts a new record; connections accepted before are no longer recorded (a client that closes an
    /// old connection says goodbye on it, which is not news).
    void clearRecord()
    {
        m_record = {};
        ++m_generation;
    }
    /// Resets every relayed connection (clients reconnect, and meet the current identity).
    void cutAll();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Pair
    {
        QPointer<QSslSocket> client;
        QPointer<QTcpSocket> upstream;
    };

    quint16 m_targetPort = 0;
    QSslCertificate m_certificate;
    QSslKey m_key;
    Record m_record;
    quint64 m_generation = 0;
    QList<Pair> m_pairs;
};

} // namespace Tertulia::Testing
