// One node of the Node Socket.IO anchor cluster that bench/runner/failover.mjs measures Tertulia against:
// Socket.IO 4.8 with connectionStateRecovery and one of the official cluster adapters,
//   --adapter redis-streams   @socket.io/redis-streams-adapter on a Redis server (--redis-url)
//   --adapter postgres        @socket.io/postgres-adapter on PostgreSQL (--pg-host DIR --pg-port P --pg-database D)
// speaking the chat subset the clients use (join, send -> message with acks), on both transports.
//
// Engine.IO session ids start with "<node-id>." (engine.generateId), like tertulia-server's, so the very
// HAProxy configuration shipped for Tertulia (packaging/haproxy/tertulia.cfg, polling routed by the sid's
// node tag) keeps every long-polling session on its node: the same stickiness a cookie would give, without
// a cookie jar in the Node client. GET /healthz answers 200 for HAProxy's health check.
//
// There is no store and no room sequence: `send` is acknowledged once the broadcast is handed to the
// adapter, which is what a Socket.IO application without a database of its own can promise.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Server } from 'socket.io';
import { readSecret, verifyAccessToken } from '../peers/common.mjs';

function parseArgs(argv) {
  const o = { port: 0, nodeId: 'n1', adapter: '', secretFile: '', redisUrl: '', pgHost: '', pgPort: 5432, pgDatabase: '' };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${name}`);
    if (name === '--port') o.port = Number(value);
    else if (name === '--node-id') o.nodeId = value;
    else if (name === '--adapter') o.adapter = value;
    else if (name === '--secret-file') o.secretFile = value;
    else if (name === '--redis-url') o.redisUrl = value;
    else if (name === '--pg-host') o.pgHost = value;
    else if (name === '--pg-port') o.pgPort = Number(value);
    else if (name === '--pg-database') o.pgDatabase = value;
    else throw new Error(`unknown option ${name}`);
  }
  if (!o.secretFile) throw new Error('--secret-file is required');
  if (!['redis-streams', 'postgres'].includes(o.adapter)) throw new Error('--adapter redis-streams|postgres');
  return o;
}

async function makeAdapter(o) {
  if (o.adapter === 'redis-streams') {
    const { createClient } = await import('redis');
    const { createAdapter } = await import('@socket.io/redis-streams-adapter');
    const client = createClient({ url: o.redisUrl });
    client.on('error', (e) => console.error(`redis: ${e.message}`));
    await client.connect();
    return createAdapter(client);
  }
  const pg = (await import('pg')).default;
  const { createAdapter } = await import('@socket.io/postgres-adapter');
  const pool = new pg.Pool({ host: o.pgHost, port: o.pgPort, database: o.pgDatabase, user: 'tertulia', max: 4 });
  pool.on('error', (e) => console.error(`postgres: ${e.message}`));
  // The table the adapter keeps large packets in (its README's schema); the chat's packets stay under
  // its 8 000-byte threshold, so it stays empty, but the adapter expects it.
  await pool.query(`CREATE TABLE IF NOT EXISTS socket_io_attachments (
      id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)`);
  return createAdapter(pool);
}

const o = parseArgs(process.argv.slice(2));
const key = readSecret(o.secretFile);

const server = http.createServer((req, res) => {
  // Engine.IO answers its own path before this handler; everything else is the health check or 404.
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(server, {
  adapter: await makeAdapter(o),
  // Socket.IO's defaults for the window (2 minutes); middlewares (the token check) run again on recovery.
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false },
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  pingInterval: 20000, // tertulia-server's
  pingTimeout: 20000,
});
io.engine.generateId = () => `${o.nodeId}.${randomBytes(15).toString('base64url')}`;

io.use((socket, next) => {
  const user = verifyAccessToken(socket.handshake.auth?.token, key);
  if (!user) return next(new Error('auth_failed'));
  socket.data.user = user;
  return next();
});

const ROOM_NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;
const ok = (data) => ({ type: 'ok', data });
const failure = (code, message) => ({ type: 'error', error: { code, message } });

io.on('connection', (socket) => {
  const answer = (ack, body) => {
    if (typeof ack === 'function') ack(body);
  };
  socket.emit('hello', { user: socket.data.user, server: { name: o.nodeId } });
  socket.on('join', (d, ack) => {
    if (typeof d?.room !== 'string' || !ROOM_NAME.test(d.room)) return answer(ack, failure('invalid_name', 'bad room name'));
    socket.join(d.room);
    return answer(ack, ok({ room: { name: d.room, joined: true } }));
  });
  socket.on('send', (d, ack) => {
    const { room, text, client_msg_id: clientMsgId } = d ?? {};
    if (typeof text !== 'string' || typeof clientMsgId !== 'string') return answer(ack, failure('bad_request', 'send needs text and client_msg_id'));
    if (!socket.rooms.has(room)) return answer(ack, failure('forbidden', 'not a member'));
    const ts = Date.now();
    io.to(room).emit('message', { room, sender: socket.data.user, text, client_msg_id: clientMsgId, ts });
    return answer(ack, ok({ room, ts, duplicate: false }));
  });
});

server.listen(o.port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    io.close();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
