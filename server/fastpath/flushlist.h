#pragma once

#include <QtCore/QObject>

#include <memory>
#include <vector>

namespace Tertulia::FastPath {

class FastWebSocket;

/// What the fast-path connections of one thread share: the list of sockets with frames waiting to be
/// coalesced, written once per loop pass, and one read buffer.
///
/// Writes: a socket sends a frame straight to the kernel when nothing is queued and it has not sent yet in
/// this loop pass. Any further frame in the same pass (a commit that publishes several messages to one room,
/// an ack after an echo) waits in the socket's queue, and the socket joins this list; the list is flushed by
/// one posted call at the start of the next pass, one writev per socket. So a burst costs two system calls
/// per socket instead of one per frame, while a lone frame still leaves at once. A "pass" ends when the
/// list is flushed or the dispatcher wakes up from a wait (QAbstractEventDispatcher::awake); correctness
/// never depends on seeing every pass, only how much gets coalesced.
///
/// Reads: every connection of the thread reads into one 64 KiB buffer and keeps only the bytes of an
/// unfinished frame, so an idle connection holds no read buffer at all.
///
/// One per server thread, created and used on that thread only; it must outlive the sockets that use it.
class FlushList : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlushList)

public:
    static constexpr qsizetype kReadBufferBytes = 64 * 1024;

    /// `coalesce` false sends every frame straight when nothing is queued (for measurements).
    explicit FlushList(bool coalesce = true, QObject *parent = nullptr);
    ~FlushList() override;

    bool coalesces() const { return m_coalesce; }
    /// The current loop pass, as far as the fast path can tell.
    quint32 pass() const { return m_pass; }

    /// Queues the socket for the next flush (once; the socket remembers it is listed).
    void add(FastWebSocket *socket);
    /// Forgets a socket that goes away.
    void remove(FastWebSocket *socket);
    /// Writes what every listed socket has queued, now.
    void flush();
    /// Sockets waiting for the next flush (for tests).
    qsizetype pendingCount() const;

    /// The shared read buffer, or nullptr while it is in use (a handler that runs a nested event loop):
    /// the caller then reads into its own. Give it back with releaseReadBuffer().
    char *takeReadBuffer();
    void releaseReadBuffer() { m_readBufferBusy = false; }

private:
    std::vector<FastWebSocket *> m_sockets;
    std::vector<FastWebSocket *> m_flushing;   ///< the list being flushed (kept to reuse its capacity)
    std::unique_ptr<char[]> m_readBuffer;
    quint32 m_pass = 1;
    bool m_posted = false;
    bool m_readBufferBusy = false;
    const bool m_coalesce;
};

} // namespace Tertulia::FastPath
