// The Markdown subset of chat messages (app/session/markdownlite.h): what is formatted, what stays
// literal, which links may be opened, where a source position shows, and that hostile input (unbalanced
// markers, markup, script links, very long text) is text and costs linear time.
#include "app/session/markdownlite.h"

#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

#include <limits>

using namespace Tertulia;
using namespace Qt::StringLiterals;

namespace {
/// The rendered text with each styled run written as {styles:text}: b bold, i italic, s strike, c code,
/// k code block, and @url for a link, so that one string states a whole expected result.
QString describe(const MarkdownLite::Rendered &rendered)
{
    QString out;
    qsizetype at = 0;
    for (const MarkdownLite::Span &span : rendered.spans) {
        out += rendered.text.mid(at, span.start - at);
        QString tags;
        if (span.styles & MarkdownLite::Bold)
            tags += u'b';
        if (span.styles & MarkdownLite::Italic)
            tags += u'i';
        if (span.styles & MarkdownLite::Strike)
            tags += u's';
        if (span.styles & MarkdownLite::Code)
            tags += u'c';
        if (span.styles & MarkdownLite::CodeBlock)
            tags += u'k';
        if (!span.url.isEmpty())
            tags += u'@' + span.url;
        out += u'{' + tags + u':' + rendered.text.mid(span.start, span.length) + u'}';
        at = span.start + span.length;
    }
    return out + rendered.text.mid(at);
}
} // namespace

class TestMarkdownLite : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void renders_data();
    /*! The subset, its edges, and hostile input shown literally, table-driven. */
    void renders();
    /*! Links: bare or with a text, which show their address and which must be confirmed. */
    void links();
    void allowedUrls_data();
    /*! Only http, https and mailto addresses can be opened; any case of javascript: cannot. */
    void allowedUrls();
    /*! Each source position maps to where it shows (mentions are found in the source). */
    void mapsSourceToDisplay();
    /*! Pathological input parses in linear time: doubling it does not quadruple the time. */
    void hostileInputIsLinear();
    /*! Past the bound the text is shown as it is, unparsed. */
    void longInputIsPlain();
};

