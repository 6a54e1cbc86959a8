#include "server/session/websockettransport.h"

#include "server/core/serverconfig.h"
#include "server/metrics/metrics.h"

#include <QtCore/QTimer>
#include <QtNetwork/QNetworkRequest>
#include <QtWebSockets/QWebSocket>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;

WebSocketTransport::WebSocketTransport(QWebSocket *socket, const ServerLimits &limits, Metrics &metrics,
                                       QObject *parent)
    : SessionTransport(parent), m_socket(socket), m_metrics(metrics)
{
    m_socket->setParent(this);
    m_socket->setMaxAllowedIncomingFrameSize(quint64(limits.maxFrameBytes));
    m_socket->setMaxAllowedIncomingMessageSize(quint64(limits.maxFrameBytes));
    // One message, one frame: Qt splits larger messages into frames at arbitrary bytes, and Qt peers then
    // reject a multibyte character split across two frames (see docs/architecture.md).
    m_socket->setOutgoingFrameSize(quint64(limits.replyByteBudget) * 4);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &WebSocketTransport::onTextMessage);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &) {
        ++m_metrics.framesIn;
        Q_EMIT activity();
        Q_EMIT malformed(Error{ErrorCode::BadRequest, u"binary frames are not part of tertulia.v1; send JSON text"_s}, {});
    });
    connect(m_socket, &QWebSocket::pong, this, [this](quint64 elapsed, const QByteArray &) {
        Q_EMIT activity();
        Q_EMIT pong(elapsed);
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this] {
        if (m_closedEmitted)
            return;
        m_closedEmitted = true;
        // Queued: a disconnect can happen inside a send (abort of a slow consumer) while the caller
        // iterates over sessions.
        QMetaObject::invokeMethod(this, &SessionTransport::closed, Qt::QueuedConnection);
    });
}

void WebSocketTransport::sendText(const QString &frame)
{
    m_socket->sendTextMessage(frame);
    ++m_metrics.framesOut;
    m_metrics.bytesOut += quint64(frame.size());
}

void WebSocketTransport::sendReply(const Reply &reply) { sendText(QString::fromUtf8(encode(reply))); }

void WebSocketTransport::sendEvent(const OutboundEvent &event) { sendText(event.nativeFrame()); }

void WebSocketTransport::close(CloseCode code, const QString &reason)
{
    m_socket->close(QWebSocketProtocol::CloseCode(int(code)), reason);
    // A peer that never answers the close handshake is cut off.
    QTimer::singleShot(5000, this, [this] {
        if (m_socket->state() != QAbstractSocket::UnconnectedState)
            m_socket->abort();
    });
}

void WebSocketTransport::abort() { m_socket->abort(); }

qint64 WebSocketTransport::bytesQueued() const { return m_socket->bytesToWrite(); }

void WebSocketTransport::flush() { m_socket->flush(); }

QString WebSocketTransport::peerAddress() const { return m_socket->peerAddress().toString(); }

QString WebSocketTransport::bearerToken() const
{
    const QByteArray header = m_socket->request().rawHeader("Authorization");
    if (header.size() > 7 && header.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return QString::fromLatin1(header.sliced(7).trimmed());
    return {};
}

void WebSocketTransport::ping() { m_socket->ping(); }

void WebSocketTransport::onTextMessage(const QString &message)
{
    ++m_metrics.framesIn;
    m_metrics.bytesIn += quint64(message.size());
    Q_EMIT activity();
    auto decoded = decodeRequest(message.toUtf8());
    if (auto *failure = std::get_if<DecodeFailure>(&decoded)) {
        Q_EMIT malformed(failure->error, failure->id);
        return;
    }
    Q_EMIT requestReceived(std::get<Request>(decoded));
}

} // namespace Tertulia
