#include "server/session/nativewebsockettransport.h"

#include "server/metrics/metrics.h"
#include "server/websocket/websocketframe.h"

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
} // namespace

NativeWebSocketTransport::NativeWebSocketTransport(Metrics &metrics, QObject *parent)
    : SessionTransport(parent), m_metrics(metrics)
{
}

bool NativeWebSocketTransport::droppedWithoutClose() const
{
    return m_ended && m_endCode == WebSocket::CloseStatus::Abnormal;
}

QByteArray NativeWebSocketTransport::replyFrame(const Reply &reply)
{
    return WebSocket::serverFrame(Opcode::Text, encode(reply));
}

QByteArray NativeWebSocketTransport::okFrame(const QString &id, const RoomResult &result)
{
    return WebSocket::serverFrame(Opcode::Text, encodeOk(id, result));
}

QByteArray NativeWebSocketTransport::encodeEventFrame(const OutboundEvent &event)
{
    return WebSocket::serverFrame(Opcode::Text, event.encodeNative());
}

QByteArray NativeWebSocketTransport::pingPayload()
{
    QByteArray payload(8, Qt::Uninitialized);
    qToBigEndian<qint64>(monotonicMs(), payload.data());
    return payload;
}

void NativeWebSocketTransport::receivedText(const QByteArray &utf8)
{
    ++m_metrics.framesIn;
    m_metrics.bytesIn += quint64(utf8.size());
    reportActivity();
    auto decoded = decodeRequest(utf8);
    if (auto *failure = std::get_if<DecodeFailure>(&decoded)) {
        reportMalformed(failure->error, failure->id);
        return;
    }
    reportRequest(std::get<Request>(decoded));
}

void NativeWebSocketTransport::receivedBinary()
{
    ++m_metrics.framesIn;
    reportActivity();
    reportMalformed(Error{ErrorCode::BadRequest, u"binary frames are not part of tertulia.v1; send JSON text"_s}, {});
}

void NativeWebSocketTransport::receivedPing() { reportActivity(); }

void NativeWebSocketTransport::receivedPong(const QByteArray &payload)
{
    reportActivity();
    if (payload.size() != 8)
        return; // not one of our pings (an unsolicited pong is allowed as a heartbeat)
    const qint64 elapsed = monotonicMs() - qFromBigEndian<qint64>(payload.constData());
    if (elapsed >= 0 && elapsed < 24 * 3600 * 1000)
        reportPong(quint64(elapsed));
}

void NativeWebSocketTransport::ended(quint16 code)
{
    if (m_ended)
        return;
    m_ended = true;
    m_endCode = code;
    QMetaObject::invokeMethod(this, [this] { reportClosedNow(); }, Qt::QueuedConnection);
}

} // namespace Tertulia
