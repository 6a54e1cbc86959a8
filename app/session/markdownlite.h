#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

namespace Tertulia::MarkdownLite {

/// The small Markdown subset a chat message may use. Messages stay plain text on the wire
/// (docs/protocol.md); this is how the desktop app shows them, and server/web/app.js applies the same
/// rules on the guest page.
///
///   **bold**  __bold__  *italic*  _italic_  ***both***  ~~strike~~  `code`  ``code with ` inside``
///   ```                                 a fenced code block: its own lines, from a line that starts
///   code                                with ``` (anything after it on that line, a language, is
///   ```                                 dropped) to a line that is ``` alone.
///   https://example.org                 a bare http(s) address is a link
///   [text](https://example.org)         a link with its own text (http, https and mailto only)
///   \*                                  a backslash before a marker shows the marker itself
///
/// Everything else, raw HTML, images, headings, lists and tables included, shows literally: a marker
/// without its partner on the same line is just a character, and so is a link to any other scheme
/// (javascript:, data:, file:…). Emphasis does not span lines; `_` inside a word (snake_case) is a
/// letter, not a marker. The result is a plain text and spans over it, never HTML, so nothing a sender
/// writes can become markup.
///
/// Why not QTextDocument::setMarkdown: even with MarkdownNoHTML it renders images (a remote load or a
/// file path), headings, tables and lists, far beyond what a chat line should show, its output depends on
/// md4c's flags and version, and a QTextDocument per row is heavy for a timeline painted by a delegate
/// with QTextLayout. Nor a CommonMark library (cmark): it offers no switch for a subset, gives no
/// source positions for inline text (mentions and "show the rest literally" need them), and the guest
/// page needs the very same rules in JavaScript. This parser is a single left-to-right pass; every
/// partner is found through precomputed position lists walked forward only, so its time is linear in the
/// text (tst_markdownlite times a hostile 100 000-character input).

enum Style : unsigned {
    Plain = 0,
    Bold = 1u << 0,
    Italic = 1u << 1,
    Strike = 1u << 2,
    Code = 1u << 3,      ///< inline `code`
    CodeBlock = 1u << 4, ///< a fenced block's lines
};

/// A run of the displayed text with one style (and link); only styled runs are listed.
struct Span
{
    qsizetype start = 0;
    qsizetype length = 0;
    unsigned styles = Plain;
    QString url; ///< non-empty: the run is (part of) a link to this address
    friend bool operator==(const Span &, const Span &) = default;
};

/// A link in the displayed text: where its text is and where it goes.
struct Link
{
    qsizetype start = 0;
    qsizetype length = 0;
    QString url;
    /// Whether the shown text is the address itself (a bare URL): otherwise the address is shown on
    /// hover and a click asks before opening it, since the text could claim anything.
    bool bare = true;
    friend bool operator==(const Link &, const Link &) = default;
};

struct Rendered
{
    /// What is displayed (and what a screen reader reads): the source without its markers.
    QString text;
    QList<Span> spans; ///< in order, not overlapping
    QList<Link> links; ///< in order
    /// For each position of the source (and one past its end), the position in text it shows at (a
    /// marker maps to the character after it): mentions found in the source are drawn through this.
    QList<qsizetype> displayOf;
};

/// Longer sources are shown as plain text, unparsed: the parser is linear, but a bound keeps a row's
/// layout cheap whatever reaches the timeline.
constexpr qsizetype kMaxSource = 64 * 1024;

/// Parses source (see above). Never fails: anything it does not understand is text.
Rendered parse(const QString &source);

/// The displayed text only (screen readers, notifications, quotes).
QString plainText(const QString &source);

/// Whether url may be opened from a message: http, https or mailto, well formed.
bool isAllowedUrl(const QString &url);

} // namespace Tertulia::MarkdownLite
