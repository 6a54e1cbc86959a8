// The Node Socket.IO 4.8 peer: websocket transport only, perMessageDeflate off, on Node's http server; the
// chat itself is sio-chat.mjs (shared with sio-uws-server.mjs, the same on uWebSockets.js).
import http from 'node:http';
import { Server } from 'socket.io';
import { announce, parseArgs, readSecret } from './common.mjs';
import { attachChat, SERVER_OPTIONS } from './sio-chat.mjs';

const options = parseArgs();
const key = readSecret(options.secretFile);
if (options.tlsCert) throw new Error('this peer has no wss:// variant (bench/README.md)');

const server = http.createServer();
const io = new Server(server, SERVER_OPTIONS);
attachChat(io, key);

server.listen(options.port, options.host, () => announce(server));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    io.close();
    server.close(() => process.exit(0));
  });
}
