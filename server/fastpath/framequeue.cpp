#include "server/fastpath/framequeue.h"

#include <sys/uio.h>

namespace Tertulia::FastPath {

void FrameQueue::append(const QByteArray &frame, qsizetype alreadyWritten)
{
    Q_ASSERT(!frame.isEmpty());
    Q_ASSERT(alreadyWritten == 0 || isEmpty());
    if (isEmpty()) {
        m_first = frame;
        m_offset = alreadyWritten;
    } else {
        m_rest.append(frame);
    }
    m_bytes += frame.size() - alreadyWritten;
}

int FrameQueue::fill(iovec *vectors, int max, qsizetype &total) const
{
    total = 0;
    if (isEmpty() || max <= 0)
        return 0;
    vectors[0].iov_base = const_cast<char *>(m_first.constData() + m_offset);
    vectors[0].iov_len = size_t(m_first.size() - m_offset);
    total = m_first.size() - m_offset;
    int count = 1;
    for (qsizetype i = 0; i < m_rest.size() && count < max; ++i, ++count) {
        const QByteArray &frame = m_rest.at(i);
        vectors[count].iov_base = const_cast<char *>(frame.constData());
        vectors[count].iov_len = size_t(frame.size());
        total += frame.size();
    }
    return count;
}

void FrameQueue::consume(qsizetype written)
{
    m_bytes -= written;
    while (written > 0 && !isEmpty()) {
        const qsizetype rest = m_first.size() - m_offset;
        if (written < rest) {
            m_offset += written;
            return;
        }
        written -= rest;
        m_offset = 0;
        if (m_rest.isEmpty()) {
            m_first = QByteArray();
        } else {
            m_first = m_rest.takeFirst();
            if (m_rest.isEmpty())
                m_rest = QList<QByteArray>(); // release the block
        }
    }
}

void FrameQueue::clear() { *this = FrameQueue(); }

} // namespace Tertulia::FastPath
