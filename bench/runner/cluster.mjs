// The cluster measurements (issue 9, docs/benchmarks.md "Several nodes on PostgreSQL"): tertulia-server
// nodes on a throw-away PostgreSQL cluster, each figure measured against a peer in the same run (medians of
// repetitions that alternate the order), because two shared cores make absolute numbers meaningless.
//
//   cpu      one node, PostgreSQL store against SQLite store, same load: CPU per delivery, p50/p99
//   cross    three nodes: all clients on one node against clients spread over the three: p99 difference,
//            on each bus (NOTIFY and Redis), and the two buses against each other
//   ceiling  rooms of one member, rising message rates until p50 > 50 ms or a loss: SQLite node, one
//            PostgreSQL node, three PostgreSQL nodes writing at once; the PostgreSQL ones on each bus
//   outage   every node's bus connection killed under load (LISTEN: pg_terminate_backend; Redis: CLIENT
//            KILL TYPE pubsub): time until each node has reconnected
//   failover one of three nodes SIGKILLed under load: time until its clients are joined on another node
//
// The buses (--buses postgres,redis, both by default): PostgreSQL's LISTEN/NOTIFY and Redis pub/sub
// (tertulia-server --bus redis). Each figure on Redis is measured in the same repetition as its NOTIFY
// peer, the order alternating between repetitions.
//
// PostgreSQL is started here (initdb/pg_ctl in a temporary directory, Unix socket only, no TCP) and so is
// redis-server (Unix socket in a temporary directory, no TCP port, nothing saved); both are stopped on every
// way out. Servers, PostgreSQL and Redis run on core 0, the generator on core 1. Only Node's standard
// library is used; the process helpers are run.mjs's.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { freePort, machineInfo, ROOT, runLoadgen, runSection, sleep, spawnPinned, waitForPort, waitForQuiet } from './run.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const PARTS = ['cpu', 'cross', 'ceiling', 'outage', 'failover'];
const BUSES = ['postgres', 'redis'];
// The parts that run once per bus; the others use PostgreSQL's (the default of tertulia-server).
const BUS_PARTS = ['cross', 'ceiling', 'outage'];

function parseArgs(argv) {
  const o = { quick: false, reps: null, parts: PARTS, buses: BUSES, out: null, doc: null };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--cluster') continue;   // run.sh's switch, passed along
    else if (a === '--reps') o.reps = Number(next());
    else if (a === '--parts') o.parts = next().split(',');
    else if (a === '--buses') o.buses = next().split(',');
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--doc') o.doc = true;
    else if (a === '--no-doc') o.doc = false;
    else if (a === '--loadgen') o.loadgen = path.resolve(next());
    else if (a === '--server') o.server = path.resolve(next());
    else if (a === '--seed') o.seed = path.resolve(next());
    else if (a === '--render') o.render = path.resolve(next());
    else throw new Error(`unknown option ${a} (see bench/README.md)`);
  }
  for (const p of o.parts) if (!PARTS.includes(p)) throw new Error(`unknown part ${p} (${PARTS.join(', ')})`);
  for (const b of o.buses) if (!BUSES.includes(b)) throw new Error(`unknown bus ${b} (${BUSES.join(', ')})`);
  if (!o.buses.includes('postgres')) throw new Error('--buses: postgres is the peer every Redis figure is compared with');
  o.reps ??= o.quick ? 1 : 3;
  o.doc ??= !o.quick && o.parts.length === PARTS.length && o.buses.length === BUSES.length;
  o.out ??= path.join(root, 'build', 'bench-results', o.quick ? 'cluster-quick' : 'cluster');
  o.loadgen ??= path.join(root, 'build', 'bench', 'bench', 'loadgen', 'tertulia-loadgen');
  o.server ??= path.join(root, 'build', 'bench', 'server', 'tertulia-server');
  o.seed ??= path.join(root, 'build', 'bench', 'bench', 'tertulia-bench-seed');
  return o;
}

