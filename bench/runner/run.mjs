// The benchmark runner (bench/README.md): starts each contender pinned to core 0, drives it with
// tertulia-loadgen pinned to core 1, repeats every scenario with the contenders interleaved, and writes
// the raw results, a chart and the table in docs/benchmarks.md. Only Node's standard library is used.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { aggregate, renderMarkdown, chartData } from './report.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function parseArgs(argv) {
  const o = { quick: false, reps: null, only: null, scenarios: null, out: null, doc: null, loadgen: null, server: null, callgrind: true };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--reps') o.reps = Number(next());
    else if (a === '--only') o.only = next().split(',');
    else if (a === '--scenarios') o.scenarios = next().split(',');
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--doc') o.doc = true;
    else if (a === '--no-doc') o.doc = false;
    else if (a === '--no-callgrind') o.callgrind = false;
    else if (a === '--loadgen') o.loadgen = path.resolve(next());
    else if (a === '--server') o.server = path.resolve(next());
    else if (a === '--seed') o.seed = path.resolve(next());
    else if (a === '--render') o.render = path.resolve(next());
    else if (a === '--section') o.section = next();
    else throw new Error(`unknown option ${a} (see bench/README.md)`);
  }
  o.reps ??= o.quick ? 1 : 3;
  // Another part of docs/benchmarks.md than the main results (e.g. `tls` for the wss:// contenders):
  // written between its own markers, raw results in docs/benchmarks/<section>-results.json.
  o.section ??= 'results';
  if (!/^[a-z][a-z0-9-]*$/.test(o.section)) throw new Error(`bad --section ${o.section}`);
  o.doc ??= !o.quick;
  o.out ??= o.quick ? path.join(root, 'build', 'bench-results', 'quick') : path.join(root, 'docs', 'benchmarks');
  o.loadgen ??= path.join(root, 'build', 'bench', 'bench', 'loadgen', 'tertulia-loadgen');
  o.server ??= path.join(root, 'build', 'bench', 'server', 'tertulia-server');
  o.seed ??= path.join(root, 'build', 'bench', 'bench', 'tertulia-bench-seed');
  return o;
}

// Scenario definitions. `args` go to tertulia-loadgen; every loop in the generator is bounded by them.
// The quick mode keeps every scenario but scales it down (fewer clients, shorter steps) to fit in under
// five minutes: it checks that the suite and the servers work, its numbers are not the results.
function scenarios(quick) {
  const q = (full, short) => (quick ? short : full);
  return [
    {
      id: 'lowload', title: 'Low load: one room of 100, 10 msg/s',
      args: ['--mode', 'fanout', '--clients', '100', '--rooms', '1', '--rates', '1000',
        '--step-seconds', q('8', '2'), '--warmup-seconds', q('1', '0.5')],
    },
    {
      // The same with the generator never sleeping (it spins on its own core): its wake-up is left out, so
      // the difference from the row above is the generator's share of the latency and what remains is the
      // server's and the kernel's (issue 14: how far above the machine's wake-up floor each contender is).
      id: 'lowload-busy', title: 'Low load, the generator busy-polling',
      args: ['--mode', 'fanout', '--clients', '100', '--rooms', '1', '--rates', '1000', '--busy-poll',
        '--max-generator-cpu', '1.01', '--step-seconds', q('8', '2'), '--warmup-seconds', q('1', '0.5')],
    },
    {
      id: 'a', title: '(a) One room of 1 000: capacity sweep',
      args: ['--mode', 'fanout', '--clients', '1000', '--rooms', '1',
        '--rates', q('10000,25000,50000,100000,150000,200000,300000,400000', '50000,100000'),
        '--step-seconds', q('3', '1'), '--warmup-seconds', '0.5', '--stop-p99-ms', '50'],
    },
    {
      id: 'b', title: '(b) 10 000 clients in 100 rooms of 100 at 50 000 deliveries/s',
      args: ['--mode', 'fanout', '--clients', q('10000', '2000'), '--rooms', q('100', '20'), '--inflight', '1000',
        '--connect-timeout-seconds', q('60', '20'),
        '--rates', q('50000', '20000'), '--step-seconds', q('6', '2'), '--warmup-seconds', q('1', '0.5')],
    },
    {
      id: 'c', title: '(c) One room of 4 000 at 50 000 deliveries/s',
      args: ['--mode', 'fanout', '--clients', q('4000', '1500'), '--rooms', '1', '--rates', q('50000', '15000'),
        '--connect-timeout-seconds', q('60', '20'),
        '--step-seconds', q('5', '2'), '--warmup-seconds', q('1', '0.5')],
    },
    {
      id: 'idle', title: 'Idle connections',
      settle: q(1, 0.5),
      args: ['--mode', 'idle', '--clients', q('19000', '3000'), '--rooms', q('190', '30'),
        '--idle-steps', q('1000,10000,19000', '1000,3000'), '--idle-seconds', q('21', '2'),
        '--connect-timeout-seconds', q('60', '20'),
        '--settle-seconds', q('1', '0.5')],
    },
    {
      id: 'storm', title: 'Reconnect storm: 10 000 dropped, back within 1 s',
      args: ['--mode', 'storm', '--clients', q('10100', '1010'), '--rooms', q('100', '10'),
        '--connect-timeout-seconds', q('60', '20'),
        '--storm-drop', q('10000', '1000'), '--storm-window-ms', '1000', '--storm-rate', q('10100', '1010'),
        '--storm-before-seconds', '1', '--storm-after-seconds', q('1', '0.5'), '--storm-timeout-seconds', q('20', '10')],
    },
  ];
}

