#include "server/store/groupcommit.h"

using namespace Qt::StringLiterals;

namespace Tertulia {

GroupCommit::GroupCommit(StoreWriter &writer, int maxBatch, Commit commit)
    : m_writer(writer), m_maxBatch(qMax(1, maxBatch)), m_commit(std::move(commit))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { handOverIfIdle(); });
}

void GroupCommit::append(const AppendRequest &request, Store::AppendCallback done)
{
    m_pending.batch.appends.append(request);
    m_pending.callbacks.append(std::move(done));
    if (m_pending.batch.appends.size() >= m_maxBatch)
        handOverIfIdle();
    else
        schedule();
}

void GroupCommit::addMember(qint64 roomId, const QString &user, qint64 joinedAt)
{
    m_pending.batch.writes.append(WriteBatch::Membership{roomId, user, joinedAt});
    schedule();
}

void GroupCommit::notice(const QByteArray &payload)
{
    m_pending.batch.writes.append(payload);
    schedule();
}

void GroupCommit::schedule()
{
    if (!m_timer.isActive())
        m_timer.start();
}

void GroupCommit::handOverIfIdle()
{
    if (m_inFlight.empty())
        handOver();
    // else next() hands it over when the answer is back
}

void GroupCommit::handOver()
{
    m_timer.stop();
    if (m_pending.batch.isEmpty()) {
        // Waiters with nothing of their own to wait for wait for the batch in flight (or hear now).
        if (!m_pending.waiters.isEmpty()) {
            auto waiters = std::exchange(m_pending.waiters, {});
            for (auto &waiter : waiters)
                whenCommitted(std::move(waiter));
        }
        return;
    }
    Pending all = std::exchange(m_pending, {});
    // Batches of at most m_maxBatch appends: the memberships and notices go with the first, the waiters with
    // the last.
    qsizetype from = 0;
    do {
        Pending part;
        const qsizetype count = qMin<qsizetype>(m_maxBatch, all.batch.appends.size() - from);
        part.batch.appends = all.batch.appends.mid(from, count);
        part.callbacks = all.callbacks.mid(from, count);
        if (from == 0)
            part.batch.writes = std::move(all.batch.writes);
        from += count;
        if (from >= all.batch.appends.size())
            part.waiters = std::move(all.waiters);
        send(std::move(part));
    } while (from < all.batch.appends.size());
}

void GroupCommit::send(Pending pending)
{
    m_inFlight.push_back(std::move(pending.waiters));
    WriteBatch batch = std::move(pending.batch);
    // The callbacks stay on the loop thread; only the batch's values travel.
    auto callbacks = std::make_shared<Pending>();
    callbacks->callbacks = std::move(pending.callbacks);
    m_writer.post<BatchAnswer>([commit = m_commit, batch = std::move(batch)] { return commit(batch); },
                               [this, callbacks](BatchAnswer answer) { answered(*callbacks, answer); });
}

void GroupCommit::answered(const Pending &pending, const BatchAnswer &answer)
{
    const QList<std::function<void(bool)>> waiters = std::move(m_inFlight.front());
    m_inFlight.pop_front();
    if (answer.committed)
        ++m_commits;
    const Protocol::Error lost{Protocol::ErrorCode::Internal, u"the message could not be stored; retry"_s};
    for (qsizetype i = 0; i < pending.callbacks.size(); ++i) {
        if (answer.committed && i < answer.results.size())
            pending.callbacks[i](answer.results[i]);
        else
            pending.callbacks[i](lost);
    }
    for (const auto &waiter : waiters)
        waiter(answer.committed);
    next();
}

void GroupCommit::next()
{
    if (m_inFlight.empty() && !m_pending.batch.isEmpty())
        handOver(); // what gathered while the batch committed goes now
}

void GroupCommit::commitNow()
{
    handOver();
    m_writer.call<bool>([] { return true; }); // the writer has run everything handed over
    m_writer.deliverAnswers();
}

void GroupCommit::whenCommitted(std::function<void(bool committed)> done)
{
    if (!m_pending.batch.isEmpty())
        m_pending.waiters.append(std::move(done));
    else if (!m_inFlight.empty())
        m_inFlight.back().append(std::move(done));
    else
        done(true);
}

} // namespace Tertulia