// The loads. (b) scaled down to what one core holds with PostgreSQL beside the server: rooms of 100. Room
// counts are prime to the three nodes, so with --ports every room has members (and publishers) on each.
function loads(quick) {
  const q = (full, short) => (quick ? short : full);
  return {
    users: 2000,
    fanout: ['--mode', 'fanout', '--clients', q('2000', '600'), '--rooms', q('20', '5'), '--inflight', '500',
      '--connect-timeout-seconds', '60', '--rates', q('15000', '6000'), '--step-seconds', q('5', '2'),
      '--warmup-seconds', '1'],
    // One member per room: every message is one commit's worth of work and one delivery (to its sender),
    // so deliveries/s = messages/s and the sweep finds the rate the store stops keeping up with. It stops
    // on the median, not the tail: a store that falls behind builds a backlog that lifts p50 within a step,
    // while on a shared machine one slow commit put p99 over 50 ms at any rate when commits ran on the event
    // loop (the first full run here stopped SQLite at 500 messages/s so; they run on a writer thread now,
    // TERTULIA_BENCH_STORE_WRITES_ON_LOOP=1 puts them back for a comparison).
    ceiling: ['--mode', 'fanout', '--clients', q('400', '120'), '--rooms', q('400', '120'), '--inflight', '200',
      '--connect-timeout-seconds', '60',
      '--rates', q('500,1000,1500,2000,3000,4000,6000,8000,12000,16000,24000', '1000,4000'),
      '--step-seconds', q('3', '1'), '--warmup-seconds', '0.5', '--stop-p50-ms', '50'],
    // Clients spread over three nodes, the rooms' first members talking; n3 is killed after 3 s.
    failover: ['--mode', 'failover', '--clients', q('600', '300'), '--rooms', q('5', '4'), '--inflight', '300',
      '--connect-timeout-seconds', '60', '--storm-rate', '3000', '--storm-before-seconds', '3',
      '--storm-timeout-seconds', '15', '--storm-after-seconds', '1'],
    outage: ['--mode', 'fanout', '--clients', q('600', '300'), '--rooms', q('5', '4'), '--inflight', '300',
      '--connect-timeout-seconds', '60', '--rates', '3000', '--step-seconds', q('8', '6'), '--warmup-seconds', '0.5'],
  };
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL

export function pgBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

// PostgreSQL refuses to run as root: as root (CI containers, this machine) it runs as `postgres`.
function asPostgres(argv) {
  return ROOT ? ['runuser', '-u', 'postgres', '--', ...argv] : argv;
}

export class Postgres {
  constructor(bin) {
    this.bin = bin;
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'bench-pg-'));
    this.running = false;
  }

  async start() {
    // The port only names the socket file (listen_addresses is empty): a free TCP port number keeps two
    // runs on one machine apart.
    this.port = await freePort();
    if (ROOT) {
      execFileSync('chown', ['postgres', this.dir]);
      execFileSync('chmod', ['700', this.dir]);
    }
    const initdb = asPostgres([path.join(this.bin, 'initdb'), '-D', path.join(this.dir, 'data'), '-A', 'trust', '-U', 'tertulia',
      '-E', 'UTF8', '--locale=C', '--no-sync']);
    execFileSync(initdb[0], initdb.slice(1), { stdio: 'ignore' });
    // synchronous_commit=off is the counterpart of the SQLite store's WAL with synchronous=NORMAL: a commit
    // does not wait for its flush, a crash of the machine may lose the last moments but never corrupts.
    // fsync stays on. On core 0 with the servers (children inherit the affinity), so the generator's core
    // stays the generator's.
    const options = `-k ${this.dir} -p ${this.port} -c listen_addresses='' -c synchronous_commit=off -c max_connections=100`;
    const argv = ['taskset', '-c', '0', ...asPostgres([path.join(this.bin, 'pg_ctl'), '-D', path.join(this.dir, 'data'),
      '-o', options, '-l', path.join(this.dir, 'log'), '-w', 'start'])];
    const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.stderr || r.stdout}`);
    this.running = true;
    this.postmaster = Number(readFileSync(path.join(this.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (ROOT) {
      // The same priority as the servers (run.mjs: nice -10 in an autogroup of nice -10).
      spawnSync('renice', ['-n', '-10', '-p', String(this.postmaster)]);
      try {
        writeFileSync(`/proc/${this.postmaster}/autogroup`, '-10');
      } catch {
        // no autogroups: nice alone applies
      }
    }
  }

  stop() {
    if (!this.running) return;
    this.running = false;
    const argv = asPostgres([path.join(this.bin, 'pg_ctl'), '-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
    rmSync(this.dir, { recursive: true, force: true });
  }

  url(database) {
    return `postgresql:///${database}?host=${this.dir}&port=${this.port}&user=tertulia`;
  }

  sql(database, statement) {
    const r = spawnSync(path.join(this.bin, 'psql'), ['-h', this.dir, '-p', String(this.port), '-U', 'tertulia', '-d', database,
      '-v', 'ON_ERROR_STOP=1', '-At', '-c', statement], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`psql: ${r.stderr.trim()}`);
    return r.stdout.trim();
  }

  // The postmaster and every process it started (backends of the nodes, checkpointer, WAL writer, ...):
  // PostgreSQL's whole share of the CPU, measured beside the node's.
  pids() {
    const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(this.postmaster)], { encoding: 'utf8' }).stdout
      .split('\n').map((x) => Number(x.trim())).filter((x) => x > 0);
    return [this.postmaster, ...children];
  }
}

// ---------------------------------------------------------------------------------------------------
// Redis

// A throw-away redis-server for the Redis bus, as tests/cluster/redistestserver.h starts one: no TCP port
// (`--port 0`), a Unix socket in a temporary directory (as PostgreSQL's), nothing saved. A child of this
// process (run.mjs's spawnPinned: SIGKILLed on every way out of the runner), on core 0 with the nodes and
// PostgreSQL, at their priority.
export class Redis {
  constructor() {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'bench-redis-'));
    this.socket = path.join(this.dir, 'redis.sock');
    this.child = null;
  }

  static available() {
    return ['redis-server', 'redis-cli'].every((p) => spawnSync('sh', ['-c', `command -v ${p}`]).status === 0);
  }

  static version() {
    return (/v=([0-9.]+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout) ?? [])[1] ?? '?';
  }

  async start() {
    this.child = spawnPinned(0, ['redis-server', '--port', '0', '--unixsocket', this.socket, '--unixsocketperm', '700',
      '--save', '', '--appendonly', 'no', '--dir', this.dir, '--daemonize', 'no', '--logfile', path.join(this.dir, 'log')]);
    this.child.stdout.resume();
    this.child.stderr.resume();
    const end = Date.now() + 10000;
    while (Date.now() < end) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) break;
      if (existsSync(this.socket) && this.answers()) return;
      await sleep(50);
    }
    const log = existsSync(path.join(this.dir, 'log')) ? readFileSync(path.join(this.dir, 'log'), 'utf8').trim().split('\n').slice(-3).join(' / ') : '';
    this.stop();
    throw new Error(`redis-server did not answer on ${this.socket}${log ? `: ${log}` : ''}`);
  }

  answers() {
    try {
      return this.cli('PING') === 'PONG';
    } catch {
      return false;
    }
  }

  // Synchronous, so that it also runs from process.on('exit').
  stop() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.child = null;
    rmSync(this.dir, { recursive: true, force: true });
  }

  url() {
    return `unix://${this.socket}`;
  }

  pids() {
    return this.child ? [this.child.pid] : [];
  }

  // One command through redis-cli; its output, trimmed.
  cli(...command) {
    const r = spawnSync('redis-cli', ['-s', this.socket, ...command], { encoding: 'utf8', timeout: 10000 });
    if (r.status !== 0) throw new Error(`redis-cli ${command.join(' ')}: ${(r.stderr || r.stdout || '').trim()}`);
    return r.stdout.trim();
  }
}

// ---------------------------------------------------------------------------------------------------
// nodes

// The limits the suite lifts (run.mjs explains the connection ones); the per-connection and per-user
// message rates too, because the ceiling sweep has each client send up to ~80 messages a second.
const LIMITS = { max_connections_per_ip: 20000, ip_connect_burst: 100000, ip_connect_per_second: 100000,
  user_connect_burst: 100000, user_connect_per_second: 100000, rate_burst: 100000, rate_per_second: 100000,
  user_rate_burst: 100000, user_rate_per_second: 100000 };