export function sh(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

export function machineInfo(serverAvailable) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? 'unknown';
  const pkg = (name) => {
    try {
      return JSON.parse(readFileSync(path.join(root, 'bench', 'peers', 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return 'missing';
    }
  };
  return {
    cpu: model,
    cores: os.cpus().length,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    os: sh('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
    node: process.version,
    ws: pkg('ws'),
    socketio: pkg('socket.io'),
    uws: pkg('@trufflesuite/uws-js-unofficial'),
    bun: pkg('bun'),
    qt: sh('dpkg-query', ['-W', '-f=${Version}', 'libqt6core6']) || 'unknown',
    gcc: sh('gcc', ['-dumpfullversion']),
    commit: sh('git', ['-C', root, 'rev-parse', '--short', 'HEAD']),
    tertulia_server: serverAvailable,
    priority: ROOT ? 'nice -10 in an autogroup of nice -10' : '',
    loadavg_at_start: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    date: new Date().toISOString(),
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Root may raise the priority of the benchmark's own processes, so that other work on a shared machine
// (builds, tests) disturbs them less; every contender gets the same treatment. With the scheduler's
// autogroups on, nice only ranks processes of one session against each other, so each benchmark process
// also gets a session of its own (detached) whose autogroup is set to nice -10.
export const ROOT = process.getuid?.() === 0;
const PRIORITY = ROOT ? ['nice', '-n', '-10'] : [];
const live = new Set();
// Servers and generators run in sessions of their own, so a signal to the runner does not reach them:
// take them along on the way out.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.error(`bench: ${signal}, stopping`);
    process.exit(130);
  });
}

export function spawnPinned(core, argv) {
  const child = spawn(...pinned(core, argv), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (ROOT && child.pid) {
    try {
      writeFileSync(`/proc/${child.pid}/autogroup`, '-10');
    } catch {
      // no autogroups in this kernel: nice alone applies
    }
  }
  live.add(child);
  child.on('exit', () => live.delete(child));
  return child;
}

// [command, args] running argv on one core (nice and taskset exec their argument: the pid stays the program's).
function pinned(core, argv) {
  const all = [...PRIORITY, 'taskset', '-c', String(core), ...argv];
  return [all[0], all.slice(1)];
}

export function machineBusy() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4];
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { idle, total };
}

// Waits (at most `maxMs`) until the machine is quiet before a run: nothing of ours runs then, so any
// load is someone else's. Returns the busy share measured last and how long it waited.
export async function waitForQuiet(maxMs, threshold, sampleMs) {
  const start = Date.now();
  for (;;) {
    const a = machineBusy();
    await sleep(sampleMs);
    const b = machineBusy();
    const busy = 1 - (b.idle - a.idle) / Math.max(1, b.total - a.total);
    if (busy <= threshold || Date.now() - start >= maxMs) return { busy, waited_s: (Date.now() - start) / 1000 };
  }
}

/// The life of a section runner (--cluster, --history, --failover, --commit), the same for each: parse the
/// arguments; with `--render results.json` redo the report from stored results (`onRender` may adjust the
/// options from them), otherwise `measure(opt)` them; then publish: `summary(raw)` kept in the results, the
/// report `renderMarkdown(raw)` printed and written by publishSection(). Exits 0, or 1 saying what failed.
export function runSection({ section, parseArgs, measure, summary, renderMarkdown, onRender }) {
  const publish = (raw, opt) => {
    if (summary) raw.summary = summary(raw);
    const markdown = renderMarkdown(raw);
    publishSection(raw, markdown, opt, section);
    console.log(markdown);
  };
  const main = async () => {
    const opt = parseArgs(process.argv.slice(2));
    if (opt.render) {
      const raw = JSON.parse(readFileSync(opt.render, 'utf8'));
      onRender?.(raw, opt);
      publish(raw, opt);
      return;
    }
    const raw = await measure(opt);
    publish(raw, opt);
    if (raw.elapsed_s !== undefined)
      console.log(`bench ${section}: done in ${raw.elapsed_s.toFixed(0)} s; results in ${path.relative(root, opt.out)}/`);
  };
  main().then(() => process.exit(0)).catch((e) => {
    console.error(`bench ${section}: ${e.message}`);
    process.exit(1);
  });
}

/// A runner's results: results.json and results.md in `out`, and with `doc` the report between the
/// `<!-- <section>:begin ... -->` / `<!-- <section>:end -->` markers of docs/benchmarks.md plus the raw
/// results in docs/benchmarks/<section>.json (the section runners: --cluster, --history, --failover).
export function publishSection(raw, markdown, { out, doc }, section) {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(raw, null, 1)}\n`);
  writeFileSync(path.join(out, 'results.md'), `${markdown}\n`);
  if (!doc)
    return;
  const docFile = path.join(repo, 'docs', 'benchmarks.md');
  const begin = `<!-- ${section}:begin (generated by bench/run.sh --${section}) -->`;
  const end = `<!-- ${section}:end -->`;
  const text = readFileSync(docFile, 'utf8');
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${docFile} lacks the ${section} markers`);
  writeFileSync(docFile, `${text.slice(0, a + begin.length)}\n${markdown}\n${text.slice(b)}`);
  writeFileSync(path.join(repo, 'docs', 'benchmarks', `${section}.json`), `${JSON.stringify(raw, null, 1)}\n`);
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitForPort(port, child, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const ok = await new Promise((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return true;
    await sleep(50);
  }
  return false;
}

// Starts a contender pinned to core 0. Returns { child, port, pid, dir, stop() }.
async function startServer(contender, ctx, { valgrind = null } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), `bench-${contender.id}-`));
  writeFileSync(path.join(dir, 'secret.key'), `${ctx.secretHex}\n`, { mode: 0o600 });
  const [command, args] = contender.command(port, dir, ctx);
  const full = valgrind ? [...valgrind, command, ...args] : [command, ...args];
  const log = path.join(ctx.logDir, `${contender.id}-${Date.now()}.log`);
  const child = spawnPinned(0, full);
  const chunks = [];
  child.stdout.on('data', (d) => chunks.push(d));
  child.stderr.on('data', (d) => chunks.push(d));
  const up = await waitForPort(port, child, valgrind ? 120000 : 20000);
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (running()) {
      child.kill('SIGTERM');
      const end = Date.now() + (valgrind ? 60000 : ctx.quick ? 1000 : 3000);
      while (running() && Date.now() < end) await sleep(50);
      if (running()) {
        console.log(`  ${contender.name} did not exit after SIGTERM: killed`);
        child.kill('SIGKILL');
      }
      while (running()) await sleep(20);
    }
    writeFileSync(log, Buffer.concat(chunks));
    rmSync(dir, { recursive: true, force: true });
  };
  if (!up) {
    await stop();
    throw new Error(`${contender.name} did not start listening (log: ${log})`);
  }
  return { child, port, pid: child.pid, dir, stop, log };
}

