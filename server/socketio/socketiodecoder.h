#pragma once

#include "server/socketio/socketiopacket.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>

#include <optional>
#include <variant>

namespace Tertulia::SocketIo {

/// A packet with the binary attachments its placeholders point to.
struct CompletePacket
{
    Packet packet;
    QList<QByteArray> attachments;
    friend bool operator==(const CompletePacket &, const CompletePacket &) = default;
};

/// Reassembles packets from the Engine.IO messages of one connection: a text packet, and for binary
/// packets the announced number of binary messages after it. A value type with no I/O, so the
/// rules are tested from tables; any error means the connection must close (the reference server does).
class Decoder
{
public:
    explicit Decoder(int maxAttachments = 10) : m_maxAttachments(maxAttachments) { }

    /// Nothing when a binary packet still waits for attachments.
    using Result = std::variant<std::optional<CompletePacket>, DecodeError>;
    Result addText(QStringView text);
    Result addBinary(const QByteArray &bytes);

    bool isReconstructing() const { return m_pending.has_value(); }
    /// Bytes of attachments held while waiting for the rest of a binary packet.
    qsizetype bufferedBytes() const { return m_bufferedBytes; }

private:
    int m_maxAttachments;
    std::optional<Packet> m_pending;
    QList<QByteArray> m_buffers;
    qsizetype m_bufferedBytes = 0;
};

} // namespace Tertulia::SocketIo
