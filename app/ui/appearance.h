#pragma once

#include "app/ui/preferences.h"

#include <QtGui/QPalette>

namespace Tertulia {

/// Applies the appearance preference: the platform's own style and palette (System, Light), or
/// Fusion with a dark palette. Delegates and custom widgets draw with palette roles only, so they
/// follow whatever is applied here (and a dark desktop palette, too).
class Appearance
{
public:
    Appearance();

    void apply(Preferences::Theme theme);

    static QPalette darkPalette();
    /// Whether a palette is dark (Qt 6.4 has no QStyleHints::colorScheme()).
    static bool isDark(const QPalette &palette);
    /// A colour between two others (amount 0: a, 1: b), for tints that work on light and dark.
    static QColor mix(const QColor &a, const QColor &b, double amount);
    /// Text colour faded towards the background: secondary text (times, hints, rooms not joined).
    static QColor muted(const QPalette &palette, double amount = 0.45, bool selected = false);
    /// The colour mentions of you stand out in (the room list's mention badge, the timeline's
    /// highlight): warm, apart from the palette's highlight (often blue) that unread badges use.
    static QColor mention(const QPalette &palette);
    /// The palette with its window colour tinted (banners and notices: red, amber, blue on any theme).
    static QPalette tinted(QPalette palette, const QColor &tint, double amount = 0.2);

private:
    QString m_originalStyle;
    QPalette m_originalPalette;
};

} // namespace Tertulia