// Runs the generator pinned to core 1 and returns its parsed JSON line.
export function runLoadgen(ctx, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawnPinned(1, [ctx.loadgen, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop();
      let result = null;
      try {
        result = JSON.parse(line);
      } catch {
        result = { valid: false, invalid_reasons: [`no result (exit ${code}): ${err.trim().slice(0, 300)}`] };
      }
      resolve(result);
    });
  });
}

// tertulia-server honours only tokens of logins it knows: the generator's users u0 .. u19999 and their
// logins are made once per run by tertulia-bench-seed and the database is copied into each fresh data
// directory (seeding takes seconds, a copy nothing).
const SEEDED_USERS = 20000;
function seedAccounts(ctx, dir) {
  if (!ctx.seededDb) {
    if (!ctx.seed || !existsSync(ctx.seed)) throw new Error(`no tertulia-bench-seed at ${ctx.seed}: run bench/run.sh`);
    const template = mkdtempSync(path.join(os.tmpdir(), 'bench-seed-'));
    execFileSync(ctx.seed, ['--data-dir', template, '--users', String(SEEDED_USERS)], { stdio: 'inherit' });
    ctx.seededDb = path.join(template, 'tertulia.db');
  }
  copyFileSync(ctx.seededDb, path.join(dir, 'tertulia.db'));
}

