// Failover side by side (issue 9; bench/run.sh --failover; docs/benchmarks.md "Failover side by side"):
// the same Socket.IO clients, the same HAProxy and the same SIGKILL against three contenders of three nodes,
//
//   tertulia        tertulia-server --store postgres on a throw-away PostgreSQL (recovery by global
//                   positions and signed pids, docs/socketio.md "On several nodes")
//   redis-streams   Node Socket.IO 4.8 + @socket.io/redis-streams-adapter on a throw-away redis-server,
//                   connectionStateRecovery on
//   postgres        Node Socket.IO 4.8 + @socket.io/postgres-adapter on the same PostgreSQL,
//                   connectionStateRecovery on
//
// Each run: 60 official socket.io-client 4.8 clients (even ones forced to long-polling, odd ones to
// WebSocket, reconnection with Socket.IO's defaults: first retry after 0.5–1.5 s) connect through HAProxy
// with packaging/haproxy/tertulia.cfg exactly as shipped (addresses written in); 4 rooms of 15, each with
// members on every node. Every client sends 2 messages a second with an ack (timeout 3 s) and resends an
// unacknowledged message with the same client_msg_id. After 4 s node n3 is SIGKILLed; sending goes on for
// 8 s, then every pending message is retried until acked (at most 20 s) and deliveries drain for 3 s.
//
// Measured per run: of the clients n3 held at the kill, how many reconnected with socket.recovered true,
// and how long from the kill until each was connected to a live node; acknowledged messages missing at a
// client that never lost its connection (acked lost) and at the killed node's clients (missed); the same
// client_msg_id delivered twice to one client (duplicates on the wire); gaps and reversals of the room
// sequence (Tertulia; the anchors have none) and of each sender's own counter (all).
//
// Why through HAProxy and not "each client told its node": that is how the cluster is deployed
// (docs/scaling.md), the client then reconnects to the same address and the balancer picks a live node,
// and the anchors' polling needs stickiness, which their Engine.IO session ids tagged with the node
// (anchor-server.mjs) get from the same configuration.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Postgres, pgBinDir, startNode } from './cluster.mjs';
import { freePort, machineInfo, runSection, sleep, spawnPinned, waitForPort, waitForQuiet } from './run.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const failoverDir = path.join(root, 'bench', 'failover');
const require = createRequire(path.join(failoverDir, 'package.json'));
const CONTENDERS = ['tertulia', 'redis-streams', 'postgres'];
const NODES = ['n1', 'n2', 'n3'];

// The scenario. Rooms prime to the three nodes, so every room has members on each.
const SCENARIO = { clients: 60, rooms: 4, ratePerClient: 2, beforeKillMs: 4000, afterKillMs: 8000, ackTimeoutMs: 3000,
  retryForMs: 20000, drainMs: 3000, connectTimeoutMs: 30000 };

