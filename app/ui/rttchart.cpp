#include "app/ui/rttchart.h"

#include "app/ui/appearance.h"
#include "app/ui/uitext.h"

#include <QtCore/QEvent>
#include <QtCore/QLocale>
#include <QtGui/QPainter>
#include <QtGui/QPainterPath>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Tertulia {

RttChart::RttChart(QWidget *parent)
    : QWidget(parent), m_name([] { return tr("Round-trip time chart"); }), m_format(&UiText::milliseconds)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent);
    updateDescription();
}

QSize RttChart::sizeHint() const { return {320, fontMetrics().height() * 8}; }
QSize RttChart::minimumSizeHint() const { return {200, fontMetrics().height() * 6}; }

void RttChart::setSamples(const QList<ConnectionHealth::RttSample> &samples, std::optional<double> mean,
                          std::chrono::milliseconds window, const QDateTime &now)
{
    m_samples = samples;
    m_mean = mean;
    m_window = window;
    m_now = now;
    updateDescription();
    update();
}

double RttChart::niceCeiling(double value)
{
    if (!(value > 1.0))
        return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * magnitude)
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

std::chrono::milliseconds RttChart::axisSpan(std::chrono::milliseconds oldestAge, std::chrono::milliseconds window)
{
    using namespace std::chrono_literals;
    for (const std::chrono::milliseconds step : {30000ms, 60000ms, 120000ms, 300000ms, 600000ms, 900000ms, 1800000ms,
                                                 3600000ms}) {
        if (step >= window)
            return window;
        if (oldestAge <= step)
            return step;
    }
    return window;
}

void RttChart::setSeries(std::function<QString()> name, std::function<QString(std::optional<double>)> format)
{
    m_name = std::move(name);
    m_format = std::move(format);
    updateDescription();
    update();
}

void RttChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        updateDescription();
    QWidget::changeEvent(event);
}

void RttChart::updateDescription()
{
    setAccessibleName(m_name());
    if (m_samples.isEmpty()) {
        setAccessibleDescription(tr("No measurements yet."));
        return;
    }
    setAccessibleDescription(tr("Last %2 minutes: measurements: %1, latest %3, mean %4.")
                                 .arg(m_samples.size())
                                 .arg(std::chrono::duration_cast<std::chrono::minutes>(m_window).count())
                                 .arg(m_format(m_samples.last().rttMs), m_format(m_mean)));
}

void RttChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Base));
    const QColor muted = Appearance::muted(pal);
    const QColor grid = Appearance::muted(pal, 0.85);
    const QColor line = pal.color(QPalette::Highlight);

    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.8);
    painter.setFont(small);
    const QFontMetrics metrics(small);

    double maximum = 0;
    for (const auto &sample : std::as_const(m_samples))
        maximum = std::max(maximum, sample.rttMs);
    const double top = niceCeiling(maximum * 1.1);
    // The widest of the scale's three labels (the half-way one may be the widest: "2.5" beside "5").
    int labelWidth = 0;
    for (int i = 0; i <= 2; ++i)
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(m_format(top * i / 2.0)));
    const int left = labelWidth + 8;
    const QRectF plot(left, metrics.height() / 2.0 + 2, width() - left - 8, height() - metrics.height() * 2 - 6);

    // Grid: zero, half and top of the scale.
    for (int i = 0; i <= 2; ++i) {
        const double value = top * i / 2.0;
        const double y = plot.bottom() - plot.height() * i / 2.0;
        painter.setPen(QPen(grid, 1));
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        painter.setPen(muted);
        painter.drawText(QRectF(0, y - metrics.height() / 2.0, left - 5, metrics.height()),
                         Qt::AlignRight | Qt::AlignVCenter, m_format(value));
    }
    const std::chrono::milliseconds oldestAge(m_samples.isEmpty() ? 0 : m_samples.first().at.msecsTo(m_now));
    const std::chrono::milliseconds shown = axisSpan(oldestAge, m_window);
    painter.setPen(muted);
    const QRectF axis(plot.left(), plot.bottom() + 3, plot.width(), metrics.height());
    painter.drawText(axis, Qt::AlignLeft | Qt::AlignTop,
                     shown < std::chrono::minutes(1)
                         ? tr("%1 s ago").arg(std::chrono::duration_cast<std::chrono::seconds>(shown).count())
                         : tr("%1 min ago").arg(std::chrono::duration_cast<std::chrono::minutes>(shown).count()));
    painter.drawText(axis, Qt::AlignRight | Qt::AlignTop, tr("now"));

    if (m_samples.isEmpty()) {
        painter.drawText(plot, Qt::AlignCenter, tr("No measurements yet"));
        return;
    }

    const double span = double(shown.count());
    const auto pointFor = [&](const ConnectionHealth::RttSample &sample) {
        const double age = std::clamp(double(sample.at.msecsTo(m_now)), 0.0, span);
        return QPointF(plot.right() - plot.width() * age / span, plot.bottom() - plot.height() * sample.rttMs / top);
    };

    if (m_mean) {
        const double y = plot.bottom() - plot.height() * *m_mean / top;
        painter.setPen(QPen(muted, 1, Qt::DashLine));
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    }

    QPainterPath path;
    path.moveTo(pointFor(m_samples.first()));
    for (qsizetype i = 1; i < m_samples.size(); ++i)
        path.lineTo(pointFor(m_samples.at(i)));
    painter.setPen(QPen(line, 1.6));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(path);
    painter.setBrush(line);
    painter.setPen(Qt::NoPen);
    const qreal radius = m_samples.size() > 60 ? 1.2 : 2.2;
    for (const auto &sample : std::as_const(m_samples))
        painter.drawEllipse(pointFor(sample), radius, radius);
}

} // namespace Tertulia