// The npm packages of bench/peers/ (npm ci from its package-lock.json): the Bun binary of the npm package
// `bun` (its postinstall moves the platform package's binary there; without install scripts it stays in
// @oven/bun-linux-x64, same version), and uWebSockets.js.
const PEER_MODULES = path.join(root, 'bench', 'peers', 'node_modules');
const BUN = [path.join(PEER_MODULES, 'bun', 'bin', 'bun.exe'), path.join(PEER_MODULES, '@oven', 'bun-linux-x64', 'bin', 'bun')]
  .find((file) => existsSync(file)) ?? path.join(PEER_MODULES, 'bun', 'bin', 'bun.exe');
const UWS_PACKAGE = path.join(PEER_MODULES, '@trufflesuite', 'uws-js-unofficial', 'package.json');

export const CONTENDER_IDS = ['tertulia', 'tertulia-sio', 'uws', 'bun', 'ws', 'sio-uws', 'sio',
  'tertulia-tls', 'uws-tls', 'bun-tls', 'ws-tls'];
// The TLS contenders' certificate: the project's test certificate (tests/data/README.md; RSA 2048, localhost).
const TLS_CERT = path.join(root, 'tests', 'data', 'tls-test.crt');
const TLS_KEY = path.join(root, 'tests', 'data', 'tls-test.key');