function parseArgs(argv) {
  const o = { quick: false, reps: null, only: CONTENDERS, out: null, doc: null };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value for ${a}`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--failover') continue;   // run.sh's switch, passed along
    else if (a === '--reps') o.reps = Number(next());
    else if (a === '--rate') SCENARIO.ratePerClient = Number(next());
    else if (a === '--drop') o.drop = true;
    else if (a === '--only') o.only = next().split(',');
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--doc') o.doc = true;
    else if (a === '--no-doc') o.doc = false;
    else if (a === '--loadgen') next();      // run.sh passes the generator along; not used here
    else if (a === '--server') o.server = path.resolve(next());
    else if (a === '--seed') o.seed = path.resolve(next());
    else if (a === '--render') o.render = path.resolve(next());
    else throw new Error(`unknown option ${a} (see bench/README.md)`);
  }
  for (const c of o.only) if (!CONTENDERS.includes(c)) throw new Error(`unknown contender ${c} (${CONTENDERS.join(', ')})`);
  o.reps ??= o.quick ? 1 : 3;
  o.doc ??= !o.quick && !o.drop && o.only.length === CONTENDERS.length;
  o.out ??= path.join(root, 'build', 'bench-results', `failover${o.drop ? '-drop' : ''}${o.quick ? '-quick' : ''}`);
  o.server ??= path.join(root, 'build', 'bench', 'server', 'tertulia-server');
  o.seed ??= path.join(root, 'build', 'bench', 'bench', 'tertulia-bench-seed');
  return o;
}

// ---------------------------------------------------------------------------------------------------
// the processes

// An HS256 access token as tertulia-server accepts it (bench/loadgen/token.cpp): user u<i>, login bench-u<i>,
// which tertulia-bench-seed created. The anchors check the same claims (bench/peers/common.mjs).
function accessToken(key, i) {
  const b64 = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({ iss: 'tertulia', aud: 'tertulia', sub: `u${i}`, iat: now, exp: now + 3600,
    jti: randomBytes(12).toString('hex'), sid: `bench-u${i}`, typ: 'access' });
  return `${head}.${body}.${createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')}`;
}

// A child process that stops with the run: SIGTERM, then SIGKILL after 3 s; its output kept in a log.
function managed(ctx, name, child) {
  const chunks = [];
  child.stdout.on('data', (d) => chunks.push(d));
  child.stderr.on('data', (d) => chunks.push(d));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name, pid: child.pid, child,
    kill() {
      if (running()) child.kill('SIGKILL');
    },
    async stop() {
      if (running()) {
        child.kill('SIGTERM');
        const end = Date.now() + 3000;
        while (running() && Date.now() < end) await sleep(50);
        if (running()) child.kill('SIGKILL');
        const gone = Date.now() + 3000;
        while (running() && Date.now() < gone) await sleep(20);
      }
      writeFileSync(path.join(ctx.logDir, `failover-${name}-${Date.now()}.log`), Buffer.concat(chunks));
    },
  };
}

async function startListening(ctx, name, core, argv, port) {
  const proc = managed(ctx, name, spawnPinned(core, argv));
  if (!(await waitForPort(port, proc.child, 20000))) {
    await proc.stop();
    throw new Error(`${name} did not start listening (logs in ${path.relative(root, ctx.logDir)})`);
  }
  return proc;
}

async function startRedis(ctx) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-redis-'));
  const proc = await startListening(ctx, 'redis', 0, ['redis-server', '--port', String(port), '--bind', '127.0.0.1',
    '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'], port);
  const stop = proc.stop;
  proc.stop = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { proc, url: `redis://127.0.0.1:${port}` };
}

async function startAnchor(ctx, nodeId, adapterArgs) {
  const port = await freePort();
  const proc = await startListening(ctx, `anchor-${nodeId}`, 0, [process.execPath, path.join(failoverDir, 'anchor-server.mjs'),
    '--port', String(port), '--node-id', nodeId, '--secret-file', ctx.secretFile, ...adapterArgs], port);
  return { id: nodeId, port, pid: proc.pid, kill: () => proc.kill(), stop: () => proc.stop() };
}

// The shipped HAProxy configuration with the addresses written in (its header says so), on core 1 with
// the clients.
async function startHaproxy(ctx, work, nodes) {
  const port = await freePort();
  let cfg = readFileSync(path.join(root, 'packaging', 'haproxy', 'tertulia.cfg'), 'utf8');
  cfg = cfg.replace('"${TERTULIA_LISTEN}"', `127.0.0.1:${port}`);
  nodes.forEach((n, i) => (cfg = cfg.replace(`"\${TERTULIA_N${i + 1}}"`, `127.0.0.1:${n.port}`)));
  if (cfg.split('\n').some((line) => !line.trimStart().startsWith('#') && line.includes('${'))) throw new Error('packaging/haproxy/tertulia.cfg: an address was not written in');
  const file = path.join(work, `haproxy-${port}.cfg`);
  writeFileSync(file, cfg);
  return { port, proc: await startListening(ctx, 'haproxy', 1, ['haproxy', '-db', '-f', file], port) };
}

let databases = 0;
function freshDatabase(ctx) {
  const name = `failover${++databases}`;
  ctx.pg.sql('postgres', `CREATE DATABASE ${name} TEMPLATE seeded`);
  return name;
}

