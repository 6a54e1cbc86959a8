#pragma once

#include <QtCore/QList>

#include <functional>

class QObject;
class QSqlDatabase;

namespace Tertulia {

/// The transaction that small writes acknowledged late (memberships) share until the store's next flush,
/// and the callbacks waiting for it to commit. Both SQL stores use it: a connect storm made one commit per
/// join (~6 lock calls and 2-3 writes each) before memberships were grouped.
class SharedTransaction
{
public:
    /// `context` receives the queued callbacks when a commit happens in the middle of someone's work.
    explicit SharedTransaction(QObject &context) : m_context(context) { }

    /// Opens the shared transaction unless it is open. False when the database refuses.
    bool begin(QSqlDatabase &db);
    bool isOpen() const { return m_open; }
    /// A batch transaction takes the open one over (its commit is theirs): true when there was one.
    bool takeOver() { return std::exchange(m_open, false); }
    /// Commits the shared transaction if it is open (rolls back on failure) and settles the waiters; true
    /// when something was committed.
    bool commit(QSqlDatabase &db, bool settleNow);
    /// Runs `done` once what is written so far is committed: at once when nothing is open.
    void whenCommitted(std::function<void(bool committed)> done);
    /// Hands a commit's result to the waiters, now or from the event loop.
    void settle(bool committed, bool now);

private:
    QObject &m_context;
    bool m_open = false;
    QList<std::function<void(bool)>> m_waiters;
};

} // namespace Tertulia
