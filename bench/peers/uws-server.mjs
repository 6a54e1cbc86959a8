// The uWebSockets.js peer (uWebSockets v20.30 through @trufflesuite/uws-js-unofficial): the native
// tertulia.v1 subset on /ws, like ws-server.mjs, with uWebSockets' own pub/sub for room broadcasts (one
// topic per room, app.publish frames the event once for every subscriber). No fallback: the package falls
// back to a JavaScript implementation on ws when its binary does not load, which this peer refuses.
import {
  announcePort, errorBody, IDLE_TIMEOUT_S, MAX_BACKPRESSURE_BYTES, parseArgs, PING_INTERVAL_MS, readSecret, RoomBook,
  serveFrame, verifyAccessToken,
} from './common.mjs';
import { uWS } from './uws.mjs';

const options = parseArgs();
const key = readSecret(options.secretFile);
const book = new RoomBook();
const memberCount = new Map(); // room name -> members (uWebSockets keeps the subscriptions themselves)
const sockets = new Set(); // for the heartbeat

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// serveFrame()'s adapter: uWebSockets keeps the subscriptions, one topic per room; app.publish frames the
// event once and reaches the sender too (ws.publish would skip it).
const peer = {
  user: (ws) => ws.getUserData().user,
  send: (ws, object) => ws.send(JSON.stringify(object), false),
  join(ws, name) {
    const data = ws.getUserData();
    if (!data.rooms.has(name)) {
      data.rooms.add(name);
      ws.subscribe(name);
      memberCount.set(name, (memberCount.get(name) ?? 0) + 1);
    }
    return memberCount.get(name);
  },
  isMember: (ws, name) => ws.getUserData().rooms.has(name),
  publish: (name, json) => app.publish(name, encoder.encode(json), false),
};

function onFrame(ws, message, isBinary) {
  serveFrame(book, peer, ws, isBinary ? null : decoder.decode(message));
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
    peer.send(ws, {
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