// Starts a contender's three nodes (and its Redis), returns { nodes, stop }.
async function startContender(ctx, contender) {
  const stops = [];
  const nodes = [];
  try {
    if (contender === 'tertulia') {
      const database = ctx.pg.url(freshDatabase(ctx));
      for (const nodeId of NODES) {
        const n = await startNode(ctx, { store: 'postgres', nodeId, database });
        stops.push(() => n.stop());
        nodes.push(n);
      }
      // Let the nodes hear each other (heartbeats every 500 ms) before the clients come.
      await sleep(1500);
    } else {
      let adapterArgs;
      if (contender === 'redis-streams') {
        const redis = await startRedis(ctx);
        stops.push(() => redis.proc.stop());
        adapterArgs = ['--adapter', 'redis-streams', '--redis-url', redis.url];
      } else {
        const database = freshDatabase(ctx);
        adapterArgs = ['--adapter', 'postgres', '--pg-host', ctx.pg.dir, '--pg-port', String(ctx.pg.port), '--pg-database', database];
      }
      for (const nodeId of NODES) {
        const n = await startAnchor(ctx, nodeId, adapterArgs);
        stops.push(() => n.stop());
        nodes.push(n);
      }
      await sleep(500);
    }
  } catch (e) {
    for (const s of stops.reverse()) await s();
    throw e;
  }
  return { nodes, stop: async () => { for (const s of stops.reverse()) await s(); } };
}

// ---------------------------------------------------------------------------------------------------
// the clients

const nodeOf = (socket) => /^(n\d+)\./.exec(socket.io?.engine?.id ?? '')?.[1] ?? null;

async function until(predicate, timeoutMs, stepMs = 20) {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() >= end) return false;
    await sleep(stepMs);
  }
  return true;
}

function makeClient(ctx, url, i, contender) {
  const { io } = require('socket.io-client');
  const polling = i % 2 === 0;
  const c = {
    i, polling, room: `room${i % SCENARIO.rooms}`, k: 0, pending: null, acked: new Map(), received: new Map(),
    lastSeq: null, seqGaps: 0, seqBackwards: 0, lastFrom: new Map(), orderViolations: 0, resends: 0, duplicateAcks: 0,
    errors: [], disconnects: [], connects: [], connectErrors: [], joined: false, everDisconnected: false,
  };
  c.socket = io(url, {
    transports: polling ? ['polling'] : ['websocket'],
    upgrade: false,
    auth: (cb) => cb({ token: accessToken(ctx.key, i) }),
    reconnection: true,              // Socket.IO's defaults: 1 s ± 50 %, doubling up to 5 s
    timeout: 10000,
  });
  c.socket.on('connect', () => {
    c.connects.push({ at: Date.now(), recovered: c.socket.recovered, node: nodeOf(c.socket) });
    // A reconnect that did not recover its state joins its room again, as an application does.
    if (c.joined && !c.socket.recovered) c.socket.emit('join', { room: c.room }, () => {});
  });
  c.socket.on('connect_error', (e) => c.connectErrors.push({ at: Date.now(), message: e.message }));
  c.socket.on('disconnect', (reason) => {
    c.everDisconnected = true;
    c.disconnects.push({ at: Date.now(), reason });
  });
  c.socket.on('message', (m) => {
    const id = m?.client_msg_id;
    if (typeof id !== 'string') return;
    c.received.set(id, (c.received.get(id) ?? 0) + 1);
    if (contender === 'tertulia' && Number.isInteger(m.seq)) {
      if (c.lastSeq !== null && m.seq !== c.lastSeq + 1) {
        if (m.seq > c.lastSeq + 1) c.seqGaps += m.seq - c.lastSeq - 1;
        else c.seqBackwards += 1;
      }
      c.lastSeq = Math.max(c.lastSeq ?? m.seq, m.seq);
    }
    const [sender, counter] = String(m.text).split(':').map(Number);
    const last = c.lastFrom.get(sender);
    if (last !== undefined && counter < last) c.orderViolations += 1;
    c.lastFrom.set(sender, Math.max(last ?? counter, counter));
  });
  return c;
}

