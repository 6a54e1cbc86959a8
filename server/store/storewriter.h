#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QThread>

#include <functional>
#include <memory>
#include <optional>

namespace Tertulia {

/// Where a SQL store writes: a thread of its own (the store opens a connection of its own there), so that a
/// commit that waits (for the disk, for a lock another node holds, for a restarting server) never stalls the
/// event loop; or, in the loop mode, the calling thread itself (a SQLite database in memory, which a second
/// connection cannot see, and the benchmark's "before").
///
/// Jobs run one at a time in the order given, whether posted (the answer comes back later) or called (the
/// caller waits): one FIFO, so a write called after a batch was posted runs after that batch. The owner (a
/// store) lives on one thread, the one that calls start(); answers are handed on there.
///
/// QtSql allows a connection only on the thread that made it: the store opens, uses and closes its writer
/// connection only inside jobs (start()'s `open`, post(), call(), stop()'s `close`).
class StoreWriter
{
    Q_DISABLE_COPY_MOVE(StoreWriter)

public:
    /// `threaded` false: the loop mode, where every job runs at once on the caller's thread.
    StoreWriter(const QString &name, bool threaded);
    ~StoreWriter();

    bool isThreaded() const { return m_threaded; }
    bool isRunning() const { return m_running; }

    /// Starts the thread and runs `open` there (waits for it). False, and the thread stopped, when `open` is.
    bool start(const std::function<bool()> &open);
    /// Lets the jobs given run, runs `close` after them, ends the thread, and hands on the answers not handed
    /// on yet (their callbacks run now: nothing given is lost at close).
    void stop(const std::function<void()> &close);

    /// Runs `job` on the writer, then `done` with its result on the owner's thread, later, from the event loop
    /// (in the loop mode too, where `job` runs at once: callers see one behaviour). Answers are handed on in
    /// the order the jobs were given.
    template<typename Result>
    void post(std::function<Result()> job, std::function<void(Result)> done)
    {
        QObject *home = m_home.get();
        auto run = [this, job = std::move(job), done = std::move(done), home] {
            Result result = runMarked<Result>(job);
            QMetaObject::invokeMethod(
                home, [done, result = std::move(result)]() mutable { done(std::move(result)); }, Qt::QueuedConnection);
        };
        if (m_threaded)
            enqueue(std::move(run));
        else
            run(); // the loop mode writes now; the answer still comes from the event loop, as threaded
    }

    /// Runs `job` on the writer after every job given before it and waits for its result (the caller's
    /// thread is blocked meanwhile: that is the price of a synchronous write).
    template<typename Result>
    Result call(const std::function<Result()> &job)
    {
        if (!m_threaded || inJob())
            return job(); // on the writer already (a posted job calling the store): no waiting for itself
        std::optional<Result> result;
        callBlocking([&] { result.emplace(job()); });
        return std::move(*result);
    }

    /// Hands on, now, the answers of the jobs that have run (in order): what a flush() that must return
    /// with its callbacks run uses after call().
    void deliverAnswers();

    /// Whether the calling thread is running one of this writer's posted jobs right now: a store's
    /// synchronous methods called from such a job (Store::async()) run inline, on the writer's connection.
    bool inJob() const { return s_running == this; }

private:
    /// Runs `job` with inJob() true (the loop mode too, where it runs on the caller's thread).
    template<typename Result>
    Result runMarked(const std::function<Result()> &job)
    {
        const StoreWriter *outer = s_running;
        s_running = this;
        Result result = job();
        s_running = outer;
        return result;
    }
    /// The writer whose posted job this thread runs (null: none). Per thread: each writer has its own.
    static thread_local const StoreWriter *s_running;

    void enqueue(std::function<void()> job);
    void callBlocking(const std::function<void()> &job);

    bool m_threaded;
    bool m_running = false;
    QThread m_thread;
    std::unique_ptr<QObject> m_worker;   ///< lives on m_thread: jobs run as its queued calls
    std::unique_ptr<QObject> m_home;     ///< on the owner's thread: answers are handed on from here
};

} // namespace Tertulia
