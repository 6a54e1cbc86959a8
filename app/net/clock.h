#pragma once

#include <QtCore/QDateTime>

#include <chrono>
#include <functional>
#include <memory>

class QObject;

namespace Tertulia {

/// A single-shot timer handed out by a Clock. Destroying the handle stops it.
class ClockTimer
{
public:
    virtual ~ClockTimer() = default;
    /// (Re)starts the timer; the callback runs once, delay from now.
    virtual void start(std::chrono::milliseconds delay) = 0;
    virtual void stop() = 0;
    virtual bool isActive() const = 0;
};

/// Time as the client core sees it. Everything that waits (reconnect backoff, token refresh,
/// timeouts, typing expiry, RTT history) goes through a Clock so tests can drive time by hand
/// instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;

    /// Monotonic milliseconds; only differences mean anything.
    virtual qint64 elapsedMs() const = 0;
    /// Wall-clock time, for what users see ("next attempt at 12:03:05") and message day separators.
    virtual QDateTime currentDateTime() const = 0;
    /// A stopped single-shot timer. The callback runs in context's thread and never after context
    /// is destroyed.
    virtual std::unique_ptr<ClockTimer> createTimer(QObject *context, std::function<void()> callback) = 0;
};

/// The real clock: QElapsedTimer and QTimer.
class SystemClock final : public Clock
{
public:
    SystemClock();
    qint64 elapsedMs() const override;
    QDateTime currentDateTime() const override;
    std::unique_ptr<ClockTimer> createTimer(QObject *context, std::function<void()> callback) override;

    /// A process-wide instance for callers that do not inject one (the app); tests inject their own.
    static SystemClock &instance();

private:
    qint64 m_origin = 0;
};

} // namespace Tertulia
