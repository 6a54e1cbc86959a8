#include "server/store/sharedtransaction.h"

#include "server/logging.h"

#include <QtCore/QObject>
#include <QtSql/QSqlDatabase>
#include <QtSql/QSqlError>

namespace Tertulia {

bool SharedTransaction::begin(QSqlDatabase &db)
{
    if (m_open)
        return true;
    if (!db.transaction()) {
        qCWarning(lcStore) << "cannot begin a transaction:" << db.lastError().text();
        return false;
    }
    m_open = true;
    return true;
}

bool SharedTransaction::commit(QSqlDatabase &db, bool settleNow)
{
    if (!m_open)
        return false;
    m_open = false;
    const bool committed = db.commit();
    if (!committed) {
        qCWarning(lcStore) << "commit failed:" << db.lastError().text();
        db.rollback();
    }
    settle(committed, settleNow);
    return committed;
}

void SharedTransaction::whenCommitted(std::function<void(bool committed)> done)
{
    if (!m_open) {
        done(true);
        return;
    }
    m_waiters.append(std::move(done));
}

void SharedTransaction::settle(bool committed, bool now)
{
    if (m_waiters.isEmpty())
        return;
    QList<std::function<void(bool)>> waiters = std::exchange(m_waiters, {});
    if (now) {
        for (const auto &waiter : std::as_const(waiters))
            waiter(committed);
        return;
    }
    // From the loop: the write that committed is in the middle of its caller's work.
    QMetaObject::invokeMethod(
        &m_context,
        [waiters = std::move(waiters), committed] {
            for (const auto &waiter : waiters)
                waiter(committed);
        },
        Qt::QueuedConnection);
}

} // namespace Tertulia
