#pragma once

#include <QtCore/QUrl>
#include <QtNetwork/QTcpSocket>

#include <optional>

namespace Tertulia::Test {

/// A deliberately minimal WebSocket client on a plain QTcpSocket, for tests that need a misbehaving peer: it
/// never answers pings, can stop reading, and can send any bytes. Frames it sends are masked text frames.
class RawWebSocket
{
public:
    struct Frame
    {
        int opcode = 0;
        QByteArray payload;
        int closeCode() const;
    };

    /// Connects and performs the upgrade; returns the HTTP status line's code (101 on success).
    int open(quint16 port, const QByteArray &path = "/ws", const QList<QByteArray> &extraHeaders = {});
    void sendText(const QByteArray &text);
    void sendRaw(const QByteArray &bytes) { m_socket.write(bytes); m_socket.flush(); }
    /// Waits for the next complete frame (control frames included).
    std::optional<Frame> readFrame(int timeoutMs = 10000);
    /// Waits for a close frame or the connection's end; returns the close code (0 if none was received).
    int waitForClose(int timeoutMs = 10000);
    QTcpSocket &socket() { return m_socket; }
    static QByteArray maskedFrame(int opcode, const QByteArray &payload);

private:
    std::optional<Frame> takeFrame();
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace Tertulia::Test
