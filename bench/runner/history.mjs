// History paging beside live traffic (issue 9, docs/benchmarks.md "History paging beside live traffic"):
// the delivery latency of live messages while other clients page back through a room of 100 000 messages,
// with the store's long reads on the event loop ("loop", TERTULIA_BENCH_STORE_READS_ON_LOOP=1: what every
// read did before) and on the store's reader thread ("thread", the default), on SQLite and on PostgreSQL.
// Both modes run in the same run, alternating their order per repetition; medians of the repetitions.
//
// Live load: tertulia-loadgen fanout (core 1). Pagers: native WebSocket clients in this process (ws from
// bench/peers), each asking for the next older page of 200 as soon as the last one came back, from the
// newest message down to the first and around again. The server (and PostgreSQL) run on core 0.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, machineInfo, ROOT, runLoadgen, runSection, sleep, spawnPinned, waitForPort, waitForQuiet } from './run.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const WebSocket = createRequire(path.join(root, 'bench', 'peers', 'package.json'))('ws');
const ROOM = 'archive';
const MODES = ['loop', 'thread'];

function parseArgs(argv) {
  const o = { quick: false, reps: null, stores: ['sqlite', 'postgres'], pagers: 4, messages: 100000, out: null, doc: null };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--history') continue;   // run.sh's switch, passed along
    else if (a === '--reps') o.reps = Number(next());
    else if (a === '--stores') o.stores = next().split(',');
    else if (a === '--pagers') o.pagers = Number(next());
    else if (a === '--messages') o.messages = Number(next());
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--doc') o.doc = true;
    else if (a === '--no-doc') o.doc = false;
    else if (a === '--loadgen') o.loadgen = path.resolve(next());
    else if (a === '--server') o.server = path.resolve(next());
    else if (a === '--seed') o.seed = path.resolve(next());
    else throw new Error(`unknown option ${a} (see bench/README.md)`);
  }
  o.reps ??= o.quick ? 1 : 3;
  o.doc ??= !o.quick && o.stores.length === 2;
  o.out ??= path.join(root, 'build', 'bench-results', o.quick ? 'history-quick' : 'history');
  return o;
}