async function join(c, contender, create) {
  const event = contender === 'tertulia' && create ? 'create_room' : 'join';
  let reply = await c.socket.timeout(10000).emitWithAck(event, event === 'create_room' ? { name: c.room } : { room: c.room });
  if (reply?.type === 'error' && reply.error?.code === 'conflict') reply = await c.socket.timeout(10000).emitWithAck('join', { room: c.room });
  if (reply?.type !== 'ok') throw new Error(`client ${c.i}: ${event} ${c.room}: ${JSON.stringify(reply)}`);
  if (contender === 'tertulia') c.lastSeq = reply.data?.room?.last_seq ?? 0;
  c.joined = true;
}

// Sends until stopAt, one message at a time, 1/rate apart; an unacknowledged message is sent again with
// the same client_msg_id (while disconnected it waits for the connection, bounded).
async function sendLoop(c, stopAt, retryUntil) {
  const interval = 1000 / SCENARIO.ratePerClient;
  await sleep(Math.random() * interval);
  for (;;) {
    const now = Date.now();
    if (!c.pending && now >= stopAt) return;
    if (now >= retryUntil) return;
    if (!c.pending) {
      c.pending = { id: `c${c.i}-${c.k}`, text: `${c.i}:${c.k}`, attempts: 0 };
      c.k += 1;
    }
    if (!c.socket.connected) {
      await until(() => c.socket.connected, 500);
      continue;
    }
    const p = c.pending;
    p.attempts += 1;
    if (p.attempts > 1) c.resends += 1;
    try {
      const reply = await c.socket.timeout(SCENARIO.ackTimeoutMs).emitWithAck('send', { room: c.room, text: p.text, client_msg_id: p.id });
      if (reply?.type === 'ok') {
        c.acked.set(p.id, Date.now());
        if (reply.data?.duplicate) c.duplicateAcks += 1;
        c.pending = null;
        await sleep(interval);
      } else {
        c.errors.push(JSON.stringify(reply).slice(0, 200));
        await sleep(interval);    // an error reply (not a lost ack): tried again, the id unchanged
      }
    } catch {
      // no ack within the timeout: sent again with the same id
    }
  }
}

const pct = (xs, q) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)];
};

