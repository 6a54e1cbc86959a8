#pragma once

#include "app/hosting/qrcode.h"

#include <QtWidgets/QWidget>

#include <optional>

namespace Tertulia {

/// Paints a QR code (app/hosting/qrcode.h) with its four-module quiet zone, dark on white whatever
/// the palette (phone cameras need the contrast), scaled to whole device pixels per module so the
/// edges stay sharp at any DPI.
class QrCodeWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QrCodeWidget)

public:
    static constexpr int kQuietZone = 4;

    explicit QrCodeWidget(QWidget *parent = nullptr);

    /// Encodes text (UTF-8); an empty text or one too long for a QR code shows nothing.
    void setText(const QString &text);
    QString text() const { return m_text; }
    const std::optional<QrMatrix> &matrix() const { return m_matrix; }

    QSize sizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return width; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QString m_text;
    std::optional<QrMatrix> m_matrix;
};

} // namespace Tertulia
