// The chat's small Markdown subset on the guest page: the same rules as the desktop app's
// app/session/markdownlite.h (read it for the whole list): **bold**, *italic*/_italic_, ~~strike~~,
// `code`, ``` fenced blocks ```, bare http(s) addresses and [text](address) links to http, https or
// mailto only. Everything else is text. parse() is pure and linear (every partner is found through
// position lists walked forward only); render() builds DOM nodes and puts the sender's text in with
// textContent only, so no message can become markup.
"use strict";

(function (root) {
  const MAX_SOURCE = 64 * 1024;
  const MAX_URL = 2048;
  const BOLD = 1, ITALIC = 2, STRIKE = 4, CODE = 8, BLOCK = 16;

  const isSpace = (c) => c !== undefined && /\s/.test(c);
  const isWord = (c) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  const isDelimiter = (c) => c === "*" || c === "_" || c === "~" || c === "`";
  const isEscapable = (c) => isDelimiter(c) || c === "\\" || c === "[" || c === "]" || c === "(" || c === ")";

  function allowedUrl(url) {
    if (!url || url.length > MAX_URL || /[\s\u0000-\u001f\u007f]/.test(url)) return false;
    let parsed;
    try { parsed = new URL(url); } catch { return false; }
    if (parsed.protocol === "http:" || parsed.protocol === "https:") return parsed.hostname !== "" && /^https?:\/\//i.test(url);
    if (parsed.protocol === "mailto:") return parsed.pathname !== "";
    return false;
  }

  // Positions of one kind of candidate with a cursor that only moves forward.
  class Candidates {
    constructor() { this.positions = []; this.next = 0; }
    firstFrom(from) {
      while (this.next < this.positions.length && this.positions[this.next] < from) ++this.next;
      return this.next < this.positions.length ? this.positions[this.next] : -1;
    }
  }

  // The source as runs: [{text, styles, url}] in order (url set on a link's runs), plus the links.
  function parse(source) {
    const src = String(source ?? "");
    const out = [];
    const links = [];
    let shown = 0;
    // Pieces gathered in arrays and joined once: appending to a string character by character builds a
    // deep rope in V8 whose flattening is not linear.
    const emit = (text, styles, url) => {
      const last = out[out.length - 1];
      if (last && last.styles === styles && last.url === url) last.parts.push(text);
      else out.push({ parts: [text], styles, url });
      shown += text.length;
    };
    const finish = () => ({ runs: out.map((run) => ({ text: run.parts.join(""), styles: run.styles, url: run.url })), links });
    if (src.length > MAX_SOURCE) return { runs: [{ text: src, styles: 0, url: "" }], links };

    const runs = new Map();
    const brackets = new Candidates();
    const key = (c, k) => c + Math.min(k, 7);
    for (let i = 0; i < src.length;) {
      const c = src[i];
      if (c === "]") { brackets.positions.push(i); ++i; continue; }
      if (!isDelimiter(c)) { ++i; continue; }
      let k = 1;
      while (src[i + k] === c) ++k;
      let closer = c === "`" || (i > 0 && !isSpace(src[i - 1]));
      if (c === "_" && isWord(src[i + k])) closer = false;
      if (closer && k <= 7) {
        if (!runs.has(key(c, k))) runs.set(key(c, k), new Candidates());
        runs.get(key(c, k)).positions.push(i);
      }
      i += k;
    }
    const run = (c, k) => runs.get(key(c, k)) || new Candidates();
    const destinations = new Map();
    const destination = (close) => {
      if (destinations.has(close)) return destinations.get(close);
      let found = null;
      if (src[close + 1] === "(") {
        let j = close + 2;
        while (j < src.length && j - close < MAX_URL && src[j] !== ")" && !isSpace(src[j])) ++j;
        if (src[j] === ")" && j > close + 2 && allowedUrl(src.slice(close + 2, j))) found = { url: src.slice(close + 2, j), end: j + 1 };
      }
      destinations.set(close, found);
      return found;
    };
    const bareUrlEnd = (i, limit) => {
      const rest = src.slice(i, Math.min(limit, i + 8)).toLowerCase();
      if (!rest.startsWith("http://") && !rest.startsWith("https://")) return i;
      let end = i, open = 0, closed = 0;
      while (end < limit && end - i < MAX_URL) {
        const c = src[end];
        if (isSpace(c) || c === "<" || c === ">" || c === '"' || c === "`") break;
        if (c === "(") ++open;
        if (c === ")") ++closed;
        ++end;
      }
      while (end > i) {
        const last = src[end - 1];
        if (".,;:!?*_~'\"".includes(last)) --end;
        else if (last === ")" && closed > open) { --closed; --end; } else break;
      }
      return allowedUrl(src.slice(i, end)) ? end : i;
    };

    function inline(begin, end) {
      const stack = [];
      let lineEnd = -1;
      let i = begin;
      while (i < end) {
        if (i > lineEnd) {
          lineEnd = src.indexOf("\n", i);
          if (lineEnd < 0 || lineEnd > end) lineEnd = end;
        }
        const top = stack[stack.length - 1];
        if (top && i === top.close) {
          stack.pop();
          if (top.link) links.push({ start: top.linkStart, length: shown - top.linkStart, url: top.url });
          i += top.closeLen;
          continue;
        }
        const limit = top ? Math.min(top.close, lineEnd) : lineEnd;
        const styles = top ? top.styles : 0;
        const url = top ? top.url : "";
        const c = src[i];
        if (c === "\\" && i + 1 < limit && isEscapable(src[i + 1])) { emit(src[i + 1], styles, url); i += 2; continue; }
        if (isDelimiter(c)) {
          let k = 1;
          while (i + k < limit && src[i + k] === c) ++k;
          const next = delimiter(i, k, limit, styles, url, stack);
          if (next > i) { i = next; continue; }
          emit(src.slice(i, i + k), styles, url);
          i += k;
          continue;
        }
        if (c === "[" && !url) {
          const close = brackets.firstFrom(i + 2);
          const target = close >= 0 && close < limit ? destination(close) : null;
          if (target) {
            stack.push({ close, closeLen: target.end - close, styles, link: true, url: target.url, linkStart: shown });
            ++i;
            continue;
          }
        }
        if ((c === "h" || c === "H") && !url && !isWord(src[i - 1])) {
          const urlEnd = bareUrlEnd(i, limit);
          if (urlEnd > i) {
            const target = src.slice(i, urlEnd);
            links.push({ start: shown, length: target.length, url: target });
            emit(target, styles, target);
            i = urlEnd;
            continue;
          }
        }
        emit(c, styles, url);
        ++i;
      }
    }

    function delimiter(i, k, limit, styles, url, stack) {
      const c = src[i];
      if (c === "`") {
        const close = k <= 7 ? run(c, k).firstFrom(i + k + 1) : -1;
        if (close < 0 || close + k > limit || src[close + k] === c) return i;
        let from = i + k, to = close;
        if (to - from >= 2 && src[from] === " " && src[to - 1] === " " && src.slice(from, to).trim() !== "") { ++from; --to; }
        if (to > from) emit(src.slice(from, to), styles | CODE, url);
        return close + k;
      }
      if (k > 3 || (c === "~" && k !== 2)) return i;
      if (i + k >= limit || isSpace(src[i + k])) return i;
      if (c === "_" && isWord(src[i - 1])) return i;
      const close = run(c, k).firstFrom(i + k + 1);
      if (close < 0 || close + k > limit || src[close + k] === c) return i;
      const style = c === "~" ? STRIKE : k === 1 ? ITALIC : k === 2 ? BOLD : BOLD | ITALIC;
      stack.push({ close, closeLen: k, styles: styles | style, link: false, url });
      return i + k;
    }

    // Fenced blocks (whole lines) first, inline formatting between them.
    const lines = [];
    for (let start = 0; start < src.length;) {
      let end = src.indexOf("\n", start);
      if (end < 0) end = src.length;
      lines.push([start, end]);
      start = end + 1;
    }
    const closers = new Candidates();
    for (const [start, end] of lines) if (start > 0 && src.slice(start, end).trim() === "```") closers.positions.push(start);
    let textFrom = 0;
    for (let l = 0; l < lines.length; ++l) {
      const [start, end] = lines[l];
      const line = src.slice(start, end);
      if (end < src.length && line.startsWith("```") && !line.slice(3).includes("`")) {
        const close = closers.firstFrom(end + 1);
        if (close >= 0) {
          inline(textFrom, start);
          let closeEnd = src.indexOf("\n", close);
          if (closeEnd < 0) closeEnd = src.length;
          if (close - 1 > end + 1) emit(src.slice(end + 1, close - 1), BLOCK, "");
          textFrom = closeEnd;
          while (l + 1 < lines.length && lines[l + 1][0] <= close) ++l;
        }
      }
    }
    inline(textFrom, src.length);
    return finish();
  }

  // DOM nodes for source: <strong>, <em>, <del>, <code>, <pre><code> and <a>; text through textContent.
  function render(source, doc) {
    const fragment = doc.createDocumentFragment();
    let currentLink = null;
    let currentUrl = "";
    let afterBlock = false;
    for (const piece of parse(source).runs) {
      let text = piece.text;
      // A block is its own box: the line breaks around it in the source would add blank lines.
      if (afterBlock && text.startsWith("\n")) text = text.slice(1);
      afterBlock = false;
      if (!text) continue;
      let node = doc.createTextNode(text);
      if (piece.styles & BLOCK) {
        const last = fragment.lastChild;
        if (last && last.nodeType === 3 && last.data.endsWith("\n")) last.data = last.data.slice(0, -1);
        afterBlock = true;
        const pre = doc.createElement("pre");
        const code = doc.createElement("code");
        code.textContent = piece.text;
        pre.append(code);
        fragment.append(pre);
        currentLink = null;
        continue;
      }
      if (piece.styles & CODE) { const e = doc.createElement("code"); e.append(node); node = e; }
      if (piece.styles & STRIKE) { const e = doc.createElement("del"); e.append(node); node = e; }
      if (piece.styles & ITALIC) { const e = doc.createElement("em"); e.append(node); node = e; }
      if (piece.styles & BOLD) { const e = doc.createElement("strong"); e.append(node); node = e; }
      if (piece.url) {
        if (!currentLink || currentUrl !== piece.url) {
          currentLink = doc.createElement("a");
          currentLink.href = piece.url; // allowedUrl: http, https or mailto only
          currentLink.rel = "noopener noreferrer nofollow";
          currentLink.target = "_blank";
          currentUrl = piece.url;
          fragment.append(currentLink);
        }
        currentLink.append(node);
        // A text that is not its address shows the address on hover: the text is the sender's to choose.
        if (currentLink.textContent !== piece.url) currentLink.title = piece.url;
        continue;
      }
      currentLink = null;
      fragment.append(node);
    }
    return fragment;
  }

  const api = { parse, render, allowedUrl, BOLD, ITALIC, STRIKE, CODE, BLOCK };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.TertuliaMarkdown = api;
})(typeof window !== "undefined" ? window : globalThis);