// `bus`: 'postgres' (LISTEN/NOTIFY, tertulia-server's default) or 'redis' (ctx.redis's redis-server).
export async function startNode(ctx, { store, nodeId = 'n1', database = null, bus = 'postgres' }) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), `bench-${store}-${nodeId}-`));
  const config = path.join(dir, 'bench.json');
  writeFileSync(config, JSON.stringify({ limits: LIMITS }));
  const args = ['--listen', `127.0.0.1:${port}`, '--data-dir', dir, '--config', config, '--secret-file', ctx.secretFile];
  if (store === 'postgres') args.push('--store', 'postgres', '--database', database, '--node-id', nodeId);
  else copyFileSync(ctx.sqliteSeed, path.join(dir, 'tertulia.db'));
  if (store === 'postgres' && bus === 'redis') args.push('--bus', 'redis', '--redis', ctx.redis.url());
  const child = spawnPinned(0, [ctx.server, ...args]);
  const chunks = [];
  child.stdout.on('data', (d) => chunks.push(d));
  child.stderr.on('data', (d) => chunks.push(d));
  const log = path.join(ctx.logDir, `cluster-${store}${bus === 'redis' ? '-redis' : ''}-${nodeId}-${Date.now()}.log`);
  const running = () => child.exitCode === null && child.signalCode === null;
  const node = {
    id: nodeId, port, pid: child.pid, child, dir,
    kill() {
      if (running()) child.kill('SIGKILL');
    },
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
    await node.stop();
    const last = Buffer.concat(chunks).toString().trim().split('\n').pop();
    throw new Error(`tertulia-server (${store} ${nodeId}${bus === 'redis' ? ', Redis bus' : ''}) did not start listening`
      + `${last ? `: ${last}` : ''} (log: ${log})`);
  }
  return node;
}

function metrics(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/metrics', timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', () => resolve(''));
    req.on('timeout', () => {
      req.destroy();
      resolve('');
    });
  });
}

