#pragma once

#include "app/net/certificatecheck.h"
#include "shared/protocol/frames.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QUrl>

#include <functional>
#include <memory>

namespace Tertulia {

/// Why a connection ended, as the client saw it.
struct DisconnectInfo
{
    Q_DECLARE_TR_FUNCTIONS(Tertulia::DisconnectInfo)

public:
    int closeCode = 0;      ///< the WebSocket close code; 0 when there was no close frame
    QString closeReason;    ///< the peer's close reason, as sent (not translated)
    QString errorString;    ///< the socket error when the connection failed or broke
    bool byClient = false;  ///< we closed it (user action, dead-peer detection, timeout)
    bool incompatible = false; ///< the server does not speak our subprotocol: retrying won't help
    /// The TLS handshake was abandoned because of the server's certificate (a mismatch, or one the person
    /// has not accepted yet): nothing was sent. Retrying won't help until someone decides.
    std::optional<CertificateCheck> certificate = std::nullopt;

    /// Plain words for the UI: "The server is restarting", "Connection lost: ...".
    QString describe() const;

    friend bool operator==(const DisconnectInfo &, const DisconnectInfo &) = default;
};

/// What protects a connection (empty on ws://): the TLS parameters and how the server's certificate was
/// checked.
struct TlsInfo
{
    enum class Verification {
        None,       ///< not checked by us (no CertificateTrust; Qt's own validation passed)
        CaVerified, ///< a certificate authority vouches for it
        Pinned,     ///< exactly the pinned certificate (or its renewal with the same key)
    };

    QString protocol; ///< e.g. "TLSv1.3"
    QString cipher;   ///< e.g. "TLS_AES_256_GCM_SHA384"
    Verification verification = Verification::None;
    CertificateFingerprint fingerprint = {}; ///< of the certificate the server presented
    QString issuer = {};                     ///< the certificate's issuer (organisation or common name)
    std::optional<PinSource> pinSource = std::nullopt; ///< where the pin came from, when pinned
    QDateTime pinnedSince = {};

    bool isEncrypted() const { return !protocol.isEmpty() || !cipher.isEmpty(); }
    friend bool operator==(const TlsInfo &, const TlsInfo &) = default;
};

class CertificateTrust;

/// One connection to a server speaking tertulia.v1: protocol values in and out, nothing else.
/// The ConnectionManager drives it; tests drive it through a fake Transport. A Transport is used
/// for one connection only: after closed() it is thrown away.
class Transport : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~Transport() override;

    /// Connects to a ws(s):// URL. With a bearer token, it goes in the Authorization header (the
    /// server then pushes `hello`); without one the caller sends `auth` as the first frame.
    virtual void open(const QUrl &url, const QString &bearerToken) = 0;
    /// Sends one request frame; false (and nothing sent) when not open or over the size limit.
    virtual bool send(const Protocol::Request &request) = 0;
    /// A clean close with a close code and reason.
    virtual void close(int code, const QString &reason) = 0;
    /// Drops the connection at once, without a close handshake.
    virtual void abort() = 0;
    /// A WebSocket ping; pongReceived() reports the round trip.
    virtual void ping() = 0;
    virtual TlsInfo tlsInfo() const = 0;
    /// The server's reply to our subprotocol offer ("tertulia.v1" once opened).
    virtual QString subprotocol() const = 0;
    /// Who judges the server's certificate on wss:// (before open()). Without one, Qt's ordinary
    /// validation decides. Transports without TLS ignore it.
    virtual void setCertificateTrust(CertificateTrust *trust) { Q_UNUSED(trust) }

Q_SIGNALS:
    /// The WebSocket handshake finished with the right subprotocol.
    void opened();
    /// The connection ended (or never opened). Emitted exactly once.
    void closed(const Tertulia::DisconnectInfo &info);
    void replyReceived(const Tertulia::Protocol::Reply &reply);
    void eventReceived(const Tertulia::Protocol::Event &event);
    /// A frame that is not a valid server frame (logged and otherwise ignored).
    void malformedFrameReceived(const QString &why);
    /// Round-trip time of a ping in milliseconds, with sub-millisecond precision (a LAN is faster
    /// than the millisecond the socket's own pong timer counts in).
    void pongReceived(double rttMs);
    /// Every text message in or out, with its size in bytes (for the health counters).
    void frameReceived(qint64 bytes);
    void frameSent(qint64 bytes);
};

/// Makes a fresh Transport for each connection attempt.
using TransportFactory = std::function<std::unique_ptr<Transport>()>;

} // namespace Tertulia