void TestMarkdownLite::renders_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << u"hello world"_s << u"hello world"_s;
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("bold") << u"a **b** c"_s << u"a {b:b} c"_s;
    QTest::newRow("bold underscores") << u"__b__"_s << u"{b:b}"_s;
    QTest::newRow("italic star") << u"an *it* here"_s << u"an {i:it} here"_s;
    QTest::newRow("italic underscore") << u"_it_"_s << u"{i:it}"_s;
    QTest::newRow("bold italic") << u"***both***"_s << u"{bi:both}"_s;
    QTest::newRow("strike") << u"~~gone~~ now"_s << u"{s:gone} now"_s;
    QTest::newRow("single tilde") << u"~about~ 5"_s << u"~about~ 5"_s;
    QTest::newRow("nested") << u"**bold *and it* bold**"_s << u"{b:bold }{bi:and it}{b: bold}"_s;
    QTest::newRow("crossed") << u"**a *b** c*"_s << u"{b:a *b} c*"_s;
    QTest::newRow("code") << u"run `make -j2` now"_s << u"run {c:make -j2} now"_s;
    QTest::newRow("code keeps markers") << u"`**not bold** <b>`"_s << u"{c:**not bold** <b>}"_s;
    QTest::newRow("code with backtick") << u"`` a`b ``"_s << u"{c:a`b}"_s;
    QTest::newRow("code in bold") << u"**x `y`**"_s << u"{b:x }{bc:y}"_s;
    QTest::newRow("unbalanced bold") << u"**never closed"_s << u"**never closed"_s;
    QTest::newRow("unbalanced italic") << u"2 * 3 = 6"_s << u"2 * 3 = 6"_s;
    QTest::newRow("unbalanced code") << u"a ` b"_s << u"a ` b"_s;
    QTest::newRow("space after opener") << u"** not bold**"_s << u"** not bold**"_s;
    QTest::newRow("longer closing run") << u"**a***"_s << u"**a***"_s;
    QTest::newRow("four stars") << u"****x****"_s << u"****x****"_s;
    QTest::newRow("snake_case") << u"call my_func_name now"_s << u"call my_func_name now"_s;
    QTest::newRow("not across lines") << u"**a\nb**"_s << u"**a\nb**"_s;
    QTest::newRow("lines kept") << u"*a*\n*b*"_s << u"{i:a}\n{i:b}"_s;
    QTest::newRow("escaped") << u"\\*not\\* \\\\ x"_s << u"*not* \\ x"_s;
    QTest::newRow("backslash kept") << u"C:\\dir\\file"_s << u"C:\\dir\\file"_s;
    QTest::newRow("html literal") << u"<script>alert(1)</script>"_s << u"<script>alert(1)</script>"_s;
    QTest::newRow("img literal") << u"<img src=x onerror=alert(1)>"_s << u"<img src=x onerror=alert(1)>"_s;
    QTest::newRow("image syntax literal") << u"![x](http://e.org/a.png)"_s << u"!{@http://e.org/a.png:x}"_s;
    QTest::newRow("heading literal") << u"# title"_s << u"# title"_s;
    QTest::newRow("list literal") << u"- a\n1. b"_s << u"- a\n1. b"_s;
    QTest::newRow("block") << u"see\n```\nint x;\n  y();\n```\nok"_s << u"see\n{k:int x;\n  y();}\nok"_s;
    QTest::newRow("block language dropped") << u"```cpp\nx\n```"_s << u"{k:x}"_s;
    QTest::newRow("block keeps markers") << u"```\n**x** <i>\n```"_s << u"{k:**x** <i>}"_s;
    QTest::newRow("empty block") << u"```\n```"_s << QString();
    QTest::newRow("unclosed block") << u"```\ncode *a*"_s << u"```\ncode {i:a}"_s;
    QTest::newRow("triple inline") << u"```x```"_s << u"{c:x}"_s;
    QTest::newRow("bare url") << u"see https://example.org/a_b."_s
                              << u"see {@https://example.org/a_b:https://example.org/a_b}."_s;
    QTest::newRow("url in parens") << u"(https://e.org/x)"_s << u"({@https://e.org/x:https://e.org/x})"_s;
    QTest::newRow("url with parens") << u"https://e.org/A_(b)"_s << u"{@https://e.org/A_(b):https://e.org/A_(b)}"_s;
    QTest::newRow("url in bold") << u"**https://e.org**"_s << u"{b@https://e.org:https://e.org}"_s;
    QTest::newRow("not a url") << u"xhttps://e.org"_s << u"xhttps://e.org"_s;
    QTest::newRow("link") << u"[docs](https://e.org/d)"_s << u"{@https://e.org/d:docs}"_s;
    QTest::newRow("link bold text") << u"[**b** x](https://e.org)"_s << u"{b@https://e.org:b}{@https://e.org: x}"_s;
    QTest::newRow("mailto link") << u"[me](mailto:a@e.org)"_s << u"{@mailto:a@e.org:me}"_s;
    QTest::newRow("javascript link") << u"[x](javascript:alert(1))"_s << u"[x](javascript:alert(1))"_s;
    QTest::newRow("JavaScript link") << u"[x](JaVaScRiPt:alert(1))"_s << u"[x](JaVaScRiPt:alert(1))"_s;
    QTest::newRow("data link") << u"[x](data:text/html,hi)"_s << u"[x](data:text/html,hi)"_s;
    QTest::newRow("file link") << u"[x](file:///etc/passwd)"_s << u"[x](file:///etc/passwd)"_s;
    // Not links with a text; the bare address in them still is one.
    QTest::newRow("empty link text") << u"[](https://e.org)"_s << u"[]({@https://e.org:https://e.org})"_s;
    QTest::newRow("space in address") << u"[x](https://e.org/a b)"_s << u"[x]({@https://e.org/a:https://e.org/a} b)"_s;
    QTest::newRow("brackets alone") << u"[not a link] (x)"_s << u"[not a link] (x)"_s;
    QTest::newRow("only markers") << u"*** ** * ~~ `` _"_s << u"*** ** * ~~ `` _"_s;
}

void TestMarkdownLite::renders()
{
    QFETCH(QString, source);
    QFETCH(QString, expected);
    const MarkdownLite::Rendered rendered = MarkdownLite::parse(source);
    QCOMPARE(describe(rendered), expected);
    QCOMPARE(MarkdownLite::plainText(source), rendered.text);
    QCOMPARE(rendered.displayOf.size(), source.size() + 1);
    for (const MarkdownLite::Span &span : rendered.spans) {
        QVERIFY(span.start >= 0 && span.length > 0);
        QVERIFY(span.start + span.length <= rendered.text.size());
    }
}

void TestMarkdownLite::links()
{
    const MarkdownLite::Rendered rendered =
        MarkdownLite::parse(u"go to [our site](https://e.org/x) or https://e.org/y, or [https://e.org/z](https://e.org/z)"_s);
    QCOMPARE(rendered.text, u"go to our site or https://e.org/y, or https://e.org/z"_s);
    QCOMPARE(rendered.links.size(), 3);
    QCOMPARE(rendered.links.at(0), (MarkdownLite::Link{6, 8, u"https://e.org/x"_s, false}));
    QCOMPARE(rendered.links.at(1), (MarkdownLite::Link{18, 15, u"https://e.org/y"_s, true}));
    // A text that is its own address needs no confirmation.
    QCOMPARE(rendered.links.at(2).bare, true);
    QCOMPARE(rendered.links.at(2).url, u"https://e.org/z"_s);
}

