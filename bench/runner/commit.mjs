// The commit ceiling (issue 9: "messages/s at batch 1, 16, 64", and where PostgreSQL's NOTIFY stops
// several nodes): bench/commit/commit.cpp (tertulia-bench-commit) appends through a store's own group commit
// with a fixed batch size and the pipeline always full, so what it measures is what the store and its
// database commit, with no server, network or load generator sharing the cores.
//
//   sqlite        one SQLite store (WAL, synchronous=NORMAL: the server's default)
//   pg            PostgreSQL, no notice (a node on the Redis bus: its notice goes after the commit, outside
//                 the transaction; the Redis publish itself is not part of this figure)
//   pg-notify     PostgreSQL with every batch's NOTIFY in its transaction, and a listener per writer (the
//                 NOTIFY bus)
//   each with 1 writer and, for PostgreSQL, 3 writers at once (three nodes: their own rooms, one database,
//   the one global position row every batch takes)
//
// Batches 1, 16 and 64 (--batches), 3 repetitions (--reps), configurations interleaved within a repetition
// so every figure has its peers in the same minute of a noisy machine. PostgreSQL (a throw-away cluster,
// synchronous_commit=off as the cluster runner's) runs on core 0, the writers on core 1. Each run gets a
// fresh database (a copy of a migrated template) or SQLite directory.
//
// Results: build/bench-results/commit/ and (full runs) the "commit" section of docs/benchmarks.md plus
// docs/benchmarks/commit.json. `--render results.json` redoes the report from stored results.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Postgres, pgBinDir } from './cluster.mjs';
import { machineInfo, ROOT, runSection } from './run.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const CONFIGS = [
  { id: 'sqlite', store: 'sqlite', writers: 1, notify: false },
  { id: 'pg', store: 'pg', writers: 1, notify: false },
  { id: 'pg-notify', store: 'pg', writers: 1, notify: true },
  { id: 'pg×3', store: 'pg', writers: 3, notify: false },
  { id: 'pg-notify×3', store: 'pg', writers: 3, notify: true },
];

function parseArgs(argv) {
  const o = { quick: false, reps: null, batches: [1, 16, 64], seconds: null, out: null, doc: null };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--commit') continue;   // run.sh's switch, passed along
    else if (a === '--reps') o.reps = Number(next());
    else if (a === '--batches') o.batches = next().split(',').map(Number);
    else if (a === '--seconds') o.seconds = Number(next());
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--doc') o.doc = true;
    else if (a === '--no-doc') o.doc = false;
    else if (a === '--tool') o.tool = path.resolve(next());
    else if (a === '--seed') o.seed = path.resolve(next());
    else if (a === '--render') o.render = path.resolve(next());
    else throw new Error(`unknown option ${a} (see bench/README.md)`);
  }
  if (o.batches.some((b) => !(b >= 1 && b <= 512))) throw new Error('--batches: 1 to 512 each');
  o.reps ??= o.quick ? 1 : 3;
  o.seconds ??= o.quick ? 2 : 4;
  if (!(o.reps >= 1 && o.reps <= 20) || !(o.seconds > 0 && o.seconds <= 60)) throw new Error('--reps 1..20, --seconds up to 60');
  o.doc ??= !o.quick && o.batches.join() === '1,16,64';
  o.out ??= path.join(root, 'build', 'bench-results', o.quick ? 'commit-quick' : 'commit');
  o.tool ??= path.join(root, 'build', 'bench', 'bench', 'tertulia-bench-commit');
  o.seed ??= path.join(root, 'build', 'bench', 'bench', 'tertulia-bench-seed');
  return o;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

// CPU seconds of each of these processes (utime + stime), by pid; a process gone is left out.
function cpuByPid(pids) {
  const out = new Map();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / CLK_TCK);
    } catch {
      // ended
    }
  }
  return out;
}

// The CPU the processes spent between two samples: those in both by difference, those new at the end
// (a backend started meanwhile) whole; those gone at the end are lost (their last moments unknown), never
// negative.
function cpuBetween(before, after) {
  let seconds = 0;
  for (const [pid, end] of after) seconds += before.has(pid) ? Math.max(0, end - before.get(pid)) : end;
  return seconds;
}

// One writer: tertulia-bench-commit on core 1; resolves with its JSON. `marks` hears window-start/-end.
function writer(argv, marks, timeoutMs) {
  const prefix = [...(ROOT ? ['nice', '-n', '-10'] : []), 'taskset', '-c', '1'];
  const child = spawn(prefix[0], [...prefix.slice(1), ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => {
    err += d;
    for (const line of String(d).split('\n')) if (line.startsWith('window-')) marks?.(line.trim());
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    // 'close', not 'exit': the last of its output may come after the process has ended.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop();
      if (code !== 0) return reject(new Error(`tertulia-bench-commit ${argv.slice(1).join(' ')}: ${signal ?? code}: ${err.replace(/window-\w+\n/g, '').trim()}`));
      resolve(JSON.parse(last));
    });
  });
}

