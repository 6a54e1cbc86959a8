// Reproduces why a few Tertulia clients reconnected with `recovered: false` in bench/run.sh --failover
// (docs/benchmarks.md, "Failover side by side"): a `resume` answered by a node while another node commits
// to the same room reported a gap that was not there (9 of 300 answers here), until main's fixes ("resume
// replays up to the room's last_seq as this node knows it", "resume replays only what did not reach the
// connection live"). It now checks that this stays fixed; exit status 1 if not.
//
//   node bench/failover/resume-race.mjs [--server build/bench/server/tertulia-server] [--seed build/bench/bench/tertulia-bench-seed]
//
// Two tertulia-server nodes on a throw-away PostgreSQL; a client on n2 sends to room0 as fast as its acks
// come back; a client on n1 (a member, receiving everything) sends `resume {room0: <the last seq it
// received>}` 300 times, 20 ms apart. Nothing is missing, so every answer should be `recovered: true`.
// The script prints how many were not, and the first few answers; then what the probe received in all:
// every seq of room0 up to the last should have arrived exactly once, live or replayed (docs/protocol.md,
// resume: "Every message reaches the connection once"), so it prints the seqs received twice and missing.
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Postgres, pgBinDir, startNode } from '../runner/cluster.mjs';
import { sleep } from '../runner/run.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const { io } = createRequire(path.join(here, 'package.json'))('socket.io-client');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? path.resolve(process.argv[i + 1]) : fallback;
};
const server = arg('--server', path.join(root, 'build', 'bench', 'server', 'tertulia-server'));
const seed = arg('--seed', path.join(root, 'build', 'bench', 'bench', 'tertulia-bench-seed'));

function token(key, i) {
  const b64 = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({ iss: 'tertulia', aud: 'tertulia', sub: `u${i}`, iat: now, exp: now + 3600, jti: randomBytes(8).toString('hex'),
    sid: `bench-u${i}`, typ: 'access' });
  return `${head}.${body}.${createHmac('sha256', key).update(`${head}.${body}`).digest('base64url')}`;
}

async function main() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'resume-race-'));
  const key = randomBytes(32);
  const secretFile = path.join(work, 'secret.key');
  writeFileSync(secretFile, `${key.toString('hex')}\n`, { mode: 0o600 });
  const pg = new Postgres(pgBinDir());
  const nodes = [];
  const sockets = [];
  process.on('exit', () => {
    pg.stop();
    rmSync(work, { recursive: true, force: true });
  });
  try {
    await pg.start();
    pg.sql('postgres', 'CREATE DATABASE race');
    execFileSync(seed, ['--database', pg.url('race'), '--users', '2'], { stdio: 'ignore' });
    const ctx = { server, secretFile, logDir: work };
    for (const nodeId of ['n1', 'n2']) nodes.push(await startNode(ctx, { store: 'postgres', nodeId, database: pg.url('race') }));
    await sleep(1500);
    const connect = (i, node) => new Promise((resolve, reject) => {
      const s = io(`http://127.0.0.1:${node.port}`, { transports: ['websocket'], auth: { token: token(key, i) }, reconnection: false });
      sockets.push(s);
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
    const publisher = await connect(0, nodes[1]);
    const probe = await connect(1, nodes[0]);
    if ((await publisher.timeout(5000).emitWithAck('create_room', { name: 'room0' })).type !== 'ok') throw new Error('create_room failed');
    if ((await probe.timeout(5000).emitWithAck('join', { room: 'room0' })).type !== 'ok') throw new Error('join failed');
    let lastSeq = 0;
    const received = new Map(); // seq -> times the probe got it
    probe.on('message', (m) => {
      if (m.room !== 'room0') return;
      lastSeq = Math.max(lastSeq, m.seq);
      received.set(m.seq, (received.get(m.seq) ?? 0) + 1);
    });
    let publishing = true;
    const publishLoop = (async () => {
      for (let k = 0; publishing; ++k) await publisher.timeout(5000).emitWithAck('send', { room: 'room0', text: `m${k}`, client_msg_id: `p${k}` });
    })();
    const bad = [];
    const tries = 300;
    for (let t = 0; t < tries; ++t) {
      const held = lastSeq;
      const reply = await probe.timeout(5000).emitWithAck('resume', { rooms: { room0: held } });
      const state = reply?.data?.rooms?.room0;
      if (!state?.recovered) bad.push({ client_had: held, ...state });
      await sleep(20);
    }
    publishing = false;
    await publishLoop;
    // The last acked send's seq; wait (bounded) until the probe has it, so a missing seq is a real one.
    const last = (await publisher.timeout(5000).emitWithAck('send', { room: 'room0', text: 'last', client_msg_id: 'last' })).data.seq;
    for (let w = 0; w < 100 && lastSeq < last; ++w) await sleep(50);
    const twice = [...received].filter(([, n]) => n > 1).map(([seq]) => seq);
    const firstSeq = Math.min(...received.keys());
    const missing = [];
    for (let seq = firstSeq; seq <= last; ++seq) if (!received.has(seq)) missing.push(seq);
    console.log(`resume answered recovered:false ${bad.length} of ${tries} times with nothing missing`);
    for (const b of bad.slice(0, 5)) console.log(`  client had seq ${b.client_had}: ${JSON.stringify(b)}`);
    console.log(`probe received seqs ${firstSeq}..${last} of room0: ${received.size} distinct, ${twice.length} more than once${twice.length ? ` (${twice.slice(0, 10).join(', ')})` : ''}, ${missing.length} missing${missing.length ? ` (${missing.slice(0, 10).join(', ')})` : ''}`);
    process.exitCode = bad.length || twice.length || missing.length ? 1 : 0;
  } finally {
    for (const s of sockets) s.disconnect();
    for (const n of nodes) await n.stop();
  }
}

main().catch((e) => {
  console.error(`resume-race: ${e.message}`);
  process.exitCode = 2;
}).finally(() => process.exit());
