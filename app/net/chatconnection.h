#pragma once

#include "app/net/serveraddress.h"
#include "app/net/certificatetrust.h"
#include "app/net/transport.h"

#include <QtCore/QElapsedTimer>
#include <QtNetwork/QAbstractSocket>
#include <QtCore/QHash>
#include <QtCore/QPointer>

#include <optional>

class QSslCertificate;
class QSslError;
class QWebSocket;

namespace Tertulia {

/// The real Transport: one QWebSocket speaking tertulia.v1. Thin on purpose: it turns text frames
/// into protocol values and back, enforces size limits, negotiates the subprotocol, puts the token
/// in the Authorization header and measures ping round trips. All decisions are the ConnectionManager's.
class ChatConnection final : public Transport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChatConnection)

public:
    /// Largest message accepted from the server. A full history page (200 messages of up to
    /// 16 KiB, JSON-escaped) stays below it.
    static constexpr qint64 kDefaultMaxIncoming = 8 * 1024 * 1024;
    /// Largest frame we send: the server's default incoming limit (it closes with 1009 above it).
    static constexpr qint64 kDefaultMaxOutgoing = 64 * 1024;

    explicit ChatConnection(QObject *parent = nullptr);
    ~ChatConnection() override;

    void setMaxIncomingSize(qint64 bytes);
    void setMaxOutgoingSize(qint64 bytes) { m_maxOutgoing = bytes; }
    qint64 maxOutgoingSize() const { return m_maxOutgoing; }

    void open(const QUrl &url, const QString &bearerToken) override;
    bool send(const Protocol::Request &request) override;
    void close(int code, const QString &reason) override;
    void abort() override;
    void ping() override;
    TlsInfo tlsInfo() const override;
    QString subprotocol() const override;
    /// On wss:// the trust decides (CertificateTrust): a certificate it does not accept ends the TLS
    /// handshake before the upgrade request, and with it the Authorization header, is sent.
    void setCertificateTrust(CertificateTrust *trust) override { m_trust = trust; }

    /// Extra certificate authorities to trust on wss:// when no CertificateTrust is set (tests).
    void addCaCertificates(const QList<QSslCertificate> &certificates);

    /// A socket error in the person's language (the system's text for the rare ones).
    static QString socketErrorText(QAbstractSocket::SocketError error, const QString &systemText);

private:
    void onConnected();
    void onDisconnected();
    void onTextMessage(const QString &message);
    void finish(const QString &errorString);
    void onSslErrors(const QList<QSslError> &errors);

    QWebSocket *m_socket = nullptr;
    QPointer<CertificateTrust> m_trust;
    ServerAddress m_server;
    std::optional<CertificateCheck> m_check; ///< the trust's verdict on this connection's certificate
    qint64 m_maxOutgoing = kDefaultMaxOutgoing;
    QString m_lastError;
    QElapsedTimer m_pingClock;
    QHash<quint64, qint64> m_pingsInFlight; ///< ping number → nanoseconds on m_pingClock
    quint64 m_pingCounter = 0;
    bool m_closedByUs = false;
    bool m_opened = false;
    bool m_incompatible = false;
    bool m_finished = false;
};

} // namespace Tertulia
