// Socket.IO 4.8 on uWebSockets.js (io.attachApp, the same @trufflesuite/uws-js-unofficial as uws-server.mjs):
// the strongest Socket.IO contender. Same events, options and acks as sio-server.mjs; Socket.IO's uWebSockets
// adapter patch turns io.to(room).emit into one uWebSockets publish per broadcast.
import { Server } from 'socket.io';
import { announcePort, IDLE_TIMEOUT_S, MAX_BACKPRESSURE_BYTES, parseArgs, readSecret } from './common.mjs';
import { attachChat, SERVER_OPTIONS } from './sio-chat.mjs';
import { uWS } from './uws.mjs';

const options = parseArgs();
const key = readSecret(options.secretFile);
if (options.tlsCert) throw new Error('this peer has no wss:// variant (bench/README.md)');

const app = uWS.App();
const io = new Server(SERVER_OPTIONS);
// Engine.IO's own ping (above) is the heartbeat; uWebSockets' idle timer is set to tertulia-server's idle
// timeout, longer than a ping interval, so its automatic pings never fire on a live session.
io.attachApp(app, { compression: uWS.DISABLED, idleTimeout: IDLE_TIMEOUT_S, maxBackpressure: MAX_BACKPRESSURE_BYTES });
attachChat(io, key);

let listenSocket = null;
app.listen(options.host, options.port, (token) => {
  if (!token) {
    process.stderr.write(`sio-uws: cannot listen on ${options.host}:${options.port}\n`);
    process.exit(1);
  }
  listenSocket = token;
  announcePort(uWS.us_socket_local_port(token));
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    io.close();
    if (listenSocket) uWS.us_listen_socket_close(listenSocket);
    process.exit(0);
  });
}
