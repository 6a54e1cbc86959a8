// The Bun peer (run by the `bun` binary of the npm package `bun`, not by Node): the native tertulia.v1
// subset on /ws, like ws-server.mjs, on Bun.serve (uWebSockets inside), with Bun's own pub/sub for room
// broadcasts (one topic per room, server.publish frames the event once for every subscriber).
import {
  errorBody, IDLE_TIMEOUT_S, MAX_BACKPRESSURE_BYTES, parseArgs, PING_INTERVAL_MS, readSecret, RoomBook, serveFrame,
  verifyAccessToken,
} from './common.mjs';

if (typeof Bun === 'undefined') throw new Error('bun-server.mjs runs under Bun (bench/peers/node_modules/bun/bin/bun.exe)');

const options = parseArgs();
const key = readSecret(options.secretFile);
const book = new RoomBook();
const memberCount = new Map(); // room name -> members (Bun keeps the subscriptions themselves)
const sockets = new Set(); // for the heartbeat

// serveFrame()'s adapter: Bun keeps the subscriptions, one topic per room; server.publish frames the event
// once and reaches the sender too (ws.publish would skip it).
const peer = {
  user: (ws) => ws.data.user,
  send: (ws, object) => ws.sendText(JSON.stringify(object)),
  join(ws, name) {
    if (!ws.data.rooms.has(name)) {
      ws.data.rooms.add(name);
      ws.subscribe(name);
      memberCount.set(name, (memberCount.get(name) ?? 0) + 1);
    }
    return memberCount.get(name);
  },
  isMember: (ws, name) => ws.data.rooms.has(name),
  publish: (name, json) => server.publish(name, json),
};

function onFrame(ws, message) {
  serveFrame(book, peer, ws, typeof message === 'string' ? message : null);
}

const notFound = () => new Response(JSON.stringify({ error: errorBody('not_found', 'no such path') }),
  { status: 404, headers: { 'content-type': 'application/json' } });

const server = Bun.serve({
  hostname: options.host,
  port: options.port,
  // wss:// with --tls-cert/--tls-key.
  ...(options.tlsCert ? { tls: { cert: Bun.file(options.tlsCert), key: Bun.file(options.tlsKey) } } : {}),
  fetch(request, srv) {
    if (new URL(request.url).pathname !== '/ws') return notFound();
    const header = request.headers.get('authorization') ?? '';
    const user = header.startsWith('Bearer ') ? verifyAccessToken(header.slice(7), key) : null;
    if (!user) return new Response(null, { status: 401 });
    const protocols = (request.headers.get('sec-websocket-protocol') ?? '').split(',').map((x) => x.trim());
    if (!protocols.includes('tertulia.v1')) return new Response(null, { status: 400 });
    if (srv.upgrade(request, { data: { user, rooms: new Set() }, headers: { 'Sec-WebSocket-Protocol': 'tertulia.v1' } })) {
      return undefined;
    }
    return new Response(null, { status: 400 });
  },
  websocket: {
    perMessageDeflate: false,
    maxPayloadLength: 64 * 1024,
    backpressureLimit: MAX_BACKPRESSURE_BYTES,
    closeOnBackpressureLimit: false,
    // The heartbeat is the timer below, as in every contender: no pings of Bun's own; a socket that sent
    // nothing (a pong counts) for 60 s is closed, like tertulia-server's idle timeout.
    idleTimeout: IDLE_TIMEOUT_S,
    sendPings: false,
    open(ws) {
      sockets.add(ws);
      peer.send(ws, {
        type: 'hello',
        data: { user: ws.data.user, server: { name: 'bun', version: '0.1.0', max_text_bytes: 16384 }, expires_in: 900 },
      });
    },
    message: onFrame,
    close(ws) {
      sockets.delete(ws);
      for (const name of ws.data.rooms) memberCount.set(name, memberCount.get(name) - 1);
    },
  },
});

const heartbeat = setInterval(() => {
  for (const ws of sockets) ws.ping();
}, PING_INTERVAL_MS);

process.stdout.write(`listening ${server.port}\n`);
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    clearInterval(heartbeat);
    server.stop(true);
    process.exit(0);
  });
}
