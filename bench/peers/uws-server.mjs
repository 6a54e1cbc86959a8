// The uWebSockets.js peer (uWebSockets v20.30 through @trufflesuite/uws-js-unofficial): the native
// tertulia.v1 subset on /ws, like ws-server.mjs, with uWebSockets' own pub/sub for room broadcasts (one
// topic per room, app.publish frames the event once for every subscriber). No fallback: the package falls
// back to a JavaScript implementation on ws when its binary does not load, which this peer refuses.
import { createRequire } from 'node:module';
import {
  announcePort, errorBody, IDLE_TIMEOUT_S, MAX_BACKPRESSURE_BYTES, parseArgs, PING_INTERVAL_MS, readSecret, RoomBook,
  verifyAccessToken,
} from './common.mjs';

const require = createRequire(import.meta.url);
const uWS = require('@trufflesuite/uws-js-unofficial');
if (!Object.keys(require.cache).some((file) => file.endsWith('.node'))) {
  throw new Error('uWebSockets.js did not load its native binary (fallback implementation): refusing to run');
}

const options = parseArgs();
const key = readSecret(options.secretFile);
const book = new RoomBook();
const memberCount = new Map(); // room name -> members (uWebSockets keeps the subscriptions themselves)
const sockets = new Set(); // for the heartbeat

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function send(ws, object) {
  ws.send(JSON.stringify(object), false);
}

function reply(ws, id, data) {
  send(ws, { type: 'ok', id, data });
}

function fail(ws, id, code, message) {
  send(ws, { type: 'error', id: id ?? null, error: errorBody(code, message) });
}

function join(ws, data, name) {
  const room = book.ensure(name, data.user);
  if (!data.rooms.has(name)) {
    data.rooms.add(name);
    ws.subscribe(name);
    memberCount.set(name, (memberCount.get(name) ?? 0) + 1);
  }
  return book.info(room, memberCount.get(name));
}

function onFrame(ws, message, isBinary) {
  const data = ws.getUserData();
  let frame;
  try {
    frame = isBinary ? null : JSON.parse(decoder.decode(message));
  } catch {
    frame = null;
  }
  if (frame === null || typeof frame !== 'object' || typeof frame.type !== 'string') {
    return fail(ws, frame?.id, 'bad_request', 'malformed frame');
  }
  const { type, id } = frame;
  const d = frame.data ?? {};
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return fail(ws, null, 'bad_request', 'bad id');
  switch (type) {
    case 'join':
    case 'create_room': {
      const name = type === 'join' ? d.room : d.name;
      if (!book.validName(name)) return fail(ws, id, 'invalid_name', 'bad room name');
      return reply(ws, id, { room: join(ws, data, name) });
    }
    case 'send': {
      const { room: name, text, client_msg_id: clientMsgId } = d;
      if (typeof text !== 'string' || typeof clientMsgId !== 'string') return fail(ws, id, 'bad_request', 'send needs text and client_msg_id');
      if (!data.rooms.has(name)) return fail(ws, id, 'forbidden', 'not a member');
      const room = book.rooms.get(name);
      const seq = ++room.seq;
      const ts = Date.now();
      reply(ws, id, { room: name, seq, ts, duplicate: false });
      const event = encoder.encode(
        JSON.stringify({ type: 'message', data: { room: name, seq, sender: data.user, text, client_msg_id: clientMsgId, ts } }),
      );
      app.publish(name, event, false); // app.publish reaches the sender too (ws.publish would skip it)
      return undefined;
    }
    case 'ping':
      return reply(ws, id, { ts: Date.now() });
    default:
      return fail(ws, id, 'unknown_type', `unknown request ${type}`);
  }
}

// wss:// with --tls-cert/--tls-key: uWebSockets' SSLApp (its own OpenSSL/BoringSSL build).
const app = options.tlsCert ? uWS.SSLApp({ cert_file_name: options.tlsCert, key_file_name: options.tlsKey }) : uWS.App();
app.ws('/ws', {
  compression: uWS.DISABLED,
  maxPayloadLength: 64 * 1024,
  maxBackpressure: MAX_BACKPRESSURE_BYTES,
  closeOnBackpressureLimit: false,
  // The heartbeat is the timer below, as in every contender: no pings of uWebSockets' own; a socket that
  // sent nothing (a pong counts) for 60 s is closed, like tertulia-server's idle timeout.
  idleTimeout: IDLE_TIMEOUT_S,
  sendPingsAutomatically: false,
  upgrade: (res, req, context) => {
    // Everything is read from req before returning: uWebSockets invalidates it afterwards.
    const header = req.getHeader('authorization');
    const protocols = req.getHeader('sec-websocket-protocol').split(',').map((x) => x.trim());
    const secKey = req.getHeader('sec-websocket-key');
    const extensions = req.getHeader('sec-websocket-extensions');
    const user = header.startsWith('Bearer ') ? verifyAccessToken(header.slice(7), key) : null;
    if (!user) {
      res.writeStatus('401 Unauthorized').writeHeader('Connection', 'close').end();
      return;
    }
    if (!protocols.includes('tertulia.v1')) {
      res.writeStatus('400 Bad Request').writeHeader('Connection', 'close').end();
      return;
    }
    res.upgrade({ user, rooms: new Set() }, secKey, 'tertulia.v1', extensions, context);
  },
  open: (ws) => {
    sockets.add(ws);
    send(ws, {
      type: 'hello',
      data: { user: ws.getUserData().user, server: { name: 'uwebsockets', version: '0.1.0', max_text_bytes: 16384 }, expires_in: 900 },
    });
  },
  message: onFrame,
  close: (ws) => {
    sockets.delete(ws);
    for (const name of ws.getUserData().rooms) memberCount.set(name, memberCount.get(name) - 1);
  },
});
app.any('/*', (res) => {
  res.writeStatus('404 Not Found').writeHeader('content-type', 'application/json')
    .end(JSON.stringify({ error: errorBody('not_found', 'no such path') }));
});

const heartbeat = setInterval(() => {
  for (const ws of sockets) ws.ping();
}, PING_INTERVAL_MS);

let listenSocket = null;
app.listen(options.host, options.port, (token) => {
  if (!token) {
    process.stderr.write(`uws: cannot listen on ${options.host}:${options.port}\n`);
    process.exit(1);
  }
  listenSocket = token;
  announcePort(uWS.us_socket_local_port(token));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    clearInterval(heartbeat);
    if (listenSocket) uWS.us_listen_socket_close(listenSocket);
    app.close?.();
    process.exit(0);
  });
}
