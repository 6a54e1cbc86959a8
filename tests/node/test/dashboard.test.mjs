// The dashboard renderer's pure half (packaging/monitoring/render-dashboard.mjs) on the real
// tertulia-dashboard.json: every panel placed on the 24-column grid without overlap, and every target's
// variables substituted the way Grafana does. Needs neither a server nor Prometheus.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { GRID_COLUMNS, intervals, layout, legend, queries, substitute, variableValue }
  from "../../../packaging/monitoring/render-dashboard.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const dashboard = JSON.parse(readFileSync(path.join(here, "..", "..", "..", "packaging", "monitoring",
                                                    "tertulia-dashboard.json"), "utf8"));

describe("the dashboard renderer", () => {
  it("places every panel inside the grid, none over another", () => {
    const { panels, height } = layout(dashboard, 1600);
    assert.equal(panels.length, dashboard.panels.length);
    for (const { grid, box, panel } of panels) {
      assert.ok(grid.x >= 0 && grid.w > 0 && grid.x + grid.w <= GRID_COLUMNS, `${panel.title} in the columns`);
      assert.ok(box.left >= 0 && box.left + box.width <= 1600 && box.top + box.height <= height, `${panel.title} on the page`);
    }
    for (let i = 0; i < panels.length; i++) {
      for (let j = i + 1; j < panels.length; j++) {
        const [a, b] = [panels[i].box, panels[j].box];
        const apart = a.left + a.width <= b.left || b.left + b.width <= a.left || a.top + a.height <= b.top
                      || b.top + b.height <= a.top;
        assert.ok(apart, `${panels[i].panel.title} and ${panels[j].panel.title} overlap`);
      }
    }
  });

  it("substitutes every variable of every target", () => {
    const instance = dashboard.templating.list.find((v) => v.name === "instance");
    const values = { datasource: "http://127.0.0.1:9090", __interval: "2s", __rate_interval: "8s", __range: "150s",
                     instance: variableValue(instance, undefined, ["127.0.0.1:7421"]) };
    assert.equal(values.instance, ".*");  // All, with the dashboard's allValue
    const all = queries(dashboard, values);
    const targets = dashboard.panels.flatMap((p) => p.targets ?? []);
    assert.equal(all.length, targets.length);
    for (const { expr } of all) assert.doesNotMatch(expr, /\$|\[\[/, expr);
    assert.ok(all.some(({ expr }) => expr.includes('instance=~".*"') && expr.includes("[8s]")));
    assert.throws(() => substitute("rate(x[$__unknown])", values), /unknown variable/);
  });

  it("chooses nodes, intervals and legends as Grafana does", () => {
    const instance = dashboard.templating.list.find((v) => v.name === "instance");
    assert.equal(variableValue(instance, ["127.0.0.1:7421"]), "127\\.0\\.0\\.1:7421");
    assert.equal(variableValue(instance, ["a:1", "b:2"]), "(a:1|b:2)");
    assert.deepEqual(intervals({ rangeSeconds: 150, maxDataPoints: 500, scrapeSeconds: 2 }), { interval: 2, rateInterval: 8 });
    assert.deepEqual(intervals({ rangeSeconds: 21600, maxDataPoints: 500, scrapeSeconds: 15 }), { interval: 44, rateInterval: 60 });
    assert.equal(legend("sessions {{instance}}", { instance: "n1:7421" }), "sessions n1:7421");
  });
});
