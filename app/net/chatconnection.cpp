#include "app/net/chatconnection.h"

#include "app/logging.h"
#include "app/net/certificatetrust.h"
#include "shared/version.h"

#include <QtCore/QTimer>
#include <QtNetwork/QNetworkRequest>
#include <QtWebSockets/QWebSocket>
#include <QtWebSockets/QWebSocketHandshakeOptions>
#if QT_CONFIG(ssl)
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslConfiguration>
#endif

using namespace Qt::StringLiterals;

namespace Tertulia {

ChatConnection::ChatConnection(QObject *parent)
    : Transport(parent)
    , m_socket(new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this))
{
    setMaxIncomingSize(kDefaultMaxIncoming);
    connect(m_socket, &QWebSocket::connected, this, &ChatConnection::onConnected);
    connect(m_socket, &QWebSocket::disconnected, this, &ChatConnection::onDisconnected);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &ChatConnection::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &message) {
        Q_EMIT frameReceived(message.size());
        Q_EMIT malformedFrameReceived(u"binary frame (the protocol uses text frames only)"_s);
    });
    m_pingClock.start();
    connect(m_socket, &QWebSocket::pong, this, [this](quint64 elapsedMs, const QByteArray &payload) {
        // Our own timing, from the ping's number in the payload: QWebSocket counts whole
        // milliseconds, which reads 0 on a LAN.
        bool ok = false;
        const quint64 number = payload.toULongLong(&ok);
        const auto sent = ok ? m_pingsInFlight.constFind(number) : m_pingsInFlight.cend();
        if (sent == m_pingsInFlight.cend()) {
            Q_EMIT pongReceived(double(elapsedMs));
            return;
        }
        const qint64 nanoseconds = m_pingClock.nsecsElapsed() - *sent;
        m_pingsInFlight.erase(sent);
        Q_EMIT pongReceived(double(nanoseconds) / 1e6);
    });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    const auto errorSignal = &QWebSocket::errorOccurred;
#else
    const auto errorSignal = qOverload<QAbstractSocket::SocketError>(&QWebSocket::error);
#endif
    connect(m_socket, errorSignal, this, [this](QAbstractSocket::SocketError error) {
        m_lastError = socketErrorText(error, m_socket->errorString());
        qCDebug(lcClientNet) << "socket error:" << m_lastError;
        // A failed connect may end without `disconnected`; finish() runs once either way.
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            QTimer::singleShot(0, this, [this] { finish(m_lastError); });
    });
#if QT_CONFIG(ssl)
    connect(m_socket, &QWebSocket::sslErrors, this, &ChatConnection::onSslErrors);
#endif
}

QString ChatConnection::socketErrorText(QAbstractSocket::SocketError error, const QString &systemText)
{
    // The system's texts come in English whatever the language: the usual ones are said here.
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return tr("the server refused the connection (is it running?)");
    case QAbstractSocket::RemoteHostClosedError:
        return tr("the server closed the connection");
    case QAbstractSocket::HostNotFoundError:
        return tr("the server's name was not found");
    case QAbstractSocket::SocketTimeoutError:
        return tr("the connection timed out");
    case QAbstractSocket::NetworkError:
        return tr("the network is unreachable");
    case QAbstractSocket::SslHandshakeFailedError:
        return tr("the secure connection could not be set up");
    case QAbstractSocket::ProxyConnectionRefusedError:
    case QAbstractSocket::ProxyConnectionClosedError:
    case QAbstractSocket::ProxyConnectionTimeoutError:
    case QAbstractSocket::ProxyNotFoundError:
    case QAbstractSocket::ProxyProtocolError:
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return tr("the network proxy did not let the connection through");
    default:
        return systemText;
    }
}

