// The Node `ws` peer: the native tertulia.v1 subset (hello, join, create_room, send, ping) on /ws.
// A room broadcast serializes the event once (one Buffer) and hands it to each member's socket.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { WebSocketServer } from 'ws';
import { announce, errorBody, parseArgs, PING_INTERVAL_MS, readSecret, RoomBook, serveFrame, verifyAccessToken } from './common.mjs';

const options = parseArgs();
const key = readSecret(options.secretFile);
const book = new RoomBook();
const members = new Map(); // room name -> Set of sockets

const handler = (request, response) => {
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: errorBody('not_found', 'no such path') }));
};
// wss:// with --tls-cert/--tls-key: Node's https server (OpenSSL) in front of the same ws server.
const server = options.tlsCert
  ? https.createServer({ cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) }, handler)
  : http.createServer(handler);
const wss = new WebSocketServer({
  noServer: true,
  perMessageDeflate: false,
  maxPayload: 64 * 1024,
  handleProtocols: (protocols) => (protocols.has('tertulia.v1') ? 'tertulia.v1' : false),
});

function reject(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

server.on('upgrade', (request, socket, head) => {
  if (new URL(request.url, 'http://x').pathname !== '/ws') return reject(socket, 404, 'Not Found');
  const header = request.headers.authorization ?? '';
  const user = header.startsWith('Bearer ') ? verifyAccessToken(header.slice(7), key) : null;
  if (!user) return reject(socket, 401, 'Unauthorized');
  wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, user));
});

// serveFrame()'s adapter: a Set of sockets per room; a broadcast serializes the event once (one Buffer).
const peer = {
  user: (ws) => ws.user,
  send: (ws, object) => ws.send(JSON.stringify(object)),
  join(ws, name) {
    let set = members.get(name);
    if (!set) members.set(name, (set = new Set()));
    set.add(ws);
    ws.rooms.add(name);
    return set.size;
  },
  isMember: (ws, name) => ws.rooms.has(name),
  publish(name, json) {
    const event = Buffer.from(json);
    for (const member of members.get(name)) member.send(event, { binary: false });
  },
};

function onConnection(ws, user) {
  ws.user = user;
  ws.rooms = new Set();
  ws.alive = true;
  ws.on('pong', () => {
    ws.alive = true;
  });
  ws.on('close', () => {
    for (const name of ws.rooms) members.get(name)?.delete(ws);
  });
  ws.on('message', (data, isBinary) => serveFrame(book, peer, ws, isBinary ? null : data));
  peer.send(ws, {
    type: 'hello',
    data: { user, server: { name: 'node-ws', version: '0.1.0', max_text_bytes: 16384 }, expires_in: 900 },
  });
}

// The usual ws heartbeat, at tertulia-server's interval (20 s): ping everyone, drop who did not answer
// the previous ping.
const heartbeat = setInterval(() => {
  for (const ws of wss.clients) {
    if (!ws.alive) {
      ws.terminate();
      continue;
    }
    ws.alive = false;
    ws.ping();
  }
}, PING_INTERVAL_MS);

server.listen(options.port, options.host, () => announce(server));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    clearInterval(heartbeat);
    for (const ws of wss.clients) ws.terminate();
    server.close(() => process.exit(0));
  });
}
