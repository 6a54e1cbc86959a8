#pragma once

#include <QtCore/QUrl>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslSocket>

#include <optional>

namespace Tertulia::Test {

/// A deliberately minimal WebSocket client on a plain TCP socket (or TLS, with setTls()), for tests that need a
/// misbehaving peer: it never answers pings, can stop reading, and can send any bytes. Frames it sends are
/// masked text frames.
class RawWebSocket
{
public:
    struct Frame
    {
        int opcode = 0;
        QByteArray payload;
        int closeCode() const;
    };

    /// Connects over TLS with this configuration (from then on), instead of plain TCP.
    void setTls(const QSslConfiguration &configuration);
    /// Connects and performs the upgrade; returns the HTTP status line's code (101 on success).
    int open(quint16 port, const QByteArray &path = "/ws", const QList<QByteArray> &extraHeaders = {});
    void sendText(const QByteArray &text);
    void sendRaw(const QByteArray &bytes) { m_socket.write(bytes); m_socket.flush(); }
    /// Waits for the next complete frame (control frames included).
    std::optional<Frame> readFrame(int timeoutMs = 10000);
    /// Waits for a close frame or the connection's end; returns the close code (0 if none was received).
    int waitForClose(int timeoutMs = 10000);
    /// A QSslSocket, unencrypted unless setTls() was called.
    QSslSocket &socket() { return m_socket; }
    static QByteArray maskedFrame(int opcode, const QByteArray &payload);

private:
    std::optional<Frame> takeFrame();
    QSslSocket m_socket;
    QByteArray m_buffer;
    bool m_tls = false;
};

} // namespace Tertulia::Test
