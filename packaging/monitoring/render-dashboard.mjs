#!/usr/bin/env node
// Draws tertulia-dashboard.json the way Grafana lays it out, with real data from a Prometheus, for the
// documentation's picture (Grafana is neither a Debian package nor on npm, so it cannot run here).
//   node render-dashboard.mjs --prometheus URL --from T --to T [--scrape-interval 2s] [--rate-interval D]
//        [--var NAME=VALUE ...] [--dashboard FILE] [--width 1600] [--html FILE] [--png FILE] [--chromium PATH]
// T: unix seconds or an ISO date. What it reads of the dashboard: rows (collapsed ones drawn as closed bars),
// panels placed by gridPos on the 24-column grid (30 px a unit, 8 px gaps), "timeseries" panels (lines, or
// stacked areas when fieldConfig.defaults.custom.stacking.mode is "normal") and "stat" panels (the lastNotNull of
// each series, with its sparkline unless graphMode is "none"), Prometheus targets with legendFormat, the units short, ops, reqps, s and
// Bps, and unit overrides by series name (such series get a second axis on the right, as in Grafana). Any other panel type is drawn as a box that says it is not supported. Variables are substituted as Grafana
// does (substitute() below): a "query" variable left at All becomes its allValue (or a regex of its values),
// $__interval the query step, $__rate_interval max($__interval + scrape interval, 4 × scrape interval).
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const GRID_COLUMNS = 24;
export const CELL_HEIGHT = 30;   // Grafana's GRID_CELL_HEIGHT
export const CELL_MARGIN = 8;    // Grafana's GRID_CELL_VMARGIN
export const HEADER_HEIGHT = 64; // the title, time range and variables above the grid
export const FOOTER_HEIGHT = 28;

/// Seconds in a Prometheus/Grafana duration ("2s", "1m30s", "500ms").
export function parseDuration(text) {
  const units = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };
  let total = 0;
  let rest = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(rest)) return Number(rest);
  while (rest.length) {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/.exec(rest);
    if (!match) throw new Error(`not a duration: ${text}`);
    total += Number(match[1]) * units[match[2]];
    rest = rest.slice(match[0].length);
  }
  return total;
}

/// A duration as PromQL writes it, in whole seconds or milliseconds.
export function formatDuration(seconds) {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/// Grafana's $__interval: the range over the points the panel has room for, no finer than the scrape interval,
/// rounded up to whole seconds. $__rate_interval: max($__interval + scrape interval, 4 × scrape interval).
export function intervals({ rangeSeconds, maxDataPoints, scrapeSeconds }) {
  const interval = Math.max(scrapeSeconds, Math.ceil(rangeSeconds / maxDataPoints));
  return { interval, rateInterval: Math.max(interval + scrapeSeconds, 4 * scrapeSeconds) };
}

/// The value a dashboard variable stands for in a query: Grafana's multi-value regex formatting.
export function variableValue(variable, chosen, known = []) {
  const escape = (v) => v.replace(/[\\^$*+?.()|[\]{}]/g, "\\$&");
  const values = chosen === undefined ? [variable.current?.value ?? "$__all"].flat() : [chosen].flat();
  if (values.includes("$__all") || values.includes("All")) {
    if (variable.allValue) return variable.allValue;
    return known.length === 1 ? escape(known[0]) : `(${known.map(escape).join("|")})`;
  }
  return values.length === 1 ? escape(values[0]) : `(${values.map(escape).join("|")})`;
}

/// $name, ${name}, ${name:format} and [[name]] replaced from `values`; throws on a variable it does not know,
/// so no query goes out with a dollar sign left in it.
export function substitute(text, values) {
  return String(text).replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, a, b, c) => {
    const name = a ?? b ?? c;
    if (!(name in values)) throw new Error(`unknown variable ${whole} in ${text}`);
    return values[name];
  });
}