async function runOnce(ctx, contender) {
  const started = await startContender(ctx, contender);
  let haproxy = null;
  const clients = [];
  try {
    haproxy = await startHaproxy(ctx, ctx.work, started.nodes);
    const url = `http://127.0.0.1:${haproxy.port}`;
    for (let i = 0; i < SCENARIO.clients; ++i) clients.push(makeClient(ctx, url, i, contender));
    if (!(await until(() => clients.every((c) => c.socket.connected), SCENARIO.connectTimeoutMs, 50))) {
      throw new Error(`${clients.filter((c) => !c.socket.connected).length} clients did not connect`);
    }
    // The rooms' first members create them (Tertulia), then everyone joins.
    for (const c of clients.slice(0, SCENARIO.rooms)) await join(c, contender, true);
    await Promise.all(clients.slice(SCENARIO.rooms).map((c) => join(c, contender, false)));
    const placement = Object.fromEntries(NODES.map((n) => [n, clients.filter((c) => nodeOf(c.socket) === n).length]));

    const t0 = Date.now();
    const killAt = t0 + SCENARIO.beforeKillMs;
    const stopAt = killAt + SCENARIO.afterKillMs;
    const retryUntil = stopAt + SCENARIO.retryForMs;
    const loops = clients.map((c) => sendLoop(c, stopAt, retryUntil));
    await sleep(killAt - Date.now());
    const victims = clients.filter((c) => c.socket.connected && nodeOf(c.socket) === 'n3');
    const disconnectedBefore = clients.filter((c) => c.everDisconnected).length;
    for (const c of victims) {
      // The recovery state the client will present (socket.io-client's private fields, read only).
      c.pidAtKill = c.socket._pid ?? null;
      c.offsetAtKill = c.socket._lastOffset ?? null;
    }
    const killedAt = Date.now();
    // The control (--drop): n3 lives, its clients' transports are closed under them (as a network drop
    // would), so their sessions end on a live node: what each contender's recovery is built for.
    if (ctx.drop) for (const c of victims) c.socket.io.engine.close();
    else started.nodes[2].kill();
    await Promise.all(loops);
    await sleep(SCENARIO.drainMs);

    // The figures.
    const back = victims.map((c) => c.connects.find((x) => x.at >= killedAt));
    const backMs = back.map((x) => (x ? x.at - killedAt : NaN));
    const recovered = back.filter((x) => x?.recovered === true).length;
    const stayed = clients.filter((c) => !c.everDisconnected);
    const ackedByRoom = new Map();
    for (const c of clients) for (const id of c.acked.keys()) {
      if (!ackedByRoom.has(c.room)) ackedByRoom.set(c.room, []);
      ackedByRoom.get(c.room).push(id);
    }
    const missing = (c) => (ackedByRoom.get(c.room) ?? []).filter((id) => !c.received.has(id)).length;
    const ackedLostIds = new Set();
    for (const c of stayed) for (const id of ackedByRoom.get(c.room) ?? []) if (!c.received.has(id)) ackedLostIds.add(id);
    const nowhere = [...ackedByRoom.entries()].reduce((a, [room, ids]) =>
      a + ids.filter((id) => !clients.some((c) => c.room === room && c.received.has(id))).length, 0);
    const dupsPer = clients.map((c) => [...c.received.values()].reduce((a, n) => a + Math.max(0, n - 1), 0));
    const victimMissing = victims.map(missing);
    const unacked = clients.filter((c) => c.pending).length;
    // Each client of the killed node: the first thing to look at when one did not recover.
    const victimDetail = victims.map((c, j) => ({ client: c.i, transport: c.polling ? 'polling' : 'websocket',
      recovered: back[j]?.recovered ?? null, back_ms: backMs[j], node: back[j]?.node ?? null, missed: victimMissing[j],
      disconnect: c.disconnects.find((x) => x.at >= killedAt)?.reason ?? null,
      connect_attempts_failed: c.connectErrors.filter((x) => x.at >= killedAt).map((x) => x.message).slice(0, 3),
      pid_before_kill: c.pidAtKill, offset_before_kill: c.offsetAtKill }));
    const result = {
      contender, placement, victims: victims.length, victims_polling: victims.filter((c) => c.polling).length,
      recovered, recovered_rate: victims.length ? recovered / victims.length : NaN,
      recovered_polling: back.filter((x, j) => x?.recovered === true && victims[j].polling).length,
      not_back: backMs.filter((x) => !Number.isFinite(x)).length,
      back_ms: { p50: pct(backMs, 0.5), p99: pct(backMs, 0.99), max: Math.max(...backMs.filter(Number.isFinite)) },
      back_all_ms: backMs,
      sent: clients.reduce((a, c) => a + c.k, 0), acked: clients.reduce((a, c) => a + c.acked.size, 0), unacked_at_end: unacked,
      resends: clients.reduce((a, c) => a + c.resends, 0), duplicate_acks: clients.reduce((a, c) => a + c.duplicateAcks, 0),
      error_replies: clients.reduce((a, c) => a + c.errors.length, 0), first_errors: clients.flatMap((c) => c.errors).slice(0, 3),
      stayed_connected: stayed.length, others_disconnected: clients.filter((c) => c.everDisconnected && !victims.includes(c)).length,
      disconnected_before_kill: disconnectedBefore,
      acked_lost: ackedLostIds.size, acked_received_by_nobody: nowhere,
      victims_missed_deliveries: victimMissing.reduce((a, b) => a + b, 0),
      victims_complete: victimMissing.filter((x) => x === 0).length,
      duplicates: dupsPer.reduce((a, b) => a + b, 0), duplicates_max_per_client: Math.max(...dupsPer),
      seq_gaps: contender === 'tertulia' ? clients.reduce((a, c) => a + c.seqGaps, 0) : null,
      seq_backwards: contender === 'tertulia' ? clients.reduce((a, c) => a + c.seqBackwards, 0) : null,
      sender_order_violations: clients.reduce((a, c) => a + c.orderViolations, 0),
      victim_detail: victimDetail,
    };
    const reasons = [];
    if (!victims.length) reasons.push('n3 held no client at the kill');
    if (disconnectedBefore) reasons.push(`${disconnectedBefore} clients disconnected before the kill`);
    result.valid = reasons.length === 0;
    result.invalid_reasons = reasons;
    return result;
  } finally {
    for (const c of clients) c.socket.disconnect();
    if (haproxy) await haproxy.proc.stop();
    await started.stop();
  }
}

