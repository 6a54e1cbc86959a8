#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>

struct iovec;

namespace Tertulia::FastPath {

/// The frames a connection still has to write, oldest first, and how much of the oldest is written. The
/// first frame sits inline, so the common case (one frame waiting for the pass's flush) allocates nothing;
/// more frames go to a list that is released once empty (an idle connection holds no block).
class FrameQueue
{
public:
    bool isEmpty() const { return m_first.isNull(); }
    qsizetype frameCount() const { return isEmpty() ? 0 : 1 + m_rest.size(); }
    /// Bytes not yet written.
    qint64 bytes() const { return m_bytes; }

    /// Queues a frame (shared, not copied). `alreadyWritten` bytes of it went out already (only for the
    /// first frame of an empty queue).
    void append(const QByteArray &frame, qsizetype alreadyWritten = 0);
    /// Describes up to `max` frames for sendmsg(); returns how many, and their bytes in `total`.
    int fill(iovec *vectors, int max, qsizetype &total) const;
    /// Drops `written` bytes from the front.
    void consume(qsizetype written);
    void clear();

private:
    QByteArray m_first;
    QList<QByteArray> m_rest;
    qsizetype m_offset = 0;   ///< bytes of m_first already written
    qint64 m_bytes = 0;
};

} // namespace Tertulia::FastPath
