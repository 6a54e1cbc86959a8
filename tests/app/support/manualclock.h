#pragma once

#include "app/net/clock.h"

#include <QtCore/QList>
#include <QtCore/QTimeZone>

#include <optional>

namespace Tertulia::Testing {

class ManualTimer;

/// A Clock that only moves when the test says so. advance() fires every timer that falls due, in
/// deadline order (start order on ties), at its exact deadline, so a state machine sees precisely
/// the times it asked for.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(const QDateTime &wallStart = QDateTime(QDate(2025, 3, 14), QTime(9, 30), QTimeZone::utc()));
    ~ManualClock() override;

    qint64 elapsedMs() const override { return m_now; }
    QDateTime currentDateTime() const override { return m_wallStart.addMSecs(m_now); }
    std::unique_ptr<ClockTimer> createTimer(QObject *context, std::function<void()> callback) override;

    /// Moves time forward, firing due timers on the way.
    void advance(std::chrono::milliseconds delta);
    /// Milliseconds until the earliest active timer, if any.
    std::optional<qint64> nextTimeout() const;
    /// Advances exactly to the earliest active timer and fires it; false when none is active.
    bool fireNext();
    int activeTimerCount() const;

private:
    friend class ManualTimer;
    ManualTimer *dueTimer(qint64 limit) const;

    QDateTime m_wallStart;
    qint64 m_now = 0;
    quint64 m_startCounter = 0;
    QList<ManualTimer *> m_timers;
};

} // namespace Tertulia::Testing