// ---------------------------------------------------------------------------------------------------
// report

const median = (xs) => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const fmt = (x, digits = 3) => {
  if (x === null || x === undefined) return 'n/a';
  if (!Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 100) return String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return Number(x.toPrecision(digits)).toString();
};
const pc = (x) => (Number.isFinite(x) ? `${fmt(100 * x)} %` : '–');
const NAMES = { tertulia: 'Tertulia (3 × tertulia-server, PostgreSQL)', 'redis-streams': 'Socket.IO + Redis Streams adapter',
  postgres: 'Socket.IO + Postgres adapter' };

export function summarize(raw) {
  const out = {};
  for (const contender of raw.contenders) {
    const runs = raw.runs.filter((r) => r.contender === contender && r.result?.valid).map((r) => r.result);
    const m = (f) => median(runs.map(f));
    const all = (f) => runs.map(f).join(', ');
    out[contender] = {
      runs: runs.length, recovered_rate: m((r) => r.recovered_rate), recovered_all: all((r) => `${r.recovered}/${r.victims}`),
      recovered_pooled: runs.reduce((a, r) => a + r.recovered, 0), victims_pooled: runs.reduce((a, r) => a + r.victims, 0),
      back_p50: m((r) => r.back_ms.p50), back_p99: m((r) => r.back_ms.p99), back_max: m((r) => r.back_ms.max),
      not_back: all((r) => r.not_back), acked: m((r) => r.acked), acked_lost: m((r) => r.acked_lost), acked_lost_all: all((r) => r.acked_lost),
      nobody: all((r) => r.acked_received_by_nobody), victims_missed: m((r) => r.victims_missed_deliveries),
      victims_missed_all: all((r) => r.victims_missed_deliveries), victims_complete: all((r) => `${r.victims_complete}/${r.victims}`),
      duplicates: m((r) => r.duplicates), duplicates_all: all((r) => r.duplicates), duplicates_max: m((r) => r.duplicates_max_per_client),
      seq_gaps: contender === 'tertulia' ? m((r) => r.seq_gaps) : null, seq_backwards: contender === 'tertulia' ? m((r) => r.seq_backwards) : null,
      order: m((r) => r.sender_order_violations), resends: m((r) => r.resends), duplicate_acks: m((r) => r.duplicate_acks),
      unacked: all((r) => r.unacked_at_end), errors: all((r) => r.error_replies),
    };
  }
  return out;
}