/// The panels in reading order with their boxes in pixels, for a page `width` wide. Rows come back as
/// { row: true }; the panels of a collapsed row are not placed (Grafana keeps them inside the row).
export function layout(dashboard, width = 1600) {
  const column = (width - CELL_MARGIN) / GRID_COLUMNS;
  const placed = [];
  for (const panel of dashboard.panels ?? []) {
    const { x = 0, y = 0, w = GRID_COLUMNS, h = 1 } = panel.gridPos ?? {};
    placed.push({
      panel, row: panel.type === "row", collapsed: panel.type === "row" && !!panel.collapsed,
      grid: { x, y, w, h },
      box: { left: CELL_MARGIN + x * column, top: HEADER_HEIGHT + y * (CELL_HEIGHT + CELL_MARGIN),
             width: w * column - CELL_MARGIN, height: h * CELL_HEIGHT + (h - 1) * CELL_MARGIN },
    });
  }
  placed.sort((a, b) => a.grid.y - b.grid.y || a.grid.x - b.grid.x);
  const bottom = Math.max(0, ...placed.map((p) => p.box.top + p.box.height));
  return { panels: placed, height: bottom + CELL_MARGIN + FOOTER_HEIGHT };
}

/// Every target of every panel with its variables substituted: [{ panel, refId, expr, legendFormat }].
export function queries(dashboard, values) {
  const out = [];
  for (const { panel, row } of layout(dashboard).panels) {
    if (row) continue;
    for (const target of panel.targets ?? []) {
      if (target.hide) continue;
      out.push({ panel: panel.id, refId: target.refId, expr: substitute(target.expr ?? "", values),
                 legendFormat: target.legendFormat ?? "" });
    }
  }
  return out;
}

/// A series's name from its legendFormat ({{label}} replaced) or, without one, from its labels.
export function legend(format, metric) {
  if (format && format !== "__auto") return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, label) => metric[label] ?? "");
  const labels = Object.entries(metric).filter(([k]) => k !== "__name__").map(([k, v]) => `${k}="${v}"`);
  return `${metric.__name__ ?? ""}{${labels.join(", ")}}`;
}

/// The unit a fieldConfig override gives the series called `name` (matcher byName or byRegexp), if any.
export function overriddenUnit(panel, name) {
  let unit;
  for (const override of panel.fieldConfig?.overrides ?? []) {
    const { id, options: pattern } = override.matcher ?? {};
    const matches = id === "byName" ? name === pattern : id === "byRegexp" ? new RegExp(pattern).test(name) : false;
    if (!matches) continue;
    for (const property of override.properties ?? []) if (property.id === "unit") unit = property.value;
  }
  return unit;
}

function parseTime(text) {
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : Date.parse(text) / 1000;
}

async function prometheusGet(base, apiPath, params) {
  const url = new URL(apiPath, base.endsWith("/") ? base : `${base}/`);
  for (const [key, value] of Object.entries(params)) url.searchParams.append(key, value);
  const response = await fetch(url);
  const body = await response.json();
  if (body.status !== "success") throw new Error(`${url}: ${body.error ?? response.status}`);
  return body.data;
}

