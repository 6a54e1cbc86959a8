#pragma once

#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QTcpServer>

#include <optional>

namespace Tertulia {

/// Accepts TCP connections for the server: a listen backlog of 1024 (Qt's default of 50 overflows when a
/// thousand clients reconnect at once), every pending connection drained in one pass, TCP_NODELAY on
/// every socket (chat frames are small and latency-bound), and TLS on the same port when configured.
/// Sockets are announced with accepted() once usable (after the TLS handshake when encrypted).
class Listener : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Listener)

public:
    static constexpr int kBacklog = 1024;

    explicit Listener(QObject *parent = nullptr);
    ~Listener() override;

    /// Serve TLS with this configuration (certificate chain and key set).
    void setTlsConfiguration(const QSslConfiguration &configuration) { m_tls = configuration; }
    void setTlsHandshakeTimeout(int ms) { m_tlsTimeoutMs = ms; }
    bool isTls() const { return m_tls.has_value(); }

Q_SIGNALS:
    void accepted(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    std::optional<QSslConfiguration> m_tls;
    int m_tlsTimeoutMs = 5000;
};

} // namespace Tertulia
