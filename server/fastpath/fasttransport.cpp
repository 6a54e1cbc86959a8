#include "server/fastpath/fasttransport.h"

#include "server/core/serverconfig.h"
#include "server/websocket/websocketframe.h"
#include "server/metrics/metrics.h"

#include <QtCore/QtEndian>

#include <chrono>

using namespace Qt::StringLiterals;

namespace Tertulia {

using namespace Protocol;
using WebSocket::Opcode;

namespace {
qint64 monotonicMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

FastPath::FastWebSocket::Options socketOptions(const ServerLimits &limits)
{
    FastPath::FastWebSocket::Options options;
    options.maxMessageBytes = limits.maxFrameBytes;
    options.messageTimeoutMs = limits.messageTimeoutMs;
    return options;
}
} // namespace

FastTransport::FastTransport(int descriptor, const QString &peerAddress, const ServerLimits &limits,
                             Metrics &metrics, FastPath::FlushList &flushList, QObject *parent)
    : SessionTransport(parent), m_metrics(metrics), m_peer(peerAddress),
      m_socket(descriptor, flushList, *this, socketOptions(limits))
{
}

FastTransport::~FastTransport() = default;

void FastTransport::start(const QByteArray &handshakeResponse, QByteArray alreadyRead)
{
    // With what follows in this pass (hello, for a token in the upgrade request): one write, not two.
    m_socket.sendFrame(handshakeResponse, FastPath::Urgency::ThisPass);
    m_socket.start(std::move(alreadyRead));
}

void FastTransport::send(const QByteArray &frame, qsizetype payloadBytes, FastPath::Urgency urgency)
{
    m_socket.sendFrame(frame, urgency);
    ++m_metrics.framesOut;
    m_metrics.bytesOut += quint64(payloadBytes);
}

void FastTransport::sendReply(const Reply &reply)
{
    const QByteArray json = encode(reply);
    send(WebSocket::serverFrame(Opcode::Text, json), json.size());
}

void FastTransport::sendEvent(const OutboundEvent &event)
{
    // Framed once per event, on its first fast-path recipient; the others share the bytes.
    QByteArray &frame = event.wireFrame();
    if (frame.isEmpty())
        frame = WebSocket::serverFrame(Opcode::Text, encode(event.event()));
    send(frame, frame.size(), event.isNotification() ? FastPath::Urgency::Notification : FastPath::Urgency::Now);
}

void FastTransport::close(CloseCode code, const QString &reason) { m_socket.close(quint16(code), reason.toUtf8()); }

void FastTransport::abort() { m_socket.abort(); }

qint64 FastTransport::bytesQueued() const { return m_socket.bytesQueued(); }

void FastTransport::flush() { m_socket.flush(); }

void FastTransport::ping()
{
    uchar payload[8];
    qToBigEndian<qint64>(monotonicMs(), payload);
    m_socket.ping(QByteArrayView(payload, 8));
}

void FastTransport::onTextMessage(QByteArray utf8)
{
    ++m_metrics.framesIn;
    m_metrics.bytesIn += quint64(utf8.size());
    Q_EMIT activity();
    auto decoded = decodeRequest(utf8);
    if (auto *failure = std::get_if<DecodeFailure>(&decoded)) {
        Q_EMIT malformed(failure->error, failure->id);
        return;
    }
    Q_EMIT requestReceived(std::get<Request>(decoded));
}

void FastTransport::onBinaryMessage(QByteArray)
{
    ++m_metrics.framesIn;
    Q_EMIT activity();
    Q_EMIT malformed(Error{ErrorCode::BadRequest, u"binary frames are not part of tertulia.v1; send JSON text"_s}, {});
}

void FastTransport::onPing(const QByteArray &) { Q_EMIT activity(); }

void FastTransport::onPong(const QByteArray &payload)
{
    Q_EMIT activity();
    if (payload.size() != 8)
        return; // not one of our pings (an unsolicited pong is allowed as a heartbeat)
    const qint64 elapsed = monotonicMs() - qFromBigEndian<qint64>(payload.constData());
    if (elapsed >= 0 && elapsed < 24 * 3600 * 1000)
        Q_EMIT pong(quint64(elapsed));
}

void FastTransport::onDisconnected(quint16 code)
{
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    m_endCode = code;
    // Queued: the connection can end inside a send (a write error, a slow consumer's abort) while the
    // caller iterates over sessions.
    QMetaObject::invokeMethod(this, &SessionTransport::closed, Qt::QueuedConnection);
}

} // namespace Tertulia