function metric(text, name) {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})?\\s+([0-9.eE+-]+)`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

// A fresh database for every run, copied from the seeded template (seeding is seconds, a copy is nothing).
let databases = 0;
function freshDatabase(ctx) {
  const name = `run${++databases}`;
  ctx.pg.sql('postgres', `CREATE DATABASE ${name} TEMPLATE seeded`);
  return ctx.pg.url(name);
}

// What the nodes say after a run: messages received and store commits (their ratio is the average batch,
// memberships' commits included).
async function nodeCounters(nodes) {
  const texts = await Promise.all(nodes.map((n) => metrics(n.port)));
  // Sends that waited over 100 ms for their commit: the stalls that make a tail.
  const slow = (t) => {
    const count = metric(t, 'tertulia_commit_latency_seconds_count');
    const m = /^tertulia_commit_latency_seconds_bucket\{[^}]*le="0\.1"[^}]*\}\s+(\d+)/m.exec(t);
    return m ? count - Number(m[1]) : NaN;
  };
  return texts.map((t) => ({ received: metric(t, 'tertulia_messages_received_total'), commits: metric(t, 'tertulia_store_commits_total'),
    commits_over_100ms: slow(t) }));
}

async function withNodes(ctx, specs, fn) {
  const nodes = [];
  try {
    for (const spec of specs) nodes.push(await startNode(ctx, spec));
    // Let the nodes hear each other (heartbeats every 500 ms) before the load starts.
    if (nodes.length > 1) await sleep(1500);
    const result = await fn(nodes);
    if (result && typeof result === 'object') result.node_counters = await nodeCounters(nodes);
    return result;
  } finally {
    for (const n of nodes) await n.stop();
  }
}

function loadgenArgs(ctx, load, nodes, { spread, serverPid, peerPids, label }) {
  const ports = spread ? nodes.map((n) => n.port) : [nodes[0].port];
  const args = [...load, '--proto', 'native', '--ports', ports.join(','), '--secret-file', ctx.secretFile, '--label', label];
  if (serverPid) args.push('--server-pid', String(serverPid));
  if (peerPids?.length) args.push('--peer-pids', peerPids.join(','));
  return args;
}

async function measured(ctx, label, fn) {
  const quiet = await waitForQuiet(ctx.quick ? 0 : 3000, 0.25, ctx.quick ? 300 : 1000);
  const started = Date.now();
  let result;
  try {
    result = await fn();
  } catch (e) {
    result = { valid: false, invalid_reasons: [e.message] };
  }
  const run = { label, seconds: (Date.now() - started) / 1000, machine_busy_before: quiet.busy, result };
  console.log(`  ${label.padEnd(28)} ${run.seconds.toFixed(1).padStart(5)} s (machine ${Math.round(quiet.busy * 100)} % busy before) `
    + `${result.valid ? 'valid' : `INVALID: ${(result.invalid_reasons ?? []).join('; ').slice(0, 300)}`}`);
  return run;
}

// ---------------------------------------------------------------------------------------------------
// the parts

async function partCpu(ctx, rep) {
  const runs = [];
  const order = rep % 2 ? ['sqlite', 'postgres'] : ['postgres', 'sqlite'];
  for (const store of order) {
    runs.push({ part: 'cpu', config: store, rep, ...await measured(ctx, `cpu/${store}/${rep}`, () =>
      withNodes(ctx, [{ store, database: store === 'postgres' ? freshDatabase(ctx) : null }], (nodes) =>
        runLoadgen(ctx, loadgenArgs(ctx, ctx.loads.fanout, nodes, { serverPid: nodes[0].pid,
          peerPids: store === 'postgres' ? ctx.pg.pids() : [], label: `cpu/${store}/${rep}` }), 300000))) });
  }
  return runs;
}

const THREE = ['n1', 'n2', 'n3'];
// How runs name a bus in their labels.
const TAG = { postgres: 'notify', redis: 'redis' };
// The bus's own server processes, measured beside the first node: PostgreSQL's are measured anyway.
const busPids = (ctx, bus) => (bus === 'redis' ? ctx.redis.pids() : []);
// A run's bus: runs stored before there was a choice ran on PostgreSQL's.
const busOf = (run) => run.bus ?? 'postgres';

// Four runs a repetition with both buses: same node and spread, each on NOTIFY and on Redis; the order is
// reversed every other repetition.
async function partCross(ctx, rep) {
  const runs = [];
  const order = ['same', 'cross'].flatMap((placement) => ctx.buses.map((bus) => ({ placement, bus })));
  if (rep % 2 === 0) order.reverse();
  for (const { placement, bus } of order) {
    const database = freshDatabase(ctx);
    const label = `cross/${placement}/${TAG[bus]}/${rep}`;
    runs.push({ part: 'cross', config: placement, bus, rep, ...await measured(ctx, label, () =>
      withNodes(ctx, THREE.map((nodeId) => ({ store: 'postgres', nodeId, database, bus })), (nodes) =>
        runLoadgen(ctx, loadgenArgs(ctx, ctx.loads.fanout, nodes, { spread: placement === 'cross', serverPid: nodes[0].pid,
          peerPids: [...nodes.slice(1).map((n) => n.pid), ...ctx.pg.pids(), ...busPids(ctx, bus)], label }), 300000))) });
  }
  return runs;
}

// The SQLite node, then one and three PostgreSQL nodes on each bus (a bus's runs side by side), the list
// rotated by one every repetition.
async function partCeiling(ctx, rep) {
  const runs = [];
  const configs = [{ config: 'sqlite', bus: null },
    ...['pg1', 'pg3'].flatMap((config) => ctx.buses.map((bus) => ({ config, bus })))];
  const order = configs.map((_, i) => configs[(i + rep - 1) % configs.length]);
  for (const { config, bus } of order) {
    const database = config === 'sqlite' ? null : freshDatabase(ctx);
    const specs = config === 'pg3' ? THREE.map((nodeId) => ({ store: 'postgres', nodeId, database, bus }))
      : [{ store: config === 'sqlite' ? 'sqlite' : 'postgres', database, bus: bus ?? 'postgres' }];
    const label = bus ? `ceiling/${config}/${TAG[bus]}/${rep}` : `ceiling/${config}/${rep}`;
    runs.push({ part: 'ceiling', config, ...(bus ? { bus } : {}), rep, ...await measured(ctx, label, () =>
      withNodes(ctx, specs, (nodes) =>
        runLoadgen(ctx, loadgenArgs(ctx, ctx.loads.ceiling, nodes, { spread: true, serverPid: nodes[0].pid,
          peerPids: [...nodes.slice(1).map((n) => n.pid), ...(config === 'sqlite' ? [] : [...ctx.pg.pids(), ...busPids(ctx, bus)])],
          label }), 600000))) });
  }
  return runs;
}

// Every node's bus connection is cut at once while clients on all three nodes talk; each node's /metrics
// is read every 20 ms until its reconnect counter moves. On PostgreSQL's bus the LISTEN connections are
// terminated (pg_terminate_backend): detection (a closed connection, or no heartbeat echo for 1.5 s) plus
// reconnecting and listening again. On Redis's the subscribed connections are killed (CLIENT KILL TYPE
// pubsub): the node sees the socket close at once, then connects and subscribes again. Either way, the time
// a node's deliveries from the others may pause (they are read from the log at every heartbeat meanwhile).
async function partOutage(ctx, rep) {
  const runs = [];
  const order = [...ctx.buses];
  if (rep % 2 === 0) order.reverse();
  for (const bus of order) {
    const database = freshDatabase(ctx);
    const label = `outage/${TAG[bus]}/${rep}`;
    const run = await measured(ctx, label, () =>
      withNodes(ctx, THREE.map((nodeId) => ({ store: 'postgres', nodeId, database, bus })), async (nodes) => {
        const gen = runLoadgen(ctx, loadgenArgs(ctx, ctx.loads.outage, nodes, { spread: true, label }), 300000);
        // Connecting 600 clients takes a second or two; the step then publishes for 8 s.
        const readyBy = Date.now() + 30000;
        let before = null;
        while (Date.now() < readyBy) {
          const texts = await Promise.all(nodes.map((n) => metrics(n.port)));
          // Publishing has begun on every node.
          const received = texts.map((t) => metric(t, 'tertulia_messages_received_total'));
          if (texts.every((t) => t) && received.every((x) => x >= 1)) {
            before = texts.map((t) => metric(t, 'tertulia_bus_reconnects_total') || 0);
            break;
          }
          await sleep(100);
        }
        await sleep(2000);
        const killedAt = Date.now();
        const killed = bus === 'redis' ? Number(ctx.redis.cli('CLIENT', 'KILL', 'TYPE', 'pubsub'))
          : Number(ctx.pg.sql(/^postgresql:\/\/\/([^?]+)/.exec(database)[1],
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND (query LIKE 'LISTEN%' OR query LIKE 'NOTIFY tertulia_hb%')"));
        const recovered = nodes.map(() => null);
        const end = killedAt + 10000;
        while (recovered.some((x) => x === null) && Date.now() < end) {
          const texts = await Promise.all(nodes.map((n) => metrics(n.port)));
          texts.forEach((t, i) => {
            if (recovered[i] === null && metric(t, 'tertulia_bus_reconnects_total') > (before?.[i] ?? 0)) recovered[i] = Date.now() - killedAt;
          });
          await sleep(20);
        }
        const result = await gen;
        result.outage = { killed_listen_connections: killed, reconnected_after_ms: recovered };
        if (killed !== 3 || recovered.some((x) => x === null)) {
          result.valid = false;
          (result.invalid_reasons ??= []).push(`outage: killed ${killed} ${bus === 'redis' ? 'subscribed' : 'LISTEN'} connections, reconnects ${JSON.stringify(recovered)}`);
        }
        return result;
      }));
    runs.push({ part: 'outage', config: 'outage', bus, rep, ...run });
  }
  return runs;
}

// n3 is SIGKILLed by the generator itself (its --mark-command), so the kill and the clock that times the
// reconnects are one process's: each client of n3 reconnects at once to the next node, as a client with
// a list of servers does (real clients back off first; the suite measures the servers' side).
async function partFailover(ctx, rep) {
  const database = freshDatabase(ctx);
  const run = await measured(ctx, `failover/${rep}`, () =>
    withNodes(ctx, THREE.map((nodeId) => ({ store: 'postgres', nodeId, database })), async (nodes) => {
      const victim = nodes[2];
      const args = [...loadgenArgs(ctx, ctx.loads.failover, nodes, { spread: true, label: `failover/${rep}` }),
        '--mark-command', `sh -c 'kill -9 ${victim.pid}' failover`];
      return runLoadgen(ctx, args, 300000);
    }));
  return [{ part: 'failover', config: 'failover', rep, ...run }];
}

// ---------------------------------------------------------------------------------------------------
// report

const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const fmt = (x, digits = 3) => {
  if (!Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 100) return String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return Number(x.toPrecision(digits)).toString();
};
const signed = (x) => `${x >= 0 ? '+' : '−'}${fmt(Math.abs(x))}`;
const span = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x));
  return v.length > 1 ? ` (${fmt(Math.min(...v))}–${fmt(Math.max(...v))})` : '';
};

function stepOf(run) {
  return run.result?.steps?.[0];
}

// The highest rate of a sweep that passed: p50 within 50 ms (no backlog), nothing lost, valid.
function capacity(run) {
  let best = 0;
  let stoppedBy = '';
  for (const s of run.result?.steps ?? []) {
    if (s.valid && s.lost === 0 && s.latency_ms?.p50 <= 50) best = s.offered_messages_per_s;
    else {
      stoppedBy = s.lost ? `loss at ${s.offered_messages_per_s}/s` : s.latency_ms?.p50 > 50
        ? `p50 ${fmt(s.latency_ms.p50)} ms at ${s.offered_messages_per_s}/s` : `${(s.invalid_reasons ?? []).join('; ')} at ${s.offered_messages_per_s}/s`;
      break;
    }
  }
  if (!stoppedBy) stoppedBy = 'top rate passed';
  return { best, stoppedBy };
}

// The first step of a sweep that failed (else its last): how busy core 0 was, and how much of that core the
// benchmark's own processes (the first node, and the others measured beside it) used. Both near 1: the
// one core is the limit, whatever the bus.
function limitStep(run) {
  const steps = run.result?.steps ?? [];
  const c = capacity(run);
  const st = steps.find((x) => x.offered_messages_per_s > c.best) ?? steps[steps.length - 1];
  return { core0: st?.core_busy?.[0] ?? NaN, ours: (st?.server?.cpu_fraction ?? NaN) + (st?.peers?.cpu_fraction ?? 0) };
}

const pct = (x) => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : '–');

export function summarize(raw) {
  // `bus` undefined: runs of any bus (the cpu and failover parts and the SQLite ceiling have PostgreSQL's or none).
  const by = (part, config, bus) => raw.runs.filter((r) => r.part === part && r.config === config && (bus === undefined || busOf(r) === bus));
  const valid = (runs) => runs.filter((r) => r.result?.valid);
  const pick = (runs, f) => valid(runs).map((r) => f(r)).filter((x) => Number.isFinite(x));
  // f(a, b) for the valid runs of a and of b in each repetition (adjacent in time), for ratios and differences.
  const paired = (as, bs, f) => {
    const out = [];
    for (let rep = 1; rep <= raw.options.reps; ++rep) {
      const a = valid(as).find((r) => r.rep === rep);
      const b = valid(bs).find((r) => r.rep === rep);
      if (a && b) out.push(f(a, b));
    }
    return out.filter((x) => Number.isFinite(x));
  };
  const buses = raw.options.buses ?? ['postgres'];
  const both = buses.includes('redis');
  const BUS = { postgres: 'NOTIFY bus', redis: 'Redis bus' };
  const rows = [];
  const row = (metric, unit, values, ratio = '', target = '') => rows.push({ metric, unit, values, ratio, target });
  const s = {};

  if (raw.parts.includes('cpu')) {
    const sq = by('cpu', 'sqlite');
    const pg = by('cpu', 'postgres');
    const cpu = (r) => stepOf(r)?.server?.cpu_us_per_delivery;
    const peer = (r) => stepOf(r)?.peers?.cpu_us_per_delivery ?? 0;
    s.cpu = {
      sqlite: median(pick(sq, cpu)), postgres: median(pick(pg, cpu)), postgres_db: median(pick(pg, peer)),
      sqlite_p50: median(pick(sq, (r) => stepOf(r)?.latency_ms?.p50)), postgres_p50: median(pick(pg, (r) => stepOf(r)?.latency_ms?.p50)),
      sqlite_p99: median(pick(sq, (r) => stepOf(r)?.latency_ms?.p99)), postgres_p99: median(pick(pg, (r) => stepOf(r)?.latency_ms?.p99)),
    };
    // The ratio pairs runs of one repetition (adjacent in time) before taking the median.
    const ratios = [];
    const totals = [];
    for (let rep = 1; rep <= raw.options.reps; ++rep) {
      const a = valid(sq).find((r) => r.rep === rep);
      const b = valid(pg).find((r) => r.rep === rep);
      if (a && b) {
        ratios.push(cpu(b) / cpu(a));
        totals.push((cpu(b) + peer(b)) / cpu(a));
      }
    }
    s.cpu.ratio = median(ratios);
    s.cpu.ratio_with_db = median(totals);
    row('node CPU per delivery', 'µs', [`SQLite ${fmt(s.cpu.sqlite)}${span(pick(sq, cpu))}`, `PostgreSQL ${fmt(s.cpu.postgres)}${span(pick(pg, cpu))}`],
      `${fmt(s.cpu.ratio)}×`, '≤ 1.5×');
    row('PostgreSQL server processes, CPU per delivery', 'µs', ['', `${fmt(s.cpu.postgres_db)}${span(pick(pg, peer))}`],
      `node + PostgreSQL ÷ SQLite node: ${fmt(s.cpu.ratio_with_db)}×`);
    row('p50 latency', 'ms', [`SQLite ${fmt(s.cpu.sqlite_p50)}`, `PostgreSQL ${fmt(s.cpu.postgres_p50)}`], `${fmt(s.cpu.postgres_p50 / s.cpu.sqlite_p50)}×`);
    row('p99 latency', 'ms', [`SQLite ${fmt(s.cpu.sqlite_p99)}${span(pick(sq, (r) => stepOf(r)?.latency_ms?.p99))}`,
      `PostgreSQL ${fmt(s.cpu.postgres_p99)}${span(pick(pg, (r) => stepOf(r)?.latency_ms?.p99))}`], `${fmt(s.cpu.postgres_p99 / s.cpu.sqlite_p99)}×`);
  }
  if (raw.parts.includes('cross')) {
    const p = (q) => (r) => stepOf(r)?.latency_ms?.[q];
    for (const bus of buses) {
      const same = by('cross', 'same', bus);
      const cross = by('cross', 'cross', bus);
      const c = { same_p50: median(pick(same, p('p50'))), cross_p50: median(pick(cross, p('p50'))),
        same_p90: median(pick(same, p('p90'))), cross_p90: median(pick(cross, p('p90'))),
        p90_difference: median(paired(same, cross, (a, b) => p('p90')(b) - p('p90')(a))),
        same_p99: median(pick(same, p('p99'))), cross_p99: median(pick(cross, p('p99'))),
        p99_difference: median(paired(same, cross, (a, b) => p('p99')(b) - p('p99')(a))) };
      if (bus === 'postgres') s.cross = c;
      else s.cross_redis = c;
      const on = both ? `, ${BUS[bus]}` : '';
      row(`p50 latency, three nodes${on}`, 'ms', [`same node ${fmt(c.same_p50)}${span(pick(same, p('p50')))}`,
        `spread ${fmt(c.cross_p50)}${span(pick(cross, p('p50')))}`], `${signed(c.cross_p50 - c.same_p50)} ms`);
      row(`p90 latency, three nodes${on}`, 'ms', [`same node ${fmt(c.same_p90)}${span(pick(same, p('p90')))}`,
        `spread ${fmt(c.cross_p90)}${span(pick(cross, p('p90')))}`],
        `${signed(c.p90_difference)} ms (median of per-repetition differences)`);
      row(`p99 latency, three nodes${on}`, 'ms', [`same node ${fmt(c.same_p99)}${span(pick(same, p('p99')))}`,
        `spread ${fmt(c.cross_p99)}${span(pick(cross, p('p99')))}`],
        `${signed(c.p99_difference)} ms (median of per-repetition differences)`, '≤ 20 ms');
    }
    if (both) {
      // The buses against each other, run by run within a repetition.
      const ratio = (placement, f) => paired(by('cross', placement, 'postgres'), by('cross', placement, 'redis'), (a, b) => f(b) / f(a));
      const node = (r) => stepOf(r)?.server?.cpu_us_per_delivery;
      const all = (r) => node(r) + (stepOf(r)?.peers?.cpu_us_per_delivery ?? NaN);
      const ratios = (placement) => ({ p50: ratio(placement, p('p50')), p99: ratio(placement, p('p99')), node: ratio(placement, node), all: ratio(placement, all) });
      const r = { spread: ratios('cross'), same: ratios('same') };
      s.cross_buses = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([q, xs]) => [q, median(xs)]))]));
      const text = (k) => `${k === 'spread' ? 'spread' : 'same node'}: p50 ${fmt(s.cross_buses[k].p50)}×${span(r[k].p50)}, p99 ${fmt(s.cross_buses[k].p99)}×${span(r[k].p99)}`;
      row('latency, three nodes: Redis bus ÷ NOTIFY bus', '×', [text('spread'), text('same')], 'median of per-repetition ratios');
      const cpu = (bus) => {
        const runs = by('cross', 'cross', bus);
        return `${BUS[bus]}: n1 ${fmt(median(pick(runs, node)))}, all ${fmt(median(pick(runs, all)))}`;
      };
      row('CPU per delivery, three nodes spread: n1, and n1 + n2 + n3 + PostgreSQL (+ Redis)', 'µs', [cpu('postgres'), cpu('redis')],
        `Redis ÷ NOTIFY: n1 ${fmt(s.cross_buses.spread.node)}×, all ${fmt(s.cross_buses.spread.all)}×`);
    }
  }
  if (raw.parts.includes('ceiling')) {
    s.ceiling = {};
    // The configurations: the SQLite node, then one and three PostgreSQL nodes on each bus.
    const configs = [{ key: 'sqlite', config: 'sqlite', bus: undefined, name: 'one SQLite node' }];
    for (const bus of buses) {
      const suffix = bus === 'redis' ? '_redis' : '';
      const on = both ? ` (${BUS[bus]})` : '';
      configs.push({ key: `pg1${suffix}`, config: 'pg1', bus, name: `one PostgreSQL node${on}` },
        { key: `pg3${suffix}`, config: 'pg3', bus, name: `three PostgreSQL nodes${on}` });
    }
    const runsOf = (c) => by('ceiling', c.config, c.bus);
    for (const c of configs) {
      const runs = runsOf(c);
      const caps = runs.filter((r) => r.result?.steps?.length).map((r) => capacity(r));
      // Messages per store commit over the whole sweep, all nodes (membership commits of the connect
      // phase included, so a lower bound of the message batches).
      const per = runs.map((r) => {
        const n = r.result?.node_counters ?? [];
        const commits = n.reduce((a, x) => a + (x.commits || 0), 0);
        return commits ? n.reduce((a, x) => a + (x.received || 0), 0) / commits : NaN;
      });
      const limit = runs.map((r) => limitStep(r));
      s.ceiling[c.key] = { capacity: median(caps.map((x) => x.best)), all: caps.map((x) => x.best),
        stopped_by: caps.map((x) => x.stoppedBy), messages_per_commit: median(per),
        core0_busy_at_limit: median(limit.map((x) => x.core0)), ours_at_limit: median(limit.map((x) => x.ours)) };
    }
    let ratio = `PostgreSQL ÷ SQLite ${fmt(s.ceiling.pg1.capacity / s.ceiling.sqlite.capacity)}×; three ÷ one ${fmt(s.ceiling.pg3.capacity / s.ceiling.pg1.capacity)}×`;
    if (both) {
      // Redis against NOTIFY within a repetition (adjacent runs).
      const vs = (config) => median(paired(by('ceiling', config, 'postgres'), by('ceiling', config, 'redis'),
        (a, b) => capacity(b).best / capacity(a).best));
      // Above, level with, below NOTIFY: what a ladder of rates with zeros in it says more plainly than a ratio.
      const tally = (config) => {
        const d = paired(by('ceiling', config, 'postgres'), by('ceiling', config, 'redis'), (a, b) => Math.sign(capacity(b).best - capacity(a).best));
        return { above: d.filter((x) => x > 0).length, level: d.filter((x) => x === 0).length, below: d.filter((x) => x < 0).length };
      };
      s.ceiling.redis_over_notify = { pg1: vs('pg1'), pg3: vs('pg3'), pg1_tally: tally('pg1'), pg3_tally: tally('pg3') };
      const t = (x) => `${x.above} above, ${x.level} level, ${x.below} below`;
      ratio += `; Redis bus ÷ NOTIFY bus (per repetition): one node ${fmt(s.ceiling.redis_over_notify.pg1)}× (${t(s.ceiling.redis_over_notify.pg1_tally)}), `
        + `three nodes ${fmt(s.ceiling.redis_over_notify.pg3)}× (${t(s.ceiling.redis_over_notify.pg3_tally)})`;
    }
    row('messages/s committed with p50 ≤ 50 ms, nothing lost', 'msg/s',
      configs.map((c) => `${c.name} ${fmt(s.ceiling[c.key].capacity)}${span(s.ceiling[c.key].all)}`), ratio);
    row('messages per store commit over the sweep (all nodes)', '', configs.map((c) => `${c.name} ${fmt(s.ceiling[c.key].messages_per_commit)}`));
    row('at the first step that failed (or the top one): core 0 busy, of which the benchmark\'s own processes (nodes, PostgreSQL, Redis)', '%',
      configs.map((c) => `${c.name} ${pct(s.ceiling[c.key].core0_busy_at_limit)} (${pct(s.ceiling[c.key].ours_at_limit)})`),
      'median; near 100 % the one core is the limit');
  }
  if (raw.parts.includes('outage')) {
    const what = { postgres: 'LISTEN connection killed (pg_terminate_backend)', redis: 'Redis subscribed connection killed (CLIENT KILL TYPE pubsub)' };
    for (const bus of buses) {
      const runs = by('outage', 'outage', bus);
      const times = runs.flatMap((r) => r.result?.outage?.reconnected_after_ms ?? []).filter((x) => Number.isFinite(x));
      const lost = runs.map((r) => stepOf(r)?.lost ?? NaN);
      const o = { reconnect_ms_median: median(times), reconnect_ms_max: times.length ? Math.max(...times) : NaN, all: times, lost };
      if (bus === 'postgres') s.outage = o;
      else s.outage_redis = o;
      const metric = both ? what[bus] : 'LISTEN connection killed';
      row(`${metric} → node reconnected (from /metrics, 20 ms polls)`, 'ms',
        [`median ${fmt(o.reconnect_ms_median)}, max ${fmt(o.reconnect_ms_max)} over ${times.length} node-outages`,
          `deliveries lost: ${lost.join(', ')}`],
        bus === 'redis' ? `Redis ÷ NOTIFY, medians: ${fmt(o.reconnect_ms_median / s.outage?.reconnect_ms_median)}×` : '', 'detection ≤ 1.5 s');
    }
  }
  if (raw.parts.includes('failover')) {
    const runs = valid(by('failover', 'failover'));
    const f = (r) => r.result?.failover;
    s.failover = { all_rejoined_ms: median(runs.map((r) => f(r)?.all_rejoined_ms)),
      reconnect_p99_ms: median(runs.map((r) => f(r)?.reconnect_ms?.p99)), reconnect_p50_ms: median(runs.map((r) => f(r)?.reconnect_ms?.p50)),
      dropped: runs.map((r) => f(r)?.dropped), lost: runs.map((r) => stepOf(r)?.lost) };
    row('n3 SIGKILLed: its clients joined again on another node', 'ms',
      [`last one ${fmt(s.failover.all_rejoined_ms)} after the kill${span(runs.map((r) => f(r)?.all_rejoined_ms))}`,
        `each, close → joined: p50 ${fmt(s.failover.reconnect_p50_ms)}, p99 ${fmt(s.failover.reconnect_p99_ms)}${span(runs.map((r) => f(r)?.reconnect_ms?.p99))}`,
        `clients moved: ${s.failover.dropped.join(', ')}; deliveries lost: ${s.failover.lost.join(', ')}`], '', 'p99 ≤ 5 s');
  }
  return { summary: s, rows };
}

function renderMarkdown(raw) {
  const { rows } = summarize(raw);
  const m = raw.machine;
  const busy = raw.runs.map((r) => r.machine_busy_before);
  const lines = [
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC at commit \`${m.commit}\`, ${raw.options.quick ? 'quick run' : `${raw.options.reps} repetitions`}, in ${Math.round(raw.elapsed_s)} s.`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, Linux ${m.kernel}, ${m.os}; load average ${m.loadavg_at_start} at the start.`,
    `- PostgreSQL ${raw.postgres_version}${raw.redis_version ? `, Redis ${raw.redis_version}` : ''}, Qt ${m.qt}, GCC ${m.gcc}. `
      + `Servers${raw.redis_version ? ', PostgreSQL and Redis' : ' and PostgreSQL'} on core 0, the generator on core 1${m.priority ? ` (${m.priority})` : ''}.`,
    `- Other work on the machine: before ${busy.filter((b) => b > 0.25).length} of ${busy.length} runs it was more than 25 % busy (median ${Math.round(median(busy) * 100)} %).`,
    `- Command: \`bench/run.sh --cluster${raw.options.quick ? ' --quick' : ''}${!raw.options.quick && raw.options.reps !== 3 ? ` --reps ${raw.options.reps}` : ''}${raw.options.buses && raw.options.buses.length < BUSES.length ? ` --buses ${raw.options.buses.join(',')}` : ''}\`.`,
    '',
    '| measure | unit | figures (median, min–max) | ratio / difference | target |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.metric} | ${r.unit} | ${r.values.filter(Boolean).join('; ')} | ${r.ratio} | ${r.target} |`),
    '',
    'Every run:',
    '',
    '"node" is the first node (all of the cpu part\'s; n1 of three elsewhere); "other processes" are PostgreSQL\'s, the other nodes\' and, on the Redis bus, redis-server. '
      + 'Runs labelled `notify` use PostgreSQL\'s LISTEN/NOTIFY bus, `redis` the Redis bus. Ceiling rows show the highest step that passed.',
    '',
    '| run | valid | p50 ms | p90 ms | p99 ms | node µs/delivery | other processes µs/delivery | notes |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of raw.runs) {
    let st = stepOf(r);
    if (r.part === 'ceiling') {
      // The figures of the highest step that passed (else the first).
      const c = capacity(r);
      st = (r.result?.steps ?? []).find((x) => x.offered_messages_per_s === c.best) ?? st;
    }
    let note = (r.result?.invalid_reasons ?? []).join('; ').slice(0, 160);
    if (r.part === 'ceiling') {
      const c = capacity(r);
      const slow = (r.result?.node_counters ?? []).reduce((a, x) => a + (x.commits_over_100ms || 0), 0);
      const l = limitStep(r);
      note = `${fmt(c.best)} msg/s; stopped by ${c.stoppedBy}; sends that waited > 100 ms for their commit: ${slow}; `
        + `core 0 at ${c.stoppedBy === 'top rate passed' ? 'the top step' : 'the step that failed'} ${pct(l.core0)} busy (ours ${pct(l.ours)})`;
    } else if (r.part === 'failover') {
      const f = r.result?.failover;
      note = `${f?.dropped} clients moved, last joined ${fmt(f?.all_rejoined_ms)} ms after the kill; ${note}`;
    } else if (r.part === 'outage') {
      note = `reconnected after ${JSON.stringify(r.result?.outage?.reconnected_after_ms)} ms; ${note}`;
    }
    lines.push(`| ${r.label} | ${r.result?.valid ? 'yes' : 'no'} | ${fmt(st?.latency_ms?.p50)} | ${fmt(st?.latency_ms?.p90)} | ${fmt(st?.latency_ms?.p99)} | `
      + `${fmt(st?.server?.cpu_us_per_delivery)} | ${fmt(st?.peers?.cpu_us_per_delivery)} | ${note} |`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------

async function measure(opt) {
  for (const [what, file] of [['load generator', opt.loadgen], ['tertulia-server', opt.server], ['tertulia-bench-seed', opt.seed]])
    if (!existsSync(file)) throw new Error(`no ${what} at ${file}: run bench/run.sh --cluster`);
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL\'s server programs are not installed (Debian: postgresql)');
  // The Redis bus is only there for parts that run on it.
  if (!opt.parts.some((p) => BUS_PARTS.includes(p))) opt.buses = ['postgres'];
  if (opt.buses.includes('redis') && !Redis.available())
    throw new Error('redis-server and redis-cli are not installed (Debian: redis-server); --buses postgres runs without them');
  mkdirSync(opt.out, { recursive: true });
  const logDir = path.join(root, 'build', 'bench-results', 'logs');
  mkdirSync(logDir, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-cluster-'));
  const secretFile = path.join(work, 'secret.key');
  writeFileSync(secretFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  const pg = new Postgres(bin);
  const redis = opt.buses.includes('redis') ? new Redis() : null;
  // PostgreSQL is not our child process (pg_ctl daemonizes it): stop it on every way out. Redis is (run.mjs
  // kills it on the way out too); its directory goes here.
  process.on('exit', () => {
    pg.stop();
    redis?.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const ctx = { loadgen: opt.loadgen, server: opt.server, logDir, quick: opt.quick, secretFile, pg, redis, buses: opt.buses,
    loads: loads(opt.quick) };
  const started = Date.now();
  const machine = machineInfo(true);
  console.log(`bench cluster: PostgreSQL from ${bin}; parts ${opt.parts.join(', ')} x ${opt.reps} repetitions; buses ${opt.buses.join(', ')}`);
  await pg.start();
  if (redis) await redis.start();
  const postgresVersion = spawnSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^postgres \(PostgreSQL\) /, '');
  // Seed the generator's users once into a template database and once into a SQLite file.
  pg.sql('postgres', 'CREATE DATABASE seeded');
  execFileSync(opt.seed, ['--database', pg.url('seeded'), '--users', String(ctx.loads.users)], { stdio: 'inherit' });
  const sqliteDir = path.join(work, 'sqlite-seed');
  execFileSync(opt.seed, ['--data-dir', sqliteDir, '--users', String(ctx.loads.users)], { stdio: 'inherit' });
  ctx.sqliteSeed = path.join(sqliteDir, 'tertulia.db');

  const runs = [];
  const partFns = { cpu: partCpu, cross: partCross, ceiling: partCeiling, outage: partOutage, failover: partFailover };
  // Parts in order, repetitions inside each, so an interrupted run still has whole parts.
  for (const part of opt.parts) {
    for (let rep = 1; rep <= opt.reps; ++rep) runs.push(...await partFns[part](ctx, rep));
    // Databases of finished runs are dropped: the disk is shared.
    for (; ctx.dropped === undefined || ctx.dropped < databases;) {
      ctx.dropped = (ctx.dropped ?? 0) + 1;
      try {
        pg.sql('postgres', `DROP DATABASE IF EXISTS run${ctx.dropped}`);
      } catch {
        // still in use by a node that has not let go: left for pg.stop()
      }
    }
  }
  const elapsed = (Date.now() - started) / 1000;
  const raw = { machine, postgres_version: postgresVersion, ...(redis ? { redis_version: Redis.version() } : {}),
    options: { quick: opt.quick, reps: opt.reps, buses: opt.buses }, parts: opt.parts,
    loads: ctx.loads, elapsed_s: elapsed, runs };
  return raw;
}

// Run as a program (bench/run.sh --cluster); imported (failover.mjs), it only lends its PostgreSQL and nodes.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runSection({ section: 'cluster', parseArgs, measure, summary: (raw) => summarize(raw).summary, renderMarkdown,
    // Stored results go into the document only when they are a full run of every part on every bus.
    onRender: (raw, opt) => {
      opt.doc = !raw.options.quick && raw.parts.length === PARTS.length && (raw.options.buses ?? ['postgres']).length === BUSES.length;
    } });
}