function renderMarkdown(raw) {
  const s = summarize(raw);
  const m = raw.machine;
  const lines = [
    `Measured ${m.date.slice(0, 16).replace('T', ' ')} UTC at commit \`${m.commit}\`, ${raw.options.quick ? 'quick run' : `${raw.options.reps} runs per contender, medians`}, in ${Math.round(raw.elapsed_s)} s.`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gib} GiB, Linux ${m.kernel}, ${m.os}; load average ${m.loadavg_at_start} at the start (shared with other work).`,
    `- Node ${m.node}; ${Object.entries(raw.versions).map(([k, v]) => `${k} ${v}`).join(', ')}; PostgreSQL ${raw.postgres_version}; ${raw.redis_version}; ${raw.haproxy_version}.`,
    `- ${SCENARIO.clients} socket.io-client clients (half long-polling, half WebSocket) through HAProxy (packaging/haproxy/tertulia.cfg), ${SCENARIO.rooms} rooms, ${SCENARIO.ratePerClient} messages/s per client with acks (timeout ${SCENARIO.ackTimeoutMs / 1000} s, resent with the same client_msg_id); n3 SIGKILLed after ${SCENARIO.beforeKillMs / 1000} s, sending for ${SCENARIO.afterKillMs / 1000} s more.`,
    ...(raw.options.drop ? ['- **Control (`--drop`)**: n3 is not killed; its clients\' transports are closed under them, so their sessions end on a live node.'] : []),
    `- Command: \`bench/run.sh --failover${raw.options.quick ? ' --quick' : ''}${raw.options.drop ? ' --drop' : ''}\`.`,
    '',
    '| measure | ' + raw.contenders.map((c) => NAMES[c]).join(' | ') + ' |',
    '|---|' + raw.contenders.map(() => '---|').join(''),
  ];
  const row = (label, f) => lines.push(`| ${label} | ${raw.contenders.map((c) => f(s[c])).join(' | ')} |`);
  row('killed node\'s clients reconnected with `recovered: true`: median (each run; all runs together)',
    (x) => `**${pc(x.recovered_rate)}** (${x.recovered_all}; ${x.recovered_pooled}/${x.victims_pooled} = ${pc(x.recovered_pooled / x.victims_pooled)})`);
  row('kill → connected to a live node, p50 / p99 / max (ms)', (x) => `${fmt(x.back_p50)} / ${fmt(x.back_p99)} / ${fmt(x.back_max)}`);
  row('never back within the run (each run)', (x) => x.not_back);
  row('acked messages lost: missing at a client that never disconnected (each run)', (x) => `**${fmt(x.acked_lost)}** (${x.acked_lost_all}) of ${fmt(x.acked)}`);
  row('acked messages received by nobody (each run)', (x) => x.nobody);
  row('deliveries the killed node\'s clients never got (each run)', (x) => `${fmt(x.victims_missed)} (${x.victims_missed_all})`);
  row('killed node\'s clients with every acked message (each run)', (x) => x.victims_complete);
  row('duplicates on the wire, all clients (each run); max per client', (x) => `${fmt(x.duplicates)} (${x.duplicates_all}); ${fmt(x.duplicates_max)}`);
  row('room sequence: gaps / reversals', (x) => (x.seq_gaps === null ? 'n/a (no room sequence)' : `${fmt(x.seq_gaps)} / ${fmt(x.seq_backwards)}`));
  row('a sender\'s messages out of order', (x) => fmt(x.order));
  row('sends retried (ack timed out) / answered `duplicate: true`', (x) => `${fmt(x.resends)} / ${fmt(x.duplicate_acks)}`);
  row('unacked at the end / error replies (each run)', (x) => `${x.unacked} / ${x.errors}`);
  lines.push('', 'Every run:', '', '| run | valid | clients on n1/n2/n3 | killed node\'s clients (polling) | recovered | back p50/max ms | acked | acked lost | missed by killed node\'s clients | duplicates | notes |',
    '|---|---|---|---|---:|---|---:|---:|---:|---:|---|');
  for (const r of raw.runs) {
    const x = r.result ?? {};
    lines.push(`| ${r.label} | ${x.valid ? 'yes' : 'no'} | ${x.placement ? NODES.map((n) => x.placement[n]).join('/') : ''} | ${x.victims ?? ''} (${x.victims_polling ?? ''}) | `
      + `${x.recovered ?? ''} | ${fmt(x.back_ms?.p50)}/${fmt(x.back_ms?.max)} | ${x.acked ?? ''} | ${x.acked_lost ?? ''} | ${x.victims_missed_deliveries ?? ''} | ${x.duplicates ?? ''} | `
      + `${(x.invalid_reasons ?? []).join('; ').slice(0, 200)}${x.first_errors?.length ? ` errors: ${x.first_errors.join(' ').slice(0, 160)}` : ''} |`);
  }
  return lines.join('\n');
}

