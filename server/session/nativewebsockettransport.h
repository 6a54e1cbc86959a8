#pragma once

#include "server/metrics/metrics.h"
#include "server/session/sessiontransport.h"

#include <QtCore/QByteArray>

namespace Tertulia {

/// The native protocol `tertulia.v1` over a server-side WebSocket, whichever connection carries it: the
/// portable WebSocket::Connection (WebSocketTransport: TLS, `--fast-path off`, Windows, macOS) or the Linux
/// fast path's FastWebSocket (FastTransport). What a message means is decided here once, so both paths
/// answer a client alike (and both decode frames with the same codec, server/websocket):
/// - a text message is one request, decoded from its UTF-8 as received (no QString in between);
/// - a binary message is a malformed frame: an error reply `bad_request` that names binary frames, counted
///   toward `max_malformed_frames` like any other;
/// - pings carry the monotonic sending time, so the pong gives the round trip; any message, ping or pong is
///   activity;
/// - replies and events go out as complete server frames; an event is framed once, by its first recipient,
///   and every other WebSocket recipient sends the very same bytes (OutboundEvent::wireFrame()).
class NativeWebSocketTransport : public SessionTransport
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NativeWebSocketTransport)

public:
    bool droppedWithoutClose() const override;
    QString protocolName() const override { return QStringLiteral("native"); }

protected:
    NativeWebSocketTransport(Metrics &metrics, QObject *parent);

    // Inline: these run once per delivery (the callgrind figure of docs/benchmarks.md counts them).
    static QByteArray replyFrame(const Protocol::Reply &reply);
    /// An ok reply with a room, written straight from the value (sendOk()).
    static QByteArray okFrame(const QString &id, const Protocol::RoomResult &result);
    /// The event's frame, made on first use and shared.
    static const QByteArray &eventFrame(const OutboundEvent &event)
    {
        QByteArray &frame = event.wireFrame();
        if (frame.isEmpty())
            frame = encodeEventFrame(event);
        return frame;
    }
    /// 8 bytes: the monotonic time in ms, big-endian.
    static QByteArray pingPayload();
    /// Counts one frame sent with `frameBytes` bytes.
    void countSent(qsizetype frameBytes)
    {
        ++m_metrics.framesOut;
        m_metrics.bytesOut += quint64(frameBytes);
    }

    void receivedText(const QByteArray &utf8);
    void receivedBinary();
    void receivedPing();
    void receivedPong(const QByteArray &payload);
    /// The connection ended with `code` (CloseStatus::Abnormal: it dropped without a closing handshake).
    /// `closed()` follows from the event loop: a connection can end inside a send (a write error, a slow
    /// consumer's abort) while the caller iterates over sessions.
    void ended(quint16 code);

    Metrics &m_metrics;

private:
    static QByteArray encodeEventFrame(const OutboundEvent &event);

    bool m_ended = false;
    quint16 m_endCode = 0;
};

} // namespace Tertulia
