#pragma once

#include "server/fastpath/flushlist.h"
#include "server/fastpath/framequeue.h"
#include "server/websocket/websocketdecoder.h"

#include <QtCore/QByteArray>

#include <memory>

namespace Tertulia::FastPath {

/// A server-side WebSocket connection that owns its descriptor (Linux): the fast path of the standalone
/// server. It exists because a QTcpSocket's data path (what QWebSocket used, and what the portable
/// WebSocket::Connection uses) costs a buffered write, two epoll_ctl calls and an extra loop pass per frame,
/// and every QTcpSocket keeps a 32 KiB write chunk for good (docs/benchmarks.md); here a connection is a
/// descriptor, a read notifier and a few words of state. Both run the same codec (server/websocket).
///
/// - Writes: complete frames, usually shared by every recipient of a broadcast (an implicitly shared
///   QByteArray), go straight to the kernel with send(MSG_NOSIGNAL) when nothing is queued; otherwise they
///   are queued and written with one sendmsg (writev with MSG_NOSIGNAL) per loop pass through the thread's
///   FlushList. The write notifier is on only while the kernel refuses bytes. bytesQueued() counts what is
///   not yet in the kernel, so the session's slow-consumer policy can act on it.
/// - Reads: into the thread's shared buffer; only an unfinished frame is kept here (released once used).
///   WebSocket::WebSocketDecoder (the codec every path shares, server/websocket) checks every frame; a
///   violation closes with 1002, bad UTF-8 with 1007, an oversized message with 1009. Pings are answered
///   with pongs. A frame, or a message in fragments, must arrive whole within messageTimeoutMs of its first
///   byte (whatever else comes meanwhile), or the connection fails with 1008.
/// - Closing: close() sends a close frame and waits for the peer's; a peer's close is answered with the same
///   code. Once both are done and the queue has drained, the write side is shut down and the connection
///   lingers until the peer closes (so unread input never turns our close into a reset that could destroy
///   the close frame). A deadline aborts peers that do not play along.
///
/// The socket reports to a Handler (an interface rather than signals: five signal connections per
/// connection would cost more memory than the rest of this object). Handler calls may come from inside
/// sendFrame(), close() or flush() (a write error ends the connection), so a handler must not destroy the
/// socket synchronously; defer it (deleteLater, queued signal). The native protocol uses it through
/// FastTransport; the Socket.IO layer's WebSocket transport can use it the same way (sendText/onTextMessage).
///
/// Not thread-safe: it lives on its FlushList's thread.
class FastWebSocket
{
public:
    class Handler
    {
    public:
        /// A complete text message, valid UTF-8.
        virtual void onTextMessage(QByteArray utf8) = 0;
        virtual void onBinaryMessage(QByteArray bytes) = 0;
        /// A ping from the peer (already answered) or a pong: either way the peer is alive.
        virtual void onPing(const QByteArray &payload) { Q_UNUSED(payload); }
        virtual void onPong(const QByteArray &payload) = 0;
        /// The peer sent a close frame (code NoStatus when it gave none); ours follows automatically.
        virtual void onPeerClose(quint16 code, const QByteArray &reason) { Q_UNUSED(code); Q_UNUSED(reason); }
        /// The descriptor is closed; nothing more will be reported. `code` is the close code that ended the
        /// connection (sent or received), Abnormal when it simply dropped.
        virtual void onDisconnected(quint16 code) = 0;

    protected:
        ~Handler() = default;
    };

    struct Options
    {
        qint64 maxMessageBytes = 64 * 1024;
        int closeTimeoutMs = 5000;  ///< from our close frame (sent or answered) to the end of the connection
        int messageTimeoutMs = 10000; ///< a frame or a fragmented message from its first byte (0: no deadline)
    };

    enum class State : quint8 {
        Open,
        Closing,    ///< a close frame was sent; waiting for the peer's or for the queue to drain
        Draining,   ///< write side shut down; waiting for the peer to close
        Closed,
    };

