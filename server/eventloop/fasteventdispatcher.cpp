#include "server/eventloop/fasteventdispatcher.h"

#include "server/eventloop/eventlooplogging.h"

#include <QtCore/QAbstractEventDispatcher>
#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#ifdef TERTULIA_HAVE_EPOLL_DISPATCHER
#  include "server/eventloop/epolleventdispatcher.h"
#endif

namespace Tertulia {

std::unique_ptr<QAbstractEventDispatcher> createFastEventDispatcher()
{
#ifdef TERTULIA_HAVE_EPOLL_DISPATCHER
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (dispatcher->isValid())
        return dispatcher;
#endif
    return nullptr;
}

bool installFastEventDispatcher(QThread &thread)
{
    if (thread.isRunning() || thread.eventDispatcher()) {
        qCWarning(lcEventLoop) << "a fast event dispatcher must be installed before the thread starts";
        return false;
    }
    std::unique_ptr<QAbstractEventDispatcher> dispatcher = createFastEventDispatcher();
    if (!dispatcher)
        return false;
    thread.setEventDispatcher(dispatcher.release());
    return true;
}

bool installFastEventDispatcherForApplication()
{
    if (QCoreApplication::instance()) {
        qCWarning(lcEventLoop) << "a fast event dispatcher must be installed before the application object exists";
        return false;
    }
    std::unique_ptr<QAbstractEventDispatcher> dispatcher = createFastEventDispatcher();
    if (!dispatcher)
        return false;
    QCoreApplication::setEventDispatcher(dispatcher.release());
    return true;
}

} // namespace Tertulia
