// The guest page's Markdown subset (server/web/markdown.js) on its own, in Node: the same table as the
// desktop parser's tests/app/session/tst_markdownlite.cpp, so both clients format a message alike, and
// hostile input stays text in linear time. The page itself is tested in Chromium (page.test.mjs).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";

const require = createRequire(import.meta.url);
const md = require("../../../server/web/markdown.js");

// Runs as {styles:text} (b i s c k, @url for links), as in tst_markdownlite.cpp.
function describeRuns(source) {
  return md.parse(source).runs.map((run) => {
    let tags = "";
    if (run.styles & md.BOLD) tags += "b";
    if (run.styles & md.ITALIC) tags += "i";
    if (run.styles & md.STRIKE) tags += "s";
    if (run.styles & md.CODE) tags += "c";
    if (run.styles & md.BLOCK) tags += "k";
    if (run.url) tags += "@" + run.url;
    return tags ? `{${tags}:${run.text}}` : run.text;
  }).join("");
}

const cases = [
  ["plain", "hello world", "hello world"],
  ["bold", "a **b** c", "a {b:b} c"],
  ["bold underscores", "__b__", "{b:b}"],
  ["italic", "an *it* here", "an {i:it} here"],
  ["italic underscore", "_it_", "{i:it}"],
  ["bold italic", "***both***", "{bi:both}"],
  ["strike", "~~gone~~ now", "{s:gone} now"],
  ["nested", "**bold *and it* bold**", "{b:bold }{bi:and it}{b: bold}"],
  ["crossed", "**a *b** c*", "{b:a *b} c*"],
  ["code", "run `make -j2` now", "run {c:make -j2} now"],
  ["code keeps markers", "`**not bold** <b>`", "{c:**not bold** <b>}"],
  ["code with backtick", "`` a`b ``", "{c:a`b}"],
  ["unbalanced", "**never closed", "**never closed"],
  ["space after opener", "** not bold**", "** not bold**"],
  ["longer closing run", "**a***", "**a***"],
  ["snake_case", "call my_func_name now", "call my_func_name now"],
  ["not across lines", "**a\nb**", "**a\nb**"],
  ["escaped", "\\*not\\* \\\\ x", "*not* \\ x"],
  ["html literal", "<script>alert(1)</script>", "<script>alert(1)</script>"],
  ["block", "see\n```\nint x;\n  y();\n```\nok", "see\n{k:int x;\n  y();}\nok"],
  ["block language dropped", "```cpp\nx\n```", "{k:x}"],
  ["unclosed block", "```\ncode *a*", "```\ncode {i:a}"],
  ["triple inline", "```x```", "{c:x}"],
  ["bare url", "see https://example.org/a_b.", "see {@https://example.org/a_b:https://example.org/a_b}."],
  ["url with parens", "https://e.org/A_(b)", "{@https://e.org/A_(b):https://e.org/A_(b)}"],
  ["url in bold", "**https://e.org**", "{b@https://e.org:https://e.org}"],
  ["link", "[docs](https://e.org/d)", "{@https://e.org/d:docs}"],
  ["mailto link", "[me](mailto:a@e.org)", "{@mailto:a@e.org:me}"],
  ["javascript link", "[x](javascript:alert(1))", "[x](javascript:alert(1))"],
  ["JavaScript link", "[x](JaVaScRiPt:alert(1))", "[x](JaVaScRiPt:alert(1))"],
  ["data link", "[x](data:text/html,hi)", "[x](data:text/html,hi)"],
  ["only markers", "*** ** * ~~ `` _", "*** ** * ~~ `` _"],
];

describe("markdown.js, the guest page's Markdown subset", () => {
  for (const [name, source, expected] of cases) {
    it(name, () => assert.equal(describeRuns(source), expected));
  }

  it("opens only http, https and mailto", () => {
    assert.ok(md.allowedUrl("https://example.org/a?b#c"));
    assert.ok(md.allowedUrl("mailto:a@example.org"));
    for (const url of ["javascript:alert(1)", "jAvAsCrIpT:alert(1)", "data:text/html,x", "file:///etc/passwd", "/relative", "https://e.org/a b", ""])
      assert.ok(!md.allowedUrl(url), url);
  });

  it("parses hostile input in linear time", () => {
    // Four times the text: about four times the time when linear, sixteen when quadratic. Best of three
    // runs each, so a pause of the machine does not decide.
    const best = (text) => Math.min(...[0, 1, 2].map(() => {
      const start = process.hrtime.bigint();
      md.parse(text);
      return Number(process.hrtime.bigint() - start);
    }));
    for (const pattern of ["* ", "**a ", "_a ", "[", "[a](", "`", "`` ", "~~a ", "https://e.org/(", "```\n", "*_~`[\n"]) {
      const small = Math.max(best(pattern.repeat(16000 / pattern.length)), 1e6);
      const large = best(pattern.repeat(64000 / pattern.length));
      // On a loaded machine a collection can still land in one run: a quadratic parser takes seconds here,
      // so under 200 ms is linear whatever the ratio says.
      assert.ok(large < small * 10 || large < 200e6, `${JSON.stringify(pattern)}: ${small} ns for 16k, ${large} ns for 64k`);
    }
  });
});