function load(quick) {
  return ['--mode', 'fanout', '--clients', '200', '--rooms', '10', '--inflight', '200', '--connect-timeout-seconds', '60',
    '--rates', '4000', '--step-seconds', quick ? '3' : '8', '--warmup-seconds', '1'];
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL (as bench/runner/cluster.mjs starts it: a throw-away cluster, Unix socket only, core 0)

function pgBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

const asPostgres = (argv) => (ROOT ? ['runuser', '-u', 'postgres', '--', ...argv] : argv);

async function startPostgres(bin) {
  const pg = { bin, dir: mkdtempSync(path.join(os.tmpdir(), 'bench-history-pg-')), port: await freePort(), running: false };
  if (ROOT) {
    execFileSync('chown', ['postgres', pg.dir]);
    execFileSync('chmod', ['700', pg.dir]);
  }
  const initdb = asPostgres([path.join(bin, 'initdb'), '-D', path.join(pg.dir, 'data'), '-A', 'trust', '-U', 'tertulia', '-E', 'UTF8',
    '--locale=C', '--no-sync']);
  execFileSync(initdb[0], initdb.slice(1), { stdio: 'ignore' });
  const options = `-k ${pg.dir} -p ${pg.port} -c listen_addresses='' -c synchronous_commit=off -c max_connections=50`;
  const argv = ['taskset', '-c', '0', ...asPostgres([path.join(bin, 'pg_ctl'), '-D', path.join(pg.dir, 'data'), '-o', options,
    '-l', path.join(pg.dir, 'log'), '-w', 'start'])];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.stderr || r.stdout}`);
  pg.running = true;
  pg.url = (database) => `postgresql:///${database}?host=${pg.dir}&port=${pg.port}&user=tertulia`;
  pg.sql = (database, statement) => {
    const q = spawnSync(path.join(bin, 'psql'), ['-h', pg.dir, '-p', String(pg.port), '-U', 'tertulia', '-d', database, '-v',
      'ON_ERROR_STOP=1', '-At', '-c', statement], { encoding: 'utf8' });
    if (q.status !== 0) throw new Error(`psql: ${q.stderr.trim()}`);
    return q.stdout.trim();
  };
  pg.stop = () => {
    if (!pg.running) return;
    pg.running = false;
    const stop = asPostgres([path.join(bin, 'pg_ctl'), '-D', path.join(pg.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    spawnSync(stop[0], stop.slice(1), { stdio: 'ignore' });
    rmSync(pg.dir, { recursive: true, force: true });
  };
  return pg;
}

// ---------------------------------------------------------------------------------------------------
// the server and the pagers

const LIMITS = { max_connections_per_ip: 20000, ip_connect_burst: 100000, ip_connect_per_second: 100000,
  user_connect_burst: 100000, user_connect_per_second: 100000, rate_burst: 100000, rate_per_second: 100000,
  user_rate_burst: 100000, user_rate_per_second: 100000 };

async function startServer(ctx, store, mode, database) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), `bench-history-${store}-`));
  const config = path.join(dir, 'bench.json');
  writeFileSync(config, JSON.stringify({ limits: LIMITS }));
  const args = ['--listen', `127.0.0.1:${port}`, '--data-dir', dir, '--config', config, '--secret-file', ctx.secretFile];
  if (store === 'postgres') args.push('--store', 'postgres', '--database', database, '--node-id', 'h1');
  else copyFileSync(ctx.sqliteSeed, path.join(dir, 'tertulia.db'));
  // The switch is read once at start: the child inherits it, the runner drops it again.
  if (mode === 'loop') process.env.TERTULIA_BENCH_STORE_READS_ON_LOOP = '1';
  const child = spawnPinned(0, [ctx.server, ...args]);
  delete process.env.TERTULIA_BENCH_STORE_READS_ON_LOOP;
  const chunks = [];
  child.stdout.on('data', (d) => chunks.push(d));
  child.stderr.on('data', (d) => chunks.push(d));
  const log = path.join(ctx.logDir, `history-${store}-${mode}-${Date.now()}.log`);
  const running = () => child.exitCode === null && child.signalCode === null;
  const server = {
    port, pid: child.pid,
    async stop() {
      if (running()) {
        child.kill('SIGTERM');
        const end = Date.now() + 3000;
        while (running() && Date.now() < end) await sleep(50);
        if (running()) child.kill('SIGKILL');
        while (running()) await sleep(20);
      }
      writeFileSync(log, Buffer.concat(chunks));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (!(await waitForPort(port, child, 20000))) {
    await server.stop();
    throw new Error(`tertulia-server (${store}, reads on the ${mode}) did not start listening (log: ${log})`);
  }
  return server;
}

function mintToken(key, user) {
  const b64 = (x) => Buffer.from(x).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64(JSON.stringify({ iss: 'tertulia', aud: 'tertulia', sub: user, iat: now, exp: now + 3600,
    jti: randomBytes(8).toString('hex'), sid: `bench-${user}`, typ: 'access' }));
  const mac = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${mac}`;
}

// One pager: pages back from the newest message to the first, and around again, one request at a time.
function startPager(ctx, port, user) {
  const stats = { pages: 0, messages: 0, errors: 0, closed: false };
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, 'tertulia.v1', { headers: { Authorization: `Bearer ${mintToken(ctx.key, user)}` } });
  let before = null;
  let id = 0;
  let counting = false;
  const ask = () => {
    const data = { room: ROOM, limit: 200 };
    if (before !== null) data.before = before;
    ws.send(JSON.stringify({ type: 'history', id: String(++id), data }));
  };
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString());
    if (frame.type === 'hello') return ask();
    if (frame.type === 'error' && frame.id) {
      stats.errors += 1;
      return ask();
    }
    if (frame.type !== 'ok' || !frame.id) return;
    const page = frame.data;
    if (counting) {
      stats.pages += 1;
      stats.messages += page.messages.length;
    }
    before = page.has_more && page.messages.length ? page.messages[0].seq : null;
    ask();
  });
  ws.on('close', () => (stats.closed = true));
  ws.on('error', () => (stats.closed = true));
  return { stats, count: (on) => (counting = on), close: () => ws.terminate() };
}

async function runOne(ctx, store, mode, rep) {
  const quiet = await waitForQuiet(ctx.quick ? 0 : 3000, 0.25, ctx.quick ? 300 : 1000);
  let database = null;
  if (store === 'postgres') {
    database = `run${++ctx.databases}`;
    ctx.pg.sql('postgres', `CREATE DATABASE ${database} TEMPLATE seeded`);
    database = ctx.pg.url(database);
  }
  const server = await startServer(ctx, store, mode, database);
  const pagers = [];
  const started = Date.now();
  let result;
  try {
    // Pagers are users the generator does not use (it takes u0 .. u199).
    for (let i = 0; i < ctx.pagers; ++i) pagers.push(startPager(ctx, server.port, `u${1000 + i}`));
    await sleep(500);
    for (const p of pagers) p.count(true);
    const t0 = Date.now();
    result = await runLoadgen(ctx, [...ctx.load, '--proto', 'native', '--port', String(server.port), '--secret-file', ctx.secretFile,
      '--server-pid', String(server.pid), '--label', `${store}-${mode}`], 300000);
    const seconds = (Date.now() - t0) / 1000;
    for (const p of pagers) p.count(false);
    result.pager_pages_per_s = pagers.reduce((n, p) => n + p.stats.pages, 0) / seconds;
    result.pager_errors = pagers.reduce((n, p) => n + p.stats.errors, 0);
    result.pagers_closed = pagers.filter((p) => p.stats.closed).length;
  } catch (e) {
    result = { valid: false, invalid_reasons: [e.message] };
  } finally {
    for (const p of pagers) p.close();
    await server.stop();
  }
  const step = result.steps?.[0];
  const run = { store, mode, rep, seconds: (Date.now() - started) / 1000, machine_busy_before: quiet.busy, result };
  console.log(`  ${`${store} reads on the ${mode}`.padEnd(32)} rep ${rep}: ${result.valid ? 'valid' : `INVALID: ${(result.invalid_reasons ?? []).join('; ').slice(0, 200)}`}`
    + ` p50 ${step?.latency_ms?.p50} ms, p99 ${step?.latency_ms?.p99} ms, p99.9 ${step?.latency_ms?.p999} ms,`
    + ` ${Math.round(result.pager_pages_per_s ?? 0)} pages/s`);
  return run;
}

// ---------------------------------------------------------------------------------------------------
// report

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const fmt = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

function summarize(raw) {
  const rows = [];
  for (const store of raw.stores) {
    for (const mode of MODES) {
      const runs = raw.runs.filter((r) => r.store === store && r.mode === mode);
      const valid = runs.filter((r) => r.result?.valid);
      const step = (r) => r.result.steps[0];
      rows.push({ store, mode, runs: runs.length, valid: valid.length,
        p50: median(valid.map((r) => step(r).latency_ms.p50)), p99: median(valid.map((r) => step(r).latency_ms.p99)),
        p999: median(valid.map((r) => step(r).latency_ms.p999)), max: median(valid.map((r) => step(r).latency_ms.max)),
        pages: median(valid.map((r) => r.result.pager_pages_per_s)) });
    }
  }
  return rows;
}

function renderMarkdown(raw) {
  const rows = summarize(raw);
  const lines = [
    `Run of ${raw.machine.date} (commit ${raw.machine.commit}; ${raw.machine.cpu ?? ''}; load average at start ${raw.machine.loadavg_at_start}),`
      + ` ${raw.options.reps} repetition(s), medians of the valid ones. Live load: ${raw.load.join(' ')}.`
      + ` Pagers: ${raw.options.pagers}, pages of 200 of a room of ${raw.options.messages} messages.`,
    '',
    '| store | long reads | valid runs | p50 ms | p99 ms | p99.9 ms | max ms | pages/s |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.store} | ${r.mode === 'loop' ? 'on the event loop (before)' : 'reader thread (now)'} | ${r.valid}/${r.runs}`
      + ` | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.p999)} | ${fmt(r.max)} | ${fmt(r.pages, 0)} |`);
  }
  const invalid = raw.runs.filter((r) => !r.result?.valid);
  if (invalid.length) {
    lines.push('', 'Invalid runs (left out): ' + invalid.map((r) => `${r.store}/${r.mode} rep ${r.rep}: ${(r.result?.invalid_reasons ?? []).join('; ').slice(0, 160)}`).join('; '));
  }
  return lines.join('\n');
}