function contenders(ctx) {
  const node = process.execPath;
  const peer = (file, runtime = node, tls = false) => (port, dir) => [runtime, [path.join(root, 'bench', 'peers', file), '--port', String(port),
    '--secret-file', path.join(dir, 'secret.key'), ...(tls ? ['--tls-cert', TLS_CERT, '--tls-key', TLS_KEY] : [])]];
  // The per-address limits differ from the defaults (open connections, and new connections per second
  // with the new sessions per user, which a reconnect storm of thousands crosses in one second): real
  // clients come from many addresses; the generator has only 127.0.0.2-9, so 19 000 clients mean ~2 400
  // per address.
  const tertulia = (port, dir) => {
    seedAccounts(ctx, dir);
    const config = path.join(dir, 'bench.json');
    writeFileSync(config, JSON.stringify({ limits: { max_connections_per_ip: 20000, ip_connect_burst: 100000, ip_connect_per_second: 100000, user_connect_burst: 100000, user_connect_per_second: 100000 } }));
    return [ctx.server, ['--listen', `127.0.0.1:${port}`, '--data-dir', dir, '--config', config,
      ...(process.env.TERTULIA_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean)]];
  };
  const tertuliaTls = (port, dir) => {
    const [command, args] = tertulia(port, dir);
    return [command, [...args, '--tls-cert', TLS_CERT, '--tls-key', TLS_KEY]];
  };
  return [
    { id: 'tertulia', name: 'Tertulia', proto: 'native', command: tertulia, needsServer: true },
    { id: 'tertulia-sio', name: 'Tertulia Socket.IO', proto: 'sio', command: tertulia, needsServer: true, probe: true },
    { id: 'uws', name: 'uWebSockets.js', proto: 'native', command: peer('uws-server.mjs'), needs: UWS_PACKAGE },
    { id: 'bun', name: 'Bun', proto: 'native', command: peer('bun-server.mjs', BUN), needs: BUN },
    { id: 'ws', name: 'Node ws', proto: 'native', command: peer('ws-server.mjs') },
    { id: 'sio-uws', name: 'Socket.IO on uWS', proto: 'sio', command: peer('sio-uws-server.mjs'), needs: UWS_PACKAGE },
    { id: 'sio', name: 'Node Socket.IO', proto: 'sio', command: peer('sio-server.mjs') },
    // wss:// (the generator's --tls), the same test certificate for all; run only when named in --only.
    { id: 'tertulia-tls', name: 'Tertulia wss', proto: 'native', tls: true, optIn: true, command: tertuliaTls, needsServer: true },
    { id: 'uws-tls', name: 'uWebSockets.js SSLApp', proto: 'native', tls: true, optIn: true, command: peer('uws-server.mjs', node, true), needs: UWS_PACKAGE },
    { id: 'bun-tls', name: 'Bun wss', proto: 'native', tls: true, optIn: true, command: peer('bun-server.mjs', BUN, true), needs: BUN },
    { id: 'ws-tls', name: 'Node ws wss', proto: 'native', tls: true, optIn: true, command: peer('ws-server.mjs', node, true) },
  ];
}

// Does this contender answer the protocol at all? (Tertulia's Socket.IO endpoint may not exist yet.)
async function probe(contender, ctx) {
  let server;
  try {
    server = await startServer(contender, ctx);
    const r = await runLoadgen(ctx, ['--mode', 'probe', '--proto', contender.proto, ...(contender.tls ? ['--tls'] : []), '--port', String(server.port),
      '--secret-file', path.join(server.dir, 'secret.key'), '--clients', '1', '--rooms', '1',
      '--connect-timeout-seconds', '5'], 30000);
    return { ok: r.valid === true, why: r.valid ? '' : JSON.stringify(r.failure_reasons ?? r.invalid_reasons) };
  } catch (e) {
    return { ok: false, why: e.message };
  } finally {
    if (server) await server.stop();
  }
}

async function runOne(scenario, contender, ctx, rep) {
  const quiet = await waitForQuiet(ctx.quick ? 0 : 3000, 0.25, ctx.quick ? 300 : 1000);
  const started = Date.now();
  let server;
  try {
    server = await startServer(contender, ctx);
    if (scenario.settle) await sleep(scenario.settle * 1000);
    const args = [...scenario.args, '--proto', contender.proto, ...(contender.tls ? ['--tls'] : []), '--port', String(server.port),
      '--secret-file', path.join(server.dir, 'secret.key'), '--server-pid', String(server.pid),
      '--label', `${scenario.id}/${contender.id}/${rep}`];
    const result = await runLoadgen(ctx, args, 600000);
    return { scenario: scenario.id, contender: contender.id, rep, seconds: (Date.now() - started) / 1000,
      machine_busy_before: quiet.busy, quiet_wait_s: quiet.waited_s, result };
  } catch (e) {
    return { scenario: scenario.id, contender: contender.id, rep, seconds: (Date.now() - started) / 1000,
      machine_busy_before: quiet.busy, quiet_wait_s: quiet.waited_s, result: { valid: false, invalid_reasons: [e.message] } };
  } finally {
    if (server) await server.stop();
  }
}