    /// Takes ownership of a connected, upgraded TCP descriptor (made non-blocking here). Nothing happens
    /// until start().
    FastWebSocket(int descriptor, FlushList &flushList, Handler &handler, const Options &options);
    ~FastWebSocket();
    Q_DISABLE_COPY_MOVE(FastWebSocket)

    /// Starts reading. `alreadyRead` are bytes of the connection read before the takeover (frames a client
    /// sent right after its upgrade request); they are decoded first, from the event loop.
    void start(QByteArray alreadyRead = {});

    /// Sends a complete frame (from serverFrame()), sharing the bytes, as soon as `urgency` asks (after the
    /// frames given before it in any case). Dropped once closing.
    void sendFrame(const QByteArray &frame, Urgency urgency = Urgency::Now);
    void sendText(QByteArrayView utf8);
    void sendBinary(QByteArrayView bytes);
    /// A ping with up to 125 bytes of payload; the pong comes back through Handler::onPong.
    void ping(QByteArrayView payload);
    /// Starts the closing handshake with a code (valid on the wire) and a UTF-8 reason (cut to 123 bytes).
    void close(quint16 code, QByteArrayView reasonUtf8);
    /// Drops the connection now: queued bytes are discarded, the descriptor is closed.
    void abort();
    /// Writes what is queued as far as the kernel takes it, now.
    void flush();

    State state() const { return m_state; }
    /// Bytes accepted by sendFrame() and friends but not yet handed to the kernel.
    qint64 bytesQueued() const { return m_queue.bytes(); }
    /// Frames waiting (for the flush, or for the kernel to take more).
    qsizetype framesQueued() const { return m_queue.frameCount(); }
    int descriptor() const { return m_fd; }
    /// Frames written with one system call each and coalesced writes, since the start (for tests and tuning).
    quint64 directSends() const { return m_directSends; }
    quint64 coalescedWrites() const { return m_coalescedWrites; }

private:
    class Notifier;
    friend class FlushList;

    void onReadable();
    void onWritable();
    /// Decodes `bytes` after any unfinished frame kept from before. Returns at once when `destroyed` turns
    /// true (a handler deleted us).
    void decode(QByteArrayView bytes, const bool &destroyed);
    void handle(WebSocket::WebSocketDecoder::Result &result);
    /// Arms the deadline of an unfinished frame or message at its first byte, stops it once it is whole.
    void updateMessageDeadline();
    void onTimer(int timerId);
    void enqueue(const QByteArray &frame, Urgency urgency = Urgency::Now);
    void writeQueued();
    void waitUntilWritable(bool wait);
    void failConnection(quint16 code, const QString &reason);
    void queueClose(quint16 code, QByteArrayView reasonUtf8);
    void armCloseDeadline();
    void maybeShutdown();
    /// Closes the descriptor and tells the handler (its last call).
    void finish(quint16 code);

    int m_fd;
    FlushList &m_flushList;
    Handler &m_handler;
    Options m_options;
    WebSocket::WebSocketDecoder m_decoder;
    std::unique_ptr<Notifier> m_readNotifier;
    std::unique_ptr<Notifier> m_writeNotifier;  ///< created the first time the kernel refuses bytes
    QByteArray m_pendingInput;                  ///< an unfinished frame (empty, unallocated, between frames)
    FrameQueue m_queue;                         ///< frames not yet fully written
    quint64 m_directSends = 0;
    quint64 m_coalescedWrites = 0;
    bool *m_destroyed = nullptr;                ///< set while a callback runs: tells it we were deleted
    quint32 m_lastDirectPass = 0;
    int m_messageTimer = 0;                     ///< the read notifier's timer for the message deadline (0: none)
    quint16 m_closeCode = 0;                    ///< the code that ends the connection, once known
    State m_state = State::Open;
    bool m_closeSent = false;
    bool m_closeReceived = false;
    bool m_inputDone = false;                   ///< no more frames are decoded (failed, or closing)
    bool m_listed = false;                      ///< on the FlushList
    bool m_heldListed = false;                  ///< on the FlushList's list of held notifications
    qsizetype m_deferredFrames = 0;             ///< queued frames that wait on purpose (Urgency), not for the kernel
    bool m_waitingWritable = false;
};

} // namespace Tertulia::FastPath
