#pragma once

#include <QtCore/QObject>

class QTimer;

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace Tertulia::FastPath {

class FastWebSocket;

/// When a socket with nothing queued writes a frame.
enum class WritePolicy : quint8 {
    /// At once if the loop is idle (no flush found frames piled up since it last slept) and it is the
    /// socket's first frame in this pass; otherwise it waits for the flush. The default: a lone frame leaves
    /// at once, and a server that falls behind writes each socket once per pass, however many frames piled up.
    Adaptive,
    Direct,     ///< always at once (for measurements and tests)
    Coalesced,  ///< never at once: every frame waits for the flush (for measurements and tests)
};

/// How soon one frame must reach the kernel, whatever the WritePolicy. A frame never overtakes an earlier frame
/// of its socket: a socket's bytes stay in the order they were given; only the moment of the write changes.
enum class Urgency : quint8 {
    Now,          ///< as the WritePolicy says (replies, chat messages)
    ThisPass,     ///< with the socket's other frames of this loop pass, in one write (the 101 before hello)
    /// Notifications (member joined or left, presence): held up to the list's notification delay so that a
    /// socket writes all it got in that time at once. A room of n filling up sends each member n
    /// notifications; one write each made a connect storm cost O(n^2) system calls per room. Any later frame
    /// with less patience takes the held ones along.
    Notification,
};

/// What the fast-path connections of one thread share: the list of sockets with frames waiting to be
/// coalesced, written once per loop pass, and one read buffer.
///
/// Writes (WritePolicy::Adaptive): while the loop is idle, a socket sends a frame straight to the kernel when
/// nothing is queued and it has not sent yet in this loop pass. Any further frame in the same pass (an ack
/// after an echo, a commit that publishes several messages to one room) waits in the socket's queue, and the
/// socket joins this list; the list is flushed by one posted call at the start of the next pass, one writev
/// per socket. Once a flush finds frames piled up (two or more on one socket), the loop counts as busy until
/// a wait really sleeps (50 µs or more between the dispatcher's aboutToBlock and awake): meanwhile every frame
/// waits for the flush, so a server that falls behind writes each socket once per pass however many frames
/// piled up, and catches up.
/// A "pass" ends when the list is flushed or the dispatcher waits; correctness never depends on seeing every
/// pass, only how much gets coalesced.
///
/// Notifications (Urgency::Notification) wait on a second list, flushed by one timer at most
/// notificationDelay() after the first of them was held (0: they go as Urgency::Now).
///
/// Measured (ad hoc, a room of 1 000 at 100 000-150 000 deliveries/s on a loaded 2-core machine): writing
/// every frame at once falls over (p99 2 s) where coalescing keeps up, with 0.57-0.87 send calls per delivery
/// instead of 1.0; at low load all policies showed the same latency within the machine's noise.
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

    explicit FlushList(WritePolicy policy = WritePolicy::Adaptive, QObject *parent = nullptr);
    ~FlushList() override;

    WritePolicy policy() const { return m_policy; }
    /// The current loop pass, as far as the fast path can tell.
    quint32 pass() const { return m_pass; }
    /// Whether a socket with nothing queued that last wrote straight away in pass `lastDirectPass` may write
    /// its next frame straight away too.
    bool mayWriteNow(quint32 lastDirectPass) const
    {
        switch (m_policy) {
        case WritePolicy::Direct: return true;
        case WritePolicy::Coalesced: return false;
        case WritePolicy::Adaptive: return !m_busy && lastDirectPass != m_pass;
        }
        return true;
    }

    /// Queues the socket for the next flush (once; the socket remembers it is listed).
    void add(FastWebSocket *socket);
    /// Queues the socket for the next flush of held notifications (once).
    void addHeld(FastWebSocket *socket);
    /// How long a notification may be held; 0 (the default) holds nothing. Applies to what is held already.
    void setNotificationDelay(std::chrono::milliseconds delay);
    std::chrono::milliseconds notificationDelay() const { return m_notificationDelay; }
    /// Forgets a socket that goes away.
    void remove(FastWebSocket *socket);
    /// Writes what every listed socket has queued, now.
    void flush();
    /// Writes what every socket holding notifications has queued, now.
    void flushHeld();
    /// Sockets waiting for the next flush (for tests).
    qsizetype pendingCount() const;
    /// Sockets holding notifications (for tests).
    qsizetype heldCount() const;

    /// The shared read buffer, or nullptr while it is in use (a handler that runs a nested event loop):
    /// the caller then reads into its own. Give it back with releaseReadBuffer().
    char *takeReadBuffer();
    void releaseReadBuffer() { m_readBufferBusy = false; }

private:
    std::vector<FastWebSocket *> m_sockets;
    std::vector<FastWebSocket *> m_flushing;   ///< the list being flushed (kept to reuse its capacity)
    std::vector<FastWebSocket *> m_held;       ///< sockets holding notifications
    std::vector<FastWebSocket *> m_heldFlushing;
    QTimer *m_heldTimer = nullptr;             ///< created on first use
    std::chrono::milliseconds m_notificationDelay{0};
    std::unique_ptr<char[]> m_readBuffer;
    quint32 m_pass = 1;
    bool m_posted = false;
    bool m_readBufferBusy = false;
    bool m_busy = false;   ///< a flush found frames piled up and the loop has not slept since
    std::optional<std::chrono::steady_clock::time_point> m_waitStart;
    static constexpr std::chrono::microseconds kSleptAtLeast{50};
    const WritePolicy m_policy;
};

} // namespace Tertulia::FastPath