async function measure(opt) {
  const needTertulia = opt.only.includes('tertulia');
  for (const [what, file] of needTertulia ? [['tertulia-server', opt.server], ['tertulia-bench-seed', opt.seed]] : [])
    if (!existsSync(file)) throw new Error(`no ${what} at ${file}: run bench/run.sh --failover`);
  for (const program of ['haproxy', ...(opt.only.includes('redis-streams') ? ['redis-server'] : [])])
    if (spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0) throw new Error(`${program} is not installed (bench/README.md)`);
  if (!existsSync(path.join(failoverDir, 'node_modules', 'socket.io-client'))) throw new Error('bench/failover/node_modules is missing: npm ci in bench/failover');
  const bin = pgBinDir();
  if (!bin) throw new Error('PostgreSQL\'s server programs are not installed (Debian: postgresql)');
  mkdirSync(opt.out, { recursive: true });
  const logDir = path.join(root, 'build', 'bench-results', 'logs');
  mkdirSync(logDir, { recursive: true });
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-failover-'));
  const secretFile = path.join(work, 'secret.key');
  const secret = randomBytes(32);
  writeFileSync(secretFile, `${secret.toString('hex')}\n`, { mode: 0o600 });
  const pg = new Postgres(bin);
  process.on('exit', () => {
    pg.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const ctx = { server: opt.server, logDir, secretFile, key: secret, pg, work, quick: opt.quick, drop: !!opt.drop };
  const started = Date.now();
  const machine = machineInfo(needTertulia);
  const version = (name) => JSON.parse(readFileSync(path.join(failoverDir, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version;
  const versions = Object.fromEntries(['socket.io', 'socket.io-client', '@socket.io/redis-streams-adapter', '@socket.io/postgres-adapter', 'redis', 'pg']
    .map((n) => [n, version(n)]));
  console.log(`bench failover: ${opt.only.join(', ')} x ${opt.reps} runs`);
  await pg.start();
  const postgresVersion = spawnSync(path.join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^postgres \(PostgreSQL\) /, '');
  pg.sql('postgres', 'CREATE DATABASE seeded');
  if (needTertulia) execFileSync(opt.seed, ['--database', pg.url('seeded'), '--users', String(SCENARIO.clients)], { stdio: 'inherit' });

  const runs = [];
  for (let rep = 1; rep <= opt.reps; ++rep) {
    // The order rotates with the repetition, so no contender always runs first on a machine that warms up.
    const order = opt.only.map((_, i) => opt.only[(i + rep - 1) % opt.only.length]);
    for (const contender of order) {
      const label = `${contender}/${rep}`;
      const quiet = await waitForQuiet(opt.quick ? 0 : 2000, 0.25, 500);
      const t = Date.now();
      let result;
      try {
        result = await runOnce(ctx, contender);
      } catch (e) {
        result = { valid: false, invalid_reasons: [e.message] };
      }
      runs.push({ contender, rep, label, seconds: (Date.now() - t) / 1000, machine_busy_before: quiet.busy, result });
      console.log(`  ${label.padEnd(18)} ${((Date.now() - t) / 1000).toFixed(1).padStart(5)} s  ${result.valid
        ? `recovered ${result.recovered}/${result.victims}, back p50 ${fmt(result.back_ms.p50)} ms max ${fmt(result.back_ms.max)} ms, `
          + `acked lost ${result.acked_lost}, missed by victims ${result.victims_missed_deliveries}, duplicates ${result.duplicates}`
        : `INVALID: ${result.invalid_reasons.join('; ')}`}`);
    }
  }
  const elapsed = (Date.now() - started) / 1000;
  const raw = { machine, versions, postgres_version: postgresVersion,
    redis_version: spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.trim().split(' sha=')[0],
    haproxy_version: spawnSync('haproxy', ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].split(' - ')[0],
    scenario: SCENARIO, options: { quick: opt.quick, reps: opt.reps, drop: !!opt.drop }, contenders: opt.only, elapsed_s: elapsed, runs };
  return raw;
}

runSection({ section: 'failover', parseArgs, measure, summary: summarize, renderMarkdown });
