#pragma once

#include "app/session/connectionhealth.h"

#include <QtWidgets/QWidget>

#include <chrono>
#include <functional>

namespace Tertulia {

/// The round-trip times of the last few minutes as a small line chart with its scale, the mean as a
/// dashed line, and "now" at the right edge. Any other series over time can use it too (the admin console's
/// activity charts): give it a name and how to write its values. Painted by hand with QPainter: a few dozen points do not
/// justify QtCharts (another module to ship) and this follows the palette exactly.
class RttChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RttChart)

public:
    explicit RttChart(QWidget *parent = nullptr);

    /// The samples to draw and the span of the time axis (ending at `now`, wall time).
    void setSamples(const QList<ConnectionHealth::RttSample> &samples, std::optional<double> mean,
                    std::chrono::milliseconds window, const QDateTime &now);
    QList<ConnectionHealth::RttSample> samples() const { return m_samples; }
    /// What the chart shows, for screen readers (default: round-trip times), and how its values are written
    /// (default: milliseconds). Both are asked for again on a change of language.
    void setSeries(std::function<QString()> name, std::function<QString(std::optional<double>)> format);

    /// The top of the value axis for this maximum: 1, 2 or 5 times a power of ten, at least 1 ms.
    static double niceCeiling(double value);
    /// How much time the axis shows: the first of 30 s, 1, 2, 5, 10, 15, 30, 60 min that covers the
    /// oldest sample, never more than the history window (a young connection's few samples would
    /// otherwise be squeezed into the right edge of a five-minute axis).
    static std::chrono::milliseconds axisSpan(std::chrono::milliseconds oldestAge, std::chrono::milliseconds window);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateDescription();

    QList<ConnectionHealth::RttSample> m_samples;
    std::optional<double> m_mean;
    std::chrono::milliseconds m_window{std::chrono::minutes(5)};
    QDateTime m_now;
    std::function<QString()> m_name;
    std::function<QString(std::optional<double>)> m_format;
};

} // namespace Tertulia
