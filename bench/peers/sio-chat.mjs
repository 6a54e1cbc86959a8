// The chat of both Socket.IO peers (sio-server.mjs on Node's http, sio-uws-server.mjs on uWebSockets.js):
// the same events as the native protocol (join, create_room, send -> message), acks carrying {type, data}
// replies. Broadcasts use socket.join(room) + io.to(room).emit, which encodes each packet once for all members.
import { errorBody, PING_INTERVAL_MS, RoomBook, verifyAccessToken } from './common.mjs';

// Both Socket.IO contenders: the websocket transport only, no compression, tertulia-server's ping interval
// (instead of Socket.IO's default 25 s) and message size.
export const SERVER_OPTIONS = {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  pingInterval: PING_INTERVAL_MS,
  pingTimeout: 20000,
  maxHttpBufferSize: 64 * 1024,
};

export function attachChat(io, key) {
  const book = new RoomBook();
  io.use((socket, next) => {
    const user = verifyAccessToken(socket.handshake.auth?.token, key);
    if (!user) return next(new Error('auth_failed'));
    socket.data.user = user;
    return next();
  });

  const ok = (data) => ({ type: 'ok', data });
  const failure = (code, message) => ({ type: 'error', error: errorBody(code, message) });

  io.on('connection', (socket) => {
    const answer = (ack, body) => {
      if (typeof ack === 'function') ack(body);
    };
    const join = (name, ack) => {
      if (!book.validName(name)) return answer(ack, failure('invalid_name', 'bad room name'));
      const room = book.ensure(name, socket.data.user);
      socket.join(name);
      const size = io.sockets.adapter.rooms.get(name)?.size ?? 1;
      return answer(ack, ok({ room: book.info(room, size) }));
    };
    socket.on('join', (d, ack) => join(d?.room, ack));
    socket.on('create_room', (d, ack) => join(d?.name, ack));
    socket.on('send', (d, ack) => {
      const { room: name, text, client_msg_id: clientMsgId } = d ?? {};
      if (typeof text !== 'string' || typeof clientMsgId !== 'string') {
        return answer(ack, failure('bad_request', 'send needs text and client_msg_id'));
      }
      if (!socket.rooms.has(name)) return answer(ack, failure('forbidden', 'not a member'));
      const room = book.rooms.get(name);
      const seq = ++room.seq;
      const ts = Date.now();
      answer(ack, ok({ room: name, seq, ts, duplicate: false }));
      io.to(name).emit('message', { room: name, seq, sender: socket.data.user, text, client_msg_id: clientMsgId, ts });
      return undefined;
    });
    socket.on('ping', (d, ack) => answer(ack, ok({ ts: Date.now() })));
  });
}
