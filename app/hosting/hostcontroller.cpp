#include "app/hosting/hostcontroller.h"

#include "app/hosting/hostinglogging.h"
#include "app/hosting/shareaddresses.h"
#include "app/lan/lanannouncer.h"
#include "server/core/serverhost.h"
#include "shared/names.h"
#include "shared/version.h"

#include <QtCore/QRandomGenerator>
#include <QtCore/QStandardPaths>
#include <QtNetwork/QTcpServer>

using namespace Qt::StringLiterals;

namespace Tertulia {

HostController::HostController(QObject *parent) : QObject(parent), m_announcer(new LanAnnouncer(this))
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    m_instanceId = QByteArray(reinterpret_cast<const char *>(words), sizeof words);
}

HostController::~HostController() { stop(); }

QString HostController::defaultHostUser()
{
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty())
        name = qEnvironmentVariable("USERNAME"); // Windows
    return Names::isValidUserName(name) ? name : u"host"_s;
}

void HostController::setDiscoverySettings(const LanDiscoverySettings &settings) { m_announcer->setSettings(settings); }

void HostController::start(const HostOptions &options)
{
    if (m_state != State::Stopped) {
        qCWarning(lcClientHosting) << "start() while" << m_state << "- ignored";
        return;
    }
    m_options = options;
    if (m_options.hostUser.isEmpty())
        m_options.hostUser = defaultHostUser();
    if (m_options.serverName.trimmed().isEmpty())
        m_options.serverName = tr("%1's chat").arg(m_options.hostUser);
    if (m_options.dataDir.isEmpty())
        m_options.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + u"/hosted"_s;
    m_state = State::Starting;

    if (!Names::isValidUserName(m_options.hostUser)) {
        failLater(tr("“%1” cannot be your name as the host: use 3 to 32 letters, digits, dots, dashes or "
                     "underscores, starting with a letter or digit.")
                      .arg(m_options.hostUser));
        return;
    }
    // The server would fail too, but with a technical message; trying the port here first lets the
    // user read what happened and what to do. (A program that grabs the port in between still gets
    // the server's message.)
    if (m_options.port != 0) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::Any, m_options.port)) {
            switch (probe.serverError()) {
            case QAbstractSocket::AddressInUseError:
                failLater(tr("Port %1 is already in use, perhaps by another copy of Tertulia. Choose another "
                             "port and try again.")
                              .arg(m_options.port));
                return;
            case QAbstractSocket::SocketAccessError:
                failLater(tr("This computer does not let Tertulia use port %1. Choose a port above 1024.")
                              .arg(m_options.port));
                return;
            default:
                failLater(tr("The chat could not be started on port %1: %2").arg(m_options.port).arg(probe.errorString()));
                return;
            }
        }
    }

    // The chat's certificate: made once, then the same at every start (people pin its fingerprint).
    if (m_options.certificateDir.isEmpty())
        m_options.certificateDir = m_options.dataDir;
    auto certificate = HostCertificate::loadOrCreate(m_options.certificateDir, HostCertificate::requestForThisMachine());
    if (const auto *error = std::get_if<HostCertificateError>(&certificate)) {
        qCWarning(lcClientHosting) << "no certificate for the hosted chat:" << error->message;
        failLater(error->code == HostCertificateError::Code::KeyUnreadable
                      ? tr("The chat's key cannot be read (%1). Move that file away to make a new certificate; "
                           "everyone will then be asked to accept the new one.").arg(error->message)
                      : tr("The chat's certificate could not be made: %1").arg(error->message));
        return;
    }
    const HostCertificate &tls = std::get<HostCertificate>(certificate);
    m_certificate = tls.certificate();
    qCInfo(lcClientHosting).noquote() << "certificate" << tls.fingerprint().toHex() << "from" << tls.certificateFile();

    ServerConfig config;
    config.address = QHostAddress::Any; // every interface, IPv4 and IPv6
    config.port = m_options.port;
    config.dataDir = m_options.dataDir;
    config.name = m_options.serverName;
    config.webPage = m_options.webPage;
    config.tlsCertFile = tls.certificateFile();
    config.tlsKeyFile = tls.keyFile();
    config.allowPlainHttp = m_options.allowPlainHttp;
    if (m_options.allowPlainHttp && m_options.port != 0) {
        // The guest page's own origin is https:// to a TLS server; served over plain http:// its origin is
        // http://address:port, which the server only accepts when listed. (Addresses that appear later are
        // not listed: the unencrypted option is a fallback, not the way in.)
        for (const QUrl &url : ShareAddresses::fromInterfaces(NetworkInterfaceInfo::fromSystem(), m_options.port))
            config.allowedOrigins.append(url.toString(QUrl::StripTrailingSlash));
        for (const QString &host : {u"127.0.0.1"_s, u"localhost"_s, u"[::1]"_s})
            config.allowedOrigins.append(u"http://%1:%2"_s.arg(host).arg(m_options.port));
    }

    auto *server = new ServerHost(this);
    m_server = server;
    connect(server, &ServerHost::started, this, &HostController::onServerStarted);
    connect(server, &ServerHost::failed, this, [this](const QString &error) {
        qCWarning(lcClientHosting) << "the embedded server did not start:" << error;
        fail(tr("The chat could not be started: %1").arg(error));
    });
    connect(server, &ServerHost::onlineUsersChanged, this, [this](int users) {
        if (!isRunning())
            return; // the last sessions closing while stop() runs
        m_announcer->setOnlineUsers(users);
        Q_EMIT onlineUsersChanged(users);
    });
    server->start(config);
}

