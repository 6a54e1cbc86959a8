// A second strict client for both /ws paths: Node's `ws` (the version pinned in bench/peers) against a real
// tertulia-server. Not part of ctest (it needs bench/peers' node_modules: `cd bench/peers && npm ci`).
//
//   node tests/server/fastpath/ws-client-check.mjs build/<dir>/server/tertulia-server [on|off]
//
// `ws` fails a connection on any frame RFC 6455 forbids a server to send (masked frames, RSV bits, invalid
// UTF-8 in text or close reasons, close codes not allowed on the wire, bad lengths). Checked here: the
// handshake with the subprotocol, auth by header and by frame, room traffic in order with multibyte text, a
// client message fragmented inside a character, pings both ways, a close with an application code and
// reason from the server, and a client-initiated close answered with the same code.
// With `off` (the portable path, WebSocket::Connection) every check passes too: both paths run the same codec
// (server/websocket). Before it, the QWebSocket path refused the fragmented message with 1007 (QtWebSockets
// checks UTF-8 frame by frame; docs/architecture.md).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const { default: WebSocket } = await import(path.join(root, 'bench/peers/node_modules/ws/wrapper.mjs'));
const serverBinary = process.argv[2];
const fastPath = process.argv[3] ?? 'on';
if (!serverBinary) {
  console.error('usage: ws-client-check.mjs <tertulia-server> [on|off]');
  process.exit(2);
}

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};
const deadline = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout: ${what}`)), ms));

const dir = mkdtempSync(path.join(os.tmpdir(), 'ws-check-'));
const server = spawn(serverBinary, ['--listen', '127.0.0.1:0', '--data-dir', dir, '--fast-path', fastPath],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await Promise.race([
  new Promise((resolve) => server.stdout.once('data', (d) => resolve(d.toString().trim().split('\n')[0]))),
  deadline(10000, 'server start'),
]);
const wsUrl = base.replace(/^http/, 'ws') + 'ws';

async function login(user) {
  const body = JSON.stringify({ username: user, password: 'password123' });
  const headers = { 'content-type': 'application/json' };
  await fetch(base + 'api/v1/register', { method: 'POST', headers, body });
  const r = await fetch(base + 'api/v1/login', { method: 'POST', headers, body });
  return (await r.json()).access_token;
}

// A client that records frames, answers requests by id and fails on any protocol error.
function connect(token, viaHeader) {
  const ws = new WebSocket(wsUrl, 'tertulia.v1', viaHeader ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const client = { ws, events: [], waiters: new Map(), nextId: 1, errors: [] };
  ws.on('error', (e) => client.errors.push(e.message));
  ws.on('message', (data, isBinary) => {
    if (isBinary) return client.errors.push('binary frame from the server');
    const frame = JSON.parse(data.toString('utf8'));
    if (frame.id && client.waiters.has(frame.id)) {
      client.waiters.get(frame.id)(frame);
      client.waiters.delete(frame.id);
    } else {
      client.events.push(frame);
    }
  });
  client.request = (type, data) => {
    const id = String(client.nextId++);
    const reply = new Promise((resolve) => client.waiters.set(id, resolve));
    ws.send(JSON.stringify({ type, id, data }));
    return Promise.race([reply, deadline(5000, `${type} reply`)]);
  };
  client.opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  client.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return client;
}

async function waitFor(predicate, what, ms = 5000) {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

try {
  const alice = connect(await login('alice'), true);
  const bob = connect(await login('bob'), false);
  await Promise.all([alice.opened, bob.opened]);
  check(alice.ws.protocol === 'tertulia.v1', 'handshake: subprotocol tertulia.v1');
  await waitFor(() => alice.events.some((e) => e.type === 'hello'), 'hello');
  check(true, 'auth by header: hello pushed');
  check((await bob.request('auth', { token: await login('bob') })).type === 'ok', 'auth by frame');

  check((await alice.request('create_room', { name: 'plaza', private: false })).type === 'ok', 'create_room');
  check((await bob.request('join', { room: 'plaza' })).type === 'ok', 'join');

  const texts = ['hola', '¡señor! ñandú €', '😀'.repeat(1000), 'x'.repeat(16000)];
  for (const [i, text] of texts.entries()) {
    const reply = await alice.request('send', { room: 'plaza', text, client_msg_id: `m${i}` });
    check(reply.type === 'ok' && reply.data.seq === i + 1, `send ${i} acked with seq ${i + 1}`);
  }
  // A message in three fragments, the cuts inside multibyte characters (QtWebSockets would refuse it).
  const json = Buffer.from(JSON.stringify({ type: 'send', id: 'frag', data: { room: 'plaza', text: 'añ€😀b', client_msg_id: 'frag' } }));
  const cut1 = json.indexOf(Buffer.from('ñ')) + 1;
  const cut2 = json.indexOf(Buffer.from('😀')) + 2;
  const fragReply = new Promise((resolve) => alice.waiters.set('frag', resolve));
  alice.ws.send(json.subarray(0, cut1), { binary: false, fin: false });
  alice.ws.send(json.subarray(cut1, cut2), { binary: false, fin: false });
  alice.ws.send(json.subarray(cut2), { binary: false, fin: true });
  check((await Promise.race([fragReply, deadline(5000, 'fragmented send')])).type === 'ok', 'fragmented message split inside characters accepted');
  texts.push('añ€😀b');

  for (const client of [alice, bob]) {
    await waitFor(() => client.events.filter((e) => e.type === 'message').length === texts.length, 'messages');
    const got = client.events.filter((e) => e.type === 'message');
    check(got.every((e, i) => e.data.text === texts[i] && e.data.seq === i + 1), 'every message, in order, text intact');
  }

  const pong = new Promise((resolve) => alice.ws.once('pong', (data) => resolve(data.toString())));
  alice.ws.ping('rtt?');
  check((await Promise.race([pong, deadline(5000, 'pong')])) === 'rtt?', 'client ping answered with its payload');

  // Too many malformed frames: the server closes with 4011 and a reason.
  for (let i = 0; i < 25; i++) bob.ws.send('not json');
  const bobClosed = await Promise.race([bob.closed, deadline(5000, 'server close')]);
  check(bobClosed.code === 4011 && bobClosed.reason.length > 0, `server close: ${bobClosed.code} "${bobClosed.reason}"`);

  alice.ws.close(1000, 'bye');
  const aliceClosed = await Promise.race([alice.closed, deadline(5000, 'client close')]);
  check(aliceClosed.code === 1000, `client close answered: ${aliceClosed.code}`);
  check(alice.errors.length === 0 && bob.errors.length === 0, `no protocol errors (${[...alice.errors, ...bob.errors].join('; ')})`);
} catch (e) {
  check(false, e.message);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures.length ? `${failures.length} check(s) failed (fast path ${fastPath})` : `all checks passed (fast path ${fastPath})`);
process.exit(failures.length ? 1 : 0);
