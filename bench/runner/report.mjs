// Turns the generator's JSON results into medians, ratios, chart data and the Markdown of
// docs/benchmarks.md. Pure functions: run.mjs does the I/O.

const step0 = (r) => r.steps?.[0];
const stepAt = (r, rate) => r.steps?.find((s) => s.offered_deliveries_per_s === rate);
// A step counts only when valid (no loss, generator within its budget): a sweep's failing last step does not.
const validStepAt = (r, rate) => {
  const s = stepAt(r, rate);
  return s?.valid ? s : undefined;
};
const idleAt = (r, n) => r.idle_steps?.find((s) => s.connections === n);

// The highest offered rate with p99 <= 50 ms and nothing lost (a valid step).
export function capacity(result) {
  let best = 0;
  for (const s of result.steps ?? []) {
    if (s.valid && s.latency_ms.p99 <= 50) best = Math.max(best, s.offered_deliveries_per_s);
  }
  return best;
}

// Why a sweep stopped: the latency target, loss, or the generator's own CPU limit (then the capacity
// is a lower bound).
export function sweepEnd(result) {
  const steps = result.steps ?? [];
  const last = steps[steps.length - 1];
  if (!last) return 'no steps';
  if (last.valid && last.latency_ms.p99 <= 50) return 'top rate reached';
  if ((last.invalid_reasons ?? []).some((x) => x.startsWith('generator'))) return 'generator limit';
  if (!last.valid) return (last.invalid_reasons ?? [])[0] ?? 'invalid';
  return `p99 ${last.latency_ms.p99.toFixed(1)} ms at ${last.offered_deliveries_per_s / 1000}k/s`;
}

export const METRICS = [
  { key: 'low_p50', scenario: 'lowload', label: 'Low load p50 latency', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p50 },
  { key: 'low_p99', scenario: 'lowload', label: 'Low load p99 latency', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p99 },
  { key: 'lowbusy_p50', scenario: 'lowload-busy', label: 'Low load p50 latency, generator busy-polling', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p50 },
  { key: 'lowbusy_p99', scenario: 'lowload-busy', label: 'Low load p99 latency, generator busy-polling', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p99 },
  { key: 'a_capacity', scenario: 'a', label: '(a) capacity: p99 ≤ 50 ms, no loss', unit: 'deliveries/s', better: 'higher', get: capacity, sweep: true },
  { key: 'a_p99_100k', scenario: 'a', label: '(a) p99 at 100 000 deliveries/s', unit: 'ms', better: 'lower', get: (r) => validStepAt(r, 100000)?.latency_ms.p99, sweep: true },
  { key: 'a_cpu_100k', scenario: 'a', label: '(a) server CPU per delivery at 100 000/s', unit: 'µs', better: 'lower', get: (r) => validStepAt(r, 100000)?.server?.cpu_us_per_delivery, sweep: true },
  { key: 'b_p50', scenario: 'b', label: '(b) p50 latency', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p50 },
  { key: 'b_p99', scenario: 'b', label: '(b) p99 latency', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p99 },
  { key: 'b_p999', scenario: 'b', label: '(b) p99.9 latency', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p999 },
  { key: 'b_cpu', scenario: 'b', label: '(b) server CPU per delivery', unit: 'µs', better: 'lower', get: (r) => step0(r)?.server?.cpu_us_per_delivery },
  { key: 'b_busy', scenario: 'b', label: '(b) server CPU busy', unit: '% core', better: 'lower', get: (r) => pct(step0(r)?.server?.cpu_fraction) },
  { key: 'c_p50', scenario: 'c', label: '(c) p50 latency', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p50 },
  { key: 'c_p99', scenario: 'c', label: '(c) p99 latency', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p99 },
  { key: 'c_cpu', scenario: 'c', label: '(c) server CPU per delivery', unit: 'µs', better: 'lower', get: (r) => step0(r)?.server?.cpu_us_per_delivery },
  { key: 'connect_rate', scenario: 'b', label: '(b) connect + upgrade + auth + join, 1 000 in flight', unit: 'clients/s', better: 'higher', get: (r) => r.connect?.members?.per_second, usable: connected },
  { key: 'listen_overflows', scenario: 'b', label: '(b) listen overflows in that connect phase', unit: 'count', better: 'lower', get: (r) => r.connect?.members?.listen_overflows, noRatio: true, usable: connected },
  { key: 'idle_1k', scenario: 'idle', label: 'Idle RSS per connection at 1 000', unit: 'kB', better: 'lower', get: (r) => kb(idleAt(r, 1000)?.rss_per_connection_bytes) },
  { key: 'idle_3k', scenario: 'idle', label: 'Idle RSS per connection at 3 000', unit: 'kB', better: 'lower', get: (r) => kb(idleAt(r, 3000)?.rss_per_connection_bytes) },
  { key: 'idle_10k', scenario: 'idle', label: 'Idle RSS per connection at 10 000', unit: 'kB', better: 'lower', get: (r) => kb(idleAt(r, 10000)?.rss_per_connection_bytes) },
  { key: 'idle_19k', scenario: 'idle', label: 'Idle RSS per connection at 19 000', unit: 'kB', better: 'lower', get: (r) => kb(idleAt(r, 19000)?.rss_per_connection_bytes) },
  { key: 'heartbeat', scenario: 'idle', label: 'Heartbeat CPU with every idle client connected', unit: '% core', better: 'lower', get: (r) => pct(r.heartbeat?.server_cpu_fraction) },
  { key: 'storm_rejoin', scenario: 'storm', label: 'Storm: every dropped client rejoined, counted from the drop (reconnects spread over 1 000 ms)', unit: 'ms', better: 'lower', get: (r) => r.storm?.all_rejoined_ms },
  { key: 'storm_p99', scenario: 'storm', label: 'Storm: p99 latency of the rooms that keep talking', unit: 'ms', better: 'lower', get: (r) => step0(r)?.latency_ms.p99 },
];

