#include "server/socketio/socketiodecoder.h"

namespace Tertulia::SocketIo {

Decoder::Result Decoder::addText(QStringView text)
{
    if (m_pending)
        return DecodeError::UnexpectedText;
    auto decoded = decode(text, m_maxAttachments);
    if (auto *error = std::get_if<DecodeError>(&decoded))
        return *error;
    Packet packet = std::get<Packet>(std::move(decoded));
    if (!packet.isBinary())
        return std::optional<CompletePacket>(CompletePacket{std::move(packet), {}});
    m_pending = std::move(packet);
    return std::optional<CompletePacket>();
}

Decoder::Result Decoder::addBinary(const QByteArray &bytes)
{
    if (!m_pending)
        return DecodeError::UnexpectedBinary;
    m_buffers.append(bytes);
    m_bufferedBytes += bytes.size();
    if (m_buffers.size() < m_pending->attachments)
        return std::optional<CompletePacket>();
    CompletePacket complete{std::move(*m_pending), std::move(m_buffers)};
    m_pending.reset();
    m_buffers.clear();
    m_bufferedBytes = 0;
    if (!placeholdersValid(complete.packet.data, int(complete.attachments.size())))
        return DecodeError::BadPlaceholder;
    return std::optional<CompletePacket>(std::move(complete));
}

} // namespace Tertulia::SocketIo
