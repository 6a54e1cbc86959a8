#include "server/store/storereader.h"

#include "server/logging.h"

#include <QtSql/QSqlDatabase>

using namespace Qt::StringLiterals;

namespace Tertulia {

namespace {
/// Lives on the reader thread with the connection it made there.
class ReaderWorker final : public QObject
{
public:
    QSqlDatabase db;
};
} // namespace

StoreReader::StoreReader(const QString &driver, const QString &connectionName, Open open)
    : m_driver(driver), m_connectionName(connectionName), m_open(std::move(open)), m_home(std::make_unique<QObject>())
{
    m_thread.setObjectName(u"tertulia-store-reader"_s);
}

StoreReader::~StoreReader() { stop(); }

bool StoreReader::start(QString *errorMessage)
{
    if (m_worker)
        return true;
    auto *worker = new ReaderWorker;
    worker->moveToThread(&m_thread);
    m_worker = worker;
    m_thread.start();
    bool opened = false;
    QMetaObject::invokeMethod(
        worker,
        [&] {
            worker->db = QSqlDatabase::addDatabase(m_driver, m_connectionName);
            opened = worker->db.isValid() && m_open(worker->db, errorMessage);
        },
        Qt::BlockingQueuedConnection);
    if (!opened) {
        stop();
        return false;
    }
    qCDebug(lcStore) << "reader" << m_connectionName << "started";
    return true;
}

void StoreReader::stop()
{
    if (!m_worker)
        return;
    auto *worker = static_cast<ReaderWorker *>(m_worker);
    // Queued behind the reads asked for: they run first.
    QMetaObject::invokeMethod(
        worker,
        [worker, name = m_connectionName] {
            worker->db.close();
            worker->db = QSqlDatabase();
            QSqlDatabase::removeDatabase(name);
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete worker; // its thread has ended
    m_worker = nullptr;
    // Deleting the home object drops the answers still queued on it.
    m_home = std::make_unique<QObject>();
}

void StoreReader::post(std::function<void(QSqlDatabase &)> job)
{
    Q_ASSERT(m_worker);
    auto *worker = static_cast<ReaderWorker *>(m_worker);
    QMetaObject::invokeMethod(worker, [worker, job = std::move(job)] { job(worker->db); }, Qt::QueuedConnection);
}

} // namespace Tertulia