void TestMarkdownLite::allowedUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("https") << u"https://example.org/a?b=c#d"_s << true;
    QTest::newRow("http") << u"http://example.org"_s << true;
    QTest::newRow("HTTPS") << u"HTTPS://EXAMPLE.ORG"_s << true;
    QTest::newRow("mailto") << u"mailto:someone@example.org"_s << true;
    QTest::newRow("no host") << u"https://"_s << false;
    QTest::newRow("javascript") << u"javascript:alert(1)"_s << false;
    QTest::newRow("mixed-case javascript") << u"jAvAsCrIpT:alert(1)"_s << false;
    QTest::newRow("vbscript") << u"vbscript:x"_s << false;
    QTest::newRow("data") << u"data:text/html;base64,PHNjcmlwdD4="_s << false;
    QTest::newRow("file") << u"file:///etc/passwd"_s << false;
    QTest::newRow("relative") << u"/etc/passwd"_s << false;
    QTest::newRow("control character") << u"https://e.org/\u0001"_s << false;
    QTest::newRow("space") << u"https://e.org/a b"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TestMarkdownLite::allowedUrls()
{
    QFETCH(QString, url);
    QFETCH(bool, allowed);
    QCOMPARE(MarkdownLite::isAllowedUrl(url), allowed);
}

void TestMarkdownLite::mapsSourceToDisplay()
{
    const QString source = u"**hi** @bob `x`"_s;
    const MarkdownLite::Rendered rendered = MarkdownLite::parse(source);
    QCOMPARE(rendered.text, u"hi @bob x"_s);
    const qsizetype at = source.indexOf(u'@');
    QCOMPARE(rendered.displayOf.at(at), rendered.text.indexOf(u'@'));
    QCOMPARE(rendered.displayOf.at(0), 0);           // a marker: the character after it
    QCOMPARE(rendered.displayOf.at(2), 0);           // 'h'
    QCOMPARE(rendered.displayOf.at(source.size()), rendered.text.size());
    for (qsizetype i = 1; i < rendered.displayOf.size(); ++i)
        QVERIFY(rendered.displayOf.at(i) >= rendered.displayOf.at(i - 1));
}

void TestMarkdownLite::hostileInputIsLinear()
{
    // Each pattern tempts a naive parser to look for a partner from every opener to the end. Four times
    // the text takes about four times as long when linear, sixteen when quadratic; best of three runs.
    const auto best = [](const QString &text) {
        qint64 fastest = std::numeric_limits<qint64>::max();
        for (int run = 0; run < 3; ++run) {
            QElapsedTimer timer;
            timer.start();
            const MarkdownLite::Rendered rendered = MarkdownLite::parse(text);
            fastest = std::min(fastest, timer.nsecsElapsed());
            if (rendered.text.size() > text.size())
                return qint64(-1);
        }
        return fastest;
    };
    const QStringList patterns{u"* "_s, u"**a "_s, u"_a "_s, u"["_s, u"[a]("_s, u"`"_s, u"`` "_s, u"~~a "_s,
                               u"https://e.org/("_s, u"\\"_s, u"```\n"_s, u"*_~`[\n"_s};
    for (const QString &pattern : patterns) {
        const qint64 small = std::max<qint64>(best(pattern.repeated(int(16'000 / pattern.size()))), 1'000'000);
        const qint64 large = best(pattern.repeated(int(64'000 / pattern.size())));
        QVERIFY(large >= 0);
        // A quadratic parser takes seconds on 64k; under 100 ms is linear whatever a loaded machine's ratio says.
        QVERIFY2(large < small * 10 || large < 100'000'000, qPrintable(u"%1: %2 ns for 16k, %3 ns for 64k"_s.arg(pattern).arg(small).arg(large)));
    }
    // A quadratic parser takes seconds on this; the bound is generous for slow machines.
    QElapsedTimer timer;
    timer.start();
    MarkdownLite::parse(u"**a "_s.repeated(16'000));
    QVERIFY(timer.elapsed() < 1000);
}

void TestMarkdownLite::longInputIsPlain()
{
    const QString source = u"**x** "_s.repeated(int(MarkdownLite::kMaxSource / 6) + 1);
    const MarkdownLite::Rendered rendered = MarkdownLite::parse(source);
    QCOMPARE(rendered.text, source);
    QVERIFY(rendered.spans.isEmpty());
    QVERIFY(!MarkdownLite::parse(u"**x** "_s.repeated(100)).spans.isEmpty());
}

QTEST_GUILESS_MAIN(TestMarkdownLite)
#include "tst_markdownlite.moc"
