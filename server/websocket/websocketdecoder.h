#pragma once

#include "server/websocket/utf8validator.h"
#include "server/websocket/websocketframe.h"

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QString>

namespace Tertulia::WebSocket {

/// Turns the bytes a client sends into messages and control frames (RFC 6455, server side): unmasking,
/// fragmentation and continuation, the message size cap, UTF-8 of text messages checked fragment by fragment
/// (a character split across fragments is fine), close frames checked (code allowed on the wire, reason in
/// UTF-8). A value type with no I/O: the connection feeds it whatever it read.
class WebSocketDecoder
{
public:
    enum class Kind : quint8 {
        NeedMore,  ///< no complete frame at the start of the input (anything before it was consumed)
        Text,      ///< a whole text message, valid UTF-8
        Binary,    ///< a whole binary message
        Ping,
        Pong,
        Close,     ///< the peer's close: `closeCode` (NoStatus when it gave none) and `payload` = reason
        Failed,    ///< fail the connection with `closeCode` (1002, 1007 or 1009) and `error`
    };
    struct Result
    {
        Kind kind = Kind::NeedMore;
        QByteArray payload;
        quint16 closeCode = 0;
        QString error;
    };

    /// `maxMessageBytes` caps every message, fragmented or not; a frame that would pass it fails with 1009 as
    /// soon as its header arrives, before any of its payload is buffered.
    explicit WebSocketDecoder(qint64 maxMessageBytes) : m_maxMessageBytes(maxMessageBytes) { }

    /// Decodes from the start of `input` and advances it past every frame consumed. Fragments of a message are
    /// consumed as they arrive and kept here; only the completed message is returned. After Failed the decoder
    /// keeps answering Failed.
    Result next(QByteArrayView &input);

    /// A fragmented message has begun and not ended.
    bool isInMessage() const { return m_type != 0; }
    /// Bytes of an unfinished fragmented message held here.
    qsizetype bufferedBytes() const { return m_message.size(); }

private:
    Result fail(quint16 code, QString reason);

    qint64 m_maxMessageBytes;
    QByteArray m_message;       ///< fragments of the message in progress (empty between messages)
    Utf8Validator m_utf8;       ///< state across the fragments of a text message
    quint8 m_type = 0;          ///< opcode of the message in progress, 0 when none
    quint16 m_failedCode = 0;   ///< set once failed
    QString m_failedReason;
};

} // namespace Tertulia::WebSocket
