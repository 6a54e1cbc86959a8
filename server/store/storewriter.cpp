#include "server/store/storewriter.h"

#include "server/logging.h"

#include <QtCore/QCoreApplication>

namespace Tertulia {

thread_local const StoreWriter *StoreWriter::s_running = nullptr;

StoreWriter::StoreWriter(const QString &name, bool threaded)
    : m_threaded(threaded), m_home(std::make_unique<QObject>())
{
    m_thread.setObjectName(name);
}

StoreWriter::~StoreWriter()
{
    if (m_running)
        stop([] {});
}

bool StoreWriter::start(const std::function<bool()> &open)
{
    if (!m_threaded) {
        m_running = open();
        return m_running;
    }
    m_worker = std::make_unique<QObject>();
    m_worker->moveToThread(&m_thread);
    m_thread.start();
    m_running = true;
    bool opened = false;
    callBlocking([&] { opened = open(); });
    if (!opened) {
        m_thread.quit();
        m_thread.wait();
        m_worker.reset(); // its thread has ended
        m_running = false;
        return false;
    }
    qCDebug(lcStore) << "writer" << m_thread.objectName() << "started";
    return true;
}

void StoreWriter::stop(const std::function<void()> &close)
{
    if (!m_running)
        return;
    if (!m_threaded) {
        close();
        m_running = false;
        deliverAnswers();
        return;
    }
    callBlocking(close); // queued behind the jobs given: they run first
    m_thread.quit();
    m_thread.wait();
    m_worker.reset(); // its thread has ended
    m_running = false;
    deliverAnswers();
}

void StoreWriter::deliverAnswers()
{
    QCoreApplication::sendPostedEvents(m_home.get(), QEvent::MetaCall);
}

void StoreWriter::enqueue(std::function<void()> job)
{
    Q_ASSERT(m_running);
    QMetaObject::invokeMethod(m_worker.get(), std::move(job), Qt::QueuedConnection);
}

void StoreWriter::callBlocking(const std::function<void()> &job)
{
    Q_ASSERT(m_running);
    QMetaObject::invokeMethod(m_worker.get(), [&job] { job(); }, Qt::BlockingQueuedConnection);
}

} // namespace Tertulia
