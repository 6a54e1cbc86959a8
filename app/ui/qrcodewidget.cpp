#include "app/ui/qrcodewidget.h"

#include <QtGui/QPainter>

#include <cmath>

namespace Tertulia {

QrCodeWidget::QrCodeWidget(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setMinimumSize(120, 120);
}

void QrCodeWidget::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_matrix = text.isEmpty() ? std::nullopt : encodeQr(text.toUtf8());
    setAccessibleName(tr("QR code"));
    setAccessibleDescription(m_matrix ? tr("A QR code of %1").arg(text) : QString());
    setToolTip(text);
    updateGeometry();
    update();
}

QSize QrCodeWidget::sizeHint() const { return {200, 200}; }

void QrCodeWidget::paintEvent(QPaintEvent *)
{
    if (!m_matrix)
        return;
    QPainter painter(this);
    const int modules = m_matrix->size + 2 * kQuietZone;
    const qreal ratio = devicePixelRatioF();
    const int side = std::min(width(), height());
    // Whole device pixels per module: fractional modules blur into grey seams that scanners dislike.
    const qreal module = std::max(1.0, std::floor(side * ratio / modules)) / ratio;
    const qreal drawn = module * modules;
    const QPointF origin((width() - drawn) / 2.0, (height() - drawn) / 2.0);
    painter.fillRect(QRectF(origin, QSizeF(drawn, drawn)), Qt::white);
    for (int y = 0; y < m_matrix->size; ++y) {
        for (int x = 0; x < m_matrix->size; ++x) {
            if (m_matrix->at(x, y))
                painter.fillRect(QRectF(origin.x() + (x + kQuietZone) * module, origin.y() + (y + kQuietZone) * module,
                                        module, module),
                                 Qt::black);
        }
    }
}

} // namespace Tertulia
