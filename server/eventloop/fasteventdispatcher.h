#pragma once

#include <memory>

class QAbstractEventDispatcher;
class QThread;

namespace Tertulia {

/// The fastest event dispatcher this platform has for a thread that serves many sockets: the epoll dispatcher
/// (EpollEventDispatcher) on Linux, nullptr elsewhere or when the kernel refuses its descriptors (keep Qt's
/// default then). Qt takes ownership of an installed dispatcher and deletes it with the thread.
///
/// A dispatcher must be installed before its thread processes its first event:
/// - a worker thread: `thread.setEventDispatcher(dispatcher.release())` before `thread.start()`
///   (or installFastEventDispatcher(thread));
/// - the main thread: `QCoreApplication::setEventDispatcher(dispatcher.release())` before the application
///   object is constructed (or installFastEventDispatcherForApplication()).
std::unique_ptr<QAbstractEventDispatcher> createFastEventDispatcher();

/// Installs createFastEventDispatcher() on `thread`, which must not be running yet. Returns false, leaving Qt's
/// default in place, when there is no fast dispatcher or the thread already has a dispatcher.
bool installFastEventDispatcher(QThread &thread);

/// Installs createFastEventDispatcher() for the main thread. Call it before constructing QCoreApplication (or
/// QGuiApplication/QApplication); returns false, leaving Qt's default in place, when it cannot.
bool installFastEventDispatcherForApplication();

} // namespace Tertulia
