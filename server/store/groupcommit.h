#pragma once

#include "server/store/store.h"
#include "server/store/storewriter.h"

#include <QtCore/QList>
#include <QtCore/QTimer>

#include <deque>
#include <functional>
#include <variant>

namespace Tertulia {

/// What one group commit writes, as values the writer thread can take: the memberships and notices of the
/// moment in the order they were asked for, then the appends.
struct WriteBatch
{
    struct Membership
    {
        qint64 roomId = 0;
        QString user;
        qint64 joinedAt = 0;   ///< milliseconds since the epoch, when addMember() was called
    };
    /// A membership, or a notice for the other nodes (Store::notify(): PostgreSQL sends it in the transaction).
    using Write = std::variant<Membership, QByteArray>;

    QList<Write> writes;
    QList<AppendRequest> appends;

    bool isEmpty() const { return writes.isEmpty() && appends.isEmpty(); }
};

/// What the writer answers for a batch: committed or not, and one result per append (in append order).
struct BatchAnswer
{
    bool committed = false;
    QList<StoreResult<AppendResult>> results;
};

/// The event loop's half of group commit, shared by both SQL stores. Appends, memberships and notices asked
/// for during a pass of the event loop wait here; at the end of the pass (a zero timer) they are handed to the
/// StoreWriter as one WriteBatch, which the store's `commit` writes in one transaction on the writer thread.
/// The answer comes back to the loop, where the appends' callbacks run in append order and then the
/// whenCommitted() waiters: always after the commit.
///
/// At most one batch is in flight: what is asked for while it commits gathers into the next batch, handed
/// over as soon as the answer is back. Under load a slow commit therefore makes the next batch bigger, not
/// the queue of transactions longer (the same batching the loop gave when it committed itself).
/// A write that must come after what is queued (a synchronous write, an amend) calls handOver() first: the
/// writer's FIFO keeps the order, even with two batches in flight then.
class GroupCommit
{
    Q_DISABLE_COPY_MOVE(GroupCommit)

public:
    /// Runs on the writer: writes the batch in one transaction.
    using Commit = std::function<BatchAnswer(const WriteBatch &)>;

    GroupCommit(StoreWriter &writer, int maxBatch, Commit commit);

    void append(const AppendRequest &request, Store::AppendCallback done);
    void addMember(qint64 roomId, const QString &user, qint64 joinedAt);
    void notice(const QByteArray &payload);

    /// The end of a pass: hands the batch to the writer unless one is in flight (then it follows that one).
    void handOverIfIdle();
    /// Hands everything queued to the writer now (batches of at most maxBatch appends), in flight or not.
    void handOver();
    /// handOver(), then waits for the writer to commit it and runs the callbacks before returning.
    void commitNow();

    /// Runs `job` on the writer after everything queued (handOver() first), then `done` with its answer on
    /// the loop, in order with the batches' callbacks. whenCommitted() waits for it as for a batch; its
    /// waiters then hear true (the job's own failure is `done`'s to tell).
    template<typename Result>
    void after(std::function<Result()> job, std::function<void(Result)> done)
    {
        handOver();
        m_inFlight.emplace_back();
        m_writer.post<Result>(std::move(job), [this, done = std::move(done)](Result result) {
            QList<std::function<void(bool)>> waiters = std::move(m_inFlight.front());
            m_inFlight.pop_front();
            done(std::move(result));
            for (const auto &waiter : std::as_const(waiters))
                waiter(true);
            next();
        });
    }

    /// Runs `done` once everything asked for so far is committed (true) or lost to a failed commit (false): at
    /// once when nothing waits.
    void whenCommitted(std::function<void(bool committed)> done);

    /// Transactions committed so far.
    quint64 commits() const { return m_commits; }

private:
    struct Pending
    {
        WriteBatch batch;
        QList<Store::AppendCallback> callbacks;
        QList<std::function<void(bool)>> waiters;
    };

    void schedule();
    void send(Pending pending);
    void answered(const Pending &pending, const BatchAnswer &answer);
    /// After an answer: the batch gathered meanwhile goes now.
    void next();

    StoreWriter &m_writer;
    int m_maxBatch;
    Commit m_commit;
    Pending m_pending;
    /// The waiters of each batch (or after() job) handed over and not answered yet, oldest first.
    std::deque<QList<std::function<void(bool)>>> m_inFlight;
    QTimer m_timer;
    quint64 m_commits = 0;
};

} // namespace Tertulia
