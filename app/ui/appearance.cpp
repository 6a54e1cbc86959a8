#include "app/ui/appearance.h"

#include <QtWidgets/QApplication>
#include <QtWidgets/QStyle>
#include <QtWidgets/QStyleFactory>

using namespace Qt::StringLiterals;

namespace Tertulia {

Appearance::Appearance()
    : m_originalStyle(QApplication::style() ? QApplication::style()->name() : QString())
    , m_originalPalette(QApplication::palette())
{
}

void Appearance::apply(Preferences::Theme theme)
{
    if (theme == Preferences::Theme::Dark) {
        // Fusion draws every control from the palette; native styles may ignore parts of it.
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(darkPalette());
        return;
    }
    if (!m_originalStyle.isEmpty() && QApplication::style()->name() != m_originalStyle)
        QApplication::setStyle(QStyleFactory::create(m_originalStyle));
    QApplication::setPalette(theme == Preferences::Theme::Light && isDark(m_originalPalette)
                                 ? QApplication::style()->standardPalette()
                                 : m_originalPalette);
}

QPalette Appearance::darkPalette()
{
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1f, 0x20, 0x24);
    const QColor text(0xe4, 0xe6, 0xea);
    const QColor disabled(0x7c, 0x80, 0x87);
    QPalette p;
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2e));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3d, 0x43));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x8b, 0x8f, 0x96));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x36, 0x39, 0x3f));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x54));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x43, 0x49));
    p.setColor(QPalette::Mid, QColor(0x33, 0x35, 0x3a));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1c));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0e));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x7d, 0xc9));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb6, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb3, 0x9d, 0xff));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText, QPalette::HighlightedText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x48, 0x4e));
    return p;
}

bool Appearance::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor Appearance::mix(const QColor &a, const QColor &b, double amount)
{
    const auto blend = [amount](float x, float y) { return x + (y - x) * float(amount); };
    return QColor::fromRgbF(blend(a.redF(), b.redF()), blend(a.greenF(), b.greenF()), blend(a.blueF(), b.blueF()),
                            blend(a.alphaF(), b.alphaF()));
}

QColor Appearance::muted(const QPalette &palette, double amount, bool selected)
{
    return mix(palette.color(selected ? QPalette::HighlightedText : QPalette::Text),
               palette.color(selected ? QPalette::Highlight : QPalette::Base), amount);
}

QColor Appearance::mention(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0xa0, 0x3c) : QColor(0xd9, 0x4f, 0x00);
}

QPalette Appearance::tinted(QPalette palette, const QColor &tint, double amount)
{
    palette.setColor(QPalette::Window, mix(palette.color(QPalette::Window), tint, amount));
    return palette;
}

} // namespace Tertulia