let databases = 0;

async function runOnce(ctx, config, batch, rep) {
  const timeoutMs = (ctx.seconds + 1) * 1000 + 90_000;
  // --hold-ms: the writers keep their connections a moment after the window, so that the database's
  // processes serving them are still there when their CPU is read at the window's end.
  const common = ['--batch', String(batch), '--seconds', String(ctx.seconds), '--warmup', '1', '--hold-ms', '1000'];
  let pgCpu = null;
  let results;
  if (config.store === 'sqlite') {
    const dir = mkdtempSync(path.join(ctx.work, 'sqlite-'));
    try {
      results = [await writer([ctx.tool, '--data-dir', dir, ...common], null, timeoutMs)];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const name = `run${++databases}`;
    ctx.pg.sql('postgres', `CREATE DATABASE ${name} TEMPLATE migrated`);
    const url = ctx.pg.url(name);
    // The database's CPU between the first writer's window marks (its backends are children of the
    // postmaster; the writers' connections are up by then).
    let before = null;
    const marks = (line) => {
      if (line === 'window-start' && before === null) before = cpuByPid(ctx.pg.pids());
      else if (line === 'window-end' && before !== null && pgCpu === null) pgCpu = { end: cpuByPid(ctx.pg.pids()), at: Date.now() };
      if (line === 'window-start') ctx.windowStartedAt ??= Date.now();
    };
    ctx.windowStartedAt = null;
    try {
      results = await Promise.all(Array.from({ length: config.writers }, (_, w) =>
        writer([ctx.tool, '--database', url, ...common, '--tag', `w${w}`, ...(config.notify ? ['--notify-node', `n${w + 1}`] : [])],
          w === 0 ? marks : null, timeoutMs)));
    } finally {
      try {
        ctx.pg.sql('postgres', `DROP DATABASE IF EXISTS ${name}`);
      } catch {
        // a connection still closing: pg.stop() takes it all
      }
    }
    if (before !== null && pgCpu !== null)
      pgCpu = cpuBetween(before, pgCpu.end) / Math.max(0.001, (pgCpu.at - ctx.windowStartedAt) / 1000);
    else
      pgCpu = null;
  }
  const messagesPerS = results.reduce((a, r) => a + r.messages_per_s, 0);
  const run = {
    config: config.id, store: config.store, writers: config.writers, notify: config.notify, batch, rep,
    messages_per_s: messagesPerS,
    transactions_per_s: messagesPerS / batch,
    wait_p50_ms: Math.max(...results.map((r) => r.wait_ms.p50)),
    wait_p99_ms: Math.max(...results.map((r) => r.wait_ms.p99)),
    writer_cpu_us_per_message: results.reduce((a, r) => a + r.cpu_us_per_message * r.committed, 0)
      / Math.max(1, results.reduce((a, r) => a + r.committed, 0)),
    // cores the database kept busy during the window, and per message
    database_cores: pgCpu,
    database_cpu_us_per_message: pgCpu === null ? null : (pgCpu * 1e6) / messagesPerS,
    notices: config.notify ? results.map((r) => `${r.notices_heard}/${r.transactions}`).join(' ') : null,
    writers_raw: results,
  };
  console.log(`bench commit: ${config.id} batch ${batch} rep ${rep}: ${Math.round(messagesPerS)} messages/s, `
    + `wait p50 ${run.wait_p50_ms.toFixed(2)} ms p99 ${run.wait_p99_ms.toFixed(2)} ms`
    + (pgCpu === null ? '' : `, database ${pgCpu.toFixed(2)} cores`) + (run.notices ? `, notices heard ${run.notices}` : ''));
  return run;
}

const median = (xs) => {
  const v = xs.filter((x) => x !== null && x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

export function summarize(raw) {
  const rows = [];
  for (const config of CONFIGS) {
    for (const batch of raw.options.batches) {
      const runs = raw.runs.filter((r) => r.config === config.id && r.batch === batch);
      if (!runs.length) continue;
      const perRep = (peerId) => median(runs.map((r) => {
        const peer = raw.runs.find((p) => p.config === peerId && p.batch === batch && p.rep === r.rep);
        return peer ? r.messages_per_s / peer.messages_per_s : null;
      }));
      rows.push({
        config: config.id, batch, reps: runs.length,
        messages_per_s: median(runs.map((r) => r.messages_per_s)),
        min: Math.min(...runs.map((r) => r.messages_per_s)),
        max: Math.max(...runs.map((r) => r.messages_per_s)),
        wait_p50_ms: median(runs.map((r) => r.wait_p50_ms)),
        wait_p99_ms: median(runs.map((r) => r.wait_p99_ms)),
        writer_cpu_us_per_message: median(runs.map((r) => r.writer_cpu_us_per_message)),
        database_cpu_us_per_message: median(runs.map((r) => r.database_cpu_us_per_message)),
        database_cores: median(runs.map((r) => r.database_cores)),
        // the same repetition's peers: NOTIFY against none, three writers against one
        vs_sqlite: config.id === 'sqlite' ? null : perRep('sqlite'),
        notify_vs_none: config.notify ? perRep(config.writers === 3 ? 'pg×3' : 'pg') : null,
        three_vs_one: config.writers === 3 ? perRep(config.notify ? 'pg-notify' : 'pg') : null,
      });
    }
  }
  return rows;
}

const fmt = (x, digits = 0) => (x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US', {
  maximumFractionDigits: digits, minimumFractionDigits: digits }).replace(/,/g, ' '));
const ratio = (x) => (x === null || x === undefined ? '–' : `${x.toFixed(2)}×`);

function renderMarkdown(raw) {
  const m = raw.machine;
  const lines = [];
  lines.push(`Run at \`${m.commit}\` on ${m.cpu}, ${m.cores} cores, ${m.os}, PostgreSQL ${raw.postgres_version}, `
    + `load average at start ${m.loadavg_at_start}; ${raw.options.reps} repetitions of ${raw.options.seconds} s `
    + `(after 1 s of warm-up) per configuration and batch, medians; ${raw.elapsed_s.toFixed(0)} s in all.`);
  lines.push('');
  lines.push('| store, writers | batch | messages/s (min–max) | commits/s | wait p50 / p99, ms | writer CPU µs/message | database CPU µs/message (cores) | ÷ SQLite | NOTIFY ÷ none | 3 writers ÷ 1 |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of raw.summary) {
    lines.push(`| ${r.config} | ${r.batch} | ${fmt(r.messages_per_s)} (${fmt(r.min)}–${fmt(r.max)}) | ${fmt(r.messages_per_s / r.batch)} `
      + `| ${fmt(r.wait_p50_ms, 2)} / ${fmt(r.wait_p99_ms, 2)} | ${fmt(r.writer_cpu_us_per_message, 1)} `
      + `| ${r.database_cpu_us_per_message === null ? '–' : `${fmt(r.database_cpu_us_per_message, 1)} (${fmt(r.database_cores, 2)})`} `
      + `| ${ratio(r.vs_sqlite)} | ${ratio(r.notify_vs_none)} | ${ratio(r.three_vs_one)} |`);
  }
  return lines.join('\n');
}

async function measure(opt) {
  for (const [what, file] of [['tertulia-bench-commit', opt.tool], ['tertulia-bench-seed', opt.seed]])
    if (!existsSync(file)) throw new Error(`no ${what} at ${file}: run bench/run.sh --commit`);
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL\'s server programs are not installed (Debian: postgresql)');
  mkdirSync(opt.out, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-commit-'));
  const pg = new Postgres(bin);
  process.on('exit', () => {
    pg.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const machine = machineInfo(true);
  const started = Date.now();
  console.log(`bench commit: PostgreSQL from ${bin}; batches ${opt.batches.join(', ')}; ${opt.reps} repetitions of ${opt.seconds} s`);
  await pg.start();
  const postgresVersion = spawnSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim()
    .replace(/^postgres \(PostgreSQL\) /, '');
  // A migrated, empty template (the store's own open() runs the migrations).
  pg.sql('postgres', 'CREATE DATABASE migrated');
  execFileSync(opt.seed, ['--database', pg.url('migrated'), '--users', '1'], { stdio: 'inherit' });
  const ctx = { tool: opt.tool, work, pg, seconds: opt.seconds };
  const runs = [];
  // Repetitions outside, so an interrupted run has whole repetitions; the order of the configurations
  // turns each repetition, so none is always first after a pause.
  for (let rep = 1; rep <= opt.reps; ++rep) {
    for (const batch of opt.batches) {
      const order = CONFIGS.map((_, i) => CONFIGS[(i + rep - 1) % CONFIGS.length]);
      for (const config of order) runs.push(await runOnce(ctx, config, batch, rep));
    }
  }
  const raw = { machine, postgres_version: postgresVersion,
    options: { quick: opt.quick, reps: opt.reps, batches: opt.batches, seconds: opt.seconds },
    elapsed_s: (Date.now() - started) / 1000, runs };
  return raw;
}

runSection({ section: 'commit', parseArgs, measure, summary: summarize, renderMarkdown });