async function measure(opt) {
  for (const [what, file] of [['load generator', opt.loadgen], ['tertulia-server', opt.server], ['tertulia-bench-seed', opt.seed]])
    if (!file || !existsSync(file)) throw new Error(`no ${what} at ${file}: run bench/run.sh --history`);
  const logDir = path.join(root, 'build', 'bench-results', 'logs');
  mkdirSync(logDir, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-history-'));
  const secretHex = randomBytes(32).toString('hex');
  const secretFile = path.join(work, 'secret.key');
  writeFileSync(secretFile, `${secretHex}\n`, { mode: 0o600 });
  const ctx = { loadgen: opt.loadgen, server: opt.server, logDir, quick: opt.quick, secretFile, key: Buffer.from(secretHex, 'hex'),
    pagers: opt.pagers, load: load(opt.quick), databases: 0 };
  process.on('exit', () => {
    ctx.pg?.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const machine = machineInfo(true);
  const seedArgs = ['--users', '2000', '--history-room', ROOM, '--history-messages', String(opt.messages)];
  if (opt.stores.includes('postgres')) {
    const bin = pgBinDir();
    if (!bin) throw new Error('PostgreSQL\'s server programs are not installed (Debian: postgresql)');
    ctx.pg = await startPostgres(bin);
    ctx.pg.sql('postgres', 'CREATE DATABASE seeded');
    execFileSync(opt.seed, ['--database', ctx.pg.url('seeded'), ...seedArgs], { stdio: 'inherit' });
  }
  if (opt.stores.includes('sqlite')) {
    const dir = path.join(work, 'sqlite-seed');
    execFileSync(opt.seed, ['--data-dir', dir, ...seedArgs], { stdio: 'inherit' });
    ctx.sqliteSeed = path.join(dir, 'tertulia.db');
  }
  console.log(`bench history: ${opt.stores.join(', ')} x ${MODES.join(', ')} x ${opt.reps} repetitions`);
  const runs = [];
  for (let rep = 1; rep <= opt.reps; ++rep) {
    for (const store of opt.stores) {
      // Alternate which mode goes first, so a drift of the shared machine does not favour one.
      for (const mode of rep % 2 ? MODES : [...MODES].reverse()) runs.push(await runOne(ctx, store, mode, rep));
    }
  }
  return { machine, options: { quick: opt.quick, reps: opt.reps, pagers: opt.pagers, messages: opt.messages }, stores: opt.stores,
    load: ctx.load, runs };
}

runSection({ section: 'history', parseArgs, measure, renderMarkdown });
