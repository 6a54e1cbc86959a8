#pragma once

#include "app/hosting/hostcertificate.h"
#include "app/lan/landiscoverysettings.h"
#include "app/net/serveraddress.h"
#include "app/net/serverlink.h"
#include "shared/protocol/payloads.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QUrl>

namespace Tertulia {

class LanAnnouncer;
class ServerHost;

/// What "Host a chat" asks for. Empty strings take the defaults described per field.
struct HostOptions
{
    quint16 port = 7420;   ///< 0: any free port
    QString dataDir;       ///< the server's database and keys; empty: <AppLocalDataLocation>/hosted
    QString serverName;    ///< shown to everyone; empty: "<hostUser>'s chat"
    QString hostUser;      ///< the host's account (administrator); empty: defaultHostUser()
    bool webPage = false;  ///< let people join from a browser at https://address:port/
    bool announceOnLan = true; ///< tell other copies of the app on the LAN (LanAnnouncer)
    /// Also serve unencrypted http:// and ws:// on the same port, for browsers that cannot use the chat's
    /// own certificate. Off by default: everything is encrypted (https://, wss://).
    bool allowPlainHttp = false;
    /// Where the chat's certificate and key live (HostCertificate); empty: dataDir.
    QString certificateDir;
};

/// "Host a chat": runs the embedded server (ServerHost: a ChatServer on its own thread) on every
/// interface with TLS (https:// and wss://, the chat's own certificate from HostCertificate, made on first
/// use and kept), signs the host in as its administrator, and announces it on the LAN, with the
/// certificate's fingerprint, while it runs.
/// The UI then signs its ChatClient in with the tokens from started():
///
///     connect(&host, &HostController::started, this, [&](const QUrl &url, const Protocol::TokenPair &tokens) {
///         client.signInWithTokens(*ServerAddress::parse(url.toString()), host.hostUser(), tokens, remember);
///     });
///     host.start({.port = 7420, .dataDir = profileData + "/hosted", .hostUser = "ana"});
///
/// start() always answers asynchronously, with started() or failed(); stop() is synchronous (a few
/// milliseconds) and ends with stopped().
class HostController : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HostController)

public:
    enum class State { Stopped, Starting, Running };
    Q_ENUM(State)

    explicit HostController(QObject *parent = nullptr);
    ~HostController() override;

    /// Ignored (with a warning) unless stopped.
    void start(const HostOptions &options);
    /// Says bye on the LAN, closes every connection cleanly (WebSocket close 1001 "going away"; clients
    /// reconnect on their own when hosting starts again) and stops the server.
    void stop();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    bool isStarting() const { return m_state == State::Starting; }
    /// People signed in right now, the host included when its client is connected (0 when stopped).
    int onlineUsers() const;
    /// The port really listened on (the chosen one, or the one picked for port 0); 0 when stopped.
    quint16 port() const { return isRunning() ? m_port : 0; }
    /// The options in effect, with defaults filled in (after start()).
    HostOptions options() const { return m_options; }
    QString hostUser() const { return m_options.hostUser; }
    QString serverName() const { return m_options.serverName; }

    /// https://address:port/#sha256=<fingerprint> for every non-loopback IPv4/IPv6 address of this machine,
    /// best first (ShareAddresses::fromInterfaces): links that open the guest page in a browser and that the
    /// app reads with the certificate to expect (ServerLink). Empty when not running. Looked up at each
    /// call: interfaces change.
    QList<QUrl> shareAddresses() const;
    /// The same addresses as ServerLinks.
    QList<ServerLink> shareLinks() const;
    /// The first of shareAddresses() (a private IPv4 when there is one): the QR code's. Empty when not
    /// running or when the machine has no network.
    QUrl preferredAddress() const;
    /// http://address:port/ for each address, when allowPlainHttp is on (otherwise empty).
    QList<QUrl> plainAddresses() const;
    /// https://127.0.0.1:port/: what the host's own client connects to; empty when not running.
    QUrl localUrl() const;
    ServerAddress localAddress() const;

    /// The certificate the chat serves (valid from the first start() on; kept across starts).
    QSslCertificate certificate() const { return m_certificate; }
    CertificateFingerprint fingerprint() const { return CertificateFingerprint::of(m_certificate); }

    /// The LAN announcer's id for this host: LanBrowser::setIgnoredInstanceId() hides it from this app's
    /// own list.
    QByteArray instanceId() const { return m_instanceId; }
    /// Where the announcements go (default LanDiscoverySettings::fromEnvironment()); before start().
    void setDiscoverySettings(const LanDiscoverySettings &settings);
    LanAnnouncer *announcer() const { return m_announcer; }

    /// The OS account name when it is a valid user name, otherwise "host".
    static QString defaultHostUser();

Q_SIGNALS:
    /// The server listens and the host is signed in as its administrator with these tokens.
    void started(const QUrl &localUrl, const Tertulia::Protocol::TokenPair &hostLogin);
    /// Hosting could not start; the message is for people (translated), e.g. the port is in use.
    void failed(const QString &message);
    void stopped();
    void onlineUsersChanged(int users);

private:
    void onServerStarted();
    void fail(const QString &message);
    void failLater(const QString &message);
    void tearDownServer();

    State m_state = State::Stopped;
    HostOptions m_options;
    quint16 m_port = 0;
    QByteArray m_instanceId;
    QSslCertificate m_certificate;
    /// One per start(): signals of a stopped server can never reach a later one's handlers.
    QPointer<ServerHost> m_server;
    LanAnnouncer *m_announcer;
};

} // namespace Tertulia