// The connect phase is usable when every client got connected, whatever happened in the steps after it.
function connected(result) {
  const phases = Object.values(result.connect ?? {});
  return phases.length > 0 && phases.every((p) => p.ready === p.requested);
}

function pct(x) {
  return x === undefined || x === null ? undefined : x * 100;
}

function kb(bytes) {
  return bytes === undefined || bytes === null ? undefined : bytes / 1000;
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// A run counts when the generator marked it valid. A capacity sweep's last step is allowed to fail
// (that is where the sweep stops), the generator already leaves it out of the run's validity.
export function aggregate(runs, contenders, scenarios) {
  const summary = {};
  const scenarioIds = new Set(scenarios.map((s) => s.id));
  for (const m of METRICS) {
    if (!scenarioIds.has(m.scenario)) continue;
    summary[m.key] = {};
    for (const c of contenders) {
      const mine = runs.filter((r) => r.scenario === m.scenario && r.contender === c.id);
      const values = mine.filter((r) => (m.usable ?? ((x) => x.valid))(r.result)).map((r) => m.get(r.result)).filter((x) => typeof x === 'number' && Number.isFinite(x));
      const present = mine.filter((r) => Number.isFinite(m.get(r.result))).length;
      summary[m.key][c.id] = values.length
        ? { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length, runs: mine.length, present }
        : { n: 0, runs: mine.length, present };
    }
  }
  return summary;
}

// Scenario (a): median p99 per offered rate and contender, over valid steps (a step over the latency
// target is valid; one that lost messages or ran the generator over its budget is not).
export function chartData(runs, contenders) {
  const out = [];
  for (const c of contenders) {
    const byRate = new Map();
    for (const r of runs.filter((x) => x.scenario === 'a' && x.contender === c.id)) {
      for (const s of r.result.steps ?? []) {
        if (!s.valid || !s.latency_ms.count) continue;
        if (!byRate.has(s.offered_deliveries_per_s)) byRate.set(s.offered_deliveries_per_s, []);
        byRate.get(s.offered_deliveries_per_s).push(s.latency_ms.p99);
      }
    }
    const points = [...byRate.entries()].sort((a, b) => a[0] - b[0]).map(([x, ys]) => [x, median(ys)]);
    if (points.length) out.push({ name: c.name, points });
  }
  return out;
}

function fmt(x) {
  if (x === undefined || x === null || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 10000) return Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

function cell(s) {
  if (!s || s.n === 0) return s && s.runs ? `— (0/${s.runs} valid)` : '—';
  const range = s.n > 1 ? ` (${fmt(s.min)}–${fmt(s.max)})` : '';
  const partial = s.n < s.runs ? ` [${s.n}/${s.runs} valid]` : '';
  return `${fmt(s.median)}${range}${partial}`;
}

function ratio(a, b) {
  if (!a || !b || a.n === 0 || b.n === 0 || !(b.median > 0)) return '—';
  const r = a.median / b.median;
  return `${r >= 100 ? Math.round(r) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

// The contender of `pool` with the best median of a row (lowest or highest as the metric says), or null.
export function bestOf(row, pool, better) {
  let best = null;
  for (const c of pool) {
    const s = row[c.id];
    if (!s || s.n === 0) continue;
    if (!best || (better === 'higher' ? s.median > row[best.id].median : s.median < row[best.id].median)) best = c;
  }
  return best;
}

// The ratio columns: each of ours against the best of the others in that row (named in the cell), and
// against the one peer earlier reports were read against (Node ws, Node Socket.IO) when there are others.
export function ratioColumns(contenders) {
  const has = (id) => contenders.some((c) => c.id === id);
  const byId = (id) => contenders.filter((c) => c.id === id);
  const others = contenders.filter((c) => !c.id.startsWith('tertulia'));
  const plain = others.filter((c) => !c.tls);
  const sioOthers = plain.filter((c) => c.proto === 'sio');
  const tlsOthers = others.filter((c) => c.tls);
  const columns = [];
  const against = (ours, label, pool, poolLabel) => {
    if (has(ours) && pool.length) columns.push({ title: pool.length > 1 ? `${label} ÷ best ${poolLabel}` : `${label} ÷ ${pool[0].name}`, ours, pool });
  };
  against('tertulia', 'Tertulia', plain, 'other');
  if (has('tertulia') && has('ws') && plain.length > 1) columns.push({ title: 'Tertulia ÷ ws', ours: 'tertulia', pool: byId('ws') });
  against('tertulia-sio', 'Tertulia SIO', sioOthers, 'Socket.IO');
  if (has('tertulia-sio') && has('sio') && sioOthers.length > 1) columns.push({ title: 'Tertulia SIO ÷ Node Socket.IO', ours: 'tertulia-sio', pool: byId('sio') });
  against('tertulia-tls', 'Tertulia wss', tlsOthers, 'wss');
  if (!has('tertulia') && has('ws') && has('sio')) columns.push({ title: 'Socket.IO ÷ ws', ours: 'sio', pool: byId('ws') });
  return columns;
}

function ratioCell(row, column, better) {
  const best = bestOf(row, column.pool, better);
  if (!best) return '—';
  const r = ratio(row[column.ours], row[best.id]);
  return column.pool.length > 1 && r !== '—' ? `${r} (${best.name})` : r;
}

export function renderMarkdown(raw, { command, chart }) {
  const { machine, summary, contenders, runs, notes, callgrind } = raw;
  const columns = ratioColumns(contenders);
  const lines = [];
  const kind = raw.options.quick ? 'quick run (1 short repetition)' : `full run (${raw.options.reps} repetition${raw.options.reps === 1 ? '' : 's'})`;
  lines.push(`Measured ${machine.date.slice(0, 16).replace('T', ' ')} UTC at commit \`${machine.commit}\`, ${kind}, in ${Math.round(raw.elapsed_s)} s.`);
  lines.push('');
  lines.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gib} GiB, Linux ${machine.kernel}, ${machine.os}; load average ${machine.loadavg_at_start} at the start.`);
  const extra = [machine.uws && machine.uws !== 'missing' ? `, uWebSockets.js ${machine.uws}` : '',
    machine.bun && machine.bun !== 'missing' ? `, Bun ${machine.bun}` : ''].join('');
  lines.push(`- Versions: Node ${machine.node}, ws ${machine.ws}, socket.io ${machine.socketio}${extra}, Qt ${machine.qt}, GCC ${machine.gcc}.`);
  lines.push(`- Command: \`${command}\`. Servers pinned to core 0, generator to core 1 (\`taskset\`${machine.priority ? `, ${machine.priority}` : ''}); contenders interleaved.`);
  const busy = raw.runs.map((r) => r.machine_busy_before).filter((x) => Number.isFinite(x));
  if (busy.length) {
    const disturbed = busy.filter((x) => x > 0.25).length;
    lines.push(`- Other work on the machine: before ${disturbed} of ${busy.length} runs it was more than 25 % busy with something else (median ${Math.round(median(busy) * 100)} %).${disturbed ? ' Those numbers carry that noise.' : ''}`);
  }
  for (const n of notes) lines.push(`- ${n}`);
  lines.push('');
  lines.push('Each cell: median (min–max) over the valid repetitions. Ratios divide medians; "better" says which direction wins. '
    + 'A "best" column divides by the best median of that row among the contenders named in its title (which one, in parentheses).');
  lines.push('');
  const header = ['Metric', 'unit', 'better', ...contenders.map((c) => c.name), ...columns.map((c) => c.title)];
  lines.push(`| ${header.join(' | ')} |`);
  lines.push(`|${header.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`);
  for (const m of METRICS) {
    const row = summary[m.key];
    // A metric no run produced (e.g. a connection count the quick mode does not reach) gets no row.
    if (!row || !contenders.some((c) => row[c.id]?.present)) continue;
    const cells = contenders.map((c) => cell(row[c.id]));
    const ratios = columns.map((column) => (m.noRatio ? '' : ratioCell(row, column, m.better)));
    lines.push(`| ${[m.label, m.unit, m.better, ...cells, ...ratios].join(' | ')} |`);
  }
  lines.push('');
  lines.push('A capacity of 0 means that not even the lowest rate of the sweep passed. Connect figures count every run whose clients all connected, even when a later step of it failed.');
  lines.push('');
  // The two callgrind figures stand apart: a failed lockstep run does not hide a valid connect figure.
  if (callgrind?.valid) {
    lines.push(`Callgrind (tertulia-server, lockstep: ${callgrind.messages} messages one at a time into a room of ${callgrind.members}): `
      + `**${fmt(callgrind.per_delivery)} instructions per delivery** (${fmt(callgrind.instructions)} instructions for ${fmt(callgrind.deliveries)} deliveries).`);
    lines.push('');
  } else if (callgrind) {
    lines.push(`Callgrind: the lockstep run failed (${callgrind.error ?? (callgrind.generator?.invalid_reasons ?? []).join('; ')}).`);
    lines.push('');
  }
  const connect = callgrind?.connect;
  if (connect?.valid) {
    lines.push(`Callgrind (tertulia-server, ${fmt(connect.clients)} clients connecting, upgrading, authenticating and joining one of 20 rooms): `
      + `**${fmt(connect.per_connect)} instructions per connect** (${fmt(connect.instructions)} instructions).`);
    lines.push('');
  } else if (connect) {
    lines.push(`Callgrind: the connect run failed (${connect.error ?? 'no figure'}).`);
    lines.push('');
  }
  // The capacity sweep in detail: p99 per offered rate.
  const sweep = runs.filter((r) => r.scenario === 'a');
  if (sweep.length) {
    lines.push(`![p99 latency against offered load, scenario (a)](${chart})`);
    lines.push('');
    const rates = [...new Set(sweep.flatMap((r) => (r.result.steps ?? []).map((s) => s.offered_deliveries_per_s)))].sort((x, y) => x - y);
    lines.push(`Scenario (a) step by step: p99 ms (server CPU µs per delivery, generator CPU share) of each repetition; ✗ = lost messages or invalid.`);
    lines.push('');
    lines.push(`| contender | rep | ${rates.map((r) => `${r / 1000}k/s`).join(' | ')} | stopped by |`);
    lines.push(`|---|---|${rates.map(() => '---:').join('|')}|---|`);
    for (const r of sweep) {
      const name = contenders.find((c) => c.id === r.contender)?.name ?? r.contender;
      const cells = rates.map((rate) => {
        const s = stepAt(r.result, rate);
        if (!s) return '';
        const mark = s.valid ? '' : ' ✗';
        return `${fmt(s.latency_ms.p99)} (${fmt(s.server?.cpu_us_per_delivery)}, ${Math.round(s.generator_cpu * 100)} %)${mark}`;
      });
      lines.push(`| ${name} | ${r.rep} | ${cells.join(' | ')} | ${sweepEnd(r.result)} |`);
    }
    lines.push('');
  }
  const invalid = runs.filter((r) => !r.result.valid);
  if (invalid.length) {
    lines.push('Invalid runs (left out of the medians):');
    lines.push('');
    for (const r of invalid) {
      const name = contenders.find((c) => c.id === r.contender)?.name ?? r.contender;
      lines.push(`- ${r.scenario}, ${name}, repetition ${r.rep}: ${(r.result.invalid_reasons ?? []).join('; ')}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