void HostController::onServerStarted()
{
    m_port = m_server->port();
    qCInfo(lcClientHosting) << "hosting" << m_options.serverName << "on port" << m_port << "data in"
                            << m_options.dataDir;
    m_server->hostLogin(m_options.hostUser,
                        [this](const std::variant<Protocol::TokenPair, Protocol::Error> &result) {
                            if (m_state != State::Starting)
                                return;
                            if (const auto *error = std::get_if<Protocol::Error>(&result)) {
                                qCWarning(lcClientHosting) << "host login failed:" << error->message;
                                fail(tr("The chat started, but signing you in as its host failed: %1")
                                         .arg(error->message));
                                return;
                            }
                            m_state = State::Running;
                            if (m_options.announceOnLan) {
                                LanAnnouncement announcement;
                                announcement.serverName = m_options.serverName;
                                announcement.port = m_port;
                                announcement.version = versionString();
                                announcement.users = m_server->onlineUsers();
                                announcement.webPage = m_options.webPage;
                                announcement.instanceId = m_instanceId;
                                announcement.fingerprint = fingerprint();
                                m_announcer->start(announcement); // best effort: hosting works without it
                            }
                            Q_EMIT started(localUrl(), std::get<Protocol::TokenPair>(result));
                        });
}

void HostController::stop()
{
    if (m_state == State::Stopped)
        return;
    const bool hadUsers = onlineUsers() > 0;
    // Bye first: lists on the LAN drop this host before its connections close.
    m_announcer->stop();
    m_state = State::Stopped;
    tearDownServer();
    qCInfo(lcClientHosting) << "stopped hosting";
    if (hadUsers)
        Q_EMIT onlineUsersChanged(0);
    Q_EMIT stopped();
}

void HostController::tearDownServer()
{
    if (ServerHost *server = m_server) {
        server->disconnect(this);
        server->stop(); // closes every session with 1001, then the thread; blocks for milliseconds
        server->deleteLater(); // we may be inside one of its callbacks
        m_server = nullptr;
    }
    m_port = 0;
}

void HostController::fail(const QString &message)
{
    m_announcer->stop();
    m_state = State::Stopped;
    tearDownServer();
    Q_EMIT failed(message);
}

void HostController::failLater(const QString &message)
{
    m_state = State::Stopped;
    QMetaObject::invokeMethod(this, [this, message] { Q_EMIT failed(message); }, Qt::QueuedConnection);
}

int HostController::onlineUsers() const { return isRunning() && m_server ? m_server->onlineUsers() : 0; }

QList<ServerLink> HostController::shareLinks() const
{
    QList<ServerLink> links;
    if (!isRunning())
        return links;
    for (const QUrl &url : ShareAddresses::fromInterfaces(NetworkInterfaceInfo::fromSystem(), m_port)) {
        ServerLink link;
        link.address = ServerAddress(url.host(), m_port, true);
        link.fingerprint = fingerprint();
        links.append(link);
    }
    return links;
}

QList<QUrl> HostController::shareAddresses() const
{
    QList<QUrl> urls;
    for (const ServerLink &link : shareLinks())
        urls.append(link.webUrl());
    return urls;
}

QUrl HostController::preferredAddress() const { return shareAddresses().value(0); }

QList<QUrl> HostController::plainAddresses() const
{
    if (!isRunning() || !m_options.allowPlainHttp)
        return {};
    return ShareAddresses::fromInterfaces(NetworkInterfaceInfo::fromSystem(), m_port);
}

QUrl HostController::localUrl() const { return isRunning() ? localAddress().apiUrl({}).resolved(QUrl(u"/"_s)) : QUrl(); }

ServerAddress HostController::localAddress() const
{
    return isRunning() ? ServerAddress(QHostAddress(QHostAddress::LocalHost).toString(), m_port, true)
                       : ServerAddress();
}

} // namespace Tertulia