function options(argv) {
  const o = { vars: {}, width: 1600, scrape: "15s", dashboard: path.join(path.dirname(fileURLToPath(import.meta.url)),
              "tertulia-dashboard.json"), chromium: process.env.TERTULIA_CHROMIUM || "/usr/bin/chromium" };
  for (let i = 2; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${key} needs a value`);
    switch (key) {
      case "--prometheus": o.prometheus = value; break;
      case "--from": o.from = parseTime(value); break;
      case "--to": o.to = parseTime(value); break;
      case "--scrape-interval": o.scrape = value; break;
      case "--rate-interval": o.rateInterval = value; break;
      case "--var": { const at = value.indexOf("="); o.vars[value.slice(0, at)] = value.slice(at + 1).split(","); break; }
      case "--dashboard": o.dashboard = value; break;
      case "--width": o.width = Number(value); break;
      case "--html": o.html = value; break;
      case "--png": o.png = value; break;
      case "--chromium": o.chromium = value; break;
      default: throw new Error(`unknown option ${key}`);
    }
  }
  if (!o.prometheus || !(o.from < o.to)) throw new Error("usage: render-dashboard.mjs --prometheus URL --from T --to T ...");
  return o;
}

async function main() {
  const o = options(process.argv);
  const dashboard = JSON.parse(readFileSync(o.dashboard, "utf8"));
  const { panels, height } = layout(dashboard, o.width);
  const rangeSeconds = o.to - o.from;
  const scrapeSeconds = parseDuration(o.scrape);
  // The narrowest time series panel decides the points: Grafana asks for about one point a pixel.
  const narrowest = Math.min(...panels.filter((p) => !p.row).map((p) => p.box.width));
  const { interval, rateInterval } = intervals({ rangeSeconds, maxDataPoints: Math.floor(narrowest), scrapeSeconds });
  const step = interval;
  const values = { __interval: formatDuration(interval), __rate_interval: o.rateInterval ?? formatDuration(rateInterval),
                   __range: formatDuration(Math.round(rangeSeconds)) };
  const shownVariables = [];
  for (const variable of dashboard.templating?.list ?? []) {
    if (variable.type === "datasource") { values[variable.name] = o.prometheus; continue; }
    let known = [];
    if (variable.type === "query") {
      const definition = variable.definition ?? variable.query?.query ?? variable.query;
      const match = /^label_values\((.+),\s*(\w+)\)$/.exec(definition.trim());
      if (!match) throw new Error(`variable ${variable.name}: only label_values(metric, label) is supported`);
      known = await prometheusGet(o.prometheus, `api/v1/label/${match[2]}/values`,
                                  { "match[]": match[1], start: o.from, end: o.to });
    }
    const chosen = o.vars[variable.name];
    values[variable.name] = variableValue(variable, chosen, known);
    const all = chosen === undefined ? [variable.current?.value ?? ""].flat().includes("$__all") : chosen.includes("All");
    shownVariables.push({ label: variable.label ?? variable.name,
                          text: all ? `All (${known.join(", ")})` : (chosen ?? [variable.current?.text]).join(", "),
                          nodes: known.length });
  }

  const drawn = [];
  for (const entry of panels) {
    const { panel } = entry;
    const item = { box: entry.box, type: panel.type, title: panel.title ?? "", row: entry.row, collapsed: entry.collapsed,
                   sparkline: (panel.options?.graphMode ?? "area") !== "none",
                   unit: panel.fieldConfig?.defaults?.unit ?? "short",
                   stacked: panel.fieldConfig?.defaults?.custom?.stacking?.mode === "normal", series: [], empty: [] };
    if (!entry.row && ["timeseries", "stat"].includes(panel.type)) {
      for (const target of panel.targets ?? []) {
        if (target.hide) continue;
        const expr = substitute(target.expr, values);
        const result = await prometheusGet(o.prometheus, "api/v1/query_range",
                                           { query: expr, start: o.from, end: o.to, step });
        if (!result.result.length) item.empty.push(expr);
        for (const series of result.result) {
          const name = legend(target.legendFormat, series.metric);
          item.series.push({ name, unit: overriddenUnit(panel, name) ?? item.unit,
                             points: series.values.map(([t, v]) => [t, Number(v)]) });
        }
      }
    }
    drawn.push(item);
  }

  const require = createRequire(import.meta.url);
  const uplotJs = readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8");
  const uplotCss = readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8");
  const page = {
    title: dashboard.title, width: o.width, height, from: o.from, to: o.to, step,
    variables: shownVariables, substitutions: values, panels: drawn,
    source: path.basename(o.dashboard),
  };
  const html = pageHtml(page, uplotJs, uplotCss);
  const work = mkdtempSync(path.join(os.tmpdir(), "dashboard-"));
  const htmlPath = o.html ?? path.join(work, "dashboard.html");
  writeFileSync(htmlPath, html);
  if (o.png) {
    const profile = path.join(work, "profile");
    const run = spawnSync(o.chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`,
      "--hide-scrollbars", `--window-size=${o.width},${height}`, "--virtual-time-budget=5000",
      `--screenshot=${path.resolve(o.png)}`, pathToFileURL(path.resolve(htmlPath)).href], { encoding: "utf8", timeout: 60000 });
    if (run.status !== 0) throw new Error(`chromium failed: ${run.stderr}`);
    console.log(`saved ${o.png} (${o.width}×${height}; step ${step}s, $__rate_interval ${values.__rate_interval})`);
  }
  if (!o.html) rmSync(work, { recursive: true, force: true });
}

