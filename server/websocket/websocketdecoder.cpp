#include "server/websocket/websocketdecoder.h"

#include <QtCore/QtEndian>

using namespace Qt::StringLiterals;

namespace Tertulia::WebSocket {

namespace {
bool isValidUtf8(QByteArrayView bytes)
{
    Utf8Validator validator;
    return validator.feed(bytes) && validator.isComplete();
}
} // namespace

WebSocketDecoder::Result WebSocketDecoder::fail(quint16 code, QString reason)
{
    m_failedCode = code;
    m_failedReason = std::move(reason);
    m_message = QByteArray();
    return Result{Kind::Failed, {}, m_failedCode, m_failedReason};
}

WebSocketDecoder::Result WebSocketDecoder::next(QByteArrayView &input)
{
    if (m_failedCode)
        return Result{Kind::Failed, {}, m_failedCode, m_failedReason};
    for (;;) {
        auto parsed = parseFrameHeader(input);
        if (std::holds_alternative<NeedMoreBytes>(parsed))
            return {};
        if (auto *error = std::get_if<FrameError>(&parsed))
            return fail(error->closeCode, error->reason);
        const FrameHeader &header = std::get<FrameHeader>(parsed);
        if (auto error = validateClientFrame(header))
            return fail(error->closeCode, error->reason);

        const bool control = isControl(header.opcode);
        if (!control) {
            if (header.opcode == quint8(Opcode::Continuation) && m_type == 0)
                return fail(CloseStatus::ProtocolError, u"a continuation frame without a message to continue"_s);
            if (header.opcode != quint8(Opcode::Continuation) && m_type != 0)
                return fail(CloseStatus::ProtocolError, u"a new message began before the last one ended"_s);
            // Checked on the header alone: a peer announcing 2 GiB is refused before we buffer any of it.
            if (quint64(m_message.size()) + header.payloadLength > quint64(m_maxMessageBytes))
                return fail(CloseStatus::TooBig,
                            QStringLiteral("the message is larger than %1 bytes").arg(m_maxMessageBytes));
        }
        const qsizetype length = qsizetype(header.payloadLength); // at most the cap, or 125 for control frames
        if (input.size() - header.headerLength < length)
            return {};
        const char *payload = input.data() + header.headerLength;
        input = input.sliced(header.headerLength + length);

        if (control) {
            QByteArray data(length, Qt::Uninitialized);
            unmask(payload, data.data(), length, header.mask);
            switch (Opcode(header.opcode)) {
            case Opcode::Ping:
                return Result{Kind::Ping, std::move(data), 0, {}};
            case Opcode::Pong:
                return Result{Kind::Pong, std::move(data), 0, {}};
            default:
                break;
            }
            if (length == 0)
                return Result{Kind::Close, {}, CloseStatus::NoStatus, {}};
            if (length == 1)
                return fail(CloseStatus::ProtocolError, u"a close frame with a one-byte payload"_s);
            const quint16 code = qFromBigEndian<quint16>(data.constData());
            if (!isValidWireCloseCode(code))
                return fail(CloseStatus::ProtocolError, QStringLiteral("close code %1 is not allowed on the wire").arg(code));
            QByteArray reason = data.sliced(2);
            if (!isValidUtf8(reason))
                return fail(CloseStatus::InvalidPayload, u"the close reason is not UTF-8"_s);
            return Result{Kind::Close, std::move(reason), code, {}};
        }

        if (header.opcode != quint8(Opcode::Continuation)) {
            m_type = header.opcode;
            m_utf8.reset();
            if (header.fin) {
                // The common case, one frame per message: unmask straight into the message.
                QByteArray message(length, Qt::Uninitialized);
                unmask(payload, message.data(), length, header.mask);
                m_type = 0;
                if (header.opcode == quint8(Opcode::Binary))
                    return Result{Kind::Binary, std::move(message), 0, {}};
                if (!isValidUtf8(message))
                    return fail(CloseStatus::InvalidPayload, u"the text message is not valid UTF-8"_s);
                return Result{Kind::Text, std::move(message), 0, {}};
            }
        }
        const qsizetype offset = m_message.size();
        m_message.resize(offset + length);
        unmask(payload, m_message.data() + offset, length, header.mask);
        const bool text = m_type == quint8(Opcode::Text);
        if (text && !m_utf8.feed(QByteArrayView(m_message).sliced(offset)))
            return fail(CloseStatus::InvalidPayload, u"the text message is not valid UTF-8"_s);
        if (!header.fin)
            continue;
        if (text && !m_utf8.isComplete())
            return fail(CloseStatus::InvalidPayload, u"the text message ends inside a character"_s);
        m_type = 0;
        return Result{text ? Kind::Text : Kind::Binary, std::exchange(m_message, QByteArray()), 0, {}};
    }
}

} // namespace Tertulia::WebSocket