// Runs tertulia-server under callgrind and the generator with `args` plus a --mark-command that zeroes
// callgrind's counters at "begin" and dumps them at "end": `measure(generatorResult, instructions)` gets the
// instructions of exactly that window.
async function underCallgrind(contender, ctx, args, measure) {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'bench-callgrind-'));
  const valgrind = ['valgrind', '--tool=callgrind', `--callgrind-out-file=${outDir}/callgrind.out`, '--dump-instr=no'];
  let server;
  try {
    server = await startServer(contender, ctx, { valgrind });
    const mark = `${path.join(here, 'callgrind-mark.sh')} ${server.pid}`;
    const r = await runLoadgen(ctx, [...args, '--proto', contender.proto, '--port', String(server.port),
      '--secret-file', path.join(server.dir, 'secret.key'), '--server-pid', String(server.pid), '--mark-command', mark], 900000);
    await server.stop();
    server = null;
    const dumps = spawnSync('sh', ['-c', `ls ${outDir}/callgrind.out.* 2>/dev/null | sort -V`], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
    // The dump taken at "end" holds exactly the measured window (counters were zeroed at "begin").
    const measured = dumps.find((f) => /\.1$/.test(f)) ?? dumps[0];
    const text = measured ? readFileSync(measured, 'utf8') : '';
    return measure(r, Number(/^(?:summary|totals):\s*(\d+)/m.exec(text)?.[1] ?? NaN));
  } catch (e) {
    return { valid: false, error: e.message };
  } finally {
    if (server) await server.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
}

// Instructions per delivery for tertulia-server under callgrind: a lockstep run (one message at a time
// into one room of 100), counters zeroed after a warm-up and dumped after the measured messages.
function callgrindRun(contender, ctx) {
  const messages = 100;
  const members = 100;
  return underCallgrind(contender, ctx, ['--mode', 'lockstep', '--clients', String(members), '--rooms', '1',
    '--lockstep-warmup', '20', '--lockstep-messages', String(messages),
    '--connect-timeout-seconds', '120', '--inflight', '50'], (r, total) => {
    // Deliveries of the measured messages only (the warm-up's are outside the zeroed window).
    const deliveries = r.steps?.[0]?.latency_ms?.count ?? NaN;
    return { valid: r.valid === true && Number.isFinite(total) && deliveries === messages * members,
      instructions: total, deliveries, per_delivery: total / deliveries, messages, members, generator: r };
  });
}

// Instructions per connect for tertulia-server under callgrind (issue 14's connect row): counters zeroed
// before `clients` clients connect, upgrade, authenticate and join one of 20 rooms (100 in flight; the first
// 20 create the rooms), dumped once all are in and a second has passed (the generator's --mark-command in its
// idle mode), before any of them closes. Everything the server does for them is counted, on every thread: the
// token's check, the account read, the hello, the join's commit and reply, the member_joined broadcast to
// those already in the room.
function callgrindConnectRun(contender, ctx, clients = 2000) {
  return underCallgrind(contender, ctx, ['--mode', 'idle', '--clients', String(clients), '--rooms', '20',
    '--idle-steps', String(clients), '--idle-seconds', '1', '--settle-seconds', '1',
    '--connect-timeout-seconds', '300', '--inflight', '100'], (r, total) => {
    const ready = r.idle_steps?.[0]?.ready ?? NaN;
    return { valid: Number.isFinite(total) && ready === clients, instructions: total, clients,
      per_connect: total / clients, error: ready === clients ? undefined : `${ready} of ${clients} clients ready` };
  });
}

function gnuplotChart(data, file) {
  if (!data.length) return 'no capacity sweep ran: no chart';
  const datFile = file.replace(/\.png$/, '.dat');
  const lines = ['# offered_deliveries_per_s  p99_ms (median over repetitions), one block per contender'];
  for (const series of data) {
    lines.push(`# ${series.name}`);
    for (const [x, y] of series.points) lines.push(`${x} ${y}`);
    lines.push('', '');
  }
  writeFileSync(datFile, lines.join('\n'));
  const plots = data.map((s, i) => `'${datFile}' index ${i} using ($1/1000):2 with linespoints lw 2 pt 7 title '${s.name}'`);
  const script = [
    'set terminal pngcairo size 900,520 font ",11"',
    `set output '${file}'`,
    "set title 'Scenario (a): one room of 1 000 - p99 publish-to-delivery latency'",
    "set xlabel 'offered deliveries per second (thousands)'",
    "set ylabel 'p99 latency (ms, log scale)'",
    'set logscale y',
    'set xrange [0:*]',
    'set grid',
    'set key top left',
    "set arrow from graph 0, first 50 to graph 1, first 50 nohead dt 2 lc rgb '#888888'",
    "set label 'p99 = 50 ms' at graph 0.02, first 60 tc rgb '#666666'",
    `plot ${plots.join(', ')}`,
  ].join('\n');
  const r = spawnSync('gnuplot', [], { input: script, encoding: 'utf8' });
  return r.status === 0 ? '' : `gnuplot failed: ${r.stderr}`;
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  if (opt.render) {
    const raw = JSON.parse(readFileSync(opt.render, 'utf8'));
    opt.out = path.dirname(opt.render);
    opt.section = raw.options.section ?? 'results';
    opt.doc = !raw.options.quick && opt.out === path.join(root, 'docs', 'benchmarks');
    publish(raw, opt);
    return;
  }
  if (!existsSync(opt.loadgen)) throw new Error(`no load generator at ${opt.loadgen}: run bench/run.sh`);
  mkdirSync(opt.out, { recursive: true });
  const logDir = path.join(root, 'build', 'bench-results', 'logs');
  mkdirSync(logDir, { recursive: true });
  const ctx = { loadgen: opt.loadgen, server: opt.server, seed: opt.seed, logDir, quick: opt.quick, secretHex: randomBytes(32).toString('hex') };
  const serverAvailable = existsSync(opt.server);
  const notes = [];
  const unknown = (opt.only ?? []).filter((id) => !CONTENDER_IDS.includes(id));
  if (unknown.length) throw new Error(`unknown contender ${unknown.join(', ')} (known: ${CONTENDER_IDS.join(', ')})`);
  let list = contenders(ctx).filter((c) => (opt.only ? opt.only.includes(c.id) : !c.optIn));
  for (const c of list.filter((x) => x.needs && !existsSync(x.needs))) {
    notes.push(`${c.name} skipped: ${path.relative(root, c.needs)} is missing (npm ci in bench/peers).`);
    list = list.filter((x) => x !== c);
  }
  if (!serverAvailable) {
    notes.push(`tertulia-server was not found at ${path.relative(root, opt.server)}: only the Node peers ran.`);
    list = list.filter((c) => !c.needsServer);
  }
  for (const c of list.filter((x) => x.probe)) {
    const p = await probe(c, ctx);
    if (!p.ok) {
      notes.push(`${c.name} skipped: the server does not answer Socket.IO on /socket.io/ yet (${p.why}).`);
      list = list.filter((x) => x !== c);
    }
  }
  const all = scenarios(opt.quick).filter((s) => !opt.scenarios || opt.scenarios.includes(s.id));
  const machine = machineInfo(serverAvailable);
  const started = Date.now();
  console.log(`bench: ${list.map((c) => c.name).join(', ')} x ${all.length} scenarios x ${opt.reps} repetitions`);
  const runs = [];
  // A time budget keeps the promise of the run's length even when a server is far slower than expected:
  // runs that would start after it are skipped and listed.
  // A full repetition of the seven default contenders takes about 15 minutes (the TLS ones are opt-in).
  const budgetS = opt.quick ? 300 : 60 * 60;
  let skipped = 0;
  for (let rep = 1; rep <= opt.reps; ++rep) {
    for (const scenario of all) {
      // Interleave: each repetition starts with a different contender.
      const order = list.map((_, i) => list[(i + rep - 1) % list.length]);
      for (const contender of order) {
        if ((Date.now() - started) / 1000 > budgetS) {
          ++skipped;
          continue;
        }
        const run = await runOne(scenario, contender, ctx, rep);
        runs.push(run);
        const r = run.result;
        console.log(`  rep ${rep} ${scenario.id.padEnd(12)} ${contender.name.padEnd(18)} ${run.seconds.toFixed(1).padStart(5)} s `
          + `(machine ${Math.round(run.machine_busy_before * 100)} % busy before) `
          + `${r.valid ? 'valid' : `INVALID: ${(r.invalid_reasons ?? []).join('; ')}`}`);
      }
    }
  }
  if (skipped) notes.push(`The time budget (${Math.round(budgetS / 60)} min) ran out: ${skipped} runs were skipped.`);
  let callgrind = null;
  const tertulia = list.find((c) => c.id === 'tertulia');
  if (opt.callgrind && tertulia && spawnSync('sh', ['-c', 'command -v valgrind']).status === 0) {
    console.log('  callgrind: lockstep run of tertulia-server');
    callgrind = await callgrindRun(tertulia, ctx);
    console.log(`  callgrind: ${callgrind.valid ? `${Math.round(callgrind.per_delivery)} instructions per delivery` : `failed ${callgrind.error ?? ''}`}`);
    console.log('  callgrind: connects to tertulia-server');
    callgrind.connect = await callgrindConnectRun(tertulia, ctx);
    console.log(`  callgrind: ${callgrind.connect.valid ? `${Math.round(callgrind.connect.per_connect)} instructions per connect` : `failed ${callgrind.connect.error ?? ''}`}`);
  } else if (opt.callgrind) {
    notes.push('The callgrind figure needs tertulia-server and valgrind; it was not taken.');
  }
  const elapsed = (Date.now() - started) / 1000;
  const raw = { machine, options: { quick: opt.quick, reps: opt.reps, only: opt.only, scenarios: opt.scenarios,
    ...(opt.section !== 'results' ? { section: opt.section } : {}) }, elapsed_s: elapsed, notes,
    contenders: list.map((c) => ({ id: c.id, name: c.name, proto: c.proto, ...(c.tls ? { tls: true } : {}) })),
    scenarios: all.map((s) => ({ id: s.id, title: s.title, args: s.args })), runs, callgrind };
  publish(raw, opt);
  console.log(`bench: done in ${elapsed.toFixed(0)} s; results in ${path.relative(root, opt.out)}/`);
}

// Writes results.json, the chart, results.md and (full runs) the results part of docs/benchmarks.md.
// `--render results.json` runs only this, on stored results, to redo the report without measuring again.
function publish(raw, opt) {
  raw.summary = aggregate(raw.runs, raw.contenders, raw.scenarios);
  mkdirSync(opt.out, { recursive: true });
  const section = raw.options.section ?? 'results';
  const name = (file) => (section === 'results' ? file : `${section}-${file}`);
  writeFileSync(path.join(opt.out, name('results.json')), `${JSON.stringify(raw, null, 1)}\n`);
  const chartFile = path.join(opt.out, name('latency-a.png'));
  const chartError = gnuplotChart(chartData(raw.runs, raw.contenders), chartFile);
  const notes = chartError ? [...raw.notes, chartError] : raw.notes;
  const command = ['bench/run.sh', raw.options.quick ? '--quick' : '',
    raw.options.reps !== (raw.options.quick ? 1 : 3) ? `--reps ${raw.options.reps}` : '',
    raw.options.only ? `--only ${raw.options.only.join(',')}` : '',
    raw.options.scenarios ? `--scenarios ${raw.options.scenarios.join(',')}` : '',
    raw.options.section ? `--section ${raw.options.section}` : ''].filter(Boolean).join(' ');
  const markdown = renderMarkdown({ ...raw, notes }, { command, chart: path.relative(path.join(root, 'docs'), chartFile) });
  writeFileSync(path.join(opt.out, name('results.md')), markdown);
  if (opt.doc) {
    const docFile = path.join(root, 'docs', 'benchmarks.md');
    const begin = section === 'results' ? '<!-- results:begin (generated by bench/run.sh) -->'
      : `<!-- ${section}:begin (generated by bench/run.sh --section ${section}) -->`;
    const end = `<!-- ${section}:end -->`;
    const doc = existsSync(docFile) ? readFileSync(docFile, 'utf8') : `# Benchmarks\n\n${begin}\n${end}\n`;
    const a = doc.indexOf(begin);
    const b = doc.indexOf(end);
    if (a < 0 || b < a) throw new Error(`${docFile} lacks the result markers`);
    writeFileSync(docFile, `${doc.slice(0, a + begin.length)}\n${markdown}\n${doc.slice(b)}`);
  }
  console.log(markdown);
}

// cluster.mjs imports the helpers above; the suite itself runs only when this file is the program.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`bench: ${e.message}`);
    process.exit(1);
  });
}
