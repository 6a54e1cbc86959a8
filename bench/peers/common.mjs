// What both Node peers share: arguments, the token check, and room bookkeeping.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function parseArgs(argv = process.argv.slice(2)) {
  const options = { port: 0, host: '127.0.0.1', secretFile: '', tlsCert: '', tlsKey: '' };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${name}`);
    if (name === '--port') options.port = Number(value);
    else if (name === '--host') options.host = value;
    else if (name === '--secret-file') options.secretFile = value;
    else if (name === '--tls-cert') options.tlsCert = value; // PEM: serve wss:// (the native peers)
    else if (name === '--tls-key') options.tlsKey = value;
    else throw new Error(`unknown option ${name}`);
  }
  if (!options.secretFile) throw new Error('--secret-file is required');
  if (Boolean(options.tlsCert) !== Boolean(options.tlsKey)) throw new Error('--tls-cert and --tls-key go together');
  return options;
}

// tertulia-server's secret file: 64 lowercase hex characters (32 bytes) and a newline.
export function readSecret(path) {
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${path}: expected 64 lowercase hex characters`);
  return Buffer.from(hex, 'hex');
}

function decodePart(part) {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

// Checks an HS256 access token the way tertulia-server does (alg pinned, signature in constant time,
// iss/aud/typ/exp/sub) and returns the user name, or null.
export function verifyAccessToken(token, key, nowSeconds = Date.now() / 1000) {
  if (typeof token !== 'string' || token.length > 8192) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    if (decodePart(parts[0]).alg !== 'HS256') return null;
    const expected = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
    const signature = Buffer.from(parts[2], 'base64url');
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
    const claims = decodePart(parts[1]);
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== 'tertulia' || !audience.includes('tertulia') || claims.typ !== 'access') return null;
    if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return null;
    if (typeof claims.sub !== 'string' || claims.sub.length === 0) return null;
    return claims.sub;
  } catch {
    return null;
  }
}

const ROOM_NAME = /^[\p{L}\p{N}_.-]{1,64}$/u;

// Per-room sequence numbers and creators; membership itself lives in the transport (a Set of sockets for
// ws, Socket.IO's adapter rooms).
export class RoomBook {
  constructor() {
    this.rooms = new Map();
  }

  validName(name) {
    return typeof name === 'string' && ROOM_NAME.test(name);
  }

  ensure(name, creator) {
    let room = this.rooms.get(name);
    if (!room) {
      room = { name, creator, seq: 0 };
      this.rooms.set(name, room);
    }
    return room;
  }

  info(room, members) {
    return { name: room.name, private: false, creator: room.creator, last_seq: room.seq, members, joined: true };
  }
}

export function errorBody(code, message) {
  return { code, message };
}

export function announce(server) {
  announcePort(server.address().port);
}

export function announcePort(port) {
  // The runner waits for this line.
  process.stdout.write(`listening ${port}\n`);
}

// tertulia-server's heartbeat (docs/protocol.md, "Limits"): a WebSocket ping every 20 s, and a connection that
// sent nothing (no frame, no pong) for 60 s is closed. Every contender pings on this same schedule from one
// timer over all its connections, instead of its library's own idle timers (uWebSockets and Bun would
// otherwise ping each socket when it has been idle for a while, at a cadence of their own).
export const PING_INTERVAL_MS = 20000;
export const IDLE_TIMEOUT_S = 60;

// uWebSockets and Bun skip a publish to a socket whose send buffer holds more than this (the generator
// would count it as lost); ws buffers without limit and tertulia-server closes a socket over 4 × 4 MB at
// once. 16 MB keeps a briefly slow receiver from losing anything, like the others.
export const MAX_BACKPRESSURE_BYTES = 16 * 1024 * 1024;

// One request frame of the native subset (join, create_room, send, ping), decoded, checked and answered the
// same way by every WebSocket contender, so that they differ only in their transport. `text` is the frame
// (null for a binary one). `peer` is the contender's one adapter to its sockets (one object per server, none
// per connection, so that idle memory stays the library's own):
//   user(ws)                the signed-in user
//   send(ws, object)        writes one frame to this connection
//   join(ws, name)          makes it a member of the room (already one: nothing); returns the member count
//   isMember(ws, name)      whether it is a member
//   publish(name, json)     hands the room's event (a JSON string) to every member, the sender included
export function serveFrame(book, peer, ws, text) {
  const reply = (id, data) => peer.send(ws, { type: 'ok', id, data });
  const fail = (id, code, message) => peer.send(ws, { type: 'error', id: id ?? null, error: errorBody(code, message) });
  let frame;
  try {
    frame = text === null ? null : JSON.parse(text);
  } catch {
    frame = null;
  }
  if (frame === null || typeof frame !== 'object' || typeof frame.type !== 'string') {
    return fail(frame?.id, 'bad_request', 'malformed frame');
  }
  const { type, id } = frame;
  const d = frame.data ?? {};
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return fail(null, 'bad_request', 'bad id');
  switch (type) {
    case 'join':
    case 'create_room': {
      const name = type === 'join' ? d.room : d.name;
      if (!book.validName(name)) return fail(id, 'invalid_name', 'bad room name');
      const room = book.ensure(name, peer.user(ws));
      return reply(id, { room: book.info(room, peer.join(ws, name)) });
    }
    case 'send': {
      const { room: name, text: body, client_msg_id: clientMsgId } = d;
      if (typeof body !== 'string' || typeof clientMsgId !== 'string') return fail(id, 'bad_request', 'send needs text and client_msg_id');
      if (!peer.isMember(ws, name)) return fail(id, 'forbidden', 'not a member');
      const room = book.rooms.get(name);
      const seq = ++room.seq;
      const ts = Date.now();
      reply(id, { room: name, seq, ts, duplicate: false });
      const event = { type: 'message', data: { room: name, seq, sender: peer.user(ws), text: body, client_msg_id: clientMsgId, ts } };
      peer.publish(name, JSON.stringify(event));
      return undefined;
    }
    case 'ping':
      return reply(id, { ts: Date.now() });
    default:
      return fail(id, 'unknown_type', `unknown request ${type}`);
  }
}
