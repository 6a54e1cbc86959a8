#pragma once

#include "shared/protocol/frames.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <memory>
#include <optional>

namespace Tertulia {

/// One event on its way to many sessions. Each wire format encodes it at most once, on first use, and every
/// recipient of that format shares the bytes (QString is implicitly shared). Single-threaded by design: it
/// lives on the server thread with the sessions.
class OutboundEvent
{
public:
    explicit OutboundEvent(Protocol::Event event, qint64 position = 0) : m_event(std::move(event)), m_position(position) { }

    const Protocol::Event &event() const { return m_event; }
    /// A `message`'s global position where the store keeps them (several nodes; 0 otherwise): Socket.IO's
    /// recovery offset, which every node understands.
    qint64 position() const { return m_position; }
    /// Whether it only tells who joined, left or changed presence: a transport may hold it back for a moment
    /// and send several at once (never past a later frame of the same connection). Chat messages and answers
    /// are never held.
    bool isNotification() const
    {
        using Protocol::EventType;
        return m_event.type == EventType::MemberJoined || m_event.type == EventType::MemberLeft
            || m_event.type == EventType::Presence;
    }
    /// The native `tertulia.v1` frame.
    const QString &nativeFrame() const
    {
        if (!m_native)
            m_native = QString::fromUtf8(Protocol::encode(m_event));
        return *m_native;
    }
    /// A cache slot for other wire formats (Socket.IO), filled by their transport.
    QString &extraFrame() const { return m_extra; }
    /// The native frame as bytes on the wire, for transports that write frames themselves: the fast path
    /// (server/fastpath) fills it on first use with one complete server frame, header and UTF-8 payload,
    /// encoded straight from the event, and every fast-path recipient sends these very bytes.
    QByteArray &wireFrame() const { return m_wire; }

private:
    Protocol::Event m_event;
    qint64 m_position = 0;
    mutable std::optional<QString> m_native;
    mutable QString m_extra;
    mutable QByteArray m_wire;
};

using SharedEvent = std::shared_ptr<const OutboundEvent>;

inline SharedEvent makeEvent(Protocol::Event event, qint64 position = 0)
{
    return std::make_shared<const OutboundEvent>(std::move(event), position);
}

} // namespace Tertulia
