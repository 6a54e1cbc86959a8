#pragma once

#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QThread>

#include <functional>
#include <memory>

class QSqlDatabase;

namespace Tertulia {

/// A database connection of its own on a thread of its own, for the reads that may take long (history pages,
/// the cluster's catch-up): the event loop hands a read over and goes on delivering; the answer comes back to
/// the loop later. SQLite in WAL mode lets this reader read beside the store's writer connection; PostgreSQL
/// gets a second connection. Reads run one at a time, in the order asked, and their answers come back in that
/// order.
///
/// QtSql allows a connection only on the thread that made it: the connection is added, opened, used, closed
/// and removed on the reader thread alone (start() and stop() wait for it there). The owner (a store) and
/// every `context` live on one thread, the one that calls start().
class StoreReader
{
    Q_DISABLE_COPY_MOVE(StoreReader)

public:
    /// Configures and opens the connection (called on the reader thread; the connection is made with the
    /// driver and name given). False with `errorMessage` when it cannot be opened.
    using Open = std::function<bool(QSqlDatabase &db, QString *errorMessage)>;

    /// `connectionName` must be unique in the process (QSqlDatabase connections are named process-wide).
    StoreReader(const QString &driver, const QString &connectionName, Open open);
    ~StoreReader();

    /// Starts the thread and opens the connection on it. False with `errorMessage` when it cannot be opened.
    bool start(QString *errorMessage);
    /// Lets the reads asked for run, closes and removes the connection on the reader thread, and ends the
    /// thread. Answers not handed on yet are dropped: nobody asks a closed store.
    void stop();
    bool isRunning() const { return m_worker != nullptr; }

    /// Runs `read` on the reader thread, then `done` with its result on `context`'s thread (the owner's),
    /// always later than this call; never once `context` is gone.
    template<typename Result>
    void run(std::function<Result(QSqlDatabase &)> read, QObject *context, std::function<void(const Result &)> done)
    {
        Q_ASSERT(context && context->thread() == m_home->thread());
        // Only the home thread looks at `target`: the object it guards lives and dies there.
        post([read = std::move(read), target = QPointer<QObject>(context), done = std::move(done),
              home = m_home.get()](QSqlDatabase &db) {
            Result result = read(db);
            QMetaObject::invokeMethod(
                home,
                [target, done, result = std::move(result)] {
                    if (target)
                        done(result);
                },
                Qt::QueuedConnection);
        });
    }

private:
    void post(std::function<void(QSqlDatabase &)> job);

    QString m_driver;
    QString m_connectionName;
    Open m_open;
    QThread m_thread;
    QObject *m_worker = nullptr;       ///< lives on m_thread, holds the connection
    std::unique_ptr<QObject> m_home;   ///< on the owner's thread: answers are handed on from here
};

} // namespace Tertulia
