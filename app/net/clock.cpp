#include "app/net/clock.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

namespace Tertulia {

namespace {
class SystemClockTimer final : public ClockTimer
{
public:
    SystemClockTimer(QObject *context, std::function<void()> callback)
        : m_timer(new QTimer(context))
    {
        m_timer->setSingleShot(true);
        // Precise: backoff delays and deadlines are short and shown to the user in seconds.
        m_timer->setTimerType(Qt::PreciseTimer);
        QObject::connect(m_timer, &QTimer::timeout, m_timer, std::move(callback));
    }
    ~SystemClockTimer() override { delete m_timer.data(); }
    void start(std::chrono::milliseconds delay) override
    {
        if (m_timer)
            m_timer->start(delay);
    }
    void stop() override
    {
        if (m_timer)
            m_timer->stop();
    }
    bool isActive() const override { return m_timer && m_timer->isActive(); }

private:
    // The QTimer is a child of the context so it dies with it; the handle may outlive both.
    QPointer<QTimer> m_timer;
};
} // namespace

SystemClock::SystemClock() : m_origin(QDeadlineTimer::current().deadline()) { }

qint64 SystemClock::elapsedMs() const { return QDeadlineTimer::current().deadline() - m_origin; }

QDateTime SystemClock::currentDateTime() const { return QDateTime::currentDateTime(); }

std::unique_ptr<ClockTimer> SystemClock::createTimer(QObject *context, std::function<void()> callback)
{
    return std::make_unique<SystemClockTimer>(context, std::move(callback));
}

SystemClock &SystemClock::instance()
{
    static SystemClock clock;
    return clock;
}

} // namespace Tertulia
