#include "app/session/markdownlite.h"

#include <QtCore/QHash>
#include <QtCore/QUrl>

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace Tertulia::MarkdownLite {

namespace {

constexpr qsizetype kMaxUrl = 2048;

bool isDelimiter(QChar c) { return c == u'*' || c == u'_' || c == u'~' || c == u'`'; }
bool isEscapable(QChar c) { return isDelimiter(c) || c == u'\\' || c == u'[' || c == u']' || c == u'(' || c == u')'; }
bool isWordChar(QChar c) { return c.isLetterOrNumber(); }

/// Sorted positions of one kind of candidate (a closing run, a ']') with a cursor that only moves forward:
/// the scan asks for "the first one at or after p" with p never decreasing, so all asks together cost one
/// walk of the list. That is what keeps the parser linear on "* * * * …" or "[[[[[…".
struct Candidates
{
    std::vector<qsizetype> positions;
    std::size_t next = 0;

    qsizetype firstFrom(qsizetype from)
    {
        while (next < positions.size() && positions[next] < from)
            ++next;
        return next < positions.size() ? positions[next] : -1;
    }
};

struct Context
{
    qsizetype close = 0;    ///< where the closing marker starts
    qsizetype closeLen = 0; ///< how many source characters the closing marker takes
    unsigned styles = Plain;
    bool link = false; ///< a link's text (its close is the "](address)")
    QString url;       ///< the link this context is in, if any
    qsizetype linkStart = 0; ///< display position of the link's text
};

class Parser
{
public:
    explicit Parser(const QString &source) : m_src(source)
    {
        m_out.displayOf.fill(-1, source.size() + 1);
        m_out.text.reserve(source.size());
    }

    Rendered run()
    {
        if (m_src.size() > kMaxSource) {
            for (qsizetype i = 0; i < m_src.size(); ++i)
                emitChar(i, Plain, {});
        } else {
            indexCandidates();
            blocks();
        }
        // Markers show nowhere: they map to the character after them.
        m_out.displayOf[m_src.size()] = m_out.text.size();
        for (qsizetype i = m_src.size() - 1; i >= 0; --i) {
            if (m_out.displayOf[i] < 0)
                m_out.displayOf[i] = m_out.displayOf[i + 1];
        }
        return std::move(m_out);
    }

private:
    static int key(QChar c, qsizetype length) { return int(c.unicode()) * 8 + int(std::min<qsizetype>(length, 7)); }

    void indexCandidates()
    {
        const qsizetype n = m_src.size();
        for (qsizetype i = 0; i < n;) {
            const QChar c = m_src.at(i);
            if (c == u']') {
                m_brackets.positions.push_back(i);
                ++i;
                continue;
            }
            if (!isDelimiter(c)) {
                ++i;
                continue;
            }
            qsizetype k = 1;
            while (i + k < n && m_src.at(i + k) == c)
                ++k;
            // A closing run follows text (not a space); `_` also must not run on into a word (snake_case).
            bool closer = c == u'`' || (i > 0 && !m_src.at(i - 1).isSpace());
            if (c == u'_' && i + k < n && isWordChar(m_src.at(i + k)))
                closer = false;
            if (closer && k <= 7)
                m_runs[key(c, k)].positions.push_back(i);
            i += k;
        }
    }

    /// Fenced code blocks first (whole lines), inline formatting for the text between them.
    void blocks()
    {
        const qsizetype n = m_src.size();
        // Closing fence lines: "```" alone (trailing spaces allowed).
        Candidates closers;
        for (qsizetype start = 0; start < n;) {
            qsizetype end = m_src.indexOf(u'\n', start);
            if (end < 0)
                end = n;
            if (start > 0 && QStringView(m_src).sliced(start, end - start).trimmed() == u"```")
                closers.positions.push_back(start);
            start = end + 1;
        }
        qsizetype textFrom = 0;
        for (qsizetype start = 0; start < n;) {
            qsizetype end = m_src.indexOf(u'\n', start);
            if (end < 0)
                end = n;
            const QStringView line = QStringView(m_src).sliced(start, end - start);
            // An opening fence: ``` and perhaps a language (no backtick: "```x```" is inline code).
            if (end < n && line.startsWith(u"```") && !line.sliced(3).contains(u'`')) {
                const qsizetype close = closers.firstFrom(end + 1);
                if (close >= 0) {
                    inlineRange(textFrom, start);
                    qsizetype closeEnd = m_src.indexOf(u'\n', close);
                    if (closeEnd < 0)
                        closeEnd = n;
                    // Content: from after the opening line to before the newline that ends it.
                    for (qsizetype i = end + 1; i < close - 1; ++i)
                        emitChar(i, CodeBlock, {});
                    textFrom = closeEnd;
                    start = closeEnd + 1;
                    continue;
                }
                // No closing fence after this one: none after any later one either; the rest is text.
            }
            start = end + 1;
        }
        inlineRange(textFrom, n);
    }

    void inlineRange(qsizetype begin, qsizetype end)
    {
        std::vector<Context> stack;
        qsizetype lineEnd = -1;
        qsizetype i = begin;
        while (i < end) {
            if (i > lineEnd) {
                lineEnd = m_src.indexOf(u'\n', i);
                if (lineEnd < 0 || lineEnd > end)
                    lineEnd = end;
            }
            if (!stack.empty() && i == stack.back().close) {
                const Context context = stack.back();
                stack.pop_back();
                if (context.link)
                    m_out.links.append(Link{context.linkStart, m_out.text.size() - context.linkStart, context.url,
                                            QStringView(m_out.text).sliced(context.linkStart) == context.url});
                i += context.closeLen;
                continue;
            }
            const qsizetype limit = stack.empty() ? lineEnd : std::min(stack.back().close, lineEnd);
            const unsigned styles = stack.empty() ? Plain : stack.back().styles;
            const QString url = stack.empty() ? QString() : stack.back().url;
            const bool inLink = !url.isEmpty();
            const QChar c = m_src.at(i);

            if (c == u'\\' && i + 1 < limit && isEscapable(m_src.at(i + 1))) {
                emitChar(i + 1, styles, url);
                i += 2;
                continue;
            }
            if (isDelimiter(c)) {
                qsizetype k = 1;
                while (i + k < limit && m_src.at(i + k) == c)
                    ++k;
                if (const qsizetype skipTo = delimiter(i, k, limit, styles, url, stack); skipTo > i) {
                    i = skipTo;
                    continue;
                }
                for (qsizetype j = 0; j < k; ++j)
                    emitChar(i + j, styles, url);
                i += k;
                continue;
            }
            if (c == u'[' && !inLink) {
                if (const qsizetype close = m_brackets.firstFrom(i + 2); close >= 0 && close < limit) {
                    if (const QString target = destination(close); !target.isEmpty()) {
                        Context context;
                        context.close = close;
                        context.closeLen = m_destinationEnd.value(close) - close;
                        context.styles = styles;
                        context.link = true;
                        context.url = target;
                        context.linkStart = m_out.text.size();
                        stack.push_back(context);
                        ++i;
                        continue;
                    }
                }
            }
            if ((c == u'h' || c == u'H') && !inLink && (i == 0 || !isWordChar(m_src.at(i - 1)))) {
                if (const qsizetype urlEnd = bareUrlEnd(i, limit); urlEnd > i) {
                    const QString target = m_src.mid(i, urlEnd - i);
                    const qsizetype start = m_out.text.size();
                    for (qsizetype j = i; j < urlEnd; ++j)
                        emitChar(j, styles, target);
                    m_out.links.append(Link{start, urlEnd - i, target, true});
                    i = urlEnd;
                    continue;
                }
            }
            emitChar(i, styles, url);
            ++i;
        }
    }

    /// A run of k delimiters at i: a code span (emitted here) or an opening marker (pushed); returns where
    /// the scan goes on, or i when the run is only text.
    qsizetype delimiter(qsizetype i, qsizetype k, qsizetype limit, unsigned styles, const QString &url,
                        std::vector<Context> &stack)
    {
        const QChar c = m_src.at(i);
        if (c == u'`') {
            const qsizetype close = k <= 7 ? m_runs[key(c, k)].firstFrom(i + k + 1) : -1;
            if (close < 0 || close + k > limit || (close + k < m_src.size() && m_src.at(close + k) == c))
                return i;
            qsizetype from = i + k;
            qsizetype to = close;
            // "`` `x` ``": one space on each side lets the code start or end with a backtick.
            if (to - from >= 2 && m_src.at(from) == u' ' && m_src.at(to - 1) == u' '
                && !QStringView(m_src).sliced(from, to - from).trimmed().isEmpty()) {
                ++from;
                --to;
            }
            for (qsizetype j = from; j < to; ++j)
                emitChar(j, styles | Code, url);
            return close + k;
        }
        if (k > 3 || (c == u'~' && k != 2))
            return i;
        if (i + k >= limit || m_src.at(i + k).isSpace())
            return i;
        if (c == u'_' && i > 0 && isWordChar(m_src.at(i - 1)))
            return i;
        const qsizetype close = m_runs[key(c, k)].firstFrom(i + k + 1);
        if (close < 0 || close + k > limit)
            return i;
        // The partner must be a run of exactly k (not the start of a longer one: "**a***").
        if (close + k < m_src.size() && m_src.at(close + k) == c)
            return i;
        unsigned style = Plain;
        if (c == u'~')
            style = Strike;
        else if (k == 1)
            style = Italic;
        else if (k == 2)
            style = Bold;
        else
            style = Bold | Italic;
        Context context;
        context.close = close;
        context.closeLen = k;
        context.styles = styles | style;
        context.url = url; // inside a link's text, the link goes on
        stack.push_back(context);
        return i + k;
    }

    /// The address of "[text](address)" whose ']' is at close, or empty when there is none that may be
    /// opened; remembered per ']' so that many '[' before one ']' cost one look.
    QString destination(qsizetype close)
    {
        if (const auto known = m_destinations.constFind(close); known != m_destinations.cend())
            return *known;
        QString target;
        const qsizetype n = m_src.size();
        if (close + 1 < n && m_src.at(close + 1) == u'(') {
            qsizetype j = close + 2;
            while (j < n && j - close < kMaxUrl && m_src.at(j) != u')' && !m_src.at(j).isSpace())
                ++j;
            if (j < n && m_src.at(j) == u')' && j > close + 2) {
                const QString candidate = m_src.mid(close + 2, j - close - 2);
                if (isAllowedUrl(candidate)) {
                    target = candidate;
                    m_destinationEnd.insert(close, j + 1);
                }
            }
        }
        m_destinations.insert(close, target);
        return target;
    }

    /// The end of a bare http(s) address at i, or i when there is none: it runs to a space and loses the
    /// punctuation that ends a sentence, and a ')' it did not open ("(see https://x.org)").
    qsizetype bareUrlEnd(qsizetype i, qsizetype limit) const
    {
        const QStringView rest = QStringView(m_src).sliced(i, limit - i);
        if (!rest.startsWith(u"http://", Qt::CaseInsensitive) && !rest.startsWith(u"https://", Qt::CaseInsensitive))
            return i;
        qsizetype end = i;
        int open = 0;
        int closed = 0;
        while (end < limit && end - i < kMaxUrl) {
            const QChar c = m_src.at(end);
            if (c.isSpace() || c == u'<' || c == u'>' || c == u'"' || c == u'`')
                break;
            open += c == u'(';
            closed += c == u')';
            ++end;
        }
        while (end > i) {
            const QChar last = m_src.at(end - 1);
            if (u".,;:!?*_~'"_s.contains(last)) {
                --end;
            } else if (last == u')' && closed > open) {
                --closed;
                --end;
            } else {
                break;
            }
        }
        if (!isAllowedUrl(m_src.mid(i, end - i)))
            return i;
        return end;
    }

    void emitChar(qsizetype at, unsigned styles, const QString &url)
    {
        const qsizetype position = m_out.text.size();
        m_out.displayOf[at] = position;
        m_out.text.append(m_src.at(at));
        if (styles == Plain && url.isEmpty())
            return;
        if (!m_out.spans.isEmpty()) {
            Span &last = m_out.spans.last();
            if (last.start + last.length == position && last.styles == styles && last.url == url) {
                ++last.length;
                return;
            }
        }
        m_out.spans.append(Span{position, 1, styles, url});
    }

    const QString &m_src;
    Rendered m_out;
    QHash<int, Candidates> m_runs;
    Candidates m_brackets;
    QHash<qsizetype, QString> m_destinations;
    QHash<qsizetype, qsizetype> m_destinationEnd;
};

} // namespace

Rendered parse(const QString &source) { return Parser(source).run(); }

QString plainText(const QString &source) { return parse(source).text; }

bool isAllowedUrl(const QString &url)
{
    if (url.isEmpty() || url.size() > kMaxUrl)
        return false;
    for (const QChar c : url) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return false;
    }
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid())
        return false;
    const QString scheme = parsed.scheme(); // QUrl lowercases it
    if (scheme == u"http"_s || scheme == u"https"_s)
        return !parsed.host().isEmpty();
    if (scheme == u"mailto"_s)
        return !parsed.path().isEmpty();
    return false;
}

} // namespace Tertulia::MarkdownLite
