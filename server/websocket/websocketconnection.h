#pragma once

#include "server/websocket/websocketdecoder.h"

#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QString>

class QTcpSocket;

namespace Tertulia::Http {
struct Request;
}

namespace Tertulia::WebSocket {

/// A server-side WebSocket connection over an accepted QTcpSocket or QSslSocket (RFC 6455), on every platform.
/// It serves /ws wherever the Linux fast path does not (TLS, `--fast-path off`, Windows, macOS) and every
/// Engine.IO WebSocket, with the same decoder as the fast path, so both paths answer a client alike.
///
/// Why not QWebSocket: QtWebSockets validates UTF-8 frame by frame (a character split across fragments is
/// refused with 1007), accepts unmasked client frames, gives sockets handed over with handleConnection() no
/// handshake deadline, and restarts its incomplete-frame timer on every byte (docs/architecture.md). Working
/// around a codec that sits inside the library costs more than running our own over the socket.
///
/// - Reading: every byte the socket has, decoded at once; only an unfinished frame is kept. A violation fails
///   the connection with 1002, bad UTF-8 with 1007, a message over the cap with 1009 (refused on its header,
///   before its payload is buffered). Pings are answered with pongs.
/// - Deadline: a frame, or a message in fragments, must arrive whole within messageTimeoutMs of its first
///   byte, whatever comes in between (pongs, single bytes); otherwise the connection fails with 1008.
/// - Writing: complete frames through the socket's buffer; bytesQueued() is what the socket has not handed
///   to the kernel yet, so the session's slow-consumer policy can act on it.
/// - Closing: close() sends a close frame and waits for the peer's; a peer's close is answered with its code.
///   Then, once everything is written, the write side is shut down (TLS: close_notify) and the connection
///   lingers until the peer closes, reading and dropping, so unread input never turns our close into a reset
///   that destroys the close frame. closeTimeoutMs after our close frame the connection is dropped.
///
/// Signals may be emitted from inside any call that writes (a failed write ends the connection); receivers
/// should delete the connection with deleteLater(). One deleted from inside a signal that came from the socket
/// (a message, the end) hands its socket to deleteLater() itself: Qt still uses a socket after its signals
/// return. Not thread-safe: it lives on its socket's thread.
class Connection : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connection)

public:
    struct Options
    {
        qint64 maxMessageBytes = 64 * 1024;
        int closeTimeoutMs = 5000;      ///< from our close frame (sent or answered) to the end of the connection
        int messageTimeoutMs = 10000;   ///< a frame or a fragmented message from its first byte (0: no deadline)
    };

    enum class State : quint8 {
        Open,
        Closing,    ///< a close frame was sent; waiting for the peer's, or for the socket to write it
        Draining,   ///< write side shut down; waiting for the peer to close
        Closed,
    };

    /// Takes ownership of a connected socket (it becomes a child). Nothing happens until start().
    Connection(QTcpSocket *socket, const Options &options, QObject *parent = nullptr);
    ~Connection() override;

    /// Reads the upgrade request's head off the socket (still unread there: Http::Connection hands upgrades
    /// over that way), writes the handshake's answer (the 101 from acceptHandshake()), and decodes what the
    /// client sent after its request from the event loop, so the caller can connect its signals first.
    void start(const Http::Request &request, const QByteArray &handshakeResponse);

    /// Sends a complete frame (from serverFrame()). Dropped once closing.
    void sendFrame(const QByteArray &frame);
    void sendText(QByteArrayView utf8);
    void sendBinary(QByteArrayView bytes);
    /// A ping with up to 125 bytes of payload; the answer comes as pongReceived().
    void ping(QByteArrayView payload);
    /// Starts the closing handshake with a code (valid on the wire, or NoStatus for an empty close frame) and a
    /// UTF-8 reason (cut to 123 bytes).
    void close(quint16 code, QByteArrayView reasonUtf8 = {});
    /// Drops the connection now: queued bytes are discarded. disconnected() follows at once.
    void abort();
    /// Hands queued bytes to the kernel, as far as it takes them, now.
    void flush();

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    /// Bytes accepted by sendFrame() and friends but not yet handed to the kernel.
    qint64 bytesQueued() const;
    /// The close code that ended (or is ending) the connection, sent or received; 0 while open.
    quint16 closeCode() const { return m_closeCode; }
    QString peerAddress() const { return m_peer; }
    QTcpSocket *socket() const { return m_socket; }

Q_SIGNALS:
    /// A complete text message, valid UTF-8.
    void textMessageReceived(const QByteArray &utf8);
    void binaryMessageReceived(const QByteArray &bytes);
    /// A ping from the peer, already answered: the peer is alive.
    void pingReceived(const QByteArray &payload);
    void pongReceived(const QByteArray &payload);
    /// The connection is over; nothing more will be emitted. `code` is the close code that ended it (sent
    /// or received), CloseStatus::Abnormal when it simply dropped.
    void disconnected(quint16 code);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    /// Marks a call from one of the socket's signals, which must not delete the socket (see ~Connection).
    class SocketCallback;

    void onReadyRead();
    void onSocketDisconnected();
    void decode(const QByteArray &bytes);
    void handle(WebSocketDecoder::Result &result);
    void write(const QByteArray &frame);
    void failConnection(quint16 code, const QString &reason);
    void queueClose(quint16 code, QByteArrayView reasonUtf8);
    void armCloseDeadline();
    void maybeShutdown();
    void updateMessageDeadline();
    void stopTimer(int &id);
    /// Ends the connection and tells the receivers (the last signal).
    void finish(quint16 code);

    QTcpSocket *m_socket;
    Options m_options;
    WebSocketDecoder m_decoder;
    QByteArray m_pendingInput;      ///< an unfinished frame (empty, unallocated, between frames)
    QString m_peer;
    int m_socketCallbacks = 0;      ///< calls from the socket's signals under way
    int m_messageTimer = 0;         ///< QObject timer ids, 0 when not running
    int m_closeTimer = 0;
    quint16 m_closeCode = 0;
    State m_state = State::Open;
    bool m_closeSent = false;
    bool m_inputDone = false;       ///< no more frames are decoded (failed, or the peer's close came)
    bool m_watchingWrites = false;  ///< bytesWritten is connected (only while closing)
};

} // namespace Tertulia::WebSocket