void ChatConnection::onSslErrors(const QList<QSslError> &errors)
{
#if QT_CONFIG(ssl)
    // Emitted at the end of the TLS handshake, before QWebSocket sends its upgrade request (which waits in
    // the socket's buffer until the connection is encrypted): refusing here sends nothing at all.
    if (m_trust) {
        // QWebSocket copies the live socket's configuration just before forwarding this signal.
        QSslCertificate peer = m_socket->sslConfiguration().peerCertificate();
        if (peer.isNull() && !errors.isEmpty())
            peer = errors.first().certificate();
        m_check = m_trust->check(m_server, peer, errors);
        if (m_check->accepted()) {
            m_socket->ignoreSslErrors();
            return;
        }
        m_lastError = m_check->summary();
        return;
    }
    QStringList texts;
    for (const QSslError &error : errors)
        texts.append(error.errorString());
    m_lastError = texts.join(u"; "_s);
#else
    Q_UNUSED(errors)
#endif
}

ChatConnection::~ChatConnection()
{
    // Going away without a close handshake must not emit into a half-destroyed receiver.
    m_socket->disconnect(this);
}

void ChatConnection::setMaxIncomingSize(qint64 bytes)
{
    m_socket->setMaxAllowedIncomingMessageSize(quint64(bytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(bytes));
}

void ChatConnection::addCaCertificates(const QList<QSslCertificate> &certificates)
{
#if QT_CONFIG(ssl)
    QSslConfiguration configuration = m_socket->sslConfiguration();
    configuration.addCaCertificates(certificates);
    m_socket->setSslConfiguration(configuration);
#else
    Q_UNUSED(certificates)
#endif
}

void ChatConnection::open(const QUrl &url, const QString &bearerToken)
{
    m_server = ServerAddress(url.host(), quint16(url.port(url.scheme() == u"wss"_s ? 443 : 80)), url.scheme() == u"wss"_s);
#if QT_CONFIG(ssl)
    if (m_trust && m_server.isSecure())
        m_socket->setSslConfiguration(m_trust->configurationFor(m_server));
#endif
    QNetworkRequest request(url);
    if (!bearerToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + bearerToken.toUtf8());
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({QString::fromLatin1(kSubprotocol)});
    qCDebug(lcClientNet) << "opening" << url.toDisplayString();
    m_socket->open(request, options);
}

void ChatConnection::onConnected()
{
#if QT_CONFIG(ssl)
    if (m_trust && m_server.isSecure() && !m_check) {
        // No validation error at all: a certificate authority vouches for it (a pinned server never gets
        // here: it is checked with no authority, so it always goes through onSslErrors()).
        m_check = m_trust->check(m_server, m_socket->sslConfiguration().peerCertificate(), {});
        if (!m_check->accepted()) {
            m_lastError = m_check->summary();
            m_closedByUs = true;
            m_socket->abort();
            return;
        }
    }
#endif
    if (m_socket->subprotocol() != QLatin1StringView(kSubprotocol)) {
        qCWarning(lcClientNet) << "server answered subprotocol" << m_socket->subprotocol()
                               << "instead of" << kSubprotocol;
        m_incompatible = true;
        m_closedByUs = true;
        m_socket->close(QWebSocketProtocol::CloseCodeProtocolError, u"subprotocol required"_s);
        return;
    }
    m_opened = true;
    Q_EMIT opened();
}

void ChatConnection::onDisconnected()
{
    // Qt may report the socket error right after `disconnected`: collect it first.
    QTimer::singleShot(0, this, [this] { finish(m_lastError); });
}

void ChatConnection::finish(const QString &errorString)
{
    if (m_finished)
        return;
    m_finished = true;
    DisconnectInfo info;
    info.byClient = m_closedByUs;
    info.incompatible = m_incompatible;
    info.errorString = errorString;
    if (m_check && !m_check->accepted())
        info.certificate = m_check;
    const int code = int(m_socket->closeCode());
    // QWebSocket reports 1000 when no close frame arrived at all; a socket error with a bare 1000
    // means the connection broke rather than closed.
    const bool brokeWithoutClose = !errorString.isEmpty() && code == int(QWebSocketProtocol::CloseCodeNormal)
                                   && m_socket->closeReason().isEmpty();
    if (m_opened && !brokeWithoutClose && !m_closedByUs) {
        info.closeCode = code;
        info.closeReason = m_socket->closeReason();
    }
    qCDebug(lcClientNet) << "closed: code" << info.closeCode << info.closeReason << errorString;
    Q_EMIT closed(info);
}

bool ChatConnection::send(const Protocol::Request &request)
{
    if (m_socket->state() != QAbstractSocket::ConnectedState || m_finished)
        return false;
    const QByteArray frame = Protocol::encode(request);
    if (frame.size() > m_maxOutgoing) {
        qCWarning(lcClientNet) << "refusing to send a" << frame.size() << "byte frame; limit" << m_maxOutgoing;
        return false;
    }
    m_socket->sendTextMessage(QString::fromUtf8(frame));
    Q_EMIT frameSent(frame.size());
    return true;
}

void ChatConnection::close(int code, const QString &reason)
{
    m_closedByUs = true;
    if (m_socket->state() == QAbstractSocket::ConnectedState) {
        m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
    } else {
        abort();
    }
}

void ChatConnection::abort()
{
    m_closedByUs = true;
    m_socket->abort();
    // abort() on a socket that is still connecting emits nothing; make sure closed() comes.
    QTimer::singleShot(0, this, [this] { finish(m_lastError); });
}

void ChatConnection::ping()
{
    // Pongs that never come must not pile up: keep the last few.
    while (m_pingsInFlight.size() >= 8)
        m_pingsInFlight.erase(m_pingsInFlight.find(*std::min_element(m_pingsInFlight.keyBegin(), m_pingsInFlight.keyEnd())));
    const quint64 number = ++m_pingCounter;
    m_pingsInFlight.insert(number, m_pingClock.nsecsElapsed());
    m_socket->ping(QByteArray::number(number));
}

QString ChatConnection::subprotocol() const { return m_socket->subprotocol(); }

TlsInfo ChatConnection::tlsInfo() const
{
    TlsInfo info;
#if QT_CONFIG(ssl)
    if (m_socket->requestUrl().scheme() == u"wss"_s && m_socket->state() == QAbstractSocket::ConnectedState) {
        const QSslConfiguration configuration = m_socket->sslConfiguration();
        const QSslCipher cipher = configuration.sessionCipher();
        info.protocol = cipher.protocolString();
        info.cipher = cipher.name();
        const QSslCertificate peer = configuration.peerCertificate();
        info.fingerprint = CertificateFingerprint::of(peer);
        const QStringList organisation = peer.issuerInfo(QSslCertificate::Organization);
        info.issuer = !organisation.isEmpty() ? organisation.join(u", "_s)
                                              : peer.issuerInfo(QSslCertificate::CommonName).join(u", "_s);
        if (m_check && m_check->accepted()) {
            if (m_check->outcome == CertificateCheck::Outcome::CaVerified) {
                info.verification = TlsInfo::Verification::CaVerified;
            } else if (m_trust) {
                info.verification = TlsInfo::Verification::Pinned;
                if (const auto pin = m_trust->pin(m_server)) {
                    info.pinSource = pin->source;
                    info.pinnedSince = pin->since;
                }
            }
        }
    }
#endif
    return info;
}

void ChatConnection::onTextMessage(const QString &message)
{
    const QByteArray frame = message.toUtf8();
    Q_EMIT frameReceived(frame.size());
    auto decoded = Protocol::decodeServerFrame(frame);
    if (auto *reply = std::get_if<Protocol::Reply>(&decoded)) {
        Q_EMIT replyReceived(*reply);
    } else if (auto *event = std::get_if<Protocol::Event>(&decoded)) {
        Q_EMIT eventReceived(*event);
    } else {
        const auto &failure = std::get<Protocol::DecodeFailure>(decoded);
        // Newer servers may send events we do not know: ignore them quietly, as the protocol says.
        if (failure.error.code == Protocol::ErrorCode::UnknownType) {
            qCDebug(lcClientNet) << "ignoring unknown frame:" << failure.error.message;
            return;
        }
        qCWarning(lcClientNet) << "malformed server frame:" << failure.error.message;
        Q_EMIT malformedFrameReceived(failure.error.message);
    }
}

} // namespace Tertulia
