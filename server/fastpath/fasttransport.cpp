#include "server/fastpath/fasttransport.h"

#include "server/core/serverconfig.h"
#include "server/net/connectionadmission.h"

namespace Tertulia {

using namespace Protocol;

namespace {
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
    : NativeWebSocketTransport(metrics, parent), m_peer(peerAddress),
      m_socket(descriptor, flushList, *this, socketOptions(limits))
{
}

FastTransport::~FastTransport() = default;

void FastTransport::holdTicket(std::unique_ptr<AdmissionTicket> ticket) { m_ticket = std::move(ticket); }

void FastTransport::start(const QByteArray &handshakeResponse, QByteArray alreadyRead)
{
    // With what follows in this pass (hello, for a token in the upgrade request): one write, not two.
    m_socket.sendFrame(handshakeResponse, FastPath::Urgency::ThisPass);
    m_socket.start(std::move(alreadyRead));
}

void FastTransport::sendReply(const Reply &reply)
{
    const QByteArray frame = replyFrame(reply);
    m_socket.sendFrame(frame);
    countSent(frame.size());
}

void FastTransport::sendOk(const QString &id, const RoomResult &result)
{
    const QByteArray frame = okFrame(id, result);
    m_socket.sendFrame(frame);
    countSent(frame.size());
}

void FastTransport::sendEvent(const OutboundEvent &event)
{
    const QByteArray &frame = eventFrame(event);
    m_socket.sendFrame(frame, event.isNotification() ? FastPath::Urgency::Notification : FastPath::Urgency::Now);
    countSent(frame.size());
}

void FastTransport::close(CloseCode code, const QString &reason) { m_socket.close(quint16(code), reason.toUtf8()); }

void FastTransport::abort() { m_socket.abort(); }

qint64 FastTransport::bytesQueued() const { return m_socket.bytesQueued(); }

void FastTransport::flush() { m_socket.flush(); }

void FastTransport::ping() { m_socket.ping(pingPayload()); }

} // namespace Tertulia