function pageHtml(page, uplotJs, uplotCss) {
  const data = JSON.stringify(page).replace(/</g, "\\u003c");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${page.title}</title>
<style>${uplotCss}
body { margin: 0; background: #111217; color: #ccccdc; font: 13px/1.3 "DejaVu Sans", Arial, sans-serif; }
#page { position: relative; width: ${page.width}px; height: ${page.height}px; overflow: hidden; }
#header { position: absolute; left: 8px; right: 8px; top: 8px; height: 48px; display: flex; align-items: center; gap: 18px; }
#header h1 { font-size: 18px; font-weight: 500; margin: 0; color: #fff; }
.chip { border: 1px solid #2f3037; background: #181b1f; padding: 5px 10px; border-radius: 2px; }
.chip b { color: #6e9fff; font-weight: 500; margin-right: 6px; }
#header .spacer { flex: 1; }
.panel { position: absolute; box-sizing: border-box; background: #181b1f; border: 1px solid #24262c; border-radius: 2px;
         display: flex; flex-direction: column; overflow: hidden; }
.panel h2 { font-size: 14px; font-weight: 500; margin: 0; padding: 7px 10px 4px; color: #ccccdc; white-space: nowrap; }
.body { flex: 1; position: relative; min-height: 0; display: flex; flex-direction: column; padding: 0 6px 4px; }
.chart { flex: 1; min-height: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 12px; padding: 2px 4px; }
.legend span::before { content: ""; display: inline-block; width: 14px; height: 4px; border-radius: 2px;
                       margin-right: 6px; vertical-align: middle; background: var(--c); }
.row { position: absolute; display: flex; align-items: center; font-size: 16px; font-weight: 500; color: #fff; gap: 10px; }
.row .note { font-size: 13px; font-weight: 400; color: #8e8e9c; }
.nodata { margin: auto; text-align: center; color: #8e8e9c; font-size: 15px; }
.nodata small { display: block; font-size: 11px; margin-top: 4px; }
.stat { flex: 1; position: relative; display: flex; flex-direction: column; justify-content: center; min-height: 0; }
.stat .values { position: relative; z-index: 1; display: flex; flex-wrap: wrap; gap: 0 18px; justify-content: center; }
.stat .value { text-align: center; color: #73bf69; font-size: 34px; font-weight: 500; }
.stat .many .value { font-size: 22px; }
.stat .value small { display: block; font-size: 11px; color: #ccccdc; font-weight: 400; }
.stat .spark { position: absolute; left: 0; right: 0; bottom: 0; height: 55%; }
.unsupported { margin: auto; color: #ff9830; }
#footer { position: absolute; left: 8px; bottom: 6px; font-size: 12px; color: #8e8e9c; }
.uplot { font-family: inherit; }
</style></head>
<body><div id="page"></div>
<script>${uplotJs}</script>
<script>
const page = ${data};
const COLORS = ["#73bf69", "#f2cc0c", "#5794f2", "#ff9830", "#f2495c", "#b877d9", "#8ab8ff", "#ffb357", "#ca95e5", "#96d98d"];
const pageEl = document.getElementById("page");

// Grafana's units: value → text.
function scaled(v, steps, decimals) {
  let i = 0;
  while (Math.abs(v) >= 1000 && i < steps.length - 1) { v /= 1000; i++; }
  return round(v, decimals) + steps[i];
}
function round(v, decimals) {
  if (v === 0) return "0";
  const d = decimals ?? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
  return Number(v.toFixed(d)).toString();
}
function formatSeconds(v, decimals) {
  const a = Math.abs(v);
  if (a === 0) return "0 s";
  if (a < 1e-3) return round(v * 1e6, decimals) + " µs";
  if (a < 1) return round(v * 1e3, decimals) + " ms";
  if (a < 60) return round(v, decimals) + " s";
  if (a < 3600) return round(v / 60, decimals) + " min";
  if (a < 86400) return round(v / 3600, decimals) + " hour";
  return round(v / 86400, decimals) + " day";
}
function format(unit, v, decimals) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  switch (unit) {
    case "s": return formatSeconds(v, decimals);
    case "ops": return scaled(v, ["", " K", " Mil", " Bil"], decimals) + " ops/s";
    case "reqps": return scaled(v, ["", " K", " Mil", " Bil"], decimals) + " req/s";
    case "Bps": return scaled(v, [" B/s", " kB/s", " MB/s", " GB/s"], decimals);
    default: return scaled(v, ["", " K", " Mil", " Bil"], decimals);
  }
}
function place(el, box) {
  Object.assign(el.style, { left: box.left + "px", top: box.top + "px", width: box.width + "px", height: box.height + "px" });
  pageEl.appendChild(el);
  return el;
}
function element(tag, cls, text) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}
const when = (t) => new Date(t * 1000).toISOString().replace("T", " ").replace(/\\.\\d+Z$/, " UTC");

const header = element("div"); header.id = "header";
header.appendChild(element("h1", "", "Dashboards › " + page.title));
for (const v of page.variables) {
  const chip = element("div", "chip"); chip.appendChild(element("b", "", v.label)); chip.append(v.text);
  header.appendChild(chip);
}
header.appendChild(element("div", "spacer"));
header.appendChild(element("div", "chip", when(page.from) + " to " + when(page.to)));
pageEl.appendChild(header);
const singleNode = page.variables.some((v) => v.nodes === 1);

// Aligned [times, ...values] for uPlot; stacked panels add each series to the ones before it.
function aligned(series, stacked) {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const column = new Array(times.length).fill(null);
    for (const [t, v] of s.points) column[index.get(t)] = Number.isFinite(v) ? v : null;
    return column;
  });
  if (stacked) for (let i = 1; i < columns.length; i++)
    columns[i] = columns[i].map((v, j) => (v ?? 0) + (columns[i - 1][j] ?? 0));
  return [times, ...columns];
}

function isolated(column) {
  return column.some((v, j) => v !== null && (column[j - 1] ?? null) === null && (column[j + 1] ?? null) === null);
}
const clock = (t) => new Date(t * 1000).toISOString().slice(11, 19);

function chart(container, panel, options) {
  const rect = container.getBoundingClientRect();
  const data = aligned(panel.series, panel.stacked);
  // Series in another unit than the panel's (an override) go on a second scale, with its axis on the right.
  const other = panel.series.find((s) => s.unit !== panel.unit)?.unit;
  const series = [{}].concat(panel.series.map((s, i) => ({
    label: s.name, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: false, scale: s.unit === panel.unit ? "y" : "y2",
    // Values with gaps on both sides (a quantile over a window without samples is NaN) are drawn as dots.
    points: { show: (u, si) => isolated(data[si]), size: 4, fill: COLORS[i % COLORS.length] },
    fill: panel.stacked ? COLORS[i % COLORS.length] + "66" : (options.fill ? COLORS[i % COLORS.length] + "33" : undefined),
  })));
  if (panel.stacked) for (let i = series.length - 1; i >= 1; i--) series[i].order = -i;
  const axis = { stroke: "#8e8e9c", grid: { stroke: "#2a2c33", width: 1 }, ticks: { stroke: "#2a2c33", width: 1 },
                 font: "11px DejaVu Sans, Arial" };
  return new uPlot({
    width: Math.floor(rect.width), height: Math.floor(rect.height), legend: { show: false }, cursor: { show: false },
    scales: { x: { time: true, range: [page.from, page.to] },
              y: { range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] },
              y2: { range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1] } },
    axes: options.axes === false ? [{ show: false }, { show: false }] : [
      { ...axis, space: 80, values: (u, ticks) => ticks.map(clock) },
      { ...axis, size: 78, values: (u, ticks) => ticks.map((t) => format(panel.unit, t)) },
    ].concat(other ? [{ ...axis, scale: "y2", side: 1, size: 78, grid: { show: false },
                        values: (u, ticks) => ticks.map((t) => format(other, t)) }] : []),
    series,
  }, data, container);
}

for (const panel of page.panels) {
  if (panel.row) {
    const row = place(element("div", "row", (panel.collapsed ? "▸ " : "▾ ") + panel.title), panel.box);
    const members = page.panels.filter((p) => !p.row && p.box.top > panel.box.top &&
      !page.panels.some((r) => r.row && r.box.top > panel.box.top && r.box.top < p.box.top));
    const empty = members.filter((p) => !p.series.length && ["timeseries", "stat"].includes(p.type));
    if (empty.length) row.appendChild(element("span", "note", empty.length + " of " + members.length +
      " panels: no data" + (singleNode ? " (single node)" : "")));
    continue;
  }
  const el = place(element("div", "panel"), panel.box);
  el.appendChild(element("h2", "", panel.title));
  const body = el.appendChild(element("div", "body"));
  if (!["timeseries", "stat"].includes(panel.type)) {
    body.appendChild(element("div", "unsupported", "panel type \\"" + panel.type + "\\" is not drawn by this renderer"));
    continue;
  }
  if (!panel.series.length) {
    const none = body.appendChild(element("div", "nodata", "No data"));
    none.appendChild(element("small", "", panel.empty.map((e) => (e.match(/tertulia_\\w+/) ?? [e])[0]).join(", ")));
    continue;
  }
  if (panel.type === "stat") {
    const stat = body.appendChild(element("div", "stat"));
    const values = stat.appendChild(element("div", "values" + (panel.series.length > 1 ? " many" : "")));
    for (const s of panel.series) {
      const last = [...s.points].reverse().find((p) => Number.isFinite(p[1]));
      const value = values.appendChild(element("div", "value", format(s.unit, last ? last[1] : null)));
      if (panel.series.length > 1) value.appendChild(element("small", "", s.name));
    }
    if (panel.series.length === 1 && panel.sparkline) chart(stat.appendChild(element("div", "spark")), panel, { axes: false, fill: true });
    continue;
  }
  const holder = body.appendChild(element("div", "chart"));
  const legendEl = body.appendChild(element("div", "legend"));
  panel.series.forEach((s, i) => { const l = legendEl.appendChild(element("span", "", s.name)); l.style.setProperty("--c", COLORS[i % COLORS.length]); });
  chart(holder, panel, {});
}

const footer = element("div", "", "Drawn from " + page.source + " by packaging/monitoring/render-dashboard.mjs with Prometheus data (not Grafana). " +
  "Step " + page.step + " s; " + Object.entries(page.substitutions).filter(([k]) => k !== "datasource")
  .map(([k, v]) => "$" + k + " = " + v).join(", ") + ".");
footer.id = "footer"; pageEl.appendChild(footer);
</script></body></html>
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => { console.error(`render-dashboard: ${error.message}`); process.exit(1); });
}
